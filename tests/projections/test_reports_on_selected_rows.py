"""Reports that read only some rows and columns of the read model give the same JSON as the
pure report functions on every full summary row."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from cli.output import jsonable
from journeys.application import JourneysApp
from journeys.loading import load_lines
from journeys.loading.jsonl import read_lines
from journeys.synthetic.generator import generate
from projections import reports
from projections.metrics import activity
from projections.metrics.summary import PeriodSummary


def as_json(report: Any) -> str:
    return json.dumps(jsonable(report), sort_keys=True)


@pytest.fixture
def loaded(app: JourneysApp) -> JourneysApp:
    lines = [json.dumps(line) for line in generate(300, 42, las=2)]
    assert not load_lines(app, read_lines(lines, None), recorded_by="test", source_name="test").rejected
    return app


def by_la(rows: list[PeriodSummary]) -> dict[str, list[PeriodSummary]]:
    found: dict[str, list[PeriodSummary]] = {}
    for row in rows:
        found.setdefault(row.la, []).append(row)
    return found


def test_waiting_counts_and_stages_match_the_full_rows(loaded: JourneysApp) -> None:
    rows = reports.summaries(loaded)
    las = sorted(by_la(rows))
    assert len(las) == 2
    waiting_seen = 0
    for as_at in (date(2012, 3, 31), date(2015, 9, 30), date(2018, 1, 1), date(2030, 1, 1)):
        fast = reports.waiting(loaded, as_at=as_at)["all"]
        assert as_json(fast) == as_json(activity.waiting(rows, as_at))
        waiting_seen += fast["waiting"]
        per_la = reports.waiting(loaded, as_at=as_at, las=las)
        for la in las:
            assert as_json(per_la[la]) == as_json(activity.waiting(by_la(rows)[la], as_at))
    assert waiting_seen > 0
    for by in ("quarter", "year"):
        assert as_json(reports.counts(loaded, by=by)["all"]) == as_json(activity.counts(rows, by))
    assert as_json(reports.stages(loaded)["all"]) == as_json(activity.stages(rows))
    for start, end in ((date(2012, 4, 1), date(2015, 3, 31)), (date(2015, 6, 3), date(2016, 1, 17))):
        fast = reports.stages(loaded, start=start, end=end, las=las)
        for la in las:
            assert as_json(fast[la]) == as_json(activity.stages(by_la(rows)[la], start, end))
        assert reports.stages(loaded, start=start, end=end)["all"]["cohort"] > 0
