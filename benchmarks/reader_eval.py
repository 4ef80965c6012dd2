"""Score the ``html`` reader per field on the real-article corpus, beside plain trafilatura.

Run: ``python benchmarks/reader_eval.py [CORPUS_DIR]`` (default ``../shared/corpus``). It
prints, per field and per language, the mean score of briefkit's reader and of trafilatura's
``bare_extraction`` on the same pages. Scoring follows the corpus's SOURCES.md:

- title: exact after normalisation (NFKC, whitespace, quotes and dashes unified), also
  accepted with a trailing " - Site" / " | Site" suffix removed from either side;
- date: the same calendar day;
- authors: token-set F1 against the labelled author(s), with precision and recall apart;
  briefkit is scored on authors plus editors (Chinese labels are often the editor in charge).
  ``authors_on_page`` is the same F1 over the cases whose label appears somewhere in the
  page's visible text (some saved pages are cut before the byline the label was taken from);
  the per-page misses are printed, so a regression shows where it happened;
- body: recall of ``body_contains`` and, separately, the share of ``body_not_contains``
  phrases that are absent.

Missing or suspect labels are skipped. ``tests/test_reader_eval.py`` runs :func:`evaluate`
and fails when a score falls below ``benchmarks/reader_scores.json``.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
import warnings
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
FIELDS = (
    "title", "date", "authors", "authors_precision", "authors_recall", "authors_on_page",
    "body_recall", "body_precision",
)  # fmt: skip


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    text = re.sub(r"[\u2018\u2019\u201a\u201b\u2032`´]", "'", text)
    text = re.sub(r"[\u201c\u201d\u201e\u201f\u2033«»]", '"', text)
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    return re.sub(r"\s+", " ", text).strip().lower()


def _without_suffix(title: str) -> str:
    return re.split(r"\s+[-|–—:]\s+(?=[^-|–—:]*$)", title)[0].strip()


def score_title(expected: str, predicted: str | None) -> float:
    e, p = normalise(expected), normalise(predicted or "")
    return float(
        e == p
        or _without_suffix(e) == p
        or e == _without_suffix(p)
        or _without_suffix(e) == _without_suffix(p)
    )


def tokens(names: str | list[str]) -> set[str]:
    text = " ".join(names) if isinstance(names, list) else names
    parts = re.split(r"[,;/、，]|\band\b|\s+", normalise(text))
    return {p for p in parts if p and p not in ("by", "von", "par", "and", "und", "et")}


def author_scores(expected: str | list[str], predicted: list[str]) -> tuple[float, float, float]:
    """(F1, precision, recall) of the name tokens; precision is NaN when nothing was found."""
    e, p = tokens(expected), tokens(predicted)
    if not e:
        return float("nan"), float("nan"), float("nan")
    if not p:
        return 0.0, float("nan"), 0.0
    hit = len(e & p)
    precision, recall = hit / len(p), hit / len(e)
    if not hit:
        return 0.0, precision, recall
    return 2 * precision * recall / (precision + recall), precision, recall


def _visible_text(path: Path) -> str:
    """The page's text without scripts and styles, for "is the label on the page at all"."""
    from lxml import html

    sys.path.insert(0, str(ROOT))
    from convert.readers._decode import decode_text, xml_safe

    document = html.fromstring(
        xml_safe(decode_text(path.read_bytes())).encode("utf-8"),
        parser=html.HTMLParser(encoding="utf-8"),
    )
    for bad in document.xpath("//script|//style"):
        bad.drop_tree()
    return normalise(document.text_content())


def _body_scores(expected: dict[str, Any], body: str) -> tuple[float, float]:
    text = normalise(body)
    must = [normalise(s) for s in expected.get("body_contains") or [] if s.strip()]
    must_not = [normalise(s) for s in expected.get("body_not_contains") or [] if s.strip()]
    recall = sum(m in text for m in must) / len(must) if must else float("nan")
    precision = sum(m not in text for m in must_not) / len(must_not) if must_not else float("nan")
    return recall, precision


def _ours(path: Path) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    import convert
    from convert.model import ir

    article = convert.read(path, format="html")[0]
    meta = article.meta
    date = meta.published.isoformat()[:10] if meta.published else ""
    return {
        "title": meta.title,
        "date": date,
        "authors": list(meta.authors) + list(meta.editors),
        # what the printed article shows: the summary under the head (a standfirst the page
        # repeats as the first paragraph is printed there, once), then the body
        "body": "\n".join(filter(None, (meta.summary, ir.plain_text(article.blocks)))),
        "source": meta.source,
        "editors": list(meta.editors),
    }


