"""The document plan: one decision, three renderings that agree (the drift cases stay gone)."""

from __future__ import annotations

import dataclasses
import io
import json
import re
import subprocess
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

import convert
from convert.model import ir
from convert.plan.layout import LINE_ROLES, article_head, plan
from convert.plan.styles import ROLES, load_style
from convert.plan.words import WORDS, words_for

from .conftest import IR_FIXTURES, pdf_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XHTML = "{http://www.w3.org/1999/xhtml}"
STYLE = load_style(None)


def _article(title: str, language: str, **meta: object) -> ir.Article:
    return ir.Article(
        meta=ir.Meta(title=title, language=language, **meta),  # type: ignore[arg-type]
        blocks=(
            ir.paragraph("Body text."),
            ir.Image(src="https://example.org/p.jpg", alt="harbour"),
        ),
    )


def _docx_paragraphs(data: bytes) -> list[tuple[str, str]]:
    """(style id, text) of every body paragraph."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    out = []
    for p in root.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        text = "".join(t.text or "" for t in p.iter(f"{W}t"))
        out.append((style.get(f"{W}val") if style is not None else "", text))
    return out


def _epub_documents(data: bytes) -> dict[str, etree._Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            name: etree.fromstring(archive.read(name))
            for name in archive.namelist()
            if name.endswith(".xhtml")
        }


def _render(collection: ir.Collection, fmt: str, tmp_path: Path) -> Path:
    path = tmp_path / f"out.{fmt}"
    convert.write(collection, path)
    return path


# --------------------------------------------------------------------------- the words


def test_words_exist_for_english_chinese_japanese_and_fall_back_to_english() -> None:
    assert set(WORDS) == {"en", "zh", "ja"}
    assert words_for("ja-JP").image == "画像"
    assert words_for("zh-CN").image == "图片"
    assert words_for("fr").image == words_for(None).image == "Image"
    assert words_for("en").count(1) == "1 article" and words_for("en").count(3) == "3 articles"
    assert words_for("zh").count(3) == "3篇文章"
    assert words_for("ja").page_of_pages.format(page=2, pages=5) == "2 / 5 ページ"


def test_every_role_the_plan_uses_has_typography_in_the_style() -> None:
    assert set(LINE_ROLES) <= set(ROLES)
    document = plan(convert.load(IR_FIXTURES / "every-node.json"), STYLE)
    used = {line.role for a in document.articles for line in (*a.head, *a.tail)}
    used |= {line.role for line in document.title_page}
    assert used <= set(STYLE.roles)


def test_the_plan_orders_head_lines_and_keeps_the_subtitle_in_its_own_role() -> None:
    document = plan(convert.load(IR_FIXTURES / "every-node.json"), STYLE)
    roles = [line.role for line in document.articles[0].head]
    assert roles == [
        "label",
        "breadcrumb",
        "title",
        "subtitle",
        "original_title",
        "meta",
        "summary",
    ]
    assert [line.role for line in document.articles[0].tail] == ["editors", "url"]


def test_contents_groups_keep_document_order_and_group_consecutive_sections() -> None:
    articles = tuple(
        ir.Article(meta=ir.Meta(title=t, section=(s,) if s else ()))
        for t, s in (("A", "World"), ("B", "World"), ("C", "Economy"), ("D", "World"), ("E", ""))
    )
    document = plan(ir.Collection(title="T", articles=articles), STYLE)
    groups = [(g.title, [r.title for r in g.rows]) for g in document.contents]
    assert groups == [
        ("World", ["A", "B"]),
        ("Economy", ["C"]),
        ("World", ["D"]),
        ("Briefing", ["E"]),
    ]
    flat = plan(ir.Collection(title="T", articles=articles[4:] * 2), STYLE)
    assert [g.title for g in flat.contents] == [""]


# --------------------------------------------------------------------------- the drift cases


def test_the_subtitle_has_the_subtitle_role_in_docx_pdf_and_epub(tmp_path: Path) -> None:
    article = ir.Article(
        meta=ir.Meta(title="Head", subtitle="Kicker line", original_title="Old head"),
        blocks=(ir.paragraph("Body."),),
    )
    collection = ir.Collection(articles=(article,))
    docx = _docx_paragraphs(_render(collection, "docx", tmp_path).read_bytes())
    assert ("Subtitle", "Kicker line") in docx
    assert ("OriginalTitle", "Original title: Old head") in docx
    epub = _epub_documents(_render(collection, "epub", tmp_path).read_bytes())
    classes = {
        "".join(p.itertext()): p.get("class")
        for doc in epub.values()
        for p in doc.iter(f"{XHTML}p")
    }
    assert classes["Kicker line"] == "subtitle"
    assert classes["Original title: Old head"] == "original-title"
    sizes = _pdf_sizes(_render(collection, "pdf", tmp_path))
    assert sizes["Kicker line"] == STYLE.roles["subtitle"].size
    assert sizes["Original title: Old head"] == STYLE.roles["original_title"].size


def _pdf_sizes(path: Path) -> dict[str, float]:
    """Text shown on the first page -> the font size it is drawn in."""
    from pypdf import PdfReader

    sizes: dict[str, float] = {}
    current: list[tuple[str, float]] = []

    def visit(text: str, cm: object, tm: list[float], font: object, size: float) -> None:
        if text.strip():
            current.append((text.strip(), round(size * abs(tm[3]) if tm[3] else size, 2)))

    PdfReader(path).pages[0].extract_text(visitor_text=visit)
    for text, size in current:
        sizes.setdefault(text, size)
    return sizes


@pytest.mark.parametrize(("language", "word"), [("ja", "画像"), ("zh", "图片"), ("en", "Image")])
def test_an_image_is_named_in_its_articles_language_in_every_format(
    tmp_path: Path, language: str, word: str
) -> None:
    collection = ir.Collection(articles=(_article("T", language),))
    docx = " ".join(
        t for _, t in _docx_paragraphs(_render(collection, "docx", tmp_path).read_bytes())
    )
    assert f"[{word}: harbour · example.org]" in docx
    epub = _epub_documents(_render(collection, "epub", tmp_path).read_bytes())
    assert any(f"[{word}: harbour · example.org]" in "".join(d.itertext()) for d in epub.values())
    assert f"[{word}: harbour · example.org]" in pdf_text(
        _render(collection, "pdf", tmp_path)
    ).replace("\n", "")
    for other in {"画像", "图片", "Image"} - {word}:
        assert f"[{other}:" not in docx


def test_the_masthead_band_holds_publisher_title_issue_and_date_in_every_format(
    tmp_path: Path,
) -> None:
    collection = ir.Collection(
        title="Morning briefing",
        publisher="Press Office",
        issue="No. 7",
        date=date(2026, 11, 25),
        marking="RESTRICTED",
        sections=(ir.Section("Home", 2),),
        articles=(_article("One", "en"), _article("Two", "en")),
    )
    document = plan(collection, STYLE)
    assert [(line.role, line.text) for line in document.masthead] == [
        ("masthead_publisher", "Press Office"),
        ("masthead_title", "Morning briefing"),
        ("masthead_issue", "No. 7 · 25 November 2026"),
    ]
    below = [(line.role, line.text) for line in document.title_page]
    assert below[0] == ("cover_marking", "RESTRICTED")
    assert ("cover_sections", "Home — 2 articles") in below
    docx = _docx_paragraphs(_render(collection, "docx", tmp_path).read_bytes())
    assert docx[:3] == [
        ("MastheadPublisher", "Press Office"),
        ("MastheadTitle", "Morning briefing"),
        ("MastheadIssue", "No. 7 · 25 November 2026"),
    ]
    epub = _epub_documents(_render(collection, "epub", tmp_path).read_bytes())
    band = next(
        d for d in epub["EPUB/text/title.xhtml"].iter(f"{XHTML}div") if d.get("class") == "masthead"
    )
    assert "".join(band.itertext()) == "Press OfficeMorning briefingNo. 7 · 25 November 2026"
    shown = pdf_text(_render(collection, "pdf", tmp_path), first=1).splitlines()
    cover = [ln.strip() for ln in shown if ln.strip()]
    assert cover[:3] == ["Press Office", "Morning briefing", "No. 7 · 25 November 2026"]
    assert "Home — 2 articles" in cover


def test_without_a_masthead_the_publisher_is_on_the_cover_facts_line(tmp_path: Path) -> None:
    collection = ir.Collection(
        title="Morning briefing",
        publisher="Press Office",
        date=date(2026, 11, 25),
        articles=(_article("One", "en"), _article("Two", "en")),
    )
    line = "25 November 2026 · 2 articles · Press Office"
    base = load_style("base")
    assert plan(collection, base).masthead == ()
    assert plan(collection, base).title_page[-1].text == line
    path = tmp_path / "base.docx"
    convert.write(collection, path, style="base")
    assert ("CoverMeta", line) in _docx_paragraphs(path.read_bytes())
    path = tmp_path / "base.pdf"
    convert.write(collection, path, style="base")
    assert line in [ln.strip() for ln in pdf_text(path, first=1).splitlines()]


def test_the_quote_indent_is_the_styles_in_docx_pdf_and_epub(tmp_path: Path) -> None:
    from docx import Document

    from convert.writers.pdf._flowables import Builder, Progress
    from convert.writers.pdf._fonts import Fonts

    indent = STYLE.roles["quote"].left_indent
    path = _render(convert.load(IR_FIXTURES / "every-node.json"), "docx", tmp_path)
    assert Document(str(path)).styles["Quote"].paragraph_format.left_indent.pt == indent
    builder = Builder(STYLE, Fonts(STYLE), Progress(), "en")
    assert builder.para_style("quote", False).leftIndent == indent
    with zipfile.ZipFile(
        _render(convert.load(IR_FIXTURES / "every-node.json"), "epub", tmp_path)
    ) as book:
        rules = book.read("EPUB/style/briefkit.css").decode()
    quote_rule = next(r for r in rules.splitlines() if r.startswith("blockquote"))
    expected = f"{indent / STYLE.roles['body'].size:.3f}rem"
    assert re.search(rf"margin: \S+ 0 \S+ {re.escape(expected)};", quote_rule)


def test_a_style_change_reaches_all_three_writers(tmp_path: Path) -> None:
    """A role's size in the style file is what DOCX, PDF and EPUB print."""
    path = tmp_path / "big.toml"
    path.write_text('extends = "briefing"\n[roles.title]\nsize = 31.0\n', "utf-8")
    style = load_style(str(path))
    collection = ir.Collection(articles=(ir.Article(meta=ir.Meta(title="Big title")),))
    out = tmp_path / "o"
    out.mkdir()
    from docx import Document

    convert.write(collection, out / "a.docx", style=style)
    assert Document(str(out / "a.docx")).styles["Title"].font.size.pt == 31.0
    convert.write(collection, out / "a.pdf", style=style)
    assert _pdf_sizes(out / "a.pdf")["Big title"] == 31.0
    convert.write(collection, out / "a.epub", style=style)
    with zipfile.ZipFile(out / "a.epub") as book:
        css = book.read("EPUB/style/briefkit.css").decode()
    size = f"{31.0 / style.roles['body'].size:.3f}rem"
    assert any(r.startswith("h1.title") and size in r for r in css.splitlines())


