"""The briefing desk in a real browser: Debian's Chromium driven by Playwright, axe-core
(from the npm registry, installed by the set-up into .tools/) checking every screen.

One user's session from an empty workspace to a downloaded PDF, by keyboard where it
matters; a hostile article that must run nothing; a private address the desk must refuse;
two tabs editing at once; a restart that must lose nothing.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import FIXTURES, ROOT, SEED, ZH, local_server, require_tool, static_pages

pytestmark = pytest.mark.slow

AXE = ROOT / ".tools" / "node_modules" / "axe-core" / "axe.min.js"
FEED = FIXTURES / "feed" / "press-office.rss"
SCREENSHOT = ROOT / "docs" / "images" / "desk.png"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _missing(what: str) -> None:
    message = f"{what} is not installed (make test installs it)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        _missing("Chromium")
    if not AXE.is_file():
        _missing("axe-core")
    try:
        import playwright  # noqa: F401
    except ImportError:
        _missing("Playwright for Python")
    assert found is not None
    return found


class Server:
    """``briefkit serve`` in a subprocess on a free port of 127.0.0.1."""

    def __init__(self, workspace: Path, *flags: str) -> None:
        self.workspace, self.flags = workspace, flags
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Server:
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "convert", "serve", "--workspace", str(self.workspace),
             "--port", str(self.port), *self.flags],
            env=env, stderr=subprocess.PIPE,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.1)
        raise AssertionError("the desk did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None


@pytest.fixture
def feed_server() -> Iterator[str]:
    article = (
        "<html lang='en'><head><title>Harbour reopens after storm</title></head><body>"
        "<article><h1>Harbour reopens after storm</h1><p>The harbour reopened on Friday, "
        "three days after the storm closed it to all traffic, officials said.</p>"
        "<p>Repairs to the breakwater will take another month.</p></article></body></html>"
    )
    pages = {"/feed.rss": (200, "application/rss+xml", FEED.read_bytes()),
             "/page": (200, "text/html", article)}  # fmt: skip
    with local_server(static_pages(pages)) as url:
        yield url


def _axe(page: Any, where: str) -> None:
    """axe-core's violations on the page shown (none allowed)."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => `${v.id}: ${v.help} (${v.nodes.length}) ${v.nodes[0].target}`)"
    )
    assert found == [], f"{where}: {found}"


def _wait_idle(page: Any) -> None:
    """Wait until the page shows no queued or running job (the page reloads itself)."""
    page.wait_for_function(
        "() => !document.querySelector('[data-state=queued], [data-state=running]')",
        timeout=120_000,
    )
    page.wait_for_load_state("load")


