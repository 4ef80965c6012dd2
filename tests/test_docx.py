"""DOCX briefings: writer, reader, metadata, LibreOffice, determinism."""

from __future__ import annotations

import io
import json
import re
import subprocess
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from lxml import etree

import convert
from convert.app.cli import main
from convert.model import ir, ir_json
from convert.model.errors import InputError
from convert.plan.layout import plan

from .conftest import (
    EVERY_NODE,
    SEED,
    SHARED,
    THREE,
    ZH,
    build,
    libreoffice_pdf,
    normalise_space,
    normalise_typeset,
    pdf_body_text,
    pdf_text,
    require_pandoc,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
EPOCH = "1700000000"


@pytest.fixture(autouse=True)
def _reproducible(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def _part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(name))


def _custom_properties(path: Path) -> dict[str, tuple[str, str]]:
    root = _part(path, "docProps/custom.xml")
    out = {}
    for prop in root:
        value = prop[0]
        out[prop.get("name")] = (etree.QName(value).localname, value.text or "")
    return out


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def test_seed_briefing_metadata(tmp_path: Path) -> None:
    path = build(tmp_path, [SEED], "seed.docx")
    core = docx.Document(str(path)).core_properties
    assert core.title.startswith("Chen Yiqin: Strive to Achieve New Breakthroughs")
    assert core.author == "Xu Shaoting"
    # python-docx before 1.2 reads W3CDTF times as naive UTC datetimes.
    assert _utc(core.created) == datetime(2021, 3, 20, 5, 21, tzinfo=timezone.utc)  # 13:21 Beijing
    assert core.language == "en"
    assert core.category == "CPC News Network > Leadership activities"
    assert core.last_modified_by.startswith("briefkit")
    assert _utc(core.modified) == datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)
    with zipfile.ZipFile(path) as archive:
        for name in ("docProps/core.xml", "docProps/app.xml", "docProps/custom.xml"):
            text = archive.read(name).decode("utf-8")
            assert "python-docx" not in text and "2013-" not in text and "Macintosh" not in text
        assert "docProps/thumbnail.jpeg" not in archive.namelist()
    custom = _custom_properties(path)
    assert custom["source"] == ("lpwstr", "Guizhou Daily")
    assert custom["original_title"][1].startswith(
        "Strive to Achieve New Breakthroughs in Industrial Investment Attraction"
    )
    assert custom["editors"] == ("lpwstr", "Cao Miao; Xie Lei")
    assert custom["section"] == ("lpwstr", "CPC News Network > Leadership activities")
    assert custom["published"] == ("lpwstr", "2021-03-20T13:21")
    assert custom["published_utc"] == ("filetime", "2021-03-20T05:21:00Z")
    assert custom["byline"] == ("lpwstr", "News from our newspaper (reporter Xu Shaoting)")


def test_three_articles_read_back_identically(tmp_path: Path) -> None:
    path = build(tmp_path, THREE, "brief.docx")
    runner = CliRunner()
    from_docx = runner.invoke(main, ["inspect", str(path)])
    from_inputs = runner.invoke(main, ["inspect", *map(str, THREE)])
    assert from_docx.exit_code == 0 and from_docx.stdout == from_inputs.stdout
    assert len(json.loads(from_docx.stdout)["articles"]) == 3


def test_chinese_runs_carry_east_asian_language_and_fonts(tmp_path: Path) -> None:
    path = build(tmp_path, [ZH], "zh.docx")
    body = _part(path, "word/document.xml")
    langs = body.findall(f".//{W}lang")
    assert langs and all(lang.get(f"{W}eastAsia") == "zh-CN" for lang in langs)
    styles = _part(path, "word/styles.xml")
    normal = styles.find(f".//{W}style[@{W}styleId='Normal']")
    fonts = normal.find(f".//{W}rFonts")
    assert fonts.get(f"{W}eastAsia") == "WenQuanYi Zen Hei"
    assert fonts.get(f"{W}ascii") == "DejaVu Serif"
    assert fonts.get(f"{W}asciiTheme") is None


def test_named_word_styles_come_from_the_style_file(tmp_path: Path) -> None:
    path = build(tmp_path, [SEED], "seed.docx", "--style", "compact")
    document = docx.Document(str(path))
    names = {s.name for s in document.styles}
    for name in (
        "Title",
        "Heading 1",
        "Article Meta",
        "Body Text",
        "Briefing Label",
        "Breadcrumb",
        "Original Title",
        "Editors Line",
    ):
        assert name in names
    compact = convert.load_style("compact")
    assert document.styles["Body Text"].font.size.pt == compact.roles["body"].size
    assert document.styles["Title"].font.size.pt == compact.roles["title"].size
    section = document.sections[0]
    assert round(section.page_width.mm, 1) == 215.9 and round(section.page_height.mm, 1) == 279.4
    assert round(section.left_margin.mm) == 15
    used = [p.style.name for p in document.paragraphs]
    assert used[:4] == ["Briefing Label", "Breadcrumb", "Title", "Original Title"]
    assert document.paragraphs[0].text == "DIGEST"
    assert "Body Text" in used and used[-1] == "Editors Line"


