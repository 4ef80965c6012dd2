"""PDF speed: a 1,000-article digest from the seed, against LibreOffice and bare reportlab.

Run by hand: ``python benchmarks/pdf_speed.py [COUNT]``. LibreOffice converts briefkit's own
DOCX of the same collection (the equivalent document); "bare reportlab" is one
SimpleDocTemplate pass over the same paragraphs in a built-in font, with no contents, fonts,
bookmarks or metadata. Targets: at least 2x faster than LibreOffice, at most 1.5x the bare
build.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from _harness import ROOT, measure_in_child, report, seed_collection

BARE = """
import json, sys
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate
from xml.sax.saxutils import escape
data = json.load(open(sys.argv[1]))
styles = getSampleStyleSheet()
story = []
for article in data["articles"]:
    story.append(Paragraph(escape(article["meta"]["title"]), styles["Title"]))
    for block in article["blocks"]:
        story.append(Paragraph(escape("".join(i["text"] for i in block["content"])), styles["BodyText"]))
    story.append(PageBreak())
SimpleDocTemplate(sys.argv[2]).build(story)
"""


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    from convert.model import ir_json

    collection = seed_collection(count)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "in.json").write_text(ir_json.dumps(collection), "utf-8")  # type: ignore[arg-type]
        (work / "bare.py").write_text(BARE, "utf-8")
        python = sys.executable
        ours = measure_in_child(
            [python, "-m", "convert", "convert", "in.json", "-o", "out.pdf", "-q"], cwd=work
        )
        rows.append((f"briefkit pdf ({count} articles)", *ours))
        bare = measure_in_child([python, "bare.py", "in.json", "bare.pdf"], cwd=work)
        rows.append(("bare reportlab, one pass", *bare))
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice:
            measure_in_child(
                [python, "-m", "convert", "convert", "in.json", "-o", "in.docx", "-q"], cwd=work
            )
            profile = f"-env:UserInstallation=file://{work}/lo-profile"
            # a first run creates LibreOffice's profile; time the second
            measure_in_child(
                [soffice, profile, "--headless", "--convert-to", "pdf", "in.docx"], cwd=work
            )
            office = measure_in_child(
                [soffice, profile, "--headless", "--convert-to", "pdf", "in.docx"], cwd=work
            )
            rows.append(("LibreOffice docx -> pdf", *office))
    report(rows)
    print(f"vs bare reportlab: {ours[0] / bare[0]:.2f}x its time")
    if soffice:
        print(f"speed-up over LibreOffice: {office[0] / ours[0]:.1f}x")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
