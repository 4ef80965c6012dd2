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


ALL_SCRIPTS = ["arabic", "hebrew", "arabic-english", "hindi", "thai", "korean", "russian"]


@pytest.mark.parametrize("name", ALL_SCRIPTS)
def test_pdf_gives_back_the_words_of_every_script_in_logical_order(
    name: str, tmp_path: Path
) -> None:
    from difflib import SequenceMatcher

    from .conftest import notdef_glyphs, pdf_text

    source = SCRIPTS / f"{name}.txt"
    path = tmp_path / f"{name}.pdf"
    convert.convert([source], path)
    article = convert.read(source)[0]
    expected = _words(f"{article.meta.title} {convert.model.ir.plain_text(article.blocks)}")
    found = _words(pdf_text(path))
    # Words in the order they were written: the longest matching runs of the two sequences.
    matcher = SequenceMatcher(None, expected, found, autojunk=False)
    kept = sum(block.size for block in matcher.get_matching_blocks()) / len(expected)
    assert kept >= 0.98, (kept, " ".join(found))
    fonts = subprocess.run(
        [require_tool("pdffonts"), str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)  # every font embedded
    assert notdef_glyphs(path) == []  # no character is drawn as the missing-glyph box


def test_the_notdef_check_finds_a_missing_glyph(tmp_path: Path) -> None:
    from .conftest import notdef_glyphs

    source = tmp_path / "hieroglyphs.txt"
    source.write_text("Museum news\n\nThe sign \U00013000 opens the exhibition.\n", "utf-8")
    with pytest.warns(convert.BriefkitWarning):
        convert.convert([source], tmp_path / "x.pdf")
    assert notdef_glyphs(tmp_path / "x.pdf")


def test_lines_are_put_in_display_order_by_the_bidi_algorithm() -> None:
    from convert.writers.pdf._engine._shaping import display_runs

    hebrew = "\u05d0\u05d1\u05d2"  # alef bet gimel
    runs = display_runs([("Helvetica", f"abc {hebrew} def")], rtl=False)
    assert [(run.text, run.level) for run in runs] == [
        ("abc ", 0),
        (hebrew[::-1], 1),  # Helvetica is not shaped: the run is reversed
        (" def", 0),
    ]
    runs = display_runs(
        [("Helvetica", f"{hebrew} "), ("Courier", "New York"), ("Helvetica", ".")], True
    )
    assert [(run.piece, run.text) for run in runs] == [
        (2, "."),
        (1, "New York"),
        (0, " " + hebrew[::-1]),
    ]
    # Joiners and embedding controls (dropped by rule X9) keep the text and the levels aligned.
    persian = "\u0645\u06cc\u200c\u0634\u0648\u062f"  # mi-shavad, with a ZWNJ
    runs = display_runs([("Helvetica", f"{persian} \u202bx\u202c")], rtl=True)
    assert "".join(run.text for run in runs).count("\u200c") == 1


def test_complex_scripts_are_shaped_and_keep_their_text() -> None:
    from reportlab.pdfbase import pdfmetrics

    from convert.plan.styles import load_style
    from convert.writers.pdf._fonts import Fonts

    fonts = Fonts(load_style("briefing"))
    latin, cjk = fonts.pair("body")
    (family, _), *_ = fonts.runs("\u0915\u093f", latin, cjk)  # Devanagari ki
    font = pdfmetrics.getFont(family.regular)
    shaped = font.shape("\u0915\u093f", rtl=False)
    glyphs = [font.face.charToGlyph[ord(ch)] for ch in shaped]
    # The vowel sign i is drawn before its consonant; the consonant carries the syllable.
    assert len(glyphs) == 2 and glyphs[1] == font.face.charToGlyph[0x0915]
    assert [font._texts.get(ord(ch), ch) for ch in shaped] == ["", "\u0915\u093f"]
    assert shaped.actual == "\u0915\u093f"
    (family, _), *_ = fonts.runs("\u0628\u0628", latin, cjk)  # Arabic beh beh: joined forms
    font = pdfmetrics.getFont(family.regular)
    shaped = font.shape("\u0628\u0628", rtl=True)
    assert all(font.face.charToGlyph[ord(ch)] != font.face.charToGlyph[0x0628] for ch in shaped)
    assert [font._texts[ord(ch)] for ch in shaped] == ["\u0628", "\u0628"]
    # A mark drawn over its letter carries nothing; the letter carries both (in display
    # order, as extraction tools reverse right-to-left words character by character).
    shaddah = font.shape("\u0628\u0651\u0628", rtl=True)
    meanings = [font._texts.get(ord(ch), ch) for ch in shaddah]
    assert "".join(meanings) == "\u0628\u0651\u0628"[::-1] and "" in meanings


def test_a_shaped_run_may_start_with_a_mark_in_the_font_already_set() -> None:
    import io

    from reportlab.pdfbase import pdfmetrics

    from convert.plan.styles import load_style
    from convert.writers.pdf._engine import EngineCanvas
    from convert.writers.pdf._fonts import Fonts

    fonts = Fonts(load_style("briefing"))
    (family, _), *_ = fonts.runs("\u0628", *fonts.pair("body"))
    font = pdfmetrics.getFont(family.regular)
    with_kasra = font.shape("\u0628\u0650", rtl=True)  # beh + kasra: the mark comes first
    assert with_kasra.__shapeData__[0].y_offset != 0
    text = EngineCanvas(io.BytesIO()).beginText(10, 10)  # the writer's text object
    text.setFont(family.regular, 10)
    text._textOut(font.shape("\u0628", rtl=True), 0)
    text._textOut(with_kasra, 0)  # reportlab alone raised IndexError here
    assert " Ts " in text.getCode()


@pytest.mark.slow
def test_pdf_mixed_arabic_english_line_reads_right_to_left_with_english_inside(
    tmp_path: Path,
) -> None:
    from .conftest import pdf_text

    path = tmp_path / "mixed.pdf"
    convert.convert([SCRIPTS / "arabic-english.txt"], path)
    bbox = subprocess.run(
        [require_tool("pdftotext"), "-bbox-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(chunk for chunk in re.findall(r"<line .*?</line>", bbox, re.S) if ">New<" in chunk)
    x = {
        word: float(left)
        for left, word in re.findall(r'<word xMin="([\d.]+)"[^>]*>(.*?)</word>', line)
    }
    # "... في New York وتحدث ...": poppler gives Arabic words' letters in display order.
    before, after = "في"[::-1], "وتحدث"[::-1]
    assert x[after] < x["New"] < x["York"] < x[before]
    text = re.sub("[\u202a-\u202e]", "", pdf_text(path))  # poppler's embedding marks
    assert not re.search("[\ufb50-\ufdff\ufe70-\ufeff]", text)  # letters, not presentation forms
    header = text.splitlines()[0]
    assert header == convert.read(SCRIPTS / "arabic-english.txt")[0].meta.title  # canvas text too


@pytest.mark.slow
def test_a_real_arabic_book_with_vowel_marks_reads_back_in_order(tmp_path: Path) -> None:
    from difflib import SequenceMatcher

    from .conftest import pdf_text, require_file
    from .test_realworld import FILES

    source = require_file(FILES / "043-regime-anticancer-arabic.epub", "the real-world corpus")
    articles = convert.read(source)
    path = tmp_path / "book.pdf"
    convert.write(articles, path)
    expected = _words(
        " ".join(f"{a.meta.title} {convert.model.ir.plain_text(a.blocks)}" for a in articles)
    )
    found = _words(pdf_text(path))
    matcher = SequenceMatcher(None, expected, found, autojunk=False)
    kept = sum(block.size for block in matcher.get_matching_blocks()) / len(expected)
    assert kept >= 0.98, kept  # shaddah and tanween over their letters, not beside them


def test_every_character_gets_a_font_that_has_it() -> None:
    from convert.plan.styles import load_style
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


def test_a_style_names_the_family_for_a_script(tmp_path: Path) -> None:
    from convert.model.errors import StyleError
    from convert.plan.styles import load_style

    style = tmp_path / "arabic-dejavu.toml"
    style.write_text('extends = "briefing"\n[script_fonts]\narabic = "DejaVu Sans"\n', "utf-8")
    assert list(load_style(style).script_fonts)[:2] == ["arabic", "hebrew"]
    path = tmp_path / "ar.pdf"
    convert.convert([SCRIPTS / "arabic.txt"], path, style=str(style))
    fonts = subprocess.run(
        [require_tool("pdffonts"), str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert "NotoSansArabic" not in fonts and "DejaVuSans-Shaped" in fonts
    # The EPUB's stylesheet names the same families in the same order.
    book = tmp_path / "ar.epub"
    convert.convert([SCRIPTS / "arabic.txt"], book, style=str(style))
    with zipfile.ZipFile(book) as archive:
        css = next(archive.read(n) for n in archive.namelist() if n.endswith(".css")).decode()
    assert '"DejaVu Serif", "WenQuanYi Zen Hei", "DejaVu Sans", "Noto Sans Hebrew"' in css
    broken = tmp_path / "broken.toml"
    broken.write_text('extends = "briefing"\n[script_fonts]\narabic = "Amiri"\n', "utf-8")
    with pytest.raises(StyleError, match=r"script_fonts\.arabic names 'Amiri'"):
        load_style(broken)


def test_a_style_names_the_cjk_family_per_language(tmp_path: Path) -> None:
    style = tmp_path / "japanese.toml"
    style.write_text(
        'extends = "briefing"\n[script_fonts]\njapanese = "WQY Sharp"\n'
        '[font_files."WQY Sharp"]\nregular = "wqy-zenhei.ttc"\nsubfont = 2\n',
        "utf-8",
    )
    japanese = tmp_path / "tokyo.txt"
    japanese.write_text(
        "東京で新しい図書館が開館\n\n東京都は本日、新しい図書館を開館しました。"
        "子どもたちのための部屋もあります。\n",
        "utf-8",
    )
    assert convert.read(japanese)[0].meta.language == "ja"
    path = tmp_path / "mixed.pdf"
    convert.convert([japanese, FIXTURES / "text" / "people-daily-zh.txt"], path, style=str(style))
    fonts = subprocess.run(
        [require_tool("pdffonts"), str(path)], capture_output=True, text=True, check=True
    ).stdout
    # The Japanese article in the family named for Japanese, the Chinese one in the style's
    # CJK family; both read back.
    assert "WenQuanYiZenHeiSharp" in fonts and re.search(r"WenQuanYiZenHei(-0)?\s", fonts)
    from .conftest import pdf_text

    text = pdf_text(path)
    assert "東京都は本日、新しい図書館を開館しました。" in text.replace("\n", "")


def test_a_character_no_font_has_is_one_warning_naming_it(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from convert.app.cli import main

    source = tmp_path / "hieroglyphs.txt"
    source.write_text("Museum news\n\nThe sign 𓀀 opens the new exhibition.\n", "utf-8")
    result = CliRunner().invoke(main, ["convert", str(source), "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert warnings == [
        "briefkit: warning: no installed font has 𓀀 (U+13000): printed as missing glyphs "
        "(install fonts-noto-core, or name a font that has them in the style's [script_fonts])"
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


@pytest.mark.parametrize("word", ["مرح\xadبا", "ܐܒܓ\xadܕ", "שָׁל\xadוֹם"])
def test_a_soft_hyphen_in_a_shaped_script_is_drawn(word: str, tmp_path: Path) -> None:
    """reportlab hands a word holding a soft hyphen over as a str subclass, which HarfBuzz's
    binding refused: the PDF failed to build."""
    from .conftest import pdf_text

    path = tmp_path / "shy.pdf"
    article = convert.ir.Article(
        convert.ir.Meta(title="Greeting"), blocks=(convert.ir.paragraph(f"Say {word} today."),)
    )
    convert.write([article], path)
    assert word.replace("\xad", "") in pdf_text(path).replace("\xad", "").replace("-", "")