def test_header_and_page_x_of_y_footer(tmp_path: Path) -> None:
    path = build(tmp_path, THREE, "brief.docx", "-M", "title=Week 12")
    with zipfile.ZipFile(path) as archive:
        header = archive.read("word/header1.xml").decode("utf-8")
        footer = archive.read("word/footer1.xml").decode("utf-8")
    assert "Week 12" in header
    assert 'w:instr=" PAGE "' in footer and 'w:instr=" NUMPAGES "' in footer and "page " in footer


def test_lists_restart_links_are_real_and_safe(tmp_path: Path) -> None:
    path = tmp_path / "every.docx"
    convert.write(convert.load(EVERY_NODE), path)
    body = _part(path, "word/document.xml")
    numbering = _part(path, "word/numbering.xml")
    numbered = [p for p in body.iter(f"{W}p") if p.find(f".//{W}numId") is not None]
    num_ids = [p.find(f".//{W}numId").get(f"{W}val") for p in numbered]
    assert len(num_ids) == 6 and len(set(num_ids)) == 3  # three lists, two items each
    for num_id in set(num_ids):
        num = numbering.find(f"{W}num[@{W}numId='{num_id}']")
        assert num.find(f".//{W}startOverride").get(f"{W}val") == "1"
    rels = _part(path, "word/_rels/document.xml.rels")
    targets = {r.get("Target") for r in rels if r.get("TargetMode") == "External"}
    assert "https://example.org/?q=a&r=b" in targets
    assert not any(t.startswith("javascript") for t in targets)
    anchors = [h for h in body.iter(f"{W}hyperlink")]
    assert len(anchors) >= 2


def test_every_paragraph_survives_libreoffice(tmp_path: Path) -> None:
    seed = build(tmp_path, [SEED], "seed.docx")
    brief = build(tmp_path, THREE, "brief.docx")
    every = tmp_path / "every.docx"
    convert.write(convert.load(EVERY_NODE), every)
    pdfs = libreoffice_pdf([seed, brief, every], tmp_path / "pdf")
    for source, pdf in ((SEED, pdfs[0]), (None, pdfs[1])):
        articles = convert.read(source) if source else [a for p in THREE for a in convert.read(p)]
        header = (
            plan(convert.load(source), convert.load_style(None)).header(None)
            if source
            else "Briefing"
        )
        # the text as set: hyphenated and with typographic marks, compared without them
        text = normalise_typeset(pdf_body_text(pdf, headers=(header,)))
        for article in articles:
            assert normalise_typeset(article.meta.title or "") in text
            for block in article.blocks:
                assert normalise_typeset(ir.plain_text((block,))) in text
            for editor in article.meta.editors:
                assert editor in text
    every_text = normalise_space(pdf_text(pdfs[2]))
    # quotes and dashes are typographic, and justified lines may break after any slash
    typeset = normalise_typeset(every_text).replace(" ", "")
    for literal in (
        "<script>alert('x')</script>",
        "AT&T",
        "<font size=200>big</font>",
        "<img",
        "src=/etc/passwd>",  # a justified table cell may break the line between them
        "中文段落：会议强调",
        "Mixed with English words",
        "x < y && z",
        "bullet one",
        "Inside a div.",
        "The harbour at dawn.",
    ):
        assert normalise_typeset(literal).replace(" ", "") in typeset, literal
    assert "page 1 of 2" in every_text


def test_adversarial_text_survives(tmp_path: Path) -> None:
    long_word = "长" * 5000 + "W" * 5000
    article = convert.read(
        f"Title with < & > and 中文\n\nA paragraph\x07 with\x00 control characters & <tags>.\n\n{long_word}\n".encode()
    )[0]
    path = tmp_path / "adversarial.docx"
    convert.write(article, path)
    back = convert.read(path)[0]
    assert back == article
    text = docx.Document(str(path)).paragraphs
    joined = "\n".join(p.text for p in text)
    assert "A paragraph with control characters & <tags>." in joined
    assert long_word in joined
    pdf = libreoffice_pdf([path], tmp_path / "pdf")[0]
    assert "Title with < & > and 中文" in pdf_text(pdf)


