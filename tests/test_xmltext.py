"""convert.model.xmltext escapes exactly as xml.sax.saxutils does (the writers' bytes depend on it)."""

from __future__ import annotations

from xml.sax import saxutils

from hypothesis import given
from hypothesis import strategies as st

from convert.model import xmltext

from .conftest import imported_after

# Text rich in the characters that matter: markup, quotes, whitespace, and anything else.
_TEXT = st.text(st.sampled_from("&<>\"' \t\r\nab中") | st.characters(), max_size=40)


@given(_TEXT)
def test_escape_matches_saxutils(text: str) -> None:
    assert xmltext.escape(text) == saxutils.escape(text)
    entities = {'"': "&quot;", "a": "&#97;"}
    assert xmltext.escape(text, entities) == saxutils.escape(text, entities)


@given(_TEXT)
def test_quoteattr_matches_saxutils(text: str) -> None:
    assert xmltext.quoteattr(text) == saxutils.quoteattr(text)


def test_quoteattr_picks_quotes() -> None:
    assert xmltext.quoteattr('say "hi"') == "'say \"hi\"'"
    assert xmltext.quoteattr('it\'s "x"') == '"it\'s &quot;x&quot;"'
    assert xmltext.quoteattr("a\nb") == '"a&#10;b"'


def test_writers_do_not_import_urllib() -> None:
    # The reason the module exists: saxutils pulls in urllib.request, ssl and http.client.
    statement = "import convert.writers.docx, convert.writers.epub, convert.writers.pdf"
    modules = ("urllib.request", "xml.sax.saxutils", "ssl", "reportlab")
    assert imported_after(statement, modules) == ["reportlab"]
