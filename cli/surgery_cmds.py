"""The performance surgery: the agenda, one child's deadlines, and the actions agreed."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

import journeys
import projections
from cli.agenda_print import agenda_markdown
from cli.context import default_la, friendly, note_looked, resolve_la, settings, with_la
from cli.explain_output import echo_figures, echo_figures_csv, explain_option
from cli.output import csv_option, echo_csv, echo_json, echo_table, entry_json, known_phrase
from cli.params import DATE, LA_CODE, as_at_option, child_argument, json_option, known_at_option, purpose_option
from cli.report_options import echo_las_visible, with_las_visible
from journeys import today

if TYPE_CHECKING:
    from journeys import Milestone, RuleSet
    from projections import Action, AgendaRow

rules_option = click.option(
    "--rules",
    "rules_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="Milestone rules (TOML; default: the rules shipped with journeys, see docs/surgery.md).",
)

AGENDA_HEADERS = [
    "la",
    "child",
    "stage",
    "days in stage",
    "next milestone",
    "due",
    "milestone status",
    "days overdue",
    "action status",
    "actions",
]


def _rules(path: Path | None) -> RuleSet:
    return journeys.load_rules(path)


def _actions_text(actions: list[Action]) -> str:
    parts = []
    for a in actions:
        late = f", {a.days_overdue}d overdue" if a.days_overdue else ""
        parts.append(f"{a.action_id} {a.owner} by {a.due}{late}")
    return "; ".join(parts)


def _agenda_cells(row: AgendaRow) -> list[Any]:
    nxt = row.next_milestone
    return [
        row.la,
        row.child,
        row.stage,
        row.days_in_stage,
        nxt.rule.id if nxt else None,
        nxt.deadline if nxt else None,
        row.status,
        row.days_overdue,
        row.action_status,
        _actions_text(row.actions) or None,
    ]


@click.command("surgery")
@as_at_option
@known_at_option
@click.option(
    "--la",
    type=LA_CODE,
    metavar="CODE",
    default=None,
    help="Only this local authority (default: JOURNEYS_LA, else every one).",
)
@click.option("--owner", metavar="NAME", default=None, help="Only children with an open action owned by NAME.")
@rules_option
@click.option(
    "--markdown", "as_markdown", is_flag=True, help="Print the agenda as Markdown for printing (one section per LA)."
)
@json_option
@csv_option()
@explain_option
@friendly
def surgery_cmd(
    as_at: date | None,
    known_at: datetime | None,
    la: str | None,
    owner: str | None,
    rules_file: Path | None,
    as_markdown: bool,
    as_json: bool,
    as_csv: str | None,
    explain: bool,
) -> None:
    """The performance surgery agenda: every open child with an adoption plan (or tracked for
    early family-finding), its next milestone, and the actions agreed; overdue first.

    --as-at shows the agenda of a past date; with --known-at it is the agenda the system
    would have shown then (decisions and actions recorded later are left out).

    \b
    Example:
      journeys surgery --la 825
      journeys surgery --as-at 2016-03-31 --la 825
      journeys surgery --as-at 2016-03-31 --known-at 2016-03-31 --owner "J Smith" --json
      journeys surgery --la 825 --markdown > agenda.md
    """
    day = as_at or today()
    la = default_la(la)
    result = projections.surgery(
        settings().app(), as_at=day, known_at=known_at, rules=_rules(rules_file), la=la, owner=owner, explain=explain
    )
    if as_json:
        echo_json(with_las_visible(result.as_json()))
        return
    if as_markdown:
        click.echo(agenda_markdown(result.rows, day, known_phrase(known_at)), nl=False)
        return
    if as_csv and explain:
        echo_figures_csv((result.explain or {}).values())
        return
    rows = [_agenda_cells(r) for r in result.rows]
    if as_csv:
        echo_csv([h.replace(" ", "_") for h in AGENDA_HEADERS], rows)
        return
    echo_las_visible()
    click.echo(f"Surgery agenda as at {day}, {known_phrase(known_at)}" + (f", local authority {la}" if la else ""))
    echo_table(AGENDA_HEADERS, rows)
    s = result.summary()
    opened = sum(1 for r in result.rows if r.status == journeys.OPEN)
    click.echo(
        f"{len(rows)} children: {s['overdue']} overdue, {s['due_soon']} due soon, {s['on_track']} on track"
        + (f" (of which {opened} open: a step now possible, e.g. applying for the adoption order)" if opened else "")
        + f"; {s['actions_overdue']} with an overdue action"
    )
    if explain:
        echo_figures((result.explain or {}).values())


def milestone_json(m: Milestone) -> dict[str, Any]:
    return {
        "id": m.rule.id,
        "milestone": m.rule.name,
        "kind": m.rule.kind,
        "start": m.start,
        "due": m.due,
        "met": m.met,
        "status": m.status,
        "days_overdue": m.days_overdue,
        "days_late": m.days_late,
        "amber_from": m.amber_from,
        "allowed": str(m.rule.within),
        "source": m.rule.source,
    }


@click.command()
@child_argument
@with_la
@as_at_option
@known_at_option
@rules_option
@purpose_option
@json_option
@friendly
def deadlines(
    child: str,
    la: str | None,
    as_at: date | None,
    known_at: datetime | None,
    rules_file: Path | None,
    purpose: str | None,
    as_json: bool,
) -> None:
    """Every milestone that applies to CHILD on a date: start, due date, met date, status.

    Statuses: met, met-late, overdue (with days overdue), due-soon (inside the amber window),
    on-track, and open (a step that has become possible, e.g. applying for the adoption order).
    Each look is kept in the access log (who, when, why: --purpose), see `journeys access-log`.

    \b
    Example:
      journeys deadlines C001 --la 825
      journeys deadlines C001 --as-at 2016-03-31 --json
    """
    code = resolve_la(la)
    day = as_at or today()
    result = projections.deadlines_for(
        settings().app(), code, child, as_at=day, known_at=known_at, rules=_rules(rules_file)
    )
    note_looked([(code, child)], "deadlines", purpose)
    milestones = [milestone_json(m) for m in result.milestones]
    data: dict[str, Any] = {
        "la": code,
        "child": child,
        "as_at": day,
        "known_at": known_at,
        "stage": result.state.stage,
        "plan": result.state.plan,
        "milestones": milestones,
        "actions": [a.as_json() for a in result.actions],
    }
    if as_json:
        echo_json(data)
        return
    click.echo(f"Child {child} ({code}) as at {day}: stage {result.state.stage}, plan {result.state.plan or '-'}")
    echo_table(
        ["milestone", "allowed", "start", "due", "met", "status", "days overdue", "days late"],
        [
            (m["id"], m["allowed"], m["start"], m["due"], m["met"], m["status"], m["days_overdue"], m["days_late"])
            for m in milestones
        ],
    )
    if result.actions:
        click.echo("")
        echo_table(
            ["action", "owner", "due", "status", "days overdue", "text"],
            [(a.action_id, a.owner, a.due, a.status, a.days_overdue, a.text) for a in result.actions],
        )


@click.group()
def action() -> None:
    """Actions agreed at the surgery, kept in the child's history.

    \b
    Example:
      journeys action add C001 --text "Book adoption panel" --owner "J Smith" --due 2016-04-14
      journeys action edit C001 A1 --owner "K Patel" --due 2016-04-21
      journeys action done C001 A1 --note "Panel booked for 2 May"
      journeys action cancel C001 A2 --reason "Panel no longer needed: plan changed"
    """


@action.command("add")
@child_argument
@with_la
@click.option("--text", required=True, help="What is to be done.")
@click.option("--owner", required=True, help="Who does it.")
@click.option("--due", type=DATE, required=True, help="By when (YYYY-MM-DD or dd/mm/yyyy).")
@json_option
@friendly
def action_add(child: str, la: str | None, text: str, owner: str, due: date, as_json: bool) -> None:
    """Record an action agreed for CHILD; it gets the next id (A1, A2, ...).

    \b
    Example:
      journeys action add C001 --text "Chase the placement order hearing date" --owner "J Smith" --due 2016-04-14
    """
    if not text.strip() or not owner.strip():
        raise click.BadParameter("--text and --owner must not be empty")
    code = resolve_la(la)
    s = settings()
    entry = s.app().add_action(code, child, text=text.strip(), owner=owner.strip(), due=due, recorded_by=s.recorded_by)
    if as_json:
        echo_json(entry_json(code, child, entry))
        return
    click.echo(f"Added action {entry.fields['action_id']} for child {child} ({code}): {owner} by {due}")


@action.command("done")
@child_argument
@click.argument("action_id")
@with_la
@click.option("--note", default=None, help="What was done.")
@json_option
@friendly
def action_done(child: str, action_id: str, la: str | None, note: str | None, as_json: bool) -> None:
    """Mark CHILD's action ACTION_ID (A1, A2, ...) as done.

    \b
    Example:
      journeys action done C001 A1 --note "Hearing listed for 20 April"
    """
    code = resolve_la(la)
    s = settings()
    entry = s.app().complete_action(code, child, action_id, note=note, recorded_by=s.recorded_by)
    if as_json:
        echo_json(entry_json(code, child, entry))
        return
    click.echo(f"Action {entry.fields['action_id']} of child {child} ({code}) done")


@action.command("edit")
@child_argument
@click.argument("action_id")
@with_la
@click.option("--owner", default=None, help="The new owner.")
@click.option("--due", type=DATE, default=None, help="The new due date (YYYY-MM-DD or dd/mm/yyyy).")
@click.option("--text", default=None, help="The new text.")
@json_option
@friendly
def action_edit(
    child: str, action_id: str, la: str | None, owner: str | None, due: date | None, text: str | None, as_json: bool
) -> None:
    """Reassign, reschedule or reword CHILD's open action ACTION_ID (an `action-edited` event
    in the child's history; the action as it was stays in the history and in --known-at views).

    \b
    Example:
      journeys action edit C001 A1 --owner "K Patel"
      journeys action edit C001 A1 --due 2016-04-21 --text "Book the adoption panel for May"
    """
    if owner is None and due is None and text is None:
        raise click.UsageError("nothing to change: give --owner, --due or --text")
    if (owner is not None and not owner.strip()) or (text is not None and not text.strip()):
        raise click.BadParameter("--owner and --text must not be empty")
    code = resolve_la(la)
    s = settings()
    entry = s.app().edit_action(
        code,
        child,
        action_id,
        owner=owner.strip() if owner else None,
        due=due,
        text=text.strip() if text else None,
        recorded_by=s.recorded_by,
    )
    if as_json:
        echo_json(entry_json(code, child, entry))
        return
    changed = ", ".join(f"{k} {v}" for k, v in entry.fields.items() if k != "action_id" and v is not None)
    click.echo(f"Action {entry.fields['action_id']} of child {child} ({code}) edited: {changed}")


@action.command("cancel")
@child_argument
@click.argument("action_id")
@with_la
@click.option("--reason", required=True, help="Why the action is no longer needed.")
@json_option
@friendly
def action_cancel(child: str, action_id: str, la: str | None, reason: str, as_json: bool) -> None:
    """Cancel CHILD's open action ACTION_ID, saying why (an `action-cancelled` event; it leaves
    the agenda, and stays in the history).

    \b
    Example:
      journeys action cancel C001 A2 --reason "Plan changed to special guardianship"
    """
    code = resolve_la(la)
    s = settings()
    entry = s.app().cancel_action(code, child, action_id, reason=reason.strip(), recorded_by=s.recorded_by)
    if as_json:
        echo_json(entry_json(code, child, entry))
        return
    click.echo(f"Action {entry.fields['action_id']} of child {child} ({code}) cancelled")


COMMANDS = [surgery_cmd, deadlines, action]
