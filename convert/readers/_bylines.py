"""Bylines you can trust: who wrote a web page, from every place a page states it.

Candidates come from structured data first — JSON-LD ``author``/``creator`` (a Person before
an Organization), then ``<meta>`` author tags, then visible byline elements, then
``rel=author`` links — and trafilatura's guess comes last. The first source that names a
person wins (later sources on a page are often teasers for other articles); organisations
found anywhere go to ``source``. Names are cleaned with rules per script: "By"/"Von"/"Par"/
"Por"/"记者"/"文/" prefixes and role words removed, periods and case kept as printed, no
splitting inside a CJK name, "and"/"und"/"et"/"y"/"e"/"和"/"、" as separators. Agency credits
(AP, AFP, Reuters, Xinhua, dpa, ...) are the author only when there is no person: newspapers
print them as the byline.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

AGENCIES = frozenset(
    s.lower()
    for s in (
        "AP", "AFP", "Reuters", "Xinhua", "dpa", "EFE", "APA", "ANSA", "Kyodo", "JIJI", "Yonhap",
        "TASS", "RIA Novosti", "PA", "KNA", "epd", "sid", "SDA", "Keystone-SDA", "Bloomberg",
        "UPI", "AAP", "CP", "DDP", "Belga", "ANP", "NTB", "TT", "Ritzau", "Lusa", "Europa Press",
        "Associated Press", "Agence France-Presse", "Agencia EFE", "Agenturen", "Agencies",
        "Agences", "wires", "red", "TTXVN", "VNA", "ANTARA", "Bernama", "PTI",
        "IANS", "ANI", "新华社", "中新社", "新华网", "共同社", "时事社",
    )
)  # fmt: skip
"""Credits that name an agency or a newsroom, not a person (lower case)."""

_PREFIX = re.compile(
    r"^(?:(?:written\s+)?by|von|vom|par|por|de|door|av|di|da|от|автор|text|texte|texto"
    r"|auteur|autor|autorin|author|reporter|reporting\s+by|story\s+by|words\s+by"
    r"|tác\s+giả|bài|theo|लेखक|द्वारा|रिपोर्ट|संवाददाता"
    r"|记者|本报记者|新华社记者|文|撰文|作者|编译)\s*[:：/|]?\s+",
    re.IGNORECASE,
)
_CJK_PREFIX = re.compile(r"^(?:本报记者|新华社记者|记者|文|撰文|作者|编译)\s*[:：/|]?\s*")
_ROLE_WORDS = re.compile(
    r"\s*(?:\b(?:staff|senior|chief|deputy|associate|contributing|political|education|science"
    r"|economics|business|foreign|sports?|health|technology|financial)\s+)?"
    r"\b(?:writer|reporter|editor|correspondent|journalist|columnist|contributor|redakteur(?:in)?"
    r"|korrespondent(?:in)?|journaliste|rédacteur|rédactrice|periodista|redactor|redactora"
    r"|giornalista|журналист|корреспондент)\b.*$",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(
    r"\s*(?:[,;，；、]|\s(?:and|und|et|y|e|og|en|och|i|и|và)\s|\s*&\s*|和)\s*", re.IGNORECASE
)
_PLACEHOLDERS = frozenset(
    ("no author", "unknown", "anonymous", "admin", "administrator", "staff", "editor",
     "editorial", "author", "guest", "user", "none", "null", "n/a", "-")
)  # fmt: skip
_ORG_WORDS = re.compile(
    r"\b(?:gmbh|ag|ltd|limited|inc|llc|plc|s\.?a\.?|corp(?:oration)?|media|verlag|online"
    r"|news|newsroom|zeitung|times|post|press|presse|radio|tv|television|welle|group"
    r"|magazine|magazin|journal|daily|herald|tribune|gazette|network|broadcasting|agency"
    r"|redaktion|rédaction|redacción|redazione|redactie|newsdesk)\b",
    re.IGNORECASE,
)
_DOMAIN = re.compile(
    r"\b[\w-]+\.(?:com|org|net|de|at|ch|it|fr|es|uk|cl|tn|fi|cz|br|jp|cn|io|co)\b", re.I
)
_DATEISH = re.compile(
    r"\s+(?:\d{1,4}[./-]\d{1,2}|\d{1,2}\s+[A-Z][a-z]+|[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}"
    r"|updated|published|aktualisiert|veröffentlicht|follow|facebook|twitter).*$",
    re.IGNORECASE,
)
_BYLINE_CLASS = re.compile(
    r"author|byline|autor|auteur|byl\b|dateline-?author|reporter|^credit$|\bcredit\b", re.I
)
_NOT_BYLINE_CLASS = re.compile(
    r"comment|avatar|bio|image|photo|foto|thumb|social|share|follow|box|widget|related|teaser"
    r"|date|time|title|label|list|more|today",
    re.I,
)
_META_NAMES = (
    "author", "article:author", "og:article:author", "article:author_name", "parsely-author",
    "sailthru.author", "dc.creator", "dcterms.creator", "byl", "cxenseparse:author",
    "analyticsattributes.author", "citation_author",
)  # fmt: skip
_JSONLD_ARTICLES = re.compile(r"article|posting|report|webpage|creativework|newsarticle", re.I)


@dataclass
class Credits:
    """People and organisations a page names as its authors."""

    people: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    paper_and_agency: bool = False
    """True when no person is named and the credit names the paper (or its newsroom) and an
    agency ("The Daily and AFP", "Redaktion und dpa"): the agency is where the copy comes
    from, the paper is not a person, so there is no author."""

    def add_byline(self, text: str, site_names: Iterable[str]) -> None:
        """Every name in byline ``text``, each as a person, organisation or agency."""
        for name in split_credits(text):
            self.add(name, kind_of(name, site_names))

    def add(self, name: str, kind: str) -> None:
        target = {"person": self.people, "org": self.organisations, "agency": self.agencies}[kind]
        if _key(name) not in {_key(n) for n in target}:
            target.append(name)


def _key(name: str) -> str:
    return re.sub(r"[\W_]+", "", name.casefold())


def clean_name(raw: str) -> str | None:
    """One name as printed: prefixes, role words, quotes and stray punctuation removed."""
    name = re.sub(r"\s+", " ", raw).strip().strip("\"'“”‘’«»()[]|·•-–—:;,").strip()
    for _ in range(2):
        name = _PREFIX.sub("", name).strip()
        name = _CJK_PREFIX.sub("", name).strip()
    if re.search(r"[A-Za-z]", name):
        name = _ROLE_WORDS.sub("", name).strip()
        name = _DATEISH.sub("", name).strip()
    name = name.strip("\"'“”‘’«»()[]|·•-–—:;,").strip()
    if not name or name.casefold() in _PLACEHOLDERS or re.search(r"\d", name):
        return None
    if "@" in name or name.lower().startswith(("http://", "https://", "www.")):
        return None
    cjk = re.search(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]", name) is not None
    if len(name) > 60 or (not cjk and len(name.split()) > 6):
        return None
    return name


def split_credits(text: str) -> list[str]:
    """A byline's names, cleaned; one CJK name is never split at its inner space."""
    text = _PREFIX.sub("", re.sub(r"\s+", " ", text).strip())
    out = []
    for part in _SEPARATORS.split(text):
        name = clean_name(part)
        if name:
            out.append(name)
    return out


