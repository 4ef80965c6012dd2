"""Pictures: image references resolved once into checked bytes that every writer embeds.

After a reader has run, :func:`resolve` visits each ``image`` block of the collection and
looks for its bytes: a ``data:`` URI, a member of the input's own container (a DOCX's
``word/media``, an EPUB's images, the pictures of a briefkit PDF), a file beside the input
(a Markdown file's pictures, a saved page's ``_files/`` folder), or, only when the policy is
``all``, an http(s) URL fetched with :mod:`convert.media.fetch`'s timeout, size cap and redirect
limit. :func:`check` then opens the bytes with Pillow under a pixel limit (decompression
bombs are refused), accepts JPEG, PNG, GIF and WebP, applies the EXIF orientation,
strips metadata, scales pictures larger than print resolution at the text width down and
stores them as JPEG (photos) or PNG (everything else); an SVG drawing is made safe and kept
as SVG (:mod:`convert.media.svg`). Writers meet three types only.

The checked bytes go into the article's :attr:`~convert.model.ir.Article.media` under their
SHA-256 digest and the block gets a :class:`~convert.model.ir.Picture`; a picture that cannot be
had is one ``briefkit: warning:`` line and a ``dropped`` entry, and the block stays a
described link. Nothing is fetched from the network unless the policy says ``all``.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import dataclasses
import hashlib
import io
import posixpath
import re
import urllib.parse
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..model import ir
from ..model.errors import BriefkitError, BriefkitWarning, OutputError
from . import svg
from .fetch import fetch, is_url
from .files import atomic_output

SHOWN_NAMES = 3
"""Names a grouped picture warning shows before "…"."""
POLICIES = ("none", "local", "all")
"""What ``--images`` may resolve: nothing; local files, the input's own pictures and
``data:`` URIs (the default); also http(s) URLs."""
DEFAULT_POLICY = "local"

MAX_PIXELS = 50_000_000
"""More pixels than this (e.g. 8,700 × 5,750) is refused before decoding: a decompression bomb."""
MAX_BYTES = 20 * 1024 * 1024
"""The largest picture file read or fetched."""
PRINT_WIDTH = 2000
"""Widest picture kept, in pixels: about 300 dpi across a 6.5-inch text width."""
PRINT_HEIGHT = 2800
"""Tallest picture kept, in pixels: about 300 dpi down a 9.3-inch text height."""
JPEG_QUALITY = 90
ACCEPTED = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
"""The formats read, by Pillow's name."""
EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", svg.MEDIA_TYPE: ".svg"}
"""The file extension of each stored type."""

Lookup = Callable[[str], bytes | None]
"""A member of the input's own container by its path, or None."""


def check_policy(policy: str) -> None:
    """Refuse a policy that is not one of :data:`POLICIES`."""
    if policy not in POLICIES:
        raise BriefkitError(f"unknown image policy {policy!r} (choose {', '.join(POLICIES)})")


class PictureError(BriefkitError):
    """A picture that cannot be used: unreachable, broken, too large, not a picture."""

    def __init__(self, problem: str, *, offline: bool = False, silent: bool = False) -> None:
        super().__init__(problem)
        self.offline = offline
        """True when the picture is on the web and the policy keeps the build offline."""
        self.silent = silent
        """True when the reference is left as it is, without a warning or a note."""


@dataclass(frozen=True, slots=True)
class Checked:
    """A picture's checked bytes and what is known of them."""

    data: bytes
    picture: ir.Picture


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an input came from, for resolving its pictures' relative references."""

    folder: Path | None = None
    """The folder of an input file."""
    url: str | None = None
    """The address of an input fetched from the web."""
    container: Lookup | None = None
    """Members of the input itself (a DOCX, an EPUB, a briefkit PDF)."""


# --------------------------------------------------------------------------- checking


def _describe(data: bytes) -> str:
    """What bytes that are not an accepted picture seem to be."""
    head = data[:512].lstrip()
    if head[:1] == b"<":
        return "a web page or markup, not a picture"
    if not data:
        return "empty, not a picture"
    try:
        # not final: the cut at 512 bytes may fall inside a character
        codecs.getincrementaldecoder("utf-8")().decode(data[:512], final=False)
    except UnicodeDecodeError:
        return "not a JPEG, PNG, GIF or WebP picture"
    return "text, not a picture"


def _strip_jpeg(data: bytes) -> bytes:
    """A JPEG without its metadata segments (EXIF, XMP, ICC, comments), otherwise unchanged.

    APP0 (JFIF) and APP14 (Adobe: how the colour channels are stored) are kept; everything
    from the start of scan on is copied as it is, so the picture is not re-compressed.
    """
    out = bytearray(data[:2])
    position = 2
    while position + 4 <= len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        if marker == 0xDA:  # start of scan: the rest is the picture
            out += data[position:]
            return bytes(out)
        segment = data[position : position + 2 + length]
        if not (0xE1 <= marker <= 0xED or marker in (0xEF, 0xFE)):
            out += segment
        position += 2 + length
    return data  # not laid out as expected: keep it whole rather than guess


