"""Reader ``text``: the news layouts in English and Chinese, encodings, fallbacks."""

from __future__ import annotations

import codecs
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convert import read
from convert.model import ir
from convert.model.errors import InputError
from convert.readers import text as text_reader
from convert.readers._decode import decode_text
from convert.readers.text import parse_article

from .conftest import SEED, TEXT, ZH

SEED_TITLE = (
    "Chen Yiqin: Strive to Achieve New Breakthroughs in Industrial Investment Promotion and "
    "Provide Strong Support for Promoting High quality Development"
)


def _one(path: object) -> ir.Article:
    articles = read(path)  # type: ignore[arg-type]
    assert len(articles) == 1
    return articles[0]


def test_the_seed_article_reads_completely() -> None:
    article = _one(SEED)
    meta = article.meta
    assert meta.title == SEED_TITLE
    assert meta.original_title == (
        "Strive to Achieve New Breakthroughs in Industrial Investment Attraction and Provide "
        "Strong Support for Promoting High quality Development"
    )
    assert meta.section == ("CPC News Network", "Leadership activities")
    assert meta.site == "CPC News Network"
    assert meta.source == "Guizhou Daily"
    assert meta.published == datetime(2021, 3, 20, 13, 21)
    assert meta.authors == ("Xu Shaoting",)
    assert meta.editors == ("Cao Miao", "Xie Lei")
    assert meta.byline == "News from our newspaper (reporter Xu Shaoting)"
    assert meta.language == "en"
    assert meta.extra == (("timezone", "+08:00"),)  # People's Daily prints Beijing time
    assert len(article.blocks) == 7
    first = ir.plain_text(article.blocks[:1])
    assert first.startswith("On March 19, the provincial industry")
    assert "reporter" not in first
    body = ir.plain_text(article.blocks)
    assert "WeChat" not in body and "Editor in charge" not in body
    assert [d.reason for d in article.dropped] == ["share boilerplate"] * 4
    assert all("WeChat" in d.text for d in article.dropped)


def test_every_nonblank_seed_line_is_accounted_for() -> None:
    article = _one(SEED)
    lines = [line.strip() for line in SEED.read_text("utf-8").splitlines() if line.strip()]
    meta = article.meta
    used = {meta.title, f"{meta.section[0]} >> {meta.section[1]}"}
    body = ir.plain_text(article.blocks)
    dropped = {d.text for d in article.dropped}
    for line in lines:
        assert (
            line in used
            or line in dropped
            or line in body
            or line.startswith("At 13:21")
            or line.startswith("Original title")
            or line.startswith("(Editor in charge")
            or line.startswith("News from our newspaper")
        ), line


def _zh_checks(article: ir.Article) -> None:
    meta = article.meta
    assert meta.title == "谌贻琴：奋力实现产业招商新突破 为推动高质量发展提供有力支撑"
    assert meta.original_title == "奋力实现产业招商新突破 为推动高质量发展提供有力支撑"
    assert meta.section == ("人民网", "领导活动")
    assert meta.source == "贵州日报"
    assert meta.published == datetime(2021, 3, 20, 13, 21)
    assert meta.authors == ("许邵庭",)
    assert meta.editors == ("曹淼", "谢磊")
    assert meta.byline == "本报讯（记者 许邵庭）"
    assert meta.language == "zh"
    assert len(article.blocks) == 3
    assert ir.plain_text(article.blocks[:1]).startswith("3月19日，全省产业招商")
    assert len(article.dropped) == 3
    assert {d.reason for d in article.dropped} == {"share boilerplate"}


def test_the_chinese_layout_reads_completely() -> None:
    _zh_checks(_one(ZH))


@pytest.mark.parametrize(
    "encoding", ["utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le", "utf-16-be"]
)
def test_chinese_in_every_supported_encoding(encoding: str) -> None:
    data = ZH.read_text("utf-8").encode(encoding)
    _zh_checks(_one(data))


def test_utf16_with_explicit_boms() -> None:
    text = ZH.read_text("utf-8")
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        _zh_checks(_one(bom + text.encode(codec)))


