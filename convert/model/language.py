"""Language tags, a small dependency-free language guess (for when the input does not say),
and the right-to-left letter classes readers and writers share."""

from __future__ import annotations

import re
from collections import Counter
from itertools import chain

RTL_LETTERS = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc"
"""Letters written right to left (Hebrew, Arabic, Syriac, Thaana, NKo... and the Hebrew and
Arabic presentation forms), as the inside of a regular-expression character class."""
RTL_LETTER = re.compile(f"[{RTL_LETTERS}]")
"""One right-to-left letter."""


def has_right_to_left(text: str) -> bool:
    """Whether ``text`` holds a right-to-left letter (ASCII text answers without a scan:
    writers ask this of every run they draw)."""
    return not text.isascii() and RTL_LETTER.search(text) is not None


RTL_STRETCH = re.compile(f"[{RTL_LETTERS}](?:[^A-Za-z\u00c0-\u024f\u0370-\u04ff]*[{RTL_LETTERS}])?")
"""A right-to-left stretch: its letters with the spaces, digits and punctuation between them
(a Latin, Greek or Cyrillic word ends it: it stays a left-to-right run of its own)."""

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
_STOP_SAMPLE = 1500  # characters for the stop-word vote: a few hundred words


def _languages_of_stop_words() -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    for language, words in _STOPWORDS.items():
        for word in words:
            found[word] = (*found.get(word, ()), language)
    return found


_STOP_LANGUAGES = _languages_of_stop_words()
"""Each stop word and the languages that list it."""
_ASCII_WORDS = bytes(c if chr(c).isalpha() else 32 for c in range(256))
"""Byte table keeping ASCII letters and turning everything else into a space."""
SAMPLE = 2000
"""Characters of the text looked at: enough for a verdict, bounded for speed."""
# (tag, letters of the script, share of all letters that decides) in the order they are
# tried; each is one character class, counted at C speed. They are compiled on first use
# (by re's own cache): most texts are Latin and never need them, and a class of big ranges
# takes milliseconds to compile.
_SCRIPTS: tuple[tuple[str, str, float], ...] = (
    ("ja", r"[\u3040-\u30ff]", 0.05),  # kana: Japanese even among many kanji
    ("ko", r"[\uac00-\ud7af\u1100-\u11ff]", 0.2),
    ("zh", r"[\u3400-\u9fff\uf900-\ufaff]", 0.2),
    ("ar", r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]", 0.3),
    ("he", r"[\u0590-\u05ff]", 0.3),
    ("hi", r"[\u0900-\u097f]", 0.3),
    ("th", r"[\u0e00-\u0e7f]", 0.3),
    ("ru", r"[\u0400-\u04ff]", 0.3),
    ("el", r"[\u0370-\u03ff]", 0.3),
)
_NON_LATIN = re.compile(r"[\u0370-\u1fff\u3040-\u9fff\uac00-\ud7af\uf900-\ufaff]")
# Letters that only Persian or Urdu add to the Arabic alphabet.
_URDU = re.compile(r"[\u0679\u0688\u0691\u06ba\u06be\u06c1\u06d2]")  # ٹ ڈ ڑ ں ھ ہ ے
_PERSIAN = re.compile(r"[\u067e\u0686\u0698\u06af\u06a9\u06cc]")  # پ چ ژ گ ک ی
_ARABIC_ONLY = re.compile(r"[\u0629\u064a\u0649]")  # ة ي ى


def _arabic_script_language(sample: str) -> str:
    """``ar``, ``fa`` or ``ur`` for text in the Arabic script, by the letters each adds."""
    urdu, persian = len(_URDU.findall(sample)), len(_PERSIAN.findall(sample))
    arabic = len(_ARABIC_ONLY.findall(sample))
    if urdu and urdu >= arabic:
        return "ur"
    if persian > arabic:
        return "fa"
    return "ar"


def stop_word_sample(text: str) -> list[str]:
    """The lower-case words (runs of letters) in the first ``_STOP_SAMPLE`` characters."""
    head = text[:_STOP_SAMPLE]
    if head.isascii():
        # The words the pattern finds, cut at C speed: every non-letter becomes a space.
        return head.lower().encode("ascii").translate(_ASCII_WORDS).decode("ascii").split()
    return _WORD.findall(text.lower(), 0, _STOP_SAMPLE)  # type: ignore[no-any-return]


def guess_language(text: str) -> str | None:
    """A BCP 47 tag by script (Japanese, Korean, Chinese, Arabic/Persian/Urdu, Hebrew, Hindi,
    Thai, Russian, Greek), else a few Latin-script languages by stop words, else None.

    Looks at the first :data:`SAMPLE` characters only, with one compiled pattern per script,
    so it costs microseconds per article.
    """
    sample = text[:SAMPLE]
    # One scan for letters outside Latin decides whether the per-script counts are needed
    # (most articles have none, and then need no letter count either; ASCII text, which
    # Python marks as such, needs no scan).
    if not sample.isascii() and _NON_LATIN.search(sample):
        letters = sum(map(str.isalpha, sample))  # C-speed calls; a regex class is 5x slower
        if not letters:
            return None
        if len(_NON_LATIN.findall(sample)) > 0.05 * letters:
            for tag, pattern, share in _SCRIPTS:
                if len(re.findall(pattern, sample)) > share * letters:
                    return _arabic_script_language(sample) if tag == "ar" else tag
    words = stop_word_sample(sample)
    if len(words) < 3:
        return None
    # Each word's languages (none for most), counted per language, in C calls only.
    hits = dict.fromkeys(_STOPWORDS, 0)
    hits.update(Counter(chain.from_iterable(filter(None, map(_STOP_LANGUAGES.get, words)))))
    lang = max(hits, key=hits.__getitem__)
    return lang if hits[lang] >= 0.08 * len(words) else None


_TAG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")


def language_tag(value: str | None) -> str | None:
    """``value`` if it looks like a BCP 47 tag (``en``, ``zh-CN``), else None (``C``, ``en_US``)."""
    if not value:
        return None
    value = value.strip().replace("_", "-")
    return value if _TAG.match(value) and value.lower() not in ("und", "mul", "zxx") else None
