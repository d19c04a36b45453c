"""An older return's period of care open at its year end, while the store holds a later start of
care: the period ended on or before the day before that start (a bounded ``left-care``), and the
return holding the real end corrects it, or retracts it for an adoption order."""

from __future__ import annotations

from pathlib import Path

from journeys import JourneysApp
from tests.helpers import run_import, timelines, write_return

HEADER = ["C7,1,01/01/2010,WBRI"]
LATER = "C7,30/07/2015,S,V2,N1,U1,PR1,,"  # the second period's start, in the 2016 return


def _kinds(app: JourneysApp) -> list[tuple[str, str, dict[str, object]]]:
    return timelines(app)["C7"]


def test_an_older_open_period_imported_after_a_later_start_is_bounded_then_corrected_by_its_end(
    sqlite_app: JourneysApp, memory_app: JourneysApp, tmp_path: Path
) -> None:
    root = tmp_path / "903"
    write_return(root / "2016", header=HEADER, episodes=[LATER])
    write_return(root / "2012", header=HEADER, episodes=["C7,14/03/2012,S,C1,N1,U1,PR1,,"])
    write_return(
        root / "2013",
        header=HEADER,
        episodes=["C7,14/03/2012,S,C1,N1,U1,PR1,01/05/2012,X1", "C7,01/05/2012,P,C1,N1,U2,PR1,17/06/2012,E4A"],
    )
    run_import(memory_app, root)
    run_import(sqlite_app, root / "2016")
    older = run_import(sqlite_app, root / "2012")
    assert older.rows_rejected == 0 and older.bounded_ends == 1
    assert ("left-care", "2015-07-29", {"on_or_before": True}) in _kinds(sqlite_app)
    assert run_import(sqlite_app, root / "2012").appended == 0  # the same bound, read again
    between = run_import(sqlite_app, root / "2013")
    assert between.rows_rejected == 0 and between.corrected == 1
    assert ("left-care", "2012-06-17", {"reason_code": "E4A"}) in _kinds(sqlite_app)
    assert _kinds(sqlite_app) == _kinds(memory_app)


def test_a_later_start_imported_after_an_older_open_period_bounds_that_period(
    sqlite_app: JourneysApp, memory_app: JourneysApp, tmp_path: Path
) -> None:
    root = tmp_path / "903"
    write_return(root / "2012", header=HEADER, episodes=["C7,14/03/2012,S,C1,N1,U1,PR1,,"])
    write_return(root / "2016", header=HEADER, episodes=[LATER])
    write_return(root / "2013", header=HEADER, episodes=["C7,14/03/2012,S,C1,N1,U1,PR1,17/06/2012,E4A"])
    run_import(memory_app, root)
    run_import(sqlite_app, root / "2012")
    newer = run_import(sqlite_app, root / "2016")
    assert newer.rows_rejected == 0 and newer.bounded_ends == 1
    assert ("entered-care", "2015-07-30", {"legal_status": "V2"}) in _kinds(sqlite_app)
    assert run_import(sqlite_app, root / "2013").rows_rejected == 0
    assert _kinds(sqlite_app) == _kinds(memory_app)


def test_a_bounded_end_gives_way_to_an_adoption_order(
    sqlite_app: JourneysApp, memory_app: JourneysApp, tmp_path: Path
) -> None:
    """The real end is an adoption order, another kind of decision: the bound is retracted."""
    root = tmp_path / "903"
    write_return(
        root / "2013",
        header=HEADER,
        episodes=["C7,14/03/2012,S,E1,N1,U1,PR1,01/09/2012,X1", "C7,01/09/2012,P,E1,N1,A4,PR1,,"],
        placed_for_adoption=["C7,01/01/2010,14/03/2012,,"],
    )
    write_return(root / "2016", header=HEADER, episodes=[LATER])
    write_return(
        root / "2014",
        header=HEADER,
        episodes=["C7,01/09/2012,P,E1,N1,A4,PR1,20/05/2013,E11"],
        placed_for_adoption=["C7,01/01/2010,14/03/2012,,"],
    )
    run_import(memory_app, root)
    assert run_import(sqlite_app, root / "2013").rows_rejected == 0
    assert run_import(sqlite_app, root / "2016").bounded_ends == 1
    last = run_import(sqlite_app, root / "2014")
    assert last.rows_rejected == 0, last.rejects
    assert ("adoption-order", "2013-05-20", {}) in _kinds(sqlite_app)
    assert not any(kind == "left-care" for kind, _, _ in _kinds(sqlite_app))
    assert _kinds(sqlite_app) == _kinds(memory_app)
    assert [e.kind for e in sqlite_app.entries("825", "C7")].count("retract") == 1
