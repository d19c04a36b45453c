"""--explain: every figure of every report is made of the children it lists.

On generated stores (late keying, corrections, plan changes, several local authorities) and
drawn report options, each explained figure's rows add up (or average, or ...) to the figure
the report prints, list each child once and as many as the report says count, and name events
that are in the child's history with those hashes; the explained report is the plain report
plus "explain". A doctored explanation (a child dropped or listed twice) is caught.
"""

from __future__ import annotations

import copy
import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeys import JourneysApp
from journeys.synthetic.generator import la_codes
from projections import la_reports, reports
from tests.helpers import assert_explains, assert_report_explained, load_generated, reported_figure

FAR = datetime(2100, 1, 1, tzinfo=UTC)
FIRST, LAST = date(2010, 4, 1), date(2024, 3, 31)  # the generator's history
days = st.integers(0, (LAST - FIRST).days).map(lambda n: FIRST + timedelta(days=n))
window = st.tuples(days, days).map(sorted)

Run = Callable[[JourneysApp, bool], tuple[str, dict[str, dict[str, Any]]]]


def _by_la(report: str, run: Callable[..., dict[str, dict[str, Any]]], **options: Any) -> Run:
    def go(app: JourneysApp, explain: bool) -> tuple[str, dict[str, dict[str, Any]]]:
        return report, run(app, explain=explain, **options)

    return go


def _one(report: str, run: Callable[..., Any], **options: Any) -> Run:
    def go(app: JourneysApp, explain: bool) -> tuple[str, dict[str, dict[str, Any]]]:
        return report, {"one": run(app, explain=explain, **options).as_json()}

    return go


@st.composite
def report_runs(draw: st.DrawFn, codes: list[str]) -> list[Run]:
    """One run of each report, with drawn options (window, census, LAs, --known-at)."""
    known = draw(st.sampled_from([None, FAR]))
    las = draw(st.sampled_from([[], codes[:1], codes[::-1]]))
    la = las[0] if las else None
    start, end = draw(window)
    year = draw(st.integers(2010, 2021))
    card_window = draw(
        st.sampled_from([{"period": f"{year}-{(year + 3) % 100:02d}"}, {"start": start, "end": end, "a3_months": 12}])
    )
    census = draw(days)
    cohort_window = draw(st.sampled_from([{}, {"start": start, "end": end}]))
    stages_window = draw(st.sampled_from([{}, {"start": start, "end": end}]))
    ff_start, ff_end = draw(window)
    return [
        _by_la("scorecard", reports.scorecard, known_at=known, las=las, **card_window),
        _by_la("cohort", reports.cohort, census=max(census, end), known_at=known, las=las, **cohort_window),
        _by_la("waiting", reports.waiting, as_at=census, known_at=known, las=las),
        _by_la("counts", reports.counts, by=draw(st.sampled_from(["quarter", "year"])), known_at=known, las=las),
        _by_la("stages", reports.stages, known_at=known, las=las, **stages_window),
        _one(
            "plan-changes",
            la_reports.plan_change_report,
            start=draw(st.sampled_from([None, start])),
            end=draw(st.sampled_from([None, end])),
            la=la,
            known_at=known,
            everything=draw(st.booleans()),
        ),
        _one(
            "tracking-cohort",
            la_reports.tracking_cohort_report,
            start=ff_start,
            end=ff_end,
            census=ff_end + timedelta(days=draw(st.integers(0, 900))),
            la=la,
            known_at=known,
        ),
        _one("surgery", la_reports.surgery, as_at=census, la=la, known_at=known),
    ]


def _without_explain(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "explain"}


