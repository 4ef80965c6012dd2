"""Golden files: writers' output compared part by part with files checked in.

Inputs are IR fixtures (``fixtures/ir/``), so these tests do not depend on any reader.
Archives are compared semantically: the same entry list, XML parts parsed and compared in
canonical form, other entries byte for byte. A PDF is compared as its parts too: each page's
text, the document information, the XMP packet, the outline with page numbers, the link
targets and the embedded font names, kept as JSON beside the DOCX and EPUB goldens. The
build time is fixed by SOURCE_DATE_EPOCH.

When a change to a writer is intended, re-bless the golden files and review the diff:

    BRIEFKIT_BLESS=1 python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest
from lxml import etree

import convert

from .conftest import IR_FIXTURES

GOLDEN = Path(__file__).parent / "golden"
BLESS = "BRIEFKIT_BLESS=1 python -m pytest tests/test_golden.py"
EVERY = [IR_FIXTURES / "every-node.json"]
THREE = [
    IR_FIXTURES / f"{name}.json"
    for name in ("people-daily-guizhou-2021-03-20", "people-daily-zh", "xinhua-en")
]
REPORTERS = [IR_FIXTURES / "reporters-en.json"]
WEEK = {"title": "Week 12"}
CASES = {
    f"{name}.{fmt}": (inputs, metadata)
    for name, inputs, metadata in (
        ("every-node", EVERY, {}),
        ("three", THREE, WEEK),
        ("reporters", REPORTERS, {}),
    )
    for fmt in ("docx", "epub", "pdf")
}


def _canonical(name: str, data: bytes) -> bytes:
    if name.endswith((".xml", ".rels", ".xhtml", ".opf", ".ncx")) or name == "[Content_Types].xml":
        parser = etree.XMLParser(remove_blank_text=True, resolve_entities=False)
        return etree.tostring(etree.fromstring(data, parser), method="c14n")
    return data


def _entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: _canonical(name, archive.read(name)) for name in archive.namelist()}


def _pdf_parts(data: bytes) -> dict[str, bytes]:
    """A PDF's parts as named entries, like an archive's: pages, info, XMP, outline, links."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    parts: dict[str, object] = {
        "info": {k: str(v) for k, v in sorted((reader.metadata or {}).items())},
        "outline": [
            (item.title, reader.get_destination_page_number(item) + 1)
            for item in reader.outline
            if not isinstance(item, list)
        ],
    }
    fonts: set[str] = set()
    page_numbers = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages, 1)}
    for number, page in enumerate(reader.pages, start=1):
        parts[f"page-{number:03d}.txt"] = page.extract_text()
        links = []
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            action = annotation.get("/A") or {}
            if "/URI" in action:
                links.append(str(action["/URI"]))
            elif "/Dest" in annotation:  # an internal link: the page it goes to
                links.append(f"page {page_numbers[annotation['/Dest'][0].idnum]}")
        parts[f"page-{number:03d}.links"] = links
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    parts["fonts"] = sorted(fonts)
    root = reader.trailer["/Root"]
    out = {name: json.dumps(value, ensure_ascii=False).encode() for name, value in parts.items()}
    out["metadata.xmp"] = _canonical("x.xml", root["/Metadata"].get_object().get_data())
    return out


def _parts(name: str, data: bytes) -> dict[str, bytes]:
    return _pdf_parts(data) if name.endswith(".pdf") else _entries(data)


def test_every_ir_fixture_is_used_by_a_golden_file() -> None:
    used = {path.name for inputs, _ in CASES.values() for path in inputs}
    assert used == {path.name for path in IR_FIXTURES.glob("*.json")}


@pytest.mark.parametrize("name", sorted(CASES))
def test_output_matches_the_golden_file(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    inputs, metadata = CASES[name]
    collection = convert.combine([convert.load(p) for p in inputs])
    buffer = io.BytesIO()
    convert.write(collection, buffer, format=name.rsplit(".", 1)[1], metadata=metadata or None)
    golden = GOLDEN / name
    if os.environ.get("BRIEFKIT_BLESS") == "1":
        golden.write_bytes(buffer.getvalue())
    assert golden.exists(), f"no golden file {golden}; create it with: {BLESS}"
    expected, actual = _parts(name, golden.read_bytes()), _parts(name, buffer.getvalue())
    assert list(actual) == list(expected), f"entry list changed; if intended: {BLESS}"
    for entry in expected:
        assert actual[entry] == expected[entry], f"{name}: {entry} differs; if intended: {BLESS}"
