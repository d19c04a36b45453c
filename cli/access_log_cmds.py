"""Who looked at a child: the access log, and a child's subject-access export."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

import journeys
from cli.context import default_la, friendly, resolve_la, settings, with_la
from cli.output import csv_option, echo_csv, echo_json, echo_table
from cli.params import CHILD_REFERENCE, DATE, OUTPUT_FILE, child_argument, json_option, purpose_option

if TYPE_CHECKING:
    from journeys import AccessLogCheck, AccessRecord

ACCESS_KEYS = ["la", "seq", "at", "user", "child", "command", "purpose", "hash"]


def record_json(record: AccessRecord) -> dict[str, Any]:
    return {**record.content(), "hash": record.hash}


@click.command("access-log")
@click.argument("child", type=CHILD_REFERENCE, required=False)
@with_la
@click.option("--from", "first", type=DATE, default=None, metavar="DATE", help="Only looks on or after DATE.")
@click.option("--to", "last", type=DATE, default=None, metavar="DATE", help="Only looks on or before DATE.")
@click.option("--verify", is_flag=True, help="Re-check every local authority's access log chain; exit 1 if broken.")
@json_option
@csv_option()
@friendly
def access_log(
    child: str | None,
    la: str | None,
    first: date | None,
    last: date | None,
    verify: bool,
    as_json: bool,
    as_csv: str | None,
) -> None:
    """Who looked at which child, when, with which command and why (--purpose).

    Every command that shows one child (show, history, deadlines, explain, subject-access)
    appends a record to the access log, kept beside the journeys in the same store and
    hash-chained per local authority. With CHILD, that child's records (of --la or
    JOURNEYS_LA); without, every child's (of --la or JOURNEYS_LA, else every local authority).
    --from and --to are days in Europe/London, both included. --verify re-checks the chains
    instead: a record edited, removed or inserted is named, then one `Error:` line (exit 1).

    \b
    Example:
      journeys access-log C001 --la 825
      journeys access-log --la 825 --from 2026-04-01 --to 2026-04-30 --json
      journeys access-log --verify
    """
    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    if first and last and last < first:
        raise click.BadParameter(f"--to {last} is before --from {first}", param_hint="'--to'")
    if verify:
        if child or first or last or as_csv:
            raise click.UsageError("--verify checks the whole log: give it without CHILD, --from, --to or --csv")
        _verify(journeys.check_access_log(settings().app()), as_json)
        return
    code = resolve_la(la) if child else default_la(la)
    records = journeys.access_records(settings().app(), la=code, child=child, first=first, last=last)
    rows = [record_json(r) for r in records]
    if as_json:
        echo_json({"la": code or "all", "child": child, "from": first, "to": last, "records": rows})
        return
    if as_csv:
        echo_csv(ACCESS_KEYS, [[r[k] for k in ACCESS_KEYS] for r in rows])
        return
    echo_table(
        ["la", "seq", "at (UTC)", "user", "child", "command", "purpose"],
        [(r["la"], r["seq"], r["at"], r["user"], r["child"], r["command"], r["purpose"]) for r in rows],
    )
    click.echo(f"{len(rows)} record{'' if len(rows) == 1 else 's'}")


def _verify(check: AccessLogCheck, as_json: bool) -> None:
    problems = [{"la": p.la, "seq": p.seq, "problem": p.problem} for p in check.problems]
    if as_json:
        echo_json({"records": check.records, "ok": check.ok, "problems": problems})
    else:
        for p in problems:
            click.echo(f"access log of {p['la']} record {p['seq']}: {p['problem']}")
    if problems:
        raise click.ClickException(
            f"{len(problems)} problem(s) in the access log of {check.records} records — a record was edited, "
            "removed or inserted in the store; compare with a backup"
        )
    if not as_json:
        click.echo(f"verified {check.records} access records: all hashes match")


@click.command("subject-access")
@child_argument
@with_la
@click.option("--out", type=OUTPUT_FILE, required=True, help="The new file to write (never replaced).")
@purpose_option
@json_option
@friendly
def subject_access(child: str, la: str | None, out: Path, purpose: str | None, as_json: bool) -> None:
    """Write CHILD's whole record and its access log to a new file, for a subject-access request.

    The file is JSON: every event of the child's journey as `journeys export` writes it (with
    its recording time, user, source and hash), and every access-log record about the child,
    this export's own included (docs/data-protection.md). An existing file is never replaced;
    a refused export writes nothing.

    \b
    Example:
      journeys subject-access C001 --la 825 --out sar-C001.json --purpose "request of 2 May"
    """
    code = resolve_la(la)
    s = settings()
    written = journeys.write_subject_access(s.app(), code, child, out, user=s.recorded_by, purpose=purpose)
    if as_json:
        echo_json(
            {
                "file": str(written.path),
                "la": written.la,
                "child": written.child,
                "events": written.events,
                "access_records": written.accesses,
            }
        )
        return
    click.echo(
        f"wrote {out}: child {written.child} ({code}), {written.events} events, {written.accesses} access records"
    )


COMMANDS = [access_log, subject_access]
