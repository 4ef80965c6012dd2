"""The whole pipeline as a user runs it: text files in, finished documents out.

Run by hand::

    python benchmarks/pipeline_speed.py [COUNT] [--rounds 3] [--scale 100,1000,5000] [--no-peers]

COUNT copies of the seed article (titles numbered so they differ) are written as text files
``a0000.txt``...; then, in one run on the same machine:

- briefkit: ``briefkit convert a0000.txt ... -o out.{docx,epub,pdf}``;
- the peers: pandoc on the same content as one Markdown file (DOCX, EPUB), and LibreOffice
  converting pandoc's DOCX to PDF (its profile warmed up first);
- each library's floor, reading the same text files: python-docx with the body added as bulk
  XML, ebooklib with one bare chapter per article, one reportlab pass over the paragraphs in
  the style's font files, as reportlab's own ``TTFont`` (no cover, contents, metadata,
  header or footer);
- the write phase of briefkit and of each floor alone: from the writer's (the library's)
  import to the saved file, the inputs already read.

Each round runs all of them once per format, one after the other; the tables give each
command's best time and its peak RSS, and each ratio as the median of the rounds' own
ratios (this VM's speed drifts by a third between runs minutes apart). ``--scale`` adds
briefkit's time per article at several sizes (one run each), and the start-up of
``briefkit --help``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from _harness import ROOT, SEED, markdown_of, measure_in_child, seed_collection

# Every script below reads the text files first, then times its write phase (from importing
# the library to the saved file) and leaves the seconds in OUTPUT.seconds: the whole process
# is timed from outside as well.
READ_LINES = r"""
import sys, time
articles = [[l.strip() for l in open(p, encoding="utf-8") if l.strip()] for p in sys.argv[2:]]
started = time.perf_counter()
"""

WRITE_PHASE_END = r"""
with open(sys.argv[1] + ".seconds", "w") as phase:
    phase.write(str(time.perf_counter() - started))
"""

DOCX_FLOOR = r"""
from xml.sax.saxutils import escape
import docx
from docx.oxml import parse_xml
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
document = docx.Document()
body = document.element.body
parts = []
for lines in articles:
    parts.append('<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>%s</w:t></w:r></w:p>' % escape(lines[1]))
    parts.extend('<w:p><w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>' % escape(l) for l in lines[2:])
fragment = parse_xml('<w:body %s>%s</w:body>' % (W, "".join(parts)))
sect = body[-1]
for child in list(fragment):
    sect.addprevious(child)
document.save(sys.argv[1])
"""

EPUB_FLOOR = r"""
from xml.sax.saxutils import escape
from ebooklib import epub
book = epub.EpubBook()
book.set_identifier("floor"); book.set_title("Floor"); book.set_language("en")
chapters = []
for n, lines in enumerate(articles):
    chapter = epub.EpubHtml(title=lines[1], file_name=f"c{n}.xhtml", lang="en")
    chapter.content = "<h1>%s</h1>" % escape(lines[1]) + "".join("<p>%s</p>" % escape(l) for l in lines[2:])
    book.add_item(chapter); chapters.append(chapter)
book.toc = chapters
book.add_item(epub.EpubNcx()); book.add_item(epub.EpubNav())
book.spine = ["nav", *chapters]
epub.write_epub(sys.argv[1], book)
"""

PDF_FLOOR = r"""
sys.path.insert(0, ROOT)
import convert
from convert.media.fonts import find_font_file
style = convert.load_style(None)

def font_path(role, weight):
    files = style.font_files[style.fonts[role]]
    return str(find_font_file(getattr(files, weight) or files.regular, style.search_dirs)), files.subfont

paths = {"body": font_path("body_latin", "regular"), "head": font_path("heading_latin", "bold")}
started = time.perf_counter()  # the write phase starts once the style's font files are found
from xml.sax.saxutils import escape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate
for name, (path, subfont) in paths.items():
    # reportlab's own TTFont (not briefkit's faster one)
    pdfmetrics.registerFont(TTFont(f"floor-{name}", path, subfontIndex=subfont))
title_style = ParagraphStyle("t", fontName="floor-head", fontSize=20, leading=26)
body_style = ParagraphStyle("b", fontName="floor-body", fontSize=10.5, leading=14)
story = []
for lines in articles:
    story.append(Paragraph(escape(lines[1]), title_style))
    story.extend(Paragraph(escape(l), body_style) for l in lines[2:])
    story.append(PageBreak())
