"""What one return alone knows: a start of care it does not hold is on or before its first episode.

The yearly returns are the generator's own (`journeys generate --format 903`), as a local authority
holds them: one folder per collection year.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeys import JourneysApp
from journeys.synthetic import write_903
from journeys.synthetic.generator import generate
from tests.helpers import Cli, run_import, timelines, write_return


def test_a_child_moving_from_one_adoptive_placement_straight_into_another_keeps_its_adoption_order(
    memory_app: JourneysApp, tmp_path: Path
) -> None:
    folder = write_return(
        tmp_path / "2016",
        header=["C1,1,01/01/2013,WBRI"],
        episodes=[
            "C1,01/02/2014,S,C2,N1,U1,PR1,01/06/2015,X1",
            "C1,01/06/2015,P,E1,N1,A4,PR1,01/09/2015,X1",  # placed with adopters
            "C1,01/09/2015,P,E1,N1,A4,PR1,10/03/2016,E11",  # straight to other adopters, adopted
        ],
        placed_for_adoption=["C1,01/01/2013,01/05/2014,,"],
    )
    report = run_import(memory_app, folder)
    assert report.rows_rejected == 0
    kinds = [(kind, on) for kind, on, _ in timelines(memory_app)["C1"]]
    assert ("disruption", "2015-09-01") in kinds and ("placed", "2015-09-01") in kinds
    assert kinds.index(("disruption", "2015-09-01")) < kinds.index(("placed", "2015-09-01"))
    assert kinds[-1] == ("adoption-order", "2016-03-10")


def test_a_return_without_the_start_of_care_keeps_the_earlier_decision_and_match(
    memory_app: JourneysApp, tmp_path: Path
) -> None:
    later = write_return(
        tmp_path / "903" / "2016",
        header=["C2,1,01/01/2012,WBRI"],
        episodes=["C2,01/04/2015,L,E1,N1,A5,PR1,20/01/2016,E12"],  # the start of care is in the 2015 return
        ad1=["C2,01/01/2012,01/09/2014,01/02/2015"],
        placed_for_adoption=["C2,01/01/2012,01/09/2014,,"],
    )
    report = run_import(memory_app, later)
    assert report.rows_rejected == 0
    got = timelines(memory_app)["C2"]
    entered = next(d for d in got if d[0] == "entered-care")
    assert entered[1] == "2014-09-01"  # on or before the earliest decision the return shows in care
    assert ("adoption-decision", "2014-09-01", {}) in got and ("match", "2015-02-01", {}) in got
    # the earlier return fills in the real start, as a correction
    write_return(
        tmp_path / "903" / "2015",
        header=["C2,1,01/01/2012,WBRI"],
        episodes=["C2,01/03/2013,S,C2,N1,U1,PR1,,"],  # open at the year end: the next is in 2016's
        placed_for_adoption=["C2,01/01/2012,01/09/2014,,"],
    )
    again = run_import(memory_app, tmp_path / "903" / "2015")
    assert again.rows_rejected == 0 and again.corrected >= 1
    entered = next(d for d in timelines(memory_app)["C2"] if d[0] == "entered-care")
    assert entered[1] == "2013-03-01"


@pytest.fixture(scope="module")
def yearly(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated history of 2,000 children, written as one return per collection year."""
    root = tmp_path_factory.mktemp("yearly")
    write_903(generate(children=2000, seed=3, las=1), root / "903", 2024)
    assert sorted(p.name for p in (root / "903" / "825").iterdir()) == [str(y) for y in range(2011, 2025)]
    return root / "903" / "825"


def _reports(store: str) -> dict[str, Any]:
    """The reports' JSON."""
    run = Cli(store)
    out = {}
    for args in (
        ["scorecard", "--period", "2016-19"],
        ["cohort", "--census", "2020-09-30"],
        ["counts", "--by", "year"],
        ["waiting", "--as-at", "2020-03-31"],
    ):
        result = run(*args, "--json")
        assert result.exit_code == 0, result.output
        out[args[0]] = json.loads(result.output)
    return out


def _imported(store: Path, steps: list[Path]) -> dict[str, Any]:
    app = JourneysApp(str(store))
    try:
        for step in steps:
            assert run_import(app, step).rows_rejected == 0, step.name
        return timelines(app)
    finally:
        app.close()


