"""The whole pipeline as a user runs it: text files in, finished documents out.

Run by hand::

    python benchmarks/pipeline_speed.py [COUNT] [--scale 100,1000,5000] [--no-peers]

COUNT copies of the seed article (titles numbered so they differ) are written as text files
``a0000.txt``...; then, in one run on the same machine:

- briefkit: ``briefkit convert a0000.txt ... -o out.{docx,epub,pdf}``;
- the peers: pandoc on the same content as one Markdown file (DOCX, EPUB), and LibreOffice
  converting pandoc's DOCX to PDF (its profile warmed up first);
- each library's floor, reading the same text files: python-docx with the body added as bulk
  XML, ebooklib with one bare chapter per article, one reportlab pass over the paragraphs in
  the style's font files, as reportlab's own ``TTFont`` (no cover, contents, metadata,
  header or footer).

Each is the best of two runs, with the peak RSS of the process. ``--scale`` adds briefkit's
time per article at several sizes (one run each), and the start-up of ``briefkit --help``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
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
from convert.writers.pdf._fonts import find_font_file
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
from convert import api
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


def best(command: list[str], cwd: Path, runs: int = 2) -> tuple[float, int]:
    """The fastest of ``runs`` runs (seconds, and that run's peak RSS in KiB)."""
    return min(measure_in_child(command, cwd=cwd) for _ in range(runs))


def best_with_phase(command: list[str], cwd: Path, runs: int = 2) -> tuple[float, int, float]:
    """:func:`best` of a script that times its own write phase, and the fastest write phase.

    The script's first argument is its output file; it leaves the phase's seconds beside it.
    """
    results, phases = [], []
    for _ in range(runs):
        results.append(measure_in_child(command, cwd=cwd))
        phases.append(float((cwd / f"{command[2]}.seconds").read_text()))
    seconds, peak = min(results)
    return seconds, peak, min(phases)


Row = tuple[str, tuple[float, int], float, tuple[float, int, float], tuple[str, float, int] | None]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=1000)
    parser.add_argument("--scale", default="", help="comma-separated sizes, e.g. 100,1000,5000")
    parser.add_argument("--no-peers", action="store_true", help="skip pandoc and LibreOffice")
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
        rows: list[Row] = []
        for fmt in ("docx", "epub", "pdf"):
            ours = best(
                [python, "-m", "convert", "convert", *names, "-o", f"out.{fmt}", "-q"], work
            )
            writer = best_with_phase([python, "ours.py", f"ours.{fmt}", *names], work)[2]
            floor = best_with_phase([python, f"{fmt}_floor.py", f"floor.{fmt}", *names], work)
            peer: tuple[str, float, int] | None = None
            if not args.no_peers:
                peer = _peer(fmt, work)
            rows.append((fmt, ours, writer, floor, peer))
        _report(args.count, rows)
        if args.scale:
            _scale(work, [int(n) for n in args.scale.split(",")])


def _peer(fmt: str, work: Path) -> tuple[str, float, int] | None:
    import pypandoc

    pandoc = pypandoc.get_pandoc_path()
    if fmt in ("docx", "epub"):
        seconds, peak = best([pandoc, "in.md", "-o", f"pandoc.{fmt}"], work)
        return (f"pandoc {fmt}", seconds, peak)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    subprocess.run([pandoc, "in.md", "-o", "pandoc.docx"], cwd=work, check=True)
    profile = f"-env:UserInstallation=file://{work}/lo-profile"
    command = [soffice, profile, "--headless", "--convert-to", "pdf", "pandoc.docx"]
    measure_in_child(command, cwd=work)  # the first run creates LibreOffice's profile
    seconds, peak = best(command, work)
    return ("LibreOffice pandoc.docx -> pdf", seconds, peak)


def _report(count: int, rows: list[Row]) -> None:
    print(f"{count} text files in, one document out (best of 2; peak RSS)\n")
    print("| output | briefkit | peer | ratio | library floor | briefkit / floor |")
    print("|---|---|---|---|---|---|")
    for fmt, ours, _, floor, peer in rows:
        peer_text, ratio = "—", "—"
        if peer is not None:
            peer_text = f"{peer[0]} {peer[1]:.1f} s, {peer[2] / 1024:.0f} MiB"
            ratio = f"{peer[1] / ours[0]:.1f}× faster, {ours[1] / peer[2]:.2f} of its memory"
        print(
            f"| {fmt.upper()} | {ours[0]:.2f} s, {ours[1] / 1024:.0f} MiB | {peer_text} | {ratio} "
            f"| {floor[0]:.2f} s | {ours[0] / floor[0]:.2f}× |"
        )
    print("\nThe write phase alone: from the writer's import to the saved file, the inputs")
    print("already read (briefkit: `api.write` of what `api.load` gave; the floor: its lines)\n")
    print("| output | briefkit writer | library floor | writer / floor |")
    print("|---|---|---|---|")
    for fmt, _, writer, floor, _ in rows:
        print(f"| {fmt.upper()} | {writer:.2f} s | {floor[2]:.2f} s | {writer / floor[2]:.2f}× |")


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