def kind_of(name: str, site_names: Iterable[str]) -> str:
    """ "agency", "org" (a site, publisher or company) or "person"."""
    folded = name.casefold()
    parts = {p.strip().casefold() for p in re.split(r"[/|]", name) if p.strip()}
    if folded.rstrip(".") in AGENCIES or parts & AGENCIES:
        return "agency"
    key = _key(name)
    for site in site_names:
        other = _key(site)
        if other and key and (key == other or (len(key) > 3 and (key in other or other in key))):
            return "org"
    if _DOMAIN.search(name) or _ORG_WORDS.search(name):
        return "org"
    if re.fullmatch(r"[A-Z]{2,5}", name):  # NDR, BBC, ORF: a broadcaster or a newsroom
        return "org"
    return "person"


def _jsonld_objects(document: Any) -> Iterator[dict[str, Any]]:
    for script in document.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content() or "null", strict=False)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                graph = item.get("@graph")
                if graph is not None:
                    stack.extend(graph if isinstance(graph, list) else [graph])
                yield item


def _jsonld(objects: Iterable[dict[str, Any]], site_names: list[str]) -> Credits:
    found = Credits()
    for item in objects:
        kind = item.get("@type")
        kinds = " ".join(kind) if isinstance(kind, list) else str(kind or "")
        if not _JSONLD_ARTICLES.search(kinds):
            continue
        for key in ("author", "creator"):
            value = item.get(key)
            entries = value if isinstance(value, list) else [value] if value else []
            for entry in entries:
                if isinstance(entry, str):
                    found.add_byline(entry, site_names)
                elif isinstance(entry, dict) and isinstance(entry.get("name"), str):
                    entry_kind = str(entry.get("@type") or "Person")
                    for name in split_credits(entry["name"]):
                        guessed = kind_of(name, site_names)
                        if "Person" not in entry_kind:
                            guessed = "agency" if guessed == "agency" else "org"
                        found.add(name, guessed)
    return found


