"""The reference-validator harness flags a broken row, and only that row."""

from __future__ import annotations

from pathlib import Path

from journeys.synthetic import ons_code
from tests.helpers import RETURNS
from tests.journeys.ssda903.validator import run_validator

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
EPISODES = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"


def test_the_validator_flags_the_one_broken_row(tmp_path: Path) -> None:
    folder = tmp_path / "2016"
    folder.mkdir()
    # Two children alike but for C2's sex code (7 is no code: rule 101).
    (folder / "header.csv").write_text(HEADER + "C1,1,01/01/2015,WBRI,UN1,,\nC2,7,01/01/2015,WBRI,UN1,,\n")
    episode = ",01/05/2015,S,C2,N1,U1,PR1,,,,,,\n"
    (folder / "episodes.csv").write_text(EPISODES + "C1" + episode + "C2" + episode)
    report = run_validator(folder, 2016)
    assert report["tables"] == ["Episodes", "Header"]
    assert report["failed"] == []
    flagged = {(e["rule"], e["table"], e["row"], e["child"]) for e in report["errors"]}
    assert ("101", "Header", 1, "C2") in flagged
    assert ("101", "Header", 0, "C1") not in flagged


def test_the_hand_written_fixtures_pass_the_validator_but_the_corrections_they_hold() -> None:
    """fixtures/ssda903: S004's 2016 return corrects its birth date (rule 203) and the legal status
    of its open episode (rule 503B), as the tests of corrections need; nothing else is flagged."""
    for year in (2015, 2016):
        folder = RETURNS / str(year)
        report = run_validator(folder, year, la=ons_code("825"), previous=RETURNS / "2015" if year == 2016 else None)
        assert report["failed"] == []
        flagged = {(e["rule"], e["child"]) for e in report["errors"]}
        assert flagged == ({("203", "S004"), ("503B", "S004")} if year == 2016 else set()), year