def test_the_footer_speaks_the_documents_language(tmp_path: Path) -> None:
    collection = ir.Collection(articles=(_article("标题", "zh"),))
    assert plan(collection, STYLE).footer == "第 {page} 页，共 {pages} 页"
    assert "第 1 页，共 1 页" in pdf_text(_render(collection, "pdf", tmp_path)).replace("\n", "")


def test_a_header_placeholder_without_a_value_leaves_no_dangling_separator() -> None:
    collection = ir.Collection(title="Week 12", articles=(ir.Article(meta=ir.Meta(title="A")),) * 2)
    document = plan(collection, STYLE)
    assert document.header(None) == "Week 12"
    sectioned = dataclasses.replace(
        document.articles[0],
        section="World",
    )
    assert document.header(sectioned) == "Week 12 — World"


@given(st.datetimes(timezones=st.none() | st.timezones()), st.sampled_from(["en", "zh", None]))
def test_a_time_is_shown_as_strftime_would(value: datetime, tag: str | None) -> None:
    from convert.plan.layout import format_when

    shown = format_when(value, tag)
    assert f"{value:%H:%M}" in shown
    assert str(value.year) in shown


def test_a_picture_not_at_hand_is_a_short_line() -> None:
    from convert.plan.layout import image_stand_in
    from convert.plan.words import words_for

    words = words_for("en")
    long = "https://www.example.org/" + "media/2026/03/" * 20 + "photo.jpg?w=1200&h=800"
    assert image_stand_in(ir.Image(src=long, alt="Boats at the quay"), words) == (
        "[Image: Boats at the quay · example.org]"
    )
    assert image_stand_in(ir.Image(src=long), words) == "[Image · example.org]"
    assert image_stand_in(ir.Image(src="pictures/harbour.jpg"), words) == "[Image: harbour.jpg]"


