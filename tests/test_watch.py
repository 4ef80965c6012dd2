"""Watch terms: a section keeps what concerns it, its terms marked in every format."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pikepdf
import pytest

from convert.app.watch import Terms, watched
from convert.model import ir

from .conftest import FIXTURES, SEED, TEXT, ZH


def _article(title: str, *paragraphs: str) -> ir.Article:
    return ir.Article(
        meta=ir.Meta(title=title),
        blocks=tuple(ir.Paragraph((ir.Text(p),)) for p in paragraphs),
    )


@pytest.mark.parametrize(
    ("term", "text", "found"),
    [
        ("Guizhou", "Leaders in GUIZHOU met.", True),  # case
        ("Guizhou", "Leaders in Ｇｕｉｚｈｏｕ met.", True),  # full width
        ("investment promotion", "new Investment\n promotion rules", True),  # spaces
        ("port", "The report said so.", False),  # whole words in spaced scripts
        ("port", "The port reopened.", True),
        ("招商", "奋力实现产业招商新突破", True),  # substrings in Chinese
        ("東京", "東京都の発表", True),
        ("Guizhou", "Guizhouese", False),
    ],
)
def test_terms_match_as_a_reader_expects(term: str, text: str, found: bool) -> None:
    assert bool(Terms([term]).found(text)) is found


def test_matches_are_marked_in_the_body_and_listed() -> None:
    article = _article(
        "Port news",
        "The port of Guiyang: GUIZHOU's hub.",
        "Nothing here.",
    )
    kept = watched(article, Terms(["Guizhou", "port"]), Terms([]))
    assert kept is not None
    assert dict(kept.meta.extra)["matched"] == "Guizhou, port"
    first = kept.blocks[0]
    assert isinstance(first, ir.Paragraph)
    marked = [n for n in first.content if isinstance(n, ir.Span)]
    assert [ir.plain_text(m.content) for m in marked] == ["port", "GUIZHOU"]
    assert ir.plain_text(first.content) == "The port of Guiyang: GUIZHOU's hub."
    assert kept.blocks[1] == article.blocks[1]


def test_exclude_wins_and_no_match_leaves_out() -> None:
    article = _article("Guizhou sport", "The Guizhou football team won.")
    assert watched(article, Terms(["Guizhou"]), Terms(["football"])) is None
    assert watched(article, Terms(["Shanghai"]), Terms([])) is None
    assert watched(article, Terms([]), Terms(["tennis"])) == article


def test_a_watched_section_in_every_format(tmp_path: Path) -> None:
    manifest = tmp_path / "watch.toml"
    manifest.write_text(
        textwrap.dedent(
            f"""
            title = "Watch"
            [outputs]
            docx = "watch.docx"
            pdf = "watch.pdf"
            epub = "watch.epub"
            html = "watch.html"
            json = "watch.json"
            [[section]]
            title = "Guizhou"
            match = ["investment promotion", "招商"]
            exclude = ["ocean floor"]
            sources = ["{SEED}", "{ZH}", "{TEXT / "xinhua-en.txt"}"]
            """
        ),
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "convert", "build", str(manifest)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Guizhou: 1 article left out (no watch term)" in result.stderr
    data = json.loads((tmp_path / "watch.json").read_text("utf-8"))
    matched = [dict(a["meta"]["extra"])["matched"] for a in data["articles"]]
    assert matched == ["investment promotion", "招商"]
    docx = zipfile.ZipFile(tmp_path / "watch.docx").read("word/document.xml").decode()
    assert '<w:shd w:val="clear" w:color="auto" w:fill="FFF0A0"/>' in docx
    html = (tmp_path / "watch.html").read_text("utf-8")
    assert "<mark>招商</mark>" in html
    with zipfile.ZipFile(tmp_path / "watch.epub") as book:
        chapters = [book.read(n).decode() for n in book.namelist() if "article-" in n]
    assert any("<mark>" in chapter for chapter in chapters)
    with pikepdf.open(tmp_path / "watch.pdf") as pdf:
        drawn = b"".join(
            page.Contents.read_bytes() if not isinstance(page.Contents, pikepdf.Array)
            else b"".join(c.read_bytes() for c in page.Contents)
            for page in pdf.pages
        )  # fmt: skip
    assert b"1 .941176 .627451 rg" in drawn  # the highlight's fill colour


def test_the_manifest_checks_its_terms(tmp_path: Path) -> None:
    from convert.app.briefing import ManifestError, load_manifest

    manifest = tmp_path / "bad.toml"
    manifest.write_text(
        f'title = "T"\n[outputs]\njson = "t.json"\n[[section]]\ntitle = "S"\n'
        f'match = ["ok", 3]\nsources = ["{FIXTURES / "text" / "xinhua-en.txt"}"]\n',
        encoding="utf-8",
    )
    with pytest.raises(ManifestError, match=r"section\[0\]\.match\[1\]"):
        load_manifest(manifest)


def _marked(inlines: tuple[ir.Inline, ...]) -> list[str]:
    """The texts of the match spans among ``inlines``, at any depth."""
    out: list[str] = []
    for node in inlines:
        if isinstance(node, ir.Span) and "match" in node.attr.classes:
            out.append("".join(t.text for t in node.content if isinstance(t, ir.Text)))
        elif isinstance(node, ir.Emph | ir.Strong | ir.Link | ir.Span):
            out += _marked(node.content)
    return out


def test_terms_are_marked_in_every_kind_of_block_but_code_and_only_once() -> None:
    def words(text: str) -> tuple[ir.Inline, ...]:
        return (ir.Text(text),)

    article = ir.Article(
        meta=ir.Meta(title="Port news"),
        blocks=(
            ir.Paragraph(
                (
                    ir.Emph(words("Guizhou")),
                    ir.Text(" and "),
                    ir.Link("https://example.org/", (ir.Strong(words("the port")),)),
                    ir.LineBreak(),
                    ir.Code("port = 1"),
                    ir.Text(" Port"),
                )
            ),
            ir.Quote((ir.Paragraph(words("Guizhou said so.")),)),
            ir.ListBlock(False, ((ir.Paragraph(words("a port")),), (ir.Rule(),))),
            ir.Table(((words("Region"), words("Guizhou")),), header_rows=1),
            ir.Div(ir.Attr(classes=("box",)), (ir.Heading(2, words("Port of call")),)),
        ),
    )
    kept = watched(article, Terms(["guizhou", "PORT"]), Terms([]))
    assert kept is not None
    assert dict(kept.meta.extra)["matched"] == "guizhou, PORT"
    paragraph, quote, listing, table, div = kept.blocks
    assert isinstance(paragraph, ir.Paragraph)
    assert _marked(paragraph.content) == ["Guizhou", "port", "Port"]
    assert ir.Code("port = 1") in paragraph.content  # code is shown as it is
    assert isinstance(quote, ir.Quote) and isinstance(quote.blocks[0], ir.Paragraph)
    assert _marked(quote.blocks[0].content) == ["Guizhou"]
    assert isinstance(listing, ir.ListBlock) and isinstance(listing.items[0][0], ir.Paragraph)
    assert _marked(listing.items[0][0].content) == ["port"]
    assert listing.items[1] == (ir.Rule(),)
    assert isinstance(table, ir.Table)
    assert [_marked(cell) for cell in table.rows[0]] == [[], ["Guizhou"]]
    assert isinstance(div, ir.Div) and isinstance(div.blocks[0], ir.Heading)
    assert _marked(div.blocks[0].content) == ["Port"]
    # the same section watching it again (an edition re-run) marks nothing twice
    assert watched(kept, Terms(["guizhou", "PORT"]), Terms([])) == kept
