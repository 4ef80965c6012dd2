"""Reader ``text``: a plain-text article copied from a news site, in English or Chinese.

The layout it knows (People's Daily, Xinhua and their English editions)::

    CPC News Network >> Leadership activities          breadcrumb   -> section, site
    Chen Yiqin: Strive to ...                          title
    At 13:21 on March 20, 2021 Source: Guizhou Daily   time/source  -> published, source
    Original title: ...                                             -> original_title
    News from our newspaper (reporter Xu Shaoting) On March 19 ...  -> byline, authors
    ...body paragraphs...
    (Editor in charge: Cao Miao, Xie Lei)                           -> editors
    WeChat "Scan" adds ...                             boilerplate  -> dropped

A text without these cues still reads: first line the title, the rest paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from .. import ir
from ._decode import decode_text
from ._language import guess_language

# --------------------------------------------------------------------------- cue patterns

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<mon>[A-Za-z]{3,9})\.?"
_SOURCE_TAIL = r"\s*(?:(?:Source|来源)\s*[:：]\s*(?P<source>.+?))?\s*$"
# The People's Daily and Xinhua layouts (the first, second and fourth patterns) print Beijing
# time without saying so; the reader records that offset as extra["timezone"].
_BEIJING_LAYOUTS = (0, 1, 3)
_DATE_LINES = tuple(
    re.compile(pattern + _SOURCE_TAIL, re.IGNORECASE)
    for pattern in (
        # At 13:21 on March 20, 2021
        rf"^At\s+(?P<h>\d{{1,2}}):(?P<m>\d{{2}})\s+on\s+{_MONTH}\s+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}})",
        # 08:05, December 01, 2020
        rf"^(?P<h>\d{{1,2}}):(?P<m>\d{{2}}),?\s+{_MONTH}\s+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}})",
        # March 20, 2021 13:21
        rf"^{_MONTH}\s+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}})(?:,?\s+(?:at\s+)?(?P<h>\d{{1,2}}):(?P<m>\d{{2}}))?",
        # 2021年03月20日13:21
        r"^(?P<y>\d{4})年(?P<mo>\d{1,2})月(?P<d>\d{1,2})日\s*(?:(?P<h>\d{1,2})[:：](?P<m>\d{2}))?",
        # 2021-03-20 13:21
        r"^(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})(?:[ T](?P<h>\d{2}):(?P<m>\d{2}))?",
    )
)
_SOURCE_LINE = re.compile(r"^(?:Source|来源)\s*[:：]\s*(?P<source>.+?)\s*$", re.IGNORECASE)
_ORIGINAL_TITLE = re.compile(
    r"^(?:Original\s+(?:title|headline)|原标题|原题)\s*[:：]\s*(?P<title>.+?)\s*$", re.IGNORECASE
)
_BY_LINE = re.compile(r"^By\s+(?P<names>[A-Z][^()]{1,120}?)\s*$")
_BREADCRUMB = re.compile(r"\s*(?:>>|»|＞＞)\s*")
_EDITOR_LABEL = (
    r"(?:Editors?\s+in\s+charge|Responsible\s+editors?|Web\s+editors?|Editors?"
    r"|责任编辑|责编|网络编辑|编辑|审核|校对)"
)
EDITOR_LINE = re.compile(
    rf"^(?:[(（]\s*{_EDITOR_LABEL}\s*[:：]\s*(?P<a>[^()（）]+?)\s*[)）]"
    rf"|{_EDITOR_LABEL}\s*[:：]\s*(?P<b>[^()（）]{{1,80}}?))\s*$",
    re.IGNORECASE,
)
EN_BYLINE = re.compile(
    r"^(?P<lead>[^()\n]{0,80}?)\s*\(\s*(?P<role>(?:staff\s+)?(?:reporters?|correspondents?)|by)"
    r"\s+(?P<names>[^()]+?)\s*\)\s*",
    re.IGNORECASE,
)
_ZH_ROLES = r"(?:本报记者|新华社记者|特约记者|见习记者|记者|通讯员|实习生)"
ZH_BYLINE = re.compile(
    rf"^(?P<lead>[^（）()\n]{{0,40}}?)\s*[（(]\s*(?P<names>{_ZH_ROLES}[^（）()]*?)\s*[）)]\s*"
)
_AGENCY_DATELINE = re.compile(
    r"^(?P<dateline>[A-Z][A-Z .'-]+,\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2})\s*\((?P<agency>[^()]{2,40})\)"
    r"\s*(?:--|—|–)\s*"
)
_GENERIC_LEADS = {"news from our newspaper", "our newspaper news", "本报讯", "本报"}
_BOILERPLATE = re.compile(
    r"wechat|weibo|\bscan\b|\bshare\b|follow\s+us|qr\s*code|learning power|"
    r"扫一扫|分享到|分享|关注|微信|微博|二维码|客户端|下载|返回顶部|打印|纠错",
    re.IGNORECASE,
)
_SENTENCE_END = tuple('.!?。！？…"”’』」)）:：;；')
_NAME_SPLIT = re.compile(r"\s*(?:[,，、;；/]|\band\b|&)\s*")


# --------------------------------------------------------------------------- small parsers


def split_names(text: str) -> tuple[str, ...]:
    text = re.sub(_ZH_ROLES, " ", text)
    names = [n.strip() for n in _NAME_SPLIT.split(text)]
    out: list[str] = []
    for name in names:
        # Chinese names are separated by spaces; Latin names contain them.
        if re.search(r"[\u3400-\u9fff]", name) and " " in name:
            out.extend(part for part in name.split() if part)
        elif name:
            out.append(name)
    return tuple(out)


def parse_date_line(line: str) -> tuple[datetime | date, str | None, int] | None:
    for index, pattern in enumerate(_DATE_LINES):
        match = pattern.match(line)
        if not match:
            continue
        parts = match.groupdict()
        if parts.get("mon"):
            month = _MONTHS.get(parts["mon"].lower().rstrip("."))
            if month is None:
                continue
        else:
            month = int(parts["mo"])
        try:
            day = date(int(parts["y"]), month, int(parts["d"]))
            when: datetime | date = day
            if parts.get("h") is not None:
                when = datetime(day.year, day.month, day.day, int(parts["h"]), int(parts["m"]))
        except ValueError:
            continue
        source = parts.get("source")
        return when, source.strip() if source else None, index
    return None


def _is_cjk(text: str) -> bool:
    return bool(re.search(r"[\u3400-\u9fff]", text))


def _join_wrapped(lines: list[str]) -> list[str]:
    """Join hard-wrapped lines of one blank-line-separated block into paragraphs.

    A line break counts as a soft wrap when the line is short enough to have been wrapped
    (at most 100 characters) and does not end a sentence; otherwise it ends a paragraph.
    """
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        if current:
            glue = "" if _is_cjk(current[-1:]) or _is_cjk(line[:1]) else " "
            current = current + glue + line
        else:
            current = line
        if len(line) > 100 or line.endswith(_SENTENCE_END):
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return paragraphs


# --------------------------------------------------------------------------- the parse


@dataclass
class _Found:
    """Metadata collected while scanning; becomes an ir.Meta at the end."""

    title: str | None = None
    original_title: str | None = None
    section: tuple[str, ...] = ()
    site: str | None = None
    source: str | None = None
    published: datetime | date | None = None
    authors: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    byline: str | None = None
    dateline: str | None = None
    extra: list[tuple[str, str]] = field(default_factory=list)


def _header_cue(line: str, found: _Found) -> bool:
    """Take ``line`` into ``found`` if it is a header cue; return whether it was one."""
    parsed = parse_date_line(line)
    if parsed is not None and found.published is None:
        found.published, source, layout = parsed
        if source:
            found.source = source
        if layout in _BEIJING_LAYOUTS and isinstance(found.published, datetime):
            found.extra.append(("timezone", "+08:00"))
        return True
    match = _SOURCE_LINE.match(line)
    if match and found.source is None:
        found.source = match["source"]
        return True
    match = _ORIGINAL_TITLE.match(line)
    if match and found.original_title is None:
        found.original_title = match["title"]
        return True
    match = _BY_LINE.match(line)
    if match and not found.authors:
        found.byline = line
        found.authors = split_names(match["names"])
        return True
    return False


def _take_byline(paragraph: str, found: _Found) -> str:
    """Move a leading byline (and dateline) of ``paragraph`` into ``found``; return the rest."""
    match = _AGENCY_DATELINE.match(paragraph)
    if match:
        found.dateline = match["dateline"].strip()
        if found.source is None:
            found.source = match["agency"].strip()
        return paragraph[match.end() :]
    match = ZH_BYLINE.match(paragraph) or EN_BYLINE.match(paragraph)
    if not match or found.authors:
        return paragraph
    names = split_names(match["names"])
    if not names:
        return paragraph
    found.byline = match.group(0).strip()
    found.authors = names
    lead = match["lead"].strip(" ,，")
    if lead and lead.lower() not in _GENERIC_LEADS:
        found.dateline = lead
    return paragraph[match.end() :]


def parse_article(text: str) -> ir.Article:
    """Parse decoded text into an article (see the module docstring for the layout)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    lines = [
        (number, raw.strip(" \t\u3000\u00a0")) for number, raw in enumerate(text.split("\n"), 1)
    ]
    found = _Found()
    dropped: list[ir.Dropped] = []
    nonblank = [i for i, (_, line) in enumerate(lines) if line]

    # Header: breadcrumb, title, then any run of cue lines.
    position = 0
    if nonblank:
        first = lines[nonblank[0]][1]
        parts = [p.strip() for p in _BREADCRUMB.split(first)]
        if len(parts) > 1 and all(parts) and all(len(p) <= 60 for p in parts):
            found.section = tuple(parts)
            found.site = parts[0]
            position = 1
    while position < len(nonblank):
        line = lines[nonblank[position]][1]
        if found.title is None and not _header_cue(line, found):
            found.title = line
        elif found.title is not None and not _header_cue(line, found):
            break
        position += 1
    body_start = nonblank[position] if position < len(nonblank) else len(lines)

    # Body: an editor line ends it; what follows the editor line is page furniture.
    body: list[tuple[int, str] | None] = []  # None marks a blank line
    after_editors = False
    for number, line in lines[body_start:]:
        match = EDITOR_LINE.match(line) if line else None
        if not line:
            body.append(None)
        elif match and not after_editors:
            found.editors = split_names(match["a"] or match["b"])
            after_editors = True
        elif after_editors:
            reason = (
                "share boilerplate"
                if _BOILERPLATE.search(line)
                else "page text after the editor line"
            )
            dropped.append(ir.Dropped(line, reason, number))
        elif (match := _ORIGINAL_TITLE.match(line)) and found.original_title is None:
            found.original_title = match["title"]
        else:
            body.append((number, line))

    # Trailing share buttons when there was no editor line to mark the end.
    while body and not after_editors:
        last = body[-1]
        if last is not None:
            if not (_BOILERPLATE.search(last[1]) and len(last[1]) <= 80):
                break
            dropped.append(ir.Dropped(last[1], "share boilerplate", last[0]))
        body.pop()

    paragraphs: list[str] = []
    run: list[str] = []
    for entry in [*body, None]:
        if entry is None:
            paragraphs.extend(_join_wrapped(run))
            run = []
        else:
            run.append(entry[1])
    if paragraphs:
        rest = _take_byline(paragraphs[0], found).strip()
        paragraphs = ([rest] if rest else []) + paragraphs[1:]

    meta = ir.Meta(
        title=found.title,
        original_title=found.original_title,
        section=found.section,
        site=found.site,
        source=found.source,
        published=found.published,
        authors=found.authors,
        editors=found.editors,
        language=guess_language(text),
        byline=found.byline,
        dateline=found.dateline,
        extra=tuple(found.extra),
    )
    dropped.sort(key=lambda d: d.line or 0)
    return ir.Article(
        meta=meta, blocks=tuple(ir.paragraph(p) for p in paragraphs), dropped=tuple(dropped)
    )


def read(data: bytes, *, name: str) -> ir.Collection:
    """Read one plain-text article from ``data`` (``name`` is used in error messages)."""
    return ir.Collection(articles=(parse_article(decode_text(data)),))