def _hashes(app: JourneysApp, la: str, child: str) -> dict[int, str]:
    return {row.entry.seq: row.entry.hash for row in app.history(la, child)}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10**6),
    children=st.integers(8, 60),
    count=st.integers(1, 3),
    data=st.data(),
)
def test_every_figure_is_made_of_the_children_it_lists(
    seed: int, children: int, count: int, data: st.DataObject
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = load_generated(JourneysApp(str(Path(folder) / "j.db")), children, seed, las=count, batch_size=41)
        try:
            explained = 0
            for run in data.draw(report_runs(la_codes(count))):
                report, plain = run(app, False)
                _, with_figures = run(app, True)
                assert list(with_figures) == list(plain)
                for key, one in with_figures.items():
                    assert _without_explain(one) == plain[key], f"{report}: --explain changed the report"
                    explained += assert_report_explained(report, one)
                    for figure in one["explain"].values():
                        for row in figure["children"]:
                            hashes = _hashes(app, row["la"], row["child"])
                            assert all(hashes[e["seq"]] == e["hash"] for e in row["events"]), figure["id"]
            assert explained >= 8 * 4
        finally:
            app.close()


@pytest.fixture(scope="module")
def explained_reports(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, dict[str, Any]]]:
    """Each report of a generated store, explained (one LA's report JSON each)."""
    app = load_generated(JourneysApp(str(tmp_path_factory.mktemp("x") / "j.db")), 400, 5, las=2, batch_size=97)
    try:
        by_la = [
            ("scorecard", reports.scorecard(app, period="2015-18", explain=True)),
            ("cohort", reports.cohort(app, census=date(2020, 9, 30), explain=True)),
            ("waiting", reports.waiting(app, as_at=date(2019, 3, 31), explain=True)),
            ("counts", reports.counts(app, by="year", explain=True)),
            ("stages", reports.stages(app, period="2013-18", explain=True)),
        ]
        found = [(report, one) for report, result in by_la for one in result.values()]
        found.append(("plan-changes", la_reports.plan_change_report(app, everything=True, explain=True).as_json()))
        tracking = la_reports.tracking_cohort_report(
            app, start=date(2012, 4, 1), end=date(2020, 3, 31), census=date(2021, 3, 31), explain=True
        )
        found.append(("tracking-cohort", tracking.as_json()))
        found.append(("surgery", la_reports.surgery(app, as_at=date(2019, 3, 31), explain=True).as_json()))
        return found
    finally:
        app.close()


def test_an_explanation_that_drops_or_repeats_a_child_is_caught(
    explained_reports: list[tuple[str, dict[str, Any]]],
) -> None:
    kinds: set[str] = set()
    for report, data in explained_reports:
        assert_report_explained(report, data)
        for key, figure in data["explain"].items():
            if not figure["children"]:
                continue
            kinds.add(figure["aggregate"])
            reported = reported_figure(report, data, key)
            dropped = copy.deepcopy(figure)
            dropped["children"].pop()
            with pytest.raises(AssertionError):
                assert_explains(dropped, *reported)
            repeated = copy.deepcopy(figure)
            repeated["children"].append(repeated["children"][0])
            with pytest.raises(AssertionError):
                assert_explains(repeated, *reported)
    assert kinds == {"count", "sum", "mean", "median", "max", "percent", "km-median"}


def test_every_report_is_explained_alike_on_each_store(app: JourneysApp) -> None:
    load_generated(app, 150, 11, las=2, batch_size=53)
    runs = [
        _by_la("scorecard", reports.scorecard, period="2014-17", las=["825", "928"]),
        _by_la("cohort", reports.cohort, census=date(2019, 9, 30), known_at=FAR),
        _by_la("waiting", reports.waiting, as_at=date(2018, 3, 31)),
        _by_la("counts", reports.counts, by="year", las=["928"]),
        _by_la("stages", reports.stages, period="2013-18", known_at=FAR),
        _one("plan-changes", la_reports.plan_change_report, everything=True),
        _one(
            "tracking-cohort",
            la_reports.tracking_cohort_report,
            start=date(2012, 4, 1),
            end=date(2019, 3, 31),
            census=date(2020, 3, 31),
            known_at=FAR,
        ),
        _one("surgery", la_reports.surgery, as_at=date(2018, 3, 31), la="928"),
    ]
    for run in runs:
        report, found = run(app, True)
        for one in found.values():
            assert_report_explained(report, one)
            listed = {(row["la"], row["child"]) for figure in one["explain"].values() for row in figure["children"]}
            for la, child in sorted(listed)[:5]:
                hashes = _hashes(app, la, child)
                events = [
                    e
                    for figure in one["explain"].values()
                    for row in figure["children"]
                    if (row["la"], row["child"]) == (la, child)
                    for e in row["events"]
                ]
                assert events and all(hashes[e["seq"]] == e["hash"] for e in events)
