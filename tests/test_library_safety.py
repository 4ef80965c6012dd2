"""briefkit is a library other programs import: it leaves third-party modules as they were.

Importing ``convert`` or building any document changes no reportlab (python-docx, ebooklib)
module, class or setting seen by other code; PDF builds running at once in threads give
the files they give one after the other; two styles naming one font family with other
files each get their own fonts.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

import convert
from convert.app import api

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures/text/people-daily-guizhou-2021-03-20.txt"
THREE = [
    SEED,
    ROOT / "fixtures/text/people-daily-zh.txt",
    ROOT / "fixtures/text/xinhua-en.txt",
]
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

# A plain reportlab program: rise (super- and subscripts), bullets, a table, a TTF font,
# reportlab's defaults (ASCII85 on). It prints the SHA-256 of the file it makes.
STOCK_PROGRAM = textwrap.dedent(
    """
    import hashlib, io
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import (ListFlowable, Paragraph, SimpleDocTemplate, Spacer,
                                    Table, HRFlowable, Image)
    from reportlab.lib.utils import ImageReader

    def stock_pdf():
        if "StockSans" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("StockSans", FONT))
        styles = getSampleStyleSheet()
        body = styles["BodyText"]
        body.fontName = "StockSans"
        words = "Lorem ipsum dolor sit amet, consectetur adipiscing elit " * 12
        story = [
            Paragraph("E = mc<super>2</super> and H<sub>2</sub>O " + words, body),
            Paragraph("<b>Bold</b> <i>italic</i> " + words, styles["Normal"]),
            ListFlowable([Paragraph("first " + words, body), Paragraph("second", body)],
                         bulletType="bullet"),
            Spacer(1, 12),
            HRFlowable(width="100%"),
            Table([["a", "b"], ["c", Paragraph("d " + words, body)]]),
            Paragraph("justified " + words * 3, styles["BodyText"]),
        ]
        out = io.BytesIO()
        SimpleDocTemplate(out, invariant=1, title="stock").build(story)
        return hashlib.sha256(out.getvalue()).hexdigest()
    """
)


def _run(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", f"FONT = {FONT!r}\n" + STOCK_PROGRAM + code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture(scope="module")
def stock_alone() -> str:
    if not Path(FONT).exists():
        pytest.skip("DejaVu Sans is not installed (make system-deps)")
    return _run("print(stock_pdf())")


def test_a_stock_reportlab_program_is_unchanged_by_import_and_build(stock_alone: str) -> None:
    after = _run(
        textwrap.dedent(
            f"""
            import tempfile, convert
            convert.convert([{str(SEED)!r}], tempfile.mkdtemp() + "/seed.pdf")
            print(stock_pdf())
            """
        )
    )
    assert after == stock_alone


def test_a_stock_reportlab_program_beside_a_digest_build_in_another_thread(
    stock_alone: str,
) -> None:
    seen = _run(
        textwrap.dedent(
            f"""
            import tempfile, threading, convert
            folder = tempfile.mkdtemp()
            def build(n):
                for i in range(2):
                    convert.convert({[str(p) for p in THREE]!r}, f"{{folder}}/{{n}}-{{i}}.pdf")
            threads = [threading.Thread(target=build, args=(n,)) for n in range(2)]
            for t in threads: t.start()
            digests = set()
            while any(t.is_alive() for t in threads):
                digests.add(stock_pdf())
            for t in threads: t.join()
            digests.add(stock_pdf())
            print(" ".join(sorted(digests)))
            """
        )
    )
    assert seen.split() == [stock_alone]


def test_reportlab_modules_and_classes_are_as_they_were() -> None:
    """Every name of reportlab's modules (and every attribute of their classes) is the same
    object after importing briefkit and building each format as before."""
    out = _run(
        textwrap.dedent(
            f"""
            import sys, tempfile
            import reportlab.rl_config, reportlab.pdfbase.pdfdoc, reportlab.pdfbase.pdfmetrics
            import reportlab.pdfbase.ttfonts, reportlab.pdfgen.canvas, reportlab.pdfgen.textobject
            import reportlab.platypus.paragraph, reportlab.platypus.flowables
            import reportlab.platypus.tables, reportlab.platypus.doctemplate, reportlab.platypus.frames
            import docx, ebooklib.epub, zipfile
            def snapshot():
                seen = {{}}
                for name, module in sorted(sys.modules.items()):
                    if not name.startswith(("reportlab", "docx", "ebooklib", "zipfile")):
                        continue
                    for key, value in list(vars(module).items()):
                        seen[(name, key)] = id(value)
                        if isinstance(value, type) and value.__module__ == name:
                            for attr, member in list(vars(value).items()):
                                seen[(name, key, attr)] = id(member)
                return seen, dict(vars(reportlab.rl_config))
            stock_pdf()  # reportlab's own lazily made state (its sequencer) is made
            before, settings = snapshot()
            import convert
            folder = tempfile.mkdtemp()
            for ext in ("pdf", "docx", "epub", "json"):
                convert.convert({[str(p) for p in THREE]!r}, f"{{folder}}/all.{{ext}}")
            after, settings_after = snapshot()
            changed = [k for k in before if k in after and before[k] != after[k]]
            changed += [k for k in settings if settings[k] != settings_after.get(k)]
            print(changed)
            """
        )
    )
    assert out == "[]"


def test_digests_built_in_threads_equal_those_built_one_after_the_other(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the same build time for both
    jobs = [[SEED], THREE, [THREE[1]], [ROOT / "fixtures/ir/every-node.json"]]
    for n, inputs in enumerate(jobs):
        api.convert(inputs, tmp_path / f"alone-{n}.pdf")
    errors: list[BaseException] = []

    def build(n: int) -> None:
        try:
            api.convert(jobs[n], tmp_path / f"together-{n}.pdf")
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=build, args=(n,)) for n in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    for n in range(len(jobs)):
        alone = (tmp_path / f"alone-{n}.pdf").read_bytes()
        assert (tmp_path / f"together-{n}.pdf").read_bytes() == alone, jobs[n]


def test_two_styles_giving_one_family_other_files_each_get_their_own(tmp_path: Path) -> None:
    from pypdf import PdfReader

    if not Path(FONT).exists():
        pytest.skip("DejaVu fonts are not installed (make system-deps)")
    fonts_seen = []
    for n, file in enumerate(["DejaVuSans.ttf", "DejaVuSansMono.ttf"]):
        style = tmp_path / f"style{n}.toml"
        style.write_text(
            textwrap.dedent(
                f"""
                extends = "base"
                [fonts]
                body_latin = "House Face"
                heading_latin = "House Face"
                [font_files."House Face"]
                regular = "{file}"
                """
            ),
            encoding="utf-8",
        )
        out = tmp_path / f"out{n}.pdf"
        api.convert([SEED], out, style=str(style))
        names = set()
        for page in PdfReader(out).pages:
            for font in page["/Resources"]["/Font"].values():
                names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
        fonts_seen.append(names)
    assert fonts_seen[0] == {"DejaVuSans"}
    assert fonts_seen[1] == {"DejaVuSansMono"}


def test_the_speed_switch_is_read_per_build(monkeypatch: pytest.MonkeyPatch) -> None:
    from convert.writers.pdf import _engine

    assert _engine.fast()
    monkeypatch.setenv("BRIEFKIT_PDF_FAST", "0")
    token = _engine.start_build()
    try:
        assert not _engine.fast()
    finally:
        _engine.end_build(token)
    assert _engine.fast()
    assert convert.__name__ == "convert"


def test_library_output_is_kept_by_the_thread_that_made_it() -> None:
    """A reader in one thread collects its libraries' messages; a warning another thread
    gives meanwhile (another build's "picture not fetched") stays that thread's."""
    import logging
    import warnings

    from convert.readers import library_output

    inside, done = threading.Event(), threading.Event()
    collected: list[object] = []

    def reader() -> None:
        with library_output.captured() as found:
            warnings.warn("from the reader's library", UserWarning, stacklevel=1)
            inside.set()
            done.wait(5)
        collected.extend(found)

    other_thread: list[warnings.WarningMessage] = []
    thread = threading.Thread(target=reader)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        thread.start()
        inside.wait(5)
        warnings.warn("from another build", UserWarning, stacklevel=1)
        logging.getLogger("elsewhere").warning("another build's log line")
        done.set()
        thread.join()
        other_thread.extend(caught)
    texts = [d.text for d in collected]  # type: ignore[attr-defined]
    assert texts == ["from the reader's library"]
    assert [str(w.message) for w in other_thread] == ["from another build"]


def test_what_libraries_say_during_a_read_becomes_dropped_entries(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Log records, warnings named by the package that gave them, stray stderr lines counted
    once each; deprecations are not the reader's business; another thread's stderr still
    reaches the terminal."""
    import logging
    import warnings

    from convert.readers import library_output

    stderr_before, showwarning_before = sys.stderr, warnings.showwarning
    with library_output.captured() as found:
        logging.getLogger("pypdf._reader").warning("Ignoring wrong pointing object %d", 7)
        warnings.warn_explicit("Invalid header", UserWarning,
                               "/usr/lib/python3/dist-packages/ebooklib/epub.py", 1)  # fmt: skip
        warnings.warn_explicit("old call", DeprecationWarning, "/x/site-packages/lxml/a.py", 2)
        for _ in range(2):
            print("damaged stream", file=sys.stderr)
        sys.stderr.flush()
        assert sys.stderr.encoding  # the terminal's own attributes still answer
        elsewhere = threading.Thread(target=lambda: print("from another thread", file=sys.stderr))
        elsewhere.start()
        elsewhere.join()
    assert [(d.text, d.reason) for d in found] == [
        ("Ignoring wrong pointing object 7", "message from pypdf, not an error"),
        ("Invalid header", "message from ebooklib, not an error"),
        ("damaged stream", "message from stderr (2 times), not an error"),
    ]
    assert (sys.stderr, warnings.showwarning) == (stderr_before, showwarning_before)
    assert capsys.readouterr().err == "from another thread\n"


def test_a_library_log_line_that_cannot_be_formatted_is_kept_as_written() -> None:
    """Python's own handler would print a "--- Logging error ---" traceback to stderr."""
    program = textwrap.dedent(
        """
        import logging
        from convert.readers import library_output
        with library_output.captured() as found:
            logging.getLogger("pdfminer.pdfpage").warning("bad object %d %d", 7)
        print([(d.text, d.reason) for d in found])
        """
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                            timeout=60, check=True)  # fmt: skip
    assert result.stderr == ""
    assert result.stdout.strip() == (
        "[('bad object %d %d', 'message from pdfminer, not an error')]"
    )
