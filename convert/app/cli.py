"""The ``briefkit`` command line: a thin click shell over :mod:`convert.app.api`."""

from __future__ import annotations

import platform
import signal
import sys
import warnings
from pathlib import Path
from typing import Any

import click

from ..media import pictures
from ..media.pictures import extract
from ..model import ir, ir_json
from ..model.errors import BriefkitError, BriefkitWarning
from ..model.version import __version__
from ..plan.styles import available_styles, load_style
from . import api, registry
from .batch import BatchResult, BatchSummary, write_report
from .batch import batch as run_batch
from .briefing import append as append_articles
from .briefing import build as build_briefing
from .briefing import load_manifest
from .mapping_report import format_report
from .mapping_report import mapping as read_mapping
from .progress import Progress, Stages, choose_mode

EXAMPLES = """
\b
Examples:
  briefkit convert article.txt -o briefing.docx
  briefkit convert a.txt b.txt c.txt -o digest.pdf --style compact -M title="Week 12"
  briefkit convert notes.json -o week.epub
  briefkit inspect article.txt > article.json
  briefkit inspect --mapping briefing.docx
  briefkit batch archive/ -o out/ -t pdf --jobs 2
  briefkit build fixtures/briefing/briefing.toml -o out/
  briefkit append out/morning-briefing.pdf late.txt --section World
  briefkit formats
"""


class _Group(click.Group):
    """Turns known errors into one line on stderr and exit code 1 (tracebacks with --debug)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", BriefkitWarning)
                try:
                    return super().invoke(ctx)
                finally:
                    for item in caught:
                        if issubclass(item.category, BriefkitWarning):
                            click.echo(f"briefkit: warning: {item.message}", err=True)
        except BriefkitError as exc:
            if ctx.meta.get("briefkit.debug"):
                raise
            click.echo(f"briefkit: error: {exc}", err=True)
            ctx.exit(1)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except Exception as exc:
            if ctx.meta.get("briefkit.debug"):
                raise
            message = str(exc).splitlines()[0] if str(exc) else ""
            click.echo(
                f"briefkit: internal error: {type(exc).__name__}: {message} "
                "(run with --debug for the traceback)",
                err=True,
            )
            ctx.exit(1)


# Options several commands share, defined once.
_FROM_OPTION = click.option(
    "-f", "--from", "from_format", metavar="FORMAT", help="Input format (default: by extension)."
)
_VERBOSE_OPTION = click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Print one warning per thing a reader left out (the IR's 'dropped' list: boilerplate, "
    "pages without text, duplicates, library messages) with its reason.",
)
_IMAGES_OPTION = click.option(
    "--images",
    type=click.Choice(pictures.POLICIES),
    default=pictures.DEFAULT_POLICY,
    show_default=True,
    help="Which pictures to embed: none; local files, the inputs' own pictures and data: "
    "URIs; or all, also fetching http(s) pictures.",
)
_STYLE_OPTION = click.option(
    "--style", metavar="NAME|PATH", help="Style name (see 'briefkit styles') or a .toml file."
)
_METADATA_OPTION = click.option(
    "-M",
    "--metadata",
    "metadata",
    multiple=True,
    metavar="KEY=VALUE",
    help="Collection metadata: "
    + ", ".join(k for k in ir.COLLECTION_META_FIELDS if k != "sections")
    + ". Repeatable.",
)


def version_text() -> str:
    """What ``--version`` prints: briefkit, Python, the engines and the fonts found."""
    # Imported here: importlib.metadata (~13 ms) and the PDF writer (reportlab, ~100 ms) are
    # start-up every other command would pay.
    from importlib.metadata import PackageNotFoundError, version

    from ..writers.pdf import find_font_file

    lines = [f"briefkit {__version__} (Python {platform.python_version()})"]
    engines = []
    for package in ("reportlab", "python-docx", "ebooklib", "pikepdf", "lxml", "trafilatura"):
        try:
            engines.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            engines.append(f"{package} missing")
    lines.append("engines: " + ", ".join(engines))
    style = load_style(None)

    def where(family: str) -> Path | None:
        files = style.font_files.get(family)
        return find_font_file(files.regular, style.search_dirs) if files else None

    main_fonts = dict.fromkeys(style.fonts.values())
    lines.append(
        "fonts: " + ", ".join(f"{family} ({where(family) or 'missing'})" for family in main_fonts)
    )
    scripts = dict.fromkeys(style.script_fonts.values())
    missing = [family for family in scripts if where(family) is None]
    lines.append(
        f"script fonts: {len(scripts) - len(missing)} of {len(scripts)} found"
        + (f"; missing: {', '.join(missing)}" if missing else "")
    )
    return "\n".join(lines)


def _print_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(version_text())
        ctx.exit()


@click.group(cls=_Group, epilog=EXAMPLES, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show the version, the engines' versions and the fonts found, and exit.",
)
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Turn news articles into DOCX briefings, PDF digests and EPUB collections."""
    ctx.meta["briefkit.debug"] = debug


