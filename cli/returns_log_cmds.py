"""What was returned: the returns log (`journeys returns list|show|diff|verify`).

Each return made (`asglb --out`, `export-903`) or imported (`import-903`) is recorded in the
returns log, beside the journeys (docs/returns.md, "As returned"); `diff` calls
:func:`projections.return_diff`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

import journeys
import projections
from cli.context import default_la, friendly, settings, with_la
from cli.output import echo_json, echo_table
from cli.params import json_option

if TYPE_CHECKING:
    from journeys import ReturnRecord


def return_json(record: ReturnRecord) -> dict[str, Any]:
    """A return as the log holds it, with its id and hash."""
    return {"id": record.id, **record.content(), "hash": record.hash}


@click.group()
def returns() -> None:
    """The returns log: every statutory return made or imported, what it said, and why the
    figures differ now.

    `journeys asglb --out FILE` (and `export-903`) record each return made, `import-903` each
    return imported: which return, its period and local authority, when and by whom, the state
    of the store it was made from (the Merkle root a checkpoint would pin), the SHA-256 of each
    file and its cells. The log is kept beside the journeys, hash-chained per local authority;
    it changes no report.

    \b
    Example:
      journeys returns list --la 825
      journeys returns diff 825-1
    """


@returns.command("list")
@with_la
@json_option
@friendly
def list_returns(la: str | None, as_json: bool) -> None:
    """The returns recorded (of --la or JOURNEYS_LA, else of every local authority).

    \b
    Example:
      journeys returns list --la 825
      journeys returns list --json
    """
    code = default_la(la)
    records = journeys.return_records(settings().app(), la=code)
    if as_json:
        echo_json({"la": code or "all", "returns": [return_json(r) for r in records]})
        return
    echo_table(
        ["id", "return", "period", "la", "at (UTC)", "by", "files"],
        [(r.id, r.kind, r.period, r.la, r.at, r.user, len(r.body.get("files", []))) for r in records],
    )
    click.echo(f"{len(records)} return{'' if len(records) == 1 else 's'}")


@returns.command()
@click.argument("return_id", metavar="ID")
@json_option
@friendly
def show(return_id: str, as_json: bool) -> None:
    """One return of the log (ID as `returns list` gives it, e.g. 825-3): what it said, when,
    by whom, the state of the store it was made from and its files' SHA-256.

    \b
    Example:
      journeys returns show 825-1
      journeys returns show 825-1 --json
    """
    record = journeys.find_return(settings().app(), return_id)
    if as_json:
        echo_json(return_json(record))
        return
    body = record.body
    state = body.get("checkpoint", {})
    click.echo(f"return {record.id}: {record.kind} {record.period}, local authority {record.la}")
    known = f", as known at {record.known_at}" if record.known_at else ""
    click.echo(f"made at {record.at} by {record.user}{known}")
    size = f"{state.get('streams')} journeys, {state.get('events')} events"
    click.echo(f"from the store at root {state.get('root')} ({size})")
    for f in body.get("files", []):
        click.echo(f"file {f['file']}  sha256 {f['sha256']}")
    echo_table(["cell", "value"], sorted(record.cells.items()))
    click.echo(f"hash {record.hash}")


@returns.command()
@click.argument("return_id", metavar="ID")
@json_option
@friendly
def diff(return_id: str, as_json: bool) -> None:
    """Why the figures differ from what was returned: the return ID re-derived from the
    journeys as known now, every cell that differs, the children behind each difference and
    the events recorded since the return, each a correction, a retraction or a late entry
    (a decision dated in the return's period, or before it, recorded after the return).

    \b
    Example:
      journeys returns diff 825-1
      journeys returns diff 825-1 --json
    """
    app = settings().app()
    found = projections.return_diff(app, journeys.find_return(app, return_id))
    if as_json:
        echo_json(found)
        return
    click.echo(
        f"return {found['return']} ({found['kind']} {found['period']}, {found['la']}), made at {found['made_at']}"
    )
    if not found["reproduced"]:
        click.echo("warning: the store as known then no longer gives what was returned (see `journeys verify`)")
    if not found["cells"]:
        click.echo("no cell differs: the return is what the journeys say now")
        return
    for cell in found["cells"]:
        rows = " (rows with a value)" if found["kind"] == "export-903" else ""
        click.echo(f"{cell['cell']}{rows}: returned {cell['returned']}, now {cell['now']}")
        for child in cell["children"]:
            click.echo(f"  child {child['child']}: {child['returned']} then, {child['now']} now")
            for e in child["events"]:
                what = f"event {e['seq']} {e['kind']}" + (f" of event {e['target']}" if e["target"] else "")
                on = f" on {e['on']}" if e["on"] else ""
                click.echo(f"    {e['change']}: {what}{on}, recorded {e['recorded_at']} by {e['recorded_by']}")
    click.echo(f"{len(found['cells'])} {'cell differs' if len(found['cells']) == 1 else 'cells differ'}")


@returns.command()
@json_option
@friendly
def verify(as_json: bool) -> None:
    """Re-check every local authority's returns log chain: a record edited, removed or
    inserted is named, then one `Error:` line (exit 1).

    \b
    Example:
      journeys returns verify
    """
    check = journeys.check_returns_log(settings().app())
    problems = [{"la": p.la, "seq": p.seq, "problem": p.problem} for p in check.problems]
    if as_json:
        echo_json({"records": check.records, "ok": check.ok, "problems": problems})
    else:
        for p in problems:
            click.echo(f"returns log of {p['la']} record {p['seq']}: {p['problem']}")
    if problems:
        raise click.ClickException(
            f"{len(problems)} problem(s) in the returns log of {check.records} records — a record was edited, "
            "removed or inserted in the store; compare with a backup"
        )
    if not as_json:
        click.echo(f"verified {check.records} returns: all hashes match")


COMMANDS = [returns]
