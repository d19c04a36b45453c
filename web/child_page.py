"""One child's page: details, the journey timeline, deadlines, actions and the full history,
each from the library calls the CLI's `show`, `history` and `deadlines` make."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

import projections
from journeys import CORRECT, RETRACT, RuleSet, load_rules
from web import charts
from web.query import Query

if TYPE_CHECKING:
    from journeys import HistoryRow, JourneysApp

# A stage band starts on its milestone and ends where the next band (or the period) does.
BANDS = (
    ("in care", "entered_care"),
    ("adoption decision", "adoption_decision"),
    ("placement order", "placement_order"),
    ("matched", "matched"),
    ("placed", "placed"),
)
ENDS = ("adoption_order", "left_care")
DETAILS = "child-details"  # dated by the birth: shown in the details, not on the journey


def stage_bands(milestones: dict[str, date | None], as_at: date) -> list[tuple[str, date, date]]:
    """``(stage, from, to)`` of the latest period of care, each ending where the next starts."""
    starts = [(name, on) for name, key in BANDS if (on := milestones.get(key)) is not None]
    starts.sort(key=lambda s: s[1])
    end = min((d for key in ENDS if (d := milestones.get(key)) is not None), default=as_at)
    bands = []
    for i, (name, on) in enumerate(starts):
        to = starts[i + 1][1] if i + 1 < len(starts) else max(end, on)
        bands.append((name, on, to))
    return bands


def _describe(row: HistoryRow) -> str:
    e = row.entry
    words = [e.kind]
    if e.kind in (CORRECT, RETRACT):
        words.append(f"of event {e.target}")
    if e.reason:
        words.append(f"({e.reason})")
    return " ".join(words)


def timeline_marks(rows: list[HistoryRow], href: Any, as_at: date) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The decisions in effect by ``as_at`` as marks, and the entries recorded later than others
    they precede: every correction and retraction, and each decision keyed after one with a later
    effective date."""
    by_seq = {r.entry.seq: r.entry for r in rows}
    decisions, later = [], []
    latest: date | None = None
    for row in rows:
        e = row.entry
        recorded = f"recorded {e.recorded_at:%Y-%m-%d %H:%M} UTC by {e.recorded_by}"
        if e.is_decision and e.on is not None and e.kind != DETAILS and e.on <= as_at:
            decisions.append(
                {
                    "on": e.on,
                    "label": f"{e.kind} on {e.on} ({recorded})" + (" — superseded" if row.superseded else ""),
                    "href": href(e.seq),
                    "superseded": row.superseded,
                }
            )
            if latest is not None and e.on < latest:
                later.append({"on": e.on, "label": f"back-dated: {e.kind} on {e.on}, {recorded}", "href": href(e.seq)})
            latest = e.on if latest is None else max(latest, e.on)
        elif e.kind in (CORRECT, RETRACT):
            target = by_seq.get(e.target) if e.target is not None else None
            on = e.on or (target.on if target is not None else None)
            if on is not None and on <= as_at:
                later.append({"on": on, "label": f"{_describe(row)}, {recorded}", "href": href(e.seq)})
    return decisions, later


@cache
def shipped_rules() -> RuleSet:
    """The milestone rules shipped with journeys, read once per process (not once per page)."""
    return load_rules()


def child_data(app: JourneysApp, la: str, child: str, query: Query) -> dict[str, Any]:
    """Everything the child's page shows."""
    day = query.day
    view = app.show(la, child, as_at=day, known_at=query.known_at)
    history = app.history(la, child, known_at=query.known_at)
    rules = shipped_rules()
    deadlines = projections.deadlines_for(app, la, child, as_at=day, known_at=query.known_at, rules=rules)
    details = projections.child_details(app, la, child, as_at=day, known_at=query.known_at, rules=rules)
    state = view.state
    milestones = state.milestones()
    decisions, later = timeline_marks(history, lambda seq: f"#event-{seq}", day)
    bands = stage_bands(milestones, day)
    picture = (
        charts.timeline(bands, decisions, later, f"Journey of {child} ({la}) by effective date, as at {day}")
        if decisions
        else None
    )
    return {
        "la": la,
        "child": child,
        "day": day,
        "state": state,
        "events": view.events,
        "milestones": milestones,
        "periods": details.periods,
        "adopters": details.adopters,
        "history": history,
        "deadlines": deadlines,
        "timeline": picture,
        "later": later,
    }
