"""A small, dependency-free language guess for when the input does not say (BCP 47 tags)."""

from __future__ import annotations

import re

_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        [
            "the",
            "of",
            "and",
            "to",
            "in",
            "is",
            "that",
            "for",
            "on",
            "with",
            "was",
            "as",
            "by",
            "at",
            "from",
            "it",
            "be",
            "are",
            "this",
            "an",
        ]
    ),
    "fr": frozenset(
        [
            "le",
            "la",
            "les",
            "des",
            "du",
            "et",
            "est",
            "un",
            "une",
            "dans",
            "pour",
            "que",
            "qui",
            "sur",
            "pas",
            "au",
            "aux",
            "par",
            "avec",
        ]
    ),
    "de": frozenset(
        [
            "der",
            "die",
            "das",
            "und",
            "ist",
            "nicht",
            "ein",
            "eine",
            "zu",
            "den",
            "mit",
            "von",
            "auf",
            "für",
            "im",
            "dem",
            "sich",
            "auch",
        ]
    ),
    "es": frozenset(
        [
            "el",
            "la",
            "los",
            "las",
            "de",
            "y",
            "en",
            "que",
            "un",
            "una",
            "por",
            "con",
            "para",
            "del",
            "se",
            "es",
            "al",
            "lo",
            "como",
        ]
    ),
    "it": frozenset(
        [
            "il",
            "la",
            "di",
            "che",
            "e",
            "un",
            "una",
            "per",
            "non",
            "con",
            "del",
            "della",
            "sono",
            "gli",
            "le",
            "nel",
            "alla",
        ]
    ),
    "pt": frozenset(
        [
            "o",
            "a",
            "os",
            "as",
            "de",
            "e",
            "que",
            "um",
            "uma",
            "para",
            "com",
            "não",
            "do",
            "da",
            "em",
            "no",
            "na",
            "por",
            "se",
        ]
    ),
}
_WORD = re.compile(r"[^\W\d_]+")


def guess_language(text: str) -> str | None:
    """``zh``, ``ja``, ``ko`` by script; a few Latin-script languages by stop words; else None."""
    sample = text[:20000]
    letters = sum(1 for ch in sample if ch.isalpha())
    if not letters:
        return None
    kana = len(re.findall(r"[\u3040-\u30ff]", sample))
    hangul = len(re.findall(r"[\uac00-\ud7af]", sample))
    han = len(re.findall(r"[\u3400-\u9fff]", sample))
    if kana > 0.05 * letters:
        return "ja"
    if hangul > 0.2 * letters:
        return "ko"
    if han > 0.2 * letters:
        return "zh"
    words = [w.lower() for w in _WORD.findall(sample)]
    if len(words) < 3:
        return None
    scores = {lang: sum(w in stop for w in words) / len(words) for lang, stop in _STOPWORDS.items()}
    lang, score = max(scores.items(), key=lambda item: item[1])
    return lang if score >= 0.08 else None


_TAG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")


def language_tag(value: str | None) -> str | None:
    """``value`` if it looks like a BCP 47 tag (``en``, ``zh-CN``), else None (``C``, ``en_US``)."""
    if not value:
        return None
    value = value.strip().replace("_", "-")
    return value if _TAG.match(value) and value.lower() not in ("und", "mul", "zxx") else None
