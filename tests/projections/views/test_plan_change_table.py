"""The plan_change and family_finding tables: the plan-changes report read from the first and
the tracking cohort of the children the second names equal the reports replayed from every
stream, whether the tables were kept by small catch-ups, rebuilt in one process or in several;
a view store made before the tables existed derives them again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from journeys import JourneysApp
from projections import la_reports
from projections.metrics.plan_changes import plan_changes
from projections.metrics.scope import UnknownLocalAuthority
from projections.metrics.tracking_cohort import tracking_cohort
from projections.views import catchup
from projections.views import family_finding_table as finding_table
from projections.views import plan_change_table as changes_table
from projections.views.store import JourneysViews, open_views
from tests.helpers import load_generated


@pytest.fixture
def loaded(app: JourneysApp) -> JourneysApp:
    # generated histories: plan changes away from adoption and back, corrections, late keying
    return load_generated(app, 500, 31, las=3, batch_size=53)


@pytest.fixture
def views(loaded: JourneysApp) -> Iterator[JourneysViews]:
    store = open_views(loaded.store)
    yield store
    store.close()


WINDOWS = [(None, None), (date(2014, 4, 1), date(2017, 3, 31)), (date(2016, 1, 1), None)]


def _both(app: JourneysApp, **options: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    table = la_reports.plan_change_report(app, **options).as_json()
    replayed = plan_changes(app.streams(), **options).as_json()
    return table, replayed


@pytest.mark.parametrize("everything", [False, True])
def test_the_report_from_the_table_is_the_replayed_report(loaded: JourneysApp, everything: bool) -> None:
    las = sorted({la for la, _, _ in loaded.streams()})
    for start, end in WINDOWS:
        for la in [None, *las]:
            table, replayed = _both(loaded, start=start, end=end, la=la, everything=everything)
            assert table == replayed
    table, _ = _both(loaded, everything=everything)
    assert table["total"] > 10 and table["by_reason"]  # enough plan changes to mean something


COHORTS = [
    (date(2014, 10, 1), date(2015, 3, 31), date(2015, 9, 30)),
    (date(2015, 10, 1), date(2016, 3, 31), date(2016, 9, 30)),
    (date(2013, 1, 1), date(2018, 12, 31), date(2024, 1, 1)),
]


def test_the_tracking_cohort_of_the_children_the_table_names_is_the_replayed_one(loaded: JourneysApp) -> None:
    las = sorted({la for la, _, _ in loaded.streams()})
    tracked = 0
    for start, end, census in COHORTS:
        for la in [None, *las]:
            options: dict[str, Any] = {"start": start, "end": end, "census": census, "la": la}
            table = la_reports.tracking_cohort_report(loaded, **options).as_json()
            assert table == tracking_cohort(loaded.streams(), **options).as_json()
            tracked += table["tracked"]
    assert tracked > 20  # enough tracked children to mean something


def _table(views: JourneysViews) -> list[Any]:
    return sorted(views.plan_changes(), key=lambda c: (c.stream_id, c.seq))


def _finding(views: JourneysViews) -> list[str]:
    return sorted(views.family_finding_streams(date(1900, 1, 1), date(2100, 1, 1)))


@pytest.mark.parametrize("workers", [1, 2])
def test_small_catch_ups_and_rebuilds_give_the_same_table(
    loaded: JourneysApp, views: JourneysViews, workers: int
) -> None:
    views.reset()
    catchup.catch_up(loaded, views, batch=17)
    kept, found = _table(views), _finding(views)
    assert kept and all(change.stream_id for change in kept) and found
    catchup.rebuild(loaded, views, window=89, workers=workers)
    assert (_table(views), _finding(views)) == (kept, found)


def test_a_correction_recorded_later_re_derives_the_childs_plan_changes(loaded: JourneysApp) -> None:
    before = la_reports.plan_change_report(loaded, everything=True)
    change = before.changes[0]
    loaded.correct(
        change.la,
        change.child,
        change.seq,
        on=None,
        fields={"reason": "RD4" if change.reason != "RD4" else "RD1"},
        reason="keyed wrongly",
        recorded_by="test",
    )
    after = la_reports.plan_change_report(loaded, everything=True)
    assert after.as_json() == plan_changes(loaded.streams(), everything=True).as_json()
    assert after.by_reason() != before.by_reason()


def test_an_unknown_local_authority_is_refused(loaded: JourneysApp) -> None:
    with pytest.raises(UnknownLocalAuthority, match="no journey for local authority 999"):
        la_reports.plan_change_report(loaded, la="999")
    with pytest.raises(UnknownLocalAuthority, match="no journey for local authority 999"):
        la_reports.tracking_cohort_report(
            loaded, start=date(2015, 1, 1), end=date(2015, 6, 30), census=date(2016, 1, 1), la="999"
        )


@pytest.mark.parametrize("table", [changes_table.TABLE, finding_table.TABLE])
def test_a_view_store_made_before_a_table_existed_derives_it_again(
    loaded: JourneysApp, views: JourneysViews, table: str
) -> None:
    expected = plan_changes(loaded.streams(), everything=True).as_json()
    catchup.catch_up(loaded, views)
    found = _finding(views)
    with views.datastore.transaction(commit=True) as c:
        c.execute(f"DROP TABLE {views.dialect.qualified(table)}")  # as an older version left it
    again = open_views(loaded.store)
    try:
        assert again.position() == 0  # everything is derived again by the next catch-up
    finally:
        again.close()
    assert la_reports.plan_change_report(loaded, everything=True).as_json() == expected
    assert _finding(views) == found
