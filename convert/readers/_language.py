"""An article's language: the script when it decides, else py3langid, with the source's
declared language kept unless the text clearly disagrees.

Measured on real text in 75 languages (``benchmarks/language_id.py``, results in
``benchmarks/RESULTS.md``): py3langid was chosen over lingua (low-accuracy mode) for its
titles and close pairs (Ukrainian/Russian/Belarusian, Czech/Slovak, the Scandinavian
languages) and its speed (0.2 ms a text against 1.2 ms); the stop-word guesser it replaces
knew a dozen languages.

Cheap answers first, because a briefing reads hundreds of articles:

- the script decides Japanese (kana), Korean, Chinese, Hebrew, Thai and Greek, and Arabic,
  Persian and Urdu in texts long enough to hold the letters only Persian or Urdu use
  (never wrong on the measured set);
- English, French or German text whose stop words are a quarter of its words is that
  language (no false answer on the measured set: Irish, Afrikaans and Danish, which a looser
  vote takes for English, stay below);
- everything else (Cyrillic and Devanagari text included: Ukrainian is not Russian, Marathi
  is not Hindi) goes to py3langid, loaded on first use (a second and 115 MB), with a prior
  for the languages news is written in (:data:`COMMON`).
"""

from __future__ import annotations

import threading
from collections import Counter
from itertools import chain
from typing import Any

from ..model.language import _STOP_LANGUAGES, SAMPLE, guess_language, stop_word_sample

SCRIPT_DECIDES = frozenset({"ja", "ko", "zh", "ar", "fa", "ur", "he", "th", "el"})
"""Languages the script alone tells apart."""
STOP_WORD_SHARE = 0.25
"""Share of a text's words that must be one language's stop words to skip the library."""
SURE = 8.0
"""py3langid's score margin (natural log) between its first and second language above which
it overrules a declared language."""
LIBRARY_SAMPLE = 1000
"""Characters the library reads: a paragraph or two."""
COMMON = frozenset({
    "af", "am", "ar", "as", "az", "be", "bg", "bn", "bs", "ca", "cs", "cy", "da", "de", "el", "en",
    "eo", "es", "et", "eu", "fa", "fi", "fr", "ga", "gl", "gu", "ha", "he", "hi", "hr", "hu", "hy",
    "id", "is", "it", "ja", "ka", "kk", "km", "kn", "ko", "ku", "ky", "lo", "lt", "lv", "mk", "ml",
    "mn", "mr", "ms", "mt", "my", "nb", "ne", "nl", "nn", "no", "or", "pa", "pl", "ps", "pt", "ro",
    "ru", "si", "sk", "sl", "so", "sq", "sr", "sv", "sw", "ta", "te", "tg", "th", "tl", "tr", "uk",
    "ur", "uz", "vi", "xh", "yo", "zh", "zu",
})  # fmt: skip
"""Languages of the news briefkit reads. py3langid also knows regional and classical ones
(Latin, Sanskrit, Faroese, Turkmen, Nigerian Pidgin, Ligurian...) which short texts in a
common language resemble: one of those is the answer only by a clear margin."""
RARE_MARGIN = 8.0
"""How much more (natural log) a language outside :data:`COMMON` must score than the best
common one to be the answer."""
TAGS = {"no": "nb"}
"""py3langid's codes that have a more precise tag (its Norwegian is Bokmål; Nynorsk is nn)."""

_IDENTIFIER: list[Any] = []
_LOCK = threading.Lock()


def _identifier() -> Any:
    with _LOCK:
        if not _IDENTIFIER:
            from py3langid.langid import (  # type: ignore[import-untyped]
                MODEL_FILE,
                LanguageIdentifier,
            )

            _IDENTIFIER.append(LanguageIdentifier.from_model_file(MODEL_FILE))
        return _IDENTIFIER[0]


def _stop_word_language(sample: str) -> str | None:
    words = stop_word_sample(sample)
    if len(words) < 20:
        return None
    hits = Counter(chain.from_iterable(filter(None, map(_STOP_LANGUAGES.get, words))))
    if not hits:
        return None
    language, count = hits.most_common(1)[0]
    if language in ("en", "fr", "de") and count >= STOP_WORD_SHARE * len(words):
        return language
    return None


def _base(tag: str | None) -> str:
    return (tag or "").split("-")[0].lower()


def identify(text: str, declared: str | None = None) -> str | None:
    """The BCP 47 tag of ``text``'s language, or None; ``declared`` is what the source says
    (``<html lang>``, front matter, a feed's language), kept when the text agrees or is not
    clearly in another language."""
    sample = text[:SAMPLE]
    fast = guess_language(sample)
    # A short Arabic-script text may lack the letters that tell Urdu and Persian apart.
    if fast in SCRIPT_DECIDES and not (fast in ("ar", "fa", "ur") and len(sample) < 300):
        return declared if _base(declared) == fast else fast
    quick = _stop_word_language(sample)
    if quick is not None:
        return declared if _base(declared) == quick else quick
    words = sample.split()
    if len(words) < 2 and not fast:
        return declared
    ranked = _identifier().rank(sample[:LIBRARY_SAMPLE])
    common = [(code, points) for code, points in ranked if code in COMMON]
    if ranked[0][0] not in COMMON and common and ranked[0][1] - common[0][1] < RARE_MARGIN:
        ranked = common  # a rare language needs a clear lead over the common ones
    best, score = ranked[0]
    best = TAGS.get(best, best)
    margin = score - ranked[1][1] if len(ranked) > 1 else float("inf")
    if declared and (_base(declared) == best or margin < SURE or len(sample) < 200):
        return declared
    return str(best)