def _undecodable(exc: Exception, source_format: str) -> PictureError:
    text = str(exc)
    reason = "truncated" if "truncated" in text else f"broken ({text})"
    return PictureError(f"{reason} {source_format} picture")


def check(data: bytes) -> Checked:
    """Open ``data`` safely and return it as JPEG or PNG fit for print, or an SVG drawing
    made safe (:func:`.svg.sanitise`); or raise PictureError."""
    # Imported here: Pillow costs ~13 ms of start-up; only this path needs it.
    from PIL import Image, ImageOps, UnidentifiedImageError

    if len(data) > MAX_BYTES:
        raise PictureError(f"too large ({len(data)} bytes; the limit is {MAX_BYTES})")
    if svg.looks_like_svg(data):
        try:
            safe, width, height = svg.sanitise(data)
        except svg.SvgError as exc:
            raise PictureError(exc.problem) from None
        digest = "sha256:" + hashlib.sha256(safe).hexdigest()
        return Checked(safe, ir.Picture(digest, svg.MEDIA_TYPE, width, height))
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=tuple(ACCEPTED))
        except UnidentifiedImageError:
            raise PictureError(_describe(data)) from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            # Pillow's own limit, met while it reads the header (nothing decoded yet).
            counted = re.search(r"\d+", str(exc))
            pixels = f"{int(counted.group()):,} pixels" if counted else "too many pixels"
            raise PictureError(
                f"refused: {pixels} is more than the limit of {MAX_PIXELS:,} "
                "(a decompression bomb?)"
            ) from None
        except (OSError, SyntaxError, ValueError) as exc:
            raise PictureError(f"broken picture ({exc})") from None
    width, height = image.size
    if width * height > MAX_PIXELS or not width or not height:
        raise PictureError(
            f"refused: {width * height:,} pixels ({width}×{height}) is more than the limit of "
            f"{MAX_PIXELS:,} "
            "(a decompression bomb?)"
        )
    source_format = image.format or ""
    try:
        # A PNG's EXIF may follow its pixels: reading it decodes the picture.
        orientation = image.getexif().get(0x0112, 1)
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise _undecodable(exc, source_format) from None
    scale = min(1.0, PRINT_WIDTH / width, PRINT_HEIGHT / height)
    as_it_is = orientation in (0, 1) and scale == 1 and image.mode in ("RGB", "L")
    kept_jpeg = source_format == "JPEG" and as_it_is
    if kept_jpeg:
        # Its pixels are not needed, only the proof that it decodes to the end: at an
        # eighth of the size every block is still read, in a fraction of the time.
        image.draft(image.mode, (max(1, width // 8), max(1, height // 8)))
    try:
        image.load()  # an animation's first frame: the one that prints
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise _undecodable(exc, source_format) from None
    if kept_jpeg:
        stored, kind = _strip_jpeg(data), "image/jpeg"
    else:
        upright = ImageOps.exif_transpose(image) or image
        if scale < 1:
            size = (max(1, round(width * scale)), max(1, round(height * scale)))
            upright = upright.resize(size, Image.Resampling.LANCZOS)
        # (a palette picture's transparency is in its info: Pillow opens none of the
        # accepted formats as "PA")
        alpha = upright.mode in ("RGBA", "LA") or "transparency" in upright.info
        photo = source_format == "JPEG" or (source_format == "WEBP" and not alpha)
        buffer = io.BytesIO()
        if photo:
            upright.convert("RGB").save(buffer, "JPEG", quality=JPEG_QUALITY)
            kind = "image/jpeg"
        else:
            # RGB or RGBA only: the PDF writer stores those pixels as they are, so reading a
            # briefkit PDF back gives the same PNG bytes again.
            upright.convert("RGBA" if alpha else "RGB").save(buffer, "PNG", compress_level=6)
            kind = "image/png"
        stored = buffer.getvalue()
        width, height = upright.size
    digest = "sha256:" + hashlib.sha256(stored).hexdigest()
    return Checked(stored, ir.Picture(digest, kind, width, height))


def file_name(picture: ir.Picture) -> str:
    """A stable file name for a picture: the start of its digest and its extension."""
    return picture.digest.removeprefix("sha256:")[:16] + EXTENSIONS[picture.media_type]


# --------------------------------------------------------------------------- resolving


_DATA_URI = re.compile(r"data:([\w.+/-]*)((?:;[\w=.+-]+)*?)(;base64)?,(.*)", re.S | re.I)


def _data_uri(src: str) -> bytes:
    match = _DATA_URI.fullmatch(src.strip())
    if match is None:
        raise PictureError("malformed data: URI")
    payload = match.group(4)
    if match.group(3):
        try:
            return base64.b64decode(re.sub(r"\s+", "", payload), validate=True)
        except (binascii.Error, ValueError):
            raise PictureError("malformed base64 in a data: URI") from None
    return urllib.parse.unquote_to_bytes(payload)


def _local_file(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise PictureError(f"too large (more than {MAX_BYTES} bytes)")
        return path.read_bytes()
    except FileNotFoundError:
        raise PictureError("no such file") from None
    except IsADirectoryError:
        raise PictureError("is a folder, not a picture") from None
    except OSError as exc:
        raise PictureError(f"cannot read: {exc.strerror or exc}") from None


def fetch_bytes(src: str, origin: Origin, policy: str) -> bytes:
    """The raw bytes ``src`` names, seen from ``origin`` under ``policy``; or PictureError."""

    if src.lower().startswith("data:"):
        return _data_uri(src)
    parsed = urllib.parse.urlsplit(src)
    if origin.container is not None:
        if not parsed.scheme and not src.startswith("/"):
            member = origin.container(posixpath.normpath(urllib.parse.unquote(parsed.path)))
            if member is not None:
                return member
        if not (policy == "all" and is_url(src)):
            # A document's reference to something outside it: a briefkit document read back
            # (its IR says what became of the picture) or a dangling link in a foreign one.
            raise PictureError("not inside the document", silent=True)
    target = src
    if origin.url is not None and not parsed.scheme:
        target = urllib.parse.urljoin(origin.url, src)
    if is_url(target):
        if policy != "all":
            raise PictureError(f"on the web; {_OFFLINE} (--images all fetches it)", offline=True)
        try:
            return fetch(target, max_bytes=MAX_BYTES)[0]
        except BriefkitError as exc:
            raise PictureError(exc.problem) from None
    if parsed.scheme == "file":
        local = Path(urllib.parse.unquote(parsed.path))
    elif parsed.scheme or origin.folder is None:
        raise PictureError("not a file, a data: URI or a web address briefkit can read")
    else:
        local = origin.folder / urllib.parse.unquote(parsed.path)
    return _local_file(local)


def _images(blocks: tuple[ir.Block, ...]) -> Iterator[ir.Image]:
    return (block for block in ir.walk_blocks(blocks) if isinstance(block, ir.Image))


def _replace_images(
    blocks: tuple[ir.Block, ...], done: dict[int, ir.Image]
) -> tuple[ir.Block, ...]:
    out: list[ir.Block] = []
    for block in blocks:
        match block:
            case ir.Image():
                out.append(done.get(id(block), block))
            case ir.Quote() | ir.Div():
                out.append(dataclasses.replace(block, blocks=_replace_images(block.blocks, done)))
            case ir.ListBlock():
                items = tuple(_replace_images(item, done) for item in block.items)
                out.append(dataclasses.replace(block, items=items))
            case _:
                out.append(block)
    return tuple(out)


_NOT_EMBEDDED = "picture not embedded"
_OFFLINE = "not fetched"


def _short(src: str) -> str:
    return src if len(src) <= 80 else src[:60] + "…" + src[-15:]


def resolve_article(
    article: ir.Article,
    origin: Origin,
    policy: str,
    cache: dict[str, Checked | PictureError],
    offline: list[str],
    problems: dict[str, list[str]],
) -> ir.Article:
    """``article`` with every image it can have resolved into its media (see module doc).

    Pictures left on the web by the policy are added to ``offline``, every other picture
    that cannot be had to ``problems`` (by its problem): :func:`resolve` gives one warning
    for each."""
    if policy == "none":
        return article
    images = list(_images(article.blocks))
    if not images:
        return article
    # Pictures an earlier run could not have (an IR file, a briefkit document read back)
    # are not tried again, except those it left on the web when this run may fetch them.
    tried = {
        d.text
        for d in article.dropped
        if d.reason.startswith(_NOT_EMBEDDED) and not (policy == "all" and _OFFLINE in d.reason)
    }
    done: dict[int, ir.Image] = {}
    media: dict[str, bytes] = {}
    dropped: list[ir.Dropped] = []
    for image in images:
        if article.picture_data(image) is not None:
            continue
        if not image.src or _short(image.src) in tried:
            continue
        result = cache.get(image.src)
        if result is None:
            try:
                result = check(fetch_bytes(image.src, origin, policy))
            except PictureError as exc:
                result = exc
            cache[image.src] = result
        if isinstance(result, PictureError) and result.silent:
            continue
        if isinstance(result, PictureError):
            if image.picture is not None:  # known from an IR file, but its bytes are gone
                done[id(image)] = dataclasses.replace(image, picture=None)
            reason = f"{_NOT_EMBEDDED}: {result.problem}"
            dropped.append(ir.Dropped(_short(image.src), reason))
            if result.offline:
                offline.append(image.src)
            else:
                problems.setdefault(result.problem, []).append(_short(image.src))
            continue
        media[result.picture.digest] = result.data
        done[id(image)] = dataclasses.replace(image, picture=result.picture)
    if not done and not dropped:
        return article
    known = set(article.dropped)
    return dataclasses.replace(
        article,
        blocks=_replace_images(article.blocks, done),
        media=article.media.merged(media),
        dropped=article.dropped + tuple(d for d in dict.fromkeys(dropped) if d not in known),
    )


def _warn_grouped(problems: dict[str, list[str]], where: str) -> None:
    """One warning per problem with the count and the first names (a book of SVG page
    drawings had one per page); every picture is in the articles' dropped list (inspect,
    --verbose)."""
    prefix = f"{where}: " if where else ""
    for problem, names in problems.items():
        distinct = list(dict.fromkeys(names))
        if len(distinct) == 1:
            message = f"{prefix}picture {distinct[0]}: {problem}"
        else:
            shown = ", ".join(distinct[:SHOWN_NAMES]) + (
                ", …" if len(distinct) > SHOWN_NAMES else ""
            )
            message = (
                f"{prefix}{len(distinct)} pictures not embedded: {problem}: {shown} "
                "(briefkit inspect lists them all)"
            )
        warnings.warn(BriefkitWarning(message), stacklevel=3)


def resolve(
    collection: ir.Collection, origin: Origin, policy: str = DEFAULT_POLICY, where: str = ""
) -> ir.Collection:
    """``collection`` with its articles' pictures resolved (one fetch per distinct source)."""
    check_policy(policy)
    cache: dict[str, Checked | PictureError] = {}
    offline: list[str] = []
    problems: dict[str, list[str]] = {}
    articles = tuple(
        resolve_article(article, origin, policy, cache, offline, problems)
        for article in collection.articles
    )
    _warn_grouped(problems, where)
    if offline:
        count = len(set(offline))
        warnings.warn(
            BriefkitWarning(
                f"{where + ': ' if where else ''}{count} picture{'s' if count > 1 else ''} on "
                "the web not fetched (--images all fetches them); shown as described links"
            ),
            stacklevel=2,
        )
    if all(a is b for a, b in zip(articles, collection.articles, strict=True)):
        return collection
    return dataclasses.replace(collection, articles=articles)


def with_sources(
    collection: ir.Collection, source_of: Callable[[ir.Picture], str]
) -> ir.Collection:
    """``collection`` with each embedded picture's ``src`` set to ``source_of(picture)``: the
    copy inside an output file (or a folder), so the IR written there points at it."""

    def pointed(article: ir.Article) -> ir.Article:
        done = {
            id(image): dataclasses.replace(image, src=source_of(picture))
            for image, picture, _ in embedded(article)
        }
        if not done:
            return article
        return dataclasses.replace(article, blocks=_replace_images(article.blocks, done))

    return dataclasses.replace(collection, articles=tuple(map(pointed, collection.articles)))


def embedded(article: ir.Article) -> Iterator[tuple[ir.Image, ir.Picture, bytes]]:
    """The article's pictures whose bytes are at hand, in reading order."""
    for image in _images(article.blocks):
        data = article.picture_data(image)
        if data is not None:
            assert image.picture is not None
            yield image, image.picture, data


def distinct(collection: ir.Collection) -> Iterator[tuple[ir.Picture, bytes]]:
    """Every picture of the collection whose bytes are at hand, once, in reading order (what
    an output file stores)."""
    seen: set[str] = set()
    for article in collection.articles:
        for _, picture, data in embedded(article):
            if picture.digest not in seen:
                seen.add(picture.digest)
                yield picture, data


def extract(collection: ir.Collection, folder: str) -> ir.Collection:
    """Write every picture's bytes into ``folder`` (created if needed) and return the
    collection with each embedded picture's ``src`` pointing at its file there."""

    target = Path(folder)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        problem = f"cannot create the folder: {exc.strerror or exc}"
        raise OutputError(problem, where=folder) from None
    for picture, data in distinct(collection):
        path = target / file_name(picture)
        if not path.is_file() or path.read_bytes() != data:
            with atomic_output(path) as out:
                out.write(data)
    return with_sources(collection, lambda p: (target / file_name(p)).as_posix())
