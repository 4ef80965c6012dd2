"""Accessibility that can be checked in the files: DOCX tables, EPUB metadata from content."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import convert
from convert.model import ir

from .test_epub import CLEAN, epubcheck

HEADED = ir.Table(
    (((ir.Text("Port"),), (ir.Text("Ships"),)), ((ir.Text("Guiyang"),), (ir.Text("12"),))), 1
)
BARE = ir.Table((((ir.Text("a"),), (ir.Text("b"),)),), 0)


def _collection(*blocks: ir.Block) -> ir.Collection:
    article = ir.Article(
        ir.Meta(title="Freight figures", language="en"), (ir.paragraph("Figures."), *blocks)
    )
    return ir.Collection(articles=(article,))


def test_docx_tables_have_header_rows_and_alternative_text(tmp_path: Path) -> None:
    path = tmp_path / "t.docx"
    convert.write(_collection(HEADED), path)
    with zipfile.ZipFile(path) as archive:
        body = archive.read("word/document.xml").decode()
    table = re.search(r"<w:tbl>.*?</w:tbl>", body, re.S).group(0)  # type: ignore[union-attr]
    rows = re.findall(r"<w:tr>.*?</w:tr>", table, re.S)
    assert "<w:tblHeader/>" in rows[0] and "<w:tblHeader/>" not in rows[1]
    assert '<w:tblCaption w:val="Freight figures — 1"/>' in table
    assert '<w:tblDescription w:val="2 rows, 2 columns; columns: Port, Ships"/>' in table


def _opf(path: Path) -> str:
    with zipfile.ZipFile(path) as book:
        return book.read("EPUB/content.opf").decode()


def test_epub_accessibility_metadata_describes_the_content(tmp_path: Path) -> None:
    good = tmp_path / "good.epub"
    convert.write(_collection(HEADED, ir.Image("map.png", "Map of the port")), good)
    opf = _opf(good)
    assert '<meta property="schema:accessibilityFeature">table</meta>' in opf
    assert "1 table, 1 with marked header cells" in opf
    assert "1 picture given as described links" in opf
    assert '<meta property="dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.1 Level AA' in opf
    with zipfile.ZipFile(good) as book:
        assert '<th scope="col">' in book.read("EPUB/text/article-0001.xhtml").decode()
    assert epubcheck(good) == CLEAN
    bare = tmp_path / "bare.epub"
    convert.write(_collection(BARE), bare)
    opf = _opf(bare)
    assert "1 table, 0 with marked header cells" in opf
    assert "conformsTo" not in opf  # a table without header cells: no conformance claimed
    assert epubcheck(bare) == CLEAN


def test_low_contrast_styles_claim_no_conformance(tmp_path: Path) -> None:
    style = tmp_path / "pale.toml"
    style.write_text('extends = "briefing"\n[colors]\nmeta = "#bbbbbb"\n', "utf-8")
    path = tmp_path / "pale.epub"
    convert.write(_collection(), path, style=str(style))
    opf = _opf(path)
    assert "conformsTo" not in opf and "contrast" not in opf