def test_gb18030_fixture_file() -> None:
    article = _one(TEXT / "xinhua-zh-gb18030.txt")
    assert article.meta.title == "全国春耕备耕工作有序推进"
    assert article.meta.section == ("新华网", "国内", "时政")
    assert article.meta.authors == ("王小明", "李华")
    assert article.meta.dateline == "新华社北京12月1日电"
    assert article.meta.editors == ("张三", "李四")
    assert article.meta.source == "新华社"


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_line_ends(newline: str) -> None:
    data = SEED.read_text("utf-8").replace("\n", newline).encode("utf-8")
    article = _one(data)
    assert article.meta.editors == ("Cao Miao", "Xie Lei")
    assert len(article.blocks) == 7
    assert "\r" not in ir.plain_text(article.blocks)


@pytest.mark.parametrize(
    ("line", "published", "source"),
    [
        (
            "At 13:21 on March 20, 2021 Source: Guizhou Daily",
            datetime(2021, 3, 20, 13, 21),
            "Guizhou Daily",
        ),
        ("08:05, December 01, 2020 Source: Xinhua", datetime(2020, 12, 1, 8, 5), "Xinhua"),
        ("2021年03月20日13:21  来源：贵州日报", datetime(2021, 3, 20, 13, 21), "贵州日报"),
        ("2021年3月2日 来源：人民日报", date(2021, 3, 2), "人民日报"),
        ("Dec. 1, 2020 08:05 Source: Xinhua", datetime(2020, 12, 1, 8, 5), "Xinhua"),
        ("2020-12-01 08:05 来源：新华社", datetime(2020, 12, 1, 8, 5), "新华社"),
        ("At 9:02 on Sept 3, 2019", datetime(2019, 9, 3, 9, 2), None),
    ],
)
def test_time_and_source_lines(line: str, published: object, source: str | None) -> None:
    article = parse_article(f"Title\n\n{line}\n\nBody text.\n")
    assert article.meta.published == published
    assert article.meta.source == source
    assert ir.plain_text(article.blocks) == "Body text.\n"


@pytest.mark.parametrize(
    ("paragraph", "byline", "authors", "rest"),
    [
        (
            "News from our newspaper (reporter Xu Shaoting) On March 19, x.",
            "News from our newspaper (reporter Xu Shaoting)",
            ("Xu Shaoting",),
            "On March 19, x.",
        ),
        (
            "(reporters Wang Fang and Liu Yang) Hundreds of schools.",
            "(reporters Wang Fang and Liu Yang)",
            ("Wang Fang", "Liu Yang"),
            "Hundreds of schools.",
        ),
        (
            "(reporters A One, B Two and C Three) Text.",
            "(reporters A One, B Two and C Three)",
            ("A One", "B Two", "C Three"),
            "Text.",
        ),
        (
            "本报讯（记者 许邵庭 王五）3月19日，会议召开。",
            "本报讯（记者 许邵庭 王五）",
            ("许邵庭", "王五"),
            "3月19日，会议召开。",
        ),
        (
            "本报讯（记者 张三、李四 通讯员 王五）正文。",
            "本报讯（记者 张三、李四 通讯员 王五）",
            ("张三", "李四", "王五"),
            "正文。",
        ),
    ],
)
def test_bylines(paragraph: str, byline: str, authors: tuple[str, ...], rest: str) -> None:
    article = parse_article(f"Title\n\n{paragraph}\n\nSecond.\n")
    assert article.meta.byline == byline
    assert article.meta.authors == authors
    assert ir.plain_text(article.blocks) == f"{rest}\nSecond.\n"


def test_a_byline_alone_leaves_no_empty_paragraph() -> None:
    article = parse_article("Title\n\n(reporter Jane Roe)\n\nBody.\n")
    assert article.meta.authors == ("Jane Roe",)
    assert article.blocks == (ir.paragraph("Body."),)


def test_by_line_in_the_header() -> None:
    article = parse_article("Title\nBy Jane Roe and John Doe\n\nBody.\n")
    assert article.meta.authors == ("Jane Roe", "John Doe")


