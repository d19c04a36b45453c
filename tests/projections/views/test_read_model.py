"""The child_summary read model: incremental, exactly once, resumable, rebuildable, and able
to answer as known at a past time. Runs on SQLite, and on PostgreSQL when configured."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime

import pytest
from freezegun import freeze_time

from journeys import JourneysApp
from projections import reports
from projections.views.catchup import catch_up, rebuild, status, summaries_known_at
from projections.views.derivation import ViewRows
from projections.views.store import JourneysViews, open_views, views_class


def record(app: JourneysApp, child: str, kind: str, on: str, **fields: object) -> int:
    return app.record("825", child, kind, date.fromisoformat(on), fields, recorded_by="tester").seq


def adopt(app: JourneysApp, child: str, entered: str, po: str, match: str, placed: str, ao: str) -> None:
    record(app, child, "entered-care", entered)
    record(app, child, "adoption-decision", entered)
    record(app, child, "placement-order", po)
    record(app, child, "match", match)
    record(app, child, "placed", placed)
    record(app, child, "adoption-order", ao)


@pytest.fixture
def views(app: JourneysApp) -> Iterator[JourneysViews]:
    store = open_views(app.store)
    yield store
    store.close()


def table(views: JourneysViews) -> list[object]:
    return list(views.rows())


def test_one_more_event_after_a_full_catch_up_is_the_only_one_applied(app: JourneysApp, views: JourneysViews) -> None:
    adopt(app, "C1", "2012-01-01", "2012-06-01", "2012-09-01", "2012-10-01", "2013-03-01")
    record(app, "C2", "entered-care", "2013-01-01")
    first = catch_up(app, views)
    assert first.events == first.head == status(app, views).position

    record(app, "C2", "adoption-decision", "2013-04-01")
    second = catch_up(app, views)

    assert (second.events, second.children) == (1, 1)
    assert second.position == first.position + 1
    assert catch_up(app, views).events == 0
    (c2,) = [r for r in views.rows() if r.child == "C2"]
    assert c2.adoption_decision == date(2013, 4, 1)


def test_a_restart_resumes_from_the_tracked_position(app: JourneysApp) -> None:
    adopt(app, "C1", "2012-01-01", "2012-06-01", "2012-09-01", "2012-10-01", "2013-03-01")
    before = open_views(app.store)
    done = catch_up(app, before, batch=2)
    before.close()
    record(app, "C1", "child-details", "2011-12-01", date_of_birth="2011-12-01")

    after = open_views(app.store)
    try:
        assert after.position() == done.position
        resumed = catch_up(app, after)
    finally:
        after.close()

    assert resumed.events == 1


def test_rebuild_gives_identical_tables(app: JourneysApp, views: JourneysViews) -> None:
    adopt(app, "C1", "2012-01-01", "2012-06-01", "2012-09-01", "2012-10-01", "2013-03-01")
    adopt(app, "C2", "2012-02-01", "2012-07-01", "2012-07-15", "2012-08-01", "2013-01-10")
    catch_up(app, views, batch=3)
    seq = record(app, "C3", "entered-care", "2014-01-01")
    app.correct("825", "C3", seq, on=date(2014, 1, 2), fields={}, reason="keyed wrongly", recorded_by="tester")
    catch_up(app, views, batch=3)
    incremental = table(views)

    rebuilt = rebuild(app, views)

    assert rebuilt.events == rebuilt.head
    assert table(views) == incremental
    assert len(incremental) == 3


def test_a_correction_re_derives_the_child(app: JourneysApp, views: JourneysViews) -> None:
    adopt(app, "C1", "2012-01-01", "2012-06-01", "2012-09-01", "2012-10-01", "2013-03-01")
    catch_up(app, views)
    match = next(e.seq for e in app.entries("825", "C1") if e.kind == "match")

    app.correct("825", "C1", match, on=date(2012, 8, 1), fields={}, reason="panel date", recorded_by="tester")
    catch_up(app, views)

    (row,) = views.rows()
    assert row.matched == date(2012, 8, 1)


def test_a_retraction_re_derives_the_child(app: JourneysApp, views: JourneysViews) -> None:
    record(app, "C1", "entered-care", "2014-01-01")
    decision = record(app, "C1", "adoption-decision", "2014-03-01")
    catch_up(app, views)

    app.retract("825", "C1", decision, reason="wrong child", recorded_by="tester")
    catch_up(app, views)

    (row,) = views.rows()
    assert row.adoption_decision is None


def test_known_at_recreates_an_earlier_figure_after_later_events_and_corrections(app: JourneysApp) -> None:
    with freeze_time("2015-05-01 12:00:00"):
        adopt(app, "C1", "2012-01-01", "2012-06-01", "2012-09-01", "2012-10-01", "2013-03-01")
        adopt(app, "C2", "2012-01-01", "2012-06-01", "2012-12-01", "2013-01-01", "2013-06-01")
    then = reports.scorecard(app, period="2012-15", las=["825"])["825"]
    with freeze_time("2015-08-01 12:00:00"):
        match = next(e.seq for e in app.entries("825", "C2") if e.kind == "match")
        app.correct("825", "C2", match, on=date(2012, 7, 1), fields={}, reason="panel date", recorded_by="tester")
        adopt(app, "C3", "2013-01-01", "2013-06-01", "2014-09-01", "2014-10-01", "2015-03-01")
    now = reports.scorecard(app, period="2012-15", las=["825"])["825"]

    known = reports.scorecard(app, period="2012-15", las=["825"], known_at=datetime(2015, 6, 1, tzinfo=UTC))["825"]

    assert now != then
    assert known == then


def test_known_at_before_a_child_was_recorded_leaves_it_out(app: JourneysApp) -> None:
    with freeze_time("2015-05-01 12:00:00"):
        record(app, "C1", "entered-care", "2014-01-01")
    with freeze_time("2015-07-01 12:00:00"):
        record(app, "C2", "entered-care", "2014-02-01")

    rows = summaries_known_at(app, datetime(2015, 6, 1, tzinfo=UTC))

    assert [r.child for r in rows] == ["C1"]


def test_status_shows_how_far_behind_the_log_the_read_model_is(app: JourneysApp, views: JourneysViews) -> None:
    record(app, "C1", "entered-care", "2014-01-01")
    record(app, "C1", "adoption-decision", "2014-03-01")

    before = status(app, views)
    catch_up(app, views)
    after = status(app, views)

    assert before.behind == before.head > 0
    assert after.behind == 0
    assert after.rows == 1


class RacedWrite(JourneysViews):
    """A view store whose first write loses a race: another process catches up just before
    (put before the store's own class, see raced_views)."""

    app: JourneysApp
    raced = False

    def write(self, streams: Sequence[str], rows: ViewRows, position: int, *, after: int) -> None:
        if not self.raced:
            self.raced = True
            other = open_views(self.app.store)
            try:
                catch_up(self.app, other)
            finally:
                other.close()
        super().write(streams, rows, position, after=after)


def raced_views(app: JourneysApp) -> RacedWrite:
    raced = open_views(app.store, type("RacedViews", (RacedWrite, views_class(app.store)), {}))
    assert isinstance(raced, RacedWrite)
    raced.app = app
    return raced


def test_two_catch_ups_at_once_apply_each_event_once(app: JourneysApp) -> None:
    adopt(app, "C1", "2012-01-01", "2012-06-01", "2012-09-01", "2012-10-01", "2013-03-01")
    adopt(app, "C2", "2012-02-01", "2012-07-01", "2012-07-15", "2012-08-01", "2013-01-10")
    raced = raced_views(app)
    try:
        result = catch_up(app, raced, batch=4)
        rows = raced.rows()
        position = raced.position()
    finally:
        raced.close()

    assert raced.raced
    assert result.events == 0
    assert position == result.head
    assert sorted(r.child for r in rows) == ["C1", "C2"]


class SwappedBeforeItsWrite(JourneysViews):
    """A view store whose first write comes just after another process swapped rebuilt tables
    in (put before the store's own class, see test below)."""

    swap: Callable[[], bool] | None = None

    def write(self, streams: Sequence[str], rows: ViewRows, position: int, *, after: int) -> None:
        if self.swap is not None:
            swap, self.swap = self.swap, None
            assert swap()
        super().write(streams, rows, position, after=after)


def test_a_catch_up_begun_before_a_rebuild_swapped_its_tables_in_applies_what_they_lack(app: JourneysApp) -> None:
    adopt(app, "C1", "2012-01-01", "2012-06-01", "2012-09-01", "2012-10-01", "2013-03-01")
    other = open_views(app.store)  # another process's, rebuilding
    rebuilt = other.rebuilding()
    catch_up(app, rebuilt)
    at = rebuilt.position()
    record(app, "C2", "entered-care", "2013-01-01")  # recorded while it finishes: only the old tables have it
    views = open_views(app.store, type("Swapped", (SwappedBeforeItsWrite, views_class(app.store)), {}))
    try:
        catch_up(app, views)
        record(app, "C3", "entered-care", "2013-02-01")
        assert isinstance(views, SwappedBeforeItsWrite)
        views.swap = lambda: other.swap_in(rebuilt, at)  # the tables go back to where C2 is not yet applied
        catch_up(app, views)
        assert sorted(r.child for r in views.rows()) == ["C1", "C2", "C3"]
        assert views.position() == app.head()
    finally:
        views.close()
        other.close()


def test_forgetting_the_position_derives_every_child_again_with_the_same_rows(
    app: JourneysApp, views: JourneysViews
) -> None:
    adopt(app, "C1", "2012-01-01", "2012-06-01", "2012-09-01", "2012-10-01", "2013-03-01")
    record(app, "C2", "entered-care", "2013-01-01")
    first = catch_up(app, views)
    rows = table(views)

    views.forget_position()

    assert views.position() == 0
    again = catch_up(app, views)
    assert (again.events, again.children) == (first.events, 2)
    assert table(views) == rows
