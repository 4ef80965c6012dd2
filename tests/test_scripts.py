"""Right-to-left scripts: direction and language marks in DOCX and EPUB."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest

import convert

from .conftest import FIXTURES, libreoffice_pdf, require_tool
from .test_epub import CLEAN, epubcheck

SCRIPTS = FIXTURES / "scripts"
RTL = [SCRIPTS / "arabic.txt", SCRIPTS / "hebrew.txt", SCRIPTS / "arabic-english.txt"]


@pytest.mark.parametrize(("name", "language"), [("arabic", "ar"), ("hebrew", "he")])
def test_right_to_left_text_gets_its_language(name: str, language: str) -> None:
    assert convert.read(SCRIPTS / f"{name}.txt")[0].meta.language == language


def test_docx_marks_right_to_left_paragraphs_runs_and_language(tmp_path: Path) -> None:
    path = tmp_path / "rtl.docx"
    convert.convert([*RTL, FIXTURES / "text" / "xinhua-en.txt"], path)
    with zipfile.ZipFile(path) as archive:
        body = archive.read("word/document.xml").decode()
    paragraphs = re.findall(r"<w:p>.*?</w:p>", body)
    arabic = [p for p in paragraphs if "المشروع" in p]
    assert arabic and all("<w:bidi/>" in p for p in arabic)
    runs = re.findall(r"<w:r>(.*?)</w:r>", arabic[0])
    assert all("<w:rtl/>" in r for r in runs if re.search("[\u0600-\u06ff]", r))
    assert 'w:bidi="ar"' in arabic[0]
    mixed = next(p for p in paragraphs if "New York" in p)
    latin = [r for r in re.findall(r"<w:r>(.*?)</w:r>", mixed) if "New York" in r]
    assert latin and "<w:rtl/>" not in latin[0]  # English inside Arabic stays left to right
    english = next(p for p in paragraphs if "oceanographers" in p)
    assert "<w:bidi/>" not in english and "<w:rtl/>" not in english


@pytest.mark.slow
def test_libreoffice_lays_arabic_out_right_to_left(tmp_path: Path) -> None:
    source = tmp_path / "ar.docx"
    convert.convert([SCRIPTS / "arabic.txt"], source)
    pdf = libreoffice_pdf([source], tmp_path)[0]
    pdftotext = require_tool("pdftotext")
    bbox = subprocess.run(
        [pdftotext, "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    page_width = float(re.search(r'<page width="([\d.]+)"', bbox).group(1))  # type: ignore[union-attr]
    lines = re.findall(r'<line xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', bbox)
    text = subprocess.run(
        [pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "المشروع" in text and "الميناء" in text  # the words come back in logical order
    # Right-aligned: the body's lines end at the right margin and start at varying places.
    ends = [float(x_max) for _, x_max in lines]
    right = max(ends)
    assert right > page_width * 0.8
    assert sum(abs(e - right) < 3 for e in ends) >= len(ends) * 0.7


def test_epub_sets_dir_and_language_and_page_progression(tmp_path: Path) -> None:
    mixed = tmp_path / "mixed.epub"
    convert.convert([SCRIPTS / "arabic.txt", FIXTURES / "text" / "xinhua-en.txt"], mixed)
    with zipfile.ZipFile(mixed) as book:
        arabic = book.read("EPUB/text/article-0001.xhtml").decode()
        english = book.read("EPUB/text/article-0002.xhtml").decode()
        opf = book.read("EPUB/content.opf").decode()
    assert 'xml:lang="ar" dir="rtl"' in arabic
    assert 'dir="rtl"' not in english
    assert "page-progression-direction" not in opf
    only_rtl = tmp_path / "rtl.epub"
    convert.convert([SCRIPTS / "arabic.txt", SCRIPTS / "hebrew.txt"], only_rtl)
    with zipfile.ZipFile(only_rtl) as book:
        opf = book.read("EPUB/content.opf").decode()
        hebrew = book.read("EPUB/text/article-0002.xhtml").decode()
    assert 'page-progression-direction="rtl"' in opf
    assert 'xml:lang="he" dir="rtl"' in hebrew
    assert epubcheck(only_rtl) == CLEAN
    assert epubcheck(mixed) == CLEAN


# --------------------------------------------------------------------------- PDF


def _words(text: str) -> list[str]:
    import unicodedata

    text = unicodedata.normalize("NFKC", text).lower()
    return re.findall(r"[\u0e00-\u0e7f]|\w+", text)  # Thai has no spaces: by character


@pytest.mark.parametrize("name", ["hindi", "thai", "korean", "russian"])
def test_pdf_gives_back_the_words_of_every_script(name: str, tmp_path: Path) -> None:
    from collections import Counter

    from .conftest import pdf_text

    source = SCRIPTS / f"{name}.txt"
    path = tmp_path / f"{name}.pdf"
    convert.convert([source], path)
    article = convert.read(source)[0]
    expected = Counter(_words(f"{article.meta.title} {convert.ir.plain_text(article.blocks)}"))
    found = Counter(_words(pdf_text(path)))
    kept = sum(min(found[w], n) for w, n in expected.items()) / sum(expected.values())
    assert kept >= 0.98, (kept, expected - found)
    fonts = subprocess.run(
        [require_tool("pdffonts"), str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)  # every font embedded


def test_every_character_gets_a_font_that_has_it() -> None:
    from convert.styles import load_style
    from convert.writers.pdf._fonts import Fonts

    fonts = Fonts(load_style("briefing"))
    latin, cjk = fonts.pair("body")
    for name in ("arabic", "hebrew", "hindi", "thai", "korean", "russian", "arabic-english"):
        text = (SCRIPTS / f"{name}.txt").read_text("utf-8")
        for family, run in fonts.runs(text, latin, cjk):
            missing = {ch for ch in run if not ch.isspace() and ord(ch) not in family.coverage}
            assert not missing, (name, family.name, missing)
    assert not fonts.missing


@pytest.mark.slow
def test_pdf_lays_arabic_and_hebrew_out_right_to_left_and_shaped(tmp_path: Path) -> None:
    path = tmp_path / "rtl.pdf"
    convert.convert([SCRIPTS / "arabic.txt", SCRIPTS / "hebrew.txt"], path)
    fonts = subprocess.run(
        [require_tool("pdffonts"), str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert "NotoSansArabic" in fonts and "NotoSansHebrew" in fonts
    bbox = subprocess.run(
        [require_tool("pdftotext"), "-bbox-layout", "-f", "3", "-l", "3", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines = re.findall(
        r'<line xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</line>',
        bbox,
        re.S,
    )
    arabic = [(float(a), float(b)) for a, b, words in lines if re.search("[\u0600-\u06ff]", words)]
    assert len(arabic) >= 4  # title and body lines
    # Every Arabic line, short last lines too, ends at the right margin: laid out right to left.
    ends = [end for _, end in arabic]
    assert max(ends) - min(ends) < 3, ends
    assert any(start > 150 for start, _ in arabic)  # and the short ones start further right


def test_a_character_no_font_has_is_one_warning_naming_it(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from convert.cli import main

    source = tmp_path / "hieroglyphs.txt"
    source.write_text("Museum news\n\nThe sign 𓀀 opens the new exhibition.\n", "utf-8")
    result = CliRunner().invoke(main, ["convert", str(source), "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert warnings == [
        "briefkit: warning: no installed font has 𓀀 (U+13000): printed as missing glyphs "
        "(install fonts-noto-core, or name a font that has them in the style's [font_files])"
    ]


def test_epub_marks_right_to_left_names_inside_an_english_article(tmp_path: Path) -> None:
    source = tmp_path / "envoy.txt"
    source.write_text(
        "Envoy meets officials\n\nThe envoy met محمد العلي in Riyadh and שלום in Jerusalem.\n",
        "utf-8",
    )
    path = tmp_path / "envoy.epub"
    convert.convert([source], path)
    with zipfile.ZipFile(path) as book:
        page = book.read("EPUB/text/article-0001.xhtml").decode()
    assert '<span dir="rtl" lang="ar" xml:lang="ar">محمد العلي</span>' in page
    assert '<span dir="rtl" lang="he" xml:lang="he">שלום</span>' in page
    assert 'xml:lang="en"' in page and '<html dir="rtl"' not in page
    assert epubcheck(path) == CLEAN
