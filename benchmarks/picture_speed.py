"""200 articles with one 200 KB photo each: DOCX, PDF and EPUB time and peak memory.

What a user runs: Markdown files beside their photos in, a finished document out, with
pandoc on the same files side by side (DOCX and EPUB; pandoc embeds pictures too).

    .venv/bin/python benchmarks/picture_speed.py [COUNT] [--no-peer]
"""

from __future__ import annotations

import io
import shutil
import sys
import tempfile
from pathlib import Path

from _harness import ROOT, measure_in_child, report

TEXT = (
    "The harbour reopened on Friday morning, three days after the storm closed it to all "
    "traffic. Port officials said repairs to the breakwater would take another month.\n\n"
)


def photo(seed: int) -> bytes:
    """A noisy colour photo of about 200 KB (distinct for every seed)."""
    from PIL import Image

    size = (1000, 667)
    channels = [
        Image.effect_noise(size, 12 + (seed + offset) % 5).point(
            lambda v, shift=offset * 60: (v + shift) % 256
        )
        for offset in range(3)
    ]
    buffer = io.BytesIO()
    Image.merge("RGB", channels).save(buffer, "JPEG", quality=70)
    return buffer.getvalue()


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    count = int(args[0]) if args else 200
    pandoc = None
    if "--no-peer" not in sys.argv:
        try:
            import pypandoc

            pandoc = pypandoc.get_pandoc_path()
        except (ImportError, OSError):
            pandoc = shutil.which("pandoc")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        inputs = []
        sizes = []
        for n in range(count):
            data = photo(n)
            sizes.append(len(data))
            (work / f"photo{n:04d}.jpg").write_bytes(data)
            source = work / f"a{n:04d}.md"
            source.write_text(
                f"---\ntitle: Harbour report {n}\nauthor: Lin Wei\ndate: 2026-03-20\n---\n\n"
                f'{TEXT * 3}![Boats at the quay, picture {n}](photo{n:04d}.jpg "Picture {n}")\n\n'
                f"{TEXT * 2}",
                "utf-8",
            )
            inputs.append(source.name)
        print(f"{count} articles, photos {min(sizes) // 1000}-{max(sizes) // 1000} KB "
              f"({sum(sizes) / 1e6:.1f} MB in all)")  # fmt: skip
        rows = []
        for kind in ("docx", "pdf", "epub"):
            seconds, peak = measure_in_child(
                [sys.executable, "-m", "convert", "convert", "-q", *inputs, "-o", f"out.{kind}"],
                cwd=work,
            )
            size = (work / f"out.{kind}").stat().st_size / 1e6
            rows.append((f"briefkit {kind} ({size:.0f} MB)", seconds, peak))
            if pandoc and kind != "pdf":
                seconds, peak = measure_in_child(
                    [pandoc, *inputs, "-o", f"pandoc.{kind}"], cwd=work
                )
                size = (work / f"pandoc.{kind}").stat().st_size / 1e6
                rows.append((f"pandoc {kind} ({size:.0f} MB)", seconds, peak))
        report(rows)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "benchmarks"))
    main()
