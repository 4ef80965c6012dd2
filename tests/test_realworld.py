"""Documents briefkit's authors did not write (../shared/realworld): nothing lost, no noise.

Every document goes through ``inspect`` and the three writers. It holds: no internal error,
stderr only ever carries ``briefkit:`` lines, a one-line error only for the files that are
really unusable (with the right reason), and the article text keeps at least 95 % of the
words an independent tool finds (pdftotext for PDF, pandoc for DOCX, EPUB and Markdown,
trafilatura for HTML, the file itself for plain text).
"""

from __future__ import annotations

import gzip
import re
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from convert.app.cli import main
from convert.model import ir, ir_json

from .conftest import SHARED, require_file, require_pandoc, require_tool

FILES = SHARED / "realworld" / "files"
NAMES = sorted(p.name for p in FILES.iterdir()) if FILES.is_dir() else []
UNUSABLE = {
    "057-libreoffice-writer-password.pdf": "needs a password",
    "077-empty.pdf": "no text on any page",
    "121-package.json": 'not briefkit IR JSON (no "ir_version" key)',
}


def test_the_shared_documents_are_there() -> None:
    """The parametrised tests below have nothing to run without them: say so."""
    require_file(FILES, "the shared real-world documents")
    assert len(NAMES) >= 60


_CJK = "\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af"
_WORD = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")


def words(text: str) -> Counter[str]:
    """Words for comparison: NFKC, lower case, CJK by character; list and note numbers
    (up to three digits) left out, since each tool numbers lists its own way."""
    found = _WORD.findall(unicodedata.normalize("NFKC", text).lower())
    return Counter(w for w in found if not (w.isdigit() and len(w) <= 3))


def reference_text(path: Path) -> str | None:
    """What an independent tool reads in ``path`` (None where there is no such tool)."""
    name = path.name
    if name.endswith(".pdf"):
        pdftotext = require_tool("pdftotext")
        return subprocess.run(
            [pdftotext, "-q", str(path), "-"], capture_output=True, text=True, timeout=120
        ).stdout
    if name.endswith((".docx", ".epub", ".md")):
        fmt = "commonmark_x" if name.endswith(".md") else path.suffix[1:]
        return subprocess.run(
            [require_pandoc(), "-f", fmt, "-t", "plain", str(path)],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout
    if name.endswith((".html", ".html.gz")):
        import trafilatura

        data = path.read_bytes()
        data = gzip.decompress(data) if name.endswith(".gz") else data
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        page = str(best) if best is not None else data.decode("utf-8", "replace")
        return trafilatura.extract(page, include_comments=False) or ""
    if name.endswith(".txt"):
        from charset_normalizer import from_bytes

        best = from_bytes(path.read_bytes()).best()
        return str(best) if best is not None else None
    return None


def _only_briefkit_lines(stderr: str) -> None:
    noise = [line for line in stderr.splitlines() if not line.startswith("briefkit: ")]
    assert not noise, f"raw library output on stderr: {noise[:3]}"
    assert "internal error" not in stderr


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_a_real_document_is_read_whole_and_written_in_every_format(
    name: str, tmp_path: Path
) -> None:
    path = FILES / name
    runner = CliRunner()
    result = runner.invoke(main, ["inspect", str(path)])
    _only_briefkit_lines(result.stderr)
    if name in UNUSABLE:
        assert result.exit_code == 1
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"briefkit: error: {path}: ")
        assert UNUSABLE[name] in lines[0]
        return
    assert result.exit_code == 0, result.stderr
    collection = ir_json.loads(result.stdout)
    ours = words(
        "\n".join(f"{a.meta.title or ''}\n{ir.plain_text(a.blocks)}" for a in collection.articles)
    )
    reference = reference_text(path)
    if reference is not None and words(reference):
        theirs = words(reference)
        kept = sum(min(ours[w], n) for w, n in theirs.items()) / sum(theirs.values())
        missing = sorted((theirs - ours).items(), key=lambda item: -item[1])[:10]
        assert kept >= 0.95, f"kept {kept:.1%} of the reference's words; missing {missing}"
    for fmt in ("docx", "pdf", "epub"):
        out = tmp_path / f"out.{fmt}"
        written = runner.invoke(main, ["convert", str(path), "-o", str(out)])
        _only_briefkit_lines(written.stderr)
        assert written.exit_code == 0, written.stderr
        assert out.stat().st_size > 0


def test_library_messages_are_dropped_items_shown_only_with_verbose(tmp_path: Path) -> None:
    # a damaged cross-reference table pypdf complains about
    path = require_file(FILES / "069-issue-297.pdf", "the shared real-world documents")
    runner = CliRunner()
    quiet = runner.invoke(main, ["convert", str(path), "-o", str(tmp_path / "a.epub")])
    assert quiet.exit_code == 0
    assert quiet.stderr.splitlines() == [f"briefkit: wrote {tmp_path / 'a.epub'} (1 article)"]
    verbose = runner.invoke(main, ["convert", "-v", str(path), "-o", str(tmp_path / "b.epub")])
    warnings = [line for line in verbose.stderr.splitlines() if "warning" in line]
    assert warnings and all(line.startswith("briefkit: warning: ") for line in warnings)
    assert any("message from pypdf, not an error" in line for line in warnings)
    article = ir_json.loads(runner.invoke(main, ["inspect", str(path)]).stdout).articles[0]
    assert any(d.reason.startswith("message from pypdf") for d in article.dropped)