SimpleDocTemplate(sys.argv[1], initialFontName="floor-body").build(story)
"""

# briefkit's own write phase: the inputs read as ``briefkit convert`` reads them, then
# ``api.write`` timed from the writer's import (the registry loads it) to the saved file.
OURS = r"""
import sys, time
sys.path.insert(0, ROOT)
from convert.app import api
collection = api.combine([api.load(name) for name in sys.argv[2:]])
started = time.perf_counter()
api.write(collection, sys.argv[1])
"""


def _script(body: str) -> str:
    if body is OURS:
        return OURS.replace("ROOT", repr(str(ROOT))) + WRITE_PHASE_END
    return READ_LINES + body.replace("ROOT", repr(str(ROOT))) + WRITE_PHASE_END


def write_inputs(folder: Path, count: int) -> list[str]:
    """``count`` numbered copies of the seed text; returns their file names."""
    lines = SEED.read_text("utf-8").splitlines()
    # The title is the second non-blank line (after the breadcrumb): numbered so titles differ.
    title = [index for index, line in enumerate(lines) if line.strip()][1]
    names = []
    for n in range(count):
        copy = list(lines)
        copy[title] = f"{lines[title]} ({n + 1})"
        name = f"a{n:04d}.txt"
        (folder / name).write_text("\n".join(copy) + "\n", "utf-8")
        names.append(name)
    return names


def _check_reading(path: Path) -> None:
    """Stop if the inputs do not read as the seed does: every run would time another job."""
    import convert

    seed, copy = convert.read(SEED)[0].meta, convert.read(path)[0].meta
    if copy.title != f"{seed.title} (1)" or copy.authors != seed.authors or not copy.published:
        raise SystemExit(f"{path} does not read as the seed article: {copy}")


@dataclass
class Timings:
    """One format's runs, round by round: each round runs briefkit, its write phase, the
    floor and the peer one after the other, so a ratio compares runs taken minutes apart at
    most (this VM's speed drifts by a third between runs of the same command)."""

    ours: list[tuple[float, int]] = field(default_factory=list)
    writer: list[float] = field(default_factory=list)
    floor: list[tuple[float, int]] = field(default_factory=list)
    floor_writer: list[float] = field(default_factory=list)
    peer_name: str = ""
    peer: list[tuple[float, int]] = field(default_factory=list)

    def paired(self, slow: list[float], fast: list[float]) -> float:
        """The median over rounds of ``slow / fast`` (each round's own ratio)."""
        return statistics.median(a / b for a, b in zip(slow, fast, strict=True))


def phase(command: list[str], cwd: Path) -> tuple[float, int, float]:
    """Run a script that times its own write phase: (seconds, peak KiB, phase seconds).

    The script's first argument is its output file; it leaves the phase's seconds beside it.
    """
    seconds, peak = measure_in_child(command, cwd=cwd)
    return seconds, peak, float((cwd / f"{command[2]}.seconds").read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3, help="rounds of runs (default 3)")
    parser.add_argument("--scale", default="", help="comma-separated sizes, e.g. 100,1000,5000")
    parser.add_argument("--no-peers", action="store_true", help="skip pandoc and LibreOffice")
    parser.add_argument(
        "--formats", default="docx,epub,pdf", help="comma-separated outputs (default all three)"
    )
    args = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        names = write_inputs(work, args.count)
        _check_reading(work / names[0])
        (work / "in.md").write_text(markdown_of(seed_collection(args.count)), "utf-8")
        for name, code in (("docx_floor.py", DOCX_FLOOR), ("epub_floor.py", EPUB_FLOOR),
                           ("pdf_floor.py", PDF_FLOOR), ("ours.py", OURS)):  # fmt: skip
            (work / name).write_text(_script(code), "utf-8")
        rows: dict[str, Timings] = {}
        for fmt in args.formats.split(","):
            runs = rows[fmt] = Timings()
            peer = None if args.no_peers else _peer(fmt, work)
            for _ in range(args.rounds):
                command = [python, "-m", "convert", "convert", *names, "-o", f"out.{fmt}", "-q"]
                runs.ours.append(measure_in_child(command, cwd=work))
                runs.writer.append(phase([python, "ours.py", f"ours.{fmt}", *names], work)[2])
                *floor, floor_writer = phase([python, f"{fmt}_floor.py", f"f.{fmt}", *names], work)
                runs.floor.append((floor[0], int(floor[1])))
                runs.floor_writer.append(floor_writer)
                if peer is not None:
                    runs.peer_name = peer[0]
                    runs.peer.append(measure_in_child(peer[1], cwd=work))
        _report(args.count, args.rounds, rows)
        if args.scale:
            _scale(work, [int(n) for n in args.scale.split(",")])


def _peer(fmt: str, work: Path) -> tuple[str, list[str]] | None:
    """The peer's name and command for ``fmt`` (its files made ready), or None."""
    import pypandoc

    pandoc = pypandoc.get_pandoc_path()
    if fmt in ("docx", "epub"):
        return (f"pandoc {fmt}", [pandoc, "in.md", "-o", f"pandoc.{fmt}"])
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    subprocess.run([pandoc, "in.md", "-o", "pandoc.docx"], cwd=work, check=True)
    profile = f"-env:UserInstallation=file://{work}/lo-profile"
    command = [soffice, profile, "--headless", "--convert-to", "pdf", "pandoc.docx"]
    measure_in_child(command, cwd=work)  # the first run creates LibreOffice's profile
    return ("LibreOffice pandoc.docx -> pdf", command)


def _report(count: int, rounds: int, rows: dict[str, Timings]) -> None:
    print(f"{count} text files in, one document out ({rounds} rounds: best time and peak RSS;")
    print("ratios are the median of each round's own ratio)\n")
    print("| output | briefkit | peer | peer / briefkit | library floor | briefkit / floor |")
    print("|---|---|---|---|---|---|")
    for fmt, runs in rows.items():
        ours, floor = min(runs.ours), min(runs.floor)
        peer_text, ratio = "—", "—"
        if runs.peer:
            peer = min(runs.peer)
            speed = runs.paired([p[0] for p in runs.peer], [o[0] for o in runs.ours])
            peer_text = f"{runs.peer_name} {peer[0]:.1f} s, {peer[1] / 1024:.0f} MiB"
            ratio = f"{speed:.1f}× faster, {ours[1] / peer[1]:.2f} of its memory"
        to_floor = runs.paired([o[0] for o in runs.ours], [f[0] for f in runs.floor])
        print(
            f"| {fmt.upper()} | {ours[0]:.2f} s, {ours[1] / 1024:.0f} MiB | {peer_text} | {ratio} "
            f"| {floor[0]:.2f} s | {to_floor:.2f}× |"
        )
    print("\nThe write phase alone: from the writer's import to the saved file, the inputs")
    print("already read (briefkit: `api.write` of what `api.load` gave; the floor: its lines)\n")
    print("| output | briefkit writer | library floor | writer / floor |")
    print("|---|---|---|---|")
    for fmt, runs in rows.items():
        ratio = runs.paired(runs.writer, runs.floor_writer)
        print(
            f"| {fmt.upper()} | {min(runs.writer):.2f} s | {min(runs.floor_writer):.2f} s "
            f"| {ratio:.2f}× |"
        )
    print("\nEach round (briefkit / writer / floor / floor writer / peer, seconds):")
    for fmt, runs in rows.items():
        for n in range(len(runs.ours)):
            peer = f" / {runs.peer[n][0]:.2f}" if runs.peer else ""
            print(
                f"- {fmt.upper()} round {n + 1}: {runs.ours[n][0]:.2f} / {runs.writer[n]:.2f} / "
                f"{runs.floor[n][0]:.2f} / {runs.floor_writer[n]:.2f}{peer}"
            )


def _scale(work: Path, sizes: list[int]) -> None:
    python = sys.executable
    print("\n| articles | DOCX s | EPUB s | PDF s | per article (DOCX / EPUB / PDF, ms) |")
    print("|---|---|---|---|---|")
    for size in sizes:
        folder = work / f"scale-{size}"
        folder.mkdir()
        names = write_inputs(folder, size)
        times = [
            measure_in_child(
                [python, "-m", "convert", "convert", *names, "-o", f"out.{fmt}", "-q"], cwd=folder
            )[0]
            for fmt in ("docx", "epub", "pdf")
        ]
        per = " / ".join(f"{t / size * 1000:.2f}" for t in times)
        print(f"| {size} | {times[0]:.2f} | {times[1]:.2f} | {times[2]:.2f} | {per} |")
    briefkit = shutil.which("briefkit") or str(Path(python).with_name("briefkit"))
    starts = []
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run([briefkit, "--help"], check=True, stdout=subprocess.DEVNULL)
        starts.append(time.perf_counter() - started)
    print(f"\nbriefkit --help: {min(starts):.3f} s (best of 5)")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
