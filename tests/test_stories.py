"""One story from several sources printed once: real reprints grouped, real same-event
write-ups and translations kept apart, "Also reported by" in every format."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

import convert
from convert.app import stories
from convert.model import ir

from .conftest import FIXTURES, libreoffice_pdf, normalise_space, pdf_text
from .test_epub import CLEAN, epubcheck

STORIES = FIXTURES / "stories"
REAL = (
    "djv-press-release", "djz-reprint",  # a press release and a magazine's reprint
    "efe-24horas", "cooperativa-edit",  # EFE wire copy and another outlet's edit
    "bvi-stlucia-times", "bvi-stkitts-observer",  # one event written up twice
)  # fmt: skip


def _article(name: str) -> ir.Article:
    return convert.read(STORIES / f"{name}.md")[0]


def _edited(article: ir.Article, drop: int, replace: tuple[str, str]) -> ir.Article:
    """The article as another outlet might run it: a paragraph cut, a phrase changed."""
    blocks = [b for i, b in enumerate(article.blocks) if i != drop]
    text = "\n\n".join(ir.plain_text((b,)) for b in blocks).replace(*replace)
    paragraphs = tuple(ir.Paragraph((ir.Text(p),)) for p in text.split("\n\n"))
    return dataclasses.replace(article, blocks=paragraphs)


def test_real_reprints_are_grouped_and_the_fuller_telling_leads() -> None:
    articles = [_article(name) for name in REAL]
    members = [stories.article_shingles(a) for a in articles]
    lead_of = stories.group(members)
    # the reprint (longer than the release) leads; EFE's copy is fuller than the edit
    assert lead_of == {0: 1, 3: 2}, lead_of
    population = stories.Population(members)
    assert population.score(4, 5) < 0.1  # the same arrest, two write-ups: different stories


def test_a_translation_is_not_the_same_story() -> None:
    english = convert.read(FIXTURES / "text" / "people-daily-guizhou-2021-03-20.txt")[0]
    chinese = convert.read(FIXTURES / "text" / "people-daily-zh.txt")[0]
    assert stories.group([stories.article_shingles(a) for a in (english, chinese)]) == {}


def test_chinese_wire_copy_lightly_edited_is_the_same_story() -> None:
    chinese = convert.read(FIXTURES / "text" / "people-daily-zh.txt")[0]
    reprint = _edited(chinese, drop=len(chinese.blocks) - 1, replace=("招商", "投资促进"))
    other = convert.read(FIXTURES / "text" / "xinhua-zh-gb18030.txt")[0]
    members = [stories.article_shingles(a) for a in (chinese, reprint, other)]
    assert len(members[0]) > 50  # characters, not spaces, make Chinese shingles
    assert stories.group(members) == {1: 0}


def test_lsh_finds_what_the_index_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Large populations take candidates from MinHash LSH: no same-story pair is lost."""
    articles = [_article(name) for name in REAL]
    articles += [
        _edited(a, drop=0, replace=(" the ", " a ")) for a in articles if len(a.blocks) > 2
    ]
    members = [stories.article_shingles(a) for a in articles]
    by_index = stories.group(members)
    monkeypatch.setattr(stories, "LSH_FROM", 2)
    by_lsh = stories.group(members)
    assert by_lsh == by_index and len(by_index) >= 6


def test_short_texts_are_never_grouped() -> None:
    brief = stories.shingles("Hunters' association shocked by the shooting in Heidelberg.")
    assert 0 < len(brief) < stories.MIN_SHINGLES
    full = stories.article_shingles(_article("djv-press-release"))
    assert stories.group([full, brief]) == {}


def test_shingles_round_trip_the_database_form() -> None:
    values = stories.article_shingles(_article("efe-24horas"))
    assert (stories.unpack(stories.pack(values)) == values).all()
    assert len(stories.unpack(None)) == 0


def _briefing(folder: Path, group: bool = True) -> Path:
    sources = ", ".join(f'"{STORIES / name}.md"' for name in REAL)
    manifest = folder / "briefing.toml"
    manifest.write_text(
        textwrap.dedent(
            f"""
            title = "Wire Watch"
            {"" if group else "group_stories = false"}
            [outputs]
            pdf = "wire.pdf"
            docx = "wire.docx"
            epub = "wire.epub"
            html = "wire.html"
            json = "wire.json"
            [[section]]
            title = "Abroad"
            sources = [{sources}]
            """
        ),
        encoding="utf-8",
    )
    return manifest


def _build(manifest: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "convert", "build", str(manifest)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_also_reported_by_in_every_format(tmp_path: Path) -> None:
    run = _build(_briefing(tmp_path))
    assert run.returncode == 0, run.stderr
    grouped = [line for line in run.stderr.splitlines() if "the same story as" in line]
    assert len(grouped) == 2 and all(line.startswith("briefkit: warning: ") for line in grouped)
    jagd = "Also reported by: Deutscher Jagdverband (25 January 2022)"
    boric = "Also reported by: Cooperativa.cl (4 May 2022)"
    # PDF: under the head and in the contents entry; the shorter tellings not printed
    text = normalise_space(pdf_text(tmp_path / "wire.pdf"))
    assert text.count(jagd) == 2 and text.count(boric) == 2, text[:3000]
    assert "Presidente Boric vuelve a su casa" not in text
    # DOCX, opened by LibreOffice
    docx_text = normalise_space(pdf_text(libreoffice_pdf([tmp_path / "wire.docx"], tmp_path)[0]))
    assert docx_text.count(jagd) == 2 and docx_text.count(boric) == 2
    # EPUB: valid, the line under the head (its contents is the reading system's navigation)
    assert epubcheck(tmp_path / "wire.epub") == CLEAN
    with zipfile.ZipFile(tmp_path / "wire.epub") as book:
        pages = " ".join(
            book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xhtml")
        )
    assert normalise_space(re.sub(r"<[^>]+>", " ", pages)).count(jagd) == 1
    html_text = normalise_space(
        re.sub(r"<[^>]+>", " ", (tmp_path / "wire.html").read_text("utf-8"))
    )
    assert html_text.count(jagd) == 2
    # JSON: the others recorded with the article printed, and the IR keeps who they were
    collection = convert.load(tmp_path / "wire.json")
    assert len(collection.articles) == 4
    lead = next(a for a in collection.articles if a.meta.source == "Deutsche Jagdzeitung")
    others = json.loads(dict(lead.meta.extra)[stories.ALSO_REPORTED])
    assert others == [
        {
            "published": "2022-01-25",
            "source": "Deutscher Jagdverband",
            "title": '"Wir sind tief erschüttert"',
            "url": "https://www.jagdverband.de/wir-sind-tief-erschuettert",
        }
    ]
    assert [d.reason for d in lead.dropped] == [
        "the same story as this article, reported by Deutscher Jagdverband; printed once"
    ]


def test_group_stories_false_prints_every_telling(tmp_path: Path) -> None:
    run = _build(_briefing(tmp_path, group=False))
    assert run.returncode == 0 and "the same story" not in run.stderr, run.stderr
    assert len(convert.load(tmp_path / "wire.json").articles) == 6


def test_a_hostile_also_reported_value_is_ignored() -> None:
    from convert.plan.layout import also_reported
    from convert.plan.words import words_for

    article = _article("djz-reprint")
    for value in ("not json", "{}", '[{"source": 3}]', '[{"source": "X", "published": "soon"}]'):
        meta = dataclasses.replace(article.meta, extra=((stories.ALSO_REPORTED, value),))
        shown = also_reported(dataclasses.replace(article, meta=meta), words_for("en"))
        assert shown in ("", "Also reported by: X")
