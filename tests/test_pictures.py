"""Pictures: the media store, the safety checks, embedding in DOCX, PDF and EPUB, readers."""

from __future__ import annotations

import dataclasses
import hashlib
import http.server
import io
import json
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

import convert
from convert.app.cli import main
from convert.media import pictures
from convert.model import ir

from .conftest import FIXTURES, SHARED, libreoffice_pdf, local_server, require_file, require_tool
from .test_epub import epubcheck

PICTURES = FIXTURES / "pictures"
ARTICLE = PICTURES / "article.md"
SAVED_PAGE = PICTURES / "saved-page.html"


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def _images(collection: ir.Collection) -> list[ir.Image]:
    return [image for article in collection.articles for image in pictures._images(article.blocks)]


def _first_page(pdf: Path, folder: Path) -> Image.Image:
    """The PDF's first page rendered by poppler at 30 dpi."""
    subprocess.run(
        [require_tool("pdftoppm"), "-r", "30", "-png", "-f", "1", "-l", "1", str(pdf),
         str(folder / "page")],
        check=True,
    )  # fmt: skip
    return Image.open(next(folder.glob("page*.png"))).convert("RGB")


def _coloured_share(page: Image.Image) -> float:
    """The share of strongly coloured pixels (text is black on white; the photos are not)."""
    data = page.convert("RGB").tobytes()
    pixels = [data[i : i + 3] for i in range(0, len(data), 3)]
    return sum(1 for p in pixels if max(p) - min(p) > 100) / len(pixels)


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------- the check


def test_jpeg_is_kept_as_it_is_and_metadata_free() -> None:
    data = (PICTURES / "harbour.jpg").read_bytes()
    checked = pictures.check(data)
    assert checked.picture == ir.Picture(_digest(checked.data), "image/jpeg", 480, 300)
    assert checked.data == data  # no metadata to strip: not re-compressed


def test_exif_orientation_is_applied_and_camera_metadata_stripped() -> None:
    source = (PICTURES / "sideways.jpg").read_bytes()
    assert Image.open(io.BytesIO(source)).getexif().get(0x010F) == "ExampleCam"
    checked = pictures.check(source)
    # Stored 200 wide and 320 high with "rotate 90° to view": shown 320 wide and 200 high.
    assert (checked.picture.width, checked.picture.height) == (320, 200)
    shown = Image.open(io.BytesIO(checked.data))
    assert shown.size == (320, 200)
    assert not shown.getexif(), "EXIF (camera, orientation) must not travel into outputs"
    assert b"ExampleCam" not in checked.data


def test_jpeg_metadata_segments_are_stripped_without_recompressing() -> None:
    image = Image.open(PICTURES / "harbour.jpg")
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80, exif=exif, comment=b"GPS somewhere")
    checked = pictures.check(buffer.getvalue())
    assert b"SecretCam" not in checked.data and b"GPS somewhere" not in checked.data
    assert checked.data.endswith(buffer.getvalue()[-1000:])  # the scan data is untouched
    assert Image.open(io.BytesIO(checked.data)).size == (480, 300)


@pytest.mark.parametrize(
    ("name", "kind"),
    [("chart.png", "image/png"), ("flag.gif", "image/png"), ("tile.webp", "image/jpeg")],
)
def test_png_gif_and_webp_become_png_or_jpeg(name: str, kind: str) -> None:
    checked = pictures.check((PICTURES / name).read_bytes())
    assert checked.picture.media_type == kind
    stored = Image.open(io.BytesIO(checked.data))
    assert stored.format == kind.split("/")[1].upper()
    assert stored.mode in ("RGB", "RGBA")
    assert checked == pictures.check((PICTURES / name).read_bytes())  # deterministic


def test_transparency_is_kept() -> None:
    checked = pictures.check((PICTURES / "chart.png").read_bytes())
    assert Image.open(io.BytesIO(checked.data)).mode == "RGBA"


def test_pictures_beyond_print_resolution_are_scaled_down() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (6000, 1500), (10, 120, 200)).save(buffer, "PNG")
    checked = pictures.check(buffer.getvalue())
    assert (checked.picture.width, checked.picture.height) == (pictures.PRINT_WIDTH, 500)
    assert Image.open(io.BytesIO(checked.data)).size == (pictures.PRINT_WIDTH, 500)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("bomb.png", "400,000,000 pixels is more than the limit of 50,000,000"),
        ("truncated.jpg", "truncated JPEG picture"),
        ("entity-bomb.svg", "an SVG drawing that declares entities"),
        ("not-a-picture.png", "text, not a picture"),
    ],
)
def test_unsafe_or_broken_pictures_are_refused_with_a_reason(name: str, reason: str) -> None:
    with pytest.raises(pictures.PictureError, match=reason):
        pictures.check((PICTURES / name).read_bytes())


def test_bomb_is_refused_before_decoding() -> None:
    import resource

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(pictures.PictureError):
        pictures.check((PICTURES / "bomb.png").read_bytes())
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kib < 100_000, "the 400-megapixel bomb must not be decoded"


# --------------------------------------------------------------------------- resolving


def test_markdown_pictures_resolve_beside_the_file() -> None:
    collection = convert.load(ARTICLE)
    images = _images(collection)
    assert [i.src for i in images] == ["harbour.jpg", "chart.png", "sideways.jpg"]
    assert all(i.picture is not None for i in images)
    article = collection.articles[0]
    for image in images:
        assert image.picture is not None
        assert _digest(article.media[image.picture.digest]) == image.picture.digest
    assert images[0].caption == (ir.Text("The quay at dawn"),)  # the Markdown title


