"""Tagged PDF (PDF/UA-1): the structure tree, built while reportlab lays the pages out.

reportlab writes no tags. The builder gives each flowable it makes a structure element
(``_bk_tag``: a ``P`` under the article's ``Sect``, a ``TD`` under its ``TR``, a ``Figure``
with its alternative text...) in story order, which is the reading order. When a tagged
flowable is drawn, the canvas wraps its drawing in marked content with the next MCID of the
page (``/P <</MCID 3>> BDC ... EMC``) and records the MCID as a kid of the element, so a
paragraph split across pages is one element with content on both. Whatever is drawn outside
a tagged flowable is an ``/Artifact``: the running header and footer, rules, table grid
lines and backgrounds, list bullets, and table header rows repeated on a continuation page.
Link annotations get a ``Link`` element (with an ``OBJR``) under the element being drawn,
a ``/Contents`` description and a ``/StructParent``. At the end :func:`finish` writes the
elements as PDF objects: ``/StructTreeRoot`` with its ``/ParentTree``, and each page's
``/StructParents`` and ``/Tabs /S``.

The hook is :class:`Tagged`, mixed into every flowable class the writer makes; list bullets
are artifacts through :class:`._engine.TaggedBullets`. reportlab itself is not changed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFObjectReference,
    PDFPage,
    PDFString,
)


class Element:
    """One structure element: its standard role and its kids in reading order."""

    __slots__ = ("alt", "attributes", "kids", "lang", "parent", "repeats_as_artifact", "role")

    def __init__(
        self,
        role: str,
        parent: Element | None,
        *,
        alt: str | None = None,
        lang: str | None = None,
        attributes: dict[str, str] | None = None,
        repeats_as_artifact: bool = False,
    ) -> None:
        self.role = role
        self.parent = parent
        self.kids: list[Element | tuple[int, int] | Any] = []
        """Child elements, ``(page index, MCID)`` marked content, and annotation references."""
        self.alt = alt
        self.lang = lang
        self.attributes = attributes
        """Table attributes (``/O /Table``): ``Scope`` for header cells."""
        self.repeats_as_artifact = repeats_as_artifact
        """True for a table header cell: drawn again on a continuation page, it is furniture."""
        if parent is not None:
            parent.kids.append(self)

    @property
    def drawn(self) -> bool:
        return any(isinstance(kid, tuple) for kid in self.kids)


CONTAINER = Element("Container", None)
"""The tag of a flowable that only holds others (tables): drawn untouched, its own drawing
wrapped by the flowable itself."""


class Tags:
    """The document's structure, filled by the builder and by the canvas as pages are drawn."""

    def __init__(self, language: str) -> None:
        self.root = Element("Document", None, lang=language)
        self.marked: list[list[Element]] = []
        """Per page (0-based), the element of each MCID."""
        self.annotations: list[tuple[int, Element, PDFObjectReference]] = []
        """(parent tree key, Link element, annotation reference)."""
        self.page_keys: dict[int, int] = {}
        """Each page's ``/StructParents`` key."""
        self.next_key = 0
        self.open: list[Element] = []
        """The elements whose marked content is being drawn (innermost last)."""

    def element(self, role: str, parent: Element | None = None, **options: Any) -> Element:
        """A new element under ``parent`` (the document when None), after its earlier kids."""
        return Element(role, parent or self.root, **options)

    def key(self) -> int:
        self.next_key += 1
        return self.next_key - 1

    # drawing

    def begin(self, canvas: Any, element: Element) -> None:
        page = canvas.getPageNumber() - 1
        while len(self.marked) <= page:
            self.marked.append([])
        mcid = len(self.marked[page])
        self.marked[page].append(element)
        element.kids.append((page, mcid))
        canvas.add_operator(f"/{element.role} <</MCID {mcid}>> BDC")
        self.open.append(element)

    def end(self, canvas: Any) -> None:
        canvas.add_operator("EMC")
        self.open.pop()


def tags_of(canvas: Any) -> Tags | None:
    """The canvas's structure, when it is a tagging briefkit canvas."""
    return getattr(canvas, "bk_tags", None)


@contextlib.contextmanager
def marked(canvas: Any, element: Element) -> Iterator[None]:
    """What the block draws is ``element``'s marked content (nothing happens on a canvas
    that does not tag)."""
    tags = tags_of(canvas)
    if tags is None:
        yield
        return
    tags.begin(canvas, element)
    yield
    tags.end(canvas)


@contextlib.contextmanager
def artifact(canvas: Any, kind: str) -> Iterator[None]:
    """What the block draws is an ``/Artifact`` of ``kind`` (``Layout``, ``Pagination``)."""
    tagging = tags_of(canvas) is not None
    if tagging:
        canvas.add_operator(f"/Artifact <</Type /{kind}>> BDC")
    yield
    if tagging:
        canvas.add_operator("EMC")


# --------------------------------------------------------------------------- drawing


class Tagged:
    """Mixed into every flowable class the writer makes (before reportlab's class): its
    drawing is its structure element's marked content, or an artifact.

    A flowable with no element drawn inside another's marked content adds nothing; one drawn
    on its own (a spacer, a rule) is an ``/Artifact``; a table header cell drawn again on a
    continuation page is a ``Pagination`` artifact. Nothing happens on a canvas that does not
    tag.
    """

    _bk_tag: Element | None = None

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        draw = super().drawOn  # type: ignore[misc]
        tags = tags_of(canvas)
        if tags is None:
            draw(canvas, x, y, _sW)
            return
        element = self._bk_tag
        if element is CONTAINER or (element is None and tags.open):
            draw(canvas, x, y, _sW)
        elif element is None or (element.repeats_as_artifact and element.drawn):
            with artifact(canvas, "Layout" if element is None else "Pagination"):
                draw(canvas, x, y, _sW)
        else:
            with marked(canvas, element):
                draw(canvas, x, y, _sW)


