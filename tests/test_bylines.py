"""Bylines: people, not publishers; every place a page states them; names kept as printed."""

from __future__ import annotations

import re

import pytest

import convert
from convert.readers._bylines import clean_name, kind_of, split_credits

from .conftest import SHARED, require_file

CORPUS = SHARED / "corpus" / "trafilatura"


def _page(head: str, body: str) -> bytes:
    return (
        f"<!DOCTYPE html><html lang='en'><head><title>Harbour reopens</title>{head}</head>"
        f"<body><article><h1>Harbour reopens</h1>{body}"
        + "<p>The harbour reopened on Monday after a week of repairs to the quay walls. " * 3
        + "</p></article></body></html>"
    ).encode()


def test_json_ld_person_before_organization_and_meta_tags() -> None:
    ld = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "author": ['
        '{"@type": "Organization", "name": "Harbour Daily"}, '
        '{"@type": "Person", "name": "María R. Sahuquillo"}]}</script>'
        '<meta name="author" content="Harbour Daily Online GmbH">'
    )
    article = convert.read(_page(ld, ""), format="html")[0]
    assert article.meta.authors == ("María R. Sahuquillo",)  # period kept


def test_meta_author_then_visible_byline_then_body_byline() -> None:
    meta = convert.read(_page('<meta name="parsely-author" content="Anna Berg">', ""), "html")[0]
    assert meta.meta.authors == ("Anna Berg",)
    visible = convert.read(
        _page("", '<p class="byline">Von Volkmar Kabisch und Benedikt Strunz, NDR</p>'), "html"
    )[0]
    assert visible.meta.authors == ("Volkmar Kabisch", "Benedikt Strunz")
    in_text = convert.read(_page("", "<p>Por Agencia EFE</p>"), "html")[0]
    assert in_text.meta.authors == ("Agencia EFE",)  # an agency alone is the byline
    assert "Por Agencia EFE" not in convert.model.ir.plain_text(in_text.blocks)


def test_an_agency_beside_a_person_is_the_source() -> None:
    page = _page('<meta name="author" content="Li Wei, Reuters">', "")
    article = convert.read(page, format="html")[0]
    assert article.meta.authors == ("Li Wei",)
    assert article.meta.source == "Reuters"


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("大渡 美咲", ["大渡 美咲"]),  # one Japanese name, not two people
        ("By María R. Sahuquillo", ["María R. Sahuquillo"]),
        ("dpa", ["dpa"]),  # case as printed
        ("Von Benjamin Fischer und Marcus Theurer", ["Benjamin Fischer", "Marcus Theurer"]),
        ("Par Chokri GHARBI et Samir DRIDI", ["Chokri GHARBI", "Samir DRIDI"]),
        ("Por Luciana Bertoia y Raúl Kollmann", ["Luciana Bertoia", "Raúl Kollmann"]),
        ("记者 张三、李四", ["张三", "李四"]),
        ("文/王五和赵六", ["王五", "赵六"]),
        ("Evan Halper Staff Writer", ["Evan Halper"]),
        ("Richard Adams Education editor", ["Richard Adams"]),
        ("'Luana Patriolino, Raphael Felice'", ["Luana Patriolino", "Raphael Felice"]),
        ("Auteur: Anna Kubišta", ["Anna Kubišta"]),
        ("Tác giả: Nguyễn Văn An", ["Nguyễn Văn An"]),
        ("लेखक: राहुल शर्मा", ["राहुल शर्मा"]),
        ("No Author", []),
    ],
)
def test_names_are_cleaned_by_rules_per_script(raw: str, names: list[str]) -> None:
    assert split_credits(raw) == names


def test_organisations_and_agencies_are_told_from_people() -> None:
    sites = ["Frankfurter Allgemeine Zeitung", "tagesschau.de"]
    assert kind_of("Frankfurter Allgemeine Zeitung GmbH", sites) == "org"
    assert kind_of("tagesschau.de", sites) == "org"
    assert kind_of("Heise Online", []) == "org"
    assert kind_of("Condé Nast", ["Condé Nast"]) == "org"
    assert kind_of("AFP/The Local", []) == "agency"
    assert kind_of("dpa/lno", []) == "agency"
    assert kind_of("Marcus Theurer", sites) == "person"
    assert clean_name("Journalist") is None


def test_editors_stay_editors_on_a_real_page() -> None:
    path = require_file(CORPUS / "xinhuanet.com.c_1125597921.html", "the shared corpus")
    article = convert.read(path)[0]
    assert article.meta.editors == ("焦鹏",) and "焦鹏" not in article.meta.authors