@pytest.mark.parametrize(
    ("line", "editors"),
    [
        ("(Editor in charge: Cao Miao, Xie Lei)", ("Cao Miao", "Xie Lei")),
        ("(Web editor: Zhang Wei, Li Na)", ("Zhang Wei", "Li Na")),
        ("(Web editor: Zhang Wei and Li Na)", ("Zhang Wei", "Li Na")),
        ("（责编：曹淼、谢磊）", ("曹淼", "谢磊")),
        ("(责编：曹淼、谢磊)", ("曹淼", "谢磊")),
        ("责任编辑：王丽", ("王丽",)),
    ],
)
def test_editor_lines(line: str, editors: tuple[str, ...]) -> None:
    article = parse_article(f"Title\n\nBody.\n\n{line}\nShare to WeChat\nAbout us\n")
    assert article.meta.editors == editors
    assert article.meta.authors == ()
    assert article.blocks == (ir.paragraph("Body."),)
    assert [(d.text, d.reason) for d in article.dropped] == [
        ("Share to WeChat", "share boilerplate"),
        ("About us", "page text after the editor line"),
    ]


def test_agency_dateline() -> None:
    article = _one(TEXT / "xinhua-en.txt")
    assert article.meta.dateline == "BEIJING, Dec. 1"
    assert article.meta.source == "Xinhua"
    assert article.meta.editors == ("Zhang Wei", "Li Na")
    first = ir.plain_text(article.blocks[:1])
    assert first.startswith("A team of oceanographers said on Tuesday that they had mapped a large")
    assert "mapped\n" not in first  # hard-wrapped lines are joined
    assert [d.text for d in article.dropped] == ["Follow us on Twitter", "Share this article"]


def test_text_without_cues_reads_title_and_paragraphs() -> None:
    article = _one(TEXT / "plain-no-cues.txt")
    assert article.meta.title == "A quiet week at the harbour"
    assert len(article.blocks) == 2
    assert article.meta.section == () and article.meta.published is None


def test_one_line_per_paragraph_without_blank_lines() -> None:
    article = parse_article("标题\n第一段。\n第二段。\n第三段。\n")
    assert [ir.plain_text((b,)) for b in article.blocks] == [
        "第一段。\n",
        "第二段。\n",
        "第三段。\n",
    ]


def test_trailing_share_lines_without_an_editor_line() -> None:
    article = parse_article("Title\n\nBody.\n\nShare on Weibo\n扫一扫，分享到微信\n")
    assert article.blocks == (ir.paragraph("Body."),)
    assert [d.line for d in article.dropped] == [5, 6]


def test_control_characters_are_removed_and_reported() -> None:
    article = _one(b"Title\x07\n\nBody\x0b text.\n")
    assert article.meta.title == "Title"
    assert article.blocks == (ir.paragraph("Body text."),)
    assert article.dropped[-1].reason == "XML-illegal control characters removed"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty input"),
        (b"  \n\t\n", "empty input"),
        (bytes(range(256)) * 4, "binary file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40, "binary file"),
    ],
)
def test_unreadable_text(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read(data, format="text")


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("مرحبا بكم في الأخبار اليومية من القاهرة والمدينة", "ar"),
        ("این یک خبر از تهران است که پیگیری می‌شود", "fa"),
        ("یہ ایک خبر ہے جو لاہور سے آئی ہے اور بہت اہم ہے", "ur"),
        ("שלום עולם, זו כתבה חדשותית מירושלים", "he"),
        ("यह नई दिल्ली से एक समाचार लेख है", "hi"),
        ("ข่าววันนี้จากกรุงเทพมหานคร", "th"),
        ("오늘 서울에서 전해진 뉴스입니다", "ko"),
        ("今日は東京からのニュースです。", "ja"),
        ("今天的新闻来自北京。", "zh"),
        ("Это новость из Москвы о погоде", "ru"),
    ],
)
def test_the_language_is_told_by_its_script(text: str, tag: str) -> None:
    from convert.model.language import guess_language

    assert guess_language(text) == tag
    assert guess_language(text + " " + "The day in brief.") == tag  # a Latin word or two


@pytest.mark.parametrize(
    ("opening", "dateline", "source", "rest"),
    [
        ("BEIJING, June 10 (Xinhua) -- Officials said", "BEIJING, June 10", "Xinhua", "Officials"),
        ("NEW YORK, March 3 - Stocks rose on Monday", "NEW YORK, March 3", None, "Stocks"),
        ("Hamburg (dpa/lno) – Trotz eines Gesprächs", "Hamburg", "dpa/lno", "Trotz"),
        ("São Paulo, Oct. 2, 2023 (AFP) — Brazil", "São Paulo, Oct. 2, 2023", "AFP", "Brazil"),
    ],
)
def test_wire_datelines_go_to_dateline_and_source(
    opening: str, dateline: str, source: str | None, rest: str
) -> None:
    article = parse_article(f"Headline of the wire story\n\n{opening} in a statement.\n")
    assert article.meta.dateline == dateline
    assert article.meta.source == source
    assert ir.plain_text(article.blocks).startswith(rest)


