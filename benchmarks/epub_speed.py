"""EPUB speed and memory: a 1,000-article collection from the seed, briefkit against pandoc.

Run by hand: ``python benchmarks/epub_speed.py [COUNT]``. pandoc comes from the
``pypandoc-binary`` package (in the test extra). Target: at least 20x faster than pandoc and
at most 1/8 of its peak memory.
"""

from __future__ import annotations

import sys

from _harness import ROOT, compare_with_pandoc

if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    compare_with_pandoc("epub", int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
