"""Commands that read one child: show and history."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import click

from cli.context import friendly, note_looked, resolve_la, settings, with_la
from cli.output import cell, csv_option, echo_csv, echo_json, echo_table, jsonable, known_phrase
from cli.params import as_at_option, child_argument, json_option, known_at_option, purpose_option
from journeys import CORRECT, ERASED, RETRACT, today

if TYPE_CHECKING:
    from journeys import ActionState, ChildView, Entry, HistoryRow


def view_json(view: ChildView, as_at: date, known_at: datetime | None) -> dict[str, Any]:
    s = view.state
    return {
        "la": view.la,
        "child": view.child if view.erased is None else view.shown_as,
        "as_at": as_at,
        "known_at": known_at,
        "plan": s.plan,
        "plan_since": s.plan_since,
        "stage": s.stage,
        "milestones": s.milestones(),
        "events": view.events,
        "date_of_birth": s.date_of_birth,
        "expected_date": s.expected_date,
        "sibling_group": s.sibling_group,
        "harder_to_place": list(s.harder_to_place),
        "periods_of_care": len([p for p in s.periods if p.entered_care]),
        "adopters": _adopters(view),
        "periods": [p.as_json() for p in view.periods],
        "actions": [_action_json(a, as_at) for a in view.actions],
        "erased": None if view.erased is None else erased_json(view.erased, view.shown_as),
    }


def erased_json(entry: Entry, shown_as: str) -> dict[str, Any]:
    return {
        "at": entry.recorded_at,
        "by": entry.recorded_by,
        "reason": entry.reason,
        "retention_override": entry.fields.get("retention_override"),
        "shown_as": shown_as,
        "year_of_birth": entry.fields.get("year_of_birth"),
    }


def erased_line(entry: Entry, shown_as: str) -> str:
    """What an erased child's show and history say first: when, by whom and why."""
    override = entry.fields.get("retention_override")
    born = entry.fields.get("year_of_birth")
    return (
        f"  ERASED on {entry.recorded_at:%Y-%m-%d %H:%M} UTC by {entry.recorded_by}: {entry.reason}"
        + (f" (retention overridden: {override})" if override else "")
        + f"; its reference, date of birth, adopters and free text are destroyed. Shown as {shown_as}: the residue"
        + f" is its LA, year of birth ({born or '-'}) and decision dates"
    )


def _adopters(view: ChildView) -> list[str]:
    return list(dict.fromkeys(a for p in view.periods for a in p.adopters))


def _action_json(a: ActionState, as_at: date) -> dict[str, Any]:
    late = a.days_overdue(as_at)
    return {
        "id": a.action_id,
        "text": a.text,
        "owner": a.owner,
        "due": a.due,
        "status": "overdue" if late else "open",
        "days_overdue": late,
        "recorded_at": a.recorded_at,
        "recorded_by": a.recorded_by,
    }


def _details_lines(view: ChildView) -> list[str]:
    s = view.state
    born = f"date of birth: {cell(s.date_of_birth)}"
    if s.date_of_birth is None and s.expected_date is not None:
        born = f"expected: {s.expected_date}"
    flags = ", ".join(s.harder_to_place) or "-"
    return [
        f"  {born}    sibling group: {s.sibling_group or '-'}    harder to place: {flags}",
        f"  adopters: {'; '.join(_adopters(view)) or '-'}",
    ]


PERIOD_HEADERS = ["period", "entered care", "ended", "how", "adoption decision", "placement order", "matched", "placed",
                  "adoption order", "disruptions", "adopters"]  # fmt: skip


def _period_cells(p: dict[str, Any]) -> list[Any]:
    authority = p["placement_order"] or (f"{p['consent']} (consent)" if p["consent"] else None)
    how = p["end_kind"] + (f" ({p['left_care_reason']})" if p["left_care_reason"] else "") if p["end_kind"] else None
    return [
        p["period"],
        p["entered_care"],
        p["ended"],
        how,
        p["adoption_decision"],
        authority,
        p["matched"],
        p["placed"],
        p["adoption_order"],
        ", ".join(str(d) for d in p["disruptions"]) or None,
        "; ".join(p["adopters"]) or None,
    ]


