"""Turning input bytes into text: BOMs, UTF-8, UTF-16, GB18030/GBK, then charset-normalizer."""

from __future__ import annotations

import codecs
import re
import unicodedata

from ..model.errors import InputError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HAN = r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]"
"""Han characters and CJK punctuation (compiled on first use: only non-UTF-8 input needs it)."""
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM shows NULs in every other byte for ASCII-range characters."""
    if len(data) < 4 or len(data) % 2:
        return None
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    # ASCII characters (newlines, digits, punctuation) put their NUL in the high byte; CJK text
    # has fewer of them, so ask only that one side has clearly more NULs than the other.
    if odd_nuls > 2 * even_nuls and odd_nuls >= 2:
        encoding = "utf-16-le"
    elif even_nuls > 2 * odd_nuls and even_nuls >= 2:
        encoding = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    # Binary data also decodes as UTF-16 now and then; real text has few unassigned or
    # private-use code points.
    odd = sum(1 for ch in text[:4096] if unicodedata.category(ch) in ("Cn", "Co", "Cs"))
    return None if odd > len(text[:4096]) // 100 else text


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    # Text is mostly printable characters and line ends: then there is nothing to count
    # (isprintable runs at C speed; it is False for controls, and for a few spaces too).
    if sample.replace("\n", "").replace("\t", "").replace("\r", "").isprintable():
        return False
    return bool(sample) and len(_CONTROL.findall(sample)) > max(2, len(sample) // 100)


def decode_text(data: bytes) -> str:
    """Decode ``data`` as text or raise :class:`InputError` (empty, binary, unknown encoding)."""
    if not data.strip():
        raise InputError("empty input: there is no text to read")
    text: str | None = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"not valid {encoding} despite its byte-order mark: {exc.reason}"
                ) from None
            break
    if text is None and b"\x00" in data:
        # UTF-16 without a BOM; otherwise a stray NUL in text is left to the cleaning step,
        # and real binary data is caught by the control-character check below.
        text = _utf16_without_bom(data)
    if text is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = None
    if text is None:
        # Short Chinese texts fool statistical detectors, so try GB18030 (a superset of GBK and
        # GB2312) strictly first and keep it only when the result is mostly Han characters.
        try:
            candidate = data.decode("gb18030")
        except UnicodeDecodeError:
            candidate = None
        if candidate is not None:
            non_ascii = sum(1 for ch in candidate if ord(ch) > 127)
            if non_ascii and len(re.findall(_HAN, candidate)) >= 0.6 * non_ascii:
                text = candidate
    if text is None:
        # Imported here: charset-normalizer costs ~10 ms of start-up; only this path needs it.
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise InputError("binary file, or text in an encoding that cannot be recognised")
        text = str(best)
    if _looks_binary(text):
        raise InputError("binary file, not text")
    if not text.strip():  # only a byte-order mark, or spaces of other scripts
        raise InputError("empty input: there is no text to read")
    return text


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` without the control characters no XML or HTML tree can hold (lxml refuses
    them); the IR cleaning step would remove them later anyway."""
    return _XML_ILLEGAL.sub("", text) if _XML_ILLEGAL.search(text) else text
