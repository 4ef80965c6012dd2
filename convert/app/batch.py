"""Batch conversion: one output per input, in parallel, resumable, with progress.

``batch(inputs, outdir, to="pdf")`` converts every input file (files, folders walked
recursively, globs) into ``OUTDIR``, mirroring the input tree. A process pool (or a Dask
cluster) runs the jobs; each worker loads the style and fonts once. A manifest in the output
folder (``.briefkit-batch.json``, replaced atomically as the run goes) records each input's
content hash, the options' hash and the result, so a rerun skips what is up to date and
redoes what changed or failed. A failure is recorded with its one-line reason and never
stops the others (unless ``fail_fast``); outputs are written to a temporary file and renamed,
so killing the run never leaves a half-written output or manifest.
"""

from __future__ import annotations

import ast
import fnmatch
import gc
import glob
import hashlib
import importlib
import json
import logging
import os
import signal
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from ..media.files import atomic_output
from ..media.pictures import DEFAULT_POLICY
from ..model.errors import BriefkitError, BriefkitWarning, InputError
from ..model.version import __version__
from ..plan.styles import load_style
from . import api, registry

MANIFEST = ".briefkit-batch.json"
"""The manifest's file name inside the output folder."""
MANIFEST_VERSION = 1
Status = Literal["converted", "skipped", "failed"]
Executor = Literal["process", "dask"]
_SAVE_EVERY = 1.0  # seconds between manifest rewrites (and always at the end)


@dataclass(frozen=True)
class BatchResult:
    """What happened to one input."""

    input: str
    """The input file's path, as found."""
    output: str
    """Where its output is (or would have been), inside the output folder."""
    status: Status
    """``converted``, ``skipped`` (up to date) or ``failed``."""
    reason: str = ""
    """For a failure: the one-line reason."""
    seconds: float = 0.0
    """How long the conversion took."""


@dataclass(frozen=True)
class Job:
    """One conversion, as sent to a worker (plain data: it crosses process boundaries)."""

    source: str
    """Input path."""
    output: str
    """Output path."""
    to_format: str
    """Writer name."""
    from_format: str | None
    """Reader name, or None to infer it from the extension."""
    style: str | None
    """Style name or path, loaded once per worker."""
    metadata: tuple[tuple[str, str], ...]
    """Collection metadata applied to every output."""
    images: str = DEFAULT_POLICY
    """Which pictures are resolved (see :mod:`convert.media.pictures`)."""


# --------------------------------------------------------------------------- inputs


def _has_magic(text: str) -> bool:
    return glob.has_magic(text)


def collect(
    inputs: Sequence[str], pattern: str | None = None, exclude: Path | None = None
) -> list[tuple[Path, Path]]:
    """(file, path relative to its input root) for every input file, in a stable order.

    A file stands for itself; a folder is walked recursively (hidden entries skipped); a glob
    is expanded (``**`` included) relative to its folder part. ``pattern`` keeps only names
    that match it (``*.txt``); ``exclude`` is a folder left out (the output folder).
    """
    found: dict[Path, Path] = {}
    for given in inputs:
        path = Path(given)
        if _has_magic(given):
            root = Path(*[p for p in path.parts if not _has_magic(p)][: _static_depth(path)])
            matches = sorted(glob.glob(given, recursive=True))
            files = [Path(m) for m in matches if Path(m).is_file()]
            pairs = [(f, f.relative_to(root) if root.parts else f) for f in files]
        elif path.is_dir():
            pairs = [(f, f.relative_to(path)) for f in _walk(path, exclude)]
        elif path.is_file():
            pairs = [(path, Path(path.name))]
        else:
            raise InputError("no such file, folder or matching glob", where=given)
        for file, relative in pairs:
            if pattern and not fnmatch.fnmatch(file.name, pattern):
                continue
            found.setdefault(file, relative)
    return list(found.items())


def _static_depth(path: Path) -> int:
    """How many leading parts of a glob path hold no wildcard."""
    depth = 0
    for part in path.parts:
        if _has_magic(part):
            break
        depth += 1
    return depth


