"""The desk's pages and actions (Starlette): compose, preview, build, download.

Every page is rendered on the server with Jinja2 (autoescaped: an article titled
``<script>`` shows as text); the one script is a static file that polls long work. Every
action is a form POST carrying a CSRF token and the version of the briefing it was made on.
"""

from __future__ import annotations

import contextlib
import hmac
import io
import secrets
import sys
import zipfile
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ...media.fetch import fetch
from ...model import ir
from ...model.errors import BriefkitError
from ...plan.styles import available_styles, load_style
from ...writers import html as html_writer
from ..briefing import collect, load_manifest
from . import sources as reading
from .jobs import Jobs, Progress
from .store import (
    META_KEYS,
    OUTPUT_FORMATS,
    ChangedElsewhere,
    DeskError,
    NotFound,
    Workspace,
    clean_meta,
    find_card,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

MAX_UPLOAD_FILES = 20
"""Files one upload may carry."""
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
"""Size of one uploaded file."""
MAX_REQUEST_BYTES = 100 * 1024 * 1024
"""Size of one request's body."""
MAX_FIELD_BYTES = 64 * 1024
"""Size of one form field."""
CARDS_SHOWN = 100
"""Cards a section shows at first (a link shows them all): a page stays quick to send."""
CSRF_COOKIE = "briefkit_csrf"
TOKEN_COOKIE = "briefkit_token"
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
PREVIEW_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'self'; sandbox allow-same-origin"
)

