"""The briefing desk's routes, through Starlette's test client: composing, the same build as
``briefkit build``, and every guard (CSRF, token, uploads, private addresses, escaping,
concurrent edits, atomic writes)."""

from __future__ import annotations

import html
import io
import json
import re
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import tomllib

pytest.importorskip("starlette")
from starlette.testclient import TestClient

from convert.app.desk import create_app
from convert.app.desk.web import MAX_UPLOAD_BYTES, MAX_UPLOAD_FILES

from .conftest import FIXTURES, SEED, TEXT, ZH, local_server, static_pages

FEED = FIXTURES / "feed" / "press-office.rss"


class Desk:
    """A client of one desk, with the page's CSRF token and the briefing's version."""

    def __init__(self, client: TestClient, workspace: Path) -> None:
        self.client, self.workspace = client, workspace
        page = client.get("/")
        assert page.status_code == 200
        self.csrf = _field(page.text, "csrf")

    def post(self, path: str, expect: int = 303, **data: Any) -> Any:
        files = data.pop("files", None)
        answer = self.client.post(
            path, data={"csrf": self.csrf, **data}, files=files, follow_redirects=False
        )
        assert answer.status_code == expect, answer.text[:2000]
        return answer

    def new(self, title: str = "Morning Briefing", **meta: str) -> str:
        answer = self.post("/new", title=title, **meta)
        return str(answer.headers["location"]).rsplit("/", 1)[1]

    def version(self, slug: str) -> str:
        return _field(self.client.get(f"/b/{slug}").text, "version")

    def section(self, slug: str, title: str, intro: str = "") -> None:
        self.post(f"/b/{slug}/sections", version=self.version(slug), title=title, intro=intro)

    def upload(self, slug: str, section: int, *paths: Path) -> None:
        files = [("files", (p.name, p.read_bytes(), "application/octet-stream")) for p in paths]
        self.post(f"/b/{slug}/sections/{section}/upload", version=self.version(slug), files=files)
        self.wait(slug)

    def wait(self, slug: str) -> list[dict[str, Any]]:
        for _ in range(600):
            jobs = self.client.get(f"/b/{slug}/jobs.json").json()["jobs"]
            if all(job["state"] in ("done", "failed") for job in jobs):
                return list(jobs)
            time.sleep(0.1)
        raise AssertionError("the desk's jobs did not finish")

    def manifest(self, slug: str) -> dict[str, Any]:
        return tomllib.loads((self.workspace / slug / "briefing.toml").read_text("utf-8"))

    def cards(self, slug: str) -> list[str]:
        return re.findall(r'id="card-([a-f0-9]{12})"', self.client.get(f"/b/{slug}").text)


def _field(text: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]+)"', text)
    assert found, f"no {name} field on the page"
    return found.group(1)


@pytest.fixture
def desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Desk]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    workspace = tmp_path / "briefings"
    with TestClient(create_app(workspace)) as client:
        yield Desk(client, workspace)


