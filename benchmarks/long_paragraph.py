"""One huge paragraph to PDF: briefkit's time grows linearly with the paragraph's length.

reportlab re-lays the rest of a paragraph at every page break (quadratic: a 300 KB paragraph
took 8.4 s and a 2 MB one did not finish in 120 s before long paragraphs were laid out in
pieces). This runs what a user runs, a text file in and a PDF out, at 100 KB, 300 KB, 1 MB,
2 MB and 4 MB, beside LibreOffice converting the same text file to PDF, and one
unbreakable word of 1 MB.

    .venv/bin/python benchmarks/long_paragraph.py [--no-peer]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from _harness import ROOT, measure_in_child

SENTENCE = "Freight volumes on the new line rose again in the third quarter. "
SIZES = (100_000, 300_000, 1_000_000, 2_000_000, 4_000_000)


def main() -> None:
    peer = shutil.which("soffice") if "--no-peer" not in sys.argv else None
    briefkit = [sys.executable, "-m", "convert"]
    print(f"{'paragraph':>10} {'briefkit s':>11} {'s per MB':>9} {'LibreOffice s':>14}")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for size in SIZES:
            source = work / f"p{size}.txt"
            source.write_text(f"Long\n\n{SENTENCE * (size // len(SENTENCE))}\n", "utf-8")
            seconds, _ = measure_in_child(
                [*briefkit, "convert", "-q", str(source), "-o", str(work / f"p{size}.pdf")],
                cwd=ROOT,
            )
            theirs = "-"
            if peer:
                other, _ = measure_in_child(
                    [peer, "--headless", "--convert-to", "pdf", "--outdir", str(work / "lo"),
                     str(source)]
                )  # fmt: skip
                theirs = f"{other:.2f}"
            print(f"{size:>10} {seconds:>11.2f} {seconds / size * 1e6:>9.2f} {theirs:>14}")
        # one word of a megabyte, no space to break at
        source = work / "word.txt"
        source.write_text("One word\n\n" + "x" * 1_000_000 + "\n", "utf-8")
        seconds, _ = measure_in_child(
            [*briefkit, "convert", "-q", str(source), "-o", str(work / "word.pdf")], cwd=ROOT
        )
        print(f"{'1 MB word':>10} {seconds:>11.2f} {seconds:>9.2f} {'-':>14}")


if __name__ == "__main__":
    main()
