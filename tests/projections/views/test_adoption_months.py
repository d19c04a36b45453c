"""The scorecard from the ``adoption_months`` aggregate (and the PO cohorts from the rows
they read) equal the reports from every summary row, on the evaluation fixtures and on
generated histories, after corrections and retractions too; and ``months_to_place`` is the A3 threshold for every N."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cli.output import jsonable
from journeys import loading
from journeys.application import JourneysApp
from journeys.domain.errors import JourneyError
from journeys.domain.timeline import effective_decisions
from journeys.loading.jsonl import read_lines
from journeys.synthetic.generator import generate
from projections import read_model, reports
from projections.metrics import cohorts
from projections.metrics import scorecard as card
from projections.metrics.summary import PeriodSummary
from projections.metrics.thresholds import for_window
from projections.views.adoption_months import TABLE, edges, whole_months
from projections.views.store import open_views
from tests.helpers import FIXTURES

EVALUATION = [FIXTURES / "evaluation-2017" / name for name in ("buckinghamshire.jsonl", "northamptonshire.jsonl")]

# Whole financial years, part months at either end, a single day, a window inside one month.
WINDOWS = [
    (date(2012, 4, 1), date(2015, 3, 31)),
    (date(2015, 4, 1), date(2015, 9, 30)),
    (date(2014, 4, 17), date(2016, 2, 9)),
    (date(2015, 6, 30), date(2015, 6, 30)),
    (date(2016, 1, 3), date(2016, 1, 27)),
    (date(2000, 1, 1), date(2030, 12, 31)),
]


def as_json(report: Any) -> str:
    return json.dumps(jsonable(report), sort_keys=True)


def load_lines(app: JourneysApp, lines: list[str]) -> None:
    report = loading.load_lines(app, read_lines(lines, None), recorded_by="test", source_name="test")
    assert not report.rejected


def row_path(app: JourneysApp, start: date, end: date, a3_months: int | None, la: str | None) -> dict[str, Any]:
    rows = [r for r in reports.summaries(app) if la is None or r.la == la]
    return card.scorecard(rows, start, end, for_window(start, end, None), a3_months)


def assert_same_scorecards(app: JourneysApp) -> int:
    """Compare the two paths for every window, A3 N and local authority; the adopted count."""
    las = sorted({r.la for r in reports.summaries(app)})
    adopted = 0
    for start, end in WINDOWS:
        for a3 in (None, 1, 12, 16, 60):
            fast = reports.scorecard(app, start=start, end=end, a3_months=a3)["all"]
            assert as_json(fast) == as_json(row_path(app, start, end, a3, None)), (start, end, a3)
            adopted = max(adopted, fast["adopted"])
            by_la = reports.scorecard(app, start=start, end=end, a3_months=a3, las=las)
            for la in las:
                assert as_json(by_la[la]) == as_json(row_path(app, start, end, a3, la)), (la, start, end, a3)
    for census in (date(2014, 3, 31), date(2016, 9, 30), date(2023, 9, 30)):
        rows = reports.summaries(app)
        assert as_json(reports.cohort(app, census=census)["all"]) == as_json(cohorts.by_po_year(rows, census))
        start, end = date(2013, 4, 1), date(2015, 3, 31)
        fast = reports.cohort(app, census=census, start=start, end=end, las=las)
        for la in las:
            own = [r for r in rows if r.la == la]
            assert as_json(fast[la]) == as_json(cohorts.in_window(own, census, start, end))
    return adopted


def adopted_children(app: JourneysApp) -> list[PeriodSummary]:
    return [r for r in reports.summaries(app) if r.adoption_order is not None]


def change_some_adoptions(app: JourneysApp, every: int) -> int:
    """Move some adoption orders into another month, retract others; how many changed."""
    changed = 0
    for i, row in enumerate(adopted_children(app)[::every]):
        decisions = effective_decisions(app.entries(row.la, row.child))
        order = next(d for d in decisions if d.kind == "adoption-order" and d.on == row.adoption_order)
        try:
            if i % 2:
                app.retract(row.la, row.child, order.seq, reason="keyed in error", recorded_by="test")
            else:
                moved = order.on + timedelta(days=35)
                app.correct(
                    row.la, row.child, order.seq, on=moved, fields=order.fields, reason="date", recorded_by="test"
                )
            changed += 1
        except JourneyError:
            continue  # a change the rules refuse changes nothing
    return changed


@pytest.mark.skipif(not all(f.exists() for f in EVALUATION), reason="evaluation fixtures not generated")
def test_the_aggregate_and_the_rows_agree_on_the_evaluation_fixtures(app: JourneysApp) -> None:
    for path in EVALUATION:
        load_lines(app, path.read_text(encoding="utf-8").splitlines())
    assert assert_same_scorecards(app) > 0


@pytest.mark.parametrize("seed", [1, 7, 2017])
def test_the_aggregate_and_the_rows_agree_on_generated_histories_and_after_changes(
    seed: int, sqlite_app: JourneysApp
) -> None:
    load_lines(sqlite_app, [json.dumps(line) for line in generate(400, seed, las=3)])
    before = assert_same_scorecards(sqlite_app)
    assert before > 0
    assert change_some_adoptions(sqlite_app, every=5) > 0
    assert_same_scorecards(sqlite_app)


def test_the_aggregate_follows_corrections_on_both_backends(app: JourneysApp) -> None:
    load_lines(app, [json.dumps(line) for line in generate(150, 3, las=2)])
    assert_same_scorecards(app)
    assert change_some_adoptions(app, every=3) > 0
    assert_same_scorecards(app)


def test_a_view_store_made_before_the_aggregate_is_added_up_when_opened(sqlite_app: JourneysApp) -> None:
    load_lines(sqlite_app, [json.dumps(line) for line in generate(200, 5, las=2)])
    start, end = WINDOWS[-1]
    expected = as_json(reports.scorecard(sqlite_app, start=start, end=end)["all"])
    views = open_views(sqlite_app.store)
    with views.datastore.transaction(commit=True) as c:
        c.execute(f"DROP TABLE {TABLE}")
    views.close()
    assert as_json(reports.scorecard(sqlite_app, start=start, end=end)["all"]) == expected
    assert json.loads(expected)["adopted"] > 0


def test_a_rebuild_gives_the_same_aggregate(sqlite_app: JourneysApp) -> None:
    load_lines(sqlite_app, [json.dumps(line) for line in generate(200, 11, las=2)])
    start, end = WINDOWS[-1]
    expected = as_json(reports.scorecard(sqlite_app, start=start, end=end, a3_months=14)["all"])
    read_model.projection_rebuild(sqlite_app)
    assert as_json(reports.scorecard(sqlite_app, start=start, end=end, a3_months=14)["all"]) == expected


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31))


@given(entered=days, placed=days, months=st.integers(min_value=-40, max_value=400))
def test_months_to_place_is_the_a3_threshold_for_every_n(entered: date, placed: date, months: int) -> None:
    row = PeriodSummary(la="825", child="C1", period=1, entered_care=entered, placed=placed)
    k = card.months_to_place(row)
    assert k is not None
    assert card.placed_in_time(row, months) == (k <= months)


@given(start=days, length=st.integers(min_value=0, max_value=800))
def test_whole_months_and_edges_cover_the_window_exactly_once(start: date, length: int) -> None:
    end = start + timedelta(days=length)
    whole = whole_months(start, end)
    parts = [(start, end)] if whole is None else edges(start, end, whole)
    covered = [d for a, b in parts for d in (a + timedelta(days=i) for i in range((b - a).days + 1))]
    if whole is not None:
        first = date(whole[0] // 12, whole[0] % 12 + 1, 1)
        last = date((whole[1] + 1) // 12, (whole[1] + 1) % 12 + 1, 1) - timedelta(days=1)
        assert start <= first <= last <= end
        covered += [first + timedelta(days=i) for i in range((last - first).days + 1)]
    assert sorted(covered) == [start + timedelta(days=i) for i in range(length + 1)]
