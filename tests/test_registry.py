"""The format registry: built-ins, entry points, duplicates, inference."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from convert.app import registry
from convert.model.errors import FormatError

from .conftest import imported_after


def test_builtins_are_found_by_name_alias_and_extension() -> None:
    assert registry.find("reader", "text").name == "text"
    assert registry.find("reader", "txt").name == "text"
    assert registry.for_path("reader", "a/b.TXT").name == "text"
    assert registry.for_path("writer", "x.json").name == "json"
    assert callable(registry.find("writer", "json").load())


def test_unknown_formats_are_clear_errors() -> None:
    with pytest.raises(FormatError, match="unknown writer format 'odt'") as caught:
        registry.find("writer", "odt")
    assert "docx, epub, html, json, pdf" in str(caught.value)  # what there is instead
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
    monkeypatch.setattr(registry, "entry_points", lambda: _Installed({"briefkit.readers": [point]}))
    registry.clear_cache()
    table = registry.formats("reader")
    shout = next(f for f in table if f.name == "shout")
    assert not shout.builtin and shout.extensions == (".shout",) and shout.aliases == ("loud",)
    assert shout.description == "Shouting text."  # `briefkit formats` shows its first line
    assert registry.for_path("reader", "a.shout").name == "shout"
    monkeypatch.undo()
    registry.clear_cache()
    assert "shout" not in {f.name for f in registry.formats("reader")}


class _Installed:
    """What ``importlib.metadata.entry_points()`` returns, for given groups."""

    def __init__(self, groups: dict[str, list[Any]]) -> None:
        self.groups = groups
        self.asked: list[str] = []

    def select(self, group: str) -> list[Any]:
        self.asked.append(group)
        return self.groups.get(group, [])


def test_entry_points_are_scanned_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    scans: list[_Installed] = []

    def counting() -> _Installed:
        scans.append(_Installed({}))
        return scans[-1]

    monkeypatch.setattr(registry, "entry_points", counting)
    registry.clear_cache()
    for _ in range(5):  # built-in names and extensions need no scan
        registry.for_path("reader", "a.txt")
        registry.find("writer", "pdf")
        registry.find("reader", "md")
    assert scans == []
    for _ in range(3):
        with pytest.raises(FormatError):
            registry.for_path("reader", "a.nothing")
        with pytest.raises(FormatError):
            registry.find("writer", "nothing")
    assert len(scans) == 1  # one scan of the installed packages serves both groups
    assert sorted(scans[0].asked) == ["briefkit.readers", "briefkit.writers"]
    monkeypatch.undo()
    registry.clear_cache()


def test_a_plugin_claiming_a_builtin_name_cannot_replace_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Built-ins win; the clash is reported where the whole table is built.
    plugin = SimpleNamespace(read=lambda data, *, name: None, EXTENSIONS=(".txt",))
    point = SimpleNamespace(name="text", value="impostor", load=lambda: plugin)
    monkeypatch.setattr(registry, "entry_points", lambda: _Installed({"briefkit.readers": [point]}))
    registry.clear_cache()
    try:
        assert registry.find("reader", "text").target == "convert.readers.text"
        assert registry.for_path("reader", "a.txt").target == "convert.readers.text"
        with pytest.raises(FormatError, match="'text' is registered twice"):
            registry.formats("reader")
        with pytest.raises(FormatError, match="registered twice"):
            registry.find("reader", "rst")  # a name only the whole table could have
    finally:
        monkeypatch.undo()
        registry.clear_cache()


def test_modules_are_imported_lazily() -> None:
    statement = "import convert; convert.app.registry.formats('writer')"
    assert imported_after(statement, ("reportlab", "docx", "ebooklib", "convert")) == ["convert"]
    # Resolving built-in formats does not import the entry-point machinery.
    statement = (
        "import convert; convert.app.registry.find('writer', 'pdf');"
        "convert.app.registry.for_path('reader', 'a.txt')"
    )
    modules = ("importlib.metadata", "email.message", "convert")
    assert imported_after(statement, modules) == ["convert"]


def test_an_installed_plugin_is_found_through_importlib_metadata(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A real distribution on sys.path (what pip installs), not a stand-in for the scan.
    (tmp_path / "shout_plugin.py").write_text(
        '"""Shouting text."""\nEXTENSIONS = (".shout",)\n'
        "def read(data, *, name):\n    raise NotImplementedError\n"
        "def write(collection, out, style):\n    out.write(b'SHOUT')\n"
    )
    info = tmp_path / "shout_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: shout-plugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        "[briefkit.readers]\nshout = shout_plugin\n\n[briefkit.writers]\nshout = shout_plugin\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    registry.clear_cache()
    try:
        assert registry.for_path("reader", "a.shout").target == "shout_plugin"
        assert registry.find("writer", "shout").load() is sys.modules["shout_plugin"].write
    finally:
        monkeypatch.undo()
        sys.modules.pop("shout_plugin", None)
        registry.clear_cache()
    assert "shout" not in {f.name for f in registry.formats("writer")}


def test_a_plugin_without_extensions_or_docstring_is_listed_plainly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plugin = SimpleNamespace(read=lambda data, *, name: None, __doc__="Line one.\nMore text.")
    bare = SimpleNamespace(read=lambda data, *, name: None, __doc__=None)
    points = [
        SimpleNamespace(name="lines", value="lines_plugin", load=lambda: plugin),
        SimpleNamespace(name="bare", value="bare_plugin", load=lambda: bare),
    ]
    monkeypatch.setattr(registry, "entry_points", lambda: _Installed({"briefkit.readers": points}))
    registry.clear_cache()
    try:
        table = {f.name: f for f in registry.formats("reader")}
        assert table["lines"].description == "Line one." and table["lines"].extensions == ()
        assert table["bare"].description == ""
    finally:
        monkeypatch.undo()
        registry.clear_cache()


@pytest.mark.parametrize(
    ("kind", "path", "message"),
    [
        ("reader", "notes", "cannot tell the reader format from no extension; name it with -f/--from"),
        ("writer", "out.xyz", "cannot tell the writer format from extension '.xyz'; name it with -t/--to"),
    ],
)  # fmt: skip
def test_a_file_of_no_known_extension_says_which_option_names_its_format(
    kind: str, path: str, message: str
) -> None:
    with pytest.raises(FormatError) as refused:
        registry.for_path(kind, Path("folder") / path)  # type: ignore[arg-type]
    assert str(refused.value) == f"folder/{path}: {message}"


def test_a_plugin_entry_point_may_name_an_attribute_inside_its_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``module:Class.method`` (what setuptools allows for entry points)."""
    (tmp_path / "nested_plugin.py").write_text(
        "class Shout:\n    @staticmethod\n    def read(data, *, name):\n        return 'read'\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        found = registry.Format("nested", "reader", "nested_plugin:Shout.read", builtin=False)
        assert found.load()(b"", name="x") == "read"
    finally:
        sys.modules.pop("nested_plugin", None)
