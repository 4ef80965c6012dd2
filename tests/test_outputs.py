"""Inputs and outputs as Unix users expect: '-' for the standard streams, links followed,
special files written in place, one folder rule, formats and paths that cannot clash."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from convert.app.cli import main

from .conftest import SEED, TEXT, ZH

BRIEFKIT = [sys.executable, "-m", "convert"]


def _run(*args: str, stdin: bytes | None = None) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    return result.exit_code, result.stdout_bytes, result.stderr


def _one_line_error(code: int, err: str, *words: str) -> None:
    assert code == 1, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("briefkit: error:"), err
    for word in words:
        assert word in lines[0], err


def test_dash_reads_standard_input(tmp_path: Path) -> None:
    out = tmp_path / "seed.json"
    code, _, err = _run("convert", "-", "-o", str(out), stdin=SEED.read_bytes())
    assert code == 0, err
    meta = json.loads(out.read_text())["articles"][0]["meta"]
    assert meta["title"].startswith("Chen Yiqin") and meta["authors"] == ["Xu Shaoting"]


def test_dash_output_writes_the_document_to_standard_output(tmp_path: Path) -> None:
    result = subprocess.run(
        [*BRIEFKIT, "convert", str(SEED), "-o", "-", "-t", "pdf"],
        capture_output=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"%PDF-") and result.stdout.rstrip().endswith(b"%%EOF")
    assert b"standard output" in result.stderr
    assert not (tmp_path / "-").exists()
    # JSON through a pipe, read back from standard input.
    piped = subprocess.run(
        [*BRIEFKIT, "convert", str(SEED), "-o", "-", "-t", "json", "-q"],
        capture_output=True,
        timeout=120,
    )
    back = subprocess.run(
        [*BRIEFKIT, "inspect", "-"], input=piped.stdout, capture_output=True, timeout=120
    )
    assert json.loads(back.stdout) == json.loads(piped.stdout)


def test_dash_output_needs_a_format() -> None:
    code, out, err = _run("convert", str(SEED), "-o", "-")
    _one_line_error(code, err, "standard output", "-t")
    assert out == b""


def test_a_symlink_output_replaces_its_target_and_stays_a_link(tmp_path: Path) -> None:
    target = tmp_path / "real" / "digest.pdf"
    target.parent.mkdir()
    target.write_bytes(b"old")
    link = tmp_path / "digest.pdf"
    link.symlink_to(target)
    code, _, err = _run("convert", str(SEED), "-o", str(link), "-q")
    assert code == 0, err
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in target.parent.iterdir()) == ["digest.pdf"]  # no temporary


def test_a_fifo_output_is_written_in_place(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    code, _, err = _run("convert", str(SEED), "-o", str(fifo), "-q")
    reader.join(timeout=60)
    assert code == 0, err
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # not replaced by a regular file
    assert json.loads(received[0])["articles"][0]["meta"]["authors"] == ["Xu Shaoting"]


def test_an_extension_naming_another_format_is_refused_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    code, _, err = _run("convert", str(SEED), "-o", str(out), "-t", "epub")
    _one_line_error(code, err, str(out), "'.pdf' is for pdf, not epub", "--force")
    assert not out.exists()
    code, _, err = _run("convert", str(SEED), "-o", str(out), "-t", "epub", "--force", "-q")
    assert code == 0, err
    assert out.read_bytes().startswith(b"PK")
    # An extension no writer claims, with -t: written.
    code, _, err = _run("convert", str(SEED), "-o", str(tmp_path / "x.out"), "-t", "json", "-q")
    assert code == 0 and json.loads((tmp_path / "x.out").read_text())["ir_version"]


def test_convert_creates_the_output_folder(tmp_path: Path) -> None:
    out = tmp_path / "new" / "folder" / "seed.docx"
    code, _, err = _run("convert", str(SEED), "-o", str(out), "-q")
    assert code == 0, err
    assert out.read_bytes().startswith(b"PK")


def _manifest(folder: Path, outputs: str) -> Path:
    """A one-section manifest of the seed with these ``[outputs]`` lines."""
    manifest = folder / "briefing.toml"
    manifest.write_text(
        f'title = "T"\n[outputs]\n{outputs}\n[[section]]\ntitle = "One"\n'
        f'sources = [{{ path = "{SEED}" }}]\n',
        encoding="utf-8",
    )
    return manifest


def test_a_manifest_naming_one_path_twice_is_refused(tmp_path: Path) -> None:
    manifest = _manifest(tmp_path, 'docx = "digest.docx"\npdf = "digest.docx"')
    code, _, err = _run("build", str(manifest))
    _one_line_error(code, err, str(manifest), "outputs.pdf", "also the docx output")
    assert not (tmp_path / "digest.docx").exists()


def test_a_manifest_output_with_another_formats_extension_is_refused(tmp_path: Path) -> None:
    manifest = _manifest(tmp_path, 'pdf = "digest.docx"')
    code, _, err = _run("build", str(manifest))
    _one_line_error(code, err, "digest.docx", "is for docx, not pdf")


def test_append_writes_elsewhere_and_reads_a_briefkit_json(tmp_path: Path) -> None:
    first = tmp_path / "first.json"
    assert _run("convert", str(SEED), "-o", str(first), "-q")[0] == 0
    before = first.read_bytes()
    out = tmp_path / "both.pdf"
    code, _, err = _run("append", str(first), str(ZH), "-o", str(out), "-q")
    assert code == 0, err
    assert first.read_bytes() == before  # left as it was
    code, _, err = _run("append", str(first), str(TEXT / "xinhua-en.txt"), "-q")
    assert code == 0, err
    articles = json.loads(first.read_text())["articles"]
    assert [a["meta"]["language"] for a in articles] == ["en", "en"]
    # the appended article has a summary like every other article of a briefing
    assert articles[1]["meta"]["summary"] and dict(articles[1]["meta"]["extra"])[
        "summary_origin"
    ] in ("given", "generated")
    code, shown, _ = _run("inspect", str(out))
    assert [a["meta"]["language"] for a in json.loads(shown)["articles"]] == ["en", "zh"]


def test_batch_from_a_plain_script_says_what_to_write(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for source in (SEED, ZH, TEXT / "xinhua-en.txt"):
        (inputs / source.name).write_bytes(source.read_bytes())
    call = f'convert.batch([{str(inputs)!r}], {str(tmp_path / "out")!r}, to="json", jobs=2)'
    plain = tmp_path / "plain.py"
    plain.write_text(f"import convert\nresults = {call}\nprint(len(results))\n")
    result = subprocess.run(
        [sys.executable, str(plain)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 1
    assert 'if __name__ == "__main__":' in result.stderr
    assert "BrokenProcessPool" not in result.stderr
    guarded = tmp_path / "guarded.py"
    guarded.write_text(f'import convert\nif __name__ == "__main__":\n    print(len({call}))\n')
    result = subprocess.run(
        [sys.executable, str(guarded)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "3"


def test_version_names_the_engines_and_fonts() -> None:
    code, out, _ = _run("--version")
    text = out.decode()
    assert code == 0
    for engine in ("reportlab", "python-docx", "ebooklib", "pikepdf"):
        assert f"{engine} " in text
    assert "fonts: DejaVu Serif (" in text and "script fonts:" in text


def test_shell_completion_script() -> None:
    result = subprocess.run(
        ["briefkit"] if False else [sys.executable, "-m", "convert"],
        env={**os.environ, "_BRIEFKIT_COMPLETE": "bash_source"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "_BRIEFKIT_COMPLETE=bash_complete" in result.stdout
    assert "complete -o nosort -F" in result.stdout


class _Terminal:
    """A stream that says it is a terminal and keeps what is written."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        self.parts.append(text)
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("no_color", [False, True])
def test_no_color_is_honoured(no_color: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    from convert.app.progress import Progress

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    stream = _Terminal()
    with Progress("batch", "rich", stream) as progress:  # type: ignore[arg-type]
        progress.advance(2, False, None)
        progress.advance(2, True, "broken")
    shown = "".join(stream.parts)
    colours = [code for code in ("\x1b[3", "\x1b[9", "38;", ";3") if code in shown]
    assert (colours == []) is no_color, repr(shown[:300])