@pytest.mark.parametrize(
    ("page", "authors", "dateline"),
    [
        ("faz.net.streaming.html", ("Benjamin Fischer", "Marcus Theurer"), None),  # not FAZ GmbH
        ("japantimes.co.jp.surgical.html", ("JIJI",), None),  # "No Author" is no author
        ("d90b19386e2b48559082547016cbe5ec.html", ("dpa/lno",), "Hamburg"),  # wire dateline
        ("francais.radio.cz-ministre.html", ("Anna Kubišta",), None),
    ],
)
def test_real_pages(page: str, authors: tuple[str, ...], dateline: str | None) -> None:
    article = convert.read(require_file(CORPUS / page, "the shared corpus"))[0]
    assert article.meta.authors == authors
    assert article.meta.dateline == dateline


def _ending(last: str, lang: str = "vi") -> bytes:
    body = "<p>Cảng biển đã mở cửa trở lại vào thứ Hai sau một tuần sửa chữa tường kè. " * 3
    return (
        f"<!DOCTYPE html><html lang='{lang}'><head><title>Cảng mở cửa</title></head><body>"
        f"<article><h1>Cảng mở cửa</h1>{body}</p>{last}</article></body></html>"
    ).encode()


@pytest.mark.parametrize(
    ("last", "authors"),
    [
        ('<p style="text-align:right"><strong>Nguyễn Văn An</strong></p>', ("Nguyễn Văn An",)),
        ("<p>(Lan Anh)</p>", ("Lan Anh",)),
        ("<p>— Maria Rossi</p>", ("Maria Rossi",)),
        ("<p><b>Pedro Gómez y María López</b></p>", ("Pedro Gómez", "María López")),
    ],
)
def test_a_byline_printed_at_the_end_is_the_author(last: str, authors: tuple[str, ...]) -> None:
    article = convert.read(_ending(last), format="html")[0]
    assert article.meta.authors == authors
    body = convert.model.ir.plain_text(article.blocks)
    assert authors[0] not in body and "sửa chữa" in body
    assert any(a in (article.meta.byline or "") for a in authors)


@pytest.mark.parametrize(
    "last",
    [
        "<p>Cảng sẽ hoạt động bình thường từ tuần sau.</p>",  # a last sentence
        "<p><strong>Foto: Mario Rossi</strong></p>",  # a photo credit
        "<p>(Ends)</p>",  # one word is not a name
        "<p>Nguyễn Văn An</p>",  # a bare name, not set apart in bold: text
        "<p><strong>Harbour Daily</strong></p>",  # an organisation
    ],
)
def test_what_ends_an_article_is_not_taken_for_a_byline(last: str) -> None:
    article = convert.read(_ending(last), format="html")[0]
    assert article.meta.authors == ()
    shown = re.sub(r"<[^>]+>", "", last)
    assert shown in convert.model.ir.plain_text(article.blocks)


def test_an_agency_credit_at_the_end_goes_to_the_source() -> None:
    article = convert.read(_ending("<p>(Lan Anh và TTXVN)</p>"), format="html")[0]
    assert article.meta.authors == ("Lan Anh",) and article.meta.source == "TTXVN"


@pytest.mark.parametrize(
    ("last", "agency"),
    [
        ('<p style="text-align:right"><strong>The Daily and AFP</strong></p>', "AFP"),
        ("<p>(Redaktion und dpa)</p>", "dpa"),
        ("<p>— Harbour Herald, Reuters</p>", "Reuters"),
    ],
)
def test_the_paper_and_an_agency_are_no_author_the_agency_is_the_source(
    last: str, agency: str
) -> None:
    """A credit naming the paper (or its newsroom) and an agency is two credits: the paper
    is not a person, the agency is where the copy comes from."""
    article = convert.read(_ending(last), format="html")[0]
    assert article.meta.authors == ()
    assert article.meta.source == agency
    assert agency not in convert.model.ir.plain_text(article.blocks)  # it left the body


def test_the_paper_and_an_agency_in_the_page_head_are_no_author() -> None:
    page = _page('<meta name="author" content="The Daily and AFP">', "")
    article = convert.read(page, format="html")[0]
    assert article.meta.authors == () and article.meta.source == "AFP"
    # An agency alone still signs the story (newspapers print it as the byline).
    alone = convert.read(_page('<meta name="author" content="AFP">', ""), format="html")[0]
    assert alone.meta.authors == ("AFP",)


def test_a_text_article_ending_with_the_paper_and_an_agency() -> None:
    text = (
        "Harbour reopens after the storm\n\n"
        + "The harbour reopened on Monday after a week of repairs to the quay walls. " * 3
        + "\n\n(The Daily and AFP)\n"
    )
    article = convert.read(text.encode(), format="text")[0]
    assert article.meta.authors == () and article.meta.source == "AFP"
    assert "The Daily" not in convert.model.ir.plain_text(article.blocks)
