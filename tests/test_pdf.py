"""PDF digests: qpdf, pdffonts, pdftotext, contents page numbers, outline, metadata, XMP."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from pypdf import PdfReader

import convert
from convert.app.cli import main
from convert.model import ir
from convert.model.errors import BriefkitError, InputError, OutputError

from .conftest import (
    EVERY_NODE,
    FIXTURES,
    SEED,
    THREE,
    ZH,
    build,
    normalise_space,
    normalise_typeset,
    pdf_body_text,
    pdf_text,
    require_tool,
)


@pytest.fixture(autouse=True)
def _reproducible(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def _run(*args: str) -> str:
    tool = require_tool(args[0])
    return subprocess.run([tool, *args[1:]], capture_output=True, text=True, check=True).stdout


def _qpdf_ok(path: Path) -> None:
    tool = require_tool("qpdf")
    proc = subprocess.run([tool, "--check", str(path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "No syntax or stream encoding errors found" in proc.stdout


def _fonts(path: Path) -> list[list[str]]:
    lines = _run("pdffonts", str(path)).splitlines()[2:]
    return [line.split() for line in lines if line.strip()]


def _info(path: Path) -> dict[str, str]:
    out = _run("pdfinfo", "-enc", "UTF-8", str(path))
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


@pytest.fixture(scope="module")
def digest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("digest")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        return build(
            folder,
            THREE,
            "digest.pdf",
            "-M",
            "title=Week 12",
            "-M",
            "publisher=Briefing Desk",
            "-M",
            "subtitle=Three stories",
        )


def test_digest_is_valid_with_every_font_embedded(digest: Path) -> None:
    _qpdf_ok(digest)
    fonts = _fonts(digest)
    assert fonts
    for row in fonts:
        emb, sub = row[-5], row[-4]
        assert emb == "yes" and sub == "yes", row
    names = " ".join(row[0] for row in fonts)
    assert "WenQuanYiZenHei" in names and "DejaVu" in names


HEADERS = ("Week 12 — Leadership activities", "Week 12 — 领导活动", "Week 12 — World", "Week 12")


def test_every_paragraph_is_extractable_including_chinese(digest: Path) -> None:
    text = normalise_typeset(pdf_body_text(digest, headers=HEADERS))  # marks and hyphens undone
    for source in THREE:
        for article in convert.read(source):
            assert normalise_typeset(article.meta.title or "") in text
            for block in article.blocks:
                assert normalise_typeset(ir.plain_text((block,))) in text
            for editor in article.meta.editors:
                assert editor in text
    chinese = convert.read(ZH)[0]
    exact = pdf_text(digest)
    assert "\x00" not in exact
    for block in chinese.blocks:
        assert normalise_space(ir.plain_text((block,))) in normalise_space(exact)


def test_contents_page_numbers_point_at_the_articles(digest: Path) -> None:
    articles = [a for p in THREE for a in convert.read(p)]
    pages = int(_info(digest)["Pages"])
    contents = pdf_text(digest, first=2)
    assert "Contents" in contents
    # each contents entry's page number stands alone on its line, in article order
    numbers = [int(n) for n in re.findall(r"(?m)^\s*(\d+)\s*$", contents)]
    assert len(numbers) == 3
    for article, number in zip(articles, numbers, strict=True):
        assert 2 < number <= pages
        page = normalise_space(pdf_text(digest, first=number))
        assert normalise_space(article.meta.title or "")[:40] in page, (number, page[:200])
        if number > 3:
            before = normalise_space(pdf_text(digest, first=number - 1))
            assert normalise_space(article.meta.title or "")[:40] not in before


def test_outline_has_one_entry_per_article(digest: Path) -> None:
    reader = PdfReader(str(digest))
    titles = [item.title for item in reader.outline]
    assert titles == [a.meta.title for p in THREE for a in convert.read(p)]


def test_cover_and_running_heads(digest: Path) -> None:
    cover = normalise_space(pdf_text(digest, first=1))
    for fragment in ("Week 12", "Three stories", "3 articles", "Briefing Desk"):
        assert fragment in cover
    assert "page 1 of" not in cover  # the cover has no footer
    pages = int(_info(digest)["Pages"])
    third = normalise_space(pdf_text(digest, first=3))
    assert "Week 12 — Leadership activities" in third
    assert f"page 3 of {pages}" in third


def test_seed_metadata_info_xmp_and_language(tmp_path: Path) -> None:
    path = build(tmp_path, [SEED], "seed.pdf")
    _qpdf_ok(path)
    info = _info(path)
    assert info["Title"].startswith("Chen Yiqin: Strive to Achieve New Breakthroughs")
    assert info["Author"] == "Xu Shaoting"
    # The article has no keywords and no summary: those slots stay empty, nothing made up
    # from other fields (its section and source have slots of their own, below).
    assert info["Keywords"] == "" and info["Subject"] == ""
    assert info["Creator"].startswith("briefkit") and info["Producer"].startswith("briefkit")
    assert "2023" in info["CreationDate"]
    reader = PdfReader(str(path))
    assert reader.trailer["/Root"]["/Lang"] == "en"
    xmp = etree.fromstring(reader.trailer["/Root"]["/Metadata"].get_object().get_data())
    ns = {
        "dc": "http://purl.org/dc/elements/1.1/",
        "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "bk": "urn:briefkit:xmp:1",
    }
    assert xmp.findtext(".//dc:title/rdf:Alt/rdf:li", namespaces=ns).startswith("Chen Yiqin")
    assert [e.text for e in xmp.findall(".//dc:creator/rdf:Seq/rdf:li", ns)] == ["Xu Shaoting"]
    assert xmp.findtext(".//dc:date/rdf:Seq/rdf:li", namespaces=ns) == "2021-03-20T05:21:00Z"
    assert xmp.findtext(".//dc:language/rdf:Bag/rdf:li", namespaces=ns) == "en"
    assert xmp.findtext(".//bk:source", namespaces=ns) == "Guizhou Daily"
    assert xmp.findtext(".//dc:publisher/rdf:Bag/rdf:li", namespaces=ns) == "Guizhou Daily"
    sections = [e.text for e in xmp.findall(".//bk:section/rdf:Seq/rdf:li", ns)]
    assert sections == ["CPC News Network", "Leadership activities"]
    assert [e.text for e in xmp.findall(".//bk:editors/rdf:Seq/rdf:li", ns)] == [
        "Cao Miao",
        "Xie Lei",
    ]
    assert xmp.findtext(".//bk:published", namespaces=ns) == "2021-03-20T13:21"
    assert xmp.findtext(".//bk:originalTitle", namespaces=ns).startswith("Strive to Achieve")


def test_inspect_gives_back_the_inputs(tmp_path: Path, digest: Path) -> None:
    runner = CliRunner()
    plain = build(tmp_path, THREE, "plain.pdf")
    assert (
        runner.invoke(main, ["inspect", str(plain)]).stdout
        == runner.invoke(main, ["inspect", *map(str, THREE)]).stdout
    )
    collection = convert.load(digest)
    assert collection.title == "Week 12" and collection.publisher == "Briefing Desk"
    assert collection.articles == tuple(a for p in THREE for a in convert.read(p))


def test_adversarial_text_renders_literally(tmp_path: Path) -> None:
    path = tmp_path / "every.pdf"
    convert.write(convert.load(EVERY_NODE), path)
    _qpdf_ok(path)
    assert all(row[-5] == "yes" for row in _fonts(path)), _fonts(path)  # tables included
    text = pdf_body_text(
        path, headers=("Every node: AT&T <script>alert(1)</script> & 中文标题 — Fixtures",)
    )
    for literal in (
        "<script>alert('x')</script>",
        "AT&T",
        "<font size=200>big</font>",
        "<img src=/etc/passwd>",
        "a<b",
        "x < y && z",
        "中文段落：会议强调",
        "Mixed with English words",
        "bullet one",
        "1. number one",
        "The harbour at dawn.",
    ):
        # as text, with typographic quotes
        assert normalise_typeset(literal) in normalise_typeset(text), literal
    reader = PdfReader(str(path))
    links = [
        a.get_object()["/A"].get("/URI")
        for page in reader.pages
        for a in page.get("/Annots", [])
        if a.get_object().get("/A") is not None
    ]
    assert "https://example.org/?q=a&r=b" in links
    assert not any(str(uri).startswith("javascript") for uri in links if uri)


def test_long_words_and_urls_wrap(tmp_path: Path) -> None:
    word = "W" * 3000
    url = "https://example.org/" + "a" * 400
    article = ir.Article(
        meta=ir.Meta(title="Long"),
        blocks=(
            ir.paragraph(word),
            ir.Paragraph((ir.Link(url, (ir.Text(url),)),)),
            ir.paragraph("中" * 3000),
        ),
    )
    path = tmp_path / "long.pdf"
    convert.write(article, path)
    _qpdf_ok(path)
    text = pdf_body_text(path, headers=("Long",)).replace(" ", "")
    assert word in text and url in text and "中" * 3000 in text


def test_letter_and_flowing_articles_from_the_style(tmp_path: Path) -> None:
    path = build(tmp_path, THREE, "compact.pdf", "--style", "compact")
    info = _info(path)
    assert info["Page size"].startswith("612 x 792")
    flowing = int(info["Pages"])
    paged = int(_info(build(tmp_path, THREE, "paged.pdf"))["Pages"])
    assert flowing < paged


def test_builds_are_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = build(tmp_path, THREE, "a.pdf").read_bytes()
    assert build(tmp_path, THREE, "b.pdf").read_bytes() == first
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    assert build(tmp_path, THREE, "c.pdf").read_bytes() != first


def test_foreign_pdf_reads_best_effort(tmp_path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "foreign.pdf"
    canvas = Canvas(str(path))
    canvas.setTitle("A foreign report")
    canvas.setAuthor("Jane Roe; John Doe")
    canvas.drawString(72, 720, "First paragraph of the report.")
    canvas.showPage()
    canvas.drawString(72, 720, "Second page text.")
    canvas.save()
    article = convert.read(path)[0]
    assert article.meta.title == "A foreign report"
    assert article.meta.authors == ("Jane Roe", "John Doe")
    assert [ir.plain_text((b,)).strip() for b in article.blocks] == [
        "First paragraph of the report.",
        "Second page text.",
    ]


@pytest.mark.parametrize(
    ("data", "message"), [(b"%PDF-1.4 garbage", "cannot read PDF"), (b"hello", "not a PDF")]
)
def test_broken_pdf_is_a_clear_error(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        convert.read(data, format="pdf")


def test_missing_font_is_a_clear_error(tmp_path: Path) -> None:
    style = tmp_path / "nofont.toml"
    style.write_text(
        'extends = "base"\n[font_files."DejaVu Serif"]\nregular = "NoSuchFont.ttf"\n', "utf-8"
    )
    with pytest.raises(BriefkitError, match=r"NoSuchFont\.ttf"):
        convert.write(convert.read(SEED), tmp_path / "x.pdf", style=str(style))
    assert not (tmp_path / "x.pdf").exists()


def test_many_articles_keep_their_page_numbers(tmp_path: Path) -> None:
    seed = convert.read(SEED)[0]
    articles = [
        dataclasses.replace(
            seed,
            meta=dataclasses.replace(seed.meta, title=f"Story number {n}"),
            blocks=seed.blocks[: 1 + n % 3],
        )
        for n in range(1, 41)
    ]
    path = tmp_path / "forty.pdf"
    convert.write(ir.Collection(title="Forty", articles=tuple(articles)), path)
    reader = PdfReader(str(path))
    outline_pages = [reader.get_destination_page_number(item) + 1 for item in reader.outline]
    contents = "".join(pdf_text(path, first=2, last=3))
    numbers = [int(n) for n in re.findall(r"(?m)^\s*(\d+)\s*$", contents)]
    assert numbers == outline_pages


def test_the_pdf_writer_runs_on_reportlabs_c_accelerator() -> None:
    from reportlab.lib import rl_accel

    import convert.writers.pdf  # noqa: F401  (what a conversion imports)

    for name in ("instanceStringWidthTTF", "asciiBase85Encode", "escapePDF", "fp_str"):
        assert getattr(rl_accel, name).__module__ == "_rl_accel", f"{name} runs in pure Python"


def test_streams_are_flate_only_and_the_ir_is_stored_once_compressed(tmp_path: Path) -> None:
    """No ASCII85 layer; the IR attachment is one Flate stream under two names; the small
    objects are packed in compressed object streams."""
    from pypdf import PdfReader

    path = build(tmp_path, THREE, "three.pdf")
    raw = path.read_bytes()
    assert b"/ASCII85Decode" not in raw
    assert b"/Type /ObjStm" in raw and raw.startswith(b"%PDF-1.5")
    names = PdfReader(path).trailer["/Root"]["/Names"]["/EmbeddedFiles"]["/Names"]
    spec = names[1].get_object()
    assert spec["/EF"].raw_get("/F") == spec["/EF"].raw_get("/UF")  # one object, two names
    assert spec["/EF"]["/F"].get_object()["/Filter"] in (["/FlateDecode"], "/FlateDecode")
    assert convert.load(path) == convert.combine([convert.load(p) for p in THREE])


@pytest.mark.slow
def test_a_two_megabyte_paragraph_is_laid_out_in_linear_time_losing_nothing(
    tmp_path: Path,
) -> None:
    import statistics

    from convert.writers.pdf._flowables import split_inlines

    sentence = "Freight volumes on the new line rose again in the third quarter. "
    text = (sentence * (2_000_000 // len(sentence))).strip()
    pieces = split_inlines((ir.Emph((ir.Text(text),)),), 4000)
    assert "".join(ir.plain_text(p) for p in pieces) == text  # nothing lost or reordered
    assert all(len(ir.plain_text(p)) <= 4000 for p in pieces)
    assert all(isinstance(p[0], ir.Emph) for p in pieces)  # emphasis carried into each
    collection = ir.Collection(articles=(ir.Article(ir.Meta(title="Long"), (ir.paragraph(text),)),))
    path = tmp_path / "long.pdf"
    convert.write(collection, path, "pdf")
    pages = pdf_text(path).split("\f")[:-1]
    body = "".join(pages)
    assert normalise_space(body).count("Freight volumes") == text.count("Freight volumes")
    sizes = [len(p) for p in pages[1:-1]]  # cover/first and last page are partial
    median = statistics.median(sizes)
    assert all(abs(size - median) < 0.1 * median for size in sizes), "a page is not full"
    assert len(pages) == pytest.approx(len(text) / median, rel=0.05)


# --------------------------------------------------------------------------- other PDFs


def _foreign_pdf(path: Path, draw: object) -> Path:
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(path), invariant=1)
    draw(page)  # type: ignore[operator]
    page.save()
    return path


def test_vertical_japanese_is_read_in_column_order(tmp_path: Path) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiMin-W3"))
    columns = ["吾輩は猫である。", "名前はまだ無い。どこで生れたかとんと見当がつかぬ。"]

    def draw(page: object) -> None:
        page.setFont("HeiseiMin-W3", 14)  # type: ignore[attr-defined]
        for index, column in enumerate(columns):  # right to left, top to bottom
            for row, char in enumerate(column):
                page.drawString(500 - 22 * index, 780 - 16 * row, char)  # type: ignore[attr-defined]

    article = convert.read(_foreign_pdf(tmp_path / "tate.pdf", draw))[0]
    assert article.meta.title == columns[0]  # reportlab's "untitled" is no title
    assert [ir.plain_text(b.content) for b in article.blocks] == columns[1:]  # type: ignore[union-attr]
    assert article.meta.language == "ja"


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_a_pdf_that_opens_without_a_password_is_read(tmp_path: Path, algorithm: str) -> None:
    from pypdf import PdfWriter

    def draw(page: object) -> None:
        page.drawString(72, 720, "Quarterly freight report")  # type: ignore[attr-defined]
        page.drawString(72, 690, "Volumes rose by four percent.")  # type: ignore[attr-defined]

    plain = _foreign_pdf(tmp_path / "plain.pdf", draw)
    writer = PdfWriter(clone_from=str(plain))
    writer.encrypt(user_password="", owner_password="owner", algorithm=algorithm)
    locked = tmp_path / f"{algorithm}.pdf"
    with locked.open("wb") as out:
        writer.write(out)
    article = convert.read(locked)[0]
    assert "Volumes rose by four percent." in ir.plain_text(article.blocks)
    writer = PdfWriter(clone_from=str(plain))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm=algorithm)
    needs = tmp_path / f"{algorithm}-password.pdf"
    with needs.open("wb") as out:
        writer.write(out)
    result = CliRunner().invoke(main, ["inspect", str(needs)])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"briefkit: error: {needs}: encrypted PDF: it needs a password (decrypt it first)"
    )


def test_a_page_without_a_text_layer_is_noted_and_a_scan_is_refused(tmp_path: Path) -> None:
    from PIL import Image

    scan = tmp_path / "scan.png"
    Image.new("L", (200, 280), 200).save(scan)

    def mixed(page: object) -> None:
        page.drawString(72, 720, "Page one has text.")  # type: ignore[attr-defined]
        page.showPage()  # type: ignore[attr-defined]
        page.drawImage(str(scan), 72, 300, 200, 280)  # type: ignore[attr-defined]

    article = convert.read(_foreign_pdf(tmp_path / "mixed.pdf", mixed))[0]
    assert [(d.text, d.reason) for d in article.dropped] == [
        ("page 2", "no text layer: the page holds only images (a scan? run OCR first)")
    ]

    def only_scan(page: object) -> None:
        page.drawImage(str(scan), 72, 300, 200, 280)  # type: ignore[attr-defined]

    path = _foreign_pdf(tmp_path / "scan.pdf", only_scan)
    result = CliRunner().invoke(main, ["inspect", str(path)])
    assert result.exit_code == 1
    assert "no text to read: the pages hold only images (a scan? run OCR first)" in result.stderr


def test_subset_font_codes_text_as_reportlab_does(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast subset coding gives reportlab's own codes for every kind of string, in the
    order a document meets them (new characters, a second subset, missing glyphs)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.pdfdoc import PDFDocument
    from reportlab.pdfbase.ttfonts import TTFont

    from convert.writers.pdf._engine._subsets import SubsetFont
    from convert.writers.pdf._fonts import Fonts

    fonts = Fonts(convert.load_style(None))
    latin_family, cjk_family = fonts.pair("body")
    cjk_family.coverage  # noqa: B018 (registers the CJK faces)
    latin = pdfmetrics.getFont(latin_family.regular)
    cjk = pdfmetrics.getFont(cjk_family.regular)
    assert isinstance(latin, SubsetFont) and isinstance(cjk, SubsetFont)
    # Enough distinct Han characters to fill subset 0 and reach into later subsets.
    han = "".join(chr(0x4E00 + n) for n in range(0, 900, 3))
    texts = [
        "Plain words, 2021.",
        "naïve café — “quotes” ½",
        "no\u00a0break",
        "tab\there",
        "\U000f0041 plane fifteen",
        "\U0001300b hieroglyph",
        han[:50],
        han,
        han[:50] + " mixed " + han[-20:],
        "naïve café — “quotes” ½",
        "",
    ]
    for font in (latin, cjk):
        ours, theirs = PDFDocument(), PDFDocument()
        for text in texts * 2:
            expected = TTFont.splitString(font, text, theirs)
            assert font.splitString(text, ours) == expected, (font.fontName, text)
        assert font.state[ours].assignments == font.state[theirs].assignments
        assert font.state[ours].subsets == font.state[theirs].subsets
    # The fast path is the one taken for text seen before.
    calls = []
    original = TTFont.splitString

    def counted(*args: object) -> object:
        calls.append(args)
        return original(*args)

    monkeypatch.setattr(TTFont, "splitString", counted)
    doc = PDFDocument()
    latin.splitString("naïve café", doc)
    latin.splitString("naïve café", doc)
    latin.splitString("Plain ASCII", doc)
    assert len(calls) == 1


def test_subset_font_widths_are_reportlabs() -> None:
    """Kept widths are the very floats reportlab's C helper gives, at every size."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from convert.writers.pdf._fonts import Fonts

    fonts = Fonts(convert.load_style(None))
    fonts.pair("heading")[1].coverage  # noqa: B018 (registers the CJK faces)
    for name in (fonts.pair("body")[0].regular, fonts.pair("heading")[1].bold):
        font = pdfmetrics.getFont(name)
        for text in ("information", "naïve", "“Quoted,”", "中华人民共和国", b"bytes", ""):
            for size in (7, 20.0, 1e-3, *(5 + k * 0.37 for k in range(60))):
                for _ in range(2):  # measured, then kept
                    assert font.stringWidth(text, size) == TTFont.stringWidth(font, text, size)
        words = ["new", "word", "naïve", "new", "", "中华"]
        for size in (7, 10.5):
            for _ in range(2):  # measured, then kept
                expected = [TTFont.stringWidth(font, word, size) for word in words]
                assert font.widths(words, size) == expected


