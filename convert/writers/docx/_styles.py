"""Word paragraph styles from the style's roles: one named Word style per role.

Users restyle a briefing in Word by editing "Title", "Article Meta", "Body Text"...; each is
defined here from the role's typography (:class:`~convert.plan.styles.RoleStyle`) so the DOCX
looks like the PDF and the EPUB made from the same style.
"""

from __future__ import annotations

from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles import BabelFish
from docx.styles.style import StyleFactory

from ...plan.layout import is_cjk_language
from ...plan.styles import RoleStyle, Style
from . import _xml as x

# role -> Word style name; Word's own names where Word has the style, so its navigation
# pane, quick styles and screen readers know them. Heading 4-6 take the heading3 look.
WORD_STYLES: dict[str, str] = {
    "body": "Body Text",
    "heading1": "Heading 1",
    "heading2": "Heading 2",
    "heading3": "Heading 3",
    "quote": "Quote",
    "pull_quote": "Intense Quote",
    "list": "List Paragraph",
    "caption": "Caption",
    "table_cell": "Table Text",
    "label": "Briefing Label",
    "breadcrumb": "Breadcrumb",
    "title": "Title",
    "subtitle": "Subtitle",
    "original_title": "Original Title",
    "meta": "Article Meta",
    "editors": "Editors Line",
    "url": "Article Link",
    "cover_label": "Cover Label",
    "masthead_publisher": "Masthead Publisher",
    "masthead_title": "Masthead Title",
    "masthead_issue": "Masthead Issue",
    "cover_title": "Cover Title",
    "cover_subtitle": "Cover Subtitle",
    "cover_meta": "Cover Meta",
    "cover_description": "Cover Description",
    "contents_heading": "TOC Heading",
    "contents_section": "Contents Section",
    "contents_title": "Contents Title",
    "contents_detail": "Contents Detail",
    "header": "Header",
    "footer": "Footer",
    "cover_marking": "Cover Marking",
    "cover_sections": "Cover Sections",
    "section_title": "Section Title",
    "section_intro": "Section Intro",
    "summary": "Summary",
    "contents_summary": "Contents Summary",
}
# Outline levels (0 = top) for Word's navigation pane and screen readers: sections, then
# article titles, then the articles' own headings.
OUTLINE_LEVELS = {
    "Section Title": 0,
    "Title": 1,
    **{f"Heading {n}": min(n + 1, 8) for n in range(1, 7)},
}
_EXTRA_HEADINGS = {"Heading 4": "heading3", "Heading 5": "heading3", "Heading 6": "heading3"}
_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}
_WORD_LANG = {"zh": "zh-CN", "ja": "ja-JP", "ko": "ko-KR"}


def word_language(tag: str | None) -> str | None:
    """A language tag as Word expects it (``zh`` -> ``zh-CN``); others unchanged."""
    if not tag:
        return None
    if "-" in tag:
        return tag
    return _WORD_LANG.get(tag.lower(), tag)


def _set_fonts(element: Any, latin: str, cjk: str) -> None:
    """Name fonts explicitly for every script (theme fonts are substituted on Linux)."""
    rpr = element.get_or_add_rPr()
    for old in rpr.findall(qn("w:rFonts")):
        rpr.remove(old)
    fonts = rpr.makeelement(qn("w:rFonts"), {})
    for key, value in (
        ("w:ascii", latin),
        ("w:hAnsi", latin),
        ("w:eastAsia", cjk),
        ("w:cs", latin),
    ):
        fonts.set(qn(key), value)
    rpr.insert(0, fonts)


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


def _families(style: Style, font: str) -> tuple[str, str]:
    """(Latin, CJK) family names for a role's font."""
    fonts = style.fonts
    if font == "mono":
        return fonts["mono"], fonts["body_cjk"]
    return fonts[f"{font}_latin"], fonts[f"{font}_cjk"]


def _document_defaults(document: Any, style: Style, language: str) -> None:
    """Explicit fonts and the main language in the document defaults (no theme fonts)."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for old in rpr.findall(qn("w:rFonts")) + rpr.findall(qn("w:lang")):
        rpr.remove(old)
    latin, cjk = _families(style, "body")
    rpr.insert(
        0,
        parse_xml(
            f'<w:rFonts xmlns:w="{x.W_NS}" w:ascii={x.attr(latin)} w:hAnsi={x.attr(latin)} '
            f"w:eastAsia={x.attr(cjk)} w:cs={x.attr(latin)}/>"
        ),
    )
    lang = word_language(language) or "en-US"
    east = lang if is_cjk_language(language) else "zh-CN"
    rpr.append(
        parse_xml(f'<w:lang xmlns:w="{x.W_NS}" w:val={x.attr(lang)} w:eastAsia={x.attr(east)}/>')
    )


def _add_style(styles: Any, name: str, kind: WD_STYLE_TYPE) -> Any:
    """``styles.add_style`` without its linear search for the name (the caller's index has
    just said the style is not there)."""
    return StyleFactory(styles.element.add_style_of_type(BabelFish.ui2internal(name), kind, False))


def _masthead_band(by_name: dict[str, Any], style: Style) -> None:
    """The masthead's paragraphs shaded in the band's colour inside one border of the same
    colour: paragraphs with the same border are one group to Word and LibreOffice, so the
    shading runs through the border's padding as one band."""
    fill = style.colors["masthead"].lstrip("#").upper()
    space = min(31, round(style.measures["masthead_padding"]))  # w:space is at most 31 pt
    edges = "".join(
        f'<w:{edge} w:val="single" w:sz="4" w:space="{space}" w:color="{fill}"/>'
        for edge in ("top", "left", "bottom", "right")
    )
    for name in ("Masthead Publisher", "Masthead Title", "Masthead Issue"):
        properties = by_name[name].element.get_or_add_pPr()
        band = parse_xml(
            f'<w:pPr xmlns:w="{x.W_NS}"><w:pBdr>{edges}</w:pBdr>'
            f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/></w:pPr>'
        )
        # w:pBdr and w:shd come before w:spacing in a paragraph's properties
        spacing = properties.find(qn("w:spacing"))
        for element in list(band):
            if spacing is not None:
                spacing.addprevious(element)
            else:
                properties.append(element)


