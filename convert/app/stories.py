"""Same story, several sources: near-duplicate articles found and grouped.

A wire story reprinted by five outlets, each lightly edited (a new headline, a dateline, a
paragraph cut or added), is one story: the briefing prints the fullest telling once, with
"Also reported by" naming the others. Exact copies are caught earlier by
:func:`convert.app.briefing.fingerprint`; this module finds the edited ones.

How two bodies are compared (each choice measured on the labelled set of real page pairs in
``benchmarks/near_duplicates.py``; the figures are in ``docs/guide/editions.md``):

- **Shingles**: the body's text, NFKC-normalised and case-folded, cut into tokens — a word
  in spaced scripts, one character in Chinese, Japanese and Thai, which are written without
  spaces — and every run of :data:`SHINGLE` consecutive tokens hashed to 32 bits. A
  translation shares no shingles with its original, so it is never grouped with it.
- **Weights**: a shingle found in many articles of the population (the edition and the
  history it is compared with) is a site's template — a comments notice, a "related
  stories" box — rather than the story: each shingle weighs ``1 / (number of articles
  holding it)``. Unweighted, two different pages of one site that share a long notice
  look more alike than a wire story and its edited reprint.
- **Score**: the weight the two bodies share over the weight of the smaller body (weighted
  containment), so a reprint cut to half its length still scores high. Two articles are the
  same story at :data:`THRESHOLD` or above.
- **Candidates**: small populations are compared through an inverted index of shingles;
  from :data:`LSH_FROM` articles on, MinHash signatures and locality-sensitive hashing
  (``datasketch``) pick the pairs worth scoring, so ten thousand articles are grouped in
  seconds (``datasketch`` is imported only then: it costs most of a second to import).
- **Grouping**: the fullest article (most shingles) leads; each other article joins the
  lead it scores highest with, or leads a group of its own. Articles join a lead, never a
  chain of members, so two different stories are not merged through a third.

Articles with fewer than :data:`MIN_SHINGLES` shingles (a two-line brief) are never
grouped: a short text is "contained" in too many longer ones.
"""

from __future__ import annotations

import dataclasses
import json
import re
import unicodedata
import zlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from urllib.parse import urlsplit

import numpy as np

from ..model import ir
from ..model.ir_json import when_to_iso
from ..plan.layout import ALSO_REPORTED

SHINGLE = 5
"""Tokens per shingle."""
THRESHOLD = 0.4
"""Weighted containment from which two bodies are one story."""
MIN_SHINGLES = 20
"""Bodies with fewer shingles are never grouped."""
LSH_FROM = 400
"""Population size from which candidates come from MinHash LSH instead of an index."""
LSH_JACCARD = 0.15
"""The (unweighted) Jaccard similarity the LSH index is tuned to find: below every
same-story pair of the labelled set, so LSH loses none the exact index would find."""
NUM_PERM = 128
"""MinHash permutations."""

_TOKEN = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|\w+")


_MULTIPLIER = 0x01000193  # FNV's 32-bit prime: spreads each token's place in the shingle


def shingles(text: str) -> np.ndarray:
    """The hashed shingles of ``text`` (see the module's notes), sorted and distinct."""
    tokens = _TOKEN.findall(unicodedata.normalize("NFKC", text).casefold())
    if len(tokens) < SHINGLE:
        return np.zeros(0, dtype=np.uint32)
    hashed = np.fromiter(
        (zlib.crc32(t.encode("utf-8")) for t in tokens), dtype=np.uint64, count=len(tokens)
    )
    count = len(tokens) - SHINGLE + 1
    combined = np.zeros(count, dtype=np.uint64)
    for offset in range(SHINGLE):  # a polynomial hash of the window, modulo 2**32
        combined *= np.uint64(_MULTIPLIER)
        combined += hashed[offset : offset + count]
        combined &= np.uint64(0xFFFFFFFF)
    return np.unique(combined.astype(np.uint32))


def article_shingles(article: ir.Article) -> np.ndarray:
    """The shingles of an article's body (the title is not compared: reprints retitle)."""
    return shingles(ir.plain_text(article.blocks))


def pack(values: np.ndarray) -> bytes:
    """Shingles as bytes, for the edition database."""
    return values.astype("<u4").tobytes()


def unpack(data: bytes | None) -> np.ndarray:
    return np.frombuffer(data or b"", dtype="<u4").astype(np.uint32)


class Population:
    """Articles' shingles with the weights of the whole population."""

    def __init__(self, members: Sequence[np.ndarray]) -> None:
        self.members = members
        every = np.concatenate([*members, np.zeros(0, dtype=np.uint32)])
        _, where, holders = np.unique(every, return_inverse=True, return_counts=True)
        weights = (1.0 / holders)[where]
        ends = np.cumsum([len(m) for m in members])
        # Each member's shingles' weights, in the member's (sorted) order.
        self.shingle_weights = np.split(weights, ends[:-1]) if len(members) else []
        self.weights = [float(w.sum()) for w in self.shingle_weights]

    def score(self, a: int, b: int) -> float:
        """Weighted containment of the smaller body in the larger one (0 to 1)."""
        smaller = min(self.weights[a], self.weights[b])
        if not smaller:
            return 0.0
        mine, theirs = self.members[a], self.members[b]
        if not len(theirs):
            return 0.0
        # Both are sorted: where each of a's shingles would sit in b says whether b has it.
        places = np.minimum(np.searchsorted(theirs, mine), len(theirs) - 1)
        shared = theirs[places] == mine
        return float(self.shingle_weights[a][shared].sum()) / smaller

    def candidates(self) -> set[tuple[int, int]]:
        """Pairs (a < b) worth scoring."""
        usable = [i for i, m in enumerate(self.members) if len(m) >= MIN_SHINGLES]
        if len(usable) >= LSH_FROM:
            return _lsh_candidates(self.members, usable)
        return _index_candidates(self.members, usable)


