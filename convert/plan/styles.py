"""Styles are data: TOML files in ``styles/`` (bundled) or anywhere on disk.

A style names its parent with ``extends = "base"``; tables are merged key by key, the child
winning. The merged result is validated against :data:`SPEC` (unknown keys and wrong types are
errors naming the file) and becomes a frozen :class:`Style`. Writers take everything
typographic from it.
"""

from __future__ import annotations

import os
import re
import string
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..model.errors import StyleError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

DEFAULT_STYLE = "briefing"

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_PLACEHOLDERS = frozenset(
    {
        "collection_title",
        "article_title",
        "section",
        "source",
        "page",
        "pages",
        "page_of_pages",
        "marking",
        "issue",
    }
)

ROLES: tuple[str, ...] = (
    # article head and tail
    "label", "breadcrumb", "title", "subtitle", "original_title", "meta", "editors", "url",
    # cover and contents
    "cover_label", "cover_title", "cover_subtitle", "cover_meta", "cover_description",
    "contents_heading", "contents_section", "contents_title", "contents_detail",
    # briefings: marking and sections on the cover, section dividers, summaries
    "cover_marking", "cover_sections", "section_title", "section_intro", "summary",
    "contents_summary",
    # the cover's masthead band: publisher, title, issue and date
    "masthead_publisher", "masthead_title", "masthead_issue",
    # body blocks and page furniture
    "body", "heading1", "heading2", "heading3", "quote", "pull_quote", "list", "caption",
    "table_cell", "header", "footer",
)  # fmt: skip
"""Every role of the document plan (:mod:`convert.plan.layout`); a style gives each its look."""

# section -> key -> expected type (float accepts int too)
SPEC: dict[str, dict[str, type]] = {
    "page": {
        "size": str,
        "margin_top_mm": float,
        "margin_bottom_mm": float,
        "margin_left_mm": float,
        "margin_right_mm": float,
    },
    "fonts": {
        "body_latin": str,
        "body_cjk": str,
        "heading_latin": str,
        "heading_cjk": str,
        "mono": str,
    },
    "colors": {
        "text": str,
        "accent": str,
        "meta": str,
        "link": str,
        "rule": str,
        "table_header": str,
        "highlight": str,
        "masthead": str,
        "masthead_text": str,
    },
    "measures": {
        "line_height": float,
        "list_indent": float,
        "rule_width": float,
        "separator_width": float,
        "separator_space": float,
        "cover_top": float,
        "contents_number_width": float,
        "cell_padding": float,
        "masthead_padding": float,
    },
    "header": {"text": str},
    "footer": {"text": str},
    "layout": {
        "article_break": str,
        "cover": bool,
        "contents": bool,
        "embed_ir": bool,
        "contents_summaries": bool,
        "cover_masthead": bool,
        "cover_picture": bool,
    },
    "typography": {
        "hyphenate": bool,
        "justify": bool,
        "hyphenate_min_word": int,
        "hyphenate_left": int,
        "hyphenate_right": int,
        "smart_punctuation": bool,
        "contents_leaders": bool,
    },
}
ROLE_SPEC: dict[str, type] = {
    "font": str,
    "size": float,
    "color": str,
    "bold": bool,
    "italic": bool,
    "space_before": float,
    "space_after": float,
    "left_indent": float,
    "first_line_indent": float,
    "align": str,
    "keep_with_next": bool,
}
ALIGNMENTS = ("left", "center", "right", "justify")
ROLE_FONTS = ("body", "heading", "mono")
_TOP_LEVEL: dict[str, type] = {"name": str, "description": str, "label": str, "extends": str}
_FONT_FILE_KEYS: dict[str, type] = {
    "regular": str,
    "bold": str,
    "italic": str,
    "bold_italic": str,
    "subfont": int,
}
PAGE_SIZES_MM: dict[str, tuple[float, float]] = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}


@dataclass(frozen=True)
class FontFiles:
    """Where one font family's TrueType files are (names looked up in the font folders)."""

    regular: str
    bold: str | None = None
    italic: str | None = None
    bold_italic: str | None = None
    subfont: int = 0


@dataclass(frozen=True)
class RoleStyle:
    """The typography of one role (see :data:`ROLES`)."""

    font: str
    """Which family: ``body``, ``heading`` or ``mono`` (the style's ``[fonts]``)."""
    size: float
    """Font size in points."""
    color: str
    """Text colour as ``#rrggbb`` (resolved from the style's palette)."""
    bold: bool
    """Bold face."""
    italic: bool
    """Italic face."""
    space_before: float
    """Space above, in points."""
    space_after: float
    """Space below, in points."""
    left_indent: float
    """Indent from the left margin, in points."""
    first_line_indent: float
    """Extra indent of a paragraph's first line, in points."""
    align: str
    """``left``, ``center``, ``right`` or ``justify``."""
    keep_with_next: bool
    """Keep on one page with what follows."""


