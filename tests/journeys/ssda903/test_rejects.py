"""Row-level checks: each bad row is rejected naming its file, row, column and reason; good rows still load."""

from __future__ import annotations

from pathlib import Path

from journeys import JourneysApp
from journeys.ssda903 import ImportReport
from journeys.ssda903.reasons import STORE_REFUSAL_REMEDY
from tests.helpers import run_import

EPISODES = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"


def _import(app: JourneysApp, tmp_path: Path, episodes: str) -> ImportReport:
    folder = tmp_path / "2016"
    folder.mkdir()
    (folder / "episodes.csv").write_text(EPISODES + episodes)
    return run_import(app, folder)


def _reasons(report: ImportReport) -> dict[int, tuple[str, str]]:
    return {r.row: (r.column, r.reason) for r in report.rejects}


def test_impossible_dates_and_invalid_codes_are_rejected_and_the_rest_loads(
    memory_app: JourneysApp, tmp_path: Path
) -> None:
    report = _import(
        memory_app, tmp_path,
        "R1,31/02/2016,S,C1,N1,U1,PR1,,,,,,\n"
        "R2,01/03/2016,S,Q9,N1,U1,PR1,,,,,,\n"
        "R3,01/03/2016,S,C1,N1,U1,PR1,01/02/2016,E13,,,,\n"
        "R4,01/03/2016,S,C1,N1,U1,PR1,,,,,,\n",
    )  # fmt: skip
    reasons = _reasons(report)
    assert reasons[2] == ("DECOM", "impossible date: '31/02/2016' is not a real calendar date")
    assert reasons[3][0] == "LS" and "invalid code 'Q9'" in reasons[3][1]
    assert reasons[4][0] == "DEC" and "before it starts" in reasons[4][1]
    assert 5 not in reasons
    assert report.tables["episodes"].rejected == 3 and report.tables["episodes"].accepted == 1
    assert [e.kind for e in memory_app.entries("825", "R4")] == ["opened", "entered-care"]


def test_episodes_that_do_not_fit_the_period_of_care_are_rejected(memory_app: JourneysApp, tmp_path: Path) -> None:
    report = _import(
        memory_app, tmp_path,
        "R5,01/01/2016,S,C1,N1,U1,PR1,,,,,,\n"
        "R5,01/02/2016,S,C1,N1,U2,PR1,,,,,,\n"
        "R6,01/01/2016,S,C1,N1,U1,PR1,10/01/2016,E13,,,,\n"
        "R6,01/02/2016,P,C1,N1,U2,PR1,,,,,,\n",
    )  # fmt: skip
    reasons = _reasons(report)
    assert (
        reasons[3][0] == "RNE" and "already" not in reasons[3][1] and "looked after since 2016-01-01" in reasons[3][1]
    )
    assert reasons[5][0] == "RNE" and "left care on 2016-01-10" in reasons[5][1]
    assert report.rows_rejected == 2


def test_a_row_the_store_refuses_says_to_correct_the_return_not_the_store(
    memory_app: JourneysApp, tmp_path: Path
) -> None:
    folder = tmp_path / "2016"
    folder.mkdir()
    (folder / "episodes.csv").write_text(EPISODES + "R7,01/03/2016,S,C1,N1,U1,PR1,,,,,,\n")
    (folder / "header.csv").write_text("CHILD,SEX,DOB\nR7,1,01/06/2016\n")  # born after entering care
    report = run_import(memory_app, folder)
    assert report.rows_rejected >= 1
    refused = [r for r in report.rejects if "entered care" in r.reason]
    assert refused, report.rejects
    for reject in refused:
        assert "journeys correct" not in reject.reason
        assert reject.reason.endswith(f" — {STORE_REFUSAL_REMEDY}")
    (group,) = [g for g in report.reasons() if g.kind.startswith("a rule of the journey store")]
    assert "journeys correct" not in group.remedy and "import the return again" in group.remedy