def test_a_sentence_that_only_looks_like_a_dateline_is_left_alone() -> None:
    article = parse_article("Headline\n\nOfficials - and only officials - were told.\n")
    assert article.meta.dateline is None
    assert ir.plain_text(article.blocks).startswith("Officials - and only")


@given(
    st.lists(
        st.sampled_from([" the ", " und ", " de ", " la ", "É", "ß"])
        | st.characters(max_codepoint=127),
        max_size=900,
    ).map("".join)
)
@settings(max_examples=300, deadline=None)
def test_stop_word_tokens_of_ascii_text_are_the_patterns(text: str) -> None:
    """The byte-table cut of ASCII text gives the words the letter pattern finds (and other
    text goes through the pattern itself)."""
    from convert.model import language

    reference = language._WORD.findall(text.lower(), 0, language._STOP_SAMPLE)
    assert language.stop_word_sample(text) == reference


SEED_LINES = SEED.read_text("utf-8").splitlines()
_ANY_CHARACTER = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, blacklist_categories=())


@given(
    st.text(_ANY_CHARACTER | st.sampled_from("\x00\x01\x0b\x1f\x7f\x85\x9f\ufffe\uffff\ud800é，"))
)
def test_is_clean_text_says_what_clean_text_does(text: str) -> None:
    try:
        unchanged = ir.clean_text(text) == text
    except ir.LoneSurrogateError:
        unchanged = False
    assert ir.is_clean_text(text) is unchanged


@given(
    st.lists(
        st.text(_ANY_CHARACTER, max_size=12) | st.sampled_from(SEED_LINES), min_size=1, max_size=12
    )
)
def test_the_reader_cleans_what_it_reads(lines: list[str]) -> None:
    # The library skips its cleaning walk for this reader: the reader must do it itself,
    # with the same result the walk would have.
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    try:
        collection = text_reader.read(data, name="t.txt")
    except InputError:  # not text at all, or a lone surrogate: refused as before
        return
    assert ir.clean_collection(collection) == collection
    raw = ir.Collection(articles=(text_reader.parse_article(decode_text(data)),))
    assert collection == ir.clean_collection(raw)


