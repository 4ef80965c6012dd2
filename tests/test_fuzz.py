"""Seeded fuzzing: damaged input fails closed, in bounded time, with one clear line.

Mutants of the fixtures, the shared real-world documents and briefkit's own DOCX, PDF and
EPUB outputs (byte flips, truncation, corrupted ZIP members and XML, broken PDF
cross-reference tables, wrong JSON types, deep nesting, control characters, 1 MB lines) go
through ``briefkit inspect``. Each must end in success or in exactly one ``briefkit: error:``
line naming the file: never an internal error, never a library's raw output, never more than
10 seconds. ``BRIEFKIT_FUZZ_SEED`` and ``BRIEFKIT_FUZZ_COUNT`` change the run.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import signal
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from convert.app.cli import main

from .conftest import FIXTURES, SHARED, THREE, build

SEED = int(os.environ.get("BRIEFKIT_FUZZ_SEED", "20261125"))
COUNT = int(os.environ.get("BRIEFKIT_FUZZ_COUNT", "100"))  # mutants per mutation kind
LIMIT_SECONDS = 10
MAX_BASE_BYTES = 400_000


def _bases(tmp: Path) -> list[Path]:
    found = [
        p
        for folder in (FIXTURES, SHARED / "realworld" / "files")
        if folder.is_dir()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.stat().st_size <= MAX_BASE_BYTES and p.suffix != ".toml"
    ]
    found += [build(tmp, THREE, f"ours.{fmt}") for fmt in ("docx", "pdf", "epub")]
    return found


# --------------------------------------------------------------------------- mutations


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(max(1, len(data)))]


def control_characters(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 30)):
        out.insert(rng.randrange(len(out) + 1), rng.choice([0, 1, 7, 8, 11, 12, 27, 31, 127]))
    return bytes(out)


def long_line(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) + 1)
    filler = rng.choice([b"x", b"word ", "汉".encode(), b"<b>"]) * (1_000_000 // 4)
    return data[:at] + filler[:1_000_000] + data[at:]


def deep_nesting(data: bytes, rng: random.Random) -> bytes:
    depth = rng.choice([1_000, 20_000, 100_000])
    opener, closer = rng.choice(
        [(b"> ", b""), (b"- ", b""), (b"[", b"]"), (b"<div>", b"</div>"), (b"{\"a\":", b"}"),
         (b"<blockquote>", b"</blockquote>"), (b"**", b"**")]
    )  # fmt: skip
    at = rng.randrange(len(data) + 1)
    return data[:at] + opener * depth + b"x" + closer * depth + data[at:]


def zip_member(data: bytes, rng: random.Random) -> bytes:
    """Corrupt one member of a ZIP (DOCX, EPUB): its bytes, its XML, or its local header."""
    try:
        source = zipfile.ZipFile(io.BytesIO(data))
        infos = source.infolist()
    except zipfile.BadZipFile:
        return flip_bytes(data, rng)
    if not infos:
        return data
    victim = rng.choice(infos)
    how = rng.choice(["garbage", "truncate", "xml", "header"])
    if how == "header":  # bad magic number for the member's local file header
        out = bytearray(data)
        offset = victim.header_offset
        out[offset : offset + 4] = b"XXXX"
        return bytes(out)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in infos:
            content = source.read(info.filename)
            if info is victim:
                if how == "garbage":
                    content = flip_bytes(content, rng)
                elif how == "truncate":
                    content = truncate(content, rng)
                else:
                    content = re.sub(
                        rb"<(/?)([A-Za-z:]+)", lambda m: b"<" + m[1] + m[2][::-1], content, count=3
                    )
                    content += b"<unclosed" + b"&undefined;" + b"\xff\xfe"
            target.writestr(info, content)
    return buffer.getvalue()


def pdf_xref(data: bytes, rng: random.Random) -> bytes:
    how = rng.choice(["startxref", "xref", "objects", "trailer"])
    if how == "startxref":
        return re.sub(
            rb"startxref\s+\d+", b"startxref\n" + str(rng.randrange(10**9)).encode(), data
        )
    if how == "xref":
        return re.sub(rb"xref\s+\d+ \d+", b"xref\n0 999999999", data, count=1)
    if how == "objects":
        return re.sub(rb"\d+ 0 obj", lambda m: b"%d 0 obj" % rng.randrange(10**6), data)
    return re.sub(rb"/Root \d+ 0 R", b"/Root 999 0 R", data)


def json_types(data: bytes, rng: random.Random) -> bytes:
    try:
        value = json.loads(data)
    except ValueError:
        return flip_bytes(data, rng)
    replacements: list[Any] = [None, 7, -1, 1e308, "text", [], {}, True, [[[]]], {"type": 5}]

    def mutate(node: Any) -> Any:
        if rng.random() < 0.08:
            return rng.choice(replacements)
        if isinstance(node, dict):
            return {k: mutate(v) for k, v in node.items()}
        if isinstance(node, list):
            return [mutate(v) for v in node]
        return node

    return json.dumps(mutate(value)).encode()


def huge_number(data: bytes, rng: random.Random) -> bytes:
    """A number longer than Python's 4,300-digit limit for int(), in JSON or YAML."""
    digits = b"9" * rng.choice([4_301, 5_000, 100_000])
    if data.lstrip().startswith(b"---"):  # YAML front matter
        return data.replace(b"---\n", b"---\nweight: " + digits + b"\n", 1)
    replaced = re.sub(
        rb"(?<=[:\[,]) ?-?\d+(?=[,\]}\s])", b" " + digits, data, count=rng.randint(1, 3)
    )
    return replaced if replaced != data else data + digits