def _index_candidates(members: Sequence[np.ndarray], usable: list[int]) -> set[tuple[int, int]]:
    postings: defaultdict[int, list[int]] = defaultdict(list)
    for index in usable:
        for value in members[index].tolist():
            postings[value].append(index)
    shared: Counter[tuple[int, int]] = Counter()
    for holders in postings.values():
        if len(holders) > 1:
            for i, a in enumerate(holders):
                for b in holders[i + 1 :]:
                    shared[(a, b)] += 1
    # A pair needs a few shingles in common to be worth a look; the score decides.
    return {pair for pair, count in shared.items() if count >= 3}


def _lsh_candidates(members: Sequence[np.ndarray], usable: list[int]) -> set[tuple[int, int]]:
    from datasketch import LeanMinHash, MinHash, MinHashLSH  # type: ignore[import-untyped]

    lsh = MinHashLSH(threshold=LSH_JACCARD, num_perm=NUM_PERM)
    signatures: dict[int, LeanMinHash] = {}
    # One set of permutations for every signature (made once: it is most of a MinHash's cost).
    permutations = MinHash(num_perm=NUM_PERM, seed=1, scheme="affine32").permutations
    for index in usable:
        # The shingles are hashed already: datasketch takes them as they are.
        signature = MinHash(
            num_perm=NUM_PERM, hashfunc=int, permutations=permutations, scheme="affine32"
        )
        signature.update_batch(members[index].tolist())
        signatures[index] = LeanMinHash(signature)
        lsh.insert(index, signatures[index])
    pairs: set[tuple[int, int]] = set()
    for index in usable:
        for other in lsh.query(signatures[index]):
            if other != index:
                pairs.add((min(index, other), max(index, other)))
    return pairs


def source_name(article: ir.Article, where: str) -> str:
    """How "Also reported by" names an article's source: its source or site, else the web
    address's host, else where it was read from."""
    meta = article.meta
    if meta.source or meta.site:
        return meta.source or meta.site or ""
    host = urlsplit(meta.url or "").hostname
    return host.removeprefix("www.") if host else where


def with_others(lead: ir.Article, others: Sequence[tuple[ir.Article, str]]) -> ir.Article:
    """``lead`` naming ``others`` (article, where it was read from) as other sources of its
    story: ``extra[ALSO_REPORTED]`` for every format, and each other in ``dropped``."""
    earlier = dict(lead.meta.extra).get(ALSO_REPORTED)
    listed = json.loads(earlier) if earlier else []
    dropped = list(lead.dropped)
    for article, where in others:
        meta = article.meta
        name = source_name(article, where)
        listed.append({
            "source": name,
            "published": when_to_iso(meta.published),
            "title": meta.title or "",
            "url": meta.url or "",
        })  # fmt: skip
        dropped.append(
            ir.Dropped(
                f"{where}: {meta.title or ''}".rstrip(": "),
                f"the same story as this article, reported by {name}; printed once",
            )
        )
    value = json.dumps(listed, ensure_ascii=False, sort_keys=True)
    extra = (*((k, v) for k, v in lead.meta.extra if k != ALSO_REPORTED), (ALSO_REPORTED, value))
    meta = dataclasses.replace(lead.meta, extra=extra)
    return dataclasses.replace(lead, meta=meta, dropped=tuple(dropped))


def group(members: Sequence[np.ndarray], threshold: float = THRESHOLD) -> dict[int, int]:
    """Member -> its lead, for every member that is the same story as a fuller one.

    ``members`` are shingle sets (:func:`article_shingles`); members absent from the
    answer lead their own story.
    """
    population = Population(members)
    scores: defaultdict[int, dict[int, float]] = defaultdict(dict)
    for a, b in population.candidates():
        score = population.score(a, b)
        if score >= threshold:
            scores[a][b] = scores[b][a] = score
    lead_of: dict[int, int] = {}
    leads: set[int] = set()
    # Fullest first; among equals, the earlier in the briefing.
    for index in sorted(scores, key=lambda i: (-len(members[i]), i)):
        matches = [(score, -lead) for lead, score in scores[index].items() if lead in leads]
        if matches:
            lead_of[index] = -max(matches)[1]
        else:
            leads.add(index)
    return lead_of


def earlier_matches(
    current: Sequence[np.ndarray],
    earlier: Sequence[np.ndarray],
    threshold: float = THRESHOLD,
) -> dict[int, tuple[int, float]]:
    """Current member -> (the earlier member it is the same story as, score): the best
    match among ``earlier`` (articles printed in earlier editions)."""
    population = Population([*current, *earlier])
    offset = len(current)
    best: dict[int, tuple[int, float]] = {}
    for a, b in population.candidates():
        if a >= offset or b < offset:  # both current (grouped already) or both earlier
            continue
        score = population.score(a, b)
        if score >= threshold and score > best.get(a, (0, 0.0))[1]:
            best[a] = (b - offset, score)
    return best