def test_json_form_records_source_type_size_and_hash_but_not_bytes() -> None:
    text = convert.model.ir_json.dumps(convert.load(ARTICLE))
    blocks = json.loads(text)["articles"][0]["blocks"]
    image = next(b for b in blocks if b["type"] == "image")
    assert image["src"] == "harbour.jpg"
    assert image["picture"]["media_type"] == "image/jpeg"
    assert (image["picture"]["width"], image["picture"]["height"]) == (480, 300)
    assert image["picture"]["digest"].startswith("sha256:")
    assert len(text) < 10_000  # no image bytes in the JSON form
    assert convert.model.ir_json.loads(text) == convert.load(ARTICLE)


def test_images_none_resolves_nothing() -> None:
    collection = convert.load(ARTICLE, images="none")
    assert all(i.picture is None for i in _images(collection))
    assert not collection.articles[0].media


def test_unknown_policy_is_an_error() -> None:
    code, _, err = _run("convert", str(ARTICLE), "-o", "x.pdf", "--images", "some")
    assert code == 2 and "'some' is not one of 'none', 'local', 'all'" in err
    with pytest.raises(convert.BriefkitError) as refused:
        convert.load(ARTICLE, images="some")
    assert str(refused.value).endswith("unknown image policy 'some' (choose none, local, all)")


def test_data_uri_pictures_resolve(tmp_path: Path) -> None:
    import base64

    payload = base64.b64encode((PICTURES / "chart.png").read_bytes()).decode()
    page = tmp_path / "a.md"
    page.write_text(f"# Chart\n\nText.\n\n![A chart](data:image/png;base64,{payload})\n")
    (image,) = _images(convert.load(page))
    assert image.picture is not None and image.picture.media_type == "image/png"