def impossible_date(data: bytes, rng: random.Random) -> bytes:
    """A date that does not exist (month 13, day 32, February 30) in YAML front matter."""
    day = rng.choice([b"2021-13-01", b"2021-02-30", b"2021-01-32", b"0000-00-00"])
    if data.lstrip().startswith(b"---"):
        return re.sub(rb"(?m)^(date|published|updated): .*$", b"date: " + day, data, count=1)
    return b"---\ntitle: T\ndate: " + day + b"\n---\n\n" + data


MUTATIONS: dict[str, tuple[Callable[[bytes, random.Random], bytes], tuple[str, ...]]] = {
    "flip_bytes": (flip_bytes, ()),
    "truncate": (truncate, ()),
    "control_characters": (control_characters, ()),
    "long_line": (long_line, (".txt", ".md", ".html", ".json", ".rss", ".htm")),
    "deep_nesting": (deep_nesting, (".txt", ".md", ".html", ".json", ".rss")),
    "zip_member": (zip_member, (".docx", ".epub")),
    "pdf_xref": (pdf_xref, (".pdf",)),
    "json_types": (json_types, (".json",)),
    "huge_number": (huge_number, (".json", ".md")),
    "impossible_date": (impossible_date, (".md",)),
}


class _TooSlow(BaseException):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _TooSlow


def _invoke(runner: CliRunner, arguments: list[str], seconds: int) -> Any:
    """The CLI's result for ``arguments``, or what went wrong: over ``seconds`` (SIGALRM,
    whose handler the caller installed), or an exception out of the CLI."""
    signal.alarm(seconds)
    try:
        return runner.invoke(main, arguments, catch_exceptions=False)
    except _TooSlow:
        return f"took over {seconds} s"
    except BaseException as exc:
        return f"escaped the CLI: {type(exc).__name__}: {exc}"[:300]
    finally:
        signal.alarm(0)