def _contents_page_numbers(contents_title: Any, style: Style) -> None:
    """A right-aligned tab stop at the text's right edge, where each contents entry's page
    number stands, with dot leaders unless the style turns them off."""
    width_mm = style.text_area_mm[0]
    leader = (
        WD_TAB_LEADER.DOTS if style.typography.get("contents_leaders") else WD_TAB_LEADER.SPACES
    )
    contents_title.paragraph_format.tab_stops.add_tab_stop(
        Mm(width_mm), WD_TAB_ALIGNMENT.RIGHT, leader
    )


def define_styles(document: Any, style: Style, language: str) -> dict[str, str]:
    """Define one Word style per role; returns role -> Word style id.

    Also ``h4``-``h6`` (Word's Heading 4-6), ``list_continue``, ``hyperlink`` (a character
    style) and ``table`` (the grid table style).
    """
    styles = document.styles
    _document_defaults(document, style, language)
    # python-docx finds a style by name with an XPath search of all 160 template styles;
    # one index of them serves the forty look-ups here.
    by_name = {found.name: found for found in styles}

    def paragraph_style(name: str) -> Any:
        found = by_name.get(name)
        if found is None:
            found = by_name[name] = _add_style(styles, name, WD_STYLE_TYPE.PARAGRAPH)
            found.base_style = by_name["Normal"]
            found.quick_style = True
        return found

    def configure(name: str, look: RoleStyle) -> str:
        found = paragraph_style(name)
        found.font.size = Pt(look.size)
        found.font.color.rgb = _rgb(look.color)
        found.font.bold = look.bold
        found.font.italic = look.italic
        _set_fonts(found.element, *_families(style, look.font))
        fmt = found.paragraph_format
        fmt.space_before = Pt(look.space_before)
        fmt.space_after = Pt(look.space_after)
        fmt.left_indent = Pt(look.left_indent)
        fmt.first_line_indent = Pt(look.first_line_indent)
        fmt.alignment = _ALIGN[look.align]
        fmt.keep_with_next = look.keep_with_next
        fmt.line_spacing = style.measures["line_height"]
        return str(found.style_id)

    roles = style.roles
    normal = configure("Normal", roles["body"])
    by_name["Normal"].paragraph_format.space_after = Pt(0)
    by_name["Normal"].paragraph_format.first_line_indent = Pt(0)
    # No line of a paragraph alone at the top or bottom of a page (every style inherits it).
    by_name["Normal"].paragraph_format.widow_control = True
    ids = {"normal": normal}
    # In this order, so that the styles part comes out the same every time.
    for role, name in WORD_STYLES.items():
        ids[role] = configure(name, roles[role])
    for name, role in _EXTRA_HEADINGS.items():
        ids[f"h{name[-1]}"] = configure(name, roles[role])
    ids["list_continue"] = configure("List Continue", roles["list"])
    _contents_page_numbers(by_name["Contents Title"], style)
    _masthead_band(by_name, style)
    for role in ("title", "heading1", "heading2", "heading3", "contents_title", "cover_title"):
        # only running text is hyphenated
        properties = by_name[WORD_STYLES[role]].element.get_or_add_pPr()
        if properties.find(qn("w:suppressAutoHyphens")) is None:
            properties.append(parse_xml(f'<w:suppressAutoHyphens xmlns:w="{x.W_NS}"/>'))
    for name, level in OUTLINE_LEVELS.items():
        properties = by_name[name].element.get_or_add_pPr()
        for old in properties.findall(qn("w:outlineLvl")):
            properties.remove(old)
        properties.append(parse_xml(f'<w:outlineLvl xmlns:w="{x.W_NS}" w:val="{level}"/>'))
    title = by_name["Title"].element.get_or_add_pPr()
    for border in title.findall(qn("w:pBdr")):  # the template draws a rule under it
        title.remove(border)
    link = by_name.get("Hyperlink") or _add_style(styles, "Hyperlink", WD_STYLE_TYPE.CHARACTER)
    link.font.color.rgb = _rgb(style.colors["link"])
    link.font.underline = True
    ids["hyperlink"] = str(link.style_id)
    ids["table"] = str(by_name["Table Grid"].style_id)
    return ids