def _walk(folder: Path, exclude: Path | None) -> Iterator[Path]:
    skip = exclude.resolve() if exclude is not None else None
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and (here / d).resolve() != skip)
        for name in sorted(files):
            if not name.startswith("."):
                yield here / name


def output_names(pairs: list[tuple[Path, Path]], extension: str) -> list[Path]:
    """Output paths (relative) mirroring the inputs: ``a/b.txt`` -> ``a/b.pdf``.

    Two inputs that would meet (``b.txt`` and ``b.md``) keep their own extension in the name
    (``b.txt.pdf``, ``b.md.pdf``).
    """
    plain = [relative.with_suffix(extension) for _, relative in pairs]
    seen: dict[Path, int] = {}
    for name in plain:
        seen[name] = seen.get(name, 0) + 1
    return [
        name if seen[name] == 1 else relative.with_name(relative.name + extension)
        for name, (_, relative) in zip(plain, pairs, strict=True)
    ]


# --------------------------------------------------------------------------- the manifest


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def options_hash(
    to_format: str,
    from_format: str | None,
    style: str | None,
    metadata: tuple[tuple[str, str], ...],
    images: str = DEFAULT_POLICY,
) -> str:
    """A hash of everything besides the input that decides an output's bytes."""

    # The merged style (every value after inheritance), not one file: a change to a style
    # it extends changes the outputs too.
    loaded = load_style(style)
    parts = {
        "briefkit": __version__,
        "to": to_format,
        "from": from_format,
        "style": hashlib.sha256(repr(loaded).encode("utf-8")).hexdigest(),
        "metadata": list(metadata),
        "images": images,
        "epoch": os.environ.get("SOURCE_DATE_EPOCH"),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def load_manifest(outdir: Path) -> dict[str, Any]:
    """The manifest's per-input records (empty when there is none or it is unreadable)."""
    path = outdir / MANIFEST
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        return {}
    files = data.get("files")
    return files if isinstance(files, dict) else {}


def save_manifest(outdir: Path, records: dict[str, Any]) -> None:
    """Write the manifest atomically (a temporary file renamed over the old one)."""
    data = {"version": MANIFEST_VERSION, "briefkit": __version__, "files": records}
    handle, temp = tempfile.mkstemp(prefix=f"{MANIFEST}.", suffix=".tmp", dir=outdir)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=1, sort_keys=True)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, outdir / MANIFEST)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------- the worker

_WORKER_STYLES: dict[str | None, Any] = {}


def _style(spec: str | None) -> Any:
    """The style, loaded once per worker process."""
    if spec not in _WORKER_STYLES:
        _WORKER_STYLES[spec] = load_style(spec)
    return _WORKER_STYLES[spec]


def run_job(job: Job) -> BatchResult:
    """Convert one input (in a worker); every error becomes a failed result with its reason."""

    started = time.perf_counter()
    try:
        output = Path(job.output)
        output.parent.mkdir(parents=True, exist_ok=True)
        with warnings.catch_warnings():
            # A picture that cannot be had is in the article's ``dropped``; a worker's stderr
            # would print the warning in Python's raw form.
            warnings.simplefilter("ignore", BriefkitWarning)
            collection = api.load(job.source, job.from_format, job.images)
        if job.metadata:
            collection = api.apply_metadata(collection, dict(job.metadata))
        api.write(collection, output, job.to_format, _style(job.style))
    except BriefkitError as exc:
        return BatchResult(
            job.source, job.output, "failed", str(exc), time.perf_counter() - started
        )
    except Exception as exc:  # one bad file must not stop a batch of thousands
        first = str(exc).splitlines()[0] if str(exc) else ""
        reason = f"{job.source}: internal error: {type(exc).__name__}: {first}"
        return BatchResult(job.source, job.output, "failed", reason, time.perf_counter() - started)
    finally:
        _collect_now_and_then()
    return BatchResult(job.source, job.output, "converted", "", time.perf_counter() - started)


