"""Print typography: hyphenation and justification, typographic punctuation, widows and
orphans, CJK line-breaking rules, contents page numbers in Word — measured on the built
files by the checker in ``tests/typeset_check.py``."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import convert
from convert.model import ir
from convert.plan.typography import hyphenation_language, typeset_blocks, typeset_text
from convert.writers.pdf._engine import kinsoku_lines

from .conftest import FIXTURES, SEED, libreoffice_pdf, normalise_space, pdf_text, require_tool
from .typeset_check import check

BRIEFING = FIXTURES / "briefing" / "briefing.toml"


def _build(folder: Path, style: Path | None = None) -> Path:
    manifest = folder / "briefing.toml"
    text = BRIEFING.read_text("utf-8").replace('"../', f'"{FIXTURES}/')
    if style is not None:
        text = re.sub(r"^style = .*$", f'style = "{style}"', text, flags=re.M)
    manifest.write_text(text, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "convert", "build", str(manifest), "-o", str(folder / "out"), "-q"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    return folder / "out"


def test_the_example_briefing_is_typeset(tmp_path: Path) -> None:
    require_tool("pdftotext")
    out = _build(tmp_path)
    counts = check(out / "morning-briefing.pdf")
    assert counts.straight_quotes == 0, counts.line()
    assert counts.widows == counts.orphans == 0, counts.line()
    assert counts.kinsoku == 0, counts.line()
    assert counts.glued == 0, counts.glued_examples
    assert counts.right_edge_spread <= 1.0, counts.line()
    assert counts.hyphenated > 10, counts.line()  # hyphenation is on in the briefing style


def test_the_checker_sees_a_draft(tmp_path: Path) -> None:
    """With typography off, the same briefing is set as a draft, and the checker says so."""
    require_tool("pdftotext")
    (tmp_path / "styles").mkdir()
    draft = tmp_path / "styles" / "draft.toml"
    draft.write_text(
        'extends = "briefing"\n[typography]\nhyphenate = false\njustify = false\n'
        "smart_punctuation = false\n",
        encoding="utf-8",
    )
    counts = check(_build(tmp_path, draft) / "morning-briefing.pdf")
    assert counts.straight_quotes > 5 and counts.hyphenated == 0, counts.line()
    assert counts.right_edge_spread > 3, counts.line()


def test_the_checker_counts_a_widow_and_an_orphan() -> None:
    from .typeset_check import Block, Line, breaks_at_page_end

    def block(*rights: float) -> Block:
        return Block([Line("words go on", 72, right, 0, 10) for right in rights])

    # a paragraph runs on from one page to the next, leaving one line behind: an orphan
    page = [block(500, 500, 300), block(500)]
    assert breaks_at_page_end(page, [[block(500, 500, 200)]]) == (0, 1)
    # ... or carrying one line over: a widow
    assert breaks_at_page_end([block(500, 500, 500)], [[block(200)]]) == (1, 0)
    # a paragraph that ends with the page is neither
    ends = [Block([Line("it ended.", 72, 500, 0, 10)])]
    assert breaks_at_page_end(ends, [[block(200)]]) == (0, 0)


def test_hyphenated_words_come_back_whole_in_the_tagged_text(tmp_path: Path) -> None:
    pdfinfo = require_tool("pdfinfo")
    pdf = tmp_path / "seed.pdf"
    convert.write(convert.load(SEED), pdf)
    lines = pdf_text(pdf).splitlines()
    split = [
        (re.findall(r"\w+", line)[-1], re.findall(r"\w+", following)[0])
        for line, following in itertools.pairwise(lines)
        if line.endswith("\xad") and re.findall(r"\w+", following)
    ]
    assert len(split) > 10  # lines end in (soft) hyphens
    struct = subprocess.run([pdfinfo, "-struct-text", str(pdf)], capture_output=True,
                            text=True, check=True).stdout  # fmt: skip
    words = set(re.findall(r"\w+", struct))
    for head, tail in split:
        assert head + tail in words, (head, tail)
    assert "\xad" not in struct and not re.search(r"\w-\s", struct)


@pytest.mark.parametrize(
    ("language", "read", "shown"),
    [
        ("en", '"We are only beginning," he said -- it\'s the 1990s...',
         "“We are only beginning,” he said – it’s the 1990s…"),
        ("en", "Don't 'quote' me---ever.", "Don’t ‘quote’ me—ever."),
        ("de", 'Er sagte: "Wir sind erschüttert."', "Er sagte: „Wir sind erschüttert.“"),
        ("fr", 'Il a dit : "Nous sommes là" -- l\'homme.',
         "Il a dit : «\u202fNous sommes là\u202f» – l’homme."),
        ("uk", '"Київ" --- столиця', "«Київ» — столиця"),
        ("ru", 'Он сказал: "да".', "Он сказал: «да»."),
        ("zh", '他说"你好"...', '他说"你好"...'),
        ("ja", "「こんにちは」...", "「こんにちは」..."),
        ("en", 'See https://example.org/a--b?q="x" now.', 'See https://example.org/a--b?q="x" now.'),
    ],
)  # fmt: skip
def test_typographic_punctuation_per_language(language: str, read: str, shown: str) -> None:
    assert typeset_text(read, language) == shown


def test_quotes_open_and_close_across_inline_runs_and_skip_code() -> None:
    paragraph = ir.Paragraph((
        ir.Text('He said "'), ir.Emph((ir.Text("never"),)), ir.Text('" and typed '),
        ir.Code('"--force"'), ir.Text("."),
    ))  # fmt: skip
    (shown,) = typeset_blocks((paragraph,), "en")
    assert isinstance(shown, ir.Paragraph)
    assert shown.content[0] == ir.Text("He said “")
    assert shown.content[2] == ir.Text("” and typed ")
    assert shown.content[3] == ir.Code('"--force"')


def test_the_ir_keeps_the_text_as_read_and_every_format_shows_the_marks(tmp_path: Path) -> None:
    article = ir.Article(
        meta=ir.Meta(title='A "quoted" title', language="en"),
        blocks=(ir.Paragraph((ir.Text('She said "yes" -- twice.'),)),),
    )
    collection = ir.Collection(articles=(article,))
    for name in ("brief.pdf", "brief.docx", "brief.epub", "brief.html", "brief.json"):
        convert.write(collection, tmp_path / name)
    assert convert.load(tmp_path / "brief.json").articles[0].blocks == article.blocks
    for name in ("brief.pdf", "brief.docx", "brief.epub"):  # the embedded IR too
        assert convert.load(tmp_path / name).articles[0].blocks == article.blocks
    assert "She said “yes” – twice." in pdf_text(tmp_path / "brief.pdf")
    with zipfile.ZipFile(tmp_path / "brief.docx") as docx:
        assert "She said “yes” – twice." in docx.read("word/document.xml").decode()
    with zipfile.ZipFile(tmp_path / "brief.epub") as epub:
        pages = [n for n in epub.namelist() if n.endswith(".xhtml")]
        assert any("She said “yes” – twice." in epub.read(n).decode() for n in pages)
    assert "She said “yes” – twice." in (tmp_path / "brief.html").read_text("utf-8")


def test_a_style_switch_keeps_straight_quotes(tmp_path: Path) -> None:
    style = tmp_path / "plain.toml"
    style.write_text('extends = "briefing"\n[typography]\nsmart_punctuation = false\n', "utf-8")
    convert.write(convert.load(SEED), tmp_path / "seed.pdf", style=str(style))
    assert '"VIP service"' in pdf_text(tmp_path / "seed.pdf")


def test_languages_without_hyphenation() -> None:
    assert hyphenation_language("en") == "en"
    assert hyphenation_language("de-AT") == "de_AT"
    for tag in ("zh", "ja", "ko", "th", "hi", "ar", None, ""):
        assert hyphenation_language(tag) is None, tag


def test_kinsoku_lines_hang_closers_and_keep_openers_down() -> None:
    widths = [10.0] * 20
    # a comma where the line would break: it hangs at the line's end
    text = "一二三四五，六七八九十一二三四五六七八九"
    lines = kinsoku_lines(text, widths, [50.0])
    assert all(text[s] not in "，" for s, _, _ in lines[1:])
    assert text[lines[0][0] : lines[0][1]] == "一二三四五，"
    # three closers: the character before them goes down with them
    text = "一二三四五。」）六七八九十一二三四五六七"
    lines = kinsoku_lines(text, widths, [50.0])
    assert text[lines[1][0]] == "五", [text[s:e] for s, e, _ in lines]
    # an opening mark never ends a line
    text = "一二三四「五六七八九十一二三四五六七八九"
    lines = kinsoku_lines(text, widths, [50.0])
    assert text[lines[0][0] : lines[0][1]] == "一二三四", [text[s:e] for s, e, _ in lines]


def test_chinese_lines_obey_the_line_breaking_rules(tmp_path: Path) -> None:
    require_tool("pdftotext")
    clauses = ["中文排版规则", "标点符号", "不能出现在行首", "（括号）", "「引号」", "。”", "，"]
    text = "".join(clauses[(i * 7) % len(clauses)] + "测试文字" for i in range(300))
    source = tmp_path / "rules.md"
    paragraphs = "\n\n".join(text[i : i + 700] for i in range(0, len(text), 700))
    source.write_text(f"---\ntitle: 禁则\nlanguage: zh\n---\n\n{paragraphs}\n", "utf-8")
    convert.write(convert.load(source), tmp_path / "rules.pdf")
    counts = check(tmp_path / "rules.pdf")
    assert counts.kinsoku == 0, counts.line()


def test_docx_hyphenates_justifies_and_numbers_its_contents(tmp_path: Path) -> None:
    out = _build(tmp_path)
    docx = out / "morning-briefing.docx"
    with zipfile.ZipFile(docx) as package:
        settings = package.read("word/settings.xml").decode()
        styles = package.read("word/styles.xml").decode()
        document = package.read("word/document.xml").decode()
    assert "<w:autoHyphenation/>" in settings and '<w:updateFields w:val="true"/>' in settings
    assert settings.index("w:autoHyphenation") < settings.index("w:updateFields")
    assert re.search(r'w:styleId="BodyText".*?<w:jc w:val="both"/>', styles, re.S)
    assert "<w:widowControl/>" in styles
    assert 'w:leader="dot"' in styles
    assert document.count("PAGEREF article_") == 7
    # LibreOffice fills the numbers: each is the page its article starts on
    pdf = libreoffice_pdf([docx], tmp_path / "lo")[0]
    pages = pdf_text(pdf).split("\f")
    entries = re.findall(r"^(.+?)\.{3,}\s*(\d+)$", pages[1] + pages[2], re.M)
    assert len(entries) >= 5, pages[1][:2000]
    for title, number in entries:
        start = normalise_space(title)[:30]
        found = next(
            (n for n, page in enumerate(pages, 1) if n > 2 and start in normalise_space(page)),
            None,
        )
        assert found == int(number), (title, number, found)


def test_epub_css_hyphenates_and_keeps_lines_together(tmp_path: Path) -> None:
    out = _build(tmp_path)
    with zipfile.ZipFile(out / "morning-briefing.epub") as epub:
        css = next(epub.read(n).decode() for n in epub.namelist() if n.endswith(".css"))
    assert "hyphens: auto" in css and "widows: 2" in css and "orphans: 2" in css
    assert ":lang(zh)" in css and "text-align: justify" in css


@pytest.mark.parametrize("follower", ["quote", "picture"])
def test_a_heading_stays_with_the_quote_or_picture_after_it(tmp_path: Path, follower: str) -> None:
    """However much text comes before it, a heading never ends a page: what follows it (a
    quote, a picture) starts on the same page."""
    require_tool("pdftotext")
    shutil.copy(FIXTURES / "pictures" / "harbour.jpg", tmp_path / "harbour.jpg")
    after = (
        "> Quoted words follow the heading.\n"
        if follower == "quote"
        else "![Harbour at dawn](harbour.jpg)\n\nPicture words follow the heading.\n"
    )
    filler = "Filler sentence that takes up a line or so of the page. " * 3
    seen_split = False
    for lines in range(20, 44, 2):
        source = tmp_path / f"h{lines}.md"
        body = "\n\n".join([filler] * lines)
        source.write_text(f"# Page\n\n{body}\n\n## The heading\n\n{after}", encoding="utf-8")
        pdf = tmp_path / f"h{lines}.pdf"
        convert.write(convert.load(source), pdf)
        pages = pdf_text(pdf).split("\f")
        (page,) = [p for p in pages if "The heading" in p]
        if follower == "quote":
            assert "Quoted words" in page, lines
        else:  # the page pdfimages finds the picture on
            listed = subprocess.run([require_tool("pdfimages"), "-list", str(pdf)],
                                    capture_output=True, text=True, check=True).stdout  # fmt: skip
            assert int(listed.splitlines()[2].split()[0]) == pages.index(page) + 1, lines
        seen_split = seen_split or pages.index(page) > 0
    assert seen_split  # some of the lengths put the heading on the second page


def test_a_latin_word_in_chinese_text_is_not_cut_at_the_line_end() -> None:
    text = "中" * 26 + " Reuters " + "文" * 30
    widths = [10.0] * len(text)
    lines = kinsoku_lines(text, widths, [300.0])  # 30 characters a line
    shown = [text[s:e] for s, e, _ in lines]
    assert shown[0] == "中" * 26 + " " and shown[1].startswith("Reuters"), shown


def test_a_line_break_in_a_chinese_paragraph_holds(tmp_path: Path) -> None:
    paragraph = ir.Paragraph((ir.Text("第一行文字"), ir.LineBreak(), ir.Text("第二行文字"),
                              ir.Emph((ir.Text("强调"),))))  # fmt: skip
    article = ir.Article(meta=ir.Meta(title="换行", language="zh"), blocks=(paragraph,))
    convert.write(ir.Collection(articles=(article,)), tmp_path / "zh.pdf")
    lines = [line.strip() for line in pdf_text(tmp_path / "zh.pdf").splitlines()]
    assert "第一行文字" in lines and any(line.startswith("第二行文字") for line in lines)