def test_a_summary_made_from_the_first_sentences_is_not_printed_above_them() -> None:
    from convert.app.briefing import summarize

    body = "The harbour reopened on Friday. Repairs will take a month. More later."
    article = summarize(
        ir.Article(meta=ir.Meta(title="Harbour"), blocks=(ir.Paragraph((ir.Text(body),)),))
    )
    assert dict(article.meta.extra)["summary_origin"] == "generated"
    head = article_head(article, 1, STYLE, "en").head
    assert "summary" not in [line.role for line in head]
    given = dataclasses.replace(
        article, meta=dataclasses.replace(article.meta, summary="Our own words.", extra=())
    )
    assert "summary" in [line.role for line in article_head(given, 1, STYLE, "en").head]
    two = ir.Collection(articles=(article, given))
    summaries = [row.summary for group in plan(two, STYLE).contents for row in group.rows]
    assert summaries[0]  # the contents still show it


def test_the_lead_picture_is_on_the_cover_in_every_format(tmp_path: Path) -> None:
    from .conftest import FIXTURES, libreoffice_pdf, require_tool

    pdfimages = require_tool("pdfimages")
    collection = dataclasses.replace(
        convert.combine([convert.load(FIXTURES / "text" / "xinhua-en.txt"),
                         convert.load(FIXTURES / "pictures" / "article.md")]),
        title="With pictures",
    )  # fmt: skip
    document = plan(collection, STYLE)
    assert document.cover_picture is not None
    article, image = document.cover_picture
    assert article.number == 2 and image.picture is not None

    def cover_images(pdf: Path) -> int:
        listed = subprocess.run([pdfimages, "-list", "-f", "1", "-l", "1", str(pdf)],
                                capture_output=True, text=True, check=True).stdout  # fmt: skip
        return len(listed.splitlines()) - 2

    assert cover_images(_render(collection, "pdf", tmp_path)) == 1
    docx = _render(collection, "docx", tmp_path)
    assert cover_images(libreoffice_pdf([docx], tmp_path / "lo")[0]) == 1
    epub = _epub_documents(_render(collection, "epub", tmp_path).read_bytes())
    assert list(epub["EPUB/text/title.xhtml"].iter(f"{XHTML}img"))
    html = _render(collection, "html", tmp_path).read_text("utf-8")
    cover = html[html.index('<header class="cover">') : html.index("</header>")]
    assert "<img" in cover
    # without the style's switch, no picture on the cover
    assert plan(collection, load_style("base")).cover_picture is None


