"""The html writer: one self-contained, accessible page that inspect reads back losslessly."""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

import pytest
from lxml import html as lxml_html

import convert
from convert.media import pictures
from convert.model import ir

from .conftest import EVERY_NODE, FIXTURES, SEED, THREE, build


def test_a_briefing_page_reads_back_exactly(tmp_path: Path) -> None:
    path = build(tmp_path, THREE, "week.html", "-M", "title=Week 12", "-M", "issue=No. 12")
    assert convert.load(path) == convert.load(build(tmp_path, THREE, "week.json",
                                                    "-M", "title=Week 12", "-M", "issue=No. 12"))  # fmt: skip
    page = lxml_html.fromstring(path.read_bytes())
    assert page.get("lang") == "en"
    assert page.find(".//title").text == "Week 12"
    assert [a.get("href") for a in page.iter("a") if a.getparent().tag == "li"][:3] == [
        "#article-1",
        "#article-2",
        "#article-3",
    ]
    chinese = page.get_element_by_id("article-2")
    assert chinese.get("lang") == "zh" and chinese.get("aria-labelledby") == "article-2-t"
    assert page.get_element_by_id("article-2-t").tag == "h1"
    assert page.find(".//main") is not None and page.find(".//nav") is not None


def test_pictures_are_inlined_and_come_back_byte_for_byte(tmp_path: Path) -> None:
    source = FIXTURES / "pictures" / "article.md"
    path = build(tmp_path, [source], "harbour.html")
    text = path.read_text(encoding="utf-8")
    assert 'src="data:image/jpeg;base64,' in text and 'src="data:image/png;base64,' in text
    original = convert.load(source)
    back = convert.load(path)
    assert [p.digest for p, _ in pictures.distinct(back)] == [
        p.digest for p, _ in pictures.distinct(original)
    ]
    assert [d for _, d in pictures.distinct(back)] == [d for _, d in pictures.distinct(original)]
    page = lxml_html.fromstring(text)
    for image in page.iter("img"):
        assert image.get("alt")  # every picture has its alternative text


def test_the_page_loads_nothing_and_runs_nothing(tmp_path: Path) -> None:
    path = build(tmp_path, [FIXTURES / "pictures" / "article.md", EVERY_NODE], "all.html")
    page = lxml_html.fromstring(path.read_bytes())
    scripts = list(page.iter("script"))
    assert [s.get("type") for s in scripts] == ["application/json"]
    for element in page.iter():
        for name, value in element.attrib.items():
            assert not name.startswith("on"), (element.tag, name)
            if name in ("src", "srcset", "poster", "data"):
                assert value.startswith("data:"), (element.tag, value[:60])
    assert page.find(".//link") is None and page.find(".//iframe") is None
    assert "@import" not in path.read_text(encoding="utf-8")


def test_hostile_text_is_text(tmp_path: Path) -> None:
    title = '<script>alert(1)</script></script><img src=x onerror=alert(2)> & "quotes"'
    article = ir.Article(
        meta=ir.Meta(title=title, summary="</script><script>alert(3)</script>"),
        blocks=(ir.Paragraph((ir.Text("<b>not bold</b>"),)),),
    )
    out = tmp_path / "hostile.html"
    convert.write(article, out)
    text = out.read_text(encoding="utf-8")
    assert "<script>alert" not in text and "<img src=x" not in text and "<b>not" not in text
    page = lxml_html.fromstring(text)
    # shown as text (with typographic quotes); the IR keeps it as read
    assert page.find(".//h1").text_content() == title.replace('"quotes"', "“quotes”")
    assert convert.load(out).articles[0].meta.title == title


def test_the_same_input_gives_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = build(tmp_path, [SEED], "a.html").read_bytes()
    second = build(tmp_path, [SEED], "b.html").read_bytes()
    assert first == second
    assert re.search(rb'<meta name="dcterms.title" content="Chen Yiqin', first)


def test_an_article_in_a_right_to_left_language_says_so(tmp_path: Path) -> None:
    arabic = convert.read(FIXTURES / "scripts" / "arabic.txt")[0]
    english = convert.read(SEED)[0]
    out = tmp_path / "mixed.html"
    convert.write([english, arabic], out)
    page = lxml_html.fromstring(out.read_bytes())
    article = page.get_element_by_id("article-2")
    assert article.get("lang") == arabic.meta.language and article.get("dir") == "rtl"
    alone = tmp_path / "arabic.html"
    convert.write(dataclasses.replace(arabic), alone)
    assert lxml_html.fromstring(alone.read_bytes()).get("dir") == "rtl"
    assert os.path.getsize(alone) > 0
