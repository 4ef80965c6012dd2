"""Shared pieces of the speed benchmarks: the 1,000-article collection, timing, peak memory."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "text" / "people-daily-guizhou-2021-03-20.txt"


def seed_collection(count: int) -> object:
    """``count`` copies of the seed article, numbered so their titles differ."""
    sys.path.insert(0, str(ROOT))
    import convert
    from convert.model import ir

    article = convert.read(SEED)[0]
    articles = tuple(
        dataclasses.replace(
            article, meta=dataclasses.replace(article.meta, title=f"{article.meta.title} ({n})")
        )
        for n in range(1, count + 1)
    )
    return ir.Collection(title=f"Benchmark: {count} articles", articles=articles)


def markdown_of(collection: object) -> str:
    """The same content as Markdown, for pandoc."""
    from convert.model import ir

    assert isinstance(collection, ir.Collection)
    parts = [f"% {collection.title}\n"]
    for article in collection.articles:
        meta = article.meta
        parts.append(
            f"# {meta.title}\n\n*{meta.source} · {meta.published} · {', '.join(meta.authors)}*\n"
        )
        parts.extend(ir.plain_text((block,)).strip() + "\n" for block in article.blocks)
        parts.append(f"({', '.join(meta.editors)})\n")
    return "\n".join(parts)


def user_environment() -> dict[str, str]:
    """The environment a user's command runs in: a fixed ``SOURCE_DATE_EPOCH``, and Python
    free to keep its bytecode caches (an installed package has them; with
    ``PYTHONDONTWRITEBYTECODE`` set, as on some CI machines, every run would compile briefkit's
    and its libraries' modules again: ~0.2 s of a one-second run)."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["SOURCE_DATE_EPOCH"] = "1700000000"
    return env


def measure_in_child(command: list[str], cwd: Path | None = None) -> tuple[float, int]:
    """Run ``command`` under a fresh interpreter that reports its own child's time and peak RSS."""
    code = (
        "import resource, subprocess, sys, time, json;"
        "t=time.perf_counter();"
        f"subprocess.run({command!r}, check=True, stdout=subprocess.DEVNULL);"
        "print(json.dumps([time.perf_counter()-t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))"
    )
    import json

    out = subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=user_environment(),
    )
    seconds, peak_kib = json.loads(out.stdout)
    return float(seconds), int(peak_kib)


def report(rows: list[tuple[str, float, int]]) -> None:
    """Print a small table: tool, seconds, peak MiB."""
    print(f"{'tool':<34} {'seconds':>8} {'peak MiB':>9}")
    for name, seconds, peak in rows:
        print(f"{name:<34} {seconds:8.2f} {peak / 1024:9.0f}")


def compare_with_pandoc(writer: str, count: int) -> None:
    """Time briefkit's ``writer`` and pandoc on the same ``count``-article collection."""
    import tempfile

    import pypandoc

    from convert.model import ir_json

    collection = seed_collection(count)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "in.json").write_text(ir_json.dumps(collection), "utf-8")  # type: ignore[arg-type]
        (work / "in.md").write_text(markdown_of(collection), "utf-8")
        briefkit = [
            sys.executable,
            "-m",
            "convert",
            "convert",
            "in.json",
            "-o",
            f"out.{writer}",
            "-q",
        ]
        pandoc = [pypandoc.get_pandoc_path(), "in.md", "-o", f"pandoc.{writer}"]
        ours = measure_in_child(briefkit, cwd=work)
        theirs = measure_in_child(pandoc, cwd=work)
    report(
        [
            (f"briefkit {writer} ({count} articles)", *ours),
            (f"pandoc {writer} ({count} articles)", *theirs),
        ]
    )
    print(f"speed-up {theirs[0] / ours[0]:.1f}x, memory {ours[1] / theirs[1]:.2f} of pandoc's")