# --------------------------------------------------------------------------- small decisions


def test_a_long_title_in_the_running_header_is_cut_at_a_word() -> None:
    from convert.plan.layout import clip_words

    assert clip_words("x" * 70) == "x" * 70  # at the limit: whole
    title = "Leaders meet on investment, promotion and the provincial plan for the coming year"
    clipped = clip_words(title)
    assert clipped == "Leaders meet on investment, promotion and the provincial plan for…"
    assert len(clipped) <= 70
    after_comma = "Harbour reopens after the storm, " + "a" * 80
    assert clip_words(after_comma, 40) == "Harbour reopens after the storm…"  # no comma left
    assert clip_words("b" * 80, 40) == "b" * 39 + "…"  # one long word: cut inside it


@pytest.mark.parametrize(
    ("src", "alt", "shown"),
    [
        ("https://www.example.org/p/boats.jpg", "Boats  at the\nquay", "[Image: Boats at the quay · example.org]"),
        ("pictures/boats.jpg", "Boats", "[Image: Boats]"),
        ("https://cdn.example.org/a/b/chart.png", "", "[Image · cdn.example.org]"),
        ("media/2021/chart-of-the-week.png", "", "[Image: chart-of-the-week.png]"),
        ("media/" + "n" * 80 + ".png", "", "[Image: " + "n" * 60 + "]"),
        ("", "", "[Image: ]"),
    ],
)  # fmt: skip
def test_a_picture_not_at_hand_is_described_in_words(src: str, alt: str, shown: str) -> None:
    from convert.plan.layout import image_stand_in

    assert image_stand_in(ir.Image(src=src, alt=alt), words_for("en")) == shown