_JOBS_SINCE_COLLECT = 0
COLLECT_EVERY = 25
"""Jobs between full garbage collections in a worker. python-docx and lxml leave reference
cycles holding whole XML trees; Python's collector counts objects, not bytes, so without a
nudge a DOCX worker's memory climbs for hundreds of files before it runs (a collection costs
a few milliseconds: every 25 jobs it is noise)."""


def _collect_now_and_then() -> None:
    global _JOBS_SINCE_COLLECT
    _JOBS_SINCE_COLLECT += 1
    if _JOBS_SINCE_COLLECT >= COLLECT_EVERY:
        _JOBS_SINCE_COLLECT = 0
        gc.collect()


def run_jobs(jobs: list[Job]) -> list[BatchResult]:
    """Several jobs in one task (for executors whose per-task cost is high)."""
    return [run_job(job) for job in jobs]


def _init_worker(style: str | None, to_format: str) -> None:
    # Ctrl-C goes to the whole process group: the parent decides, workers just finish or die.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _style(style)
    if to_format != "pdf":
        return
    # Register the fonts once per worker (the PDF writer's costliest start-up step).
    from ..writers.pdf import preload_fonts

    preload_fonts(_style(style))


# --------------------------------------------------------------------------- executors


def _run_processes(
    jobs: list[Job], workers: int, style: str | None, to_format: str, fail_fast: bool
) -> Iterator[BatchResult]:
    if workers <= 1:
        _style(style)
        for job in jobs:
            result = run_job(job)
            yield result
            if fail_fast and result.status == "failed":
                return
        return
    # Imported here: a one-file conversion imports this module and needs no process pool
    # (ProcessPoolExecutor brings multiprocessing: ~7 ms of every run's start-up).
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

    context = multiprocessing.get_context("spawn")  # no fork of a parent holding threads
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_init_worker,
        initargs=(style, to_format),
    ) as pool:
        pending: set[Future[BatchResult]] = set()
        queue = iter(jobs)
        try:
            # Keep a bounded number of jobs in flight: tens of thousands of futures at once
            # would hold every job in memory twice.
            for job in queue:
                pending.add(pool.submit(run_job, job))
                if len(pending) >= workers * 4:
                    break
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    result = future.result()
                    yield result
                    if fail_fast and result.status == "failed":
                        raise _Stop
                    next_job = next(queue, None)
                    if next_job is not None:
                        pending.add(pool.submit(run_job, next_job))
        except (_Stop, KeyboardInterrupt, GeneratorExit):
            for future in pending:
                future.cancel()
            pool.shutdown(wait=True, cancel_futures=True)
            if sys.exc_info()[0] is KeyboardInterrupt:
                raise


class _Stop(Exception):
    """fail_fast met a failure."""


_WORKER_MODULES = (
    "convert.app.batch",
    "convert.readers.text",
    "convert.readers.markdown",
    "convert.readers.html",
    "convert.writers.pdf",
    "convert.writers.docx",
    "convert.writers.epub",
)
"""What a Dask worker's forkserver imports before forking the workers."""
_LOCAL_CLUSTER_CONFIG = {
    "distributed.worker.multiprocessing-method": "forkserver",
    # The cluster's own housekeeping runs beside the conversions on the same cores, and each
    # wake-up of a worker's event loop takes the GIL from the converting thread: the
    # statistical profiler (every 10 ms), the event-loop health tick (20 ms), the memory
    # monitor (100 ms; there is no memory limit) and the system monitor (500 ms) wake less
    # often or not at all, and work stealing (moving queued chunks between equal local
    # workers) is off. 400 PDFs, five interleaved runs: median 1.28x of --jobs 2 -> 1.15x.
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "2s",
    "distributed.scheduler.work-stealing": False,
    # dask sets this for its workers (to hand memory back to the system sooner); setting it at
    # all turns off glibc's adaptive mmap threshold, so every large allocation of a document's
    # XML trees and buffers becomes an mmap/munmap pair: DOCX conversions ran ~10 % slower.
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
}
"""dask settings for the local cluster briefkit starts (an existing cluster keeps its own)."""


