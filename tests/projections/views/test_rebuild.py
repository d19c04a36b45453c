"""The windowed rebuild: each child derived once, the same tables as the incremental catch-up
however the log is cut into windows, a rebuild stopped part way finished by catching up, and
no reference cycle left behind (the rebuild pauses the cycle collector)."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from journeys import StoreError
from journeys.application import JourneysApp
from journeys.loading import load_lines
from journeys.loading.jsonl import read_lines
from journeys.synthetic.generator import generate
from projections.views import catchup
from projections.views.adoption_months import TABLE
from projections.views.dialect import REBUILD_PREFIX, PostgresDialect
from projections.views.rebuild import rebuild_windows
from projections.views.store import JourneysViews, open_views
from projections.views.summary_table import INDEXED
from projections.views.summary_table import LAYOUT as summary_layout
from tests.helpers import load_generated, record


@pytest.fixture
def loaded(app: JourneysApp) -> JourneysApp:
    # generated histories have late keying (a child's lines far apart in the log) and corrections
    return load_generated(app, 120, 2017, las=2, batch_size=37)


@pytest.fixture
def views(loaded: JourneysApp) -> Iterator[JourneysViews]:
    store = open_views(loaded.store)
    yield store
    store.close()


def sums(views: JourneysViews) -> list[tuple[Any, ...]]:
    """The aggregate's non-zero rows (a child re-derived can leave a row of zeros behind)."""
    with views.datastore.transaction(commit=False) as c:
        c.execute(f"SELECT * FROM {views.dialect.qualified(TABLE)} WHERE n <> 0 ORDER BY la, month, placed, k")
        return [tuple(r.values()) if isinstance(r, dict) else tuple(r) for r in c.fetchall()]


def incremental(app: JourneysApp, views: JourneysViews) -> tuple[list[Any], list[tuple[Any, ...]]]:
    """The tables as small catch-up batches leave them."""
    views.reset()
    catchup.catch_up(app, views, batch=23)
    return views.rows(), sums(views)


@pytest.mark.parametrize("window", [1, 97, 10_000])
def test_a_rebuild_in_any_window_gives_the_catch_up_tables(
    loaded: JourneysApp, views: JourneysViews, window: int
) -> None:
    expected = incremental(loaded, views)
    done = catchup.rebuild(loaded, views, window=window)
    assert (views.rows(), sums(views)) == expected
    assert done.position == done.head == loaded.head()
    # every event read once, every child derived once
    assert done.events == loaded.head()
    assert done.children == len({r.stream_id for r in views.rows()})
    assert sums(views), f"no adoption in the generated history: {TABLE} is empty"


@pytest.mark.parametrize("workers", [2, 3])
def test_a_rebuild_in_several_processes_gives_the_tables_of_one(
    loaded: JourneysApp, views: JourneysViews, workers: int
) -> None:
    expected = incremental(loaded, views)
    ticks: list[tuple[int, int]] = []
    done = catchup.rebuild(loaded, views, window=97, workers=workers, progress=lambda *told: ticks.append(told))
    assert (views.rows(), sums(views)) == expected
    assert done.position == done.head == views.position() == loaded.head()
    assert done.events == loaded.head()  # every event read once, every child derived once
    assert done.children == len({r.stream_id for r in views.rows()})
    assert [done for done, _ in ticks] == sorted({done for done, _ in ticks})  # done only grows
    assert ticks[-1] == (loaded.head(), loaded.head())  # progress told of every window


def test_what_is_recorded_while_a_rebuild_runs_is_in_the_tables_it_swaps_in(
    loaded: JourneysApp, views: JourneysViews
) -> None:
    recorded: list[object] = []

    def record_once(done: int, total: int) -> None:  # told after the first window is written
        if not recorded:
            recorded.append(record(loaded, "Z001", "entered-care", "2014-01-06"))

    done = catchup.rebuild(loaded, views, window=97, progress=record_once)
    rebuilt = (views.rows(), sums(views))
    assert recorded and done.position == views.position() == loaded.head()
    assert "Z001" in {row.child for row in rebuilt[0]}
    assert rebuilt == incremental(loaded, views)


def test_a_process_that_cannot_open_the_store_stops_the_rebuild_with_its_reason_and_the_tables_as_they_were(
    tmp_path: Path,
) -> None:
    store = tmp_path / "store.db"
    app = JourneysApp(str(store))
    try:
        lines = [json.dumps(line) for line in generate(30, 1)]
        load_lines(app, read_lines(lines, None), recorded_by="test", source_name="test")
        views = open_views(app.store)
        try:
            catchup.catch_up(app, views)
            before = (views.rows(), sums(views), views.position())
            assert before[0] and before[2] == app.head()
            store.write_text("not a database")  # what each rebuilding process will find
            with pytest.raises(StoreError, match=r"the rebuild stopped: .*not a SQLite database") as caught:
                catchup.rebuild(app, views, window=10, workers=2)
            assert "--store" in caught.value.remedy  # the rebuilding process's own remedy
            assert (views.rows(), sums(views), views.position()) == before  # the reports read them still
        finally:
            views.close()
    finally:
        app.close()


def test_windows_stopped_part_way_are_finished_by_catching_up(loaded: JourneysApp, views: JourneysViews) -> None:
    # what a rebuild relies on to bring its tables up to what was recorded while it ran
    expected = incremental(loaded, views)
    views.reset()
    half = loaded.head() // 2
    rebuild_windows(loaded, views, half, 50, None)
    assert 0 < views.position() <= half
    assert len(views.rows()) < len(expected[0])
    catchup.catch_up(loaded, views)
    assert (views.rows(), sums(views)) == expected


def test_a_rebuild_leaves_no_reference_cycle_behind(loaded: JourneysApp, views: JourneysViews) -> None:
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        catchup.rebuild(loaded, views, window=100)
        assert gc.collect() == 0
    finally:
        if enabled:
            gc.enable()
    assert gc.isenabled() == enabled


def catalog(views: JourneysViews) -> set[str]:
    """The names of every table and index in the view store (and, on PostgreSQL, in its schema)."""
    with views.datastore.transaction(commit=False) as c:
        if isinstance(views.dialect, PostgresDialect):
            schema = views.datastore.schema
            c.execute(
                "SELECT tablename AS name FROM pg_tables WHERE schemaname = %s"
                " UNION SELECT indexname FROM pg_indexes WHERE schemaname = %s",
                [schema, schema],
            )
        else:
            c.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'index')")
        return {str(r["name"]) for r in c.fetchall()}


def test_a_rebuild_leaves_the_tables_and_indexes_under_their_names_and_nothing_of_its_own(
    loaded: JourneysApp, views: JourneysViews
) -> None:
    before = catalog(views)
    assert {f"child_summary_{column}" for column in INDEXED} <= before
    for _ in range(2):  # the second swaps out tables a rebuild made
        catchup.rebuild(loaded, views, window=100)
        assert catalog(views) == before
    assert not {name for name in before if name.startswith(REBUILD_PREFIX)}


def test_opening_the_view_store_creates_the_indexes_that_are_missing(loaded: JourneysApp, views: JourneysViews) -> None:
    wanted = {f"child_summary_{column}" for column in INDEXED}
    with views.datastore.transaction(commit=True) as c:
        for statement in summary_layout.drop_indexes_sql(views.dialect):
            c.execute(statement)
    assert not wanted & catalog(views)
    open_views(loaded.store).close()
    assert wanted <= catalog(views)
