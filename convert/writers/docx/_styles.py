"""Word paragraph styles from the style's roles: one named Word style per role.

Users restyle a briefing in Word by editing "Title", "Article Meta", "Body Text"...; each is
defined here from the role's typography (:class:`~convert.plan.styles.RoleStyle`) so the DOCX
looks like the PDF and the EPUB made from the same style.
"""

from __future__ import annotations

from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
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
    ids = {"normal": normal}
    # In this order, so that the styles part comes out the same every time.
    for role, name in WORD_STYLES.items():
        ids[role] = configure(name, roles[role])
    for name, role in _EXTRA_HEADINGS.items():
        ids[f"h{name[-1]}"] = configure(name, roles[role])
    ids["list_continue"] = configure("List Continue", roles["list"])
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
