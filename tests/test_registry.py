"""The format registry: built-ins, entry points, duplicates, inference."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from convert import registry
from convert.errors import FormatError


def test_builtins_are_found_by_name_alias_and_extension() -> None:
    assert registry.find("reader", "text").name == "text"
    assert registry.find("reader", "txt").name == "text"
    assert registry.for_path("reader", "a/b.TXT").name == "text"
    assert registry.for_path("writer", "x.json").name == "json"
    assert callable(registry.find("writer", "json").load())


def test_unknown_formats_are_clear_errors() -> None:
    with pytest.raises(FormatError, match="unknown writer format 'odt'"):
        registry.find("writer", "odt")
    with pytest.raises(FormatError, match=r"cannot tell the writer format from extension '\.xyz'"):
        registry.for_path("writer", "out.xyz")


def test_a_duplicate_name_is_an_error() -> None:
    clash = registry.Format("text", "reader", "somewhere.else", builtin=False)
    with pytest.raises(FormatError, match="registered twice"):
        registry.formats("reader", extra=[clash])
    alias_clash = registry.Format("mine", "reader", "x", aliases=("txt",), builtin=False)
    with pytest.raises(FormatError, match="'txt' is registered twice"):
        registry.formats("reader", extra=[alias_clash])


def test_entry_point_formats_are_listed(monkeypatch: pytest.MonkeyPatch) -> None:
    def fake_read(data: bytes, *, name: str) -> Any:
        """Reads shouting text."""
        return None

    plugin = SimpleNamespace(
        read=fake_read, EXTENSIONS=(".SHOUT",), ALIASES=("loud",), __doc__="Shouting text."
    )
    point = SimpleNamespace(name="shout", value="shout_plugin", load=lambda: plugin)
    monkeypatch.setattr(
        registry, "entry_points", lambda group: [point] if group == "briefkit.readers" else []
    )
    registry.clear_cache()
    table = registry.formats("reader")
    shout = next(f for f in table if f.name == "shout")
    assert not shout.builtin and shout.extensions == (".shout",) and shout.aliases == ("loud",)
    assert registry.for_path("reader", "a.shout").name == "shout"
    monkeypatch.undo()
    registry.clear_cache()
    assert "shout" not in {f.name for f in registry.formats("reader")}


def test_entry_points_are_scanned_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def counting(group: str) -> list[Any]:
        calls.append(group)
        return []

    monkeypatch.setattr(registry, "entry_points", counting)
    registry.clear_cache()
    for _ in range(5):
        registry.for_path("reader", "a.txt")
        registry.find("writer", "pdf")
    assert sorted(calls) == ["briefkit.readers", "briefkit.writers"]
    monkeypatch.undo()
    registry.clear_cache()


def test_modules_are_imported_lazily() -> None:
    import subprocess
    import sys

    code = (
        "import sys, convert; convert.registry.formats('writer'); "
        "print('reportlab' in sys.modules, 'docx' in sys.modules, 'ebooklib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False False"