def test_pictures_are_never_blown_up_and_fit_the_text_area() -> None:
    from convert.plan.layout import PICTURE_HEIGHT_SHARE, picture_size

    width_pt, height_pt = (side / 25.4 * 72 for side in STYLE.text_area_mm)
    small = ir.Picture("sha256:" + "0" * 64, "image/png", 120, 80)
    assert picture_size(small, STYLE) == (120, 80)  # a pixel is a point at most
    wide = ir.Picture("sha256:" + "0" * 64, "image/png", 4000, 1000)
    assert picture_size(wide, STYLE) == pytest.approx((width_pt, width_pt / 4))
    tall = ir.Picture("sha256:" + "0" * 64, "image/png", 1000, 4000)
    shown_height = height_pt * PICTURE_HEIGHT_SHARE
    assert picture_size(tall, STYLE) == pytest.approx((shown_height / 4, shown_height))


def test_a_picture_is_described_by_its_alt_text_then_its_caption_then_a_word() -> None:
    from convert.plan.layout import picture_alt

    words = words_for("en")
    caption = (ir.Text("The quay at dawn"),)
    assert picture_alt(ir.Image("a.jpg", "Boats", caption), words) == "Boats"
    assert picture_alt(ir.Image("a.jpg", " ", caption), words) == "The quay at dawn"
    assert picture_alt(ir.Image("a.jpg"), words) == words.image


@pytest.mark.parametrize(
    ("tag", "cjk", "direction"),
    [("ja", True, "ltr"), ("ko-KR", True, "ltr"), ("zh-Hant", True, "ltr"),
     ("ar", False, "rtl"), ("he-IL", False, "rtl"), ("en", False, "ltr"), (None, False, "ltr")],
)  # fmt: skip
def test_languages_set_the_script_and_direction_of_an_article(
    tag: str | None, cjk: bool, direction: str
) -> None:
    from convert.plan.layout import direction_of, is_cjk_language

    assert is_cjk_language(tag) is cjk and direction_of(tag) == direction


def test_heading_levels_map_to_three_heading_roles() -> None:
    from convert.plan.layout import heading_role

    assert [heading_role(n) for n in (0, 1, 2, 3, 4, 6)] == [
        "heading1", "heading1", "heading2", "heading3", "heading3", "heading3"
    ]  # fmt: skip


def _marked_plan(marking: str, footer: str) -> object:
    style = dataclasses.replace(STYLE, footer=footer)
    collection = ir.Collection(
        title="Week {12}", marking=marking, articles=(_article("One", "en"), _article("Two", "en"))
    )
    return plan(collection, style)


def test_the_marking_leads_the_footer_unless_the_footer_places_it() -> None:
    document = _marked_plan("RESTRICTED {internal}", "page {page} of {pages}")
    assert document.footer_text(2, 9) == "RESTRICTED {internal} · page 2 of 9"  # type: ignore[attr-defined]
    placed = _marked_plan("RESTRICTED", "page {page} · {marking}")
    assert placed.footer_text(2, 9) == "page 2 · RESTRICTED"  # type: ignore[attr-defined]
    alone = _marked_plan("RESTRICTED", "")
    assert alone.footer_text(1, 1) == "RESTRICTED"  # type: ignore[attr-defined]
    unmarked = _marked_plan("", "page {page} of {pages}")
    assert unmarked.footer_text(1, 3) == "page 1 of 3"  # type: ignore[attr-defined]


def test_the_running_header_names_the_article_and_its_source() -> None:
    style = dataclasses.replace(STYLE, header="{collection_title} | {article_title} | {source}")
    articles = (_article("One", "en", source="Coast Daily"), _article("Two", "en"))
    document = plan(ir.Collection(title="Week", marking="RESTRICTED", articles=articles), style)
    first, second = document.articles
    assert document.header(first) == "RESTRICTED · Week | One | Coast Daily"
    # Separators left dangling by an empty placeholder go.
    assert document.header(second) == "RESTRICTED · Week | Two"
    assert document.header(None) == "RESTRICTED · Week"


def test_sections_group_the_contents_in_order() -> None:
    articles = tuple(_article(t, "en") for t in ("A", "B", "C", "D"))
    collection = ir.Collection(
        title="Week",
        sections=(ir.Section("Politics", 1), ir.Section("Economy", 3)),
        articles=articles,
    )
    document = plan(collection, STYLE)
    groups = [(g.title, [r.title for r in g.rows]) for g in document.contents]
    assert groups == [("Politics", ["A"]), ("Economy", ["B", "C", "D"])]
    opening = [a.opens_section.title if a.opens_section else None for a in document.articles]
    assert opening == ["Politics", "Economy", None, None]


# --------------------------------------------------------------------------- what the plan says