def _run_dask(
    jobs: list[Job], workers: int, scheduler: str | None, fail_fast: bool
) -> Iterator[BatchResult]:
    try:
        # Imported as a module object: dask is optional, and its API is only partly typed.
        distributed: Any = importlib.import_module("dask.distributed")
    except ImportError:
        raise BriefkitError(
            "the dask executor needs dask.distributed: pip install 'briefkit[dask]'"
        ) from None
    # stderr is for briefkit's own lines: dask's log records (a lost worker, a rescheduled
    # task) are not shown; what matters reaches the user as results.
    # dask gives several of its loggers ("distributed.client"...) levels of their own.
    loggers = [logging.getLogger("distributed")] + [
        logging.getLogger(name)
        for name in list(logging.root.manager.loggerDict)
        if name.startswith("distributed.")
    ]
    levels = [(logger, logger.level) for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    cluster = None
    if scheduler:
        client = distributed.Client(scheduler, timeout="30s")
    else:
        dask: Any = importlib.import_module("dask")
        with dask.config.set(_LOCAL_CLUSTER_CONFIG):
            # Workers fork from one server that imported the readers and writers once,
            # instead of each spawned worker importing them again (a second of CPU each).
            context = importlib.import_module("distributed.utils").get_mp_context()
            context.set_forkserver_preload(["distributed", *_WORKER_MODULES])
            cluster = distributed.LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.CRITICAL,
                # No per-worker memory monitor (it pauses and spills for data-heavy graphs;
                # our tasks hold one document at a time): 1,000 PDFs took 31 s, not 34.
                memory_limit=0,
            )
        client = distributed.Client(cluster)
    try:
        # Jobs go in chunks (a task per file costs the scheduler more than a small
        # conversion); retries: a chunk whose worker died is run again elsewhere (the
        # scheduler also reschedules the tasks of a lost worker by itself).
        size = max(1, min(25, len(jobs) // (workers * 8) or 1))
        chunks = [jobs[i : i + size] for i in range(0, len(jobs), size)]
        futures = client.map(run_jobs, chunks, pure=False, retries=2)
        for future in distributed.as_completed(futures):
            for result in future.result():
                yield result
                if fail_fast and result.status == "failed":
                    client.cancel(futures)
                    return
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
        for logger, level in levels:
            logger.setLevel(level)


# --------------------------------------------------------------------------- the run


@dataclass
class BatchSummary:
    """Counts of a finished (or interrupted) batch."""

    converted: int = 0
    skipped: int = 0
    failed: int = 0
    interrupted: bool = False

    def add(self, result: BatchResult) -> None:
        setattr(self, result.status, getattr(self, result.status) + 1)


def batch(
    inputs: Sequence[str | os.PathLike[str]],
    outdir: str | os.PathLike[str],
    *,
    to: str,
    jobs: int | None = None,
    executor: Executor = "process",
    scheduler: str | None = None,
    from_format: str | None = None,
    style: str | None = None,
    metadata: dict[str, str] | None = None,
    pattern: str | None = None,
    images: str = DEFAULT_POLICY,
    force: bool = False,
    fail_fast: bool = False,
    on_result: Callable[[BatchResult, int], None] | None = None,
) -> list[BatchResult]:
    """Convert each input into its own ``to`` document inside ``outdir``.

    Returns one :class:`BatchResult` per input file, in input order. ``on_result`` is called
    as results arrive (with the total number of inputs), for progress displays.
    """

    writer = registry.find("writer", to)
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    pairs = collect([str(i) for i in inputs], pattern, exclude=out)
    if not pairs:
        raise InputError("no input files found", where=", ".join(str(i) for i in inputs))
    extension = writer.extensions[0] if writer.extensions else f".{writer.name}"
    names = output_names(pairs, extension)
    meta = tuple(sorted((metadata or {}).items()))
    options = options_hash(writer.name, from_format, style, meta, images)
    records = load_manifest(out)
    results: dict[str, BatchResult] = {}
    todo: list[Job] = []
    hashes: dict[str, str] = {}
    # The manifest's own temporary (".briefkit-batch.json.<random>.tmp") too: a run killed
    # while saving it leaves one.
    _remove_stale_temporaries([out / name for name in names] + [out / MANIFEST[1:]])
    for (source, _), name in zip(pairs, names, strict=True):
        output = out / name
        key = str(source)
        digest = file_hash(source)
        hashes[key] = digest
        record = records.get(key)
        up_to_date = (
            not force
            and isinstance(record, dict)
            and record.get("status") == "converted"
            and record.get("input_hash") == digest
            and record.get("options_hash") == options
            and output.is_file()
        )
        if up_to_date:
            results[key] = BatchResult(key, str(output), "skipped")
        else:
            todo.append(Job(key, str(output), writer.name, from_format, style, meta, images))
    total = len(pairs)
    for result in results.values():
        if on_result:
            on_result(result, total)
    workers = jobs or os.cpu_count() or 1
    if todo and (executor == "dask" or min(workers, len(todo)) > 1):
        _refuse_unguarded_script()
    stream = (
        _run_dask(todo, workers, scheduler, fail_fast)
        if executor == "dask"
        else _run_processes(todo, min(workers, max(len(todo), 1)), style, writer.name, fail_fast)
    )
    last_save = time.monotonic()
    try:
        for result in stream:
            results[result.input] = result
            records[result.input] = {
                "input_hash": hashes[result.input],
                "options_hash": options,
                "output": result.output,
                "status": result.status,
                "reason": result.reason,
            }
            if on_result:
                on_result(result, total)
            if time.monotonic() - last_save >= _SAVE_EVERY:
                save_manifest(out, records)
                last_save = time.monotonic()
    finally:
        save_manifest(out, records)
    return [results[str(source)] for source, _ in pairs if str(source) in results]


def _refuse_unguarded_script() -> None:
    """Stop before starting workers when the running script calls this from its top level
    outside ``if __name__ == "__main__":``: each worker process imports the script (Python's
    spawn start method) and would run the batch again, and the pool would break."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if main is None or not path or getattr(main, "__spec__", None) is not None:
        return  # an interactive session, -c or -m: workers do not run it again
    frame = sys._getframe(1)
    statement_line = None
    while frame is not None:  # the script's top-level statement being run
        if frame.f_globals is vars(main) and frame.f_code.co_name == "<module>":
            statement_line = frame.f_lineno
        frame = frame.f_back  # type: ignore[assignment]
    if statement_line is None:
        return
    try:
        tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return
    for node in tree.body:
        end = getattr(node, "end_lineno", node.lineno)
        if node.lineno <= statement_line <= end:
            if isinstance(node, ast.If) and "__name__" in ast.unparse(node.test):
                return
            raise InputError(
                "each worker process imports your script and would run the batch again: "
                'put the call under `if __name__ == "__main__":`',
                where=f"{path}:{statement_line}",
            )


def _remove_stale_temporaries(outputs: list[Path]) -> None:
    """Temporary files a killed run left beside the outputs (``.NAME.<random>.tmp``).

    Each folder is listed once (a glob per output would be quadratic in a big folder).
    """
    wanted: dict[Path, set[str]] = {}
    for output in outputs:
        wanted.setdefault(output.parent, set()).add(output.name)
    for folder, names in wanted.items():
        if not folder.is_dir():
            continue
        for entry in os.scandir(folder):
            name = entry.name
            if name.startswith(".") and name.endswith(".tmp"):
                target = name[1:].rsplit(".", 2)[0]  # ".a.pdf.k3j9x.tmp" -> "a.pdf"
                if target in names:
                    Path(entry.path).unlink(missing_ok=True)


def write_report(path: Path, results: Iterable[BatchResult]) -> None:
    """``--report``: the per-file results as JSON, written atomically."""

    data = json.dumps([asdict(r) for r in results], ensure_ascii=False, indent=1)
    with atomic_output(path) as out:
        out.write(data.encode("utf-8"))
