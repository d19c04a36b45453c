"""The caseload from the read model's ``caseload`` table (one query, each line worked out on the
date from stored dates) is the caseload of replaying every child's stream: on the evaluation
fixtures with actions, edits, corrections and retractions, on every date and filter, on each
real backend; and children with no period of care are listed, not dropped."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import projections
from journeys import JourneysApp, load_rules, today
from journeys.domain.milestones import DEFAULT_RULES, RuleSet
from journeys.loading import load_lines
from journeys.loading.jsonl import read_lines
from projections.metrics.caseload import CaseloadRow, caseload_row, matches, sort_rows
from projections.metrics.caseload_facts import facts_of, row_on, rules_by_id, rules_digest
from projections.views import open_views
from tests.helpers import FIXTURES


def replayed(
    app: JourneysApp, *, as_at: date, known_at: datetime | None = None, rules: RuleSet | None = None
) -> list[CaseloadRow]:
    """Every child's caseload line by replaying its stream, no read model."""
    rules = rules or load_rules()
    found = (caseload_row(la, child, e, as_at=as_at, known_at=known_at, rules=rules) for la, child, e in app.streams())
    return [row for row in found if row is not None]


def picked(
    rows: list[CaseloadRow],
    *,
    la: str | None = None,
    stage: str | None = None,
    status: str | None = None,
    find: str | None = None,
    sort: str = "status",
) -> list[dict[str, Any]]:
    """The replayed lines filtered and sorted as the caseload filters and sorts them."""
    kept = [r for r in rows if (la is None or r.la == la) and matches(r, stage=stage, status=status, find=find)]
    return [r.as_json() for r in sort_rows(kept, sort)]


def from_table(app: JourneysApp, **kwargs: Any) -> list[dict[str, Any]]:
    return [r.as_json() for r in projections.caseload(app, **kwargs)]


@pytest.fixture
def busy(store: str) -> Iterator[JourneysApp]:
    """The evaluation fixtures, with actions (some edited, done or cancelled), a correction
    and a retraction, and children with no period of care."""
    app = JourneysApp(store)
    for path in sorted((FIXTURES / "evaluation-2017").glob("*.jsonl")):
        lines = path.read_text().splitlines()
        assert not load_lines(app, read_lines(lines, str(path)), recorded_by="t", source_name="f").rejected
    children = [(r.la, r.child) for r in projections.caseload(app, as_at=date(2017, 3, 31), sort="child")]
    for number, (la, child) in enumerate(children[::9]):
        first = next(e.on for e in app.entries(la, child) if e.on is not None)
        app.add_action(la, child, text=f"Task {number}", owner=f"Owner {number % 4}",
                       due=first + timedelta(days=200 + 37 * number), recorded_by="tm")  # fmt: skip
        if number % 3 == 1:
            app.edit_action(la, child, "A1", owner="K Patel", due=None, text=None, recorded_by="tm")
        elif number % 3 == 2:
            app.complete_action(la, child, "A1", note=None, recorded_by="tm")
        if number % 5 == 4 and number % 3 != 2:  # not one already done
            app.cancel_action(la, child, "A1", reason="not needed", recorded_by="tm")
    la, child = children[3]
    last = [e for e in app.entries(la, child) if e.on is not None][-1]
    app.correct(la, child, last.seq, on=last.on - timedelta(days=20), fields={}, reason="keyed late", recorded_by="t")
    la, child = children[4]
    last = [e for e in app.entries(la, child) if e.on is not None][-1]
    app.retract(la, child, last.seq, reason="keyed in error", recorded_by="t")
    app.record("825", "U1", "family-finding", date(2016, 1, 5), {}, recorded_by="t")  # unborn, early family-finding
    app.record("825", "D1", "child-details", date(2014, 1, 19), {"date_of_birth": date(2014, 1, 19)}, recorded_by="t")
    app.add_action("825", "D1", text="Ask about care", owner="J Smith", due=date(2016, 5, 1), recorded_by="t")
    app.record("825", "R1", "child-details", date(2014, 2, 1), {"date_of_birth": date(2014, 2, 1)}, recorded_by="t")
    app.retract("825", "R1", 2, reason="wrong child", recorded_by="t")  # nothing left in effect
    yield app
    app.close()


DATES = (None, date(2017, 3, 31), date(2016, 3, 31), date(2015, 6, 30), date(2013, 1, 1))


