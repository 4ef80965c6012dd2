"""A web page's article pictures: the lead photo and in-body figures, without the furniture.

trafilatura keeps the ``<img>`` elements it finds inside the article text, as written: often
a lazy-loading placeholder (``leer.gif``, a 1×1 ``data:`` GIF) whose real address is in
``data-src`` or ``srcset``, sometimes an author's portrait, a share icon or a tracking pixel,
and never the figure's caption. This module takes each of those image blocks back to its
element in the page to find the real address (the largest ``srcset`` candidate), the
``figcaption``, and whether it is decoration (logos, avatars, icons, ads, tracking pixels:
dropped, with the reason). When the article kept no picture at all, the page's declared lead
image (``og:image``) opens it, unless it is a logo.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any
from urllib.parse import urljoin

from ..model import ir

_LAZY_SETS = ("data-srcset", "data-lazy-srcset", "srcset")
_LAZY_SOURCE = re.compile(r"data-(?:[\w-]*src|original|url)$")
"""Attributes lazy loaders keep the real address in: data-src, data-lazy-src, data-retina-src,
data-hi-res-src, data-original, data-url..."""
_PLACEHOLDER = re.compile(
    r"^data:image/(?:gif|png|svg)|/(?:leer|blank|spacer|empty|transparent|placeholder|pixel|"
    r"grey|gray|loading|lazy)[\w-]*\.(?:gif|png|svg)(?:$|\?)",
    re.I,
)
_DECORATION = re.compile(
    r"logo|avatar|icon|sprite|emoji|badge|author|profile|gravatar|\bads?\b|advert|sponsor|"
    r"partner|promo|subscri|banner|tracking|tracker|pixel|beacon|share|social|button",
    re.I,
)
"""Words in a picture's class, id, file name or folders that mark page furniture."""
_SITE_DEFAULT = re.compile(r"^(?:og[-_]?image|default|fallback|share)[\w-]*\.\w+$", re.I)
"""File names of a site's stock share picture, declared as every page's lead image."""
_SMALLEST_PICTURE = 50
"""Pictures declared narrower or lower than this many pixels are icons or tracking pixels."""


def _largest(srcset: str) -> str | None:
    """The widest candidate of a ``srcset`` (``url 640w, url 1280w`` or ``url 2x``)."""
    best, best_size = None, -1.0
    for candidate in srcset.split(","):
        parts = candidate.strip().split()
        if not parts:
            continue
        size = 1.0
        if len(parts) > 1:
            try:
                size = float(parts[1][:-1])
            except ValueError:
                size = 1.0
        if size > best_size:
            best, best_size = parts[0], size
    return best


def real_source(img: Any) -> str:
    """The address a browser would finally show for ``img`` (lazy loading undone)."""
    src = (img.get("src") or "").strip()
    if src and not _PLACEHOLDER.search(src) and not img.get("srcset"):
        return src
    for name in _LAZY_SETS:
        chosen = _largest(img.get(name) or "")
        if chosen:
            return chosen
    for name, value in img.attrib.items():
        if _LAZY_SOURCE.match(name) and value.strip() and not _PLACEHOLDER.search(value):
            return str(value).strip()
    return src


def _declared_size(img: Any) -> tuple[int, int] | None:
    try:
        return int(img.get("width", "")), int(img.get("height", ""))
    except ValueError:
        return None


def decoration(img: Any | None, src: str, alt: str, authors: tuple[str, ...]) -> str | None:
    """Why a picture is page furniture rather than an article picture, or None."""
    size = _declared_size(img) if img is not None else None
    if size is not None and (size[0] < _SMALLEST_PICTURE or size[1] < _SMALLEST_PICTURE):
        return f"a {size[0]}×{size[1]} icon or tracking pixel"
    if alt and any(alt.strip() == name for name in authors):
        return "the author's portrait"
    path = src.split("?", 1)[0]
    name = path.rsplit("/", 1)[-1]
    if _SITE_DEFAULT.match(name):
        return "the site's stock share picture"
    # The folders after the host (the host itself may be "ads.example" for real pictures).
    marks = [name, *path.split("://", 1)[-1].split("/")[1:-1]]
    node = img
    for _ in range(3):  # the element and two of its ancestors
        if node is None or not hasattr(node, "get"):
            break
        marks += [node.get("class") or "", node.get("id") or ""]
        node = node.getparent()
    found = _DECORATION.search(" ".join(marks))
    if found:
        return f"page furniture ({found.group(0).lower()})"
    return None


def _caption(img: Any) -> str:
    node = img.getparent()
    for _ in range(4):
        if node is None:
            return ""
        if node.tag == "figure":
            caption = node.find(".//figcaption")
            if caption is not None:
                return re.sub(r"\s+", " ", caption.text_content()).strip()
            return ""
        node = node.getparent()
    return ""


def _index(document: Any, page_url: str | None) -> dict[str, list[Any]]:
    """The page's ``img`` elements by their written ``src`` and by their real address, each
    also made absolute against the page's address (trafilatura gives absolute ones)."""
    found: dict[str, list[Any]] = {}
    for img in document.iter("img"):
        keys = {(img.get("src") or "").strip(), real_source(img)}
        if page_url:
            keys |= {urljoin(page_url, key) for key in keys if key and not key.startswith("data:")}
        for key in keys:
            if key:
                found.setdefault(key, []).append(img)
    return found


def _element(found: dict[str, list[Any]], src: str, alt: str) -> Any | None:
    candidates = found.get(src, [])
    for img in candidates:
        if (img.get("alt") or "").strip() == alt.strip():
            return img
    return candidates[0] if len(candidates) == 1 else None


def article_pictures(
    blocks: list[ir.Block],
    document: Any,
    authors: tuple[str, ...],
    lead: str | None,
    lead_alt: str | None = None,
    page_url: str | None = None,
) -> tuple[list[ir.Block], list[ir.Dropped]]:
    """``blocks`` with their pictures' real addresses and captions, decoration left out;
    the lead picture first when the article kept none. Returns the blocks and what was
    left out."""
    found = _index(document, page_url)
    dropped: list[ir.Dropped] = []
    out: list[ir.Block] = []
    for block in blocks:
        if not isinstance(block, ir.Image):
            out.append(block)
            continue
        img = _element(found, block.src, block.alt)
        src = real_source(img) if img is not None else block.src
        why = decoration(img, src, block.alt, authors)
        if why is None and _PLACEHOLDER.search(src):
            why = "a placeholder without a real address"
        if why is not None:
            dropped.append(ir.Dropped(src[:500], f"picture left out: {why}"))
            continue
        caption = block.caption
        if not caption and img is not None:
            text = _caption(img)
            caption = (ir.Text(text),) if text and text != block.alt.strip() else ()
        out.append(dataclasses.replace(block, src=src, caption=caption))
    if lead and not any(isinstance(b, ir.Image) for b in out):
        img = _element(found, lead, lead_alt or "")
        if decoration(img, lead, lead_alt or "", authors) is None:
            caption_text = _caption(img) if img is not None else ""
            alt = (lead_alt or (img.get("alt") if img is not None else "") or "").strip()
            caption = (ir.Text(caption_text),) if caption_text and caption_text != alt else ()
            out.insert(0, ir.Image(lead, alt, caption))
    return out, dropped
