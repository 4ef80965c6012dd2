"""Language identification on real text in 48 languages, close pairs included: the script
where it decides, py3langid elsewhere, a declared language kept unless the text disagrees."""

from __future__ import annotations

import json

from convert.readers._language import identify

from .conftest import FIXTURES, imported_after

SAMPLES = json.loads((FIXTURES / "languages" / "samples.json").read_text("utf-8"))


def _accuracy(kind: str) -> tuple[float, list[str]]:
    right, misses = 0, []
    for code, texts in SAMPLES.items():
        for text in texts[kind]:
            found = identify(text)
            right += found == code
            if found != code:
                misses.append(f"{code}->{found}")
    return right / sum(len(t[kind]) for t in SAMPLES.values()), misses


def test_paragraphs_and_titles_in_48_languages() -> None:
    assert len(SAMPLES) == 48
    paragraphs, missed = _accuracy("paragraphs")
    assert paragraphs >= 0.99, missed
    titles, missed = _accuracy("titles")
    assert titles >= 0.95, missed  # six words: the close pairs are where it misses


def test_close_pairs_at_paragraph_length() -> None:
    for code in ("uk", "ru", "be", "cs", "sk", "da", "nb", "sv", "es", "ca", "pt", "hi", "mr"):
        for text in SAMPLES[code]["paragraphs"]:
            assert identify(text) == code, (code, text[:60])


def test_a_declared_language_stands_unless_the_text_clearly_disagrees() -> None:
    ukrainian = " ".join(SAMPLES["uk"]["paragraphs"])
    assert identify(ukrainian, "uk-UA") == "uk-UA"  # agreeing: the declared tag, region kept
    assert identify(ukrainian, "ru") == "uk"  # a page declared Russian that is Ukrainian
    assert identify("Kyiv", "uk") == "uk"  # too little text to overrule
    assert identify("OK", None) is None


def test_english_news_never_loads_the_library() -> None:
    statement = "import convert; convert.read('fixtures/text/people-daily-guizhou-2021-03-20.txt')"
    assert "py3langid" not in imported_after(statement, ("py3langid",))
