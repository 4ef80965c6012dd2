"""Wire datelines in their usual forms, taken out of the body in the text, HTML and feed
readers (the agency, when named, is the source)."""

from __future__ import annotations

from datetime import datetime, timezone
from email.utils import format_datetime

import pytest

import convert
from convert.model import ir

FORMS = [
    ("CHICAGO, March 3 - The city council voted on Tuesday.", "CHICAGO, March 3", None),
    (
        "SALEM, Mass., March 3 - Officials said the road would reopen.",
        "SALEM, Mass., March 3",
        None,
    ),
    ("WASHINGTON (Reuters) - The Senate passed the bill.", "WASHINGTON", "Reuters"),
    ("PARIS, 3 mars (AFP) - Le gouvernement a annoncé un plan.", "PARIS, 3 mars", "AFP"),
    ("BERLIN (dpa) - Die Regierung hat den Plan beschlossen.", "BERLIN", "dpa"),
    ("BEIJING, Dec. 1 (Xinhua) -- China launched a probe.", "BEIJING, Dec. 1", "Xinhua"),
    ("东京3月1日电 日本政府1日宣布了新的计划。", "东京3月1日电", None),
]
NOT_DATELINES = [
    "However, March 3 - the vote was close.",
    "The council voted - and the motion failed.",
]


def _body(article: ir.Article) -> str:
    return ir.plain_text(article.blocks)


@pytest.mark.parametrize(("paragraph", "dateline", "agency"), FORMS)
def test_text_reader(paragraph: str, dateline: str, agency: str | None) -> None:
    text = f"A headline for the story\n\n{paragraph}\n\nA second paragraph follows.\n"
    article = convert.read(text.encode(), format="text")[0]
    assert article.meta.dateline == dateline
    assert article.meta.source == agency
    assert not _body(article).startswith(dateline)


@pytest.mark.parametrize(("paragraph", "dateline", "agency"), FORMS)
def test_html_reader(paragraph: str, dateline: str, agency: str | None) -> None:
    page = (
        "<html><head><title>A headline for the story</title></head><body><article>"
        f"<h1>A headline for the story</h1><p>{paragraph} It went on for some time, "
        "as such stories do, with quotes from officials and residents alike.</p>"
        "<p>A second paragraph follows with more detail about what happened there.</p>"
        "</article></body></html>"
    )
    article = convert.read(page.encode(), format="html")[0]
    assert article.meta.dateline == dateline
    if agency:
        assert article.meta.source == agency
    assert dateline not in _body(article)


@pytest.mark.parametrize(("paragraph", "dateline", "agency"), FORMS)
def test_feed_reader(paragraph: str, dateline: str, agency: str | None) -> None:
    when = format_datetime(datetime(2026, 3, 3, 8, 0, tzinfo=timezone.utc))
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        "<link>https://wire.example.org/</link><description>d</description>"
        f"<item><title>Story</title><link>https://wire.example.org/1</link><pubDate>{when}"
        f"</pubDate><description>&lt;p&gt;{paragraph}&lt;/p&gt;&lt;p&gt;More.&lt;/p&gt;"
        "</description></item></channel></rss>"
    )
    article = convert.read(feed.encode(), format="feed")[0]
    assert article.meta.dateline == dateline
    assert article.meta.source == (agency or "Wire")
    assert not _body(article).startswith(dateline)


@pytest.mark.parametrize("paragraph", NOT_DATELINES)
def test_a_sentence_with_a_dash_is_not_a_dateline(paragraph: str) -> None:
    text = f"A headline for the story\n\n{paragraph}\n"
    article = convert.read(text.encode(), format="text")[0]
    assert article.meta.dateline is None
    assert _body(article).startswith(paragraph[:20])
