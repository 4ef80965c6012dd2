"""The fixed words a document prints, per language (English, Chinese, Japanese; English else).

Every writer takes its labels from here through the document plan, so an image is called the
same thing in a Japanese article's DOCX, PDF and EPUB.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Words:
    """Labels and punctuation for one language."""

    language: str
    """The primary language subtag these words are for (``en``, ``zh``, ``ja``)."""
    article: str
    """Noun after a count of one (``1 article``)."""
    articles: str
    """Noun after any other count."""
    untitled: str
    """Stand-in title for an article without one; ``{number}`` is its position."""
    image: str
    """What a picture is called in its described-link stand-in."""
    contents: str
    """Heading of the contents page."""
    page_of_pages: str
    """Footer words; ``{page}`` and ``{pages}`` are filled per page."""
    original_title: str
    """Label before the original headline."""
    reporter: str
    """Label before one reporter's name."""
    reporters: str
    """Label before several reporters' names."""
    editors: str
    """Label before the editors' names."""
    briefing: str
    """What a collection without a title is called; also the group of articles without a
    section in a sectioned contents."""
    colon: str
    """Between a label and its value (``: `` or ``：``)."""
    name_separator: str
    """Between names (``, `` or ``、``)."""
    count_separator: str
    """Between a count and its noun (a space, or nothing in Chinese and Japanese)."""
    updated: str = "Updated; first printed in {edition}"
    """The line of an article printed again because its text changed; ``{edition}`` is the
    earlier edition's number as printed."""
    also_reported: str = "Also reported by: {sources}"
    """The line naming the other sources of a story printed once; ``{sources}`` is
    ``Source (time)`` joined by the name separator."""
    brackets: tuple[str, str] = (" (", ")")
    """Round brackets after a word: a space and ``(``, or full-width without a space in
    Chinese and Japanese."""

    def count(self, number: int) -> str:
        """``3 articles`` / ``3篇文章``."""
        noun = self.article if number == 1 else self.articles
        return f"{number}{self.count_separator}{noun}"

    def names(self, names: tuple[str, ...]) -> str:
        """Names joined as the language writes them."""
        return self.name_separator.join(names)

    def labelled(self, label: str, value: str) -> str:
        """``Label: value`` / ``标签：值``."""
        return f"{label}{self.colon}{value}"

    def bracketed(self, text: str) -> str:
        """``(text)`` / ``（text）``, on a line of its own."""
        return f"{self.brackets[0].lstrip()}{text}{self.brackets[1]}"


_EN = Words(
    language="en",
    article="article",
    articles="articles",
    untitled="Article {number}",
    image="Image",
    contents="Contents",
    page_of_pages="page {page} of {pages}",
    original_title="Original title",
    reporter="Reporter",
    reporters="Reporters",
    editors="Editors",
    briefing="Briefing",
    colon=": ",
    name_separator=", ",
    count_separator=" ",
)
_ZH = Words(
    language="zh",
    article="篇文章",
    articles="篇文章",
    untitled="第{number}篇",
    image="图片",
    contents="目录",
    page_of_pages="第 {page} 页，共 {pages} 页",
    original_title="原标题",
    reporter="记者",
    reporters="记者",
    editors="责编",
    briefing="简报",
    colon="：",
    name_separator="、",
    count_separator="",
    updated="更新：首次刊于{edition}",
    also_reported="另见：{sources}",
    brackets=("（", "）"),
)
_JA = Words(
    language="ja",
    article="件の記事",
    articles="件の記事",
    untitled="記事 {number}",
    image="画像",
    contents="目次",
    page_of_pages="{page} / {pages} ページ",
    original_title="原題",
    reporter="記者",
    reporters="記者",
    editors="編集",
    briefing="ブリーフィング",
    colon="：",
    name_separator="、",
    count_separator="",
    updated="更新：初出は{edition}",
    also_reported="他の報道：{sources}",
    brackets=("（", "）"),
)
WORDS: dict[str, Words] = {w.language: w for w in (_EN, _ZH, _JA)}
"""Every language with its own words; others fall back to English."""


def base_language(tag: str | None) -> str:
    """The primary subtag, lower case (``zh-CN`` -> ``zh``); ``en`` when unknown."""
    return (tag or "en").split("-")[0].lower()


def words_for(tag: str | None) -> Words:
    """The words for a BCP 47 tag (English when the language has none of its own)."""
    return WORDS.get(base_language(tag), _EN)