def _parse_metadata(pairs: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{pair!r} is not KEY=VALUE", param_hint="-M/--metadata")
        out[key.strip()] = value
    return out


@main.command(epilog=EXAMPLES)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=str),
    help="Output file ('-': standard output, with -t); its extension picks the format unless "
    "-t is given.",
)
@_FROM_OPTION
@click.option(
    "-t", "--to", "to_format", metavar="FORMAT", help="Output format (default: by extension)."
)
@click.option(
    "--force", is_flag=True, help="Write the -t format even where the extension names another."
)
@_STYLE_OPTION
@_METADATA_OPTION
@_IMAGES_OPTION
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on success.")
@_VERBOSE_OPTION
def convert(
    inputs: tuple[str, ...],
    output: str,
    from_format: str | None,
    to_format: str | None,
    force: bool,
    style: str | None,
    metadata: tuple[str, ...],
    images: str,
    quiet: bool,
    verbose: bool,
) -> None:
    """Convert INPUT files into one OUTPUT document (several inputs make a collection;
    '-' reads standard input)."""

    with Stages(choose_mode(quiet), output) as stages:
        collection = api.convert(
            inputs,
            output,
            from_format=from_format,
            to_format=to_format,
            style=style,
            metadata=_parse_metadata(metadata),
            on_read=stages.read,
            images=images,
            force=force,
        )
    if verbose:
        _report_dropped(collection)
    if not quiet:
        count = len(collection.articles)
        shown = "standard output" if output == api.STDIO else output
        click.echo(
            f"briefkit: wrote {shown} ({count} article{'s' if count != 1 else ''})", err=True
        )


def _report_dropped(collection: ir.Collection) -> None:
    """One ``briefkit: warning:`` line per dropped item, naming its article."""
    for number, article in enumerate(collection.articles, 1):
        where = article.meta.title or f"article {number}"
        where = where if len(where) <= 60 else where[:59] + "…"
        for item in article.dropped:
            text = " ".join(item.text.split())
            text = text if len(text) <= 80 else text[:79] + "…"
            line = f" (line {item.line})" if item.line else ""
            click.echo(
                f"briefkit: warning: {where}: left out{line} {text!r}: {item.reason}", err=True
            )


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=str))
@_FROM_OPTION
@click.option(
    "--mapping",
    is_flag=True,
    help="For DOCX, PDF and EPUB files: list every field, its value and the slot it was read "
    "from (core/custom property, Info/XMP, OPF/XHTML head, or the embedded IR).",
)
@_IMAGES_OPTION
@click.option(
    "--extract-media",
    metavar="DIR",
    type=click.Path(path_type=str, file_okay=False),
    help="Write the pictures' bytes into DIR; the printed JSON points at those files.",
)
def inspect(
    inputs: tuple[str, ...],
    from_format: str | None,
    mapping: bool,
    images: str,
    extract_media: str | None,
) -> None:
    """Print the IR JSON of INPUT files (several inputs are combined)."""
    if mapping:
        for index, source in enumerate(inputs):
            if len(inputs) > 1:
                click.echo(("\n" if index else "") + f"== {source}")
            click.echo(format_report(read_mapping(Path(source))))
        return
    collection: ir.Collection = api.combine(
        [api.load(source, from_format, images) for source in inputs]
    )
    if extract_media is not None:
        collection = extract(collection, extract_media)
    click.echo(ir_json.dumps(collection))


