"""Two imports of one return into one store, the second run while the first is part-way (after its
first batches are saved, before the rest): neither rejects a row, together they append what one
import does, and the journeys are those of one import.

The first import plans every child against the store as it found it, then loads; its lines for the
children the second import stored meanwhile are already present, even where a line carries only the
fields its rows give and the stored decision the kind's defaults too (a match's ``adopters: None``).
They were rejected as "the id … is already used for … a different event" (hundreds of rows, exit 2).
"""

from __future__ import annotations

from pathlib import Path

from journeys import DEFAULT_END, JourneysApp, generate_journeys, import_903, write_903
from tests.helpers import event_count, timelines

BATCH = 20
SECOND_STARTS_AT = 5 * BATCH + 1  # the first import's line: five batches are saved, the sixth is being read


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

    def progress(done: int, total: int) -> None:
        if done == SECOND_STARTS_AT and not second:
            second.append(import_903(other, [returns], la="825", recorded_by="other", batch_size=BATCH))

    try:
        first = import_903(app, [returns], la="825", recorded_by="tester", batch_size=BATCH, progress=progress)
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
