"""`journeys projections status|catch-up|rebuild`: the read models' position and upkeep."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING

import click

from cli.context import friendly, settings
from cli.output import echo_json, echo_table
from cli.params import json_option
from cli.progress import events_bar
from cli.report_options import catch_up_progress

if TYPE_CHECKING:
    from projections import CatchUp


@click.group()
def projections() -> None:
    """The read models the reports use (the child_summary table): status, catch-up, rebuild.

    \b
    Example:
      journeys projections status
      journeys projections rebuild
    """


@projections.command()
@json_option
@friendly
def status(as_json: bool) -> None:
    """Where the read model stands against the head of the event log.

    \b
    Example:
      journeys projections status --json
    """
    # Imported in each command: the group below is named `projections`, and the read side is
    # for the command that runs, not for `--help`.
    from projections import projection_status

    st = projection_status(settings().app())
    data = {"position": st.position, "head": st.head, "behind": st.behind, "rows": st.rows, "location": st.location}
    if as_json:
        echo_json(data)
        return
    echo_table(
        ["read model", "position", "head", "behind", "rows", "location"],
        [["child_summary", st.position, st.head, st.behind, st.rows, st.location]],
    )


def _done(result: CatchUp, as_json: bool, verb: str, *, one_line: bool = False) -> None:
    data = {"events": result.events, "children": result.children, "position": result.position, "head": result.head}
    if as_json and one_line:
        click.echo(json.dumps(data))
    elif as_json:
        echo_json(data)
    else:
        click.echo(
            f"{verb} {result.events} events ({result.children} child re-derivations); position {result.position}"
        )


@projections.command("catch-up")
@click.option("--watch", is_flag=True, help="Keep the tables fresh: catch up, sleep, again, until Ctrl-C.")
@click.option(
    "--every",
    type=click.FloatRange(min=0),
    default=60.0,
    show_default=True,
    metavar="SECONDS",
    help="With --watch: seconds to sleep between catch-ups.",
)
@click.option(
    "--times", type=click.IntRange(min=1), default=None, metavar="N", help="With --watch: stop after N catch-ups."
)
@json_option
@friendly
def catch_up(watch: bool, every: float, times: int | None, as_json: bool) -> None:
    """Apply the events recorded since the last catch-up (reports do this themselves).

    With --watch it keeps doing so (one line per catch-up, one JSON object a line with --json)
    until Ctrl-C, which stops it cleanly (exit 0) between or inside a catch-up: what a stopped
    catch-up had not committed is applied by the next one.

    \b
    Example:
      journeys projections catch-up
      journeys projections catch-up --watch --every 30
    """
    if not watch and times is not None:
        raise click.UsageError("--times needs --watch")
    from projections import projection_catch_up

    app = settings().app()
    if not watch:
        with catch_up_progress(app) as progress:
            result = projection_catch_up(app, progress=progress)
        _done(result, as_json, "Applied")
        return
    rounds = 0
    try:
        while times is None or rounds < times:
            if rounds:
                time.sleep(every)
            _done(projection_catch_up(app), as_json, "Applied", one_line=True)
            rounds += 1
    except KeyboardInterrupt:
        # Ctrl-C is how a watch ends: a catch-up stopped inside commits nothing, the next one resumes
        click.echo(f"Stopped after {rounds} catch-ups.", err=True)


@projections.command()
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes that derive the children at once; this one writes the table in log order "
    "[default: one per CPU, up to 4, for a store of 50,000 events or more; else 1].",
)
@json_option
@friendly
def rebuild(workers: int | None, as_json: bool) -> None:
    """Derive the read model again from the whole event log, and swap it in.

    The tables are derived beside the ones the reports read, which stay as they
    were until the rebuilt ones replace them in one transaction; a rebuild stopped
    part way leaves them as they were. A large store is derived by several
    processes; the tables they give are the same as with --workers 1.

    \b
    Example:
      journeys projections rebuild
      journeys projections rebuild --workers 1 --json
    """
    from projections import projection_rebuild, projection_status

    app = settings().app()
    with events_bar("rebuilding", projection_status(app).head) as progress:
        result = projection_rebuild(app, progress=progress, workers=workers)
    _done(result, as_json, "Rebuilt from")


COMMANDS = [projections]