@pytest.mark.parametrize("as_at", DATES)
def test_the_table_gives_the_replayed_caseload_on_every_date(busy: JourneysApp, as_at: date | None) -> None:
    day = as_at or today()
    rows = replayed(busy, as_at=day)
    for la in (None, "825", "928"):
        for sort in ("status", "child", "due", "actions"):
            assert from_table(busy, as_at=day, la=la, sort=sort) == picked(rows, la=la, sort=sort)
    for filters in ({"status": "overdue"}, {"status": "on-track"}, {"status": "closed"}, {"stage": "placed"},
                    {"find": "owner 1"}, {"find": "k patel"}):  # fmt: skip
        assert from_table(busy, as_at=day, la="825", **filters) == picked(rows, la="825", **filters)
    assert len(rows) > 100 or day < date(2014, 1, 1)


def test_as_known_at_a_time_and_under_other_rules_the_streams_are_replayed(busy: JourneysApp, tmp_path: Path) -> None:
    day = date(2017, 3, 31)
    moments = sorted({e.recorded_at for _, _, entries in busy.streams() for e in entries})
    for known_at in (moments[0], moments[len(moments) // 2], moments[-1], datetime(2000, 1, 1, tzinfo=UTC)):
        assert from_table(busy, as_at=day, known_at=known_at) == picked(replayed(busy, as_at=day, known_at=known_at))
    stricter = tmp_path / "stricter.toml"
    stricter.write_text(DEFAULT_RULES.read_text().replace('within = "121 days"', 'within = "60 days"'))
    rules = load_rules(stricter)
    assert rules_digest(rules) != rules_digest(load_rules())
    assert from_table(busy, as_at=day, rules=rules) == picked(replayed(busy, as_at=day, rules=rules))
    assert from_table(busy, as_at=day, rules=rules) != from_table(busy, as_at=day)  # the rules do count


def test_each_child_has_one_row_answering_for_every_date_after_its_latest_decision(busy: JourneysApp) -> None:
    views = open_views(busy.store)
    try:
        projections.caseload(busy, as_at=today())  # caught up
        stored = views.caseload_facts()
    finally:
        views.close()
    assert len(stored) == len(list(busy.streams())) == len({f.stream_id for f in stored})
    digest = rules_digest(load_rules())
    assert all(f.holds_for(today(), digest) for f in stored)  # today's caseload replays nothing
    kinds = {f.child: f for f in stored if f.la == "825" and f.child in ("U1", "D1", "R1")}
    assert (kinds["U1"].stage, kinds["U1"].plan, kinds["D1"].stage) == ("not-in-care", "adoption", "not-in-care")
    assert kinds["R1"].valid_from is None and kinds["R1"].actions == ()


def test_children_with_no_period_of_care_are_listed_sensibly(busy: JourneysApp) -> None:
    rows = {r["child"]: r for r in from_table(busy, as_at=date(2016, 6, 1), la="825")}
    assert rows["U1"]["stage"] == "not-in-care" and rows["U1"]["plan"] == "adoption"
    assert rows["U1"]["days_in_stage"] == (date(2016, 6, 1) - date(2016, 1, 5)).days
    assert (rows["D1"]["date_of_birth"], rows["D1"]["action_status"], rows["D1"]["owners"]) == (
        date(2014, 1, 19), "overdue", ["J Smith"],
    )  # fmt: skip
    assert rows["D1"]["next_milestone"] is None and rows["D1"]["days_in_stage"] is None
    assert "R1" not in rows  # its one decision retracted, nothing to show
    assert "U1" not in {r["child"] for r in from_table(busy, as_at=date(2015, 12, 31), la="825")}
    listed = {r["child"] for r in from_table(busy, as_at=date(2016, 6, 1), la="825", stage="not-in-care")}
    assert {"U1", "D1"} <= listed


def test_a_line_from_the_stored_dates_is_the_replayed_line_on_each_day(memory_app: JourneysApp) -> None:
    app, rules = memory_app, load_rules()
    for kind, on, fields in (("entered-care", date(2015, 1, 5), {}), ("adoption-decision", date(2015, 3, 2), {}),
                             ("placement-order", date(2015, 6, 1), {}), ("match", date(2015, 8, 1), {"adopters": "A"}),
                             ("placed", date(2015, 10, 1), {})):  # fmt: skip
        app.record("825", "P1", kind, on, fields, recorded_by="t")
    app.add_action("825", "P1", text="Panel", owner="J Smith", due=date(2016, 1, 4), recorded_by="t")
    entries = app.entries("825", "P1")
    facts = facts_of("s", "825", "P1", entries, rules, rules_digest(rules))
    statuses = set()
    for offset in range(0, 420, 3):
        day = date(2015, 10, 1) + timedelta(days=offset)
        replay = caseload_row("825", "P1", entries, as_at=day, rules=rules)
        assert row_on(facts, day, rules_by_id(rules)) == replay, day
        assert replay is not None
        statuses.add((replay.status, replay.action_status))
    assert {("open", "open"), ("overdue", "overdue"), ("on-track", "open")} <= statuses