def _meta_tags(document: Any) -> Iterator[tuple[str, str]]:
    for element in document.xpath("//meta[@content]"):
        label = (element.get("name") or element.get("property") or "").casefold()
        if label in _META_NAMES:
            yield label, element.get("content") or ""


def _meta(tags: Iterable[tuple[str, str]], site_names: list[str]) -> Credits:
    found = Credits()
    for _, content in tags:
        found.add_byline(content, site_names)
    return found


def _bylines(document: Any) -> Iterator[str]:
    elements = document.xpath(
        "//body//*[@class or @itemprop or @rel or self::address][not(self::script)"
        " and not(self::style) and not(self::meta) and not(self::link)]"
    )
    for element in elements:
        marks = " ".join(element.get(a) or "" for a in ("class", "itemprop", "rel"))
        is_address = element.tag == "address"  # HTML: the article author's contact details
        if not is_address and (not _BYLINE_CLASS.search(marks) or _NOT_BYLINE_CLASS.search(marks)):
            continue
        only_credit = not re.search(r"author|byline|autor|auteur|byl\b|reporter", marks, re.I)
        if only_credit and _is_picture_credit(element):
            continue
        text = re.sub(r"\s+", " ", element.text_content()).strip()
        if text and len(text) <= 160:
            yield text


def _is_picture_credit(element: Any) -> bool:
    """A credit under a photo (inside a figure, or beside a picture): the photographer's."""
    if element.xpath("ancestor::figure") or "copyright" in (element.get("class") or ""):
        return True
    parent = element.getparent()
    for scope in (parent, parent.getparent() if parent is not None else None):
        if scope is not None and scope.xpath(".//img|.//picture"):
            return not scope.xpath(".//h1")  # an article header with its picture is fine
    return False


def _visible(texts: Iterable[str], site_names: list[str]) -> Credits:
    found = Credits()
    for text in texts:
        # A byline element often runs on into the date, an e-mail link or share buttons.
        text = re.split(r"\s+[-|•·]\s+|\s*\[email", text)[0]
        text = _DATEISH.sub("", text)
        found.add_byline(text, site_names)
        if found.people or found.agencies:
            break  # the first byline on the page is the article's; later ones are teasers
    return found


@dataclass(frozen=True)
class CreditSources:
    """What a page says about its authors, read before the page is cleaned up."""

    jsonld: tuple[dict[str, Any], ...]
    meta: tuple[tuple[str, str], ...]
    visible: tuple[str, ...]


def collect_credit_sources(document: Any) -> CreditSources:
    """JSON-LD article objects, author meta tags and byline element texts, in page order."""
    return CreditSources(
        tuple(_jsonld_objects(document)), tuple(_meta_tags(document)), tuple(_bylines(document))
    )


BODY_BYLINE = re.compile(
    r"^(?:By|Von|Par|Por|Auteure?|Autor(?:in)?|Author|Texte?|Texto|Reporting by|Tác giả|Bài"
    r"|लेखक|द्वारा)\s*[:：]?\s+"
    r"(?P<names>[A-ZÀ-ÞĀ-ỹ\u0900-\u097f\u3400-\u9fff][^.!?;।]{1,80}?)\.?$"
)
"""A paragraph that is only a byline ("Auteur : Kossivi Tiassou", "Por Agencia EFE")."""


