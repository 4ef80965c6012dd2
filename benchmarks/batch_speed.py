"""Batch conversion at scale: single-article text files, one document each.

Run by hand::

    python benchmarks/batch_speed.py [COUNT] [--formats pdf,docx] [--no-dask]

For each format: ``briefkit batch`` with ``--jobs 1`` and ``--jobs 2`` (goal: at least 1.8x
on 2 cores), the Dask local cluster against ``--jobs 2`` (goal: within 15 %), a rerun with
nothing changed (goal: at most 5 % of the first run's time), and the peak memory of a worker
at 200 inputs and at COUNT (goal: flat).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _harness import ROOT
from pipeline_speed import write_inputs

PEAK = r"""
import resource, subprocess, sys, time
started = time.perf_counter()
subprocess.run(sys.argv[1:], check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
# RUSAGE_CHILDREN: the largest resident set among the waited-for descendants (one worker)
print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def timed(command: list[str]) -> tuple[float, int]:
    """Seconds and the peak RSS (KiB) of the largest process in the command's tree."""
    out = subprocess.run([sys.executable, "-c", PEAK, *command], capture_output=True, text=True)
    seconds, peak = out.stdout.split()
    return float(seconds), int(peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=2000)
    parser.add_argument("--formats", default="pdf,docx")
    parser.add_argument("--no-dask", action="store_true")
    args = parser.parse_args()
    briefkit = [sys.executable, "-m", "convert", "batch", "-q"]
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "in").mkdir()
        (work / "small").mkdir()
        write_inputs(work / "in", args.count)
        write_inputs(work / "small", 200)
        print(f"{args.count} single-article text files, one output each\n")
        print("| format | --jobs 1 | --jobs 2 | speed-up | dask local (2 workers) | rerun, "
              "nothing changed | worker peak RSS at 200 / " f"{args.count} |")  # fmt: skip
        print("|---|---|---|---|---|---|---|")
        for fmt in args.formats.split(","):
            one = timed([*briefkit, str(work / "in"), "-o", str(work / "o1"), "-t", fmt, "-j", "1"])
            shutil.rmtree(work / "o1")
            two = timed([*briefkit, str(work / "in"), "-o", str(work / "o2"), "-t", fmt, "-j", "2"])
            started = time.perf_counter()
            subprocess.run([*briefkit, str(work / "in"), "-o", str(work / "o2"), "-t", fmt],
                           check=True)  # fmt: skip
            rerun = time.perf_counter() - started
            shutil.rmtree(work / "o2")
            small = timed([*briefkit, str(work / "small"), "-o", str(work / "o3"), "-t", fmt,
                           "-j", "2"])  # fmt: skip
            shutil.rmtree(work / "o3")
            dask = "—"
            if not args.no_dask:
                seconds, _ = timed([*briefkit, str(work / "in"), "-o", str(work / "o4"), "-t", fmt,
                                    "-j", "2", "--executor", "dask"])  # fmt: skip
                shutil.rmtree(work / "o4", ignore_errors=True)
                dask = f"{seconds:.1f} s ({seconds / two[0]:.2f}× of --jobs 2)"
            print(
                f"| {fmt.upper()} | {one[0]:.1f} s | {two[0]:.1f} s | {one[0] / two[0]:.2f}× | "
                f"{dask} | {rerun:.2f} s ({rerun / two[0] * 100:.1f} %) | "
                f"{small[1] / 1024:.0f} / {two[1] / 1024:.0f} MiB |"
            )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