@main.command(epilog=EXAMPLES)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option(
    "-o",
    "--output",
    "outdir",
    required=True,
    type=click.Path(path_type=str),
    help="Output folder; outputs mirror the input tree.",
)
@click.option(
    "-t",
    "--to",
    "to_format",
    required=True,
    metavar="FORMAT",
    help="Output format: pdf, docx, epub or json.",
)
@_FROM_OPTION
@_STYLE_OPTION
@_METADATA_OPTION
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 1024),
    default=None,
    help="Worker processes (default: the number of CPUs).",
)
@click.option("--pattern", metavar="GLOB", help="Only input names matching GLOB, e.g. '*.txt'.")
@_IMAGES_OPTION
@click.option("--force", is_flag=True, help="Redo every input, even those up to date.")
@click.option("--fail-fast", is_flag=True, help="Stop at the first failure.")
@click.option("--report", type=click.Path(path_type=str), help="Write per-file results as JSON.")
@click.option(
    "--executor",
    type=click.Choice(["process", "dask"]),
    default="process",
    show_default=True,
    help="Run the jobs in a process pool or on dask.distributed.",
)
@click.option(
    "--scheduler",
    metavar="tcp://HOST:PORT",
    help="With --executor dask: an existing scheduler (default: a local cluster).",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress and no summary (errors still show).")
def batch(
    inputs: tuple[str, ...],
    outdir: str,
    to_format: str,
    from_format: str | None,
    style: str | None,
    metadata: tuple[str, ...],
    jobs: int | None,
    pattern: str | None,
    images: str,
    force: bool,
    fail_fast: bool,
    report: str | None,
    executor: str,
    scheduler: str | None,
    quiet: bool,
) -> None:
    """Convert each INPUT (files, folders, globs) into its own document in OUTDIR.

    Resumable: a rerun skips inputs whose output is up to date. Exit code 1 when any input
    failed.
    """

    summary = BatchSummary()
    collected: list[BatchResult] = []
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        with Progress("batch", choose_mode(quiet)) as progress:

            def shown(result: BatchResult, total: int) -> None:
                summary.add(result)
                collected.append(result)
                progress.advance(total, result.status == "failed", result.reason)

            try:
                run_batch(
                    inputs,
                    outdir,
                    to=to_format,
                    jobs=jobs,
                    executor=executor,  # type: ignore[arg-type]
                    scheduler=scheduler,
                    from_format=from_format,
                    style=style,
                    metadata=_parse_metadata(metadata),
                    pattern=pattern,
                    images=images,
                    force=force,
                    fail_fast=fail_fast,
                    on_result=shown,
                )
            except KeyboardInterrupt:
                summary.interrupted = True
    finally:
        signal.signal(signal.SIGTERM, previous)
    if report:
        write_report(Path(report), collected)
    if not quiet or summary.interrupted:
        state = "interrupted" if summary.interrupted else "done"
        click.echo(
            f"briefkit: batch {state}: {summary.converted} converted, {summary.skipped} "
            f"skipped, {summary.failed} failed ({outdir})",
            err=True,
        )
    if summary.interrupted:
        raise SystemExit(130)
    if summary.failed:
        raise SystemExit(1)


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM ends a batch like Ctrl-C: workers stop, the manifest is saved."""
    raise KeyboardInterrupt


@main.command(epilog=EXAMPLES)
@click.argument("manifest", type=click.Path(path_type=str))
@click.option(
    "-o",
    "--output",
    "outdir",
    type=click.Path(path_type=str),
    help="Folder for the outputs (default: the paths the manifest names).",
)
@_IMAGES_OPTION
@click.option(
    "--edition",
    is_flag=True,
    help="Make the next edition: the next number, only what was not printed before, kept "
    "in editions/ (an [edition] table in the manifest does the same).",
)
@click.option("--dry-run", is_flag=True, help="With an edition: say what it would hold.")
@click.option("--wait", is_flag=True, help="With an edition: wait for a run already going.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on success.")
@_VERBOSE_OPTION
def build(
    manifest: str,
    outdir: str | None,
    images: str,
    edition: bool,
    dry_run: bool,
    wait: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Build the briefing a MANIFEST (TOML) describes: every output it names, one identifier.

    \b
    Exit codes: 0 built, 1 an error, 3 an edition with nothing new (no edition made),
    4 another edition of the same briefing is being made.
    """

    def warn(message: str) -> None:
        click.echo(f"briefkit: warning: {message}", err=True)

    loaded = load_manifest(Path(manifest))
    if edition or loaded.edition is not None or dry_run:
        _edition(loaded, dry_run, wait, warn, images, quiet, verbose)
        return
    collection, written = build_briefing(loaded, Path(outdir) if outdir else None, warn, images)
    if verbose:
        _report_dropped(collection)
    if not quiet:
        count = len(collection.articles)
        for path in written.values():
            click.echo(
                f"briefkit: wrote {path} ({count} article{'s' if count != 1 else ''})", err=True
            )


@main.command(epilog=EXAMPLES)
@click.argument("existing", type=click.Path(path_type=str))
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--section", metavar="NAME", help="Add the articles to this section (new if needed).")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=str),
    help="Write the result here (its extension picks the format) instead of over EXISTING.",
)
@_STYLE_OPTION
@_IMAGES_OPTION
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on success.")
@_VERBOSE_OPTION
def append(
    existing: str,
    inputs: tuple[str, ...],
    section: str | None,
    output: str | None,
    style: str | None,
    images: str,
    quiet: bool,
    verbose: bool,
) -> None:
    """Add the articles of INPUTS to EXISTING, a DOCX, PDF, EPUB or JSON that briefkit
    wrote."""

    collection = append_articles(
        Path(existing), list(inputs), section, style, images, Path(output) if output else None
    )
    if verbose:
        _report_dropped(collection)
    if not quiet:
        count = len(collection.articles)
        shown = "standard output" if output == api.STDIO else output or existing
        click.echo(f"briefkit: wrote {shown} ({count} articles)", err=True)


