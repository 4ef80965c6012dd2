"""Hypothesis strategies that generate valid, already-clean IR."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from hypothesis import strategies as st

from convert.model import ir

# Clean text: no surrogates, no control characters, no non-characters (what clean_text leaves).
_CHARS = st.characters(
    blacklist_categories=("Cs", "Cc", "Cn"),
    blacklist_characters="\u2028\u2029",
)
# Strip rather than filter: rejecting texts with edge whitespace trips Hypothesis's
# filter_too_much health check now and then.
words = st.text(_CHARS, min_size=1, max_size=30).map(str.strip).filter(bool)
optional_text = st.none() | words
text_list = st.lists(words, max_size=3).map(tuple)
mixed_text = st.sampled_from(
    ["AT&T <b>bold</b>", "中文与English混排", "a < b & c > d", "é/ü/ß", "引号“测试”", "x" * 300]
)
plain = words | mixed_text

datetimes = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2040, 1, 1)).map(
    lambda d: d.replace(microsecond=0)
)
aware = st.builds(
    lambda d, h: d.replace(tzinfo=timezone(timedelta(hours=h))), datetimes, st.integers(-11, 12)
)
whens = st.none() | st.dates(date(1990, 1, 1), date(2040, 1, 1)) | datetimes | aware
languages = st.sampled_from([None, "en", "zh", "zh-CN", "fr", "de-CH"])

attrs = st.builds(
    ir.Attr,
    id=st.sampled_from(["", "x1", "note"]),
    classes=st.lists(st.sampled_from(["pull-quote", "aside", "note"]), max_size=2).map(tuple),
    attributes=st.lists(st.tuples(st.sampled_from(["k", "data-x"]), words), max_size=2).map(tuple),
)


def _inlines(children: st.SearchStrategy[tuple[ir.Inline, ...]]) -> st.SearchStrategy[ir.Inline]:
    return st.one_of(
        st.builds(ir.Emph, children),
        st.builds(ir.Strong, children),
        st.builds(
            ir.Link,
            st.sampled_from(["https://example.org/a?b=1&c=2", "mailto:x@example.org"]),
            children,
        ),
        st.builds(ir.Span, attrs, children),
    )


inline_leaf = st.one_of(
    st.builds(ir.Text, plain), st.builds(ir.Code, plain), st.just(ir.LineBreak())
)
inline = st.recursive(
    inline_leaf,
    lambda kids: _inlines(st.lists(kids, min_size=1, max_size=3).map(tuple)),
    max_leaves=6,
)
inlines = st.lists(inline, min_size=1, max_size=4).map(tuple)

block_leaf = st.one_of(
    st.builds(ir.Paragraph, inlines),
    st.builds(ir.Heading, st.integers(1, 3), inlines),
    st.builds(
        ir.Image,
        st.just("https://example.org/p.png"),
        words,
        st.just(()) | inlines,
        # A picture known from an IR file whose bytes are not at hand.
        st.none()
        | st.builds(
            ir.Picture,
            st.binary(min_size=32, max_size=32).map(lambda b: "sha256:" + b.hex()),
            st.sampled_from(["image/jpeg", "image/png"]),
            st.integers(1, 5000),
            st.integers(1, 5000),
        ),
    ),
    st.builds(
        ir.Table,
        st.lists(st.lists(inlines, min_size=2, max_size=2).map(tuple), min_size=1, max_size=3).map(
            tuple
        ),
        st.integers(0, 1),
    ),
    st.just(ir.Rule()),
)


def _blocks(children: st.SearchStrategy[ir.Block]) -> st.SearchStrategy[ir.Block]:
    kids = st.lists(children, min_size=1, max_size=3).map(tuple)
    return st.one_of(
        st.builds(ir.Quote, kids),
        st.builds(ir.Div, attrs, kids),
        st.builds(
            ir.ListBlock,
            st.booleans(),
            st.lists(kids, min_size=1, max_size=3).map(tuple),
            st.integers(1, 3),
        ),
    )


block = st.recursive(block_leaf, _blocks, max_leaves=8)

metas = st.builds(
    ir.Meta,
    title=optional_text | mixed_text,
    subtitle=optional_text,
    original_title=optional_text,
    section=text_list,
    site=optional_text,
    source=optional_text,
    published=whens,
    updated=whens,
    authors=text_list,
    editors=text_list,
    language=languages,
    url=st.none() | st.just("https://example.org/news/1?x=1&y=2"),
    identifier=optional_text,
    keywords=text_list,
    summary=optional_text,
    byline=optional_text,
    dateline=optional_text,
    rights=optional_text,
    extra=st.dictionaries(st.sampled_from(["a", "b", "tag"]), words, max_size=2).map(
        lambda d: tuple(d.items())
    ),
)
droppeds = st.builds(ir.Dropped, words, words, st.none() | st.integers(1, 500))
articles = st.builds(
    ir.Article,
    meta=metas,
    blocks=st.lists(block, min_size=1, max_size=5).map(tuple),
    dropped=st.lists(droppeds, max_size=2).map(tuple),
)
collections = st.builds(
    ir.Collection,
    title=optional_text,
    subtitle=optional_text,
    editors=text_list,
    publisher=optional_text,
    date=whens,
    identifier=optional_text,
    language=languages,
    description=optional_text,
    articles=st.lists(articles, min_size=1, max_size=3).map(tuple),
)
