"""EPUB speed and memory: a 1,000-article collection from the seed, briefkit against pandoc.

Run by hand: ``python benchmarks/epub_speed.py [COUNT]``. pandoc comes from the
``pypandoc-binary`` package (in the test extra). Target: at least 20x faster than pandoc and
at most 1/8 of its peak memory.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from _harness import ROOT, markdown_of, measure_in_child, report, seed_collection


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    import pypandoc

    from convert import ir_json

    collection = seed_collection(count)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "in.json").write_text(ir_json.dumps(collection), "utf-8")  # type: ignore[arg-type]
        (work / "in.md").write_text(markdown_of(collection), "utf-8")
        briefkit = [sys.executable, "-m", "convert", "convert", "in.json", "-o", "out.epub", "-q"]
        pandoc = [pypandoc.get_pandoc_path(), "in.md", "-o", "pandoc.epub"]
        ours = measure_in_child(briefkit, cwd=work)
        theirs = measure_in_child(pandoc, cwd=work)
    report(
        [(f"briefkit epub ({count} articles)", *ours), (f"pandoc epub ({count} articles)", *theirs)]
    )
    print(f"speed-up {theirs[0] / ours[0]:.1f}x, memory {ours[1] / theirs[1]:.2f} of pandoc's")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