@click.command()
@child_argument
@with_la
@as_at_option
@known_at_option
@purpose_option
@json_option
@friendly
def show(
    child: str, la: str | None, as_at: date | None, known_at: datetime | None, purpose: str | None, as_json: bool
) -> None:
    """Show where CHILD's journey stands: plan, stage and milestone dates; the child's date of
    birth, sibling group, harder-to-place flags and adopters; every period of care; and the
    open actions.

    --as-at picks the date the decisions must have taken effect by; --known-at picks what
    the system had been told by then (what it would have said at that time).

    \b
    Example:
      journeys show C001 --la 825
      journeys show C004 --as-at 2015-06-30 --known-at 2015-07-01 --json
    """
    code = resolve_la(la)
    view = settings().app().show(code, child, as_at=as_at, known_at=known_at)
    note_looked([(code, child)], "show", purpose)
    data = view_json(view, as_at or today(), known_at)
    if as_json:
        echo_json(data)
        return
    state = view.state
    shown = child if view.erased is None else view.shown_as
    click.echo(f"Child {shown} ({code}) as at {data['as_at']}, {known_phrase(known_at)}")
    if view.erased is not None:
        click.echo(erased_line(view.erased, view.shown_as))
    click.echo(f"  stage: {state.stage}    plan: {state.plan or '-'}    events counted: {view.events}")
    if view.events == 0:
        click.echo("  (nothing about this child counts yet: no decision recorded by then, or none in effect by then)")
    for line in _details_lines(view):
        click.echo(line)
    echo_table(["milestone", "date"], [(k.replace("_", " "), v) for k, v in data["milestones"].items()])
    if data["periods"]:
        click.echo("")
        click.echo("Periods of care")
        echo_table(PERIOD_HEADERS, [_period_cells(p) for p in data["periods"]])
    click.echo("")
    if not data["actions"]:
        click.echo("No open actions")
        return
    click.echo("Open actions")
    echo_table(
        ["action", "owner", "due", "status", "days overdue", "text"],
        [(a["id"], a["owner"], a["due"], a["status"], a["days_overdue"], a["text"]) for a in data["actions"]],
    )


def history_json(row: HistoryRow) -> dict[str, Any]:
    e = row.entry
    return {
        "seq": e.seq,
        "event": e.kind,
        "on": e.on,
        "recorded_at": e.recorded_at,
        "recorded_by": e.recorded_by,
        "source": e.source,
        "corrects": e.target if e.kind == CORRECT else None,
        "retracts": e.target if e.kind == RETRACT else None,
        "reason": e.reason,
        "superseded": row.superseded,
        "fields": dict(e.fields),
        "hash": e.hash,
    }


def _summary(data: dict[str, Any]) -> str:
    fields = {k: v for k, v in data["fields"].items() if v not in (None, (), [])}
    parts = [f"{k}={cell(v)}" for k, v in fields.items()]
    if data["corrects"]:
        parts.insert(0, f"corrects {data['corrects']}")
    if data["retracts"]:
        parts.insert(0, f"retracts {data['retracts']}")
    if data["reason"]:
        parts.append(f"reason: {data['reason']}")
    return "; ".join(parts)


HISTORY_KEYS = ["seq", "event", "on", "recorded_at", "recorded_by", "source", "corrects", "retracts", "reason",
                "superseded", "hash"]  # fmt: skip


@click.command()
@child_argument
@with_la
@known_at_option
@purpose_option
@json_option
@csv_option("Print CSV (one row per event; fields as JSON).")
@friendly
def history(
    child: str, la: str | None, known_at: datetime | None, purpose: str | None, as_json: bool, as_csv: str | None
) -> None:
    """Every event of CHILD's journey in recording order, corrections and all.

    Superseded events (corrected or retracted later) stay visible and are marked. --known-at
    keeps only the events recorded by then, marked as they stood then. --csv gives one row per
    event for a spreadsheet (full hash, fields as JSON). Each look is kept in the access log
    (who, when, why: --purpose), see `journeys access-log`.

    \b
    Example:
      journeys history C004 --la 825
      journeys history C004 --la 825 --known-at 2015-07-01 --json
    """
    code = resolve_la(la)
    found = settings().app().history(code, child, known_at=known_at)
    note_looked([(code, child)], "history", purpose)
    rows = [history_json(r) for r in found]
    erasure = next((r.entry for r in found if r.entry.kind == ERASED), None)
    shown_as = str(found[0].entry.fields["child"]) if found else child
    if as_json:
        erased = None if erasure is None else erased_json(erasure, shown_as)
        echo_json({"la": code, "child": child if erasure is None else shown_as, "events": rows, "erased": erased})
        return
    if as_csv:
        echo_csv(
            [*HISTORY_KEYS, "fields"],
            [
                [*(jsonable(r[k]) for k in HISTORY_KEYS), json.dumps(jsonable(r["fields"]), ensure_ascii=False)]
                for r in rows
            ],
        )
        return
    if erasure is not None:
        click.echo(f"Child {shown_as} ({code})")
        click.echo(erased_line(erasure, shown_as))
    echo_table(
        ["seq", "event", "on", "recorded at", "by", "superseded", "details", "hash"],
        [
            (
                r["seq"],
                r["event"],
                r["on"],
                r["recorded_at"],
                r["recorded_by"],
                "yes" if r["superseded"] else "",
                _summary(r),
                r["hash"][:12],
            )
            for r in rows
        ],
    )


COMMANDS = [show, history]