# --------------------------------------------------------------------------- annotations


def tag_annotation(canvas: Any, annotation: Any, reference: PDFObjectReference) -> None:
    """Give a link annotation its ``Link`` element, description and parent-tree key."""
    tags = tags_of(canvas)
    if tags is None:
        return
    parent = tags.open[-1] if tags.open else tags.root
    link = tags.element("Link", parent)
    key = tags.key()
    link.kids.append(reference)
    tags.annotations.append((key, link, reference))
    if isinstance(annotation, PDFDictionary):
        action = annotation.dict.get("A")
        target = action.dict.get("URI") if isinstance(action, PDFDictionary) else None
        described = f"Link to {target.s}" if isinstance(target, PDFString) else "Link"
        annotation["StructParent"] = key
        annotation["Contents"] = PDFString(described)
    else:  # reportlab's LinkAnnotation: a link inside the document (contents entries)
        annotation.permitted = (*annotation.permitted, "StructParent")
        annotation.otherkw["StructParent"] = key
        annotation.Contents = PDFString("Link to the article")


def tag_page(canvas: Any, page: Any) -> None:
    """The page's ``/StructParents`` key and tab order (called as the page is finished)."""
    tags = tags_of(canvas)
    if tags is None or not isinstance(page, PDFPage):  # forms pass through here too
        return
    key = tags.key()
    tags.page_keys[canvas.getPageNumber() - 1] = key
    page.__NoDefault__ = [*type(page).__NoDefault__, "Tabs", "StructParents"]
    page.Tabs = PDFName("S")
    page.StructParents = key


# --------------------------------------------------------------------------- the tree


def _prune(element: Element) -> bool:
    """Drop elements with nothing drawn (and no annotation) under them; True if kept."""
    element.kids = [k for k in element.kids if not isinstance(k, Element) or _prune(k)]
    return bool(element.kids)


def finish(canvas: Any) -> None:
    """Write the structure tree and mark the catalog as tagged."""
    tags = tags_of(canvas)
    if tags is None:
        return
    document = canvas.document
    _prune(tags.root)
    objects: dict[int, PDFDictionary] = {}
    references: dict[int, PDFObjectReference] = {}

    def page_reference(index: int) -> PDFObjectReference:
        return PDFObjectReference(f"Page{index + 1}")

    def register(element: Element) -> None:
        objects[id(element)] = PDFDictionary()
        references[id(element)] = document.Reference(objects[id(element)])
        for kid in element.kids:
            if isinstance(kid, Element):
                register(kid)

    root = PDFDictionary({"Type": PDFName("StructTreeRoot")})
    root_reference = document.Reference(root)
    register(tags.root)

    def fill(element: Element, parent: PDFObjectReference) -> None:
        # (/Type /StructElem is optional: left out of thousands of objects.)
        entries: dict[str, Any] = {"S": PDFName(element.role), "P": parent}
        pages = [kid[0] for kid in element.kids if isinstance(kid, tuple)]
        home = pages[0] if pages else None
        if home is not None:
            entries["Pg"] = page_reference(home)
        kids: list[Any] = []
        for kid in element.kids:
            if isinstance(kid, Element):
                kids.append(references[id(kid)])
                fill(kid, references[id(element)])
            elif isinstance(kid, tuple):
                page, mcid = kid
                if page == home:
                    kids.append(mcid)
                else:
                    kids.append(
                        PDFDictionary(
                            {"Type": PDFName("MCR"), "Pg": page_reference(page), "MCID": mcid}
                        )
                    )
            else:  # an annotation
                kids.append(PDFDictionary({"Type": PDFName("OBJR"), "Obj": kid}))
        entries["K"] = kids[0] if len(kids) == 1 else PDFArray(kids)
        if element.alt is not None:
            entries["Alt"] = PDFString(element.alt)
        if element.lang:
            entries["Lang"] = PDFString(element.lang)
        if element.attributes:
            attributes = {"O": PDFName("Table")}
            attributes.update({k: PDFName(v) for k, v in element.attributes.items()})
            entries["A"] = PDFDictionary(attributes)
        objects[id(element)].dict.update(entries)

    fill(tags.root, root_reference)
    numbers: list[Any] = []
    keyed: list[tuple[int, Any]] = [
        (key, PDFArray([references[id(e)] for e in tags.marked[page]]))
        for page, key in tags.page_keys.items()
        if page < len(tags.marked)
    ]
    keyed += [(key, references[id(link)]) for key, link, _ in tags.annotations]
    keyed += [
        (key, PDFArray([])) for page, key in tags.page_keys.items() if page >= len(tags.marked)
    ]
    for key, value in sorted(keyed, key=lambda item: item[0]):
        numbers += [key, value]
    root.dict.update(
        {
            "K": references[id(tags.root)],
            "ParentTree": PDFDictionary({"Nums": PDFArray(numbers)}),
            "ParentTreeNextKey": tags.next_key,
        }
    )
    canvas.setCatalogEntry("StructTreeRoot", root_reference)
    canvas.setCatalogEntry("MarkInfo", PDFDictionary({"Marked": "true"}))
    canvas.setCatalogEntry("ViewerPreferences", PDFDictionary({"DisplayDocTitle": "true"}))