_templates = Environment(
    loader=PackageLoader("convert.app.desk", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)

Handler = Callable[[Request], Awaitable[Response]]


class Desk:
    """The application's state: the workspace, the jobs, the settings."""

    def __init__(
        self, workspace: Path, token: str | None, allow_private: bool, images: str
    ) -> None:
        self.workspace = Workspace(workspace)
        self.jobs = Jobs()
        self.token = token
        self.allow_private = allow_private
        self.images = images
        self.styles = [name for name, _ in available_styles()]


# --------------------------------------------------------------------------- guards


class Guard(BaseHTTPMiddleware):
    """The access token (when the desk listens beyond this machine) and the headers every
    answer carries."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        desk: Desk = request.app.state.desk
        if desk.token is not None:
            given = request.query_params.get("token")
            cookie = request.cookies.get(TOKEN_COOKIE, "")
            if given is not None and hmac.compare_digest(given, desk.token):
                response: Response = RedirectResponse(request.url.path, status_code=303)
                response.set_cookie(
                    TOKEN_COOKIE, desk.token, httponly=True, samesite="strict", path="/"
                )
                return _secured(response)
            if not hmac.compare_digest(cookie, desk.token):
                page = _render(
                    "error.html",
                    request,
                    title="Access token needed",
                    message="Open the address briefkit serve printed (it carries the token).",
                )
                page.status_code = 403
                return _secured(page)
        return _secured(await call_next(request))


def _secured(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", PAGE_POLICY)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def _csrf_token(request: Request) -> str:
    token = request.cookies.get(CSRF_COOKIE)
    if not token or len(token) < 32:
        token = getattr(request.state, "new_csrf", None) or secrets.token_urlsafe(32)
        request.state.new_csrf = token
    return token


async def _form(request: Request, files: bool = False) -> FormData:
    """The POSTed form, within the size limits, with its CSRF token checked."""
    length = request.headers.get("content-length")
    if length is None or not length.isdigit():
        raise HTTPException(411, "a form must say its length")
    if int(length) > MAX_REQUEST_BYTES:
        raise HTTPException(413, f"too large: at most {MAX_REQUEST_BYTES // 2**20} MB at once")
    form = await request.form(
        max_files=MAX_UPLOAD_FILES if files else 0,
        max_fields=100,
        max_part_size=MAX_FIELD_BYTES,
    )
    cookie = request.cookies.get(CSRF_COOKIE, "")
    given = str(form.get("csrf", ""))
    if not cookie or not hmac.compare_digest(cookie, given):
        raise HTTPException(403, "the form is out of date or came from another site: reload")
    return form


def _text(form: FormData, key: str) -> str:
    value = form.get(key, "")
    return value if isinstance(value, str) else ""


def _render(name: str, request: Request, **values: Any) -> HTMLResponse:
    csrf = _csrf_token(request)
    text = _templates.get_template(name).render(csrf=csrf, **values)
    response = HTMLResponse(text)
    if request.cookies.get(CSRF_COOKIE) != csrf:
        response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict", path="/")
    return response


# --------------------------------------------------------------------------- pages


def _desk(request: Request) -> Desk:
    desk: Desk = request.app.state.desk
    return desk


async def index(request: Request, error: str = "", status: int = 200) -> Response:
    desk = _desk(request)
    briefings = [(b.slug, b.title()) for b in desk.workspace.briefings()]
    page = _render(
        "index.html",
        request,
        title="Briefings",
        briefings=briefings,
        styles=desk.styles,
        error=error,
    )
    page.status_code = status
    return page


async def briefing_page(request: Request, error: str = "", status: int = 200) -> Response:
    desk = _desk(request)
    briefing = desk.workspace.briefing(request.path_params["slug"])
    data = briefing.data()
    sections = briefing.sections()
    outputs = [
        (fmt, (briefing.folder / data["outputs"][fmt]).is_file())
        for fmt in OUTPUT_FORMATS
        if fmt in data.get("outputs", {})
    ]
    page = _render(
        "briefing.html",
        request,
        title=data.get("title") or briefing.slug,
        slug=briefing.slug,
        meta=data,
        version=briefing.version(),
        sections=sections,
        jobs=_shown_jobs(desk.jobs.of(briefing.slug)),
        outputs=outputs,
        styles=desk.styles,
        error=error,
        shown=None if request.query_params.get("all") == "1" else CARDS_SHOWN,
    )
    page.status_code = status
    return page


def _shown_jobs(jobs: list[Any]) -> list[dict[str, Any]]:
    """The jobs a page shows: every one still running, and the last three finished."""
    finished = [job for job in jobs if job.state in ("done", "failed")][-3:]
    return [job.as_dict() for job in jobs if job.state not in ("done", "failed") or job in finished]


def _action(
    handler: Callable[[Request, FormData], Awaitable[Response | None]], files: bool = False
) -> Handler:
    """A POST action: its form checked (``files``: it may carry uploads), a DeskError shown
    on the page it came from."""

    async def run(request: Request) -> Response:
        form = await _form(request, files)
        try:
            response = await handler(request, form)
        except ChangedElsewhere as exc:
            return await _again(request, str(exc), 409)
        except NotFound as exc:
            return await _again(request, str(exc), 404)
        except BriefkitError as exc:
            return await _again(request, str(exc), 400)
        finally:
            await form.close()  # uploads were read whole: their spooled files go now
        if response is not None:
            return response
        target = f"/b/{request.path_params['slug']}" if "slug" in request.path_params else "/"
        return RedirectResponse(target, status_code=303)

    return run


async def _again(request: Request, message: str, status: int) -> Response:
    # Paths inside the workspace are shown from it: the browser needs no server paths.
    message = message.replace(str(_desk(request).workspace.root) + "/", "")
    if "slug" in request.path_params:
        try:
            return await briefing_page(request, message, status)
        except NotFound:
            pass
    return await index(request, message, status)


async def new_briefing(request: Request, form: FormData) -> Response:
    desk = _desk(request)
    meta = clean_meta({k: _text(form, k) for k in form}, desk.styles)
    briefing = desk.workspace.create(meta)
    return RedirectResponse(f"/b/{briefing.slug}", status_code=303)


async def open_file(request: Request, form: FormData) -> Response:
    """A new briefing from a briefkit document (its embedded IR) or a manifest."""
    desk = _desk(request)
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise DeskError("choose a file to open")
    data = await _upload_bytes(upload)
    label = upload.filename
    slug, missing = await _in_thread(request, lambda: _opened(desk, data, label))
    if missing:
        count = f"{len(missing)} source{'s' if len(missing) != 1 else ''}"
        desk.jobs.record(slug, f"Opening {label}", f"{count} not added: {'; '.join(missing)}")
    return RedirectResponse(f"/b/{slug}", status_code=303)


def _opened(desk: Desk, data: bytes, label: str) -> tuple[str, list[str]]:
    """The new briefing's slug, and the sources of the file that could not be added."""
    if reading.suffix_of(label) == ".toml":
        return _opened_manifest(desk, data)
    collection = reading.read_upload(data, label)
    if not collection.articles:
        raise DeskError(f"{label}: no articles in it")
    meta: dict[str, Any] = {"title": collection.title or collection.articles[0].meta.title}
    for key in ("subtitle", "issue", "publisher", "marking", "language"):
        if getattr(collection, key, None):
            meta[key] = getattr(collection, key)
    if collection.editors:
        meta["editors"] = list(collection.editors)
    briefing = desk.workspace.create(clean_meta(_as_form(meta), desk.styles))
    spans = ir.section_spans(collection) if collection.sections else []
    groups = (
        [(section.title, section.intro or "", articles) for section, articles in spans]
        if spans
        else [("Articles", "", collection.articles)]
    )

    def change(manifest: dict[str, Any]) -> None:
        for title, intro, articles in groups:
            ids = briefing.add_articles(
                ir.Collection(articles=tuple(articles)), data, reading.suffix_of(label)
            )
            entry: dict[str, Any] = {"title": title or "Articles"}
            if intro:
                entry["intro"] = intro
            entry["sources"] = [{"path": f"sources/{i}.json"} for i in ids]
            manifest.setdefault("section", []).append(entry)

    briefing.edit(None, change)
    return briefing.slug, []


def _as_form(meta: dict[str, Any]) -> dict[str, str]:
    return {k: ", ".join(v) if isinstance(v, list) else str(v) for k, v in meta.items()}


def _opened_manifest(desk: Desk, data: bytes) -> tuple[str, list[str]]:
    """A manifest's metadata and sections; its URL sources are fetched, file sources (not
    uploaded with it) are listed as missing."""
    try:
        manifest = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DeskError(f"not a manifest: {exc}") from None
    meta = {k: manifest[k] for k in META_KEYS if k in manifest}
    if "title" not in meta:
        raise DeskError("the manifest has no title")
    briefing = desk.workspace.create(clean_meta(_as_form(meta), desk.styles))
    missing: list[str] = []

    def change(state: dict[str, Any]) -> None:
        for section in manifest.get("section", []):
            entry: dict[str, Any] = {"title": str(section.get("title", "Articles"))}
            if section.get("intro"):
                entry["intro"] = str(section["intro"])
            entry["sources"] = []
            for source in section.get("sources", []):
                url = source if isinstance(source, str) else source.get("url")
                if isinstance(url, str) and url.startswith(("http://", "https://")):
                    try:
                        collection, raw = reading.read_url(url, desk.allow_private)
                    except BriefkitError as exc:
                        missing.append(str(exc))
                        continue
                    for i in briefing.add_articles(collection, raw, ".html"):
                        entry["sources"].append({"path": f"sources/{i}.json"})
                else:
                    path = source.get("path") if isinstance(source, dict) else source
                    missing.append(f"{path} (a file: upload it to the section)")
            state.setdefault("section", []).append(entry)

    briefing.edit(None, change)
    return briefing.slug, missing


async def _upload_bytes(upload: UploadFile) -> bytes:
    data = await upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise DeskError(
            f"{upload.filename}: too large (at most {MAX_UPLOAD_BYTES // 2**20} MB a file)"
        )
    return data


async def _in_thread(request: Request, work: Callable[[], Any]) -> Any:
    import asyncio

    return await asyncio.get_running_loop().run_in_executor(_desk(request).jobs.threads, work)


async def edit_meta(request: Request, form: FormData) -> None:
    desk = _desk(request)
    briefing = desk.workspace.briefing(request.path_params["slug"])
    meta = clean_meta({k: _text(form, k) for k in form}, desk.styles)

    def change(data: dict[str, Any]) -> None:
        for key in META_KEYS:
            data.pop(key, None)
        data.update(meta)

    briefing.edit(_text(form, "version"), change)


def _section_index(data: dict[str, Any], request: Request) -> int:
    index = int(request.path_params["n"])
    if not 0 <= index < len(data.get("section", [])):
        raise NotFound("no such section (it may have been removed elsewhere)")
    return index


def _section_fields(form: FormData) -> tuple[str, str]:
    """A section form's title (required) and introduction, white space tidied."""
    title = " ".join(_text(form, "title").split())
    if not title:
        raise DeskError("a section needs a title")
    return title, " ".join(_text(form, "intro").split())


async def add_section(request: Request, form: FormData) -> None:
    briefing = _desk(request).workspace.briefing(request.path_params["slug"])
    title, intro = _section_fields(form)

    def change(data: dict[str, Any]) -> None:
        entry: dict[str, Any] = {"title": title}
        if intro:
            entry["intro"] = intro
        entry["sources"] = []
        data.setdefault("section", []).append(entry)

    briefing.edit(_text(form, "version"), change)


async def edit_section(request: Request, form: FormData) -> None:
    briefing = _desk(request).workspace.briefing(request.path_params["slug"])
    title, intro = _section_fields(form)

    def change(data: dict[str, Any]) -> None:
        section = data["section"][_section_index(data, request)]
        section["title"] = title
        if intro:
            section["intro"] = intro
        else:
            section.pop("intro", None)
        section["sources"] = section.pop("sources", [])  # keep sources last

    briefing.edit(_text(form, "version"), change)


async def move_section(request: Request, form: FormData) -> None:
    briefing = _desk(request).workspace.briefing(request.path_params["slug"])
    step = -1 if _text(form, "direction") == "up" else 1

    def change(data: dict[str, Any]) -> None:
        sections = data["section"]
        index = _section_index(data, request)
        other = index + step
        if 0 <= other < len(sections):
            sections[index], sections[other] = sections[other], sections[index]

    briefing.edit(_text(form, "version"), change)


async def remove_section(request: Request, form: FormData) -> None:
    briefing = _desk(request).workspace.briefing(request.path_params["slug"])

    def change(data: dict[str, Any]) -> None:
        del data["section"][_section_index(data, request)]

    briefing.edit(_text(form, "version"), change)


def _adds_to(request: Request, form: FormData) -> tuple[Any, int, str]:
    """(briefing, section index, section title) an addition goes to, checked now."""
    briefing = _desk(request).workspace.briefing(request.path_params["slug"])
    if _text(form, "version") != briefing.version():
        raise ChangedElsewhere()
    data = briefing.data()
    index = _section_index(data, request)
    return briefing, index, str(data["section"][index].get("title", ""))


def _finish_adding(
    briefing: Any, index: int, title: str, found: tuple[ir.Collection, bytes, str]
) -> str:
    collection, original, suffix = found
    if not collection.articles:
        raise DeskError("no articles found in it")
    ids = briefing.add_articles(collection, original, suffix)

    def change(data: dict[str, Any]) -> None:
        sections = data.get("section", [])
        target = index if index < len(sections) and sections[index].get("title") == title else None
        if target is None:
            target = next((i for i, s in enumerate(sections) if s.get("title") == title), None)
        if target is None:
            raise DeskError(f"the section {title!r} was removed meanwhile")
        sources = sections[target].setdefault("sources", [])
        sources.extend({"path": f"sources/{i}.json"} for i in ids)

    briefing.edit(None, change)
    count = len(ids)
    return f"{count} article{'s' if count != 1 else ''} added to {title}"


def _start_adding(
    desk: Desk,
    briefing: Any,
    index: int,
    title: str,
    label: str,
    work: Callable[[Progress], tuple[ir.Collection, bytes, str]],
) -> None:
    """Read in a job, then add what was read to the section (see :func:`_finish_adding`)."""
    desk.jobs.start(
        briefing.slug, label, work, lambda found: _finish_adding(briefing, index, title, found)
    )


async def add_url(request: Request, form: FormData) -> None:
    desk = _desk(request)
    briefing, index, title = _adds_to(request, form)
    url = _text(form, "url").strip()
    if not url.lower().startswith(("http://", "https://")):
        raise DeskError("give an http:// or https:// address")

    def work(progress: Progress) -> tuple[ir.Collection, bytes, str]:
        progress.total(1)
        collection, raw = reading.read_url(url, desk.allow_private)
        progress.advance(url)
        return collection, raw, ".html"

    _start_adding(desk, briefing, index, title, f"Fetching {url}", work)


async def upload(request: Request, form: FormData) -> None:
    desk = _desk(request)
    briefing, index, title = _adds_to(request, form)
    files = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    if not files:
        raise DeskError("choose one or more files to upload")
    received = [(await _upload_bytes(f), str(f.filename)) for f in files]

    def work(progress: Progress) -> tuple[ir.Collection, bytes, str]:
        progress.total(len(received))
        articles: list[ir.Article] = []
        for data, label in received:
            articles += reading.read_upload(data, label).articles
            progress.advance(label)
        # Each file's bytes are kept (the first's with the articles, below).
        for data, label in received[1:]:
            briefing.keep_original(data, reading.suffix_of(label))
        first_data, first_label = received[0]
        return ir.Collection(articles=tuple(articles)), first_data, reading.suffix_of(first_label)

    names = ", ".join(label for _, label in received)
    _start_adding(desk, briefing, index, title, f"Reading {names}", work)


async def add_feed(request: Request, form: FormData) -> None:
    desk = _desk(request)
    briefing, index, title = _adds_to(request, form)
    url = _text(form, "url").strip()
    upload_file = form.get("file")
    since = reading.when_of(_text(form, "since"))
    limit_text = _text(form, "limit").strip()
    if limit_text and not limit_text.isdigit():
        raise DeskError("limit must be a whole number")
    limit = int(limit_text) if limit_text else None
    full = _text(form, "full") == "on"
    data: bytes | None = None
    label = url
    if isinstance(upload_file, UploadFile) and upload_file.filename:
        data, label = await _upload_bytes(upload_file), upload_file.filename
    elif not url.lower().startswith(("http://", "https://")):
        raise DeskError("give the feed's http(s) address or upload its file")

    def work(progress: Progress) -> tuple[ir.Collection, bytes, str]:
        raw = data
        if raw is None:
            raw = fetch(url, allow_private=desk.allow_private)[0]
        collection = reading.read_feed(raw, label, since, limit, full, desk.allow_private, progress)
        return collection, raw, ".xml"

    _start_adding(desk, briefing, index, title, f"Reading the feed {label}", work)


async def move_card(request: Request, form: FormData) -> None:
    briefing = _desk(request).workspace.briefing(request.path_params["slug"])
    card_id = request.path_params["card"]
    direction = _text(form, "direction")
    target_text = _text(form, "section")

    def change(data: dict[str, Any]) -> None:
        sections = data.get("section", [])
        s, i = find_card(sections, card_id)
        sources = sections[s]["sources"]
        if direction in ("up", "down"):
            j = i - 1 if direction == "up" else i + 1
            if 0 <= j < len(sources):
                sources[i], sources[j] = sources[j], sources[i]
            return
        if not target_text.isdigit() or not 0 <= int(target_text) < len(sections):
            raise DeskError("choose the section to move the article to")
        entry = sources.pop(i)
        sections[int(target_text)].setdefault("sources", []).append(entry)

    briefing.edit(_text(form, "version"), change)


async def edit_card(request: Request, form: FormData) -> None:
    briefing = _desk(request).workspace.briefing(request.path_params["slug"])
    card_id = request.path_params["card"]
    title = " ".join(_text(form, "title").split())
    summary = " ".join(_text(form, "summary").split())

    def change(data: dict[str, Any]) -> None:
        sections = data.get("section", [])
        s, i = find_card(sections, card_id)
        entry = sections[s]["sources"][i]
        for key, value in (("title", title), ("summary", summary)):
            if value:
                entry[key] = value
            else:
                entry.pop(key, None)

    briefing.edit(_text(form, "version"), change)


async def remove_card(request: Request, form: FormData) -> None:
    briefing = _desk(request).workspace.briefing(request.path_params["slug"])
    card_id = request.path_params["card"]

    def change(data: dict[str, Any]) -> None:
        sections = data.get("section", [])
        s, i = find_card(sections, card_id)
        del sections[s]["sources"][i]

    briefing.edit(_text(form, "version"), change)


async def build(request: Request, form: FormData) -> None:
    desk = _desk(request)
    briefing = desk.workspace.briefing(request.path_params["slug"])
    if _text(form, "version") != briefing.version():
        raise ChangedElsewhere()
    load_manifest(briefing.manifest_path)  # a manifest that cannot build says so now

    def finish(result: tuple[dict[str, str], list[str]]) -> str:
        written, warnings = result
        note = f"built {', '.join(fmt.upper() for fmt in written)}"
        return note + (f" ({len(warnings)} warnings: {warnings[0]})" if warnings else "")

    desk.jobs.start(
        briefing.slug,
        "Building",
        lambda progress: None,
        finish,
        in_process=True,
        process_args=(str(briefing.manifest_path), desk.images),
    )


async def jobs_json(request: Request) -> Response:
    desk = _desk(request)
    briefing = desk.workspace.briefing(request.path_params["slug"])
    return JSONResponse(
        {
            "version": briefing.version(),
            "jobs": [job.as_dict() for job in desk.jobs.of(briefing.slug)],
        }
    )


async def preview(request: Request) -> Response:
    desk = _desk(request)
    briefing = desk.workspace.briefing(request.path_params["slug"])

    def render() -> str:
        manifest = load_manifest(briefing.manifest_path)
        collection = collect(manifest, None, desk.images)
        return html_writer.render(collection, load_style(manifest.style))

    try:
        text = await _in_thread(request, render)
    except BriefkitError as exc:
        page = _render(
            "error.html",
            request,
            title="Nothing to preview yet",
            message=str(exc),
            back=f"/b/{briefing.slug}",
        )
        page.headers["X-Frame-Options"] = "SAMEORIGIN"
        page.headers["Content-Security-Policy"] = PAGE_POLICY.replace(
            "frame-ancestors 'none'", "frame-ancestors 'self'"
        )
        return page
    response = HTMLResponse(text)
    response.headers["Content-Security-Policy"] = PREVIEW_POLICY
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


async def download(request: Request) -> Response:
    briefing = _desk(request).workspace.briefing(request.path_params["slug"])
    fmt = request.path_params["fmt"]
    outputs = briefing.data().get("outputs", {})
    if fmt not in OUTPUT_FORMATS or fmt not in outputs:
        raise HTTPException(404, "no such output")
    path = (briefing.folder / outputs[fmt]).resolve()
    if not path.is_relative_to(briefing.folder.resolve()) or not path.is_file():
        raise HTTPException(404, "not built yet: press Build")
    return FileResponse(path, filename=f"{briefing.slug}.{fmt}")


async def download_zip(request: Request) -> Response:
    briefing = _desk(request).workspace.briefing(request.path_params["slug"])
    outputs = briefing.data().get("outputs", {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for fmt in OUTPUT_FORMATS:
            if fmt not in outputs:
                continue
            path = (briefing.folder / outputs[fmt]).resolve()
            if path.is_relative_to(briefing.folder.resolve()) and path.is_file():
                archive.write(path, f"{briefing.slug}.{fmt}")
        archive.writestr(f"{briefing.slug}.toml", briefing.manifest_bytes())
    return Response(
        buffer.getvalue(),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{briefing.slug}.zip"'},
    )


async def manifest_file(request: Request) -> Response:
    briefing = _desk(request).workspace.briefing(request.path_params["slug"])
    return PlainTextResponse(
        briefing.manifest_bytes().decode("utf-8"),
        media_type="application/toml",
        headers={"Content-Disposition": f'attachment; filename="{briefing.slug}.toml"'},
    )


async def not_found(request: Request, exc: Exception) -> Response:
    message = exc.detail if isinstance(exc, HTTPException) else str(exc)
    status = exc.status_code if isinstance(exc, HTTPException) else 404
    page = _render("error.html", request, title="Not found" if status == 404 else "Refused",
                   message=message, back="/")  # fmt: skip
    page.status_code = status
    return _secured(page)


async def server_error(request: Request, exc: Exception) -> Response:
    page = _render(
        "error.html",
        request,
        title="Something went wrong",
        message=f"internal error: {type(exc).__name__} (the server's log has the details)",
        back="/",
    )
    page.status_code = 500
    return _secured(page)


async def desk_error(request: Request, exc: Exception) -> Response:
    status = 404 if isinstance(exc, NotFound) else 400
    page = _render("error.html", request, title="Not found" if status == 404 else "Refused",
                   message=str(exc), back="/")  # fmt: skip
    page.status_code = status
    return _secured(page)


@contextlib.asynccontextmanager
async def _lifespan(app: Starlette) -> AsyncIterator[None]:
    yield
    app.state.desk.jobs.shutdown()


def create_app(
    workspace: Path,
    *,
    token: str | None = None,
    allow_private: bool = False,
    images: str = "local",
) -> Starlette:
    """The desk as an ASGI application over ``workspace``."""
    static = Path(__file__).parent / "static"
    slug = "/b/{slug:str}"
    routes = [
        Route("/", index),
        Route("/new", _action(new_briefing), methods=["POST"]),
        Route("/open", _action(open_file, files=True), methods=["POST"]),
        Route(slug, briefing_page),
        Route(slug + "/meta", _action(edit_meta), methods=["POST"]),
        Route(slug + "/sections", _action(add_section), methods=["POST"]),
        Route(slug + "/sections/{n:int}/edit", _action(edit_section), methods=["POST"]),
        Route(slug + "/sections/{n:int}/move", _action(move_section), methods=["POST"]),
        Route(slug + "/sections/{n:int}/remove", _action(remove_section), methods=["POST"]),
        Route(slug + "/sections/{n:int}/url", _action(add_url), methods=["POST"]),
        Route(slug + "/sections/{n:int}/upload", _action(upload, files=True), methods=["POST"]),
        Route(slug + "/sections/{n:int}/feed", _action(add_feed, files=True), methods=["POST"]),
        Route(slug + "/cards/{card:str}/move", _action(move_card), methods=["POST"]),
        Route(slug + "/cards/{card:str}/edit", _action(edit_card), methods=["POST"]),
        Route(slug + "/cards/{card:str}/remove", _action(remove_card), methods=["POST"]),
        Route(slug + "/build", _action(build), methods=["POST"]),
        Route(slug + "/jobs.json", jobs_json),
        Route(slug + "/preview", preview),
        Route(slug + "/download/{fmt:str}", download),
        Route(slug + "/download.zip", download_zip),
        Route(slug + "/manifest", manifest_file),
        Mount("/static", StaticFiles(directory=static), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(Guard)],
        exception_handlers={
            HTTPException: not_found,
            NotFound: desk_error,
            BriefkitError: desk_error,
            Exception: server_error,
        },
        lifespan=_lifespan,
    )
    app.state.desk = Desk(workspace, token, allow_private, images)
    return app
