"""The versioned JSON form of the IR: ``{"ir_version": 3, "collection": ..., "articles": [...]}``.

:func:`dumps` is deterministic (fixed key order, UTF-8, no ASCII escaping). :func:`loads` is
strict: it refuses an ``ir_version`` it does not know (it reads 1, 2 and 3), NaN/Infinity,
duplicate keys, lone surrogates, over-deep nesting, and anything the JSON Schema
(``schema/ir.schema.json``) rejects.
"""

from __future__ import annotations

import dataclasses
import json
import re
import sys
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from importlib import resources
from typing import Any

import fastjsonschema
import orjson

from . import ir
from .errors import InputError

_NODE_NAMES: dict[type, str] = {
    ir.Text: "text",
    ir.Emph: "emph",
    ir.Strong: "strong",
    ir.Link: "link",
    ir.Code: "code",
    ir.LineBreak: "linebreak",
    ir.Span: "span",
    ir.Heading: "heading",
    ir.Paragraph: "paragraph",
    ir.Quote: "quote",
    ir.ListBlock: "list",
    ir.Image: "image",
    ir.Table: "table",
    ir.Rule: "rule",
    ir.Div: "div",
}

# --------------------------------------------------------------------------- dates


def when_to_iso(value: ir.When | None) -> str | None:
    """ISO 8601 text for a date or datetime; seconds are left out when they are zero."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        return value.isoformat()
    spec = "minutes" if value.second == 0 and value.microsecond == 0 else "auto"
    return value.isoformat(timespec=spec)


_WHEN = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?)?$")


def iso_to_when(text: str | None) -> ir.When | None:
    """Parse what :func:`when_to_iso` writes (a trailing ``Z`` is read as UTC)."""
    if text is None:
        return None
    if not _WHEN.match(text):
        raise ValueError(f"not an ISO 8601 date or time: {text!r}")
    if len(text) == 10:
        return date.fromisoformat(text)
    if text.endswith("Z"):
        return datetime.fromisoformat(text[:-1]).replace(tzinfo=timezone.utc)
    if len(text) > 16 and text[-6] in "+-" and text[-3] == ":":
        # Python 3.10's fromisoformat wants seconds before an offset.
        base, sign, hours, minutes = text[:-6], text[-6], int(text[-5:-3]), int(text[-2:])
        offset = timedelta(hours=hours, minutes=minutes) * (1 if sign == "+" else -1)
        return datetime.fromisoformat(base).replace(tzinfo=timezone(offset))
    return datetime.fromisoformat(text)


# --------------------------------------------------------------------------- IR -> dict


def _attr_to_dict(attr: ir.Attr) -> dict[str, Any]:
    return {
        "id": attr.id,
        "classes": list(attr.classes),
        "attributes": [list(pair) for pair in attr.attributes],
    }


def node_to_dict(node: ir.Block | ir.Inline) -> dict[str, Any]:
    """The JSON object for one block or inline."""
    # The two nodes nearly every article is made of, answered before the general match.
    if type(node) is ir.Text:
        return {"type": "text", "text": node.text}
    if type(node) is ir.Paragraph:
        return {"type": "paragraph", "content": [node_to_dict(n) for n in node.content]}
    name = _NODE_NAMES.get(type(node))
    if name is None:
        ir.unknown_node(node, "json")  # type: ignore[arg-type]
    out: dict[str, Any] = {"type": name}
    match node:
        case ir.Text() | ir.Code():
            out["text"] = node.text
        case ir.Emph() | ir.Strong() | ir.Paragraph():
            out["content"] = [node_to_dict(n) for n in node.content]
        case ir.Link():
            out["href"] = node.href
            out["content"] = [node_to_dict(n) for n in node.content]
        case ir.Span():
            out["attr"] = _attr_to_dict(node.attr)
            out["content"] = [node_to_dict(n) for n in node.content]
        case ir.Heading():
            out["level"] = node.level
            out["content"] = [node_to_dict(n) for n in node.content]
        case ir.Quote():
            out["blocks"] = [node_to_dict(b) for b in node.blocks]
        case ir.ListBlock():
            out["ordered"] = node.ordered
            out["start"] = node.start
            out["items"] = [[node_to_dict(b) for b in item] for item in node.items]
        case ir.Image():
            out["src"] = node.src
            out["alt"] = node.alt
            out["caption"] = [node_to_dict(n) for n in node.caption]
            if node.picture is not None:
                out["picture"] = dataclasses.asdict(node.picture)
        case ir.Table():
            out["header_rows"] = node.header_rows
            out["rows"] = [[[node_to_dict(n) for n in cell] for cell in row] for row in node.rows]
        case ir.Div():
            out["attr"] = _attr_to_dict(node.attr)
            out["blocks"] = [node_to_dict(b) for b in node.blocks]
        case ir.LineBreak() | ir.Rule():
            pass
        case _:
            ir.unknown_node(node, "json")
    return out


def meta_to_dict(meta: ir.Meta) -> dict[str, Any]:
    """The JSON object for article metadata: every field, in declaration order."""
    out: dict[str, Any] = {}
    for name in ir.META_FIELDS:
        value = getattr(meta, name)
        if name in ("published", "updated"):
            out[name] = when_to_iso(value)
        elif name == "extra":
            out[name] = dict(value)
        elif isinstance(value, tuple):
            out[name] = list(value)
        else:
            out[name] = value
    return out


def article_to_dict(article: ir.Article) -> dict[str, Any]:
    """The JSON object for one article."""
    return {
        "meta": meta_to_dict(article.meta),
        "blocks": [node_to_dict(b) for b in article.blocks],
        "dropped": [{"text": d.text, "reason": d.reason, "line": d.line} for d in article.dropped],
    }


def collection_meta_to_dict(collection: ir.Collection) -> dict[str, Any] | None:
    """The JSON ``collection`` object, or None when the collection has no metadata."""
    if not collection.has_metadata():
        return None
    out: dict[str, Any] = {}
    for name in ir.COLLECTION_META_FIELDS:
        value = getattr(collection, name)
        if name == "date":
            out[name] = when_to_iso(value)
        elif name == "sections":
            out[name] = [{"title": s.title, "count": s.count, "intro": s.intro} for s in value]
        elif isinstance(value, tuple):
            out[name] = list(value)
        else:
            out[name] = value
    return out


def to_dict(collection: ir.Collection) -> dict[str, Any]:
    """The whole JSON document for a collection."""
    return {
        "ir_version": ir.IR_VERSION,
        "collection": collection_meta_to_dict(collection),
        "articles": [article_to_dict(a) for a in collection.articles],
    }


def dumps(collection: ir.Collection, indent: int | None = 2) -> str:
    """Deterministic JSON text for a collection."""
    return json.dumps(to_dict(collection), ensure_ascii=False, indent=indent, allow_nan=False)


def iter_compact(collection: ir.Collection) -> Iterator[str]:
    """Compact JSON text for a collection in pieces, one article at a time.

    Writers that embed the IR use this so a thousand-article collection never exists as one
    dict or one string.
    """
    head = _compact(collection_meta_to_dict(collection))
    yield f'{{"ir_version":{ir.IR_VERSION},"collection":{head},"articles":['
    for index, article in enumerate(collection.articles):
        yield ("," if index else "") + _compact(article_to_dict(article))
    yield "]}"


_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _compact(value: Any) -> str:
    """``value`` as compact JSON text, exactly as :data:`_COMPACT` writes it.

    orjson writes the same text for what the IR's dicts hold (strings, booleans, null, lists,
    string-keyed objects, integers within 64 bits; tested) 3-5 times faster: ~0.1 s of every
    thousand-article document that embeds its IR. What it refuses (an integer beyond 64 bits)
    goes to the standard encoder, which says what it says for any other value.
    """
    try:
        return orjson.dumps(value).decode()
    except orjson.JSONEncodeError:
        return _COMPACT.encode(value)


# --------------------------------------------------------------------------- dict -> IR


def _attr_from_dict(data: dict[str, Any] | None) -> ir.Attr:
    data = data or {}
    return ir.Attr(
        id=data.get("id", ""),
        classes=tuple(data.get("classes", ())),
        attributes=tuple((k, v) for k, v in data.get("attributes", ())),
    )


def _inlines(items: list[dict[str, Any]]) -> tuple[ir.Inline, ...]:
    return tuple(inline_from_dict(i) for i in items)


def _blocks(items: list[dict[str, Any]]) -> tuple[ir.Block, ...]:
    return tuple(block_from_dict(b) for b in items)


def inline_from_dict(data: dict[str, Any]) -> ir.Inline:
    """The inline node for a (schema-valid) JSON object."""
    kind = data["type"]
    if kind == "text":
        return ir.Text(data["text"])
    if kind == "code":
        return ir.Code(data["text"])
    if kind == "emph":
        return ir.Emph(_inlines(data["content"]))
    if kind == "strong":
        return ir.Strong(_inlines(data["content"]))
    if kind == "link":
        return ir.Link(data["href"], _inlines(data["content"]))
    if kind == "linebreak":
        return ir.LineBreak()
    if kind == "span":
        return ir.Span(_attr_from_dict(data.get("attr")), _inlines(data["content"]))
    raise ValueError(f"unknown inline type {kind!r}")


def block_from_dict(data: dict[str, Any]) -> ir.Block:
    """The block node for a (schema-valid) JSON object."""
    kind = data["type"]
    if kind == "paragraph":
        return ir.Paragraph(_inlines(data["content"]))
    if kind == "heading":
        return ir.Heading(data["level"], _inlines(data["content"]))
    if kind == "quote":
        return ir.Quote(_blocks(data["blocks"]))
    if kind == "list":
        items = tuple(_blocks(item) for item in data["items"])
        return ir.ListBlock(data["ordered"], items, data.get("start", 1))
    if kind == "image":
        picture = data.get("picture")
        return ir.Image(
            data["src"],
            data.get("alt", ""),
            _inlines(data.get("caption", [])),
            ir.Picture(**picture) if picture else None,
        )
    if kind == "table":
        rows = tuple(tuple(_inlines(cell) for cell in row) for row in data["rows"])
        return ir.Table(rows, data.get("header_rows", 0))
    if kind == "rule":
        return ir.Rule()
    if kind == "div":
        return ir.Div(_attr_from_dict(data.get("attr")), _blocks(data["blocks"]))
    raise ValueError(f"unknown block type {kind!r}")


def meta_from_dict(data: dict[str, Any]) -> ir.Meta:
    """Article metadata from its JSON object; missing fields take their defaults."""
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name in ("published", "updated"):
            values[name] = iso_to_when(value)
        elif name == "extra":
            values[name] = tuple(value.items())
        elif isinstance(value, list):
            values[name] = tuple(value)
        else:
            values[name] = value
    return ir.Meta(**values)


def article_from_dict(data: dict[str, Any]) -> ir.Article:
    """An article from its JSON object."""
    return ir.Article(
        meta=meta_from_dict(data.get("meta", {})),
        blocks=_blocks(data.get("blocks", [])),
        dropped=tuple(
            ir.Dropped(d["text"], d["reason"], d.get("line")) for d in data.get("dropped", [])
        ),
    )


def from_dict(data: dict[str, Any]) -> ir.Collection:
    """A collection from a whole, schema-valid JSON document."""
    meta = data.get("collection") or {}
    values: dict[str, Any] = {}
    for name, value in meta.items():
        if name == "date":
            values[name] = iso_to_when(value)
        elif name == "sections":
            values[name] = tuple(
                ir.Section(title=s["title"], count=s["count"], intro=s.get("intro")) for s in value
            )
        elif isinstance(value, list):
            values[name] = tuple(value)
        else:
            values[name] = value
    articles = tuple(article_from_dict(a) for a in data["articles"])
    return ir.Collection(**values, articles=articles)


# --------------------------------------------------------------------------- strict loading


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The JSON Schema of the IR (every readable version)."""
    text = resources.files("convert.model").joinpath("schema/ir.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@lru_cache(maxsize=1)
def _validator() -> Any:
    # fastjsonschema compiles the schema to Python: ~30x faster than interpreting it, which
    # matters for thousand-article collections.

    return fastjsonschema.compile(schema())


def _reject_constant(name: str) -> Any:
    raise InputError(f"invalid JSON: {name} is not allowed")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise InputError(f"invalid JSON: duplicate key {key!r}")
        out[key] = value
    return out


_RAW_SURROGATE = re.compile("[\ud800-\udfff]")


def _check_strings(value: Any, path: str = "$") -> None:
    stack: list[tuple[Any, str]] = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            try:
                ir.clean_text(item)
            except ir.LoneSurrogateError as exc:
                raise InputError(f"invalid IR JSON at {where}: {exc}") from None
        elif isinstance(item, dict):
            stack.extend((v, f"{where}.{k}") for k, v in item.items())
            stack.extend((k, f"{where} (key)") for k in item)
        elif isinstance(item, list):
            stack.extend((v, f"{where}[{i}]") for i, v in enumerate(item))


_INT_DIGITS = sys.get_int_max_str_digits()


def loads(text: str) -> ir.Collection:
    """Parse and validate IR JSON text; raise :class:`InputError` with a one-line reason."""
    try:
        data = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    except RecursionError:
        raise InputError("invalid JSON: nested too deeply") from None
    except ValueError:  # Python's limit on digits in one integer (CVE-2020-10735)
        raise InputError(f"invalid JSON: a number longer than {_INT_DIGITS} digits") from None
    if not isinstance(data, dict):
        raise InputError("not briefkit IR JSON: the top level must be an object")
    if "ir_version" not in data:
        raise InputError(
            'not briefkit IR JSON (no "ir_version" key); briefkit reads its own IR JSON and '
            "JSON Feed"
        )
    version = data.get("ir_version")
    if version not in ir.READABLE_VERSIONS or isinstance(version, bool):
        *earlier, last = map(str, ir.READABLE_VERSIONS)
        readable = f"{', '.join(earlier)} and {last}" if earlier else last
        raise InputError(
            f"unsupported ir_version {version!r} (this briefkit reads versions {readable})"
        )
    # Lone surrogates come only from \uD800-\uDFFF escapes or raw surrogates in the text;
    # two C-speed scans decide whether the slower walk over every string is needed.
    if "\\ud" in text or "\\uD" in text or _RAW_SURROGATE.search(text):
        _check_strings(data)

    try:
        _validator()(data)
    except fastjsonschema.JsonSchemaValueException as exc:
        message = "$" + exc.message.removeprefix("data")
        message = message if len(message) < 200 else message[:197] + "..."
        raise InputError(f"invalid IR JSON at {message}") from None
    except RecursionError:
        raise InputError("invalid IR JSON: nested too deeply") from None
    try:
        collection = from_dict(data)
        ir.section_spans(collection)  # the section counts must add up
    except (ValueError, TypeError) as exc:
        raise InputError(f"invalid IR JSON: {exc}") from None
    return collection