def _trafilatura(path: Path) -> dict[str, Any]:
    import trafilatura

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        document = trafilatura.bare_extraction(
            path.read_bytes(), with_metadata=True, output_format="python"
        )
    if document is None:
        return {"title": None, "date": "", "authors": [], "body": ""}
    author = document.author or ""
    return {
        "title": document.title,
        "date": (document.date or "")[:10],
        "authors": [a.strip() for a in re.split(r"[;,]", author) if a.strip()],
        "body": document.text or "",
    }


def evaluate(corpus: Path = DEFAULT_CORPUS) -> dict[str, Any]:
    """Per-field, per-language mean scores: {"ours"|"trafilatura": {field: {lang|"all": x}}}."""
    manifest = json.loads((corpus / "manifest.json").read_text("utf-8"))
    sums: dict[str, dict[str, dict[str, list[float]]]] = {
        tool: defaultdict(lambda: defaultdict(list)) for tool in ("ours", "trafilatura")
    }
    cases = []
    misses: list[str] = []
    for case in manifest["cases"]:
        truth = json.loads((corpus / case["ground_truth"]).read_text("utf-8"))
        expected = truth["expected"]
        suspect = set(truth.get("suspect_fields") or [])
        path = corpus / case["input"]
        lang = case.get("language") or "?"
        results = {"ours": _ours(path), "trafilatura": _trafilatura(path)}
        cases.append({"id": case["id"], "lang": lang, "ours": results["ours"]})
        for tool, got in results.items():
            scores: dict[str, float] = {}
            if expected.get("title") and "title" not in suspect:
                scores["title"] = score_title(expected["title"], got["title"])
            if expected.get("date") and "date" not in suspect:
                scores["date"] = float(got["date"] == expected["date"])
            labelled = expected.get("authors") or expected.get("author")
            if labelled and "author" not in suspect and "authors" not in suspect:
                f1, precision, recall = author_scores(labelled, got["authors"])
                scores["authors"], scores["authors_precision"] = f1, precision
                scores["authors_recall"] = recall
                # Some labels name people or agencies that appear nowhere on the page (the
                # saved copy is cut); this score leaves those out.
                page = _visible_text(path)
                if any(
                    re.search(rf"(?<!\w){re.escape(t)}(?!\w)", page)
                    or (not t.isascii() and t in page)
                    for t in tokens(labelled)
                    if len(t) > 1
                ):
                    scores["authors_on_page"] = f1
                if tool == "ours" and f1 < 1:
                    misses.append(
                        f"{case['id']}: authors {f1:.2f} (P {precision:.2f} R {recall:.2f}): "
                        f"labelled {labelled!r}, read {got['authors']!r}"
                    )
            scores["body_recall"], scores["body_precision"] = _body_scores(expected, got["body"])
            for field, value in scores.items():
                if value == value:  # not NaN
                    sums[tool][field][lang].append(value)
                    sums[tool][field]["all"].append(value)
    report: dict[str, Any] = {"cases": cases, "author_misses": misses}
    for tool, fields in sums.items():
        report[tool] = {
            field: {lang: round(sum(v) / len(v), 3) for lang, v in sorted(by_lang.items())}
            for field, by_lang in fields.items()
        }
    return report


def main() -> None:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_CORPUS
    report = evaluate(corpus)
    languages = [*sorted({lang for f in report["ours"].values() for lang in f} - {"all"}), "all"]
    print(f"{'field':<18}{'lang':<6}{'briefkit':>10}{'trafilatura':>13}")
    for field in FIELDS:
        for lang in languages:
            ours = report["ours"].get(field, {}).get(lang)
            theirs = report["trafilatura"].get(field, {}).get(lang)
            if ours is None and theirs is None:
                continue
            mark = "  <" if ours is not None and theirs is not None and ours < theirs else ""
            print(
                f"{field:<18}{lang:<6}{ours if ours is not None else '-':>10}{theirs if theirs is not None else '-':>13}{mark}"
            )
    print("\nAuthor misses (briefkit):")
    for line in report["author_misses"]:
        print(f"  {line}")
    zh = [c for c in report["cases"] if c["lang"] == "zh"]
    print(
        f"\nChinese pages: {len(zh)}; with source: {sum(bool(c['ours']['source']) for c in zh)}; "
        f"with editors: {sum(bool(c['ours']['editors']) for c in zh)}"
    )


if __name__ == "__main__":
    main()
