"""MkDocs hook: the reference tables are generated from the code when the site is built.

A page names a table with a marker line ``<!-- briefkit: NAME -->``; the marker is replaced
by the table made from the module that defines it, so the docs cannot drift from the code:

- ``formats``: the registry's readers and writers (:mod:`convert.app.registry`);
- ``metadata``: every IR field and its native slot in each format (:mod:`convert.plan.metadata`);
- ``ir-meta`` and ``ir-collection``: the IR's fields with their docstrings, and
  ``ir-nodes``: the block and inline nodes of the JSON schema (:mod:`convert.model.ir`);
- ``manifest``: the manifest's keys (:mod:`convert.app.briefing`);
- ``style-roles``: the style's roles (:mod:`convert.plan.styles`);
- ``results``: ``benchmarks/RESULTS.md``, the current measurements.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

MARKER = re.compile(r"^<!-- briefkit: ([a-z-]+) -->$", re.M)


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _code(items: Any) -> str:
    return ", ".join(f"`{item}`" for item in items) or "—"


def _formats() -> str:
    from convert.app import registry

    rows = []
    for kind in ("reader", "writer"):
        for fmt in registry.formats(kind):  # type: ignore[arg-type]
            rows.append([kind, f"`{fmt.name}`", _code(fmt.aliases), _code(fmt.extensions),
                         fmt.description])  # fmt: skip
    return _table(["kind", "name", "aliases", "extensions", "what it is"], rows)


def _metadata() -> str:
    from convert.plan.metadata import ROWS

    rows = [[f"`{row.field}`", row.scope, _code(row.docx), _code(row.pdf), _code(row.epub)]
            for row in ROWS]  # fmt: skip
    return _table(["field", "of", "DOCX", "PDF", "EPUB"], rows)


def _field_docs(cls: type) -> list[list[str]]:
    import ast
    import dataclasses
    import inspect
    import textwrap

    source = textwrap.dedent(inspect.getsource(cls))
    docs: dict[str, str] = {}
    body = ast.parse(source).body[0].body  # type: ignore[attr-defined]
    for node, following in itertools.pairwise(body):
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
        ):
            docs[node.target.id] = " ".join(str(following.value.value).split())
    return [
        [f"`{field.name}`", f"`{field.type}`", docs.get(field.name, "")]
        for field in dataclasses.fields(cls)
    ]


def _ir(name: str) -> str:
    from convert.model import ir, ir_json

    if name == "ir-meta":
        return _table(["field", "type", "meaning"], _field_docs(ir.Meta))
    if name == "ir-collection":
        return _table(["field", "type", "meaning"], _field_docs(ir.Collection))
    definitions = ir_json.schema()["definitions"]
    rows = []
    for group in ("block", "inline"):
        for case in definitions[group]["allOf"]:
            properties = case["then"]["properties"]
            required = set(case["then"].get("required", ()))
            fields = [p if p in required else f"{p}?" for p in properties if p != "type"]
            rows.append([f"`{properties['type']['const']}`", group, _code(fields)])
    return _table(["node", "kind", "fields (? optional)"], rows)


def _manifest() -> str:
    from convert.app import briefing

    def kind_name(kind: Any) -> str:
        kinds = kind if isinstance(kind, tuple) else (kind,)
        return " or ".join(k.__name__ for k in kinds)

    def meaning(key: str) -> str:
        return briefing.KEY_MEANINGS.get(key, "")

    rows = [[f"`{key}`", kind_name(kind), meaning(key)]
            for key, kind in briefing.MANIFEST_KEYS.items()]  # fmt: skip
    rows += [[f"`[[section]] {key}`", kind_name(kind), meaning(key)]
             for key, kind in briefing.SECTION_KEYS.items()]  # fmt: skip
    rows += [[f"source `{key}`", kind_name(kind), meaning(key)]
             for key, kind in briefing.SOURCE_KEYS.items()]  # fmt: skip
    return _table(["key", "type", "meaning"], rows)


def _style_roles() -> str:
    from convert.plan.styles import ROLES

    return ", ".join(f"`{role}`" for role in ROLES)


def _results() -> str:
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "benchmarks" / "RESULTS.md").read_text(
        encoding="utf-8"
    )
    return text.split("\n", 1)[1].lstrip()  # its own title is the page's


GENERATORS = {
    "results": _results,
    "formats": _formats,
    "metadata": _metadata,
    "ir-meta": lambda: _ir("ir-meta"),
    "ir-collection": lambda: _ir("ir-collection"),
    "ir-nodes": lambda: _ir("ir-nodes"),
    "manifest": _manifest,
    "style-roles": _style_roles,
}


def generate(markdown: str) -> str:
    """``markdown`` with each marker replaced by its generated table."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in GENERATORS:
            raise KeyError(f"unknown generated table {name!r}")
        return GENERATORS[name]()

    return MARKER.sub(replace, markdown)


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    return generate(markdown)
