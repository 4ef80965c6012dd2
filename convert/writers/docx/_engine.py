"""The wall around python-docx: the DOCX writer's only use of its private API.

- the styles part's XML, read and replaced (Word styles are defined once per process and
  copied into each document);
- a paragraph's ``w:p`` element, to append runs and fields made as XML;
- the package's content types and relationships, written by python-docx's own package
  writer into the writer's fixed-time zip.

The python-docx releases this was written against are the range pinned in
``pyproject.toml``; ``make test-newest`` runs the tests on the newest release.
"""

from __future__ import annotations

from typing import Any

from docx.opc.pkgwriter import PackageWriter


def styles_element(document: Any) -> Any:
    """The ``w:styles`` element of ``document``'s styles part."""
    return document.part._styles_part.element


def replace_styles_element(document: Any, element: Any) -> None:
    """Make ``element`` the ``w:styles`` element of ``document``'s styles part."""
    document.part._styles_part._element = element


def append_to_paragraph(paragraph: Any, element: Any) -> None:
    """Append a run or field element to a python-docx paragraph."""
    paragraph._p.append(element)


def write_package_head(writer: Any, parts: list[Any], package: Any) -> None:
    """``[Content_Types].xml`` and the package relationships, as ``Document.save`` writes
    them, into ``writer`` (python-docx's physical package writer interface)."""
    PackageWriter._write_content_types_stream(writer, parts)  # type: ignore[no-untyped-call]
    PackageWriter._write_pkg_rels(writer, package.rels)  # type: ignore[no-untyped-call]