def test_story_is_built_as_the_layout_goes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A long digest's flowables are made an article at a time, a little ahead of the
    layout, not all before the first page (and the file is the same either way)."""
    from convert.writers.pdf import _flowables, _pages

    seed = convert.read(SEED)[0]
    articles = tuple(
        dataclasses.replace(seed, meta=dataclasses.replace(seed.meta, title=f"Story {n}"))
        for n in range(1, 61)
    )
    collection = ir.Collection(title="Sixty", articles=articles)
    built: list[int] = []
    built_at_first_page: list[int] = []
    original_article = _flowables.Builder.article
    original_show = _pages.Canvas.showPage

    def article(self: _flowables.Builder, plan: object) -> object:
        built.append(1)
        return original_article(self, plan)

    def show_page(canvas: object) -> None:
        if not built_at_first_page:
            built_at_first_page.append(len(built))
        original_show(canvas)

    monkeypatch.setattr(_flowables.Builder, "article", article)
    monkeypatch.setattr(_pages.Canvas, "showPage", show_page)
    convert.write(collection, tmp_path / "lazy.pdf")
    assert len(built) == 60
    assert built_at_first_page and built_at_first_page[0] < 15

    monkeypatch.setattr(_pages.LazyStory, "AHEAD", 10**6)  # everything built up front
    convert.write(collection, tmp_path / "eager.pdf")
    assert (tmp_path / "lazy.pdf").read_bytes() == (tmp_path / "eager.pdf").read_bytes()


def test_lazy_story_tops_up_when_asked_its_length() -> None:
    from reportlab.platypus import Spacer

    from convert.writers.pdf._pages import LazyStory

    taken = []

    def parts() -> Iterator[list[Spacer]]:
        for n in range(100):
            taken.append(n)
            yield [Spacer(1, n) for _ in range(10)]

    story = LazyStory(parts())
    assert len(taken) < 100
    seen = []
    while len(story):
        seen.append(story[0].height)
        del story[0]
        if len(seen) == 5:
            story[0:0] = [Spacer(1, -1)]  # a split puts its rest back at the front
    assert len(taken) == 100
    assert seen == [0] * 5 + [-1] + [0] * 5 + [n for n in range(1, 100) for _ in range(10)]


def test_speed_ups_change_no_byte(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every speed-up of the PDF writer (fast subset coding, kept widths, early and fast
    page, form and attachment compression, the lazy story, the line breaker, the markup
    parse) gives the very file reportlab's own paths give (Latin and Chinese articles):
    ``BRIEFKIT_PDF_FAST=0`` turns them all off."""
    import zlib

    from convert.writers.pdf import _engine, _metadata
    from convert.writers.pdf._engine import _lines, _subsets

    collection = convert.app.api.combine([convert.load(path) for path in THREE])
    convert.write(collection, tmp_path / "fast.pdf")

    taken: dict[str, int] = {"lines": 0, "split": 0}
    simple_lines, split = _lines.simple_lines, _subsets.SubsetFont.splitString

    def counted_lines(*args: Any) -> Any:
        taken["lines"] += 1
        return simple_lines(*args)

    def counted_split(*args: Any) -> Any:
        taken["split"] += _engine.fast()
        return split(*args)

    monkeypatch.setattr(_lines, "simple_lines", counted_lines)
    monkeypatch.setattr(_subsets.SubsetFont, "splitString", counted_split)
    monkeypatch.setenv("BRIEFKIT_PDF_FAST", "0")
    convert.write(collection, tmp_path / "plain.pdf")
    assert taken == {"lines": 0, "split": 0}  # the fast paths were off
    assert (tmp_path / "fast.pdf").read_bytes() == (tmp_path / "plain.pdf").read_bytes()
    monkeypatch.setenv("BRIEFKIT_PDF_FAST", "1")
    convert.write(collection, tmp_path / "again.pdf")
    assert taken["lines"] > 0 and taken["split"] > 0

    pieces = ['{"a":"é"', ',"b":[1,2]', "}" * 3000]
    compressed, size = _metadata._compressed(iter(pieces))
    data = "".join(pieces).encode("utf-8")
    assert (zlib.decompress(compressed), size) == (data, len(data))


