"""SVG drawings: made safe, refused at their limits, embedded in every format, read back.

``fixtures/pictures/turnout.svg`` is a news chart carrying every kind of hostile content a
drawing from the web can hold (a script, event attributes, a linked image, a foreign object,
a ``javascript:`` link, an external ``use``, ``url()`` fill and style sheet import, an
animation that sets a link).
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image

import convert
from convert.media import pictures, svg
from convert.model import ir

from .conftest import FIXTURES, libreoffice_pdf, require_tool
from .test_epub import CLEAN, epubcheck

TURNOUT = FIXTURES / "pictures" / "turnout.svg"
BOMB = FIXTURES / "pictures" / "entity-bomb.svg"
HOSTILE = ("script", "onload", "onclick", "tracker.example", "javascript:", "foreignObject",
           "HTML inside", "@import", "<image", "animate", "inkscape")  # fmt: skip
RED = (204, 51, 51)  # the chart's second bar, #cc3333


def _drawing(elements: int) -> bytes:
    """An SVG of exactly ``elements`` elements (the root and ``elements - 1`` squares)."""
    squares = "".join(
        f'<rect x="{i % 200}" y="{i // 200}" width="1" height="1"/>' for i in range(elements - 1)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200">{squares}</svg>'.encode()
    )


def test_a_hostile_chart_is_made_safe_and_keeps_its_drawing() -> None:
    safe, width, height = svg.sanitise(TURNOUT.read_bytes())
    text = safe.decode("utf-8")
    for hostile in HOSTILE:
        assert hostile not in text, hostile
    root = etree.fromstring(safe)
    shapes = [etree.QName(e).localname for e in root.iter() if isinstance(e.tag, str)]
    assert shapes.count("rect") == 3 and "text" in shapes and "title" in shapes
    assert root.find(".//{http://www.w3.org/2000/svg}text").text == "52%"
    assert ".north { fill: #22aa66; }" in text  # a plain style sheet stays
    # 12 cm x 6 cm at 96 px per inch; the viewBox is kept, the size made definite.
    assert (width, height) == (454, 227)
    assert root.get("viewBox") == "0 0 400 200"
    assert svg.sanitise(safe) == (safe, width, height)  # made safe twice: the same bytes


@pytest.mark.parametrize(
    ("attributes", "size"),
    [
        ('width="300" height="100"', (300, 100)),
        ('width="72pt" height="1in"', (96, 96)),
        ('viewBox="0 0 640 480"', (640, 480)),
        ('width="100%" viewBox="0 0 640 480"', (640, 480)),
        ('width="320" viewBox="0 0 640 480"', (320, 240)),
        ('height="240" viewBox="0 0 640 480"', (320, 240)),
        ('height="90"', (300, 90)),  # no viewBox to keep the shape: a browser's width
        ("", (300, 150)),  # a browser's size for a drawing that gives none
        ('width="90000" height="30000"', (svg.MAX_SIDE, round(svg.MAX_SIDE / 3))),
    ],
)
def test_a_drawing_is_sized_as_a_browser_sizes_it(attributes: str, size: tuple[int, int]) -> None:
    data = (
        f'<svg xmlns="http://www.w3.org/2000/svg" {attributes}><rect width="5" height="5"/></svg>'
    )
    assert svg.sanitise(data.encode())[1:] == size


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (BOMB.read_bytes(), "declares entities (an entity bomb?)"),
        (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
         b'<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>',
         "declares entities"),
        (b'<!-- an <svg> in a comment first --><!DOCTYPE svg [<!ENTITY a "x">]>'
         b'<svg xmlns="http://www.w3.org/2000/svg"><text>&a;</text></svg>',
         "declares entities"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><text>&undeclared;</text></svg>',
         "broken SVG drawing"),
        (b'<svg xmlns="http://www.w3.org/2000/svg">' + b"<g>" * 300 + b"</g>" * 300 + b"</svg>",
         "broken SVG drawing"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>', "broken SVG drawing"),
        (b"<svg><rect/></svg>", "not an SVG drawing"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" width="0" height="9"><path d="M0 0"/></svg>',
         "without a usable size"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
         b'<image x:href="cover.jpg" width="600" height="800"/></svg>',
         "nothing left to draw once made safe"),
    ],
)  # fmt: skip
def test_hostile_or_broken_drawings_are_refused_in_one_line(data: bytes, problem: str) -> None:
    with pytest.raises(pictures.PictureError, match=re.escape(problem)) as caught:
        pictures.check(data)
    assert "\n" not in caught.value.problem


def test_the_element_limit_is_tested_at_its_edge() -> None:
    """A drawing of exactly the limit is kept; one element more, or 100,000, is refused
    before anything is drawn."""
    assert svg.sanitise(_drawing(svg.MAX_ELEMENTS))[1:] == (200, 200)
    for count in (svg.MAX_ELEMENTS + 1, 100_000):
        with pytest.raises(svg.SvgError, match=f"of {count:,} elements .the limit is 20,000."):
            svg.sanitise(_drawing(count))


def test_a_picture_that_is_an_svg_is_checked_as_one() -> None:
    checked = pictures.check(TURNOUT.read_bytes())
    assert checked.picture.media_type == "image/svg+xml"
    assert (checked.picture.width, checked.picture.height) == (454, 227)
    assert pictures.file_name(checked.picture).endswith(".svg")
    assert pictures.check(checked.data) == checked  # read back from an output: the same


# --------------------------------------------------------------------------- every format


@pytest.fixture(scope="module")
def chart_article(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("chart")
    (folder / "turnout.svg").write_bytes(TURNOUT.read_bytes())
    page = folder / "turnout.md"
    page.write_text(
        "---\ntitle: Turnout rises in every region\nauthor: Ann Lee\nlanguage: en\n---\n\n"
        "Turnout rose in every region this year, the electoral office said.\n\n"
        '![Bar chart of turnout by region](turnout.svg "Turnout by region")\n\n'
        "Final figures come next week.\n",
        encoding="utf-8",
    )
    return page


def _the_drawing(collection: ir.Collection) -> tuple[ir.Picture, bytes]:
    (article,) = collection.articles
    found = [(picture, data) for _, picture, data in pictures.embedded(article)]
    assert len(found) == 1
    return found[0]


def _red_share(page: Path, folder: Path) -> float:
    subprocess.run([require_tool("pdftoppm"), "-r", "40", "-png", "-f", "1", "-l", "1",
                    str(page), str(folder / "page")], check=True)  # fmt: skip
    image = Image.open(next(folder.glob("page*.png"))).convert("RGB")
    data = image.tobytes()
    pixels = [tuple(data[i : i + 3]) for i in range(0, len(data), 3)]
    near = sum(1 for p in pixels if all(abs(a - b) < 40 for a, b in zip(p, RED, strict=True)))
    return near / len(pixels)


@pytest.mark.parametrize("fmt", ["pdf", "docx", "epub", "html"])
def test_the_drawing_is_embedded_safe_and_read_back_the_same(
    chart_article: Path, tmp_path: Path, fmt: str
) -> None:
    expected = pictures.check(TURNOUT.read_bytes())
    out = tmp_path / f"turnout.{fmt}"
    convert.write(convert.load(chart_article), out)
    picture, data = _the_drawing(convert.load(out))
    assert picture == expected.picture and data == expected.data
    raw = out.read_bytes()
    if fmt in ("docx", "epub"):
        with zipfile.ZipFile(out) as archive:
            raw = b"".join(archive.read(n) for n in archive.namelist())
    assert b"tracker.example" not in raw and b"javascript:" not in raw


def test_the_pdf_draws_the_chart_as_vectors_in_embedded_fonts(
    chart_article: Path, tmp_path: Path
) -> None:
    out = tmp_path / "turnout.pdf"
    convert.write(convert.load(chart_article), out)
    subprocess.run([require_tool("qpdf"), "--check", str(out)], check=True, capture_output=True)
    images = subprocess.run([require_tool("pdfimages"), "-list", str(out)], check=True,
                            capture_output=True, text=True).stdout  # fmt: skip
    assert len(images.strip().splitlines()) == 2  # the header only: no raster picture
    fonts = subprocess.run([require_tool("pdffonts"), str(out)], check=True,
                           capture_output=True, text=True).stdout.splitlines()[2:]  # fmt: skip
    assert fonts and all(" yes " in line for line in fonts)  # no unembedded Helvetica
    text = subprocess.run([require_tool("pdftotext"), str(out), "-"], check=True,
                          capture_output=True, text=True).stdout  # fmt: skip
    assert "52%" in text  # the chart's label is text, set in the body font
    assert _red_share(out, tmp_path) > 0.01  # the red bar is on the page
    attached = subprocess.run([require_tool("pdfdetach"), "-list", str(out)], check=True,
                              capture_output=True, text=True).stdout  # fmt: skip
    assert "pictures/" in attached and ".svg" in attached


@pytest.mark.slow
def test_libreoffice_shows_the_docx_drawing(chart_article: Path, tmp_path: Path) -> None:
    out = tmp_path / "turnout.docx"
    convert.write(convert.load(chart_article), out)
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        body = archive.read("word/document.xml").decode("utf-8")
        rels = archive.read("word/_rels/document.xml.rels").decode("utf-8")
        types = archive.read("[Content_Types].xml").decode("utf-8")
        png = archive.read(next(n for n in names if n.endswith(".png")))
    assert "asvg:svgBlip" in body and 'descr="Bar chart of turnout by region"' in body
    assert re.search(r'Target="media/[0-9a-f]{16}\.svg"', rels)
    assert "image/svg+xml" in types
    # The PNG beside it is a real rendering of the drawing, at twice its size.
    rendered = Image.open(__import__("io").BytesIO(png)).convert("RGB")
    assert rendered.size == (908, 454)
    assert RED in {rendered.getpixel((x, 150)) for x in range(300, 400)}
    (lo_pdf,) = libreoffice_pdf([out], tmp_path / "lo")
    assert _red_share(lo_pdf, tmp_path) > 0.01


def test_the_epub_with_a_drawing_passes_epubcheck(chart_article: Path, tmp_path: Path) -> None:
    out = tmp_path / "turnout.epub"
    convert.write(convert.load(chart_article), out)
    assert epubcheck(out) == CLEAN
    with zipfile.ZipFile(out) as archive:
        opf = archive.read("EPUB/content.opf").decode("utf-8")
    assert re.search(
        r'href="images/[0-9a-f]{16}\.svg" id="[\w-]+" media-type="image/svg\+xml"', opf
    )


def test_what_svglib_says_about_a_drawing_stays_off_stderr(tmp_path: Path) -> None:
    """svglib logs what it cannot draw (an unknown colour here); stderr is for the user."""
    drawing = tmp_path / "odd.svg"
    drawing.write_bytes(
        b'<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50">'
        b'<rect width="40" height="40" fill="no-such-colour"/>'
        b'<rect x="50" width="40" height="40" fill="#cc3333"/></svg>'
    )
    page = tmp_path / "odd.md"
    page.write_text("# Odd\n\nText.\n\n![An odd chart](odd.svg)\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "convert", "convert", str(page), "-o", str(tmp_path / "odd.pdf")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == f"briefkit: wrote {tmp_path / 'odd.pdf'} (1 article)"
    assert _red_share(tmp_path / "odd.pdf", tmp_path) > 0.001  # the drawable part is drawn