_NAME_WORD = r"(?:[A-ZÀ-ÖØ-ÞĀ-ỹ][\w'’.-]*|dpa|epd|sid|kna|afp|apa)"
_PARTICLE = r"(?:de|da|do|dos|das|del|della|di|du|van|von|der|den|la|le|bin|binti|al|el)"
_NAME = rf"{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_NAME_WORD}){{0,4}}"
_NAMES = rf"{_NAME}(?:\s*(?:,|&|\band\b|\bund\b|\bet\b|\by\b|\be\b|\bvà\b)\s*{_NAME})*"
END_BYLINE = re.compile(
    rf"^(?:\((?P<paren>{_NAMES})\)|[—–-]\s*(?P<dash>{_NAMES})|(?P<bare>{_NAMES}))\.?$"
)
"""A byline printed as the article's last paragraph: "(Lan Anh)", "— Maria Rossi", or the
names alone (then only when the paragraph is all bold, as such papers print it)."""
_CREDIT_WORDS = re.compile(
    r"\b(?:foto|photo|photos|ảnh|bild|image|images|grafik|graphic|illustration|video|quelle"
    r"|source|fuente|fonte|copyright)\b",
    re.IGNORECASE,
)


def end_byline(text: str, bold: bool, site_names: Iterable[str] = ()) -> str | None:
    """The names of a byline that is a whole last paragraph (``text``; ``bold``: all of it
    is bold), else None: never a sentence, a photo credit or an organisation alone."""
    text = re.sub(r"\s+", " ", text).strip()
    if not text or len(text) > 80 or _CREDIT_WORDS.search(text):
        return None
    match = END_BYLINE.match(text)
    if match is None or (match["bare"] is not None and not bold):
        return None
    names = match["paren"] or match["dash"] or match["bare"]
    sites = list(site_names)
    kinds = [kind_of(name, sites) for name in split_credits(names)]
    # A person has two names at least ("(Ends)" is not one); an agency may have one; an
    # organisation or a newsroom alone is not a byline (it stays text).
    people = [
        name for name, kind in zip(split_credits(names), kinds, strict=True)
        if kind == "person" and len(name.split()) > 1
    ]  # fmt: skip
    if not people and "agency" not in kinds:
        return None
    if any(kind == "person" and len(name.split()) == 1
           for name, kind in zip(split_credits(names), kinds, strict=True)):  # fmt: skip
        return None
    return names


def page_credits(
    page: CreditSources,
    site_names: list[str],
    fallback: str | None,
    body_byline: str | None = None,
    page_lines: Iterable[str] = (),
) -> Credits:
    """The page's authors: the first source that names a person, organisations from all.

    Sources in order: JSON-LD, meta tags, byline elements, a byline paragraph in the
    article text, a byline line elsewhere on the page, then trafilatura's guess
    (``fallback``).
    """
    in_text = Credits()
    in_text.add_byline(body_byline or "", site_names)
    on_page = Credits()
    for line in page_lines:
        # "Auteur : Kossivi Tiassou Edition : M-A. Pioerron": stop at the next "Label :".
        line = re.split(r"\s+[A-ZÀ-Þ][\w-]*\s*:\s", line.strip())[0]
        match = BODY_BYLINE.match(line)
        if match and len(line) <= 100:
            on_page.add_byline(match["names"], site_names)
            break
    sources = [
        _jsonld(page.jsonld, site_names),
        _meta(page.meta, site_names),
        _visible(page.visible, site_names),
        in_text,
        on_page,
    ]
    guessed = Credits()
    guessed.add_byline(fallback or "", site_names)
    sources.append(guessed)
    result = Credits()
    for source in sources:
        for name in source.organisations:
            result.add(name, "org")
    chosen = next((s for s in sources if s.people), None)
    if chosen is not None:
        for name in chosen.people:
            result.add(name, "person")
        for name in chosen.agencies:
            result.add(name, "agency")
        return result
    credit = next((s for s in sources if s.agencies), None)
    if credit is not None:
        for name in credit.agencies:
            result.add(name, "agency")
        result.paper_and_agency = bool(credit.organisations)
    return result
