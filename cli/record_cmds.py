"""Commands that append to a child's stream: record, correct, retract."""

from __future__ import annotations

from datetime import date
from typing import Any

import click

from cli.context import friendly, resolve_la, settings, with_la
from cli.output import echo_json, entry_json
from cli.params import DATE, REASON, child_argument
from journeys import EVENT_KINDS, HARDER_TO_PLACE, ROUTES, Entry


def _report(la: str, child: str, entry: Entry, as_json: bool, verb: str) -> None:
    if as_json:
        echo_json(entry_json(la, child, entry))
    else:
        on = f" on {entry.on}" if entry.on else ""
        click.echo(f"{verb} {entry.kind}{on} for child {child} ({la}) as event {entry.seq}")


@click.command()
@click.argument("kind", type=click.Choice(EVENT_KINDS), metavar="KIND")
@child_argument
@click.option("--on", "on", type=DATE, required=True, help="Date the decision took effect.")
@with_la
@click.option("--legal-status", help="entered-care: SSDA903 legal status (C1, C2, E1, V2, ...).")
@click.option(
    "--authority",
    type=click.Choice(["placement-order", "consent"]),
    help="placement-order: court order (default) or parental consent.",
)
@click.option("--to", "to", help="plan-change: the new plan (adoption, reunification, special-guardianship, ...).")
@click.option("--reason", help="plan-change: RD1-RD4; disruption, ltf-breakdown: free text.")
@click.option("--decided-by", type=click.Choice(["court", "agency"]), help="plan-change: who decided.")
@click.option("--outcome", help="plan-change: where the child went (e.g. home-with-mother, sgo-relatives).")
@click.option("--adopters", help="match: reference of the prospective adopters.")
@click.option(
    "--route",
    type=click.Choice(ROUTES),
    help="plan-decision: the permanence plan pursued beyond adoption.",
)
@click.option("--carers", help="sgo-made, cao-made: reference of the carers the order is made to.")
@click.option("--carer", help="ltf-match: reference of the matched long-term foster carer.")
@click.option("--with-foster-carers", is_flag=True, default=None, help="placed: adopted by its current foster carers.")
@click.option("--carers-since", type=DATE, help="placed: date the child began living with those carers (A10).")
@click.option("--reason-code", help="left-care: SSDA903 reason episode ceased (E13, E4A, E45, ...).")
@click.option("--date-of-birth", type=DATE, help="child-details: date of birth.")
@click.option("--expected-date", type=DATE, help="child-details: expected date of birth (unborn child).")
@click.option("--sibling-group", help="child-details: reference shared by siblings placed together.")
@click.option(
    "--harder-to-place", multiple=True, type=click.Choice(HARDER_TO_PLACE), help="child-details: flag (repeatable)."
)
@click.option("--review-type", type=click.Choice(["looked-after", "adoption"]), help="review: which review.")
@click.option("--order", help="proceedings-concluded: care-order, placement-order, special-guardianship, ...")
@click.option("--json", "as_json", is_flag=True, help="Print the recorded event as JSON.")
@friendly
def record(kind: str, child: str, on: date, la: str | None, as_json: bool, **options: Any) -> None:
    """Record one decision in CHILD's journey.

    KIND is one of: child-details, entered-care, proceedings-issued, proceedings-concluded,
    family-finding, plan-change, plan-decision, adoption-decision, placement-order, review,
    disruption, match, placed, adoption-order, ltf-breakdown, ltf-match, sgo-made, cao-made,
    left-care. The rules of the journey are checked on the whole timeline; a refused decision
    appends nothing.

    \b
    Example:
      journeys record placement-order C001 --on 2015-03-02 --la 825
      journeys record plan-change C002 --on 2016-01-12 --to reunification \\
          --reason RD2 --decided-by court --outcome home-with-mother
      journeys record plan-decision C003 --on 2015-05-04 --route special-guardianship
      journeys record sgo-made C003 --on 2015-11-20 --carers SG-825-014
    """
    code = resolve_la(la)
    fields = {k: v for k, v in options.items() if v is not None and v != ()}
    s = settings()
    entry = s.app(create=True).record(code, child, kind, on, fields, recorded_by=s.recorded_by)
    _report(code, child, entry, as_json, "recorded")


def _parse_sets(values: tuple[str, ...]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{item!r} is not KEY=VALUE", param_hint="--set")
        key = key.strip().replace("-", "_")
        text = value.strip()
        fields[key] = {"true": True, "false": False, "": None}.get(text.lower(), text)
    return fields


@click.command()
@child_argument
@click.argument("seq", type=int)
@click.option("--on", "on", type=DATE, default=None, help="The corrected date the decision took effect.")
@click.option("--set", "sets", multiple=True, metavar="FIELD=VALUE", help="A corrected field (repeatable).")
@click.option("--reason", type=REASON, required=True, help="Why the correction is made (kept in the audit trail).")
@with_la
@click.option("--json", "as_json", is_flag=True, help="Print the correction as JSON.")
@friendly
def correct(
    child: str, seq: int, on: date | None, sets: tuple[str, ...], reason: str, la: str | None, as_json: bool
) -> None:
    """Correct event SEQ of CHILD's journey: the original stays in the history, superseded.

    \b
    Example:
      journeys correct C004 5 --on 2015-06-01 --reason "PO date keyed wrongly" --la 825
      journeys correct C002 7 --set outcome=home-with-father --reason "outcome confirmed"
    """
    code = resolve_la(la)
    s = settings()
    entry = s.app().correct(code, child, seq, on=on, fields=_parse_sets(sets), reason=reason, recorded_by=s.recorded_by)
    _report(code, child, entry, as_json, f"recorded a correction of event {entry.target}:")


@click.command()
@child_argument
@click.argument("seq", type=int)
@click.option("--reason", type=REASON, required=True, help="Why the event is withdrawn (kept in the audit trail).")
@with_la
@click.option("--json", "as_json", is_flag=True, help="Print the retraction as JSON.")
@friendly
def retract(child: str, seq: int, reason: str, la: str | None, as_json: bool) -> None:
    """Retract event SEQ of CHILD's journey (recorded in error); it stays visible in the history.

    \b
    Example:
      journeys retract C004 6 --reason "recorded against the wrong child" --la 825
    """
    code = resolve_la(la)
    s = settings()
    entry = s.app().retract(code, child, seq, reason=reason, recorded_by=s.recorded_by)
    if as_json:
        echo_json(entry_json(code, child, entry))
    else:
        click.echo(f"retracted event {entry.target} of child {child} ({code}) as event {entry.seq}")


COMMANDS = [record, correct, retract]
