"""`journeys projections status|catch-up|rebuild`: the read models' position and upkeep."""

from __future__ import annotations

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


def _done(result: CatchUp, as_json: bool, verb: str) -> None:
    data = {"events": result.events, "children": result.children, "position": result.position, "head": result.head}
    if as_json:
        echo_json(data)
    else:
        click.echo(
            f"{verb} {result.events} events ({result.children} child re-derivations); position {result.position}"
        )


@projections.command("catch-up")
@json_option
@friendly
def catch_up(as_json: bool) -> None:
    """Apply the events recorded since the last catch-up (reports do this themselves).

    \b
    Example:
      journeys projections catch-up
    """
    from projections import projection_catch_up

    app = settings().app()
    with catch_up_progress(app) as progress:
        result = projection_catch_up(app, progress=progress)
    _done(result, as_json, "Applied")


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
    """Drop the read model and replay the whole event log into it.

    A large store is derived by several processes; the table they give is the same as
    with --workers 1.

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
