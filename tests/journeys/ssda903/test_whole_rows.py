"""A rejected row never half-applies: when the store refuses one decision a row gives, the row's
other decisions are not recorded either (and the child's other rows still are)."""

from __future__ import annotations

from pathlib import Path

from freezegun import freeze_time

from journeys import JourneysApp
from tests.helpers import run_import, timelines, write_return


def _sources(app: JourneysApp, child: str) -> list[str]:
    return [e.source for e in app.entries("825", child)]


def test_a_decision_row_whose_plan_change_is_refused_records_no_decision(
    sqlite_app: JourneysApp, tmp_path: Path
) -> None:
    folder = write_return(
        tmp_path / "2016",
        header=["H1,1,01/01/2013,WBRI"],
        episodes=["H1,01/02/2014,S,C2,N1,U1,PR1,01/06/2015,X1", "H1,01/06/2015,L,E1,N1,A4,PR1,,"],
        # the decision ceases (RD1) while the child is placed with adopters: the store refuses the
        # plan change, so the row's adoption decision is not recorded either
        placed_for_adoption=["H1,01/01/2013,01/05/2014,01/08/2015,RD1"],
    )
    report = run_import(sqlite_app, folder)
    assert {(r.file, r.row, r.column) for r in report.rejects} == {
        ("2016/placed_for_adoption.csv", 2, "DATE_PLACED"),
        ("2016/placed_for_adoption.csv", 2, "DATE_PLACED_CEASED"),
    }
    assert report.tables["placed_for_adoption"].rejected == 1
    assert not any("placed_for_adoption.csv:2" in source for source in _sources(sqlite_app, "H1"))
    kinds = [kind for kind, _, _ in timelines(sqlite_app)["H1"]]
    assert "adoption-decision" not in kinds and "plan-change" not in kinds
    assert kinds[-2:] == ["placement-order", "placed"]  # the episodes still stand
    again = run_import(sqlite_app, folder)  # the same outcome, nothing appended
    assert again.appended == 0 and again.rows_rejected == 1


def test_an_episode_whose_adoption_order_is_refused_records_no_placement(
    sqlite_app: JourneysApp, tmp_path: Path
) -> None:
    folder = write_return(
        tmp_path / "2026",
        header=["H2,1,01/01/2021,WBRI"],
        episodes=["H2,01/02/2022,S,C2,N1,U1,PR1,01/06/2025,X1", "H2,01/06/2025,P,E1,N1,A4,PR1,01/02/2026,E11"],
        placed_for_adoption=["H2,01/01/2021,01/05/2022,,"],
    )
    with freeze_time("2026-01-10 12:00:00"):  # the adoption order's day is still to come
        report = run_import(sqlite_app, folder)
    # the row gives the placement order (LS E1), the placement (PLACE A4) and the adoption order (REC)
    assert {(r.row, r.column) for r in report.rejects} == {(3, "LS"), (3, "PLACE"), (3, "REC")}
    assert any("in the future" in r.reason for r in report.rejects)
    assert not any("episodes.csv:3" in source for source in _sources(sqlite_app, "H2"))
    kinds = [kind for kind, _, _ in timelines(sqlite_app)["H2"]]
    assert not {"placement-order", "placed", "adoption-order"} & set(kinds)
    assert kinds == ["child-details", "entered-care", "adoption-decision"]  # the child's other rows stand
