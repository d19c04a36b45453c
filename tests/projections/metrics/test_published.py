"""The cross-LA reports as published: each table's hidden counts cannot be worked out from what
is shown, the cohort's outcomes adding up to its placement orders included."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

import projections
from journeys import JourneysApp
from journeys.loading import load_lines
from journeys.loading.jsonl import read_lines
from projections.metrics.published import published_cohort, published_scorecard, published_stages
from projections.metrics.suppression import SUPPRESSED, with_totals
from tests.helpers import FIXTURES
from tests.projections.metrics.test_suppression import another_table

LAS = ["825", "928"]


@pytest.fixture(scope="module")
def evaluation() -> Any:
    app = JourneysApp(":memory:")
    lines = [line for path in sorted((FIXTURES / "evaluation-2017").glob("*.jsonl")) for line in path.open()]
    assert not load_lines(app, read_lines(lines, None), recorded_by="test", source_name="fixtures").rejected
    yield app
    app.close()


def test_a_cohort_s_outcomes_hidden_cannot_be_worked_out_from_its_placement_orders(evaluation: JourneysApp) -> None:
    by_la = projections.cohort(evaluation, census=date(2014, 3, 31), las=LAS)
    rows = [r for la in LAS for r in by_la[la]["rows"]]
    published = published_cohort(by_la, 10, None)
    shown_rows = [r for la in [*LAS, "total"] for r in published[la]["rows"]]
    outcomes = ("matched", "waiting", "exited", "placement_orders")
    table = with_totals([[r["matched"], r["waiting"], r["exited"]] for r in rows])
    assert [line[-1] for line in table[:-1]] == [r["placement_orders"] for r in rows]
    cells = [[r[key] for key in outcomes] for r in shown_rows]
    hidden = frozenset((i, j) for i, line in enumerate(cells) for j, cell in enumerate(line) if cell == SUPPRESSED)
    assert hidden
    for i, line in enumerate(table):
        for j, value in enumerate(line):
            assert cells[i][j] == (SUPPRESSED if 0 < value < 10 else cells[i][j])
            assert cells[i][j] in (SUPPRESSED, value)
    for cell in hidden:
        assert another_table(table, hidden, cell) is not None
    for shown_row, row in zip(shown_rows, rows, strict=False):
        hidden_keys = {k for k, v in shown_row.items() if v == SUPPRESSED}
        assert hidden_keys == set(shown_row["suppressed"])
        if shown_row["matched"] != SUPPRESSED:
            assert shown_row["mean_days_po_to_match"] == row["mean_days_po_to_match"]


def test_a_scorecard_hides_a_second_la_beside_a_small_one_and_the_means_over_them(evaluation: JourneysApp) -> None:
    by_la = projections.scorecard(evaluation, start=date(2012, 9, 1), end=date(2012, 11, 28), las=LAS)
    adopted = {la: by_la[la]["adopted"] for la in LAS}
    assert 0 < adopted["825"] < 10 <= adopted["928"], "the window holds one LA with few adoptions"
    published = published_scorecard(by_la, 10, None)
    # 825's count beside the total would give it away: 928's is hidden too, and the means over them
    assert published["total"]["adopted"] == sum(adopted.values())
    assert [published[la]["adopted"] for la in LAS] == [SUPPRESSED, SUPPRESSED]
    assert [published[la]["A1"]["mean_days"] for la in LAS] == [SUPPRESSED, SUPPRESSED]
    assert {"adopted", "A1.children", "A1.mean_days"} <= set(published["928"]["suppressed"])
    assert published["825"]["A1"]["threshold"] == by_la["825"]["A1"]["threshold"]
    rounded = published_scorecard(by_la, None, 5)
    assert rounded["total"]["adopted"] == (sum(adopted.values()) + 2) // 5 * 5
    assert rounded["928"]["A1"]["mean_days"] == by_la["928"]["A1"]["mean_days"]
    assert rounded["825"]["suppressed"] == []


def test_a_stage_with_few_children_hides_its_days_and_a_second_la(evaluation: JourneysApp) -> None:
    by_la = projections.stages(evaluation, start=date(2012, 9, 1), end=date(2012, 11, 28), las=LAS)
    assert 0 < by_la["825"]["cohort"] < 10 <= by_la["928"]["cohort"]
    published = published_stages(by_la, 10, None)
    assert [published[la]["cohort"] for la in LAS] == [SUPPRESSED, SUPPRESSED]
    assert published["total"]["cohort"] == by_la["825"]["cohort"] + by_la["928"]["cohort"]
    for la in LAS:
        for stage, before in zip(published[la]["stages"], by_la[la]["stages"], strict=True):
            if 0 < before["children"] < 10:
                assert stage["children"] == stage["mean_days"] == stage["max_days"] == SUPPRESSED
                assert set(stage["suppressed"]) == {"children", "mean_days", "median_days", "max_days"}
    totals = [s["children"] for s in published["total"]["stages"]]
    assert totals == [sum(by_la[la]["stages"][i]["children"] for la in LAS) for i in range(len(totals))]
