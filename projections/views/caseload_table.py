"""The ``caseload`` table: one row per child, what its caseload line needs that does not depend
on the date (:class:`projections.metrics.caseload_facts.CaseloadFacts`), kept beside
``child_summary`` in the same transactions. The caseload (`journeys children`, the web page)
reads its local authority's rows in one query and works out each line on the date asked for
from the stored dates, rather than replaying every child's stream.

Primary key: the stream id; an index on ``la``. ``milestones`` and ``actions`` are JSON lists.
docs/read-models.md documents it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from functools import cache
from typing import Any

from journeys.domain.actions import ActionState
from journeys.domain.milestones import RuleSet, load_rules
from journeys.domain.rules import ChildState
from journeys.domain.timeline import Decision, Entry
from projections.metrics.caseload_facts import CaseloadFacts, PendingMilestone, facts_of, rules_digest
from projections.views.columns import Table, column_date
from projections.views.dialect import Dialect

TABLE = "caseload"
LAYOUT = Table(
    TABLE,
    (
        ("stream_id", "TEXT NOT NULL"),
        ("la", "TEXT NOT NULL"),
        ("child", "TEXT NOT NULL"),
        ("rules", "TEXT NOT NULL"),
        ("valid_from", "DATE"),
        ("stage", "TEXT NOT NULL"),
        ("plan", "TEXT"),
        ("date_of_birth", "DATE"),
        ("sibling_group", "TEXT"),
        ("harder_to_place", "TEXT NOT NULL"),
        ("closed", "BOOLEAN NOT NULL"),
        ("stage_since", "DATE"),
        ("milestones", "TEXT NOT NULL"),
        ("actions", "TEXT NOT NULL"),
    ),
    key=("stream_id",),
    indexes=("la",),
)
COLUMN_NAMES = LAYOUT.column_names


@cache
def _default_rules() -> tuple[RuleSet, str]:
    rules = load_rules()
    return rules, rules_digest(rules)


def of_entries(
    stream_id: str, la: str, child: str, entries: Sequence[Entry], decisions: Sequence[Decision], state: ChildState
) -> CaseloadFacts:
    """A child's row, under the default milestone rules (``decisions``: ``decisions_at(entries)``,
    ``state`` their replay)."""
    rules, digest = _default_rules()
    return facts_of(stream_id, la, child, entries, rules, digest, decisions, state)


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def to_record(facts: CaseloadFacts, dialect: Dialect) -> tuple[Any, ...]:
    day = dialect.date
    milestones = [[m.rule, _day(m.start), _day(m.due), _day(m.amber_from), _day(m.late_from)] for m in facts.milestones]
    actions = [
        [a.action_id, a.text, a.owner, _day(a.due), a.recorded_at.isoformat(), a.recorded_by, a.seq, a.edited]
        for a in facts.actions
    ]
    return (
        facts.stream_id, facts.la, facts.child, facts.rules, day(facts.valid_from), facts.stage, facts.plan,
        day(facts.date_of_birth), facts.sibling_group, ",".join(facts.harder_to_place), dialect.flag(facts.closed),
        day(facts.stage_since), _json(milestones), _json(actions),
    )  # fmt: skip


def _json(items: list[list[Any]]) -> str:
    return json.dumps(items) if items else "[]"  # most children: closed, no open action


def _listed(text: str) -> list[Any]:
    return json.loads(text) if text != "[]" else []


def from_record(record: Sequence[Any]) -> CaseloadFacts:
    stream_id, la, child, rules, valid_from, stage, plan, born, siblings, flags, closed, since, found, actions = record
    return CaseloadFacts(
        str(stream_id),
        la,
        child,
        rules,
        column_date(valid_from),
        stage,
        plan,
        column_date(born),
        siblings,
        tuple(flags.split(",")) if flags else (),
        bool(closed),
        column_date(since),
        tuple(
            PendingMilestone(rule, _day_of(start), _day_of(due), column_date(amber), column_date(late))
            for rule, start, due, amber, late in _listed(found)
        ),
        tuple(
            ActionState(action_id, text, owner, _day_of(due), datetime.fromisoformat(at), by, seq, edited=edited)
            for action_id, text, owner, due, at, by, seq, edited in _listed(actions)
        ),
    )


def _day_of(text: str) -> date:
    return date.fromisoformat(text)