def test_a_briefing_from_an_empty_desk_to_a_printed_pdf(
    chromium: str, feed_server: str, tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    pdftotext = require_tool("pdftotext")
    workspace = tmp_path / "briefings"
    server = Server(workspace, "--allow-private-addresses").start()
    hostile = tmp_path / "hostile.md"
    hostile.write_text(
        "---\ntitle: '<script>alert(\"title\")</script><img src=x onerror=alert(1)>'\n---\n\n"
        "<script>alert('body')</script> Nothing to run here.\n",
        encoding="utf-8",
    )
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
            context = browser.new_context(accept_downloads=True)
            page = context.new_page()
            dialogs: list[str] = []
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))

            page.goto(server.url)
            page.get_by_label("Title", exact=True).fill("Morning Briefing")
            page.get_by_label("Issue number").fill("No. 12")
            page.get_by_label("Marking").fill("FOR INTERNAL USE")
            page.get_by_role("button", name="New briefing").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Morning Briefing")
            slug = page.url.rsplit("/", 1)[1]

            page.locator("#new-section-title").fill("World")
            page.get_by_role("button", name="Add section").click()
            page.locator("#new-section-title").fill("Press releases")
            page.get_by_role("button", name="Add section").click()

            # two files, uploaded at once
            page.get_by_text("Add articles to World").click()
            page.locator("#files-0").set_input_files([str(SEED), str(ZH)])
            page.locator("section.section").first.get_by_role("button", name="Add files").click()
            _wait_idle(page)
            expect(page.locator("li.card")).to_have_count(2)

            # a feed served from 127.0.0.1 (the desk was started to allow it)
            page.get_by_text("Add articles to Press releases").click()
            page.locator("#feed-1").fill(f"{feed_server}/feed.rss")
            page.locator("#limit-1").fill("2")
            page.locator("section.section").nth(1).get_by_role("button", name="Add feed").click()
            _wait_idle(page)
            expect(page.locator("li.card")).to_have_count(4)

            # reorder with the keyboard
            cards = page.locator("section.section").first.locator("li.card h4")
            first_title = cards.first.inner_text()
            down = page.get_by_role("button", name=f"Move down: {first_title}")
            down.focus()
            page.keyboard.press("Enter")
            page.wait_for_load_state("load")
            expect(cards.nth(1)).to_have_text(first_title)

            # a summary of our own
            card = page.locator("li.card").filter(has_text=first_title)
            card.get_by_text("Edit title and summary").click()
            card.get_by_label("Summary shown").fill("The duty editor's own summary.")
            card.get_by_role("button", name="Save article").click()
            expect(page.locator("li.card").filter(has_text=first_title)).to_contain_text(
                "The duty editor's own summary."
            )

            # the hostile article shows as text and runs nothing
            page.get_by_text("Add articles to World").click()
            page.locator("#files-0").set_input_files([str(hostile)])
            page.locator("section.section").first.get_by_role("button", name="Add files").click()
            _wait_idle(page)
            expect(
                page.get_by_text('<script>alert("title")</script>', exact=False).first
            ).to_be_visible()

            # the preview is the html writer's page
            preview = page.frame_locator("iframe.preview")
            expect(preview.get_by_text("Morning Briefing").first).to_be_visible()
            expect(preview.get_by_text(first_title).first).to_be_visible()

            page.locator("section.section").first.scroll_into_view_if_needed()
            page.evaluate("() => document.getElementById('sections').scrollIntoView()")
            page.screenshot(path=str(tmp_path / "desk.png"), full_page=False)
            if os.environ.get("BRIEFKIT_UPDATE_SCREENSHOT") == "1":
                SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(tmp_path / "desk.png", SCREENSHOT)

            # build, then download the PDF and read it
            page.get_by_role("button", name="Build").click()
            _wait_idle(page)
            expect(page.get_by_role("link", name="PDF", exact=True)).to_be_visible()
            with page.expect_download() as download:
                page.get_by_role("link", name="PDF", exact=True).click()
            pdf = tmp_path / "morning.pdf"
            download.value.save_as(pdf)
            text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True,
                                  check=True).stdout  # fmt: skip
            assert "Morning Briefing" in text and "No. 12" in text and "FOR INTERNAL USE" in text
            assert first_title.split(":")[0] in text
            assert "Press releases" in text
            assert dialogs == [] and errors == []

            # two people (two browser contexts) on one briefing: the stale one is told
            other = browser.new_context().new_page()
            other.goto(page.url)
            page.locator("#new-section-title").fill("Economy")
            page.get_by_role("button", name="Add section").click()
            other.locator("#new-section-title").fill("Culture")
            other.get_by_role("button", name="Add section").click()
            expect(other.get_by_role("alert")).to_contain_text("changed elsewhere — reload")

            # every screen passes axe (a context that may inject it past the desk's CSP)
            checker = browser.new_context(bypass_csp=True).new_page()
            for path in ("/", f"/b/{slug}", f"/b/{slug}/preview", "/b/no-such-briefing"):
                checker.goto(server.url + path)
                _axe(checker, path)
            checker.goto(server.url + f"/b/{slug}")
            checker.locator("#new-section-title").fill("Stale")
            checker.evaluate("() => document.querySelectorAll('[name=version]')"
                             ".forEach(f => f.value = 'stale')")  # fmt: skip
            checker.get_by_role("button", name="Add section").click()
            _axe(checker, "the changed-elsewhere page")
            browser.close()

        # a restart loses nothing
        server.stop()
        server.start()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
            page = browser.new_page()
            page.goto(f"{server.url}/b/{slug}")
            expect(page.locator("li.card")).to_have_count(5)
            expect(page.locator("p.summary").filter(has_text="own summary")).to_be_visible()
            browser.close()
    finally:
        server.stop()


def test_a_private_address_is_refused_with_a_message(
    chromium: str, feed_server: str, tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    server = Server(tmp_path / "briefings").start()  # no --allow-private-addresses
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
            page = browser.new_page()
            page.goto(server.url)
            page.get_by_label("Title", exact=True).fill("Outside only")
            page.get_by_role("button", name="New briefing").click()
            page.locator("#new-section-title").fill("World")
            page.get_by_role("button", name="Add section").click()
            page.get_by_text("Add articles to World").click()
            page.get_by_label("Web page address").fill(f"{feed_server}/page")
            page.get_by_role("button", name="Add page").click()
            _wait_idle(page)
            expect(page.locator("#jobs")).to_contain_text("private or local address")
            expect(page.locator("li.card")).to_have_count(0)
            browser.close()
    finally:
        server.stop()