# --------------------------------------------------------------------------- paragraph markup


def _calls_while_writing(
    name: str,
    sources: list[Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    module: Any = None,
) -> list[tuple[Any, ...]]:
    """The arguments of every call the PDF writer makes to ``<module>.<name>`` (default: its
    ``_flowables``) while converting ``sources`` (a list argument as it was at the call:
    reportlab changes some)."""
    from convert.writers.pdf import _flowables

    module = module or _flowables
    seen: list[tuple[Any, ...]] = []
    original = getattr(module, name)

    def recording(*args: Any) -> Any:
        seen.append(tuple(list(a) if isinstance(a, list) else a for a in args))
        return original(*args)

    with monkeypatch.context() as patch:
        patch.setattr(module, name, recording)
        convert.convert(sources, tmp_path / "all.pdf")
    return seen


def _frags(frags: list[object]) -> list[str]:
    return [repr(vars(frag)) for frag in frags]


def _same_as_reportlab(markup: str, style: object) -> bool:
    from reportlab.platypus import Paragraph

    from convert.writers.pdf._engine._markup import fragments

    parsed = fragments(markup, style)
    assert parsed is not None, markup
    expected = Paragraph(markup, style)
    cleaned, kept_style, frags = parsed
    return (
        cleaned == expected.text
        and kept_style is expected.style
        and _frags(frags) == _frags(expected.frags)
    )


def test_the_writers_markup_gives_reportlabs_fragments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every paragraph of documents in many scripts, with links, line breaks and entities:
    # the tree fed to reportlab's parser gives the fragments its own parse of the markup does.
    sources = [*sorted((FIXTURES / "scripts").iterdir()), EVERY_NODE, ZH, SEED]
    seen = _calls_while_writing("fragments", sources, tmp_path, monkeypatch)
    assert len(seen) > 100
    assert any("&amp;" in m for m, _ in seen) and any("<a href" in m for m, _ in seen)
    assert any("<br/>" in m for m, _ in seen)
    for markup, style in seen:
        assert _same_as_reportlab(markup, style), markup
    # Both ways were taken: a run of text copies its font's fragment, the rest is parsed.
    from convert.writers.pdf._engine._markup import _FONT_FRAGMENTS

    assert any(kept for kept in _FONT_FRAGMENTS.values())
    assert any(markup.count("<font") > 1 for markup, _ in seen)


@given(st.lists(st.tuples(st.sampled_from(["text", "link", "br"]), st.text(max_size=20))))
def test_markup_pieces_give_reportlabs_fragments(pieces: list[tuple[str, str]]) -> None:
    from reportlab.lib.styles import ParagraphStyle

    from convert.model.xmltext import escape

    parts = []
    for kind, text in pieces:
        run = f'<font name="Helvetica-Bold">{escape(text)}</font>'
        if kind == "link":
            href = escape(text, {'"': "&quot;"})
            run = f'<a href="{href}" color="#0645ad">{run}</a>'
        parts.append(run if kind != "br" else run + "<br/>")
    markup = "".join(parts)
    if "\x00" in markup or "\r" in markup:  # not in a cleaned IR
        return
    assert _same_as_reportlab(markup, ParagraphStyle("t", fontName="Helvetica", fontSize=10))


def test_other_markup_is_left_to_reportlab() -> None:
    from convert.writers.pdf._engine._markup import tree

    assert tree('<font name="F">a</font>') == ["para", {}, [["font", {"name": "F"}, ["a"]]]]
    for markup in ("<b>bold</b>", '<font name="F">open', "a</font>", "&copy;", "a < b"):
        assert tree(markup) is None, markup


# --------------------------------------------------------------------------- line breaking


def _broken(paragraph: object, width: object, breaker: object) -> str:
    """What breaking a paragraph's lines returns and leaves on the paragraph."""
    result = breaker(paragraph, width)  # type: ignore[operator]
    kept = ("_width_max", "height", "_splitLongWordCount", "_hyphenations")
    return repr((vars(result), [getattr(paragraph, name) for name in kept]))


def _lines_as_reportlab(paragraph: object, width: object) -> bool:
    """Whether the fast line breaking took ``paragraph`` and gave reportlab's answer."""
    from reportlab.platypus import Paragraph

    from convert.writers.pdf._engine._lines import simple_lines

    if simple_lines(paragraph, width) is None:
        return False
    ours = _broken(paragraph, width, simple_lines)
    return ours == _broken(paragraph, width, Paragraph.breakLines)


def test_every_plain_paragraph_is_broken_into_reportlabs_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every paragraph laid out in documents of many scripts, and the pieces of paragraphs
    # split across pages: the fast path gives reportlab's lines, or is not taken.
    from reportlab.platypus import Paragraph

    from convert.writers.pdf import _flowables
    from convert.writers.pdf._engine import _lines

    sources = [*sorted((FIXTURES / "scripts").iterdir()), EVERY_NODE, ZH, SEED, *THREE]
    seen = _calls_while_writing("simple_lines", sources, tmp_path, monkeypatch, _lines)
    taken = [_lines_as_reportlab(paragraph, width) for paragraph, width in seen]
    split = [
        p for (p, _), t in zip(seen, taken, strict=True) if t and not hasattr(p.frags[0], "text")
    ]
    assert sum(taken) > 100 and split, "the fast path was not taken"
    for (paragraph, width), fast in zip(seen, taken, strict=True):
        if not fast:  # left to reportlab: breaking again must not be different either
            assert _broken(paragraph, width, _flowables._Paragraph.breakLines) == _broken(
                paragraph, width, Paragraph.breakLines
            )


_WORDS = st.sampled_from(["a", "the", "information", "naïve", "—", "W" * 40, "中文", "x\xad"])


@settings(deadline=None)  # the first example loads the fonts
@given(
    words=st.lists(_WORDS, min_size=1, max_size=80),
    first=st.floats(20, 400),
    later=st.floats(20, 400),
    shrink=st.sampled_from([0, 0.05, 0.2]),
    size=st.sampled_from([7, 10.5, 12]),
)
def test_generated_paragraphs_are_broken_into_reportlabs_lines(
    words: list[str], first: float, later: float, shrink: float, size: float
) -> None:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from convert.model.xmltext import escape
    from convert.writers.pdf._flowables import _Paragraph
    from convert.writers.pdf._fonts import Fonts

    font = Fonts(convert.load_style(None)).pair("body")[0].regular
    style = ParagraphStyle("t", fontName=font, fontSize=size, spaceShrinkage=shrink)
    paragraph = _Paragraph(escape(" ".join(words)), style)
    # Soft hyphens and words wider than a line are reportlab's to break.
    special = "x\xad" in words or any(
        stringWidth(word, font, size) > min(first, later) for word in words
    )
    assert _lines_as_reportlab(paragraph, [first, later]) is not special


def test_a_paragraph_broken_again_gets_the_lines_of_the_width_asked() -> None:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from convert.writers.pdf._flowables import _Paragraph
    from convert.writers.pdf._fonts import Fonts

    font = Fonts(convert.load_style(None)).pair("body")[0].regular
    style = ParagraphStyle("t", fontName=font, fontSize=10)
    paragraph = _Paragraph("a few words to break " * 30, style)
    reference = Paragraph("a few words to break " * 30, style)
    for width in ([300, 300], [120, 200], [300, 300], [300, 300], 150.0, [150.0]):
        ours = _broken(paragraph, width, type(paragraph).breakLines)
        assert ours == _broken(reference, width, Paragraph.breakLines), width
    assert paragraph._bk_broken is not None  # the fast path was taken


@pytest.mark.parametrize("depth", [30, 100, 2000])
def test_deeply_nested_lists_are_a_document_or_one_clear_error(tmp_path: Path, depth: int) -> None:
    """Lists deeper than a page can indent keep the last indent (no LayoutError); nesting
    deeper than the writer can walk is a one-line error, not an internal one."""
    blocks: tuple[ir.Block, ...] = (ir.Paragraph((ir.Text("deepest"),)),)
    for _ in range(depth):
        blocks = (ir.ListBlock(False, (blocks,)),)
    article = ir.Article(meta=ir.Meta(title="Deep"), blocks=blocks)
    out = tmp_path / "deep.pdf"
    if depth < 500:
        convert.write(article, out)
        assert "deepest" in pdf_text(out)
    else:
        with pytest.raises(OutputError, match="nested too deeply to write"):
            convert.write(article, out)
        assert not out.exists()


def test_a_huge_table_cell_keeps_every_character(tmp_path: Path) -> None:
    """A 1 MB word in a table cell took minutes (the table re-laid the cell's rest at every
    page; 2 s per MB now, measured by hand); the cell keeps its start and the rest follows
    the table, every character kept."""
    word = "x" * 200_000
    table = ir.Table(rows=(((ir.Text(word),), (ir.Text("beside"),)),))
    article = ir.Article(meta=ir.Meta(title="Wide"), blocks=(table,))
    out = tmp_path / "cell.pdf"
    convert.write(article, out)
    text = pdf_text(out)
    assert text.count("x") == len(word) and "beside" in text
    assert "row 1, column 1, continued" in text
