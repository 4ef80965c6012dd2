"""Golden files: writers' output compared part by part with files checked in.

Archives are compared semantically: the same entry list, XML parts parsed and compared in
canonical form, other entries byte for byte. The build time is fixed by SOURCE_DATE_EPOCH.

When a change to a writer is intended, re-bless the golden files and review the diff:

    BRIEFKIT_BLESS=1 python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from lxml import etree

import convert

from .conftest import EVERY_NODE, THREE

GOLDEN = Path(__file__).parent / "golden"
BLESS = "BRIEFKIT_BLESS=1 python -m pytest tests/test_golden.py"
CASES = {
    "every-node.docx": ([EVERY_NODE], {}),
    "three.docx": (THREE, {"title": "Week 12"}),
    "every-node.epub": ([EVERY_NODE], {}),
    "three.epub": (THREE, {"title": "Week 12"}),
}


def _canonical(name: str, data: bytes) -> bytes:
    if name.endswith((".xml", ".rels", ".xhtml", ".opf", ".ncx")) or name == "[Content_Types].xml":
        parser = etree.XMLParser(remove_blank_text=True, resolve_entities=False)
        return etree.tostring(etree.fromstring(data, parser), method="c14n")
    return data


def _entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: _canonical(name, archive.read(name)) for name in archive.namelist()}


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
    expected, actual = _entries(golden.read_bytes()), _entries(buffer.getvalue())
    assert list(actual) == list(expected), f"entry list changed; if intended: {BLESS}"
    for entry in expected:
        assert actual[entry] == expected[entry], f"{name}: {entry} differs; if intended: {BLESS}"