@dataclass(frozen=True)
class Style:
    """A validated, fully merged style."""

    name: str
    description: str
    label: str
    path: Path
    page: Mapping[str, Any]
    fonts: Mapping[str, str]
    colors: Mapping[str, str]
    measures: Mapping[str, float]
    roles: Mapping[str, RoleStyle]
    header: str
    footer: str
    layout: Mapping[str, Any]
    font_files: Mapping[str, FontFiles]
    script_fonts: Mapping[str, str]
    """Script name -> the family for text in that script the ``[fonts]`` families lack;
    tried in this order, the first one installed that has a character wins."""
    search_dirs: tuple[Path, ...]
    typography: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    """The ``[typography]`` table: hyphenation and justification of body text, typographic
    punctuation, dot leaders in the contents."""

    @property
    def page_size_mm(self) -> tuple[float, float]:
        """Page width and height in millimetres."""
        return PAGE_SIZES_MM[self.page["size"]]

    @property
    def text_area_mm(self) -> tuple[float, float]:
        """Width and height inside the page margins, in millimetres."""
        width, height = self.page_size_mm
        page = self.page
        return (
            width - page["margin_left_mm"] - page["margin_right_mm"],
            height - page["margin_top_mm"] - page["margin_bottom_mm"],
        )

    def header_text(self, **values: str) -> str:
        """The header line with its placeholders filled (missing values become empty)."""
        return _fill(self.header, values)

    def footer_text(self, **values: str) -> str:
        """The footer line with its placeholders filled."""
        return _fill(self.footer, values)


def fill_template(template: str, values: Mapping[str, str]) -> str:
    """A header or footer template with its placeholders filled (missing ones are empty)."""
    return _fill(template, values)


def _fill(template: str, values: Mapping[str, str]) -> str:
    filled = string.Formatter().vformat(template, (), _Defaulting(values))
    # A separator left dangling by an empty placeholder ("Title — ") is trimmed.
    return filled.strip(" —-·|")


class _Defaulting(dict[str, str]):
    """Placeholder values; a placeholder without one is filled with nothing."""

    def __missing__(self, key: str) -> str:
        return ""


def bundled_styles_dir() -> Path:
    """The styles shipped with briefkit: inside the installed package, or the source tree's."""
    package = Path(__file__).resolve().parent.parent  # convert/
    installed = package / "_bundled_styles"
    return installed if installed.is_dir() else package.parent / "styles"


def available_styles() -> list[tuple[str, str]]:
    """(name, description) of every bundled style."""
    out = []
    for path in sorted(bundled_styles_dir().glob("*.toml")):
        style = load_style(path.stem)
        out.append((style.name, style.description))
    return out


def _resolve(name_or_path: str | os.PathLike[str], relative_to: Path | None) -> Path:
    text = str(name_or_path)
    candidate = Path(text)
    if text.endswith(".toml") or "/" in text or "\\" in text:
        if not candidate.is_absolute() and relative_to is not None:
            beside = relative_to / candidate
            if beside.is_file():
                return beside
        if candidate.is_file():
            return candidate
        raise StyleError("style file not found", where=text)
    if relative_to is not None:
        path = relative_to / f"{text}.toml"
        if path.is_file() and not _is_manifest(path):
            return path
    path = bundled_styles_dir() / f"{text}.toml"
    if path.is_file():
        return path
    names = ", ".join(p.stem for p in sorted(bundled_styles_dir().glob("*.toml")))
    raise StyleError(f"no style named {text!r} (bundled styles: {names})")


def _is_manifest(path: Path) -> bool:
    """True for a briefing manifest beside a style (``briefing.toml`` is a common name for
    both): a style named ``briefing`` then means the bundled one."""
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    return "section" in data or "outputs" in data


