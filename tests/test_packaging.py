"""A non-editable install must carry the bundled styles and the schema."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SEED


@pytest.mark.slow
def test_the_wheel_ships_styles_and_schema(tmp_path: Path) -> None:
    wheel_dir = tmp_path / "wheel"
    # hatchling comes with the test extra, so the build needs no network.
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(wheel_dir), str(ROOT)],
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr
    wheel = next(wheel_dir.glob("briefkit-*.whl"))
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    assert (target / "convert" / "_bundled_styles" / "base.toml").is_file()
    assert (target / "convert" / "model" / "schema" / "ir.schema.json").is_file()
    desk = target / "convert" / "app" / "desk"  # the desk's pages, styles and script ship
    for part in ("templates/briefing.html", "templates/index.html", "static/desk.css",
                 "static/desk.js"):  # fmt: skip
        assert (desk / part).is_file(), part
    code = (
        "import convert, json; from convert.plan.styles import load_style, bundled_styles_dir;"
        "print(json.dumps([convert.__file__, str(bundled_styles_dir()),"
        " load_style('compact').name]))"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=True,
    )
    module_file, styles_dir, style_name = json.loads(out.stdout)
    assert module_file.startswith(str(target))
    assert styles_dir.startswith(str(target))
    assert style_name == "compact"
    inspect = subprocess.run(
        [sys.executable, "-m", "convert", "inspect", str(SEED)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert inspect.returncode == 0, inspect.stderr
    assert json.loads(inspect.stdout)["articles"][0]["meta"]["authors"] == ["Xu Shaoting"]


def test_the_package_version_is_the_distributions() -> None:
    from importlib.metadata import version

    import convert

    assert convert.__version__ == version("briefkit")