def test_compose_a_briefing_and_build_what_briefkit_build_builds(
    desk: Desk, tmp_path: Path
) -> None:
    slug = desk.new(issue="No. 7", date="2026-12-04", publisher="Press Office",
                    editors="Duty Editor, Night Editor", marking="FOR INTERNAL USE")  # fmt: skip
    desk.section(slug, "Leadership", "Provincial leaders.")
    desk.section(slug, "World")
    desk.upload(slug, 0, SEED, ZH)
    desk.upload(slug, 1, TEXT / "xinhua-en.txt")
    manifest = desk.manifest(slug)
    assert manifest["issue"] == "No. 7" and manifest["editors"] == ["Duty Editor", "Night Editor"]
    assert [len(s["sources"]) for s in manifest["section"]] == [2, 1]
    page = desk.client.get(f"/b/{slug}").text
    assert "Chen Yiqin" in page and "谌贻琴" in page and "Xu Shaoting" in page
    # reorder within a section, move between sections, override a summary
    first, second, third = desk.cards(slug)
    desk.post(f"/b/{slug}/cards/{second}/move", version=desk.version(slug), direction="up")
    assert desk.cards(slug)[:2] == [second, first]
    desk.post(f"/b/{slug}/cards/{first}/move", version=desk.version(slug), section="1")
    assert desk.cards(slug) == [second, third, first]
    desk.post(f"/b/{slug}/cards/{first}/edit", version=desk.version(slug),
              title="", summary="Our own summary.")  # fmt: skip
    manifest = desk.manifest(slug)
    assert [len(s["sources"]) for s in manifest["section"]] == [1, 2]
    assert manifest["section"][1]["sources"][1]["summary"] == "Our own summary."
    # build in the worker process, then briefkit build on the saved manifest
    desk.post(f"/b/{slug}/build", version=desk.version(slug))
    jobs = desk.wait(slug)
    assert jobs[-1]["state"] == "done", jobs
    again = tmp_path / "again"
    result = subprocess.run(
        [sys.executable, "-m", "convert", "build", str(desk.workspace / slug / "briefing.toml"),
         "-o", str(again), "-q"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    for fmt in ("pdf", "docx", "epub", "html", "json"):
        served = desk.client.get(f"/b/{slug}/download/{fmt}")
        assert served.status_code == 200
        assert served.content == (again / f"{slug}.{fmt}").read_bytes(), fmt
    archive = zipfile.ZipFile(io.BytesIO(desk.client.get(f"/b/{slug}/download.zip").content))
    assert sorted(archive.namelist()) == sorted(
        [f"{slug}.{fmt}" for fmt in ("pdf", "docx", "epub", "html", "json")] + [f"{slug}.toml"]
    )
    toml = desk.client.get(f"/b/{slug}/manifest")
    assert toml.status_code == 200 and tomllib.loads(toml.text)["title"] == "Morning Briefing"


def test_the_preview_is_the_html_writers_page_locked_down(desk: Desk) -> None:
    slug = desk.new()
    empty = desk.client.get(f"/b/{slug}/preview")
    assert empty.status_code == 200 and "Nothing to preview yet" in empty.text
    desk.section(slug, "World")
    desk.upload(slug, 0, SEED)
    preview = desk.client.get(f"/b/{slug}/preview")
    policy = preview.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy and "sandbox" in policy
    assert 'id="briefkit-ir"' in preview.text and "Chen Yiqin" in preview.text


def test_every_change_needs_the_csrf_token(desk: Desk) -> None:
    slug = desk.new()
    for token in ("", "x" * 43):
        answer = desk.client.post(f"/b/{slug}/sections",
                                  data={"csrf": token, "version": desk.version(slug), "title": "T"})  # fmt: skip
        assert answer.status_code == 403 and "reload" in answer.text
    assert "section" not in desk.manifest(slug) or desk.manifest(slug)["section"] == []


def test_an_edit_on_a_stale_page_is_refused(desk: Desk) -> None:
    slug = desk.new()
    seen = desk.version(slug)
    desk.post(f"/b/{slug}/sections", version=seen, title="First")
    answer = desk.post(f"/b/{slug}/sections", expect=409, version=seen, title="Second")
    assert "changed elsewhere — reload" in answer.text
    assert [s["title"] for s in desk.manifest(slug)["section"]] == ["First"]


def test_titles_and_text_are_escaped(desk: Desk, tmp_path: Path) -> None:
    hostile = "<script>alert(1)</script>"
    slug = desk.new(title=hostile)
    desk.section(slug, f"<img src=x onerror=alert(2)>{hostile}")
    article = tmp_path / "hostile.md"
    article.write_text(f"---\ntitle: '{hostile}'\n---\n\n{hostile} text\n", encoding="utf-8")
    desk.upload(slug, 0, article)
    page = desk.client.get(f"/b/{slug}").text
    assert hostile not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<script") == 1  # the desk's own static script
    preview = desk.client.get(f"/b/{slug}/preview").text
    assert hostile not in preview


def test_an_upload_name_is_a_label_never_a_path(desk: Desk) -> None:
    slug = desk.new()
    desk.section(slug, "World")
    files = [("files", ("../../../../etc/passwd.txt", SEED.read_bytes(), "text/plain"))]
    desk.post(f"/b/{slug}/sections/0/upload", version=desk.version(slug), files=files)
    assert desk.wait(slug)[-1]["state"] == "done"
    written = [p for p in desk.workspace.rglob("*") if p.is_file()]
    assert all(p.resolve().is_relative_to(desk.workspace.resolve()) for p in written)
    assert not any("passwd" in p.name for p in written)
    originals = list((desk.workspace / slug / "originals").iterdir())
    assert len(originals) == 1 and re.fullmatch(r"[a-f0-9]{12}\.txt", originals[0].name)


def test_uploads_are_capped(desk: Desk) -> None:
    slug = desk.new()
    desk.section(slug, "World")
    files = [("files", (f"a{n}.txt", b"Title\n\nText.\n", "text/plain"))
             for n in range(MAX_UPLOAD_FILES + 1)]  # fmt: skip
    answer = desk.client.post(f"/b/{slug}/sections/0/upload",
                              data={"csrf": desk.csrf, "version": desk.version(slug)}, files=files)  # fmt: skip
    assert answer.status_code == 400 and "Too many files" in answer.text
    big = [("files", ("big.txt", b"x" * (MAX_UPLOAD_BYTES + 1), "text/plain"))]
    answer = desk.post(f"/b/{slug}/sections/0/upload", expect=400, version=desk.version(slug),
                       files=big)  # fmt: skip
    assert "too large" in answer.text
    just = [("files", ("ok.txt", b"Title\n\n" + b"x " * 1000, "text/plain"))]
    desk.post(f"/b/{slug}/sections/0/upload", version=desk.version(slug), files=just)
    assert desk.wait(slug)[-1]["state"] == "done"


def test_a_private_address_is_refused_unless_allowed(tmp_path: Path) -> None:
    with local_server(static_pages({"/page": (200, "text/html", SEED_PAGE)})) as server:
        for allow, expected in ((False, "failed"), (True, "done")):
            workspace = tmp_path / f"allow-{allow}"
            with TestClient(create_app(workspace, allow_private=allow)) as client:
                desk = Desk(client, workspace)
                slug = desk.new()
                desk.section(slug, "World")
                desk.post(f"/b/{slug}/sections/0/url", version=desk.version(slug),
                          url=f"{server}/page")  # fmt: skip
                job = desk.wait(slug)[-1]
                assert job["state"] == expected, job
                if not allow:
                    assert "private or local address" in job["message"]
                    page = client.get(f"/b/{slug}").text
                    assert "private or local address" in page
                else:
                    assert "Harbour reopens" in client.get(f"/b/{slug}").text


SEED_PAGE = (
    "<html lang='en'><head><title>Harbour reopens after storm</title></head><body><article>"
    "<h1>Harbour reopens after storm</h1><p>The harbour reopened on Friday morning, three "
    "days after the storm closed it to all traffic, officials said.</p><p>Repairs to the "
    "breakwater will take another month, the port authority said in a statement.</p>"
    "</article></body></html>"
)


def test_a_feed_from_a_file_with_since_and_limit(desk: Desk) -> None:
    slug = desk.new()
    desk.section(slug, "Press releases")
    files = [("file", ("press.rss", FEED.read_bytes(), "application/rss+xml"))]
    desk.post(f"/b/{slug}/sections/0/feed", version=desk.version(slug), since="2021-03-01",
              limit="2", files=files)  # fmt: skip
    assert desk.wait(slug)[-1]["state"] == "done"
    assert len(desk.manifest(slug)["section"][0]["sources"]) == 2


def test_a_token_is_needed_when_one_is_set(tmp_path: Path) -> None:
    with TestClient(create_app(tmp_path / "w", token="s3cret-token")) as client:
        assert client.get("/").status_code == 403
        assert "token" in client.get("/").text
        entered = client.get("/?token=s3cret-token", follow_redirects=False)
        assert entered.status_code == 303 and "briefkit_token" in entered.headers["set-cookie"]
        assert client.get("/").status_code == 200  # the cookie now carries it
        client.cookies.clear()
        assert client.get("/?token=wrong").status_code == 403


def test_duplicates_are_flagged_and_opening_a_briefkit_file_continues_it(
    desk: Desk, tmp_path: Path
) -> None:
    slug = desk.new()
    desk.section(slug, "World")
    desk.upload(slug, 0, SEED)
    desk.upload(slug, 0, SEED)
    assert "Duplicate of" in desk.client.get(f"/b/{slug}").text
    pdf = tmp_path / "week.pdf"
    subprocess.run(
        [sys.executable, "-m", "convert", "build", str(FIXTURES / "briefing" / "briefing.toml"),
         "-o", str(tmp_path), "-q"], check=True, timeout=300,
    )  # fmt: skip
    pdf = tmp_path / "morning-briefing.pdf"
    answer = desk.post(
        "/open", files=[("file", ("morning.pdf", pdf.read_bytes(), "application/pdf"))]
    )
    opened = str(answer.headers["location"]).rsplit("/", 1)[1]
    manifest = desk.manifest(opened)
    assert manifest["title"] == "Morning Briefing" and manifest["issue"] == "No. 42"
    assert [s["title"] for s in manifest["section"]] == [
        "Leadership",
        "World",
        "Notes",
        "Press releases",
    ]


def test_errors_are_pages_not_tracebacks(desk: Desk) -> None:
    missing = desk.client.get("/b/no-such-briefing")
    assert missing.status_code == 404 and "no briefing" in missing.text
    assert "Traceback" not in missing.text
    bad_name = desk.client.get("/b/..%2F..%2Fetc")
    assert bad_name.status_code == 404
    slug = desk.new()
    answer = desk.post(f"/b/{slug}/meta", expect=400, version=desk.version(slug),
                       title="T", date="next Tuesday")  # fmt: skip
    assert "is not a date" in answer.text and 'role="alert"' in answer.text
    answer = desk.post(f"/b/{slug}/build", expect=400, version=desk.version(slug))
    assert "section" in answer.text


def _serve(workspace: Path) -> tuple[subprocess.Popen[bytes], Any]:
    """``briefkit serve`` on a free port in a subprocess, and an HTTP client of it (once it
    answers)."""
    import socket

    import httpx

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "convert", "serve", "--workspace", str(workspace),
         "--port", str(port)], stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            httpx.get(base, timeout=1)
            break
        except httpx.HTTPError:
            time.sleep(0.1)
    return server, httpx.Client(base_url=base, follow_redirects=True, timeout=60)


def test_a_killed_server_leaves_the_last_finished_edit(tmp_path: Path) -> None:
    """SIGKILL while edits are being made: the manifest is one of the versions written,
    whole (never a half-written file), and the desk starts again on it."""
    workspace = tmp_path / "w"
    server, client = _serve(workspace)
    try:
        csrf = _field(client.get("/").text, "csrf")
        slug = str(client.post("/new", data={"csrf": csrf, "title": "Kill"}).url).rsplit("/", 1)[1]
        titles = []
        for n in range(40):
            version = _field(client.get(f"/b/{slug}").text, "version")
            client.post(f"/b/{slug}/sections", data={"csrf": csrf, "version": version,
                                                     "title": f"Section {n}"})  # fmt: skip
            titles.append(f"Section {n}")
            if n == 25:
                server.send_signal(signal.SIGKILL)
                break
    finally:
        server.kill()
        server.wait()
        server.stderr.close()  # type: ignore[union-attr]
        client.close()
    manifest = tomllib.loads((workspace / slug / "briefing.toml").read_text("utf-8"))
    shown = [s["title"] for s in manifest["section"]]
    assert shown == titles[: len(shown)] and len(shown) >= 25
    assert not list((workspace / slug).glob(".*.tmp"))
    with TestClient(create_app(workspace)) as client:
        assert "Section 0" in client.get(f"/b/{slug}").text


def _orphan_workers() -> set[int]:
    """Worker processes of Python's spawn start method whose parent has gone."""
    found = set()
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line
            )
            command = (status.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if fields.get("PPid", "").strip() == "1" and b"multiprocessing-fork" in command:
            found.add(int(status.parent.name))
    return found


def test_the_build_worker_ends_with_the_desk(tmp_path: Path) -> None:
    """A server killed while a build runs leaves no worker process behind."""
    before = _orphan_workers()
    server, client = _serve(tmp_path / "w")
    try:
        csrf = _field(client.get("/").text, "csrf")
        slug = str(client.post("/new", data={"csrf": csrf, "title": "Busy"}).url).rsplit("/", 1)[1]
        version = _field(client.get(f"/b/{slug}").text, "version")
        client.post(f"/b/{slug}/sections", data={"csrf": csrf, "version": version, "title": "A"})
        version = _field(client.get(f"/b/{slug}").text, "version")
        client.post(f"/b/{slug}/sections/0/upload", data={"csrf": csrf, "version": version},
                    files=[("files", ("seed.txt", SEED.read_bytes()))])  # fmt: skip
        for _ in range(100):
            if "Chen Yiqin" in client.get(f"/b/{slug}").text:
                break
            time.sleep(0.1)
        version = _field(client.get(f"/b/{slug}").text, "version")
        client.post(f"/b/{slug}/build", data={"csrf": csrf, "version": version})
        time.sleep(1.5)  # the worker process has started
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait()
        server.stderr.close()  # type: ignore[union-attr]
        client.close()
    deadline = time.monotonic() + 10
    while _orphan_workers() - before and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _orphan_workers() - before == set()


def test_a_redirect_to_a_private_address_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every hop is checked: here 127.0.0.1 counts as public and the name localhost as
    private, and a page on the first redirects to the second."""
    from convert.media import fetch as fetching
    from convert.model.errors import InputError

    checked = fetching.public_address

    def pretend(host: str, port: int) -> tuple[str, int]:
        if host == "127.0.0.1":
            return host, port
        return checked(host, port)

    monkeypatch.setattr(fetching, "public_address", pretend)

    class Redirect(static_pages({})):  # type: ignore[misc,valid-type]
        def do_GET(self) -> None:
            if self.path == "/start":
                self.send_response(302)
                self.send_header(
                    "Location", f"http://localhost:{self.server.server_address[1]}/page"
                )
                self.end_headers()
            else:
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                self.wfile.write(SEED_PAGE.encode())

    with local_server(Redirect) as server:
        assert fetching.fetch(f"{server}/page", allow_private=False)[0].startswith(b"<html")
        with pytest.raises(InputError, match="localhost is a private or local address"):
            fetching.fetch(f"{server}/start", allow_private=False)
        assert fetching.fetch(f"{server}/start", allow_private=True)[1].endswith("/page")


def test_sections_are_renamed_moved_and_removed_in_the_manifest(desk: Desk) -> None:
    slug = desk.new()
    for title in ("Leadership", "World", "Notes"):
        desk.section(slug, title)

    def titles() -> list[tuple[str, str]]:
        return [(s["title"], s.get("intro", "")) for s in desk.manifest(slug)["section"]]

    desk.post(f"/b/{slug}/sections/1/edit", version=desk.version(slug),
              title="  The   World ", intro="Abroad.")  # fmt: skip
    assert titles() == [("Leadership", ""), ("The World", "Abroad."), ("Notes", "")]
    desk.post(f"/b/{slug}/sections/1/edit", version=desk.version(slug), title="World", intro="")
    assert titles()[1] == ("World", "")  # an emptied introduction is gone from the manifest
    desk.post(f"/b/{slug}/sections/2/move", version=desk.version(slug), direction="up")
    desk.post(f"/b/{slug}/sections/0/move", version=desk.version(slug), direction="up")
    desk.post(f"/b/{slug}/sections/2/move", version=desk.version(slug), direction="down")
    assert [t for t, _ in titles()] == ["Leadership", "Notes", "World"]  # the ends stay put
    desk.post(f"/b/{slug}/sections/1/remove", version=desk.version(slug))
    assert [t for t, _ in titles()] == ["Leadership", "World"]
    answer = desk.post(f"/b/{slug}/sections/5/edit", expect=404, version=desk.version(slug),
                       title="Gone")  # fmt: skip
    assert "no such section" in answer.text
    answer = desk.post(f"/b/{slug}/sections", expect=400, version=desk.version(slug), title=" ")
    assert "a section needs a title" in answer.text
    desk.post(f"/b/{slug}/meta", version=desk.version(slug), title="Evening Briefing",
              subtitle="Late edition", issue="No. 8")  # fmt: skip
    manifest = desk.manifest(slug)
    assert (manifest["title"], manifest["subtitle"], manifest["issue"]) == (
        "Evening Briefing",
        "Late edition",
        "No. 8",
    )
    assert [s["title"] for s in manifest["section"]] == ["Leadership", "World"]


def test_a_card_is_moved_down_retitled_and_removed(desk: Desk) -> None:
    slug = desk.new()
    desk.section(slug, "World")
    desk.upload(slug, 0, SEED, ZH)
    first, second = desk.cards(slug)
    desk.post(f"/b/{slug}/cards/{first}/move", version=desk.version(slug), direction="down")
    desk.post(f"/b/{slug}/cards/{first}/move", version=desk.version(slug), direction="down")
    assert desk.cards(slug) == [second, first]  # the last card stays last
    answer = desk.post(f"/b/{slug}/cards/{first}/move", expect=400, version=desk.version(slug),
                       section="3")  # fmt: skip
    assert "choose the section" in answer.text
    desk.post(f"/b/{slug}/cards/{first}/edit", version=desk.version(slug),
              title="Our  headline", summary="")  # fmt: skip
    assert desk.manifest(slug)["section"][0]["sources"][1] == {
        "path": f"sources/{first}.json",
        "title": "Our headline",
    }
    assert "Our headline" in desk.client.get(f"/b/{slug}").text
    desk.post(f"/b/{slug}/cards/{first}/edit", version=desk.version(slug), title="", summary="")
    assert desk.manifest(slug)["section"][0]["sources"][1] == {"path": f"sources/{first}.json"}
    desk.post(f"/b/{slug}/cards/{second}/remove", version=desk.version(slug))
    assert desk.cards(slug) == [first]
    answer = desk.post(f"/b/{slug}/cards/{second}/remove", expect=404, version=desk.version(slug))
    assert "no such article" in answer.text


def test_additions_with_missing_or_wrong_fields_are_refused_on_the_page(desk: Desk) -> None:
    slug = desk.new()
    desk.section(slug, "World")
    refused = {
        "url": ({"url": "ftp://example.org/a"}, "give an http:// or https:// address"),
        "upload": ({}, "choose one or more files to upload"),
        "feed": ({"url": ""}, "give the feed's http(s) address or upload its file"),
    }
    for route, (fields, message) in refused.items():
        answer = desk.post(f"/b/{slug}/sections/0/{route}", expect=400,
                           version=desk.version(slug), **fields)  # fmt: skip
        assert message in html.unescape(answer.text) and 'role="alert"' in answer.text
    feed = [("file", ("press.rss", FEED.read_bytes(), "application/rss+xml"))]
    answer = desk.post(f"/b/{slug}/sections/0/feed", expect=400, version=desk.version(slug),
                       limit="ten", files=feed)  # fmt: skip
    assert "limit must be a whole number" in answer.text
    answer = desk.post(f"/b/{slug}/sections/0/feed", expect=400, version=desk.version(slug),
                       since="last week", files=feed)  # fmt: skip
    assert "since 'last week' is not a date like 2026-12-01" in html.unescape(answer.text)
    stale = desk.version(slug)
    desk.section(slug, "Notes")
    answer = desk.post(f"/b/{slug}/sections/0/url", expect=409, version=stale,
                       url="https://example.org/a")  # fmt: skip
    assert desk.client.get(f"/b/{slug}/jobs.json").json()["jobs"] == []
    assert desk.client.get(f"/b/{slug}/download/pdf").status_code == 404
    assert desk.client.get(f"/b/{slug}/download/exe").status_code == 404
    archive = zipfile.ZipFile(io.BytesIO(desk.client.get(f"/b/{slug}/download.zip").content))
    assert archive.namelist() == [f"{slug}.toml"]  # nothing built yet: the manifest alone


def test_an_upload_without_a_known_extension_is_read_by_its_bytes(desk: Desk) -> None:
    slug = desk.new()
    desk.section(slug, "World")
    files = [("files", ("clipping", SEED.read_bytes(), "application/octet-stream")),
             ("files", ("notes.xyz", ZH.read_bytes(), "application/octet-stream"))]  # fmt: skip
    desk.post(f"/b/{slug}/sections/0/upload", version=desk.version(slug), files=files)
    job = desk.wait(slug)[-1]
    assert job["state"] == "done" and job["message"] == "2 articles added to World", job
    page = desk.client.get(f"/b/{slug}").text
    assert "Chen Yiqin" in page and "谌贻琴" in page


def _feed_of(base: str) -> str:
    items = "".join(
        f"<item><title>{title}</title><link>{base}{path}</link><pubDate>{when}</pubDate>"
        f"<description>{title}: the feed's own summary.</description></item>"
        for title, path, when in (
            ("Harbour reopens", "/harbour", "Fri, 04 Dec 2026 09:00:00 +0000"),
            ("Bridge closed", "/gone", "Thu, 03 Dec 2026 18:30:00 +0000"),
            ("Old news", "/old", "Tue, 01 Dec 2026 08:00:00 +0000"),
        )
    )
    return (
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Port news</title>"
        f"<link>{base}/</link><description>d</description>{items}</channel></rss>"
    )


def test_a_feed_by_address_with_whole_pages_keeps_an_entry_whose_page_fails(
    tmp_path: Path,
) -> None:
    pages: dict[str, tuple[int, str, str | bytes]] = {"/harbour": (200, "text/html", SEED_PAGE)}
    with local_server(static_pages(pages)) as server:
        pages["/feed.xml"] = (200, "application/rss+xml", _feed_of(server))
        with TestClient(create_app(tmp_path / "w", allow_private=True)) as client:
            desk = Desk(client, tmp_path / "w")
            slug = desk.new()
            desk.section(slug, "Port")
            desk.post(f"/b/{slug}/sections/0/feed", version=desk.version(slug),
                      url=f"{server}/feed.xml", since="2026-12-02T12:00:00+00:00",
                      full="on")  # fmt: skip
            job = desk.wait(slug)[-1]
            assert job["state"] == "done" and job["message"] == "2 articles added to Port", job
            sources = desk.manifest(slug)["section"][0]["sources"]
            read = [json.loads((desk.workspace / slug / s["path"]).read_text("utf-8"))
                    for s in sources]  # fmt: skip
    harbour, bridge = (r["articles"][0] for r in read)
    # the whole page replaced the feed's summary; the feed's metadata stays
    assert "breakwater will take another month" in json.dumps(harbour["blocks"])
    assert harbour["meta"]["url"] == f"{server}/harbour"
    assert "the feed's own summary" in json.dumps(bridge["blocks"])
    assert [d["reason"] for d in bridge["dropped"]] == [
        f"page not fetched: {server}/gone: cannot fetch: HTTP 404 Not Found"
    ]


def test_opening_a_manifest_fetches_its_addresses_and_says_what_it_could_not_add(
    tmp_path: Path,
) -> None:
    pages: dict[str, tuple[int, str, str | bytes]] = {"/harbour": (200, "text/html", SEED_PAGE)}
    with local_server(static_pages(pages)) as server:
        manifest = (
            'title = "Port Briefing"\nissue = "No. 3"\n\n[[section]]\ntitle = "Port"\n'
            'intro = "Ships and harbours."\n'
            f'sources = ["{server}/harbour", {{ path = "local/notes.txt" }}, "{server}/gone"]\n'
        )
        with TestClient(create_app(tmp_path / "w", allow_private=True)) as client:
            desk = Desk(client, tmp_path / "w")
            answer = desk.post(
                "/open", files=[("file", ("port.toml", manifest.encode(), "application/toml"))]
            )
            slug = str(answer.headers["location"]).rsplit("/", 1)[1]
            opened = desk.manifest(slug)
            page = client.get(f"/b/{slug}").text
            bad = desk.post("/open", expect=400,
                            files=[("file", ("bad.toml", b"title = ", "application/toml"))])  # fmt: skip
            untitled = desk.post("/open", expect=400,
                                 files=[("file", ("u.toml", b"issue = 'x'", "application/toml"))])  # fmt: skip
    assert (opened["title"], opened["issue"]) == ("Port Briefing", "No. 3")
    section = opened["section"][0]
    assert (section["title"], section["intro"], len(section["sources"])) == (
        "Port",
        "Ships and harbours.",
        1,
    )
    message = (
        "2 sources not added: local/notes.txt (a file: upload it to the section); "
        f"{server}/gone: cannot fetch: HTTP 404 Not Found"
    )
    assert "Harbour reopens" in page and message in html.unescape(page)
    assert "not a manifest" in bad.text and "the manifest has no title" in untitled.text


def test_the_briefing_details_are_checked_before_anything_is_written(desk: Desk) -> None:
    refused = [
        ({"title": "  "}, "a briefing needs a title"),
        ({"title": "T", "subtitle": "x" * 501}, "subtitle is too long (at most 500 characters)"),
        ({"title": "T", "style": "gaudy"}, "unknown style 'gaudy' (known: "),
        ({"title": "T", "language": "English!"}, "language 'English!' is not a language tag"),
    ]
    for fields, message in refused:
        answer = desk.post("/new", expect=400, **fields)
        assert message in html.unescape(answer.text), message
    assert not desk.workspace.exists() or not any(desk.workspace.iterdir())
    slug = desk.new(subtitle="x" * 500, date="2026-12-04T06:30", editors="A. One, , B. Two")
    manifest = desk.manifest(slug)
    assert manifest["date"] == datetime(2026, 12, 4, 6, 30) and len(manifest["subtitle"]) == 500
    assert manifest["editors"] == ["A. One", "B. Two"]


def test_a_source_added_by_hand_is_built_but_not_shown_as_a_card(desk: Desk) -> None:
    slug = desk.new()
    desk.section(slug, "World")
    desk.upload(slug, 0, SEED)
    folder = desk.workspace / slug
    (folder / "sources" / "0123456789ab.json").write_text("{not json", encoding="utf-8")
    manifest = (folder / "briefing.toml").read_text("utf-8")
    manifest += '\n[[section]]\ntitle = "By hand"\nsources = [{ path = "notes.txt" }, ' + (
        '{ path = "sources/0123456789ab.json" }]\n'
    )
    (folder / "briefing.toml").write_text(manifest, encoding="utf-8")
    page = desk.client.get(f"/b/{slug}")
    assert page.status_code == 200 and "By hand" in page.text
    assert len(desk.cards(slug)) == 1  # the desk's own card; the others are not its to show


def test_an_uploaded_document_keeps_its_pictures_beside_its_source(
    desk: Desk, tmp_path: Path
) -> None:
    import convert

    book = tmp_path / "pictures.epub"
    convert.write(convert.load(FIXTURES / "pictures" / "article.md"), book)
    slug = desk.new()
    desk.section(slug, "World")
    desk.upload(slug, 0, book)
    source = desk.manifest(slug)["section"][0]["sources"][0]["path"]
    stored = json.loads((desk.workspace / slug / source).read_text("utf-8"))
    pictured = [b for b in stored["articles"][0]["blocks"] if b.get("type") == "image"]
    assert pictured and all(b["src"].startswith("media/") for b in pictured)
    for block in pictured:
        assert (desk.workspace / slug / "sources" / block["src"]).is_file()


def test_a_fault_in_a_job_is_a_line_on_the_page_and_old_jobs_are_let_go(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reader that breaks (a bug, not bad input) fails its job with one line naming the
    error, the desk goes on; of the finished jobs a briefing keeps the last fifty."""
    from convert.app.desk import jobs, sources

    slug = desk.new()
    desk.section(slug, "World")

    def broken(data: bytes, label: str) -> None:
        raise RuntimeError("reader fault\nwith a second line")

    monkeypatch.setattr(sources, "read_upload", broken)
    files = [("files", ("a.txt", b"Title\n\nText.\n", "text/plain"))]
    for _ in range(jobs.KEEP_FINISHED + 2):
        desk.post(f"/b/{slug}/sections/0/upload", version=desk.version(slug), files=files)
        desk.wait(slug)
    listed = desk.client.get(f"/b/{slug}/jobs.json").json()["jobs"]
    assert len(listed) == jobs.KEEP_FINISHED
    assert {(j["state"], j["message"]) for j in listed} == {
        ("failed", "internal error: RuntimeError: reader fault with a second line")
    }
    assert "Traceback" not in desk.client.get(f"/b/{slug}").text