def _edition(
    manifest: Any,
    dry_run: bool,
    wait: bool,
    warn: Any,
    images: str,
    quiet: bool,
    verbose: bool,
) -> None:
    from . import editions

    settings = editions.settings_of(manifest.edition, str(manifest.path))
    try:
        outcome = editions.make(
            manifest, settings, dry_run=dry_run, wait=wait, warn=warn, images=images
        )
    except editions.EditionError as exc:
        click.echo(f"briefkit: error: {exc}", err=True)
        raise SystemExit(exc.exit_code) from None
    if verbose:
        _report_dropped(outcome.collection)
    count = len(outcome.collection.articles)
    if dry_run:
        click.echo(f"{outcome.issue} would hold {count} article{'s' if count != 1 else ''}:")
        for article in outcome.collection.articles:
            mark = " (updated)" if article.meta.title in outcome.updated else ""
            click.echo(f"  {article.meta.title}{mark}")
        for title in outcome.left_out:
            click.echo(f"  left out, printed before: {title}")
        return
    if not quiet:
        click.echo(
            f"briefkit: made {outcome.issue} in {outcome.folder} ({count} "
            f"article{'s' if count != 1 else ''}, {len(outcome.left_out)} printed before, "
            f"{len(outcome.updated)} updated)",
            err=True,
        )


@main.group()
def editions() -> None:
    """The editions of a briefing: list them, show one, rebuild one."""


@editions.command("list")
@click.argument("manifest", type=click.Path(path_type=str))
def editions_list(manifest: str) -> None:
    """Every edition of MANIFEST: number, time, files kept."""
    from . import editions as series

    loaded = load_manifest(Path(manifest))
    settings = series.settings_of(loaded.edition, manifest)
    connection = series.connect(loaded.path.parent)
    try:
        for edition in series.editions(connection):
            kept = (loaded.path.parent / edition.folder).is_dir()
            count = connection.execute(
                "SELECT COUNT(*) FROM article WHERE edition = ?", (edition.number,)
            ).fetchone()[0]
            where = edition.folder if kept else "pruned"
            click.echo(
                f"{settings.number_format.format(n=edition.number):<12} "
                f"{edition.created.isoformat()}  {count:>4} articles  {where}"
            )
    finally:
        connection.close()


