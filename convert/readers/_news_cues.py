"""News cues shared by the plain-text and HTML readers: dates, bylines, editors, boilerplate.

The patterns know how People's Daily, Xinhua and their English editions print an article's
metadata (``At 13:21 on March 20, 2021 Source: ...``, ``（记者 …）``, ``（责编：…）``), in
English and Chinese. A reader matches them against lines of text; none of them does I/O.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from ..model import ir

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
BEIJING_LAYOUTS = (0, 1, 3)
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
SOURCE_LINE = re.compile(r"^(?:Source|来源)\s*[:：]\s*(?P<source>.+?)\s*$", re.IGNORECASE)
ORIGINAL_TITLE = re.compile(
    r"^(?:Original\s+(?:title|headline)|原标题|原题)\s*[:：]\s*(?P<title>.+?)\s*$", re.IGNORECASE
)
BY_LINE = re.compile(r"^By\s+(?P<names>[A-Z][^()]{1,120}?)\s*$")
BREADCRUMB = re.compile(r"\s*(?:>>|»|＞＞)\s*")
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
_CITY = r"[A-ZÀ-ÞĀ-Ž][\w.'’-]+(?:[ /-][A-ZÀ-ÞĀ-Ž][\w.'’-]+){0,3}"
_WIRE_DAY = (
    r"[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s+\d{4})?"  # March 3, Dec. 1, 2020
    r"|\d{1,2}\.?\s+(?:de\s+)?[A-Za-zÀ-ÿ]{3,10}\.?(?:\s+(?:de\s+)?\d{4})?"  # 3 mars, 3. März
)
_REGION = r"[A-Z][A-Za-z]{0,5}\.(?:[A-Z]\.)?"  # Mass., Calif., N.Y., Ore.
WIRE_DATELINE = re.compile(
    rf"^(?P<dateline>(?P<city>{_CITY})(?:,\s+(?P<region>{_REGION}))?(?:,\s+(?P<day>{_WIRE_DAY}))?)"
    r"\s*(?:\((?P<agency>[^()]{2,40})\))?\s*(?:--|—|–|-)\s+(?=\S)"
)
"""``BEIJING, June 10 (Xinhua) --``, ``SALEM, Mass., March 3 -``, ``PARIS, 3 mars (AFP) -``,
``Hamburg (dpa/lno) –``: a wire story's opening dateline (a place with a date, an agency or
both, then a dash). Without an agency the place is in capitals, as wire copy prints it (so
"However, March 3 - ..." is text)."""
ZH_WIRE_DATELINE = re.compile(
    r"^(?P<dateline>(?P<agency>新华社|中新社|中国新闻社|人民日报|央视新闻)?"
    r"(?P<city>[\u4e00-\u9fff]{2,6}?)(?P<day>\d{1,2}月\d{1,2}日)电)"
    r"(?![\s\u3000]*[（(])[\s\u3000]*"
)
"""``东京3月1日电``, ``新华社北京12月1日电``: a Chinese wire dateline without a byline after it
(one with ``（记者 …）`` is read as a byline)."""
GENERIC_LEADS = {"news from our newspaper", "our newspaper news", "本报讯", "本报"}
BOILERPLATE = re.compile(
    r"wechat|weibo|\bscan\b|\bshare\b|follow\s+us|qr\s*code|learning power|"
    r"扫一扫|分享到|分享|关注|微信|微博|二维码|客户端|下载|返回顶部|打印|纠错",
    re.IGNORECASE,
)
SENTENCE_END = tuple('.!?。！？…"”’』」)）:：;；')
_NAME_SPLIT = re.compile(r"\s*(?:[,，、;；/]|\band\b|&)\s*")


# --------------------------------------------------------------------------- small parsers


def split_names(text: str) -> tuple[str, ...]:
    """Names from a byline or editor list (roles removed, Chinese names split at spaces)."""
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


def wire_dateline(paragraph: str) -> tuple[str, str | None, int] | None:
    """(dateline phrase, agency or None, where the text starts) for a wire story's opening."""
    chinese = ZH_WIRE_DATELINE.match(paragraph)
    if chinese is not None and chinese.end() < len(paragraph):
        return chinese["dateline"], chinese["agency"], chinese.end()
    match = WIRE_DATELINE.match(paragraph)
    if match is None or not (match["day"] or match["agency"]):
        return None
    if not match["agency"] and not match["city"].replace(" ", "").isupper():
        return None
    agency = match["agency"].strip() if match["agency"] else None
    return match["dateline"].strip(), agency, match.end()


def take_wire_dateline(
    blocks: list[ir.Block],
) -> tuple[list[ir.Block], tuple[str, str | None] | None]:
    """The blocks with a wire dateline cut from the first paragraph (one of the first
    three blocks), and (dateline, agency)."""
    first = next((i for i, b in enumerate(blocks) if isinstance(b, ir.Paragraph)), None)
    if first is None or first > 2:
        return blocks, None
    paragraph = blocks[first]
    assert isinstance(paragraph, ir.Paragraph)
    content = paragraph.content
    if not content or not isinstance(content[0], ir.Text):
        return blocks, None
    wire = wire_dateline(content[0].text)
    if wire is None:
        return blocks, None
    dateline, agency, start = wire
    rest = (ir.Text(content[0].text[start:]), *content[1:])
    return [*blocks[:first], ir.Paragraph(rest), *blocks[first + 1 :]], (dateline, agency)


def parse_date_line(line: str) -> tuple[datetime | date, str | None, int] | None:
    """(time, source, layout index) when ``line`` is a date line, else None."""
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
