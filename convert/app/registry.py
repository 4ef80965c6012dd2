"""The one list of formats: built-in readers and writers, plus third-party ones.

Built-ins are a literal table (name, aliases, extensions, module) imported lazily, so
``briefkit formats`` does not pay for reportlab. Third-party formats come from the entry-point
groups ``briefkit.readers`` and ``briefkit.writers``: an entry point names a module or object
with a ``read(data: bytes, *, name: str) -> Collection`` (readers) or
``write(collection, out: BinaryIO, style) -> None`` (writers) callable, and may carry
``EXTENSIONS`` (a tuple like ``(".rst",)``) and ``ALIASES``.

A built-in name, alias or extension always means the built-in format, so resolving one
needs no scan of the installed packages (importing ``importlib.metadata`` and scanning cost
~60 ms, a sixth of a one-article conversion). The whole table, built for a name or extension
no built-in has and for ``briefkit formats``, is checked: a name or alias claimed twice is an
error there.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any, BinaryIO, Literal

from ..model import ir
from ..model.errors import FormatError
from ..plan.styles import Style

Reader = Callable[..., ir.Collection]
Writer = Callable[[ir.Collection, BinaryIO, Style], None]
Kind = Literal["reader", "writer"]


@dataclass(frozen=True)
class Format:
    """One registered reader or writer."""

    name: str
    """The canonical name used with ``-f``/``-t``."""
    kind: Kind
    """``"reader"`` or ``"writer"``."""
    target: str
    """Dotted path of the module (or ``module:object``) that holds the entry function."""
    aliases: tuple[str, ...] = ()
    """Other names accepted for it."""
    extensions: tuple[str, ...] = ()
    """File extensions (lower case, with the dot) that imply this format."""
    description: str = ""
    """One line for ``briefkit formats``."""
    builtin: bool = True
    """False for formats that come from entry points."""
    cleans_text: bool = False
    """True for a reader whose collections hold only text :func:`convert.model.ir.clean_text` would
    leave as it is (the reader cleans what needs it itself), so :func:`convert.app.api.load`
    skips its cleaning walk over every node."""

    def load(self) -> Callable[..., Any]:
        """Import the module and return its entry function."""
        module_name, _, attribute = self.target.partition(":")
        try:
            obj: Any = importlib.import_module(module_name)
        except ImportError as exc:
            raise FormatError(f"{self.kind} {self.name!r} cannot be loaded: {exc}") from None
        for part in filter(None, attribute.split(".")):
            obj = getattr(obj, part)
        entry = getattr(obj, "read" if self.kind == "reader" else "write", obj)
        if not callable(entry):
            raise FormatError(f"{self.kind} {self.name!r} at {self.target} is not callable")
        return entry  # type: ignore[no-any-return]


# fmt: off
BUILTIN: tuple[Format, ...] = (
    # name    kind      module                   aliases           extensions         description
    Format("text", "reader", "convert.readers.text", ("txt", "plain"), (".txt", ".text"),
           "plain-text news article (People's Daily / Xinhua layouts, English and Chinese)",
           cleans_text=True),
    Format("json", "reader", "convert.readers.json", ("ir",), (".json",),
           "briefkit IR JSON (ir_version 3; reads 1 and 2)"),
    Format("docx", "reader", "convert.readers.docx", ("word",), (".docx",),
           "DOCX: briefkit briefings losslessly, other documents best-effort"),
    Format("epub", "reader", "convert.readers.epub", ("epub3",), (".epub",),
           "EPUB: briefkit books losslessly, other books best-effort"),
    Format("pdf", "reader", "convert.readers.pdf", (), (".pdf",),
           "PDF: briefkit digests losslessly, other PDFs best-effort (pypdf)"),
    Format("html", "reader", "convert.readers.html", ("htm",), (".html", ".htm", ".xhtml"),
           "saved news web page (trafilatura + People's Daily / Xinhua cues)"),
    Format("markdown", "reader", "convert.readers.markdown", ("md",), (".md", ".markdown"),
           "Markdown note (CommonMark) with YAML front matter"),
    Format("feed", "reader", "convert.readers.feed", ("rss", "atom"), (".rss", ".atom"),
           "RSS, Atom or JSON feed, each entry an article (feedparser)"),
    Format("json", "writer", "convert.writers.json", ("ir",), (".json",),
           "briefkit IR JSON (ir_version 3; reads 1 and 2)"),
    Format("docx", "writer", "convert.writers.docx", ("word",), (".docx",),
           "DOCX briefing (Word, LibreOffice); accessible: outline headings, table header rows "
           "and alt text, language per run, right-to-left marks"),
    Format("pdf", "writer", "convert.writers.pdf", (), (".pdf",),
           "PDF digest (print and screen; fonts embedded, IR attached); tagged PDF declaring "
           "PDF/UA-1: structure tree in reading order, artifacts, alt text, link descriptions"),
    Format("epub", "writer", "convert.writers.epub", ("epub3",), (".epub",),
           "EPUB 3 collection with NCX (e-readers, tablets); EPUB Accessibility 1.1 claimed "
           "only when briefkit's checks hold"),
    Format("html", "writer", "convert.writers.html", ("htm",), (".html", ".htm"),
           "one self-contained, accessible HTML page (pictures inlined, IR embedded, no "
           "script)"),
)
# fmt: on


def _from_entry_points(kind: Kind) -> list[Format]:
    group = "briefkit.readers" if kind == "reader" else "briefkit.writers"
    found = []
    for point in _installed().select(group=group):
        try:
            obj = point.load()
        except Exception as exc:  # a broken plugin must not take the built-ins down with it
            raise FormatError(
                f"{group} entry point {point.name!r} cannot be loaded: {exc}"
            ) from None
        found.append(
            Format(
                name=point.name,
                kind=kind,
                target=point.value,
                aliases=tuple(getattr(obj, "ALIASES", ())),
                extensions=tuple(e.lower() for e in getattr(obj, "EXTENSIONS", ())),
                description=(getattr(obj, "__doc__", None) or "").strip().split("\n")[0],
                builtin=False,
            )
        )
    return found


def entry_points() -> Any:
    """``importlib.metadata.entry_points()``, imported only when a scan is needed."""
    # Imported here: importlib.metadata costs ~13 ms of start-up; only this path needs it.
    from importlib.metadata import entry_points as scan

    return scan()


@functools.cache
def _installed() -> Any:
    """The installed packages' entry points of every group: one scan of the environment
    (milliseconds) serves readers and writers, once per process."""
    return entry_points()


_TABLES: dict[Kind, tuple[Format, ...]] = {}
"""The checked table of each kind (built-ins and entry points), once per process: a
conversion asks for it several times per input file."""


def clear_cache() -> None:
    """Forget the entry points found so far (they are looked up once per process)."""
    _installed.cache_clear()
    _TABLES.clear()


def formats(kind: Kind, extra: Iterable[Format] | None = None) -> list[Format]:
    """Built-in plus entry-point formats of one kind; a name or alias used twice is an error.

    Entry points are read once per process (:func:`clear_cache` forgets them).
    """
    if extra is None and kind in _TABLES:
        return list(_TABLES[kind])
    table = [f for f in BUILTIN if f.kind == kind]
    table += list(extra) if extra is not None else _from_entry_points(kind)
    claimed: dict[str, Format] = {}
    for fmt in table:
        for label in (fmt.name, *fmt.aliases):
            if label in claimed:
                other = claimed[label]
                raise FormatError(
                    f"{kind} name {label!r} is registered twice ({other.target} and {fmt.target})"
                )
            claimed[label] = fmt
    if extra is None:
        _TABLES[kind] = tuple(table)
    return table


def _builtin(kind: Kind, matches: Callable[[Format], bool]) -> Format | None:
    return next((f for f in BUILTIN if f.kind == kind and matches(f)), None)


def find(kind: Kind, name: str) -> Format:
    """The format called ``name`` (or an alias of it)."""
    builtin = _builtin(kind, lambda f: name == f.name or name in f.aliases)
    if builtin is not None:
        return builtin
    table = formats(kind)
    for fmt in table:
        if name == fmt.name or name in fmt.aliases:
            return fmt
    known = ", ".join(sorted({f.name for f in table}))
    raise FormatError(f"unknown {kind} format {name!r} (known: {known})")


def for_path(kind: Kind, path: str | Path) -> Format:
    """The format implied by a file's extension."""
    suffix = (path if isinstance(path, PurePath) else Path(path)).suffix.lower()
    builtin = _builtin(kind, lambda f: suffix in f.extensions)
    if builtin is not None:
        return builtin
    for fmt in formats(kind):
        if suffix in fmt.extensions:
            return fmt
    what = f"extension {suffix!r}" if suffix else "no extension"
    flag = "-f/--from" if kind == "reader" else "-t/--to"
    raise FormatError(
        f"cannot tell the {kind} format from {what}; name it with {flag}", where=str(path)
    )