def _read_toml(path: Path, stamps: list[tuple[str, int, int]] | None = None) -> dict[str, Any]:
    """The style file's TOML; its path, modification time and size go into ``stamps``."""
    try:
        with path.open("rb") as handle:
            status = os.fstat(handle.fileno())
            data: dict[str, Any] = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise StyleError(f"invalid TOML: {exc}", where=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise StyleError(f"cannot read style: {exc}", where=str(path)) from None
    if stamps is not None:
        stamps.append((str(path.resolve()), status.st_mtime_ns, status.st_size))
    return data


def _merge(base: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _load_merged(
    path: Path, seen: tuple[Path, ...], stamps: list[tuple[str, int, int]] | None = None
) -> dict[str, Any]:
    if path.resolve() in seen:
        chain = " -> ".join(p.stem for p in (*seen, path))
        raise StyleError(f"style inheritance loops: {chain}", where=str(path))
    data = _read_toml(path, stamps)
    parent = data.get("extends")
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise StyleError("'extends' must be a style name or path", where=str(path))
    try:
        parent_path = _resolve(parent, path.parent)
    except StyleError as exc:  # the file that names the missing parent is the one to fix
        raise StyleError(f"extends {parent!r}: {exc.problem}", where=str(path)) from None
    merged = _merge(_load_merged(parent_path, (*seen, path.resolve()), stamps), data)
    # Name and description belong to this file, never inherited.
    merged["name"] = data.get("name", path.stem)
    merged["description"] = data.get("description", "")
    merged.pop("extends", None)
    return merged


def _check_type(value: Any, expected: type, key: str, where: str) -> Any:
    if expected is float and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, expected) and not (expected is int and isinstance(value, bool)):
        return value
    raise StyleError(f"{key} must be {expected.__name__}, not {type(value).__name__}", where=where)


def _validate(data: dict[str, Any], where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in _TOP_LEVEL:
            out[key] = _check_type(value, _TOP_LEVEL[key], key, where)
        elif key in SPEC:
            if not isinstance(value, dict):
                raise StyleError(f"[{key}] must be a table", where=where)
            section: dict[str, Any] = {}
            for sub, subvalue in value.items():
                if sub not in SPEC[key]:
                    raise StyleError(f"unknown key {key}.{sub}", where=where)
                section[sub] = _check_type(subvalue, SPEC[key][sub], f"{key}.{sub}", where)
            out[key] = section
        elif key == "roles":
            out[key] = _validate_roles(value, where)
        elif key == "font_files":
            out[key] = {}
            for family, files in value.items():
                if not isinstance(files, dict) or "regular" not in files:
                    raise StyleError(f"font_files.{family!r} needs a 'regular' file", where=where)
                for sub, subvalue in files.items():
                    if sub not in _FONT_FILE_KEYS:
                        raise StyleError(f"unknown key font_files.{family!r}.{sub}", where=where)
                    _check_type(subvalue, _FONT_FILE_KEYS[sub], f"font_files.{sub}", where)
                out[key][family] = FontFiles(**files)
        elif key == "script_fonts":
            if not isinstance(value, dict):
                raise StyleError("[script_fonts] must be a table", where=where)
            out[key] = {
                script: _check_type(family, str, f"script_fonts.{script}", where)
                for script, family in value.items()
            }
        else:
            raise StyleError(f"unknown key {key!r}", where=where)
    for table, keys in SPEC.items():
        missing = [k for k in keys if k not in out.get(table, {})]
        if missing:
            raise StyleError(f"missing {table}.{missing[0]} (does it extend 'base'?)", where=where)
    if out["page"]["size"] not in PAGE_SIZES_MM:
        raise StyleError(f"page.size must be one of {', '.join(PAGE_SIZES_MM)}", where=where)
    for script, family in out.get("script_fonts", {}).items():
        if family not in out.get("font_files", {}):
            raise StyleError(
                f"script_fonts.{script} names {family!r}, which has no [font_files] entry",
                where=where,
            )
    for key, colour in out["colors"].items():
        if not _COLOUR.match(colour):
            raise StyleError(f"colors.{key} must look like #1a2b3c, not {colour!r}", where=where)
    if out["layout"]["article_break"] not in ("page", "flow"):
        raise StyleError("layout.article_break must be 'page' or 'flow'", where=where)
    for part in ("header", "footer"):
        for _, field_name, _, _ in string.Formatter().parse(out[part]["text"]):
            if field_name is not None and field_name not in _PLACEHOLDERS:
                raise StyleError(
                    f"{part}.text has unknown placeholder {{{field_name}}} "
                    f"(known: {', '.join(sorted(_PLACEHOLDERS))})",
                    where=where,
                )
    missing_roles = [r for r in ROLES if r not in out.get("roles", {})]
    if missing_roles:
        raise StyleError(f"missing roles.{missing_roles[0]} (does it extend 'base'?)", where=where)
    for role, values in out["roles"].items():
        if values["color"] not in out["colors"] and not _COLOUR.match(values["color"]):
            raise StyleError(
                f"roles.{role}.color must name a colour in [colors] or look like #1a2b3c",
                where=where,
            )
    for key, number in out["measures"].items():
        if not 0 <= number <= 1000:
            raise StyleError(f"measures.{key} must be between 0 and 1000", where=where)
    for key in ("hyphenate_min_word", "hyphenate_left", "hyphenate_right"):
        if not 1 <= out["typography"][key] <= 20:
            raise StyleError(f"typography.{key} must be between 1 and 20", where=where)
    return out


def _validate_roles(value: Any, where: str) -> dict[str, dict[str, Any]]:
    if not isinstance(value, dict):
        raise StyleError("[roles] must be a table of tables", where=where)
    out: dict[str, dict[str, Any]] = {}
    for role, settings in value.items():
        if role not in ROLES:
            raise StyleError(f"unknown role roles.{role} (known: {', '.join(ROLES)})", where=where)
        if not isinstance(settings, dict):
            raise StyleError(f"roles.{role} must be a table", where=where)
        checked: dict[str, Any] = {}
        for key, item in settings.items():
            if key not in ROLE_SPEC:
                raise StyleError(f"unknown key roles.{role}.{key}", where=where)
            checked[key] = _check_type(item, ROLE_SPEC[key], f"roles.{role}.{key}", where)
        missing = [k for k in ROLE_SPEC if k not in checked]
        if missing:
            raise StyleError(f"missing roles.{role}.{missing[0]}", where=where)
        if not 1 <= checked["size"] <= 200:
            raise StyleError(f"roles.{role}.size must be between 1 and 200 points", where=where)
        for key in ("space_before", "space_after", "left_indent", "first_line_indent"):
            if not 0 <= checked[key] <= 1000:
                raise StyleError(f"roles.{role}.{key} must be between 0 and 1000", where=where)
        if checked["align"] not in ALIGNMENTS:
            raise StyleError(
                f"roles.{role}.align must be one of {', '.join(ALIGNMENTS)}", where=where
            )
        if checked["font"] not in ROLE_FONTS:
            raise StyleError(
                f"roles.{role}.font must be one of {', '.join(ROLE_FONTS)}", where=where
            )
        out[role] = checked
    return out


_LOADED: dict[tuple[tuple[str, int, int], ...], Style] = {}
"""Styles already loaded, by the files they were made from (path, mtime, size): the same
Style object again, so the writers' per-style caches (DOCX styles) hold across calls."""


def load_style(name_or_path: str | os.PathLike[str] | None = None) -> Style:
    """Load a bundled style by name, or a style file by path; ``None`` gives the default.

    Loading the same unchanged files again gives the same (immutable) Style object.
    """
    path = _resolve(name_or_path or DEFAULT_STYLE, None)
    stamps: list[tuple[str, int, int]] = []
    merged = _load_merged(path, (), stamps)
    key = tuple(stamps)
    if key in _LOADED:
        return _LOADED[key]
    if len(_LOADED) > 32:
        _LOADED.clear()
    _LOADED[key] = _build_style(path, _validate(merged, str(path)))
    return _LOADED[key]


JUSTIFIED_ROLES = ("body", "list", "quote")
"""The roles of running text: ``typography.justify`` justifies them, ``typography.hyphenate``
hyphenates them."""


def _build_style(path: Path, data: dict[str, Any]) -> Style:
    font_dirs = (path.parent / "fonts", bundled_styles_dir() / "fonts")
    if data["typography"]["justify"]:
        for role in JUSTIFIED_ROLES:
            data["roles"][role] = {**data["roles"][role], "align": "justify"}
    return Style(
        name=data["name"],  # set by _load_merged: the file's own, else its name
        description=data["description"],
        label=data.get("label", ""),
        path=path,
        page=MappingProxyType(data["page"]),
        fonts=MappingProxyType(data["fonts"]),
        colors=MappingProxyType(data["colors"]),
        measures=MappingProxyType(data["measures"]),
        roles=MappingProxyType(
            {
                role: RoleStyle(**{**v, "color": data["colors"].get(v["color"], v["color"])})
                for role, v in data["roles"].items()
            }
        ),
        header=data["header"]["text"],
        footer=data["footer"]["text"],
        layout=MappingProxyType(data["layout"]),
        font_files=MappingProxyType(data.get("font_files", {})),
        script_fonts=MappingProxyType(data.get("script_fonts", {})),
        search_dirs=font_dirs,
        typography=MappingProxyType(data["typography"]),
    )