def test_the_latest_year_alone_rejects_no_row(yearly: Path, memory_app: JourneysApp) -> None:
    latest = max(yearly.iterdir())
    report = run_import(memory_app, latest)
    assert report.rows_rejected == 0, report.rejects[:5]
    assert report.inferred_starts > 0  # children whose start of care is in an earlier return


@pytest.fixture(scope="module")
def together(yearly: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, Any]]:
    """All years imported at once: the journeys and the reports."""
    store = tmp_path_factory.mktemp("together") / "all.db"
    journeys = _imported(store, [yearly])
    return journeys, _reports(str(store))


def test_years_newest_first_give_the_journeys_and_reports_of_all_years_at_once(
    yearly: Path, together: tuple[dict[str, Any], dict[str, Any]], tmp_path: Path
) -> None:
    journeys = _imported(tmp_path / "new.db", sorted(yearly.iterdir(), reverse=True))
    assert journeys == together[0]
    assert _reports(str(tmp_path / "new.db")) == together[1]


def test_years_oldest_first_give_the_journeys_and_reports_of_all_years_at_once(
    yearly: Path, together: tuple[dict[str, Any], dict[str, Any]], tmp_path: Path
) -> None:
    # carers_since (and so A10) included: a placement with foster carers whose foster start is in
    # an older return reads it from what that return's episodes showed (carers-seen)
    journeys = _imported(tmp_path / "old.db", sorted(yearly.iterdir()))
    assert journeys == together[0]
    assert _reports(str(tmp_path / "old.db")) == together[1]


@pytest.fixture(scope="module")
def small_yearly(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], dict[str, Any]]:
    """A smaller generated history as yearly returns, and its journeys and reports all at once."""
    root = tmp_path_factory.mktemp("small")
    write_903(generate(children=300, seed=5, las=1), root / "903", 2024)
    journeys = _imported(root / "all.db", [root / "903" / "825"])
    return root / "903" / "825", journeys, _reports(str(root / "all.db"))


def test_each_year_alone_rejects_no_row(small_yearly: tuple[Path, dict[str, Any], dict[str, Any]]) -> None:
    """Every year's return imported alone into a new store: the generated returns pass the reference
    validator (tests/journeys/synthetic/test_903_validator.py), and journeys rejects none of their rows."""
    yearly, _, _ = small_yearly
    for year in sorted(yearly.iterdir()):
        app = JourneysApp(":memory:")
        try:
            report = run_import(app, year)
        finally:
            app.close()
        assert report.rows_rejected == 0, (year.name, report.rejects[:3])


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(choices=st.randoms(use_true_random=False))
def test_years_imported_one_by_one_in_any_order_give_the_journeys_and_reports_of_all_years_at_once(
    small_yearly: tuple[Path, dict[str, Any], dict[str, Any]], choices: Any
) -> None:
    """The years in a random order, gaps included: no row rejected, the same journeys and reports
    (carers_since and A10 included)."""
    yearly, journeys, reports = small_yearly
    order = sorted(yearly.iterdir())
    choices.shuffle(order)
    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "any.db"
        assert _imported(store, order) == journeys
        assert _reports(str(store)) == reports


def test_a_match_before_the_decision_is_the_row_rejected_and_the_decision_stands(
    memory_app: JourneysApp, tmp_path: Path
) -> None:
    folder = write_return(
        tmp_path / "2016",
        header=["C3,1,01/01/2012,WBRI"],
        episodes=["C3,01/02/2014,S,C2,N1,U1,PR1,,"],
        ad1=["C3,01/01/2012,01/09/2014,01/06/2014"],  # matched before the decision
        placed_for_adoption=["C3,01/01/2012,01/09/2014,,"],
    )
    report = run_import(memory_app, folder)
    assert [(r.table, r.column) for r in report.rejects] == [("ad1", "DATE_MATCH")]
    assert "rule 333" in report.rejects[0].reason
    got = timelines(memory_app)["C3"]
    assert ("adoption-decision", "2014-09-01", {}) in got
    assert not any(kind == "match" for kind, _, _ in got)


def test_a_zero_length_episode_is_the_row_rejected_and_the_next_episode_stands(
    memory_app: JourneysApp, tmp_path: Path
) -> None:
    folder = write_return(
        tmp_path / "2016",
        header=["C4,1,01/01/2013,WBRI"],
        episodes=[
            "C4,01/02/2014,S,C2,N1,U1,PR1,01/03/2015,X1",
            "C4,01/03/2015,P,E1,N1,U1,PR1,01/03/2015,X1",  # ends the day it starts
            "C4,01/03/2015,P,E1,N1,A4,PR1,10/03/2016,E11",
        ],
        placed_for_adoption=["C4,01/01/2013,01/05/2014,,"],
    )
    report = run_import(memory_app, folder)
    assert [(r.row, r.column) for r in report.rejects] == [(3, "DEC")]
    assert "zero-length" in report.rejects[0].reason
    got = timelines(memory_app)["C4"]
    assert ("placed", "2015-03-01", {"with_foster_carers": False}) in got
    assert got[-1] == ("adoption-order", "2016-03-10", {})


