"""The README and the guide cannot drift from the tool.

Every ``sh`` and ``python`` example in README.md and docs/ runs here, in a temporary folder
holding a copy of the fixtures, offline; every manifest example (a ``toml`` block with
``[outputs]``) is built; every file tree names only files that exist; the site builds with
``mkdocs build --strict`` (its reference pages are generated from the code).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import ROOT

DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
_FENCE = re.compile(r"^```([\w-]*)\n(.*?)^```", re.M | re.S)
_NOT_RUN = re.compile(r"<!-- not run: (.+?) -->\s*$")


@dataclass(frozen=True)
class Example:
    document: Path
    line: int
    language: str
    code: str
    not_run: str | None

    def __str__(self) -> str:
        return f"{self.document.relative_to(ROOT)}:{self.line}"


def _examples() -> list[Example]:
    found = []
    for document in DOCUMENTS:
        text = document.read_text(encoding="utf-8")
        for match in _FENCE.finditer(text):
            before = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
            reason = _NOT_RUN.search(before)
            found.append(
                Example(
                    document,
                    text.count("\n", 0, match.start()) + 1,
                    match.group(1),
                    match.group(2),
                    reason.group(1) if reason else None,
                )
            )
    return found


EXAMPLES = _examples()
RUN = [e for e in EXAMPLES if e.language in ("sh", "python") and e.not_run is None]


def test_only_the_set_up_commands_are_not_run() -> None:
    not_run = [e for e in EXAMPLES if e.not_run is not None]
    assert [str(e) for e in not_run] == [str(e) for e in not_run if e.document.name == "README.md"]
    assert len(not_run) == 1 and "make demo" in not_run[0].code and "make test" in not_run[0].code
    unmarked = {e.language for e in EXAMPLES} - {"sh", "python", "toml", "text"}
    assert not unmarked, f"examples in another language are neither run nor checked: {unmarked}"
    assert len(RUN) >= 15


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A folder like the project's for the examples: the fixtures, the styles."""
    shutil.copytree(ROOT / "fixtures", tmp_path / "fixtures")
    shutil.copytree(ROOT / "styles", tmp_path / "styles")
    return tmp_path


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFKIT_", "_BRIEFKIT"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["SOURCE_DATE_EPOCH"] = "1700000000"
    # Offline: a proxy that does not exist catches an example reaching the network.
    env["http_proxy"] = env["https_proxy"] = "http://127.0.0.1:9"
    return env


@pytest.mark.slow
@pytest.mark.parametrize("example", RUN, ids=str)
def test_example_runs(example: Example, workspace: Path) -> None:
    if example.language == "sh":
        command = ["bash", "-euo", "pipefail", "-c", example.code]
    else:
        command = [sys.executable, "-c", example.code]
    result = subprocess.run(
        command, cwd=workspace, env=_environment(), capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"{example}\n{example.code}\n{result.stderr[-2000:]}"
    for line in result.stderr.splitlines():
        assert line.startswith("briefkit: "), f"{example}: stray stderr line {line!r}"


MANIFESTS = [e for e in EXAMPLES if e.language == "toml" and "[outputs]" in e.code]


@pytest.mark.parametrize("example", MANIFESTS, ids=str)
def test_manifest_example_builds(example: Example, workspace: Path) -> None:
    """A manifest example reads as if it sat beside the bundled one (fixtures/briefing/)."""
    from convert.app.briefing import build, load_manifest

    manifest = workspace / "fixtures" / "briefing" / "example.toml"
    manifest.write_text(example.code, encoding="utf-8")
    warnings: list[str] = []
    collection, written = build(load_manifest(manifest), workspace / "out", warnings.append)
    assert collection.articles and written
    assert all(path.stat().st_size > 0 for path in written.values())


def _tree_paths(code: str) -> list[str]:
    """The paths a file tree names (indentation nests an entry in the folder above it)."""
    paths: list[str] = []
    folders: list[tuple[int, str]] = []
    for line in code.splitlines():
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        names = re.split(r"\s{2,}", line.strip())[0]
        while folders and folders[-1][0] >= indent:
            folders.pop()
        parent = folders[-1][1] if folders else ""
        for name in names.split(", "):
            if not re.fullmatch(r"[\w./-]+", name):
                break  # a description continued on its own line
            paths.append(parent + name)
        if names.endswith("/"):
            folders.append((indent, parent + names))
    return paths


TREES = [e for e in EXAMPLES if e.language == "text" and e.code.startswith("convert/")]


@pytest.mark.parametrize("example", TREES, ids=str)
def test_file_trees_name_files_that_exist(example: Example) -> None:
    named = _tree_paths(example.code)
    assert len(named) >= 6
    missing = [p for p in named if not (ROOT / p).exists() and not (ROOT / f"{p}.py").exists()]
    assert missing == [], f"{example} names files that do not exist: {missing}"


def test_the_tree_check_sees_a_missing_file() -> None:
    assert _tree_paths("convert/\n  model/\n    ir.py   the IR\n  gone.py\n") == [
        "convert/",
        "convert/model/",
        "convert/model/ir.py",
        "convert/gone.py",
    ]


@pytest.mark.slow
def test_the_site_builds_strictly(tmp_path: Path) -> None:
    mkdocs = shutil.which("mkdocs", path=str(Path(sys.executable).parent)) or shutil.which("mkdocs")
    if mkdocs is None:
        message = "mkdocs is not installed (the test extra brings it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    result = subprocess.run(
        [mkdocs, "build", "--strict", "-q", "-d", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    metadata = (tmp_path / "site" / "reference" / "metadata" / "index.html").read_text("utf-8")
    assert "<code>catalog:Lang</code>" in metadata  # generated from convert/plan/metadata.py
    cli = (tmp_path / "site" / "reference" / "cli" / "index.html").read_text("utf-8")
    assert "--force" in cli and "append" in cli  # generated from the click commands