@pytest.mark.parametrize(
    ("value", "tag", "shown"),
    [
        (datetime.fromisoformat("2021-03-20T13:21:00+00:00"), "en", "20 March 2021, 13:21 UTC"),
        (datetime.fromisoformat("2021-03-20T13:21:00+08:00"), "en",
         "20 March 2021, 13:21 UTC+08:00"),
        (datetime.fromisoformat("2021-03-20T13:21:00-03:30"), "en-CA",
         "20 March 2021, 13:21 UTC-03:30"),
        (datetime.fromisoformat("2021-03-20T13:21:00+09:00"), "ja", "2021年3月20日 13:21 UTC+09:00"),
        (datetime.fromisoformat("2021-03-20T13:21:00"), "zh-Hans", "2021年3月20日 13:21"),
        (date(2021, 3, 20), "ja-JP", "2021年3月20日"),
        (date(2021, 3, 20), "fr", "20 March 2021"),
    ],
)  # fmt: skip
def test_a_time_shows_its_offset_and_the_languages_date_order(
    value: datetime, tag: str, shown: str
) -> None:
    from convert.plan.layout import format_when

    assert format_when(value, tag) == shown


def test_only_a_pull_quote_or_quote_class_changes_a_boxs_role() -> None:
    from convert.plan.layout import div_role

    assert div_role(ir.Attr(classes=("pull-quote",)), "body") == "pull_quote"
    assert div_role(ir.Attr(classes=("blockquote", "wide")), "body") == "quote"
    assert div_role(ir.Attr(classes=("box", "aside")), "body") == "body"


def test_a_title_is_cut_at_a_word_only_in_its_second_half() -> None:
    from convert.plan.layout import clip_words

    early_space = "Short " + "x" * 80  # the only space in the first half: cut the word
    assert clip_words(early_space) == early_space[:69] + "…"
    third = "A" * 30 + " " + "x" * 60  # a space at 30 of 70: still the first half
    assert clip_words(third) == third[:69] + "…"
    late_space = "Rocket maker SpaceX sets a launch date for the crewed mission to the Moon"
    assert (
        clip_words(late_space)
        == "Rocket maker SpaceX sets a launch date for the crewed mission to the…"
    )
    assert clip_words("Launch of the rocket built by the makers of SpaceX, delayed again") == (
        "Launch of the rocket built by the makers of SpaceX, delayed again"
    )
    assert clip_words(
        "Delays: the rocket, the crew and the Moon landing of SpaceX " + "z" * 20
    ) == ("Delays: the rocket, the crew and the Moon landing of SpaceX…")


def test_only_a_web_address_names_its_site_in_a_pictures_stand_in() -> None:
    from convert.plan.layout import image_stand_in

    words = words_for("en")
    assert image_stand_in(ir.Image(src="ftp://files.example.org/pub/map.png"), words) == (
        "[Image: map.png]"
    )
    folder = "pictures/" + "archive/" * 10  # 89 characters, no file name
    assert image_stand_in(ir.Image(src=folder), words) == f"[Image: {folder[:60]}]"


def test_the_marking_alone_heads_a_page_with_nothing_else_to_say() -> None:
    style = dataclasses.replace(STYLE, header="{article_title}")
    untitled = ir.Collection(marking="RESTRICTED", articles=(_article("", "en"),) * 2)
    assert plan(untitled, style).header(None) == "RESTRICTED"
    placed = dataclasses.replace(STYLE, header="{marking} | {collection_title}")
    document = plan(dataclasses.replace(untitled, title="Week"), placed)
    assert document.header(None) == "RESTRICTED | Week"  # placed once, not led by it again


def _story(**extra: str) -> ir.Article:
    return ir.Article(
        meta=ir.Meta(title="Harbour reopens", language="en", source="Coast Daily",
                     published=datetime.fromisoformat("2026-12-02T09:00:00+00:00"),
                     extra=tuple(extra.items())),
        blocks=(ir.paragraph("The harbour reopened on Friday."),),
    )  # fmt: skip


