"""The command line, through click's runner and as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from convert import __version__
from convert.app.cli import main

from .conftest import SEED, TEXT, ZH


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_inspect_prints_ir_json_of_the_seed() -> None:
    code, out, _ = _run("inspect", str(SEED))
    assert code == 0
    doc = json.loads(out)
    assert doc["ir_version"] == 3 and doc["collection"] is None
    meta = doc["articles"][0]["meta"]
    assert meta["published"] == "2021-03-20T13:21"
    assert meta["authors"] == ["Xu Shaoting"] and meta["editors"] == ["Cao Miao", "Xie Lei"]


def test_inspect_combines_several_inputs() -> None:
    code, out, _ = _run("inspect", str(SEED), str(ZH), str(TEXT / "xinhua-en.txt"))
    assert code == 0
    assert [a["meta"]["language"] for a in json.loads(out)["articles"]] == ["en", "zh", "en"]


def test_convert_to_json_and_back(tmp_path: Path) -> None:
    out = tmp_path / "seed.json"
    code, _, err = _run("convert", str(SEED), "-o", str(out))
    assert code == 0 and "wrote" in err
    code, again, _ = _run("inspect", str(out))
    code2, direct, _ = _run("inspect", str(SEED))
    assert code == code2 == 0 and again == direct


def test_convert_with_collection_metadata(tmp_path: Path) -> None:
    out = tmp_path / "week.json"
    code, _, _ = _run(
        "convert",
        str(SEED),
        str(ZH),
        "-o",
        str(out),
        "-M",
        "title=Week 12",
        "-M",
        "editors=Ann, Bo",
        "-M",
        "date=2021-03-21",
    )
    assert code == 0
    collection = json.loads(out.read_text("utf-8"))["collection"]
    assert collection["title"] == "Week 12"
    assert collection["editors"] == ["Ann", "Bo"]
    assert collection["date"] == "2021-03-21"


def test_formats_styles_version_help() -> None:
    code, out, _ = _run("formats")
    assert code == 0 and "Readers:" in out and "text, txt, plain" in out
    code, out, _ = _run("styles")
    assert code == 0 and "briefing" in out and "compact" in out
    code, out, _ = _run("--version")
    assert code == 0 and __version__ in out
    code, out, _ = _run("convert", "--help")
    assert code == 0 and "Examples:" in out and "-M" in out


def _assert_one_line_error(code: int, err: str, *fragments: str) -> None:
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("briefkit: error: ")
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in lines[0]


def test_bad_inputs_give_one_line_errors_and_write_nothing(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    out = tmp_path / "out.json"
    cases = [
        ([str(empty)], [str(empty), "empty input"]),
        ([str(binary)], [str(binary), "binary file"]),
        ([str(tmp_path)], [str(tmp_path), "is a directory"]),
        ([str(tmp_path / "missing.txt")], ["missing.txt", "no such file"]),
        ([str(SEED), "-f", "nosuch"], ["unknown reader format 'nosuch'"]),
        ([str(SEED), "-t", "nosuch"], ["unknown writer format 'nosuch'"]),
        ([str(SEED), "--style", "nosuch"], ["no style named 'nosuch'"]),
        ([str(SEED), str(empty)], [str(empty), "empty input"]),
        ([str(SEED), "-M", "colour=red"], ["unknown metadata key 'colour'"]),
    ]
    for args, fragments in cases:
        code, _, err = _run("convert", *args, "-o", str(out))
        _assert_one_line_error(code, err, *fragments)
        assert not out.exists(), args
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.txt", "image.txt"]


def test_unknown_output_extension(tmp_path: Path) -> None:
    out = tmp_path / "out.xyz"
    code, _, err = _run("convert", str(SEED), "-o", str(out))
    _assert_one_line_error(code, err, "out.xyz", "-t/--to")
    assert not out.exists()


def test_output_equal_to_an_input_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "a.json"
    source.write_text(
        json.dumps({"ir_version": 1, "articles": [{"meta": {"title": "T"}, "blocks": []}]})
    )
    before = source.read_bytes()
    code, _, err = _run("convert", str(source), "-o", str(source))
    _assert_one_line_error(code, err, "same file as an input")
    assert source.read_bytes() == before
    link = tmp_path / "link.json"
    link.symlink_to(source)
    code, _, err = _run("convert", str(source), "-o", str(link))
    _assert_one_line_error(code, err, "same file as an input")
    assert source.read_bytes() == before


def test_usage_errors_exit_2() -> None:
    code, _, err = _run("convert", str(SEED))
    assert code == 2 and "Missing option" in err
    code, _, _ = _run("convert", str(SEED), "-o", "x.json", "-M", "novalue")
    assert code == 2


def test_debug_shows_the_traceback() -> None:
    result = CliRunner().invoke(main, ["--debug", "inspect", "/no/such/file.txt"])
    assert result.exit_code == 1
    assert result.exception is not None and "no such file" in str(result.exception)


def test_python_dash_m_convert_works(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "convert", "inspect", str(SEED)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["articles"][0]["meta"]["source"] == "Guizhou Daily"
    proc = subprocess.run(
        [sys.executable, "-m", "convert", "inspect", "nope.txt"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert proc.returncode == 1
    assert proc.stderr.strip() == "briefkit: error: nope.txt: no such file"


@pytest.mark.parametrize("command", ["convert", "inspect"])
def test_internal_errors_are_one_line_without_debug(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, command: str
) -> None:
    from convert.app import api

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("kaboom\nsecond line")

    monkeypatch.setattr(api, "load", boom)
    args = [command, str(SEED)] + (["-o", str(tmp_path / "x.json")] if command == "convert" else [])
    code, _, err = _run(*args)
    assert code == 1
    assert (
        err.strip()
        == "briefkit: internal error: RuntimeError: kaboom (run with --debug for the traceback)"
    )


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("big.json", '{"ir_version": 3, "articles": [], "n": ' + "9" * 5000 + "}",
         "a number longer than 4300 digits"),
        ("feed.json", '{"version": "https://jsonfeed.org/version/1.1", "items": [], "n": '
         + "9" * 5000 + "}", "not a readable JSON Feed"),
        ("big.md", "---\ntitle: T\ncount: " + "9" * 5000 + "\n---\n\nText.\n",
         "invalid YAML front matter: Exceeds the limit (4300 digits) for integer string conversion"),
        ("month.md", "---\ntitle: T\ndate: 2021-13-01\n---\n\nText.\n",
         "invalid YAML front matter: month must be in 1..12"),
    ],
)  # fmt: skip
def test_numbers_and_dates_out_of_range_are_one_line_errors(
    tmp_path: Path, name: str, content: str, problem: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    code, _, err = _run("inspect", str(path))
    _assert_one_line_error(code, err, problem)
    assert "internal error" not in err
