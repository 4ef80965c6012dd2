"""Same-story grouping measured on real pages: precision, recall, the threshold, and speed.

The labelled set (``near_duplicates/labels.tsv``) comes from 2,368 real pages nobody on this
project wrote: the HTML test pages of trafilatura (``tests/eval`` and ``tests/cache`` of
adbar/trafilatura @ e90b0ef, Apache-2.0) read by briefkit's own HTML reader, and the
hand-cleaned texts of the Dragnet set (seomoz/dragnet_data, ``dragnet_Corrected.tar.gz``,
AGPL-3.0, collected from news sites and blogs in 2012). Every pair of pages sharing at least
3 % of their 5-word shingles (or 15 % of the smaller page's) was read and labelled by hand:
``same`` (one text is the other lightly edited, or both are the same wire or press copy),
``different`` (different stories, including the same event written up twice, and pages of
one site sharing a template), or ``unclear`` (left out of the scores). Pairs below that
overlap are counted as different. The texts are not copied into this repository (Dragnet's
licence); give the two folders:

    git clone https://github.com/adbar/trafilatura && git -C trafilatura checkout e90b0ef
    git clone https://github.com/seomoz/dragnet_data && tar -xzf dragnet_data/dragnet_Corrected.tar.gz
    .venv/bin/python benchmarks/near_duplicates.py trafilatura/tests Corrected [--speed 10000]

It prints precision and recall at thresholds around the chosen one (``THRESHOLD`` in
``convert/app/stories.py``), and with ``--speed N`` the time to group N articles (the real
bodies, repeated with one paragraph dropped and every 40th word changed per copy).
"""

from __future__ import annotations

import argparse
import gzip
import random
import sys
import time
from pathlib import Path

from _harness import ROOT

sys.path.insert(0, str(ROOT))

LABELS = Path(__file__).resolve().parent / "near_duplicates" / "labels.tsv"


def bodies(trafilatura_tests: Path, dragnet: Path) -> dict[str, str]:
    """Page name (as in the labels) -> its body text."""
    import convert
    from convert.model import ir
    from convert.model.errors import BriefkitError

    texts: dict[str, str] = {}
    for folder in ("eval", "cache"):
        for path in sorted((trafilatura_tests / folder).iterdir()):
            data = path.read_bytes()
            if path.suffix == ".gz":
                data = gzip.decompress(data)
            try:
                articles = convert.read(data, "html", images="none")
            except BriefkitError:
                continue
            texts[f"{folder}/{path.name}"] = " ".join(ir.plain_text(a.blocks) for a in articles)
    for path in sorted(dragnet.glob("*.txt")):
        texts[f"dragnet/{path.name}"] = path.read_text(encoding="utf-8", errors="replace")
    return texts


def labelled() -> tuple[set[frozenset[str]], set[frozenset[str]]]:
    same, unclear = set(), set()
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        first, second, label = line.split("\t")[:3]
        if label == "same":
            same.add(frozenset((first, second)))
        elif label == "unclear":
            unclear.add(frozenset((first, second)))
    return same, unclear


def scores(names: list[str], texts: dict[str, str]) -> dict[frozenset[str], float]:
    from convert.app import stories

    members = [stories.shingles(texts[n]) for n in names]
    population = stories.Population(members)
    return {
        frozenset((names[a], names[b])): population.score(a, b) for a, b in population.candidates()
    }


def quality(texts: dict[str, str]) -> None:
    from convert.app import stories

    names = sorted(texts)
    same, unclear = labelled()
    missing = {n for pair in same for n in pair} - set(names)
    if missing:
        print(f"pages not read: {sorted(missing)}")
    scored = scores(names, texts)
    print(f"{len(names)} pages, {len(same)} same-story pairs, {len(unclear)} unclear")
    print(f"{'threshold':>9} {'precision':>9} {'recall':>7} {'false +':>7} {'missed':>6}")
    for threshold in (0.3, 0.34, 0.38, stories.THRESHOLD, 0.42, 0.46, 0.5, 0.6):
        predicted = {p for p, s in scored.items() if s >= threshold and p not in unclear}
        hits = len(predicted & same)
        precision = hits / len(predicted) if predicted else 1.0
        recall = hits / len(same)
        mark = "  <- THRESHOLD" if threshold == stories.THRESHOLD else ""
        print(
            f"{threshold:9.2f} {precision:9.3f} {recall:7.3f} {len(predicted) - hits:7d} "
            f"{len(same - predicted):6d}{mark}"
        )
    # What group() itself does (lead and members), at the threshold.
    lead_of = stories.group([stories.shingles(texts[n]) for n in names])
    grouped = {frozenset((names[m], names[lead])) for m, lead in lead_of.items()}
    grouped -= unclear
    hits = len(grouped & same)
    print(
        f"group(): {len(grouped)} pairs grouped, precision {hits / max(1, len(grouped)):.3f}, "
        f"recall {hits / len(same):.3f}"
    )
    for pair in sorted(same - grouped, key=sorted):
        a, b = sorted(pair)
        print(f"  missed: {a} + {b} (score {scored.get(pair, 0.0):.2f})")
    for pair in sorted(grouped - same, key=sorted):
        a, b = sorted(pair)
        print(f"  wrongly grouped: {a} + {b} (score {scored.get(pair, 0.0):.2f})")


def speed(texts: dict[str, str], count: int) -> None:
    from convert.app import stories

    rng = random.Random(7)
    pool = [t for t in texts.values() if len(t) > 400]
    made: list[str] = []
    while len(made) < count:
        text = pool[len(made) % len(pool)]
        paragraphs = text.split("\n")
        if len(paragraphs) > 2:
            paragraphs.pop(rng.randrange(len(paragraphs)))
        words = " ".join(paragraphs).split()
        for i in range(rng.randrange(40), len(words), 40):
            words[i] = f"w{rng.randrange(10**6)}"
        made.append(" ".join(words))
    start = time.perf_counter()
    members = [stories.shingles(t) for t in made]
    shingled = time.perf_counter()
    lead_of = stories.group(members)
    done = time.perf_counter()
    print(
        f"{count} articles: shingles {shingled - start:.1f} s, grouping {done - shingled:.1f} s, "
        f"total {done - start:.1f} s; {len(lead_of)} grouped under {len(set(lead_of.values()))} "
        "leads"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Same-story grouping on real pages.")
    parser.add_argument("trafilatura_tests", type=Path)
    parser.add_argument("dragnet_corrected", type=Path)
    parser.add_argument("--speed", type=int, metavar="N", help="also time grouping N articles")
    options = parser.parse_args()
    texts = bodies(options.trafilatura_tests, options.dragnet_corrected)
    quality(texts)
    if options.speed:
        speed(texts, options.speed)


if __name__ == "__main__":
    main()