def test_control_characters_are_still_reported_through_the_library(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(SEED.read_bytes().replace(b"Guizhou Daily", b"Guizhou\x07 Daily\x00", 1))
    [article] = read(path)
    assert article.meta.source == "Guizhou Daily"
    assert article.dropped[-1] == ir.Dropped(
        "U+0000 ×1, U+0007 ×1", "XML-illegal control characters removed"
    )


def test_beijing_time_belongs_to_the_layouts_of_chinese_outlets() -> None:
    """The People's Daily and Xinhua layouts print Beijing time without saying so; the same
    layout from another paper is left as printed."""
    city = "City News >> Local\n\nMayor opens the bridge\n\nAt 10:15 on March 3, 2024 Source: City Daily\n\nThe mayor opened it.\n"
    xinhua = city.replace("City Daily", "Xinhua")
    for text, zone in ((city, None), (xinhua, "+08:00")):
        meta = read(text.encode())[0].meta
        assert meta.published is not None
        assert dict(meta.extra).get("timezone") == zone


def test_an_original_title_printed_late_goes_to_the_metadata() -> None:
    """Some copies print "Original title:" below the first paragraph, not in the head: it
    is still the original title, and not body text; a second one is body text."""
    text = (
        "Leaders meet on investment\n\n"
        "At 13:21 on March 20, 2021 Source: Guizhou Daily\n\n"
        "The provincial leaders met on Friday to discuss investment.\n\n"
        "Original title: Strive for new breakthroughs in investment promotion\n\n"
        "They agreed on a plan for the year.\n\n"
        "Original title: this second one is text\n"
    )
    article = read(text.encode())[0]
    assert article.meta.original_title == "Strive for new breakthroughs in investment promotion"
    body = ir.plain_text(article.blocks)
    assert "Strive for new breakthroughs" not in body
    assert "They agreed on a plan" in body and "this second one is text" in body


def test_an_original_title_line_after_the_body_began_is_metadata_not_text() -> None:
    """Some pages print "Original title:" below the first paragraph: it is still the
    original title (once: a second such line is text)."""
    text = (
        "Harbour reopens after repairs\n\n"
        "2021-03-20 13:21 Source: Coast Daily\n\n"
        "The harbour reopened on Saturday after two months of repairs.\n\n"
        "Original title: Port back in business\n\n"
        "Ships queued outside the breakwater from dawn.\n\n"
        "Original title: quoted in a letter to the editor\n"
    )
    article = read(text.encode(), format="text")[0]
    assert article.meta.original_title == "Port back in business"
    body = ir.plain_text(article.blocks)
    assert "Port back in business" not in body
    assert "The harbour reopened" in body and "Ships queued" in body
    assert "Original title: quoted in a letter to the editor" in body


def test_a_byline_in_parentheses_at_the_end_is_the_author() -> None:
    text = (
        "Cảng mở cửa trở lại\n\n"
        "Cảng biển đã mở cửa trở lại vào thứ Hai sau một tuần sửa chữa.\n\n"
        "Tàu thuyền đã xếp hàng từ sáng sớm.\n\n"
        "(Lan Anh và TTXVN)\n"
    )
    article = read(text.encode(), format="text")[0]
    assert article.meta.authors == ("Lan Anh",) and article.meta.source == "TTXVN"
    assert article.meta.byline == "(Lan Anh và TTXVN)"
    assert "Lan Anh" not in ir.plain_text(article.blocks)
    # a last paragraph that is a sentence in parentheses stays text
    aside = text.replace("(Lan Anh và TTXVN)", "(Tàu thuyền đã xếp hàng từ sáng sớm.)")
    assert read(aside.encode(), format="text")[0].meta.authors == ()


@pytest.mark.parametrize(
    ("lines", "paragraph"),
    [
        ("The harbour reopened\non Monday after repairs.", "The harbour reopened on Monday after repairs."),
        ("港口周一\n重新开放。", "港口周一重新开放。"),  # Chinese lines join without a space
        ("新华社报道\nAP said so.", "新华社报道AP said so."),  # either side Chinese: no space
        ("Reported by\n新华社。", "Reported by新华社。"),
        ("港口X\nY said so.", "港口X Y said so."),  # Latin on both sides of the break
        ("He said\nA港口 reopened.", "He said A港口 reopened."),
    ],
)  # fmt: skip
def test_hard_wrapped_lines_join_as_their_script_joins(lines: str, paragraph: str) -> None:
    article = parse_article(f"Title\n\n{lines}\n")
    assert [ir.plain_text((b,)) for b in article.blocks] == [paragraph + "\n"]


def test_a_line_over_a_hundred_characters_is_a_paragraph_of_its_own() -> None:
    """Copied pages put one paragraph on one long line, and wrapped text has short lines:
    a line longer than 100 characters ends its paragraph even without a full stop."""
    long = "word " * 20 + "x"  # 101 characters
    article = parse_article(f"Title\n\n{long}\nnext line\n")
    assert [ir.plain_text((b,)) for b in article.blocks] == [long + "\n", "next line\n"]
    wrapped = "word " * 19 + "words"  # 100 characters: still a wrapped line
    article = parse_article(f"Title\n\n{wrapped}\nnext line\n")
    assert [ir.plain_text((b,)) for b in article.blocks] == [wrapped + " next line\n"]


@pytest.mark.parametrize(
    ("date_line", "zone"),
    [
        ("2021年03月20日13:21", "+08:00"),  # the Chinese layout, whoever prints it
        ("2021年03月20日", None),  # a day without a time has no zone
        ("2021-03-20 13:21 Source: Coast Daily", None),  # another layout: as printed
        ("At 13:21 on March 20, 2021 Source: People's Daily Online", "+08:00"),
        ("At 13:21 on March 20, 2021 Source: City Daily", None),
    ],
)
def test_beijing_time_is_assumed_only_where_it_is_printed(date_line: str, zone: str | None) -> None:
    meta = parse_article(f"Title\n{date_line}\n\nBody.\n").meta
    assert meta.published is not None
    assert dict(meta.extra).get("timezone") == zone


def test_header_cues_on_lines_of_their_own() -> None:
    """A head may give each cue its own line: time, source, original title, byline; each
    goes to its field and none becomes the title or body text."""
    article = parse_article(
        "Harbour reopens\n"
        "2021-03-20 13:21\n"
        "Source: Coast Daily\n"
        "Original title: Port back in business\n"
        "By Jane Roe\n"
        "\nShips queued outside the breakwater from dawn.\n"
    )
    meta = article.meta
    assert meta.title == "Harbour reopens"
    assert meta.published == datetime(2021, 3, 20, 13, 21)
    assert meta.source == "Coast Daily"
    assert meta.original_title == "Port back in business"
    assert meta.byline == "By Jane Roe" and meta.authors == ("Jane Roe",)
    assert ir.plain_text(article.blocks) == "Ships queued outside the breakwater from dawn.\n"
    # A second source line is not a cue: the head ends there and the line is text.
    second = parse_article("Title\nSource: Coast Daily\nSource: Other Daily\n\nBody.\n")
    assert second.meta.source == "Coast Daily"
    assert "Source: Other Daily" in ir.plain_text(second.blocks)


@pytest.mark.parametrize(
    ("paragraph", "dateline", "source"),
    [
        ("GUIYANG, March 19 (reporter Xu Shaoting) The meeting opened.", "GUIYANG, March 19", None),
        ("News from our newspaper (reporter Xu Shaoting) The meeting opened.", None, None),
        ("本报讯（记者 许邵庭）会议召开。", None, None),
    ],
)  # fmt: skip
def test_the_place_before_a_byline_is_the_dateline_unless_it_names_the_paper(
    paragraph: str, dateline: str | None, source: str | None
) -> None:
    meta = parse_article(f"Title\n\n{paragraph}\n").meta
    assert meta.dateline == dateline and meta.source == source and meta.authors


def test_a_wire_dateline_keeps_the_source_the_head_gave() -> None:
    text = "Title\nSource: Coast Daily\n\nBEIJING, Dec. 1 (Xinhua) -- Talks opened.\n"
    meta = parse_article(text).meta
    assert meta.dateline == "BEIJING, Dec. 1" and meta.source == "Coast Daily"
    plain = parse_article("Title\n\nBEIJING, Dec. 1 -- Talks opened.\n").meta
    assert plain.dateline == "BEIJING, Dec. 1" and plain.source is None


def test_share_lines_are_dropped_with_their_line_numbers_only_when_short() -> None:
    share = "Share this article"
    long_line = "Share " + "the news that the harbour reopened on Monday after repairs " * 2
    article = parse_article(f"Title\n\nBody.\n\n{share}\n")
    assert [(d.text, d.reason, d.line) for d in article.dropped] == [
        (share, "share boilerplate", 5)
    ]
    kept = parse_article(f"Title\n\nBody.\n\n{long_line.strip()}\n")  # a sentence, not a button
    assert kept.dropped == () and "harbour reopened" in ir.plain_text(kept.blocks)
    after = parse_article("Title\n\nBody.\n\n(Editor: Li Na)\nAbout us\n")
    assert [(d.text, d.line) for d in after.dropped] == [("About us", 6)]


def test_windows_line_ends_and_a_doubled_byte_order_mark_read_as_plain_lines() -> None:
    plain = SEED.read_bytes().replace(b"\r\n", b"\n")
    expected = read(plain, format="text")[0]
    assert read(plain.replace(b"\n", b"\r\n"), format="text")[0] == expected
    assert read(b"\xef\xbb\xbf" * 2 + plain, format="text")[0] == expected


def test_lines_indented_or_ended_with_any_kind_of_space_read_the_same() -> None:
    text = (
        "Harbour reopens after storm\n\n"
        "\u2003\u2003The harbour reopened on Friday morning after the storm.\u2002\n\n"
        "\u00a0Repairs will take another month, the port authority said.\u3000\n\x0c\n"
        "\tShips sail again.\n"
    )
    article = read(text.encode(), format="text")[0]
    assert [ir.plain_text((b,)) for b in article.blocks] == [
        "The harbour reopened on Friday morning after the storm.\n",
        "Repairs will take another month, the port authority said.\n",
        "Ships sail again.\n",
    ]


def test_a_breadcrumb_part_may_be_sixty_characters_long() -> None:
    def section(part: str) -> tuple[str, ...]:
        text = f"Home >> {part}\nHarbour reopens\n\nThe harbour reopened on Friday.\n"
        return read(text.encode(), format="text")[0].meta.section

    assert section("N" * 60) == ("Home", "N" * 60)
    assert section("N" * 61) == ()  # a line that long is not a breadcrumb


def test_trailing_share_lines_go_only_while_they_are_short() -> None:
    def last_paragraph(line: str) -> str:
        text = f"Harbour reopens\n\nThe harbour reopened on Friday.\n\n{line}\n"
        article = read(text.encode(), format="text")[0]
        return ir.plain_text(article.blocks[-1:]).strip()

    share = "Share this story on WeChat and Weibo"
    assert last_paragraph(share + " " + "." * (80 - len(share) - 1)) == (
        "The harbour reopened on Friday."
    )  # 80 characters: boilerplate
    long = share + " " + "." * (81 - len(share) - 1)
    assert last_paragraph(long) == long  # 81: a sentence that mentions sharing


def test_the_only_paragraph_is_never_taken_for_a_byline() -> None:
    text = "Quote of the day\n\n(Maria Rossi and Lan Anh)\n"
    article = read(text.encode(), format="text")[0]
    assert article.meta.authors == ()
    assert ir.plain_text(article.blocks).strip() == "(Maria Rossi and Lan Anh)"


def test_an_end_credit_naming_the_outlet_is_not_an_author() -> None:
    text = (
        "Harbour reopens after storm\n2021-03-20 13:21 Source: Gulf Times\n\n"
        "The harbour reopened on Friday morning.\n\nRepairs will take a month.\n\n(Gulf Times)\n"
    )
    article = read(text.encode(), format="text")[0]
    assert (article.meta.authors, article.meta.byline) == ((), None)
    assert ir.plain_text(article.blocks[-1:]).strip() == "(Gulf Times)"


@pytest.mark.parametrize(
    ("credit", "authors", "source"),
    [
        ("(Maria Rossi, AFP and Reuters)", ("Maria Rossi",), "AFP / Reuters"),
        ("(Maria Rossi and Lan Anh)", ("Maria Rossi", "Lan Anh"), None),
    ],
)
def test_the_agencies_of_an_end_credit_are_the_source(
    credit: str, authors: tuple[str, ...], source: str | None
) -> None:
    text = f"Harbour reopens\n\nThe harbour reopened on Friday.\n\nRepairs will take a month.\n\n{credit}\n"
    meta = read(text.encode(), format="text")[0].meta
    assert (meta.authors, meta.source, meta.byline) == (authors, source, credit)


def test_a_dateline_before_a_chinese_byline_loses_its_comma() -> None:
    text = "港口恢复通航\n\n贵阳，（记者 谌贻琴）港口周五恢复通航。\n\n维修还需一个月。\n"
    meta = read(text.encode(), format="text")[0].meta
    assert (meta.dateline, meta.authors) == ("贵阳", ("谌贻琴",))


@pytest.mark.parametrize(
    "data", [b"", b" \n\t\n", b"\xef\xbb\xbf", "\u3000\u3000\n\u2003\n".encode()]
)
def test_a_file_with_nothing_to_read_is_refused(data: bytes) -> None:
    with pytest.raises(InputError) as refused:
        read(data, format="text")
    assert str(refused.value) == "<bytes>: empty input: there is no text to read"


def test_a_title_and_a_dateline_beginning_with_x_keep_it() -> None:
    text = "Xi'an opens a rail hub\n\nXIAMEN, (By Li Wei) The hub opened on Friday.\n\nMore.\n"
    meta = read(text.encode(), format="text")[0].meta
    assert (meta.title, meta.dateline, meta.authors) == (
        "Xi'an opens a rail hub",
        "XIAMEN",
        ("Li Wei",),
    )


@pytest.mark.parametrize("last", ["Maria Rossi", "(AFP)"])
def test_a_closing_line_of_a_bare_name_or_an_agency_alone_stays_text(last: str) -> None:
    """Plain text has no bold to tell a signature from a line; an agency alone in brackets
    says where the story came from only in the head."""
    text = f"Harbour\n\nThe harbour reopened on Friday.\n\nRepairs take a month.\n\n{last}\n"
    article = read(text.encode(), format="text")[0]
    assert (article.meta.authors, article.meta.source, article.meta.byline) == ((), None, None)
    assert ir.plain_text(article.blocks[-1:]).strip() == last
