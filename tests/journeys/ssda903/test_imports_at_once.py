"""Two imports of one return into one store, the second run while the first is part-way (after
its first chunk of children is saved, before the rest): neither rejects a row, together they append
what one import does, and the journeys are those of one import.

The second import is run at the end of the first's first chunk (an import plans and loads a chunk of
whole children at a time), when every batch of that chunk is saved. Run in the middle of a chunk, it
can overtake a child the first import holds between two batches: that batch is then refused as a
whole ("run the same command again"), which tests/cli/test_two_loads_at_once.py allows for.
"""

from __future__ import annotations

from pathlib import Path

from journeys import DEFAULT_END, JourneysApp, generate_journeys, import_903, write_903
from tests.helpers import event_count, timelines

BATCH = 20
CHUNK_ROWS = 100  # the first import's chunks: the second runs when the first chunk is saved


def _return(folder: Path) -> Path:
    write_903(generate_journeys(300, 1), folder, DEFAULT_END.year)
    return folder / "825"


def test_an_import_run_while_another_is_part_way_rejects_nothing_and_stores_one_imports_journeys(
    app: JourneysApp, memory_app: JourneysApp, tmp_path: Path
) -> None:
    returns = _return(tmp_path)
    whole = import_903(memory_app, [returns], la="825", recorded_by="tester", batch_size=BATCH)
    other = JourneysApp(app.store)
    second = []
    told: list[int] = []

    def progress(done: int, total: int) -> None:
        # a chunk's end is told twice: with its last child's lines, then once they are saved
        if told and told[-1] == done and not second:
            second.append(import_903(other, [returns], la="825", recorded_by="other", batch_size=BATCH))
        told.append(done)

    try:
        first = import_903(
            app, [returns], la="825", recorded_by="tester", batch_size=BATCH, progress=progress, chunk_rows=CHUNK_ROWS
        )
    finally:
        other.close()

    assert second, "the second import never ran"
    assert (first.rows_rejected, second[0].rows_rejected) == (0, 0), first.rejects[:3]
    assert 0 < first.appended < whole.appended
    assert first.appended + second[0].appended == whole.appended
    assert timelines(app) == timelines(memory_app)
    assert event_count(app) == event_count(memory_app)
    again = import_903(app, [returns], la="825", recorded_by="tester", batch_size=BATCH)
    assert (again.appended, again.corrected, again.rows_rejected) == (0, 0, 0)
