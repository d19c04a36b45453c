"""The public validator's rules the import applies: each return here breaks one rule, and the
import rejects (or warns on) the row the validator flags, with the rule's number.

The rows flagged were checked against the validator (csc-validator-be-903, run apart from the
project) when these returns were written; here the expected row is the one each case names.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from journeys import JourneysApp
from journeys.ssda903 import ImportReport
from tests.helpers import Cli, run_import, timelines

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
EPISODES = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
AD1 = "CHILD,DOB,DATE_INT,DATE_MATCH,FOSTER_CARE,NB_ADOPTR,SEX_ADOPTR,LS_ADOPTR\n"
PLACED = "CHILD,DOB,DATE_PLACED,DATE_PLACED_CEASED,REASON_PLACED_CEASED\n"


@dataclass(frozen=True)
class Return:
    """One child's return of 2013/14 that breaks no rule: in care, placement order, placed, adopted."""

    year: int = 2014
    header: tuple[str, ...] = ("C1,1,01/01/2010,WBRI,,,",)
    episodes: tuple[str, ...] = (
        "C1,01/04/2012,S,C2,N1,U1,PR1,01/06/2013,X1,,,,",
        "C1,01/06/2013,L,E1,N1,U1,PR1,01/09/2013,X1,,,,",
        "C1,01/09/2013,P,E1,N1,A6,PR1,01/03/2014,E11,,,,",
    )
    ad1: tuple[str, ...] = ("C1,01/01/2010,01/02/2013,01/08/2013,0,2,MF,L0",)
    placed: tuple[str, ...] = ("C1,01/01/2010,01/02/2013,,",)
    extra: dict[str, str] = field(default_factory=dict)

    def write(self, root: Path) -> Path:
        folder = root / str(self.year)
        folder.mkdir()
        for name, head, rows in (
            ("header.csv", HEADER, self.header),
            ("episodes.csv", EPISODES, self.episodes),
            ("ad1.csv", AD1, self.ad1),
            ("placed_for_adoption.csv", PLACED, self.placed),
        ):
            (folder / name).write_text(head + "".join(f"{r}\n" for r in rows))
        return folder


def _import(app: JourneysApp, tmp_path: Path, ret: Return) -> ImportReport:
    return run_import(app, ret.write(tmp_path))


def _rejected(report: ImportReport) -> set[tuple[str, int, str, str]]:
    """(table, line, column, rule) of each reject (rule: the number of its "(rule N)")."""
    return {(r.table, r.row, r.column, r.reason.rsplit("(rule ", 1)[-1].split(")")[0]) for r in report.rejects}


def _warned(report: ImportReport) -> set[tuple[str, int, str, str]]:
    return {(w.table, w.row, w.column, w.rule) for w in report.warnings}


def test_the_clean_return_breaks_no_rule(memory_app: JourneysApp, tmp_path: Path) -> None:
    report = _import(memory_app, tmp_path, Return())
    assert (report.rejects, report.warnings) == ([], [])
    assert [kind for kind, _, _ in timelines(memory_app)["C1"]] == [
        "child-details", "entered-care", "adoption-decision", "placement-order", "match", "placed", "adoption-order",
    ]  # fmt: skip


EPISODE_ERRORS = {
    # rule: (episodes, the line flagged, its column)
    "390": (("C1,01/04/2012,S,C2,N1,U1,PR1,01/06/2013,X1,,,,", "C1,01/06/2013,L,E1,N1,U1,PR1,01/03/2014,E11,,,,"),
            3, "REC"),
    "408": (("C1,01/04/2012,S,C2,N1,U1,PR1,01/09/2013,X1,,,,", "C1,01/09/2013,P,C2,N1,A6,PR1,01/03/2014,E11,,,,"),
            3, "LS"),
    "445": (("C1,01/04/2012,S,C2,N1,U1,PR1,01/06/2013,X1,,,,", "C1,01/06/2013,L,D1,N1,U1,PR1,01/09/2013,X1,,,,",
             "C1,01/09/2013,U,E1,N1,A6,PR1,01/03/2014,E11,,,,"), 3, "LS"),
    "385": (("C1,01/04/2012,S,C2,N1,U1,PR1,01/06/2013,X1,,,,", "C1,01/06/2013,L,E1,N1,U1,PR1,01/09/2013,X1,,,,",
             "C1,01/09/2013,P,E1,N1,A6,PR1,01/05/2014,E11,,,,"), 4, "DEC"),
    "437": (("C1,01/04/2012,S,C2,N1,U1,PR1,01/06/2013,E2,,,,", "C1,01/06/2013,L,E1,N1,U1,PR1,01/09/2013,X1,,,,",
             "C1,01/09/2013,P,E1,N1,A6,PR1,01/03/2014,E11,,,,"), 2, "REC"),
}  # fmt: skip


