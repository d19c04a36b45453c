"""The web pages: `journeys serve` (the app in a browser) and `journeys report --out DIR`
(the same pages as static HTML)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click

from cli.context import friendly, settings
from cli.params import as_at_option, known_at_option, purpose_option


@click.command()
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (127.0.0.1: this machine only)."
)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option(
    "--config",
    "config",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="A shared deployment's users and their LAs (TOML; docs/surgery.md): each request's user is named "
    "by the reverse proxy's header and sees only their LAs.",
)
@friendly
def serve(host: str, port: int, config: Path | None) -> None:
    """Serve the caseload, child pages, surgery agenda and reports in a browser.

    The pages use the GOV.UK Design System and call the same library functions as the other
    commands. Actions added or completed in the browser are recorded as --user (JOURNEYS_USER,
    or the OS user) with source `web`. Listens on 127.0.0.1 unless --host says otherwise;
    stop it with Ctrl-C.

    A shared deployment (--config FILE) serves behind a reverse proxy that signs users in and
    names each request's user in a header: a user sees and records only the LAs the file gives
    them (on a PostgreSQL store with access rules, also granted to their role), is recorded as
    themselves, and is in the access log for every child shown.

    \b
    Example:
      journeys serve
      journeys --store team.db serve --port 8080
      journeys --store "$URL" serve --config /etc/journeys/users.toml
    """
    import uvicorn

    import web

    s = settings()
    deployment = web.load_deployment(config) if config is not None else None
    site = web.create_app(s.app(), user=s.recorded_by, deployment=deployment)
    if deployment is not None:
        shown = ", ".join(sorted(deployment.users))
        click.echo(f"journeys: users {shown}, named by the {deployment.header} header of the proxy", err=True)
    elif host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"journeys: serving on {host}: anyone who can reach it sees every child's page", err=True)
    click.echo(f"journeys: serving {s.store} at http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    uvicorn.run(site, host=host, port=port, log_level="warning")


@click.command()
@click.option(
    "--out",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    metavar="DIR",
    help="Folder to write the pages into (made if missing).",
)
@as_at_option
@known_at_option
@click.option("--la", metavar="CODE", default=None, help="Only this local authority (default: every one).")
@click.option("--period", metavar="YYYY-YY", default=None, help="The scorecard's and stages' financial years.")
@purpose_option
@friendly
def report(
    folder: Path, as_at: date | None, known_at: datetime | None, la: str | None, period: str | None, purpose: str | None
) -> None:
    """Write the web pages as static HTML into DIR: caseload (index.html), agenda, reports, a
    page per child and per figure, charts and assets included; open index.html from disk. Every
    child written is recorded in the access log (with --purpose), as `show` records one.

    \b
    Example:
      journeys report --out surgery-2016-03 --as-at 2016-03-31
    """
    import web
    from web.query import Query

    if folder.exists() and any(folder.iterdir()) and not (folder / "index.html").exists():
        raise click.UsageError(f"{str(folder)!r} holds other files: give an empty or new folder, or an earlier report")
    query = Query(as_at=as_at, known_at=known_at, known_at_text=known_at.isoformat() if known_at else "", la=la)
    s = settings()
    quiet = s.quiet
    written = web.write_report(
        s.app(),
        folder,
        query,
        period=period,
        progress=None if quiet else lambda t: click.echo(f"  {t}", err=True),
        user=s.recorded_by,
        purpose=purpose,
    )
    click.echo(f"Wrote {written.pages} pages ({written.children} children, {written.figures} figures): {written.index}")


COMMANDS = [serve, report]
