"""Batch conversion: one output per input, resumable, parallel, failures recorded, killable."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import convert
from convert.app import progress
from convert.app.batch import MANIFEST, collect, output_names
from convert.app.cli import main

from .conftest import ROOT, SEED, TEXT


def _tree(root: Path, copies: int = 0) -> Path:
    """An input tree: the text fixtures, one in a subfolder, an empty file, a hidden file."""
    inputs = root / "in"
    (inputs / "sub").mkdir(parents=True)
    for path in sorted(TEXT.glob("*.txt")):
        shutil.copy(path, inputs / path.name)
    shutil.copy(SEED, inputs / "sub" / "seed.txt")
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / ".hidden.txt").write_text("Hidden\n\nNot an input.\n", "utf-8")
    lines = SEED.read_text("utf-8").splitlines()
    for n in range(copies):
        copy = [*lines[:1], f"{lines[1]} ({n})", *lines[2:]]
        (inputs / f"copy{n:03d}.txt").write_text("\n".join(copy), "utf-8")
    return inputs


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["batch", *args])
    return result.exit_code, result.output


def test_outputs_mirror_the_input_tree_and_failures_do_not_stop_the_batch(tmp_path: Path) -> None:
    inputs = _tree(tmp_path)
    out = tmp_path / "out"
    code, output = _run(str(inputs), "-o", str(out), "-t", "docx", "-j", "1",
                        "--report", str(tmp_path / "report.json"))  # fmt: skip
    assert code == 1, output  # the empty file failed
    names = sorted(str(p.relative_to(out)) for p in out.rglob("*.docx"))
    expected = sorted(p.with_suffix(".docx").name for p in TEXT.glob("*.txt"))
    assert names == sorted([*expected, "sub/seed.docx"])
    assert f"briefkit: error: {inputs / 'empty.txt'}: empty input" in output
    assert output.rstrip().endswith(f"7 converted, 0 skipped, 1 failed ({out})")
    report = json.loads((tmp_path / "report.json").read_text("utf-8"))
    assert {r["status"] for r in report} == {"converted", "failed"} and len(report) == 8
    failed = next(r for r in report if r["status"] == "failed")
    assert failed["input"].endswith("empty.txt") and "empty input" in failed["reason"]
    # Each output is the article it came from.
    assert convert.load(out / "sub" / "seed.docx") == convert.load(SEED)


def test_a_rerun_skips_what_is_up_to_date_and_redoes_what_changed(tmp_path: Path) -> None:
    inputs = _tree(tmp_path)
    (inputs / "empty.txt").unlink()
    out = tmp_path / "out"
    assert _run(str(inputs), "-o", str(out), "-t", "json", "-j", "1")[0] == 0
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.json") if p.name != MANIFEST}
    code, output = _run(str(inputs), "-o", str(out), "-t", "json", "-j", "1")
    assert code == 0 and "0 converted, 7 skipped, 0 failed" in output
    assert before == {p: p.stat().st_mtime_ns for p in before}
    seed = inputs / "sub" / "seed.txt"
    seed.write_text(seed.read_text("utf-8").replace("Guiyang", "Zunyi"), "utf-8")
    code, output = _run(str(inputs), "-o", str(out), "-t", "json", "-j", "1")
    assert "1 converted, 6 skipped" in output
    assert "Zunyi" in (out / "sub" / "seed.json").read_text("utf-8")
    code, output = _run(str(inputs), "-o", str(out), "-t", "json", "-j", "1", "--style", "compact")
    assert "7 converted, 0 skipped" in output  # other options: everything is redone
    code, output = _run(str(inputs), "-o", str(out), "-t", "json", "-j", "1", "--style", "compact",
                        "--force")  # fmt: skip
    assert "7 converted, 0 skipped" in output
    (out / "sub" / "seed.json").unlink()
    code, output = _run(str(inputs), "-o", str(out), "-t", "json", "-j", "1", "--style", "compact")
    assert "1 converted, 6 skipped" in output  # a deleted output is made again


def test_globs_patterns_and_name_clashes(tmp_path: Path) -> None:
    inputs = _tree(tmp_path)
    (inputs / "people-daily-zh.md").write_text("# 标题\n\n正文。\n", "utf-8")
    pairs = collect([str(inputs / "*.txt")])
    assert {r.name for _, r in pairs} == {p.name for p in TEXT.glob("*.txt")} | {"empty.txt"}
    pairs = collect([str(inputs)], pattern="people-*")
    names = output_names(pairs, ".pdf")
    assert sorted(map(str, names)) == [
        "people-daily-guizhou-2021-03-20.pdf",
        "people-daily-zh.md.pdf",
        "people-daily-zh.txt.pdf",
    ]
    pairs = collect([str(inputs / "**" / "seed.txt")])
    assert [str(r) for _, r in pairs] == ["sub/seed.txt"]
    code, output = _run(str(tmp_path / "nothing-*.txt"), "-o", str(tmp_path / "o"), "-t", "pdf")
    assert code == 1 and "no input files found" in output


def test_fail_fast_stops_at_the_first_failure(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a-empty.txt").write_bytes(b"")
    shutil.copy(SEED, inputs / "b.txt")
    code, output = _run(str(inputs), "-o", str(tmp_path / "out"), "-t", "json", "-j", "1",
                        "--fail-fast")  # fmt: skip
    assert code == 1 and "0 converted, 0 skipped, 1 failed" in output
    assert not (tmp_path / "out" / "b.json").exists()


def test_the_library_api_runs_two_workers(tmp_path: Path) -> None:
    inputs = _tree(tmp_path, copies=6)
    seen: list[str] = []
    results = convert.batch([inputs], tmp_path / "out", to="epub", jobs=2,
                            on_result=lambda r, total: seen.append(r.status))  # fmt: skip
    assert len(results) == len(seen) == 14
    assert [r.input for r in results] == [str(p) for p, _ in collect([str(inputs)])]
    assert sum(r.status == "converted" for r in results) == 13
    converted = next(r for r in results if r.input.endswith("copy003.txt"))
    assert convert.load(converted.output).articles[0].meta.title.endswith("(3)")


def test_progress_is_plain_lines_when_not_a_terminal_and_none_when_quiet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = _tree(tmp_path)
    monkeypatch.setattr(progress, "PLAIN_EVERY", 0.0)
    code, output = _run(str(inputs), "-o", str(tmp_path / "a"), "-t", "json", "-j", "1")
    assert code == 1  # the empty input
    lines = [line for line in output.splitlines() if line.startswith("briefkit: batch: ")]
    assert [line.split()[2] for line in lines] == [f"{n}/8" for n in range(1, 9)]
    _, output = _run(str(inputs), "-o", str(tmp_path / "b"), "-t", "json", "-j", "1", "-q")
    assert output.splitlines() == [
        f"briefkit: error: {inputs / 'empty.txt'}: empty input: there is no text to read"
    ]


def test_a_rich_bar_on_a_terminal(tmp_path: Path) -> None:
    import io

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    assert progress.choose_mode(False, screen) == "rich"
    with progress.Progress("batch", "rich", screen) as bar:
        for _ in range(3):
            bar.advance(3)
        bar.advance(4, failed=True, message="x.txt: broken")
    shown = screen.getvalue()
    assert "batch" in shown and "4/4" in shown and "1 failed" in shown
    assert "briefkit: error: x.txt: broken" in shown


def _briefkit(*args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "convert", "batch", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,  # its own process group, so the kill reaches its workers
    )


def _wait_for_outputs(out: Path, count: int, limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if len([p for p in out.rglob("*.pdf") if not p.name.startswith(".")]) >= count:
            return
        time.sleep(0.05)
    pytest.fail(f"no {count} outputs in {limit} s")


def _complete(out: Path) -> list[Path]:
    """Every visible output opens as a whole PDF that reads back to its article."""
    outputs = [p for p in out.rglob("*.pdf") if not p.name.startswith(".")]
    for path in outputs:
        assert convert.load(path).articles, path
    return outputs


@pytest.mark.slow
@pytest.mark.parametrize("how", ["SIGKILL", "SIGTERM", "SIGINT"])
def test_killing_a_batch_leaves_no_half_written_output_and_a_rerun_completes(
    tmp_path: Path, how: str
) -> None:
    inputs = _tree(tmp_path, copies=30)
    (inputs / "empty.txt").unlink()
    out = tmp_path / "out"
    run = _briefkit(str(inputs), "-o", str(out), "-t", "pdf", "-j", "2")
    _wait_for_outputs(out, 3)
    os.killpg(run.pid, getattr(signal, how))
    run.wait(timeout=60)
    if how != "SIGKILL":
        assert run.returncode == 130, run.stderr.read() if run.stderr else ""
        stderr = (run.stderr.read() if run.stderr else b"").decode()
        assert "briefkit: batch interrupted:" in stderr and "Traceback" not in stderr
    time.sleep(0.5)  # let killed workers go
    done = _complete(out)
    assert len(done) < 37  # it really was stopped mid-run
    if (out / MANIFEST).exists():
        json.loads((out / MANIFEST).read_text("utf-8"))  # never a torn manifest
    rerun = _briefkit(str(inputs), "-o", str(out), "-t", "pdf", "-j", "2")
    assert rerun.wait(timeout=300) == 0, rerun.stderr.read() if rerun.stderr else ""
    assert len(_complete(out)) == 37
    assert not [p for p in out.rglob(".*.tmp")], "temporary files left behind"
    records = json.loads((out / MANIFEST).read_text("utf-8"))["files"]
    assert len(records) == 37 and {r["status"] for r in records.values()} == {"converted"}


# --------------------------------------------------------------------------- Dask


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _dask_process(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        start_new_session=True,
    )


@pytest.fixture
def dask_cluster() -> object:
    """A real scheduler and two single-threaded workers on 127.0.0.1, stopped afterwards."""
    if os.environ.get("CI") != "true":  # under CI the test extra installs it: a must
        pytest.importorskip("distributed", reason="the dask extra is not installed")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = _dask_process("distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                              "--port", str(port), "--dashboard-address", ":0")  # fmt: skip
    workers = [
        _dask_process(
            "distributed.cli.dask_worker",
            address,
            "--host",
            "127.0.0.1",
            "--nthreads",
            "1",
            "--no-nanny",
            "--dashboard-address",
            ":0",
        )
        for _ in range(2)
    ]
    from distributed import Client

    deadline = time.monotonic() + 60
    while True:
        try:
            with Client(address, timeout="5s") as client:
                client.wait_for_workers(2, timeout=30)
            break
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    yield address, workers
    for process in [*workers, scheduler]:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


@pytest.mark.slow
def test_a_batch_runs_on_a_dask_cluster_and_survives_a_killed_worker(
    tmp_path: Path, dask_cluster: tuple[str, list[subprocess.Popen[bytes]]]
) -> None:
    address, workers = dask_cluster
    inputs = _tree(tmp_path, copies=24)
    out = tmp_path / "out"
    run = _briefkit(str(inputs), "-o", str(out), "-t", "pdf", "--executor", "dask",
                    "--scheduler", address, "--report", str(tmp_path / "report.json"))  # fmt: skip
    _wait_for_outputs(out, 2)
    os.killpg(workers[0].pid, signal.SIGKILL)  # one worker dies mid-run
    assert workers[0].wait(timeout=30) is not None
    assert run.wait(timeout=300) == 1  # the empty input fails; everything else converts
    stderr = (run.stderr.read() if run.stderr else b"").decode()
    lines = stderr.splitlines()
    assert lines[-1].startswith("briefkit: batch done: 31 converted, 0 skipped, 1 failed"), stderr
    assert all(line.startswith("briefkit: ") for line in lines), stderr  # no raw dask logs
    records = json.loads((out / MANIFEST).read_text("utf-8"))["files"]
    assert len(records) == 32
    assert sorted(r["status"] for r in records.values()).count("converted") == 31
    assert len(_complete(out)) == 31
    report = json.loads((tmp_path / "report.json").read_text("utf-8"))
    assert len(report) == 32


@pytest.mark.slow
def test_without_a_scheduler_the_dask_executor_starts_a_local_cluster(tmp_path: Path) -> None:
    if os.environ.get("CI") != "true":
        pytest.importorskip("distributed", reason="the dask extra is not installed")
    inputs = tmp_path / "in"
    inputs.mkdir()
    for path in sorted(TEXT.glob("*.txt"))[:3]:
        shutil.copy(path, inputs / path.name)
    results = convert.batch([inputs], tmp_path / "out", to="docx", jobs=2, executor="dask")
    assert [r.status for r in results] == ["converted"] * 3
    assert all(convert.load(r.output).articles for r in results)


def test_a_long_conversion_shows_its_stages_on_a_terminal_only() -> None:
    import io

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    with progress.Stages(progress.choose_mode(False, screen), "out.pdf", screen) as stages:
        for done in range(1, 4):
            stages.read(done, 3)
    assert "reading" in screen.getvalue() or "writing out.pdf" in screen.getvalue()
    piped = io.StringIO()
    with progress.Stages(progress.choose_mode(False, piped), "out.pdf", piped) as stages:
        stages.read(1, 3)
    assert piped.getvalue() == ""
    assert progress.choose_mode(True, screen) == "none"


def test_a_change_to_a_parent_style_redoes_the_outputs(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SEED, inputs / "seed.txt")
    (tmp_path / "parent.toml").write_text('extends = "briefing"\nlabel = "ONE"\n', "utf-8")
    (tmp_path / "child.toml").write_text('extends = "parent.toml"\n', "utf-8")
    args = [str(inputs), "-o", str(tmp_path / "out"), "-t", "json", "-j", "1",
            "--style", str(tmp_path / "child.toml")]  # fmt: skip
    assert "1 converted" in _run(*args)[1]
    assert "1 skipped" in _run(*args)[1]
    (tmp_path / "parent.toml").write_text('extends = "briefing"\nlabel = "TWO"\n', "utf-8")
    assert "1 converted, 0 skipped" in _run(*args)[1]


def test_a_stale_manifest_temporary_is_removed_by_the_next_run(tmp_path: Path) -> None:
    inputs = _tree(tmp_path, copies=1)
    out = tmp_path / "out"
    out.mkdir()
    stale = out / f"{MANIFEST}.k3j9x.tmp"  # what a run killed while saving the manifest leaves
    stale.write_text("{", "utf-8")
    convert.batch([str(inputs)], out, to="json", jobs=1)
    assert not stale.exists()