def _mutants(kind: str, tmp: Path) -> Iterator[tuple[str, Path]]:
    mutate, suffixes = MUTATIONS[kind]
    bases = [p for p in _bases(tmp) if not suffixes or p.suffix in suffixes]
    rng = random.Random(f"{SEED}-{kind}")
    for number in range(COUNT):
        base = rng.choice(bases)
        path = tmp / f"{kind}-{number}{''.join(base.suffixes[-1:])}"
        path.write_bytes(mutate(base.read_bytes(), rng))
        yield f"{kind} #{number} of {base.name}", path


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(MUTATIONS))
def test_damaged_input_fails_closed(kind: str, tmp_path: Path) -> None:
    runner = CliRunner()
    problems = []
    previous = signal.signal(signal.SIGALRM, _alarm)
    try:
        for label, path in _mutants(kind, tmp_path):
            start = time.monotonic()
            result = _invoke(runner, ["inspect", str(path)], LIMIT_SECONDS)
            if isinstance(result, str):
                problems.append(f"{label}: {result}")
                continue
            lines = result.stderr.splitlines()
            noise = [line for line in lines if not line.startswith("briefkit: ")]
            if noise:
                problems.append(f"{label}: raw output on stderr: {noise[:2]}")
            elif "internal error" in result.stderr:
                problems.append(f"{label}: {lines[0][:300]}")
            elif result.exit_code not in (0, 1):
                problems.append(f"{label}: exit code {result.exit_code}")
            elif result.exit_code == 1 and (
                len(errors := [x for x in lines if not x.startswith("briefkit: warning:")]) != 1
                or not errors[0].startswith(f"briefkit: error: {path}")
            ):
                # (Warnings before the error are the user's too: a picture beside the file
                # that could not be had, say.)
                problems.append(f"{label}: not one error line naming the file: {lines[:3]}")
            elapsed = time.monotonic() - start
            if elapsed > LIMIT_SECONDS:
                problems.append(f"{label}: took {elapsed:.1f} s")
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert not problems, f"{len(problems)} of {COUNT} mutants failed:\n" + "\n".join(problems)


# --------------------------------------------------------------------------- writing

WRITE_MUTATIONS = ("long_line", "deep_nesting", "huge_number", "impossible_date")
"""Mutation kinds whose mutants are also written to PDF: a huge line or word, deep lists,
and what used to stop only there."""
WRITE_COUNT = max(1, COUNT // 10)
SECONDS_PER_MB = 2.0
SMALL_INPUT_SECONDS = 6.0
"""The budget of an input under 3 MB: start-up, and deep structure laid out once."""


@pytest.mark.slow
@pytest.mark.parametrize("kind", WRITE_MUTATIONS)
def test_damaged_input_is_written_in_time_proportional_to_its_size(
    kind: str, tmp_path: Path
) -> None:
    """``briefkit convert`` to PDF ends in a document or one error line, within
    :data:`SECONDS_PER_MB` a megabyte of input (:data:`SMALL_INPUT_SECONDS` for smaller ones)."""
    runner = CliRunner()
    problems = []
    previous = signal.signal(signal.SIGALRM, _alarm)
    try:
        for number, (label, path) in enumerate(_mutants(kind, tmp_path)):
            if number >= WRITE_COUNT:
                break
            budget = max(SMALL_INPUT_SECONDS, SECONDS_PER_MB * path.stat().st_size / 1e6)
            start = time.monotonic()
            arguments = ["convert", "-q", str(path), "-o", str(tmp_path / "out.pdf")]
            result = _invoke(runner, arguments, int(max(LIMIT_SECONDS, budget)) + 1)
            if isinstance(result, str):
                problems.append(f"{label}: {result}")
                continue
            elapsed = time.monotonic() - start
            lines = [
                x for x in result.stderr.splitlines() if not x.startswith("briefkit: warning:")
            ]
            if "internal error" in result.stderr or result.exit_code not in (0, 1):
                problems.append(f"{label}: {lines[:2]}")
            elif result.exit_code == 1 and len(lines) != 1:
                problems.append(f"{label}: not one error line: {lines[:3]}")
            elif elapsed > budget:
                problems.append(f"{label}: {elapsed:.1f} s for {path.stat().st_size} bytes")
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert not problems, "\n".join(problems)
