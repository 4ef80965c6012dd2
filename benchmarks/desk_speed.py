"""The briefing desk's speed, as a user meets it: a real ``briefkit serve`` over HTTP.

1. The preview of a 50-article briefing once its sources are read (goal: under a second).
2. How fast pages answer while a 1,000-article build runs in the desk's worker process
   (goal: every page under 100 ms): the big briefing's own page, another briefing's page
   and the list of briefings, requested one after the other for as long as the build runs.

Run by hand: ``.venv/bin/python benchmarks/desk_speed.py [--articles 1000]``.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "text" / "people-daily-guizhou-2021-03-20.txt"


def _field(text: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]+)"', text)
    assert found, name
    return found.group(1)


def _briefing(workspace: Path, title: str, count: int) -> str:
    """A briefing of ``count`` distinct articles, written straight into the workspace."""
    sys.path.insert(0, str(ROOT))
    import dataclasses

    import convert
    from convert.app.desk.store import Workspace, clean_meta

    store = Workspace(workspace)
    briefing = store.create(clean_meta({"title": title}, []))
    seed = convert.read(SEED)[0]
    articles = []
    for n in range(count):
        meta = dataclasses.replace(seed.meta, title=f"{seed.meta.title} ({n})", url=None)
        blocks = (convert.ir.Paragraph((convert.ir.Text(f"Story {n}."),)), *seed.blocks)
        articles.append(dataclasses.replace(seed, meta=meta, blocks=blocks))
    ids = briefing.add_articles(convert.Collection(articles=tuple(articles)), b"", ".txt")

    def change(data: dict[str, object]) -> None:
        data["section"] = [
            {"title": "All", "sources": [{"path": f"sources/{i}.json"} for i in ids]}
        ]

    briefing.edit(None, change)
    return briefing.slug


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=1000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        workspace = Path(folder) / "briefings"
        small = _briefing(workspace, "Fifty", 50)
        big = _briefing(workspace, "Big", options.articles)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
        server = subprocess.Popen(
            [sys.executable, "-m", "convert", "serve", "--workspace", str(workspace),
             "--port", str(port)], env=env, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=600)
            for _ in range(100):
                try:
                    client.get("/")
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            # warm: every card read once, as a user's first visit does
            for slug in (small, big):
                client.get(f"/b/{slug}")
            previews = []
            for _ in range(5):
                start = time.perf_counter()
                answer = client.get(f"/b/{small}/preview")
                previews.append(time.perf_counter() - start)
                assert answer.status_code == 200
            print(f"preview of 50 articles: best {min(previews):.3f} s, "
                  f"median {statistics.median(previews):.3f} s")  # fmt: skip
            page = client.get(f"/b/{big}").text
            csrf = _field(page, "csrf")
            client.cookies.set("briefkit_csrf", csrf)
            start = time.perf_counter()
            client.post(f"/b/{big}/build", data={"csrf": csrf, "version": _field(page, "version")})
            times: dict[str, list[float]] = {"big briefing": [], "other briefing": [], "list": []}
            paths = {"big briefing": f"/b/{big}", "other briefing": f"/b/{small}", "list": "/"}
            while True:
                for name, path in paths.items():
                    began = time.perf_counter()
                    client.get(path)
                    times[name].append(time.perf_counter() - began)
                jobs = client.get(f"/b/{big}/jobs.json").json()["jobs"]
                if jobs and all(job["state"] in ("done", "failed") for job in jobs):
                    break
                time.sleep(0.05)
            built = time.perf_counter() - start
            print(f"build of {options.articles} articles (5 formats): {built:.1f} s, "
                  f"{jobs[-1]['state']}: {jobs[-1]['message']}")  # fmt: skip
            for name, seen in times.items():
                ordered = sorted(seen)
                p95 = ordered[int(len(ordered) * 0.95) - 1] if len(ordered) > 1 else ordered[0]
                print(f"  {name:<15} {len(seen):>4} requests: median "
                      f"{statistics.median(seen) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
                      f"max {max(seen) * 1000:.0f} ms")  # fmt: skip
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