def test_an_edition_marks_an_updated_story_and_names_who_else_reported_it() -> None:
    from convert.plan.layout import ALSO_REPORTED, UPDATED_FROM

    others = json.dumps([
        {"source": "Port Gazette", "published": "2026-12-02T08:30:00+00:00", "title": "x"},
        {"source": "Wire", "published": None},
        {"source": 7}, "nonsense",
    ])  # fmt: skip
    article = _story(**{UPDATED_FROM: "No. 1", ALSO_REPORTED: others})
    document = plan(ir.Collection(articles=(article, _story())), STYLE)
    meta_lines = [line.text for line in document.articles[0].head if line.role == "meta"]
    assert meta_lines[1:] == [
        "Updated; first printed in No. 1",
        "Also reported by: Port Gazette (2 December 2026, 08:30 UTC), Wire",
    ]
    rows = [row.detail for group in document.contents for row in group.rows]
    assert rows == [
        "Coast Daily · 2 December 2026, 09:00 UTC · Also reported by: Port Gazette "
        "(2 December 2026, 08:30 UTC), Wire",
        "Coast Daily · 2 December 2026, 09:00 UTC",
    ]
    for odd in ("{not json", '[{"source": 7}, "x"]', '{"source": "Wire"}'):
        broken = _story(**{ALSO_REPORTED: odd})  # from an IR file written elsewhere
        assert [line.role for line in article_head(broken, 1, STYLE, "en").head].count(
            "meta"
        ) == 1, odd
    undated = _story(**{ALSO_REPORTED: '[{"source": 7}, {"source": "Radio", "published": "x"}]'})
    assert article_head(undated, 1, STYLE, "en").head[-1].text == "Also reported by: Radio"
    chinese = dataclasses.replace(
        _story(
            **{ALSO_REPORTED: '[{"source": "新华社", "published": "2026-12-02T08:30:00+08:00"}]'}
        ),
    )
    chinese = dataclasses.replace(chinese, meta=dataclasses.replace(chinese.meta, language="zh"))
    assert article_head(chinese, 1, STYLE, "zh").head[-1].text == (
        "另见：新华社（2026年12月2日 08:30 UTC+08:00）"
    )


def test_the_source_line_and_contents_name_the_site_when_no_source_is_given() -> None:
    site_only = ir.Article(meta=ir.Meta(title="A", language="en", site="example.org"))
    neither = ir.Article(meta=ir.Meta(title="B", language="en", published=date(2026, 12, 1)))
    head = article_head(site_only, 1, STYLE, "en").head
    assert [line.text for line in head if line.role == "meta"] == ["example.org"]
    document = plan(ir.Collection(articles=(site_only, neither)), STYLE)
    assert [row.detail for row in document.contents[0].rows] == ["example.org", "1 December 2026"]


def test_a_summary_of_exactly_the_printed_length_is_printed_whole() -> None:
    from convert.plan.layout import SUMMARY_SHOWN, shown_summary

    exact = ("word " * SUMMARY_SHOWN)[:SUMMARY_SHOWN]
    assert shown_summary(exact) == exact
    assert shown_summary(exact + "s").endswith("…")


def test_a_generated_summary_is_left_out_of_the_head_only_when_the_body_opens_with_it() -> None:
    def with_summary(summary: str) -> ir.Article:
        return ir.Article(
            meta=ir.Meta(
                title="Harbour", summary=summary, extra=(("summary_origin", "generated"),)
            ),
            blocks=(ir.paragraph("The harbour reopened on Friday after the storm. More."),),
        )

    def roles(article: ir.Article) -> list[str]:
        return [line.role for line in article_head(article, 1, STYLE, "en").head]

    assert "summary" not in roles(with_summary("The harbour reopened on Friday after…"))
    assert "summary" in roles(with_summary("Ships sail again."))  # not the body's opening


def test_an_untitled_article_is_named_by_its_number_in_its_language() -> None:
    untitled = ir.Article(meta=ir.Meta(language="zh"), blocks=(ir.paragraph("正文。"),))
    assert article_head(untitled, 3, STYLE, "en").title == "第3篇"
    assert article_head(ir.Article(meta=ir.Meta()), 2, STYLE, "en").title == "Article 2"