def test_broken_pictures_are_one_warning_each_and_the_build_goes_on(tmp_path: Path) -> None:
    for name in (
        "bomb.png",
        "truncated.jpg",
        "entity-bomb.svg",
        "not-a-picture.png",
        "harbour.jpg",
    ):
        (tmp_path / name).write_bytes((PICTURES / name).read_bytes())
    page = tmp_path / "broken.md"
    page.write_text(
        "# Broken pictures\n\nSome text.\n\n"
        + "".join(
            f"![{name}]({name})\n\n"
            for name in ("bomb.png", "truncated.jpg", "entity-bomb.svg", "not-a-picture.png")
        )
        + "![missing](missing.jpg)\n\n![fine](harbour.jpg)\n"
    )
    out = tmp_path / "broken.pdf"
    code, _, err = _run("convert", str(page), "-o", str(out))
    assert code == 0, err
    warnings = [line for line in err.splitlines() if line.startswith("briefkit: warning:")]
    assert len(warnings) == 5, err
    assert any("bomb.png" in w and "decompression bomb" in w for w in warnings)
    assert any("truncated.jpg" in w and "truncated" in w for w in warnings)
    assert any("entity-bomb.svg" in w and "entity bomb" in w for w in warnings)
    assert any("missing.jpg" in w and "no such file" in w for w in warnings)
    assert "Traceback" not in err
    article = convert.read(out)[0]
    reasons = [d.reason for d in article.dropped if d.reason.startswith("picture not embedded")]
    assert len(reasons) == 5
    text = subprocess.run(
        [require_tool("pdftotext"), str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "[Image: bomb.png]" in text  # the described link, as before pictures
    listing = subprocess.run(
        [require_tool("pdfimages"), "-list", str(out)], capture_output=True, text=True, check=True
    ).stdout
    assert len(listing.splitlines()) == 3  # two heading lines and the one good picture


# --------------------------------------------------------------------------- writers


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pictures")
    made = {}
    for kind in ("docx", "pdf", "epub"):
        made[kind] = folder / f"article.{kind}"
        code, _, err = _run("convert", str(ARTICLE), "-o", str(made[kind]))
        assert code == 0, err
    return made


@pytest.mark.parametrize("kind", ["docx", "pdf", "epub"])
def test_reading_our_output_back_gives_the_same_pictures(
    outputs: dict[str, Path], kind: str
) -> None:
    original = convert.load(ARTICLE)
    again = convert.load(outputs[kind])
    before = [(i.alt, i.picture) for i in _images(original)]
    after = [(i.alt, i.picture) for i in _images(again)]
    assert after == before
    assert dict(again.articles[0].media) == dict(original.articles[0].media)


@pytest.mark.parametrize("kind", ["docx", "pdf", "epub"])
def test_outputs_with_pictures_are_byte_identical_across_builds(
    tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first, second = tmp_path / f"1.{kind}", tmp_path / f"2.{kind}"
    assert _run("convert", str(ARTICLE), "-o", str(first))[0] == 0
    assert _run("convert", str(ARTICLE), "-o", str(second))[0] == 0
    assert first.read_bytes() == second.read_bytes()


def test_docx_pictures_are_inline_with_alt_text_and_caption(outputs: dict[str, Path]) -> None:
    with zipfile.ZipFile(outputs["docx"]) as archive:
        media = sorted(n for n in archive.namelist() if n.startswith("word/media/"))
        body = archive.read("word/document.xml").decode("utf-8")
    assert media == ["word/media/image1.jpg", "word/media/image2.png", "word/media/image3.jpg"]
    assert body.count("<wp:inline") == 3
    assert 'descr="Fishing boats back at the quay at dawn"' in body
    # The picture's paragraph keeps with its caption, a "Caption" paragraph.
    assert "<w:keepNext/></w:pPr><w:r><w:drawing>" in body
    document = __import__("docx").Document(str(outputs["docx"]))
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert "The quay at dawn" in captions
    # Sized to the text width at most (A4, 20 mm margins in the default style: 170 mm).
    widths = [int(w) for w in __import__("re").findall(r'<wp:extent cx="(\d+)"', body)]
    assert max(widths) <= 170 / 25.4 * 914400 + 1


def test_libreoffice_renders_the_docx_pictures(outputs: dict[str, Path], tmp_path: Path) -> None:
    (rendered,) = libreoffice_pdf([outputs["docx"]], tmp_path)
    listing = subprocess.run(
        [require_tool("pdfimages"), "-list", str(rendered)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()[2:]
    assert [line.split()[2] for line in listing].count("image") == 3
    # The photo's colours (magenta to blue, with a yellow disc) on the rendered first page,
    # where a page without pictures has only black text on white.
    assert _coloured_share(_first_page(rendered, tmp_path)) > 0.05, (
        "the photo is not on the rendered page"
    )


def test_docx_without_pictures_renders_no_photo_colours(tmp_path: Path) -> None:
    out = tmp_path / "none.docx"
    assert _run("convert", str(ARTICLE), "-o", str(out), "--images", "none")[0] == 0
    (rendered,) = libreoffice_pdf([out], tmp_path)
    assert _coloured_share(_first_page(rendered, tmp_path)) < 0.01


def test_pdf_images_are_listed_by_poppler_with_caption_below(outputs: dict[str, Path]) -> None:
    listing = subprocess.run(
        [require_tool("pdfimages"), "-list", str(outputs["pdf"])],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()[2:]
    kinds = [line.split()[2] for line in listing]
    assert kinds.count("image") == 3 and kinds.count("smask") == 1  # the PNG's transparency
    assert [line.split()[3:5] for line in listing if line.split()[2] == "image"] == [
        ["480", "300"],
        ["240", "160"],
        ["320", "200"],
    ]
    text = subprocess.run(
        [require_tool("pdftotext"), "-layout", str(outputs["pdf"]), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "The quay at dawn" in text and "[Image:" not in text
    qpdf = subprocess.run(
        [require_tool("qpdf"), "--check", str(outputs["pdf"])], capture_output=True
    )
    assert qpdf.returncode == 0, qpdf.stdout


def test_pdf_keeps_a_picture_on_one_page_with_its_caption(tmp_path: Path) -> None:
    # Enough text before the picture that it would otherwise straddle a page break.
    page = tmp_path / "long.md"
    filler = "\n\n".join(f"Paragraph {n} " + "of filler text " * 30 for n in range(9))
    page.write_text(f'# Long\n\n{filler}\n\n![Boats]({PICTURES / "harbour.jpg"} "Caption here")\n')
    out = tmp_path / "long.pdf"
    assert _run("convert", str(page), "-o", str(out))[0] == 0
    listing = subprocess.run(
        [require_tool("pdfimages"), "-list", str(out)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    (line,) = listing
    picture_page = int(line.split()[0])
    caption_page = next(
        number
        for number in range(1, 6)
        if "Caption here"
        in subprocess.run(
            [require_tool("pdftotext"), "-f", str(number), "-l", str(number), str(out), "-"],
            capture_output=True,
            text=True,
        ).stdout
    )
    assert picture_page == caption_page


def test_epub_pictures_are_in_the_manifest_with_alt_and_figcaption(
    outputs: dict[str, Path],
) -> None:
    assert epubcheck(outputs["epub"]).startswith("0 fatals / 0 errors / 0 warnings")
    with zipfile.ZipFile(outputs["epub"]) as archive:
        opf = archive.read("EPUB/content.opf").decode("utf-8")
        chapter = archive.read("EPUB/text/article-0001.xhtml").decode("utf-8")
        names = archive.namelist()
    assert sum(1 for n in names if n.startswith("EPUB/images/")) == 3
    assert opf.count('media-type="image/') == 3
    assert '<figure class="picture"><img src="../images/' in chapter
    assert 'alt="Fishing boats back at the quay at dawn"' in chapter
    assert "<figcaption>The quay at dawn</figcaption>" in chapter
    # Accessibility metadata counts the pictures and their descriptions.
    assert "alternativeText" in opf and '"schema:accessMode">visual<' in opf
    assert "3 pictures, 3 with a text description" in opf


def test_inspect_extract_media_writes_the_bytes(tmp_path: Path, outputs: dict[str, Path]) -> None:
    folder = tmp_path / "media"
    code, out, err = _run("inspect", str(outputs["epub"]), "--extract-media", str(folder))
    assert code == 0, err
    written = sorted(p.name for p in folder.iterdir())
    assert len(written) == 3
    for path in folder.iterdir():
        assert path.name.startswith(hashlib.sha256(path.read_bytes()).hexdigest()[:16])
    blocks = json.loads(out)["articles"][0]["blocks"]
    sources = [b["src"] for b in blocks if b["type"] == "image"]
    assert sources == [(folder / name).as_posix() for name in
                       [pictures.file_name(i.picture) for i in _images(convert.load(ARTICLE))
                        if i.picture]]  # fmt: skip
    # The printed JSON builds again, pictures included.
    saved = tmp_path / "article.json"
    saved.write_text(out)
    assert all(i.picture for i in _images(convert.load(saved)))


# --------------------------------------------------------------------------- readers


def test_saved_page_keeps_its_photo_with_caption_not_its_furniture() -> None:
    article = convert.read(SAVED_PAGE)[0]
    (image,) = pictures._images(article.blocks)
    assert image.src == "saved-page_files/quay.jpg"  # the lazy loader's real address
    assert image.alt == "Fishing boats back at the quay at dawn"
    assert ir.plain_text(image.caption) == "The quay at dawn on Friday, as the first boats left."
    assert image.picture is not None and image.picture.digest in article.media
    left_out = [d for d in article.dropped if d.reason.startswith("picture left out")]
    assert [d.text for d in left_out] == ["saved-page_files/pixel.gif"]


class _NewsSite(http.server.BaseHTTPRequestHandler):
    """A page whose pictures are on the same server (one of them missing)."""

    def do_GET(self) -> None:
        files = {
            "/news/harbour.html": SAVED_PAGE.read_bytes()
            .replace(b"saved-page_files/quay.jpg", b"/media/quay.jpg")
            .replace(
                b"<p>The storm,",
                b'<figure><img src="/media/gone.jpg" alt="Gone"></figure><p>The storm,',
            ),
            "/media/quay.jpg": (PICTURES / "harbour.jpg").read_bytes(),
        }
        body = files.get(self.path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        kind = "text/html; charset=utf-8" if self.path.endswith(".html") else "image/jpeg"
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_web_page_pictures_are_fetched_only_when_asked(tmp_path: Path) -> None:
    with local_server(_NewsSite) as base:
        url = f"{base}/news/harbour.html"
        offline = tmp_path / "offline.epub"
        code, _, err = _run("convert", url, "-o", str(offline))
        assert code == 0, err
        assert "not fetched (--images all fetches them)" in err
        assert len([line for line in err.splitlines() if "warning" in line]) == 1
        online = tmp_path / "online.epub"
        code, _, err = _run("convert", url, "-o", str(online), "--images", "all")
        assert code == 0, err
    assert "gone.jpg: cannot fetch: HTTP 404" in err
    with zipfile.ZipFile(offline) as archive:
        assert not [n for n in archive.namelist() if n.startswith("EPUB/images/")]
    with zipfile.ZipFile(online) as archive:
        assert [n for n in archive.namelist() if n.startswith("EPUB/images/")] == [
            "EPUB/images/75646763bd3b2457.jpg"
        ]
        chapter = archive.read("EPUB/text/article-0001.xhtml").decode("utf-8")
    assert (
        "<figcaption>The quay at dawn on Friday, as the first boats left.</figcaption>" in chapter
    )
    assert epubcheck(online).startswith("0 fatals / 0 errors / 0 warnings")


def test_fetched_pictures_obey_the_size_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pictures, "MAX_BYTES", 1000)
    with local_server(_NewsSite) as base, pytest.warns(convert.BriefkitWarning, match="too large"):
        collection = convert.load(f"{base}/news/harbour.html", images="all")
    assert not collection.articles[0].media


def test_foreign_docx_pictures_come_into_the_media_store(tmp_path: Path) -> None:
    import docx
    from docx.shared import Mm

    document = docx.Document()
    document.add_heading("Storm report", 1)
    document.add_paragraph("The harbour reopened.")
    document.add_picture(str(PICTURES / "harbour.jpg"), width=Mm(80))
    document.inline_shapes[0]._inline.docPr.set("descr", "Boats at the quay")
    path = tmp_path / "foreign.docx"
    document.save(str(path))
    article = convert.read(path)[0]
    (image,) = pictures._images(article.blocks)
    assert image.alt == "Boats at the quay" and image.src == "word/media/image1.jpg"
    assert image.picture is not None
    assert article.media[image.picture.digest] == (PICTURES / "harbour.jpg").read_bytes()


def test_foreign_epub_pictures_come_into_the_media_store() -> None:
    book = require_file(
        SHARED / "realworld/files/031-epub2_picture.epub", "shared real-world files"
    )
    collection = convert.load(book)
    images = _images(collection)
    assert images and all(i.picture is not None for i in images)
    assert all(i.src.startswith("OEBPS/") or "/" in i.src for i in images)


def test_briefing_append_keeps_the_existing_pictures(tmp_path: Path) -> None:
    out = tmp_path / "digest.pdf"
    assert _run("convert", str(ARTICLE), "-o", str(out))[0] == 0
    code, _, err = _run("append", str(out), str(FIXTURES / "text/xinhua-en.txt"))
    assert code == 0, err
    collection = convert.load(out)
    assert len(collection.articles) == 2
    assert sum(1 for i in _images(collection) if i.picture) == 3
    listing = subprocess.run(
        [require_tool("pdfimages"), "-list", str(out)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    # three pictures, the first shown on the cover too (its image object drawn twice)
    assert [line.split()[2] for line in listing].count("image") == 4
    assert len({line.split()[10] for line in listing if line.split()[2] == "image"}) == 3


def test_pdf_pictures_sharing_their_transparency_share_one_mask(tmp_path: Path) -> None:
    # Two different pictures with the same alpha channel: reportlab names a soft mask by its
    # pixels, so the second picture must reuse the first one's mask, not define it again.
    for name, colour in (("red.png", (200, 30, 30, 255)), ("blue.png", (30, 30, 200, 255))):
        picture = Image.new("RGBA", (60, 40), colour)
        picture.putpixel((0, 0), (0, 0, 0, 0))
        picture.save(tmp_path / name)
    page = tmp_path / "two.md"
    page.write_text("# Two\n\nText.\n\n![Red](red.png)\n\n![Blue](blue.png)\n")
    out = tmp_path / "two.pdf"
    code, _, err = _run("convert", str(page), "-o", str(out))
    assert code == 0, err
    import pikepdf

    with pikepdf.open(out) as pdf:
        images = [
            image
            for page in pdf.pages
            for image in page.obj.Resources.get("/XObject", {}).values()
            if image.Subtype == "/Image"
        ]
        assert len(images) == 2
        assert images[0].SMask.objgen == images[1].SMask.objgen  # one mask object, used twice


def test_many_pictures_with_one_problem_are_one_warning(tmp_path: Path) -> None:
    """A book of page drawings that cannot be embedded printed a warning per page: now one
    line per input and problem with a count and the first names; every picture stays in
    dropped."""
    from click.testing import CliRunner

    from convert.app.cli import main

    drawing = (FIXTURES / "pictures" / "entity-bomb.svg").read_bytes()
    lines = ["# Drawings", ""]
    for n in range(1, 15):
        (tmp_path / f"p{n}.svg").write_bytes(drawing)
        lines += [f"![Page {n}](p{n}.svg)", ""]
    source = tmp_path / "book.md"
    source.write_text("\n".join([*lines, "Text.", ""]), encoding="utf-8")
    result = CliRunner().invoke(main, ["convert", str(source), "-o", str(tmp_path / "b.json")])
    assert result.exit_code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert warnings == [
        f"briefkit: warning: {source}: 14 pictures not embedded: refused: an SVG drawing that "
        "declares entities (an entity bomb?): p1.svg, p2.svg, p3.svg, … (briefkit inspect "
        "lists them all)"
    ]
    dropped = convert.load(tmp_path / "b.json").articles[0].dropped
    assert len([d for d in dropped if d.text.endswith(".svg")]) == 14


def _png(width: int, height: int, padding: int = 0) -> bytes:
    """A one-bit PNG of ``width`` x ``height`` pixels, with a private ancillary chunk of
    ``padding`` bytes (which readers skip) to reach a given file size."""
    import io
    import struct
    import zlib

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (width, height), 1).save(buffer, "PNG")
    data = buffer.getvalue()
    if padding:
        body = b"prVt" + bytes(padding)
        chunk = struct.pack(">I", padding) + body + struct.pack(">I", zlib.crc32(body))
        data = data[:33] + chunk + data[33:]  # after the signature and IHDR
    return data


def test_the_pixel_limit_holds_at_its_edge() -> None:
    from convert.media.pictures import MAX_PIXELS, PictureError, check

    assert MAX_PIXELS == 50_000_000  # the limit the documentation states
    accepted = check(_png(10_000, 5_000))  # exactly the limit
    assert (accepted.picture.width, accepted.picture.height) == (2_000, 1_000)
    with pytest.raises(PictureError, match=r"50,005,000 pixels \(10001×5000\) is more than"):
        check(_png(10_001, 5_000))  # one column more


def test_the_byte_limit_holds_at_its_edge() -> None:
    from convert.media.pictures import MAX_BYTES, PictureError, check

    assert MAX_BYTES == 20 * 1024 * 1024
    small = _png(10, 10)
    exact = _png(10, 10, padding=MAX_BYTES - len(small) - 12)
    assert len(exact) == MAX_BYTES
    assert check(exact).picture.width == 10
    over = _png(10, 10, padding=MAX_BYTES - len(small) - 11)
    with pytest.raises(PictureError, match=f"too large \\({MAX_BYTES + 1} bytes; the limit is"):
        check(over)


def test_a_picture_file_of_exactly_the_byte_limit_is_read_one_byte_more_is_not(
    tmp_path: Path,
) -> None:
    from convert.media.pictures import MAX_BYTES, Origin, PictureError, fetch_bytes

    small = _png(10, 10)
    (tmp_path / "exact.png").write_bytes(_png(10, 10, padding=MAX_BYTES - len(small) - 12))
    (tmp_path / "over.png").write_bytes(_png(10, 10, padding=MAX_BYTES - len(small) - 11))
    origin = Origin(folder=tmp_path)
    assert len(fetch_bytes("exact.png", origin, "local")) == MAX_BYTES
    with pytest.raises(PictureError, match="too large"):
        fetch_bytes("over.png", origin, "local")
    with pytest.raises(PictureError, match=r"^no such file$"):
        fetch_bytes("missing.png", origin, "local")


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes((0xFF, marker)) + (len(payload) + 2).to_bytes(2, "big") + payload


def test_every_metadata_segment_of_a_jpeg_goes_and_the_colour_layout_stays() -> None:
    """APP1 (EXIF, XMP) to APP13 (Photoshop captions), APP15 and comments hold what a
    camera or an editor knew (places, names); APP0 (JFIF) and APP14 (Adobe: how the colour
    channels are stored) say how to draw the picture."""
    original = (PICTURES / "harbour.jpg").read_bytes()
    extra = b"".join(
        _segment(marker, name)
        for marker, name in ((0xE1, b"Exif-secret"), (0xED, b"Photoshop-caption"),
                             (0xEE, b"Adobe-layout"), (0xEF, b"app15-secret"),
                             (0xFE, b"comment-secret"))
    )  # fmt: skip
    data = original[:2] + b"\xff" + extra + original[2:]  # a fill byte first
    checked = pictures.check(data)
    assert checked.picture.media_type == "image/jpeg"
    for secret in (b"Exif-secret", b"Photoshop-caption", b"app15-secret", b"comment-secret"):
        assert secret not in checked.data
    assert b"Adobe-layout" in checked.data
    assert checked.data.endswith(original[-2000:])  # not compressed again


@pytest.mark.parametrize(
    ("payload", "problem"),
    [
        ("iVBORw0K\n  Ggo=", None),  # line breaks and spaces inside base64 are allowed
        ("iVBORw0K*Ggo=", "malformed base64 in a data: URI"),
    ],
)
def test_data_uris_are_read_strictly(payload: str, problem: str | None) -> None:
    from convert.media.pictures import Origin, PictureError, fetch_bytes

    src = f"data:image/png;base64,{payload}"
    if problem is None:
        assert fetch_bytes(src, Origin(), "local").startswith(b"\x89PNG\r\n\x1a\n")
    else:
        with pytest.raises(PictureError) as refused:
            fetch_bytes(src, Origin(), "local")
        assert str(refused.value) == problem
    plain = fetch_bytes("data:image/svg+xml,%3Csvg%3E", Origin(), "local")
    assert plain == b"<svg>"  # not base64: percent-encoded


def test_pictures_inside_quotes_lists_and_boxes_are_embedded(tmp_path: Path) -> None:
    (tmp_path / "chart.png").write_bytes((PICTURES / "chart.png").read_bytes())
    page = tmp_path / "nested.md"
    page.write_text(
        "# Nested\n\nText.\n\n> ![In a quote](chart.png)\n\n- ![In a list](chart.png)\n",
        encoding="utf-8",
    )
    images = _images(convert.load(page))
    assert len(images) == 2 and all(i.picture is not None for i in images)


def test_a_long_picture_address_is_shortened_in_its_warning(tmp_path: Path) -> None:
    long_name = "".join(str(n % 10) for n in range(70)) + "/" + "b" * 30 + "/missing-picture.png"
    page = tmp_path / "long.md"
    page.write_text(f"# Long\n\nText.\n\n![x]({long_name})\n", encoding="utf-8")
    code, _, err = _run("convert", str(page), "-o", str(tmp_path / "long.json"))
    assert code == 0
    shown = long_name[:60] + "…" + long_name[-15:]
    assert shown in err and long_name not in err
    short = tmp_path / "short.md"
    short.write_text("# Short\n\nText.\n\n![x](" + "c" * 76 + ".png)\n", encoding="utf-8")
    _, _, err = _run("convert", str(short), "-o", str(tmp_path / "short.json"))
    assert "c" * 76 + ".png" in err  # 80 characters: shown whole
    longer = tmp_path / "longer.md"
    longer.write_text("# Longer\n\nText.\n\n![x](" + "d" * 77 + ".png)\n", encoding="utf-8")
    _, _, err = _run("convert", str(longer), "-o", str(tmp_path / "longer.json"))
    assert "d" * 60 + "…" + "d" * 11 + ".png:" in err  # 81 characters: shortened


def test_extracting_pictures_creates_the_folder_and_can_run_again(tmp_path: Path) -> None:
    collection = convert.load(ARTICLE)
    target = tmp_path / "deep" / "er" / "media"
    first = pictures.extract(collection, str(target))
    again = pictures.extract(collection, str(target))  # the same bytes: fine
    assert first == again
    files = sorted(target.iterdir())
    assert len(files) == 3
    for _, picture, data in (e for a in collection.articles for e in pictures.embedded(a)):
        name = picture.digest.removeprefix("sha256:")[:16] + pictures.EXTENSIONS[picture.media_type]
        assert (target / name).read_bytes() == data  # named by the first 16 digits of its hash
    files[0].write_bytes(b"an older file of that name")
    pictures.extract(collection, str(target))
    assert b"older" not in files[0].read_bytes()  # written again


# --------------------------------------------------------------------------- what is stored


def _encoded(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def _refusal(data: bytes) -> str:
    with pytest.raises(pictures.PictureError) as refused:
        pictures.check(data)
    return str(refused.value)


def _stored(data: bytes) -> tuple[pictures.Checked, Image.Image]:
    checked = pictures.check(data)
    return checked, Image.open(io.BytesIO(checked.data))


@pytest.mark.parametrize(("fmt", "mode"), [("TIFF", "RGB"), ("BMP", "RGB"), ("ICO", "RGBA")])
def test_picture_formats_other_than_jpeg_png_gif_and_webp_are_refused(fmt: str, mode: str) -> None:
    data = _encoded(Image.new(mode, (16, 16), (255, 0, 0)), fmt)
    assert _refusal(data) == "not a JPEG, PNG, GIF or WebP picture"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"\n  <!DOCTYPE html><html><p>Not found</p></html>",
            "a web page or markup, not a picture",
        ),
        (b"", "empty, not a picture"),
        (b"GIF89 is what this file says it is, in plain text", "text, not a picture"),
    ],
)
def test_what_is_not_a_picture_is_named(data: bytes, message: str) -> None:
    assert _refusal(data) == message


def test_a_damaged_picture_is_called_broken_and_a_cut_one_truncated() -> None:
    data = bytearray(_encoded(Image.effect_noise((64, 64), 60).convert("RGB"), "PNG"))
    start = data.index(b"IDAT") + 4
    data[start : start + 40] = bytes(40)  # the compressed pixels damaged, the file whole
    message = _refusal(bytes(data))
    assert message.startswith("broken (") and message.endswith(") PNG picture"), message
    whole = (PICTURES / "harbour.jpg").read_bytes()
    assert _refusal(whole[: len(whole) // 2]) == "truncated JPEG picture"


def test_a_tall_picture_is_scaled_to_the_print_height_and_a_thin_one_keeps_a_pixel() -> None:
    checked, stored = _stored(_encoded(Image.new("L", (700, 5600), 128), "PNG"))
    assert stored.size == (350, pictures.PRINT_HEIGHT) == (checked.picture.width,
                                                          checked.picture.height)  # fmt: skip
    _, thin = _stored(_encoded(Image.new("L", (1, 5600), 128), "PNG"))
    assert thin.size == (1, pictures.PRINT_HEIGHT)


def test_upright_grey_and_orientation_zero_jpegs_are_kept_without_recompressing() -> None:
    grey = _encoded(Image.effect_noise((120, 80), 40), "JPEG", quality=85)
    assert pictures.check(grey).data == grey
    exif = Image.Exif()
    exif[0x0112] = 0  # written by some cameras and phones: "unknown", shown as it is
    photo = _encoded(Image.open(PICTURES / "harbour.jpg"), "JPEG", quality=80, exif=exif)
    checked, stored = _stored(photo)
    assert checked.data.endswith(photo[-2000:]) and stored.size == (480, 300)
    assert not stored.getexif()


def test_a_turned_photo_stays_a_jpeg_of_print_quality() -> None:
    import math

    from PIL import ImageChops, ImageOps, ImageStat

    source = Image.open(PICTURES / "sideways.jpg")
    checked, stored = _stored((PICTURES / "sideways.jpg").read_bytes())
    assert checked.picture.media_type == "image/jpeg" and stored.format == "JPEG"
    upright = ImageOps.exif_transpose(source).convert("RGB")
    error = ImageStat.Stat(ImageChops.difference(upright, stored.convert("RGB")))
    mean_square = sum(error.sum2) / (3 * upright.size[0] * upright.size[1])
    assert 10 * math.log10(255**2 / mean_square) >= 42  # dB: no visible loss


def test_an_animated_gif_prints_as_its_first_frame() -> None:
    frames = [Image.new("RGB", (20, 20), colour) for colour in ("red", "blue", "green")]
    data = _encoded(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)
    _, stored = _stored(data)
    assert stored.convert("RGB").getpixel((10, 10)) == (255, 0, 0)


@pytest.mark.parametrize("mode", ["LA", "P"])
def test_grey_and_palette_pictures_keep_their_transparency(mode: str) -> None:
    if mode == "LA":
        image = Image.new("LA", (8, 8), (200, 255))
        image.putpixel((0, 0), (200, 0))
        data = _encoded(image, "PNG")
    else:
        image = Image.new("P", (8, 8), 1)
        image.putpalette([0, 0, 0, 255, 0, 0])
        image.putpixel((0, 0), 0)
        data = _encoded(image, "PNG", transparency=0)
    checked, stored = _stored(data)
    assert checked.picture.media_type == "image/png" and stored.mode == "RGBA"
    assert stored.getpixel((0, 0))[3] == 0 and stored.getpixel((1, 1))[3] == 255


def test_an_opaque_palette_picture_is_stored_as_plain_rgb() -> None:
    checked, stored = _stored((PICTURES / "flag.gif").read_bytes())
    assert checked.picture.media_type == "image/png" and stored.mode == "RGB"


def test_jpeg_metadata_anywhere_before_the_pixels_and_of_any_length_goes() -> None:
    original = (PICTURES / "harbour.jpg").read_bytes()
    tables = original.index(b"\xff\xdb")  # the quantisation tables, after APP0
    packet = b"http://ns.adobe.com/xap/1.0/\0" + b"<x:xmpmeta secret-place/>" * 40  # > 255
    checked = pictures.check(original[:tables] + _segment(0xE1, packet) + original[tables:])
    assert b"secret-place" not in checked.data and checked.data.endswith(original[-2000:])
    end_of_tables = tables + 2 + int.from_bytes(original[tables + 2 : tables + 4], "big")
    late = original[:end_of_tables] + _segment(0xFE, b"late-note") + original[end_of_tables:]
    assert b"late-note" not in pictures.check(late).data


def test_a_jpeg_with_bytes_between_its_segments_is_kept_whole() -> None:
    """Not laid out as the standard says, but decodable: nothing is guessed away."""
    original = (PICTURES / "harbour.jpg").read_bytes()
    app0_end = 4 + int.from_bytes(original[4:6], "big")
    data = original[:app0_end] + b"\x00\x11stray" + original[app0_end:]
    assert pictures.check(data).data == data


def test_text_cut_inside_a_character_at_the_sniffed_length_is_still_text() -> None:
    text = ("新闻" * 200).encode("utf-8")  # three bytes a character: byte 512 cuts one
    assert len(text) > 512 and text[:512].decode("utf-8", "replace").endswith("\ufffd")
    assert _refusal(text) == "text, not a picture"


def test_a_picture_named_by_a_file_url_is_read(tmp_path: Path) -> None:
    picture = tmp_path / "pictures" / "harbour picture.jpg"
    picture.parent.mkdir()
    picture.write_bytes((PICTURES / "harbour.jpg").read_bytes())
    from convert.model import ir_json

    article = ir.Article(
        meta=ir.Meta(title="Harbour"),
        blocks=(ir.Paragraph((ir.Text("Text."),)), ir.Image(picture.as_uri(), "The quay")),
    )
    page = tmp_path / "elsewhere" / "harbour.json"  # an IR file another program wrote
    page.parent.mkdir()
    page.write_text(ir_json.dumps(ir.Collection(articles=(article,))), encoding="utf-8")
    images = _images(convert.load(page))
    assert images[0].picture is not None and images[0].picture.width == 480


# --------------------------------------------------------------------------- what is said


def _with_pictures(*sources: str) -> ir.Article:
    return ir.Article(
        meta=ir.Meta(title="Harbour"),
        blocks=(ir.paragraph("Text."), *(ir.Image(src, "a picture") for src in sources)),
    )


def _resolved(
    collection: ir.Collection, folder: Path, policy: str = "local", where: str = "page.md"
) -> tuple[ir.Collection, list[str]]:
    """The collection with its pictures resolved, and the warnings given on the way."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = pictures.resolve(collection, pictures.Origin(folder=folder), policy, where)
    return out, [str(w.message) for w in caught]


def test_pictures_left_on_the_web_are_one_warning_counted_for_the_whole_input(
    tmp_path: Path,
) -> None:
    one = ir.Collection(articles=(_with_pictures("https://example.org/a.jpg"),))
    _, said = _resolved(one, tmp_path)
    assert said == [
        "page.md: 1 picture on the web not fetched (--images all fetches them); shown as "
        "described links"
    ]
    several = ir.Collection(
        articles=(
            _with_pictures("https://example.org/a.jpg", "https://example.org/b.jpg"),
            _with_pictures("https://example.org/a.jpg", "https://example.org/c.jpg"),
        )
    )
    resolved, said = _resolved(several, tmp_path, where="")
    assert said == [
        "3 pictures on the web not fetched (--images all fetches them); shown as described links"
    ]
    two = ir.Collection(
        articles=(_with_pictures("https://a.example/1.jpg", "https://b.example/2.jpg"),)
    )
    with pytest.warns(convert.BriefkitWarning) as caught:
        pictures.resolve(two, pictures.Origin(folder=tmp_path))  # no file named: no prefix
    assert [str(w.message) for w in caught] == [
        "2 pictures on the web not fetched (--images all fetches them); shown as described links"
    ]
    assert [d.reason for d in resolved.articles[1].dropped] == [
        "picture not embedded: on the web; not fetched (--images all fetches it)"
    ] * 2


def test_one_problem_of_many_pictures_is_one_warning_naming_the_first_three(
    tmp_path: Path,
) -> None:
    names = [f"missing-{n}.jpg" for n in range(4)]
    collection = ir.Collection(
        articles=(_with_pictures(*names[:2]), _with_pictures(*names[2:], names[0]))
    )
    _, said = _resolved(collection, tmp_path)
    assert said == [
        "page.md: 4 pictures not embedded: no such file: missing-0.jpg, missing-1.jpg, "
        "missing-2.jpg, … (briefkit inspect lists them all)"
    ]
    three = ir.Collection(articles=(_with_pictures(*names[:3]),))
    _, said = _resolved(three, tmp_path, where="")
    assert said == [
        "3 pictures not embedded: no such file: missing-0.jpg, missing-1.jpg, missing-2.jpg "
        "(briefkit inspect lists them all)"
    ]


def test_pictures_an_earlier_run_left_out_are_tried_again_only_when_it_may_fetch(
    tmp_path: Path,
) -> None:
    web = "https://example.org/a.jpg"
    earlier = dataclasses.replace(
        _with_pictures(web, "missing.jpg", ""),
        dropped=(
            ir.Dropped(web, "picture not embedded: on the web; not fetched (--images all fetches it)"),
            ir.Dropped("missing.jpg", "picture not embedded: no such file"),
        ),
    )  # fmt: skip
    collection = ir.Collection(articles=(earlier,))
    again, said = _resolved(collection, tmp_path)
    assert again is collection and said == []  # nothing new to try, nothing said twice
    with local_server(_NewsSite) as base:
        page = dataclasses.replace(earlier, blocks=(ir.Image(f"{base}/media/quay.jpg", "q"),),
                                   dropped=(ir.Dropped(f"{base}/media/quay.jpg",
                                                       earlier.dropped[0].reason),))  # fmt: skip
        fetched, _ = _resolved(ir.Collection(articles=(page,)), tmp_path, policy="all")
    image = fetched.articles[0].blocks[0]
    assert isinstance(image, ir.Image) and image.picture is not None  # fetched now


def test_a_picture_whose_bytes_are_gone_is_no_longer_said_to_be_embedded(tmp_path: Path) -> None:
    known = ir.Picture("sha256:" + "0" * 64, "image/jpeg", 480, 300)
    article = ir.Article(
        meta=ir.Meta(title="Harbour"), blocks=(ir.Image("gone.jpg", "quay", picture=known),)
    )
    resolved, said = _resolved(ir.Collection(articles=(article,)), tmp_path)
    image = resolved.articles[0].blocks[0]
    assert isinstance(image, ir.Image) and image.picture is None
    assert said == ["page.md: picture gone.jpg: no such file"]
    untouched = ir.Collection(articles=(article,))
    assert pictures.resolve(untouched, pictures.Origin(folder=tmp_path), "none") is untouched


def test_a_relative_picture_of_a_fetched_page_is_fetched_from_the_pages_site() -> None:
    page = _with_pictures("../media/quay.jpg")
    with local_server(_NewsSite) as base:
        origin = pictures.Origin(url=f"{base}/news/harbour.html")
        fetched = pictures.resolve(ir.Collection(articles=(page,)), origin, "all")
    image = fetched.articles[0].blocks[1]
    assert isinstance(image, ir.Image) and image.picture is not None
    assert image.picture.width == 480


def test_a_turned_cmyk_photo_is_stored_in_rgb() -> None:
    """Print shops' JPEGs are often CMYK; turned upright they are encoded again, in RGB
    (what every reader of the outputs shows the same)."""
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° to view
    data = _encoded(Image.new("CMYK", (40, 20), (0, 255, 255, 0)), "JPEG", exif=exif)
    checked, stored = _stored(data)
    assert (checked.picture.media_type, stored.mode, stored.size) == ("image/jpeg", "RGB", (20, 40))


def test_a_very_wide_rule_keeps_its_one_pixel_height() -> None:
    _, stored = _stored(_encoded(Image.new("L", (10_000, 1), 0), "PNG"))
    assert stored.size == (pictures.PRINT_WIDTH, 1)


def test_every_picture_of_an_article_is_resolved_whatever_comes_before_it(
    tmp_path: Path,
) -> None:
    """A picture an IR file already holds, and one without an address, do not stop the
    ones after them."""
    (tmp_path / "harbour.jpg").write_bytes((PICTURES / "harbour.jpg").read_bytes())
    held = convert.load(ARTICLE).articles[0]
    first = next(b for b in held.blocks if isinstance(b, ir.Image) and b.picture is not None)
    article = dataclasses.replace(
        held, blocks=(first, ir.Image("", "no address"), ir.Image("harbour.jpg", "quay"))
    )
    resolved, _ = _resolved(ir.Collection(articles=(article,)), tmp_path)
    last = resolved.articles[0].blocks[-1]
    assert isinstance(last, ir.Image) and last.picture is not None and last.picture.width == 480