def test_builds_are_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = build(tmp_path, THREE, "a.docx").read_bytes()
    second = build(tmp_path, THREE, "b.docx").read_bytes()
    assert first == second
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    third = build(tmp_path, THREE, "c.docx").read_bytes()
    assert third != first


def test_foreign_docx_reads_best_effort(tmp_path: Path) -> None:
    document = docx.Document()
    document.core_properties.title = "Foreign report"
    document.core_properties.author = "A. Writer; B. Writer"
    document.core_properties.keywords = "alpha, beta"
    document.core_properties.language = "en-GB"
    document.add_heading("Background", level=1)
    paragraph = document.add_paragraph("Plain and ")
    paragraph.add_run("bold").bold = True
    document.add_paragraph("first point", style="List Bullet")
    document.add_paragraph("second point", style="List Bullet")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "k"
    table.rows[0].cells[1].text = "v"
    path = tmp_path / "foreign.docx"
    document.save(str(path))
    article = convert.read(path)[0]
    assert article.meta.title == "Foreign report"
    assert article.meta.authors == ("A. Writer", "B. Writer")
    assert article.meta.keywords == ("alpha", "beta")
    assert article.meta.language == "en-GB"
    assert article.blocks[0] == ir.Heading(1, (ir.Text("Background"),))
    assert article.blocks[1] == ir.Paragraph((ir.Text("Plain and "), ir.Strong((ir.Text("bold"),))))
    assert isinstance(article.blocks[2], ir.ListBlock) and len(article.blocks[2].items) == 2
    assert isinstance(article.blocks[3], ir.Table)


def test_pandoc_reads_the_body(tmp_path: Path) -> None:
    pandoc = require_pandoc()
    path = build(tmp_path, [ZH], "zh.docx")
    out = subprocess.run(
        [pandoc, "-f", "docx", "-t", "plain", str(path)], capture_output=True, text=True, check=True
    )
    text = normalise_typeset(out.stdout)
    for article in convert.read(ZH):
        for block in article.blocks:
            assert normalise_typeset(ir.plain_text((block,))) in text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04 not really a zip", "not a DOCX file"),
        (b"plain text pretending", "not a DOCX file"),
    ],
)
def test_broken_docx_is_a_clear_error(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        convert.read(data, format="docx")


def test_zip_bombs_are_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w/>")
        archive.writestr("bomb.bin", b"\0" * (60 * 1024 * 1024))
    with pytest.raises(InputError, match="zip bomb"):
        convert.read(buffer.getvalue(), format="docx")


def test_embedded_ir_is_validated(tmp_path: Path) -> None:
    path = build(tmp_path, [SEED], "seed.docx")
    tampered = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(tampered, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "customXml/item1.xml":
                data = re.sub(rb'"ir_version": ?3', b'"ir_version": 7', data)
            target.writestr(info, data)
    with pytest.raises(InputError, match="unsupported ir_version 7"):
        convert.read(tampered.getvalue(), format="docx")


def test_ir_json_in_the_package_is_the_full_collection(tmp_path: Path) -> None:
    path = build(tmp_path, THREE, "brief.docx", "-M", "title=Week 12")
    root = _part(path, "customXml/item1.xml")
    collection = ir_json.loads(root.text or "")
    assert collection.title == "Week 12" and len(collection.articles) == 3


# --------------------------------------------------------------------------- other documents

REAL = SHARED / "realworld" / "files"


def _real(name: str) -> ir.Article:
    from .conftest import require_file

    return convert.read(require_file(REAL / name, "the shared real-world documents"))[0]


def test_footnotes_and_endnotes_become_numbered_notes_at_the_end() -> None:
    article = _real("014-notes.docx")
    text = ir.plain_text(article.blocks)
    assert "Test footnote.[1] Test endnote.[2]" in text
    notes = [b for b in article.blocks if isinstance(b, ir.Div)]
    assert [n.attr.classes for n in notes] == [("footnotes",), ("endnotes",)]
    assert ir.plain_text(notes[0].blocks).strip() == "My note."
    endnotes = notes[1].blocks[0]
    assert isinstance(endnotes, ir.ListBlock) and endnotes.start == 2


def test_the_main_part_is_found_through_the_package_relationships() -> None:
    article = _real("023-alternate_document_path.docx")  # word/document2.xml
    assert ir.plain_text(article.blocks).startswith("This is italic, bold, underlined")


def test_nested_tables_content_controls_and_deletions() -> None:
    nested = _real("003-blk-paras-and-tables.docx")
    assert "Text before\nTable\nBetween\nText after" in ir.plain_text(nested.blocks)
    controls = _real("025-sdt_elements.docx")
    assert "col1Header" in ir.plain_text(controls.blocks)
    assert "Body copy" in ir.plain_text(controls.blocks)
    deleted = _real("019-track_changes_deletion.docx")
    assert ir.plain_text(deleted.blocks).strip() == "This is a text with a deletion."


def test_pictures_equations_and_text_boxes_are_kept(tmp_path: Path) -> None:
    from PIL import Image

    picture = tmp_path / "map.png"
    Image.new("RGB", (8, 8), "red").save(picture)
    document = docx.Document()
    document.add_paragraph("Before the map.")
    document.add_picture(str(picture))
    doc_pr = document.inline_shapes[0]._inline.docPr
    doc_pr.set("descr", "Map of the new rail line")
    math = (
        '<m:oMathPara xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math">'
        "<m:oMath><m:r><m:t>E=m</m:t></m:r><m:sSup><m:e><m:r><m:t>c</m:t></m:r></m:e>"
        "<m:sup><m:r><m:t>2</m:t></m:r></m:sup></m:sSup></m:oMath></m:oMathPara>"
    )
    from docx.oxml import parse_xml

    document.element.body.insert(-1, parse_xml(math))
    path = tmp_path / "pictures.docx"
    document.save(str(path))
    article = convert.read(path)[0]
    image = next(b for b in article.blocks if isinstance(b, ir.Image))
    assert image.alt == "Map of the new rail line" and image.src.startswith("word/media/")
    assert "E=mc2" in ir.plain_text(article.blocks)


_PACKAGE_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
    'metadata/core-properties" Target="docProps/core.xml"/></Relationships>'
)
_DOCUMENT_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rIdImg" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/image" Target="media/seal.png"/></Relationships>'
)
_NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)