def test_typographic_punctuation_is_the_articles_language_everywhere_but_addresses() -> None:
    article = ir.Article(
        meta=ir.Meta(title='Die "Hafen" -- Lage', language="de", summary='Er sagte "ja".',
                     editors=('Anna "Nan" Roe',), url='https://example.org/"a"--b'),
        blocks=(ir.paragraph('Sie sagte: "Nein".'),),
    )  # fmt: skip
    collection = ir.Collection(
        title='Woche "12"', subtitle='Die "Lage"', language="de", articles=(article, article),
        sections=(ir.Section('Politik "heute"', 2, intro='Was "zählt"'),),
    )  # fmt: skip
    document = plan(collection, STYLE)
    head = {line.role: line.text for line in document.articles[0].head}
    assert head["title"] == "Die „Hafen“ – Lage" and head["summary"] == "Er sagte „ja“."
    tail = {line.role: line.text for line in document.articles[0].tail}
    assert tail["editors"] == "(Editors: Anna „Nan“ Roe)"
    assert tail["url"] == 'https://example.org/"a"--b'  # an address stays as it is
    assert ir.plain_text(document.articles[0].body) == "Sie sagte: „Nein“.\n"
    group = document.contents[0]
    assert (group.title, group.intro) == ("Politik „heute“", "Was „zählt“")
    assert (group.rows[0].title, group.rows[0].summary) == ("Die „Hafen“ – Lage", "Er sagte „ja“.")
    assert "Die „Lage“" in [line.text for line in document.title_page]
    plain = dataclasses.replace(STYLE, typography={**STYLE.typography, "smart_punctuation": False})
    untouched = plan(collection, plain)
    assert untouched.articles[0].title == 'Die "Hafen" -- Lage'
    assert untouched.contents[0].title == 'Politik "heute"'
    assert not untouched.articles[0].smart_punctuation


def test_contents_summaries_cover_pictures_and_sections_follow_the_style() -> None:
    articles = tuple(
        dataclasses.replace(_article(t, "en"), meta=ir.Meta(title=t, summary=f"{t} in brief."))
        for t in ("A", "B", "C")
    )
    sectioned = ir.Collection(
        articles=articles,
        sections=(ir.Section("World", 2), ir.Section("Empty", 0), ir.Section("", 1)),
    )
    document = plan(sectioned, STYLE)
    assert document.has_sections and document.cover_picture is None  # base: no cover picture
    assert [(g.title, g.number, g.intro) for g in document.contents] == [
        ("World", 1, ""), ("", 3, ""),
    ]  # fmt: skip
    assert [r.title for r in document.contents[1].rows] == ["C"]
    assert [line.text for line in document.title_page if line.role == "cover_sections"] == [
        "World — 2 articles"
    ]
    assert [r.summary for g in document.contents for r in g.rows] == [
        "A in brief.", "B in brief.", "C in brief.",
    ]  # fmt: skip
    terse = dataclasses.replace(STYLE, layout={**STYLE.layout, "contents_summaries": False})
    for collection in (sectioned, ir.Collection(articles=articles)):
        rows = [r for g in plan(collection, terse).contents for r in g.rows]
        assert [r.summary for r in rows] == ["", "", ""]
    assert not plan(ir.Collection(articles=articles), STYLE).has_sections


def test_the_cover_date_is_in_the_collections_language_and_lists_only_what_it_has() -> None:
    articles = (_article("一", "zh"), _article("二", "zh"))
    collection = ir.Collection(
        title="周报", language="zh", date=date(2021, 3, 20), articles=articles
    )
    masthead = dataclasses.replace(STYLE, layout={**STYLE.layout, "cover_masthead": True})
    document = plan(collection, masthead)
    assert [line.text for line in document.masthead] == ["周报", "2021年3月20日"]
    assert [line.text for line in document.title_page if line.role == "cover_meta"] == ["2篇文章"]
    plain = dataclasses.replace(STYLE, layout={**STYLE.layout, "cover_masthead": False})
    cover = [line.text for line in plan(collection, plain).title_page if line.role == "cover_meta"]
    assert cover == ["2021年3月20日 · 2篇文章"]  # no issue, no publisher: nothing in their place


def test_a_long_summary_is_cut_at_its_last_word_or_at_the_limit() -> None:
    from convert.plan.layout import SUMMARY_SHOWN, shown_summary

    words = "abcdef " * 400  # the limit falls inside a word: cut at the space before it
    assert shown_summary(words) == words[:1994] + "…"
    unspaced = "新" * (SUMMARY_SHOWN - 1) + "\u3000" + "闻" * 100  # no space to cut at
    assert shown_summary(unspaced) == "新" * (SUMMARY_SHOWN - 1) + "…"
    early = "新" * 1000 + " " + "闻" * 1500  # the only space at the half: not a word cut
    assert shown_summary(early) == early[:SUMMARY_SHOWN] + "…"


def test_the_cover_picture_follows_the_style() -> None:
    article = convert.load(Path(__file__).parent.parent / "fixtures" / "pictures" / "article.md")
    with_cover = load_style("briefing")
    assert plan(article, with_cover).cover_picture is not None
    assert plan(article, load_style("base")).cover_picture is None
