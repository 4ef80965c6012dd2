"""Language identification compared: briefkit's stop-word guesser, py3langid, lingua.

The labelled set is real text: the test sentences lingua ships for 75 languages
(``language-testdata/sentences`` of pemistahl/lingua-py, Apache-2.0; made from the Leipzig
Wortschatz corpora of news and web pages). For each language, 100 "paragraphs" (three
consecutive sentences, news-paragraph length) and 100 "titles" (a sentence's first six words;
the first 16 characters in scripts without spaces). Not copied here; give the folder:

    git clone https://github.com/pemistahl/lingua-py
    .venv/bin/pip install py3langid lingua-language-detector
    .venv/bin/python benchmarks/language_id.py lingua-py/language-testdata/sentences

Prints accuracy at both lengths, over all languages and over the close pairs, the time per
text and the memory each detector adds.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from _harness import ROOT

sys.path.insert(0, str(ROOT))

CLOSE = [
    ("uk", "ru", "be"), ("sr", "hr", "bs"), ("ms", "id"), ("da", "nb", "nn", "sv"),
    ("es", "ca", "pt"), ("cs", "sk"), ("hi", "mr"),
]  # fmt: skip
"""Groups of languages a stop-word list confuses."""
SAME = {"no": "nb", "zh-cn": "zh", "zh-tw": "zh"}


def _script(text: str) -> str:
    """The script most of ``text``'s letters are in (the first word of their Unicode name)."""
    names = Counter(
        unicodedata.name(c, "?").split()[0] for c in text if c.isalpha()
    )  # fmt: skip
    return names.most_common(1)[0][0] if names else "?"


def samples(folder: Path, per_language: int = 100) -> dict[str, tuple[list[str], list[str]]]:
    """Paragraphs and titles per language; lines not in the file's own script (the Urdu
    file opens with English headlines) are left out."""
    out = {}
    for path in sorted(folder.glob("*.txt")):
        lines = [x.strip() for x in path.read_text("utf-8").splitlines() if x.strip()]
        main_script = Counter(_script(line) for line in lines).most_common(1)[0][0]
        lines = [line for line in lines if _script(line) == main_script]
        paragraphs = [" ".join(lines[i : i + 3]) for i in range(0, 3 * per_language, 3)]
        titles = []
        for line in lines:
            words = line.split()
            title = " ".join(words[:6]) if len(words) >= 6 else line[:16]
            if _script(title) == main_script and len(titles) < per_language:
                titles.append(title)
        out[path.stem] = (paragraphs, titles)
    return out


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def detectors() -> dict[str, Callable[[str], str | None]]:
    from convert.model.language import guess_language
    from convert.readers._language import identify

    found: dict[str, Callable[[str], str | None]] = {"briefkit stop words (before)": guess_language}
    found["briefkit identify (now)"] = identify
    before = _rss_mb()
    import py3langid

    py3langid.classify("warm up the model")
    py3langid_mb = _rss_mb() - before
    found["py3langid"] = lambda text: py3langid.classify(text)[0]
    before = _rss_mb()
    from lingua import LanguageDetectorBuilder

    lingua = LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()
    lingua.detect_language_of("warm up the models")

    def lingua_code(text: str) -> str | None:
        language = lingua.detect_language_of(text)
        return language.iso_code_639_1.name.lower() if language is not None else None

    lingua_mb = _rss_mb() - before
    found["lingua (low accuracy)"] = lingua_code
    print(f"memory added: py3langid {py3langid_mb:.0f} MB, lingua {lingua_mb:.0f} MB")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description="Language identification compared.")
    parser.add_argument("sentences", type=Path)
    options = parser.parse_args()
    data = samples(options.sentences)
    close = {code for group in CLOSE for code in group}
    print(f"{len(data)} languages, {sum(len(p) for p, _ in data.values())} paragraphs")
    print(f"{'detector':24} {'paragraphs':>10} {'titles':>7} {'close, par.':>11} "
          f"{'close, titles':>13} {'ms a text':>9}")  # fmt: skip
    for name, detect in detectors().items():
        right = {"paragraphs": [0, 0], "titles": [0, 0], "cp": [0, 0], "ct": [0, 0]}
        spent, count = 0.0, 0
        misses: dict[str, int] = {}
        for code, (paragraphs, titles) in data.items():
            for kind, texts in (("paragraphs", paragraphs), ("titles", titles)):
                for text in texts:
                    start = time.perf_counter()
                    guess = detect(text)
                    spent += time.perf_counter() - start
                    count += 1
                    guess = SAME.get(guess or "", guess)
                    ok = guess == code
                    right[kind][0] += ok
                    right[kind][1] += 1
                    if code in close:
                        key = "cp" if kind == "paragraphs" else "ct"
                        right[key][0] += ok
                        right[key][1] += 1
                    if not ok and kind == "paragraphs":
                        misses[code] = misses.get(code, 0) + 1
        share = {k: v[0] / v[1] for k, v in right.items()}
        print(
            f"{name:24} {share['paragraphs']:10.3f} {share['titles']:7.3f} {share['cp']:11.3f} "
            f"{share['ct']:13.3f} {1000 * spent / count:9.3f}"
        )
        worst = sorted(misses.items(), key=lambda kv: -kv[1])[:8]
        print("   most missed paragraphs: " + ", ".join(f"{c} {n}" for c, n in worst))


if __name__ == "__main__":
    main()