def _word_package(body: str, core: str = "") -> bytes:
    """A DOCX of the parts Word needs, its body written by hand."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://'
                         'schemas.openxmlformats.org/package/2006/content-types"/>')  # fmt: skip
        archive.writestr("_rels/.rels", _PACKAGE_RELS)
        archive.writestr("word/_rels/document.xml.rels", _DOCUMENT_RELS)
        archive.writestr(
            "word/document.xml",
            f'<?xml version="1.0"?><w:document {_NAMESPACES}>{body}</w:document>',
        )
        if core:
            archive.writestr("docProps/core.xml", core)
    return buffer.getvalue()


def _p(*runs: str) -> str:
    return "<w:p>" + "".join(runs) + "</w:p>"


def _r(inner: str, props: str = "") -> str:
    return f"<w:r>{f'<w:rPr>{props}</w:rPr>' if props else ''}{inner}</w:r>"


def test_word_constructs_of_other_programs_are_read_as_a_reader_sees_them() -> None:
    """Tracked changes, content controls, compatibility choices, symbols, breaks, internal
    links, VML pictures, OLE objects, text boxes, embedded documents and header rows, in a
    document written by hand the way Word and other programs write them."""
    body = "<w:body>" + "".join([
        _p(_r("<w:t>Gone</w:t>"), "<w:del><w:r><w:delText>deleted</w:delText></w:r></w:del>",
           "<w:ins>", _r("<w:t xml:space='preserve'> inserted</w:t>"), "</w:ins>",
           "<w:sdt><w:sdtContent>", _r("<w:t xml:space='preserve'> in a control</w:t>"),
           "</w:sdtContent></w:sdt>",
           "<mc:AlternateContent><mc:Choice Requires='w14'>",
           _r("<w:t xml:space='preserve'> chosen</w:t>"),
           "</mc:Choice><mc:Fallback>", _r("<w:t>fallback</w:t>"),
           "</mc:Fallback></mc:AlternateContent>"),
        _p(_r("<w:t>a</w:t><w:tab/><w:t>b</w:t><w:br w:type='page'/><w:t>c</w:t><w:br/>"
              "<w:t>d</w:t><w:noBreakHyphen/><w:t>e</w:t><w:sym w:font='Symbol' w:char='2014'/>"
              "<w:sym w:font='Wingdings' w:char='F04A'/><w:footnoteReference w:id='9'/>")),
        _p(_r("<w:t>H</w:t>"), _r("<w:t>2</w:t>", "<w:vertAlign w:val='subscript'/>"),
           _r("<w:t>O and x</w:t>", "<w:i/>"), _r("<w:t>2</w:t>", "<w:vertAlign w:val="
                                                  "'superscript'/>")),
        _p("<w:hyperlink w:anchor='results'>", _r("<w:t>see the results</w:t>"),
           "</w:hyperlink>", "<w:hyperlink r:id='rIdGone'>", _r("<w:t> and more</w:t>"),
           "</w:hyperlink>"),
        _p(_r("<w:t>Seal:</w:t><w:pict><v:shape><v:imagedata r:id='rIdImg' "
              "o:title='Seal of the province' xmlns:o='urn:schemas-microsoft-com:office:office'"
              "/></v:shape></w:pict><w:object><v:shape/></w:object>"
              "<w:drawing><w:txbxContent><w:p><w:r><w:t>Boxed note</w:t></w:r></w:p>"
              "</w:txbxContent></w:drawing>")),  # the picture, then the box, in order
        "<w:sdt><w:sdtContent>", _p(_r("<w:t>Block control</w:t>")), "</w:sdtContent></w:sdt>",
        "<w:customXml>", _p(_r("<w:t>Custom markup</w:t>")), "</w:customXml>",
        "<w:altChunk r:id='rIdChunk'/>",
        "<m:oMathPara><m:oMath><m:r><m:t>a+b</m:t></m:r></m:oMath></m:oMathPara>",
        "<w:tbl><w:tr><w:trPr><w:tblHeader/></w:trPr><w:tc>", _p(_r("<w:t>Region</w:t>")),
        "</w:tc><w:tc>", _p(_r("<w:t>Count</w:t>")), "</w:tc></w:tr><w:tr></w:tr>",
        "<w:tr><w:tc>", _p(_r("<w:t>Guizhou</w:t>")), "</w:tc></w:tr>",
        "<w:tr><w:tc><w:tbl><w:tr><w:tc>", _p(_r("<w:t>in</w:t>")), "</w:tc><w:tc>",
        _p(_r("<w:t>side</w:t>")), "</w:tc></w:tr></w:tbl></w:tc><w:tc>",
        _p(_r("<w:t>Seal</w:t><w:pict><v:imagedata r:id='rIdImg' o:title='seal' "
              "xmlns:o='urn:schemas-microsoft-com:office:office'/></w:pict>")),
        "</w:tc></w:tr></w:tbl>",
    ]) + "</w:body>"  # fmt: skip
    core = "<cp:coreProperties xmlns:cp='x'><dc:title>broken"  # not XML: the body still reads
    article = convert.read(_word_package(body, core), format="docx")[0]
    lines = [ir.plain_text((block,)).rstrip("\n") for block in article.blocks]
    assert lines[:2] == ["Gone inserted in a control chosen", "a\tbc\nd-e—"]
    assert article.blocks[2] == ir.Paragraph((
        ir.Text("H"), ir.Span(ir.Attr(classes=("sub",)), (ir.Text("2"),)),
        ir.Emph((ir.Text("O and x"),)), ir.Span(ir.Attr(classes=("sup",)), (ir.Text("2"),)),
    ))  # fmt: skip
    assert article.blocks[3] == ir.Paragraph(
        (ir.Link("#results", (ir.Text("see the results"),)), ir.Text(" and more"))
    )
    assert article.blocks[4:6] == (
        ir.Paragraph((ir.Text("Seal:"),)),
        ir.Image("word/media/seal.png", "Seal of the province"),
    )
    assert lines[6:10] == ["Boxed note", "Block control", "Custom markup", "a+b"]
    table = article.blocks[10]
    assert isinstance(table, ir.Table) and table.header_rows == 1
    assert table.rows == (
        ((ir.Text("Region"),), (ir.Text("Count"),)),
        ((ir.Text("Guizhou"),), ()),
        ((ir.Text("in"), ir.Text(" | "), ir.Text("side")),
         (ir.Text("Seal"), ir.LineBreak(), ir.Text("[seal]"))),
    )  # fmt: skip
    assert len(article.blocks) == 11
    assert [d.reason for d in article.dropped] == [
        "embedded OLE object (no IR form)",
        "embedded document (altChunk) not read",
    ]
    assert article.meta.title is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<w:body><w:p>", "broken DOCX: word/document.xml is not well-formed XML"),
        ("<w:nobody/>", "broken DOCX: word/document.xml has no body"),
        (
            "<w:body>"
            + "<w:sdt><w:sdtContent>" * 210
            + "</w:sdtContent></w:sdt>" * 210
            + "</w:body>",
            "broken DOCX: elements nested too deeply",
        ),
    ],
)
def test_a_broken_word_document_is_one_line(body: str, message: str) -> None:
    with pytest.raises(InputError) as refused:
        convert.read(_word_package(body), format="docx")
    assert str(refused.value).startswith(f"<bytes>: {message}")