@pytest.mark.parametrize("rule", sorted(EPISODE_ERRORS))
def test_an_episode_breaking_a_validator_rule_is_rejected_on_the_row_the_validator_flags(
    memory_app: JourneysApp, tmp_path: Path, rule: str
) -> None:
    episodes, line, column = EPISODE_ERRORS[rule]
    report = _import(memory_app, tmp_path, replace(Return(), episodes=episodes))
    assert _rejected(report) >= {("episodes", line, column, rule)}
    flagged = {r.row for r in report.rejects if r.table == "episodes" and r.reason.endswith(f"(rule {rule})")}
    assert flagged == {line}
    assert report.warnings == []


def test_a_rejected_episode_does_not_stop_the_child_s_other_rows(memory_app: JourneysApp, tmp_path: Path) -> None:
    episodes, _, _ = EPISODE_ERRORS["437"]
    report = _import(memory_app, tmp_path, replace(Return(), episodes=episodes))
    # The E2 row is refused as a whole, its start of care with it: the child's care is taken to
    # start on or before the earliest date the other rows show the child looked after (the
    # adoption decision), and every other row is still imported.
    assert ("episodes", 2, "REC", "437") in _rejected(report)
    assert [(kind, on) for kind, on, _ in timelines(memory_app)["C1"]] == [
        ("child-details", "2010-01-01"), ("entered-care", "2013-02-01"), ("adoption-decision", "2013-02-01"),
        ("placement-order", "2013-06-01"), ("match", "2013-08-01"), ("placed", "2013-09-01"),
        ("adoption-order", "2014-03-01"),
    ]  # fmt: skip
    assert {(table, rule) for table, _, _, rule in _rejected(report)} == {("episodes", "437")}


def test_adopted_at_18_or_over_is_rejected_on_the_episode_that_ends_in_adoption(
    memory_app: JourneysApp, tmp_path: Path
) -> None:
    old = replace(
        Return(),
        header=("C1,1,01/03/1996,WBRI,,,",),
        ad1=("C1,01/03/1996,01/02/2013,01/08/2013,0,2,MF,L0",),
        placed=("C1,01/03/1996,01/02/2013,,",),
    )
    report = _import(memory_app, tmp_path, old)
    assert _rejected(report) == {("episodes", 4, "REC", "386")}
    assert "the child was 18 on 01/03/2014" in report.rejects[0].reason


def test_starting_to_be_looked_after_at_18_or_over_is_rejected(memory_app: JourneysApp, tmp_path: Path) -> None:
    adult = replace(
        Return(),
        header=("C1,1,01/01/2010,WBRI,,,", "C2,2,01/04/1994,WBRI,,,"),
        episodes=(*Return().episodes, "C2,01/04/2012,S,V2,N1,U1,PR1,01/05/2012,E8,,,,"),
    )
    report = _import(memory_app, tmp_path, adult)
    assert _rejected(report) == {("episodes", 5, "DECOM", "352")}


def test_an_episode_after_an_adoption_from_care_is_a_warning_not_a_rejection(
    memory_app: JourneysApp, tmp_path: Path
) -> None:
    again = replace(Return(), year=2015, episodes=(*Return().episodes, "C1,01/09/2014,S,C2,N1,U1,PR1,,,,,,"))
    report = _import(memory_app, tmp_path, again)
    assert report.rejects == []
    assert _warned(report) == {("episodes", 5, "CHILD", "199")}
    assert [kind for kind, _, _ in timelines(memory_app)["C1"]][-2:] == ["adoption-order", "entered-care"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"placed": ("C1,01/01/2010,05/02/2013,,",)},
            {("placed_for_adoption", 2, "DATE_PLACED", "523"), ("ad1", 2, "DATE_INT", "523")},
        ),
        ({"ad1": ("C1,02/01/2010,01/02/2013,01/08/2013,0,2,MF,L0",)}, {("ad1", 2, "DOB", "INT11")}),
        ({"placed": ("C1,02/01/2010,01/02/2013,,",)}, {("placed_for_adoption", 2, "DOB", "INT12")}),
    ],
    ids=["523", "INT11", "INT12"],
)
def test_rows_that_disagree_across_tables_are_imported_with_a_warning(
    memory_app: JourneysApp,
    tmp_path: Path,
    change: dict[str, tuple[str, ...]],
    expected: set[tuple[str, int, str, str]],
) -> None:
    report = _import(memory_app, tmp_path, replace(Return(), **change))  # type: ignore[arg-type]
    assert report.rejects == []
    assert _warned(report) == expected
    assert report.tables["ad1"].accepted + report.tables["placed_for_adoption"].accepted == 2


def test_the_warnings_are_in_the_summary_and_its_json(tmp_path: Path) -> None:
    folder = replace(Return(), ad1=("C1,02/01/2010,01/02/2013,01/08/2013,0,2,MF,L0",)).write(tmp_path)
    cli = Cli(str(tmp_path / "store.db"))
    text = cli("import-903", str(folder), "--quiet")
    assert text.exit_code == 0, text.output
    assert "warning: 2014/ad1.csv:2 DOB: DOB 02/01/2010 in AD1 differs from the DOB 01/01/2010 in Header" in text.output
    data = json.loads(cli("import-903", str(folder), "--json").output)
    assert [(w["file"], w["row"], w["column"], w["rule"]) for w in data["warnings"]] == [
        ("2014/ad1.csv", 2, "DOB", "INT11")
    ]