@editions.command("show")
@click.argument("manifest", type=click.Path(path_type=str))
@click.argument("number", type=int)
def editions_show(manifest: str, number: int) -> None:
    """What edition NUMBER of MANIFEST held."""
    from . import editions as series

    loaded = load_manifest(Path(manifest))
    connection = series.connect(loaded.path.parent)
    try:
        rows = connection.execute(
            "SELECT section, title, url, updated_from FROM article WHERE edition = ? "
            "ORDER BY rowid",
            (number,),
        ).fetchall()
    finally:
        connection.close()
    if not rows:
        raise BriefkitError(f"no edition {number}", where=manifest)
    for section, title, url, updated in rows:
        mark = f"  (updated; first in {updated})" if updated else ""
        click.echo(f"{section or '-'}: {title}{mark}" + (f"  <{url}>" if url else ""))


@editions.command("rebuild")
@click.argument("manifest", type=click.Path(path_type=str))
@click.argument("number", type=int)
@click.option("-o", "--output", "outdir", required=True, type=click.Path(path_type=str),
              help="Folder for the rebuilt files.")  # fmt: skip
def editions_rebuild(manifest: str, number: int, outdir: str) -> None:
    """Make edition NUMBER's files again, byte for byte, from the IR it kept."""
    from . import editions as series

    written = series.rebuild(load_manifest(Path(manifest)), number, Path(outdir))
    for name in written.values():
        click.echo(f"briefkit: wrote {Path(outdir) / name}", err=True)


@main.command()
@click.option(
    "--workspace",
    default="briefings",
    show_default=True,
    type=click.Path(path_type=str, file_okay=False),
    help="Folder holding one folder per briefing (created if missing).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535))
@click.option("--open", "open_browser", is_flag=True, help="Open the desk in a web browser.")
@click.option(
    "--token",
    metavar="TOKEN",
    help="Access token every request must carry (generated and printed when --host is not "
    "this machine's own address).",
)
@click.option(
    "--allow-private-addresses",
    is_flag=True,
    help="Let the desk fetch pages and feeds on this machine or its private network.",
)
@_IMAGES_OPTION
def serve(
    workspace: str,
    host: str,
    port: int,
    open_browser: bool,
    token: str | None,
    allow_private_addresses: bool,
    images: str,
) -> None:
    """Start the briefing desk: compose, preview and publish briefings in a web browser."""
    # Imported here: the desk needs the web extra (Starlette, uvicorn), which a
    # conversion never loads.
    try:
        import uvicorn

        from .desk import create_app
    except ImportError as exc:
        raise BriefkitError(
            f"the desk needs the web extra ({exc.name} is missing): pip install 'briefkit[web]'"
        ) from None
    import ipaddress
    import secrets
    import webbrowser

    try:
        local = ipaddress.ip_address(host).is_loopback
    except ValueError:
        local = host == "localhost"
    if not local and not token:
        token = secrets.token_urlsafe(24)
    app = create_app(
        Path(workspace), token=token, allow_private=allow_private_addresses, images=images
    )
    shown_host = f"[{host}]" if ":" in host else host
    address = f"http://{shown_host}:{port}/" + (f"?token={token}" if token else "")
    click.echo(f"briefkit: the desk is at {address} (Ctrl-C stops it)", err=True)
    if open_browser:
        webbrowser.open(address)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)


@main.command()
def formats() -> None:
    """List the readers and writers, with aliases and file extensions."""
    for kind, heading in (("reader", "Readers"), ("writer", "Writers")):
        click.echo(f"{heading}:")
        for fmt in registry.formats(kind):  # type: ignore[arg-type]
            names = ", ".join((fmt.name, *fmt.aliases))
            exts = " ".join(fmt.extensions)
            origin = "" if fmt.builtin else " [plugin]"
            click.echo(f"  {names:<18} {exts:<16} {fmt.description}{origin}")


@main.command()
def styles() -> None:
    """List the bundled styles."""
    for name, description in available_styles():
        click.echo(f"  {name:<12} {description}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
