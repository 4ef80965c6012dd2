"""Tagged PDF (PDF/UA-1): the structure tree, artifacts, links, languages, the checkers."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import EVERY_NODE, FIXTURES, SEED, THREE, build, require_tool

pikepdf = pytest.importorskip("pikepdf")

PICTURES = FIXTURES / "pictures" / "article.md"
BRIEFING = FIXTURES / "briefing" / "briefing.toml"


def _pdfua(path: Path) -> dict[str, Any]:
    beside = Path(sys.executable).with_name("pdfua")  # installed with the test extra
    tool = str(beside) if beside.exists() else require_tool("pdfua")
    out = subprocess.run([tool, "check", "-f", "json", str(path)], capture_output=True, text=True)
    report: dict[str, Any] = json.loads(out.stdout)
    return report


def _struct_text(path: Path) -> str:
    tool = require_tool("pdfinfo")
    return subprocess.run(
        [tool, "-struct-text", str(path)], capture_output=True, text=True, check=True
    ).stdout


def _elements(pdf: Any) -> list[Any]:
    """Every structure element, in tree order (the reading order)."""
    found: list[Any] = []

    def walk(node: Any) -> None:
        kids = node.get("/K")
        if kids is None:
            return
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                found.append(kid)
                walk(kid)

    walk(pdf.Root.StructTreeRoot)
    return found


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("tagged")
    made = {
        "seed": build(folder, [SEED], "seed.pdf"),
        "three": build(folder, THREE, "three.pdf"),
        "rich": build(folder, [EVERY_NODE, PICTURES], "rich.pdf", "-M", "title=Rich"),
    }
    from click.testing import CliRunner

    from convert.app.cli import main

    result = CliRunner().invoke(main, ["build", str(BRIEFING), "-o", str(folder / "b"), "-q"])
    assert result.exit_code == 0, result.output
    made["briefing"] = folder / "b" / "morning-briefing.pdf"
    return made


@pytest.mark.slow
@pytest.mark.parametrize("name", ["seed", "three", "rich", "briefing"])
def test_pdfua_checker_finds_no_error_and_no_warning(documents: dict[str, Path], name: str) -> None:
    report = _pdfua(documents[name])
    assert report["summary"]["errors"] == 0 and report["summary"]["warnings"] == 0, report[
        "findings"
    ]
    assert report["summary"]["rules_run"] >= 12


@pytest.mark.parametrize("name", ["seed", "three", "rich", "briefing"])
def test_catalog_pages_and_xmp_say_tagged(documents: dict[str, Path], name: str) -> None:
    with pikepdf.open(documents[name]) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert str(pdf.Root.Lang)
        for page in pdf.pages:
            assert page.obj.Tabs == "/S"
            assert "/StructParents" in page.obj
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfuaid:part") == "1"
    check = subprocess.run(
        [require_tool("qpdf"), "--check", str(documents[name])], capture_output=True
    )
    assert check.returncode == 0, check.stdout


def test_seed_reads_in_order_without_page_furniture(documents: dict[str, Path]) -> None:
    text = _struct_text(documents["seed"])
    roles = [
        line.strip().split()[0] for line in text.splitlines() if not line.strip().startswith('"')
    ]
    assert roles[:3] == ["Document", "Sect", "P"] and "H1" in roles
    body = " ".join(
        line.strip().strip('"') for line in text.splitlines() if line.strip().startswith('"')
    )
    # Words stay apart where a line breaks (reportlab drops that space; the writer puts it
    # back): every sentence of the seed's first paragraph reads as printed.
    assert "promotion and optimization of business environment teleconference" in body
    assert "Secretary of the Provincial Party Committee and Director of the Standing" in body
    squashed = body.replace(" ", "")
    first = squashed.index("ChenYiqin")
    assert squashed.index("OnMarch19") > first  # the body after the title
    # The running header and the "page X of Y" footer are artifacts, not content.
    assert "page1of" not in squashed.lower() and "pageof" not in squashed.lower()
    pages = subprocess.run(
        [require_tool("pdftotext"), str(documents["seed"]), "-"], capture_output=True, text=True
    ).stdout
    assert "page 1 of" in pages  # the footer is printed, only not tagged


def test_the_structure_text_has_every_word_of_every_paragraph(
    documents: dict[str, Path],
) -> None:
    """What a screen reader gets: each body paragraph's words, none glued to the next
    line's (justified lines too, whose word spacing is reset after the line's end)."""
    import convert
    from convert.model import ir
    from convert.plan.typography import typeset_text

    text = _struct_text(documents["seed"])
    # An element's marked-content pieces (a paragraph split across pages has two) read as
    # one text, as a screen reader reads them: joined with nothing between them.
    pieces: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.strip().startswith('"'):
            pieces[-1].append(line.strip().strip('"'))
        elif pieces[-1]:
            pieces.append([])  # the next element starts
    body = " ".join("".join(group) for group in pieces if group)
    read = set(body.split())
    for block in convert.read(SEED)[0].blocks:
        if isinstance(block, ir.Paragraph):
            # the words as set (typographic marks), hyphenated ones whole
            shown = typeset_text(ir.plain_text(block.content), "en")
            missing = [w for w in shown.split() if w not in read]
            assert missing == [], missing[:10]
    for glued in ("mainleading", "understandthe", "citiesand", "betweenthe", "suchas"):
        assert glued not in body


def test_the_space_put_back_at_a_line_break_moves_no_line(documents: dict[str, Path]) -> None:
    bbox = subprocess.run(
        [
            require_tool("pdftotext"),
            "-bbox-layout",
            "-f",
            "1",
            "-l",
            "1",
            str(documents["seed"]),
            "-",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    starts = [float(x) for x in re.findall(r'<line xMin="([\d.]+)"', bbox)]
    margin = min(starts)
    # Left-aligned and justified lines all start at the margin (the space once sat at the
    # start of the next line and pushed it right by a space's width).
    left = [x for x in starts if x < margin + 20]
    assert len(left) > 20 and max(left) - margin < 0.5, sorted(set(left))


def test_article_in_another_language_carries_its_lang(documents: dict[str, Path]) -> None:
    with pikepdf.open(documents["three"]) as pdf:
        assert str(pdf.Root.Lang) == "en"
        sections = [e for e in _elements(pdf) if e.S == "/Sect" and "/Lang" in e]
        assert [str(e.Lang) for e in sections] == ["zh"]


def test_rich_briefing_structure(documents: dict[str, Path]) -> None:
    with pikepdf.open(documents["rich"]) as pdf:
        elements = _elements(pdf)
        roles = [str(e.S)[1:] for e in elements]
        for role in ("H1", "H2", "P", "BlockQuote", "L", "LI", "LBody", "Table", "TR", "TH",
                     "TD", "Figure", "Link", "TOC", "TOCI"):  # fmt: skip
            assert role in roles, role
        figures = [e for e in elements if e.S == "/Figure"]
        assert [str(f.Alt) for f in figures] == [
            "Fishing boats back at the quay at dawn",  # the lead picture, on the cover
            "Fishing boats back at the quay at dawn",
            "Cargo handled each week since January",
            "A crane on the east pier",
        ]
        headers = [e for e in elements if e.S == "/TH"]
        assert headers and all(h.A.Scope == "/Column" and h.A.O == "/Table" for h in headers)
        links = [e for e in elements if e.S == "/Link"]
        annotations = [a for page in pdf.pages for a in page.obj.get("/Annots", [])]
        assert len(links) == len(annotations) > 0
        for annotation in annotations:
            assert str(annotation.Contents).startswith("Link to")
            assert "/StructParent" in annotation
        # Every link element holds its annotation (OBJR) and the parent tree finds it back.
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        for annotation in annotations:
            link = tree[int(annotation.StructParent)]
            assert link.S == "/Link" and link.K.Obj.objgen == annotation.objgen


def test_every_mcid_is_in_the_parent_tree(documents: dict[str, Path]) -> None:
    import re

    with pikepdf.open(documents["rich"]) as pdf:
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        for page in pdf.pages:
            content = page.obj.Contents.read_bytes().decode("latin-1")
            mcids = [int(m) for m in re.findall(r"<</MCID (\d+)>> BDC", content)]
            assert mcids == list(range(len(mcids)))
            assert len(tree[int(page.obj.StructParents)]) == len(mcids)
            # Marked content opens and closes in pairs.
            opened = content.count(" BDC") + content.count(" BMC")
            assert opened == content.count("EMC")


def test_split_paragraph_is_one_element_and_repeated_headers_are_artifacts(tmp_path: Path) -> None:
    rows = "\n".join(f"| row {n} | value {n} |" for n in range(90))
    long = " ".join(f"Sentence {n} of a paragraph long enough to cross a page." for n in range(90))
    page = tmp_path / "long.md"
    page.write_text(f"# Long\n\n{long}\n\n| Name | Value |\n|---|---|\n{rows}\n")
    out = build(tmp_path, [page], "long.pdf")
    assert _pdfua(out)["summary"]["errors"] == 0
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages) >= 3
        elements = _elements(pdf)
        paragraphs = [e for e in elements if e.S == "/P" and isinstance(e.K, pikepdf.Array)
                      and any(isinstance(k, pikepdf.Dictionary) for k in e.K)]  # fmt: skip
        assert paragraphs, "the long paragraph has content on two pages (an MCR kid)"
        headers = [e for e in elements if e.S == "/TH"]
        assert len(headers) == 2
        for header in headers:  # drawn once as content; the repeats are artifacts
            assert isinstance(header.K, int)
        table_pages = {
            int(pdf.pages.index(pikepdf.Page(e.Pg)))
            for e in elements
            if e.S == "/TD" and "/Pg" in e
        }
        assert len(table_pages) >= 2
        later = pdf.pages[max(table_pages)].obj.Contents.read_bytes()
        assert b"/Artifact <</Type /Pagination>> BDC" in later


def test_tagged_pdf_rebuilds_byte_identically(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = build(tmp_path, [EVERY_NODE, PICTURES], "1.pdf")
    second = build(tmp_path, [EVERY_NODE, PICTURES], "2.pdf")
    assert first.read_bytes() == second.read_bytes()


def test_tags_do_not_change_the_extracted_text(documents: dict[str, Path], tmp_path: Path) -> None:
    """pdftotext reads the same text with and without the marked content operators."""
    untagged = tmp_path / "untagged.pdf"
    with pikepdf.open(documents["rich"]) as pdf:
        for page in pdf.pages:
            kept = [
                (operands, operator)
                for operands, operator in pikepdf.parse_content_stream(page)
                if str(operator) not in ("BDC", "BMC", "EMC")
            ]
            page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(kept))
        del pdf.Root.StructTreeRoot
        pdf.save(untagged)
    tool = require_tool("pdftotext")
    for options in ([], ["-layout"]):
        texts = [
            subprocess.run([tool, *options, str(p), "-"], capture_output=True, text=True).stdout
            for p in (documents["rich"], untagged)
        ]
        assert "The quay at dawn" in texts[0]
        assert texts[0] == texts[1]
