"""Shared test helpers: fixture paths and the external-validator policy."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import Phase, Verbosity, settings

# Under mutation testing a property test stops at its first failing example: shrinking it
# to the smallest one, or looking on for other failures, takes minutes a mutant and tells
# nothing more.
settings.register_profile(
    "mutation",
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    database=None,
    report_multiple_bugs=False,
    verbosity=Verbosity.quiet,  # printing an unshrunk example can take minutes too
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
TEXT = FIXTURES / "text"
SEED = TEXT / "people-daily-guizhou-2021-03-20.txt"
ZH = TEXT / "people-daily-zh.txt"
SHARED = ROOT.parent / "shared"
IR_FIXTURES = FIXTURES / "ir"
EVERY_NODE = IR_FIXTURES / "every-node.json"
THREE = [SEED, ZH, TEXT / "xinhua-en.txt"]


def require_tool(*names: str) -> str:
    """The path of the first of ``names`` on PATH; skip without it, fail under CI=true."""
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    message = f"validator {' / '.join(names)} is not installed (run 'make test' to install it)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def require_file(path: str | Path, why: str) -> Path:
    """``path`` if it exists; skip without it, fail under CI=true."""
    path = Path(path)
    if path.exists():
        return path
    message = f"{path} is missing ({why})"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def require_pandoc() -> str:
    """pandoc's path (on PATH, or pypandoc-binary's from the test extra); skip without it,
    fail under CI=true."""
    found = shutil.which("pandoc")
    if found:
        return found
    try:
        import pypandoc

        return str(pypandoc.get_pandoc_path())
    except (ImportError, OSError):
        message = "pandoc is not installed (the test extra's pypandoc-binary brings it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def imported_after(statement: str, modules: tuple[str, ...]) -> list[str]:
    """Which of ``modules`` a fresh interpreter has imported after running ``statement``."""
    import subprocess
    import sys

    code = f"import sys; {statement}; print(' '.join(m for m in {modules!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.split()


def normalise_space(text: str) -> str:
    """Collapse whitespace; drop it next to CJK characters (extraction breaks lines anywhere)."""
    import re

    text = re.sub(r"\s+", " ", text).strip()
    cjk = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
    return re.sub(rf"(?<=[{cjk}]) | (?=[{cjk}])", "", text)


def normalise_typeset(text: str) -> str:
    """Text as a reader compares it with the IR it was set from: typographic marks back to
    straight ones, and hyphens (hyphenation at line ends, dashes) left out on both sides,
    whitespace normalised as :func:`normalise_space` does."""
    import re

    for marks, plain in (("“”„«»\u201f", '"'), ("‘’‚‹›\u201b", "'"), ("–—‐\xad", "-")):
        text = re.sub(f"[{marks}]", plain, text)
    text = text.replace("…", "...").replace("\u202f", " ")
    text = re.sub(r"-+\s*", "", text)
    return normalise_space(text)


def pdf_text(path: Path, *, first: int | None = None, last: int | None = None) -> str:
    """pdftotext output of a PDF (whole, or a page range)."""
    import subprocess

    tool = require_tool("pdftotext")
    args = [tool, "-enc", "UTF-8"]
    if first is not None:
        args += ["-f", str(first), "-l", str(last if last is not None else first)]
    out = subprocess.run([*args, str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def libreoffice_pdf(paths: list[Path], outdir: Path) -> list[Path]:
    """Convert documents to PDF with LibreOffice headless; fails when LibreOffice refuses one."""
    import subprocess

    tool = require_tool("soffice", "libreoffice")
    profile = outdir / "lo-profile"
    proc = subprocess.run(
        [
            tool,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, paths),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    results = [outdir / (p.stem + ".pdf") for p in paths]
    missing = [str(r) for r in results if not r.exists()]
    assert not missing, f"LibreOffice did not convert {missing}: {proc.stdout} {proc.stderr}"
    return results


def pdf_body_text(path: Path, headers: tuple[str, ...] = ()) -> str:
    """Whitespace-normalised text of every page without running headers and footers.

    A page's text starting with one of ``headers`` loses it, and a trailing "page X of Y"
    footer is dropped, so a paragraph that crosses a page break reads as one.
    """
    import re

    kept = []
    for page in pdf_text(path).split("\f"):
        text = re.sub(r"\s*page \d+ of \d+$", "", normalise_space(page))
        for header in sorted(headers, key=len, reverse=True):  # longest first: "A — B" before "A"
            header = normalise_space(header)
            if header and text.startswith(header):
                text = text[len(header) :].strip()
                break
            if header and text.endswith(header):
                text = text[: -len(header)].strip()
                break
        kept.append(text)
    return normalise_space(" ".join(kept))


def build(tmp_path: Path, inputs: list[Path], name: str, *extra: str) -> Path:
    """Run ``briefkit convert INPUTS -o tmp_path/name EXTRA...`` through click; the output path."""
    from click.testing import CliRunner

    from convert.app.cli import main

    out = tmp_path / name
    result = CliRunner().invoke(main, ["convert", *map(str, inputs), "-o", str(out), *extra])
    assert result.exit_code == 0, result.output
    return out


@contextlib.contextmanager
def local_server(handler: type, server: type | None = None, scheme: str = "http") -> Iterator[str]:
    """A server on 127.0.0.1 (a free port) answering with ``handler``; its base URL.
    ``server``: the server class (a threading HTTP server unless given)."""
    import http.server
    import threading

    httpd = (server or http.server.ThreadingHTTPServer)(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"{scheme}://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def static_pages(pages: dict[str, tuple[int, str, str | bytes]]) -> type:
    """A request handler for :func:`local_server` answering each path with (status, type,
    body); other paths get 404."""
    import http.server

    class Pages(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, kind, body = pages.get(self.path, (404, "text/plain", "not found"))
            data = body.encode("utf-8") if isinstance(body, str) else body
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    return Pages


def notdef_glyphs(path: Path) -> list[tuple[str, int]]:
    """(font, code) of every character shown in the PDF with its font's .notdef glyph.

    Reads the codes the pages and their forms show with each TrueType font and looks each
    up in the embedded subset's own cmap (reportlab writes a format 6 table; a code whose
    entry is glyph 0 draws the missing-glyph box).
    """
    import struct

    import pikepdf

    def subset_cmap(font: pikepdf.Dictionary) -> dict[int, int]:
        data = font.FontDescriptor.FontFile2.read_bytes()
        count = struct.unpack(">H", data[4:6])[0]
        for index in range(count):
            tag, _, offset, _ = struct.unpack(">4sIII", data[12 + 16 * index : 28 + 16 * index])
            if tag == b"cmap":
                break
        else:
            return {}
        table = offset + struct.unpack(">I", data[offset + 8 : offset + 12])[0]
        fmt, _, _, first, entries = struct.unpack(">HHHHH", data[table : table + 10])
        assert fmt == 6, fmt
        glyphs = struct.unpack(f">{entries}H", data[table + 10 : table + 10 + 2 * entries])
        return {first + i: glyph for i, glyph in enumerate(glyphs)}

    found: set[tuple[str, int]] = set()

    def walk(owner: pikepdf.Object) -> None:
        resources = owner.get("/Resources", pikepdf.Dictionary())
        fonts = resources.get("/Font", pikepdf.Dictionary())
        cmaps: dict[str, dict[int, int]] = {}
        current: str | None = None
        for operands, operator in pikepdf.parse_content_stream(owner):
            op = str(operator)
            if op == "Tf":
                current = str(operands[0])
                font = fonts[current]
                if current not in cmaps:
                    embedded = "/FontDescriptor" in font and "/FontFile2" in font.FontDescriptor
                    cmaps[current] = subset_cmap(font) if embedded else {}
            elif op in ("Tj", "TJ", "'", '"') and current is not None and cmaps[current]:
                strings = operands[0] if op == "TJ" else operands[-1:]
                for item in strings:
                    if isinstance(item, pikepdf.String):
                        for code in bytes(item):
                            if cmaps[current].get(code, 0) == 0:
                                found.add((str(fonts[current].BaseFont), code))
        for _, xobject in resources.get("/XObject", pikepdf.Dictionary()).items():
            if xobject.get("/Subtype") == "/Form":
                walk(xobject)

    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            walk(page.obj)
    return sorted(found)
