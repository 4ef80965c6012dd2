"""Each engine's private API is used in one place: its wall module.

A private name of reportlab, python-docx, ebooklib or zipfile (an attribute its classes
define or set on ``self``, or a ``_name`` imported from it) may appear only in that engine's
wall; everywhere else the writers use the engines' public API and what the wall exports.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "convert"

ENGINES: dict[str, tuple[list[str], list[str]]] = {
    # engine: (its modules whose private names are looked for, the wall's paths)
    "reportlab": (
        [
            "reportlab.pdfgen.canvas",
            "reportlab.pdfgen.textobject",
            "reportlab.platypus.paragraph",
            "reportlab.platypus.paraparser",
            "reportlab.platypus.flowables",
            "reportlab.platypus.tables",
            "reportlab.platypus.doctemplate",
            "reportlab.platypus.frames",
            "reportlab.pdfbase.pdfdoc",
            "reportlab.pdfbase.ttfonts",
            "reportlab.pdfbase.pdfmetrics",
            "reportlab.lib.utils",
        ],
        ["writers/pdf/_engine/"],
    ),
    "docx": (
        [
            "docx.document",
            "docx.text.paragraph",
            "docx.text.run",
            "docx.opc.package",
            "docx.opc.part",
            "docx.opc.pkgwriter",
            "docx.parts.document",
            "docx.parts.styles",
            "docx.section",
            "docx.oxml.xmlchemy",
        ],
        ["writers/docx/_engine.py"],
    ),
    "ebooklib": (["ebooklib.epub"], ["writers/epub.py"]),
    "zipfile": (["zipfile"], ["writers/_zip.py"]),
}


def _own_names(package: Path, walls: list[str]) -> set[str]:
    """Private names briefkit's own code outside the walls defines (``self._lock = ...``,
    a ``def _image`` method): using one of those is not reaching into an engine."""
    names: set[str] = set()
    for path in package.rglob("*.py"):
        where = path.relative_to(package).as_posix()
        if any(where.startswith(wall) for wall in walls):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        names.add(item.name)
                    elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                        names.add(item.target.id)
            elif (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "self"
                and isinstance(node.ctx, ast.Store)
            ):
                names.add(node.attr)
    return {name for name in names if name.startswith("_")}


def _private_names(modules: list[str]) -> set[str]:
    names: set[str] = set()
    for name in modules:
        module = importlib.import_module(name)
        for value in vars(module).values():
            if isinstance(value, type):
                names.update(a for a in dir(value) if a.startswith("_") and a[1:2] != "_")
        source = ast.parse(Path(module.__file__ or "").read_text(encoding="utf-8"))
        for node in ast.walk(source):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "self"
                and node.attr.startswith("_")
                and node.attr[1:2] != "_"
            ):
                names.add(node.attr)
    return names


def _violations(engine: str, package: Path = PACKAGE) -> list[str]:
    modules, walls = ENGINES[engine]
    private = _private_names(modules) - _own_names(package, walls)
    found = []
    for path in sorted(package.rglob("*.py")):
        where = path.relative_to(package).as_posix()
        if any(where.startswith(wall) for wall in walls):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in private:
                found.append(f"{where}:{node.lineno} .{node.attr}")
            elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == (engine):
                found += [
                    f"{where}:{node.lineno} imports {alias.name}"
                    for alias in node.names
                    if alias.name.startswith("_")
                ]
    return found


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_private_names_only_in_the_wall(engine: str) -> None:
    assert _violations(engine) == []


def test_the_check_finds_a_private_name(tmp_path: Path) -> None:
    """The scan is not blind: reportlab's canvas ``_code`` outside the wall is found, inside
    it is not."""
    for folder in ("writers/pdf", "writers/pdf/_engine"):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / folder / "drawing.py").write_text(
            "def f(canvas):\n    canvas._code.append('q')\n", encoding="utf-8"
        )
    assert _violations("reportlab", tmp_path) == ["writers/pdf/drawing.py:2 ._code"]