def test_an_episode_left_open_before_the_next_is_the_row_rejected_and_the_next_episode_stands(
    memory_app: JourneysApp, tmp_path: Path
) -> None:
    folder = write_return(
        tmp_path / "2016",
        header=["C5,1,01/01/2013,WBRI"],
        episodes=[
            "C5,01/02/2014,S,C2,N1,U1,PR1,01/03/2015,X1",
            "C5,01/03/2015,P,C2,N1,U2,PR1,,",  # DEC (and REC) missing, though the next episode follows
            "C5,01/06/2015,P,E1,N1,A4,PR1,10/03/2016,E11",
        ],
        placed_for_adoption=["C5,01/01/2013,01/05/2014,,"],
    )
    report = run_import(memory_app, folder)
    assert [(r.row, r.column) for r in report.rejects] == [(3, "DEC")]
    assert report.reasons()[0].kind == "an episode left open"
    got = timelines(memory_app)["C5"]
    assert ("placed", "2015-06-01", {"with_foster_carers": False}) in got
    assert got[-1] == ("adoption-order", "2016-03-10", {})
    assert report.tables["episodes"].accepted == 2


def test_an_older_period_open_at_its_year_end_does_not_move_a_later_real_start_of_care(
    memory_app: JourneysApp, sqlite_app: JourneysApp, tmp_path: Path
) -> None:
    """Years with a gap: 2016 (the second period's start), then 2012 (the first period, open at the
    year end), then 2013 (its end). The second start (RNE = S) is its own period's: never corrected
    to the first's."""
    root = tmp_path / "903"
    returns = {
        2016: dict(header=["C6,1,01/01/2010,WBRI"], episodes=["C6,30/07/2015,S,V2,N1,U1,PR1,,"]),
        2012: dict(header=["C6,1,01/01/2010,WBRI"], episodes=["C6,14/03/2012,S,C1,N1,U1,PR1,,"]),
        2013: dict(header=["C6,1,01/01/2010,WBRI"], episodes=["C6,14/03/2012,S,C1,N1,U1,PR1,17/06/2012,E4A"]),
    }
    folders = {year: write_return(root / str(year), **tables) for year, tables in returns.items()}
    run_import(memory_app, root)
    for year in (2016, 2012, 2013):
        run_import(sqlite_app, folders[year])
        starts = [d for d in timelines(sqlite_app)["C6"] if d[0] == "entered-care"]
        assert ("entered-care", "2015-07-30", {"legal_status": "V2"}) in starts, year
    assert timelines(sqlite_app) == timelines(memory_app)
    entries = sqlite_app.entries("825", "C6")
    kinds = {e.seq: e.kind for e in entries}
    # the only correction is of the first period's end, bounded until the 2013 return gave it
    assert [kinds[e.target] for e in entries if e.kind == "correct" and e.target is not None] == ["left-care"]


def test_years_imported_with_a_gap_give_the_journeys_of_all_years_at_once(
    small_yearly: tuple[Path, dict[str, Any], dict[str, Any]], tmp_path: Path
) -> None:
    """One year, a year four later, the three between, then the rest: no row rejected (a period
    an older return shows open at its year end, while the store holds a later start of care, is
    ended on or before that start until the return with its end comes) and the same journeys and
    reports, carers_since and A10 included."""
    yearly, journeys, reports = small_yearly
    years = sorted(yearly.iterdir())
    first = len(years) // 3
    order = [years[first], years[first + 4], *years[first + 1 : first + 4]]
    order += [y for y in years if y not in order]
    app = JourneysApp(str(tmp_path / "gap.db"))
    try:
        imports = [run_import(app, step) for step in order]
        got = timelines(app)
    finally:
        app.close()
    assert [r for report in imports for r in report.rejects] == []
    assert sum(report.bounded_ends for report in imports) > 0  # the case arises in this history
    assert got == journeys
    assert _reports(str(tmp_path / "gap.db")) == reports
