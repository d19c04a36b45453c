"""`journeys export-903` on the generated histories and the evaluation fixtures passes the reference validator.

Every collection year of every LA is exported from a store the histories were loaded into (their
corrections, late keying and the events the 903 does not hold among them) and checked with the
year before it. The validator reports no error but on the rules below, each of which checks a cell
the engine does not record (the export leaves it blank, docs/ssda903.md) or a fact it never
holds, and no rule fails to run.
"""

from __future__ import annotations

import csv
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from journeys import JourneysApp
from journeys.synthetic import ons_code
from tests.helpers import FIXTURES, Cli, load_generated
from tests.journeys.ssda903.validator import run_validator_years, validator_python

# rule -> why it cannot apply to an export: the data it checks is not recorded by the engine.
NOT_HELD: dict[str, str] = {
    "101": "SEX: the engine records no sex",
    "103": "ETHNIC: the engine records no ethnicity",
    "442": "UPN: the engine records no UPN",
    "169": "PL_POST: no placement postcode is recorded, so no placement LA",
    "179": "PL_POST: no placement postcode is recorded, so no placement location",
    "392b": "HOME_POST, PL_POST: no postcode is recorded",
    "526": "PLACE_PROVIDER: no placement provider is recorded",
    "504": "CIN: no category of need is recorded",
    "225": "REASON_PLACE_CHANGE: the reason for a move is not recorded",
    "151": "NB_ADOPTR, SEX_ADOPTR, LS_ADOPTR: the adopters are a reference, their number, sex and status not recorded",
    "601": "NB_ADOPTR, SEX_ADOPTR, LS_ADOPTR: as 151",
    "361": "LS: only the legal status on entering care and the placement order are recorded, so the end of "
    "police protection (L1) is not",
    "362": "LS: as 361, the end of an emergency protection order (L2) is not recorded",
}
# rule -> a flaw of the validator itself (0.1.17), checked here by what the rule means instead.
VALIDATOR_FLAWS: dict[str, str] = {
    "584": "compares DATE_PLACED as text (26/04/2016 <= 28/12/2015) and flags the row at the merged frame's "
    "position (another child's row): test_a_decision_after_one_that_ceased_is_later_than_it checks the rule",
}
FIRST, LAST = 2008, 2024


def export_years(run: Cli, la: str, out: Path, first: int = FIRST, last: int = LAST) -> dict[int, list[str]]:
    """Every collection year's return of ``la`` exported to ``out/<year>`` (years with no child in care
    are refused and left out); the files written, by year."""
    written: dict[int, list[str]] = {}
    for year in range(first, last + 1):
        done = run("export-903", "--year", str(year), "--la", la, "--out", str(out / str(year)), "--json", la=None)
        if done.exit_code == 0:
            written[year] = [Path(p).name for p in json.loads(done.output)["files"]]
        else:
            assert "was looked after in the" in done.output, done.output
    return written


Reports = dict[tuple[str, int], dict[str, Any]]


def _validated(store: str, out: Path, las: tuple[str, ...]) -> Reports:
    run = Cli(store)
    reports: Reports = {}
    for la in las:
        assert export_years(run, la, out / la)
        for year, report in run_validator_years(out / la, ons_code(la)).items():
            reports[(la, year)] = report
    return reports


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Reports]:
    validator_python()
    work = tmp_path_factory.mktemp("generated-export")
    store = str(work / "s.db")
    app = JourneysApp(store)
    load_generated(app, 240, 11, las=2, batch_size=500)
    app.close()
    return work / "903", _validated(store, work / "903", ("825", "928"))


@pytest.fixture(scope="module")
def evaluation(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Reports]:
    validator_python()
    work = tmp_path_factory.mktemp("evaluation-export")
    store = str(work / "s.db")
    files = sorted((FIXTURES / "evaluation-2017").glob("*.jsonl"))
    loaded = Cli(store)("load", *map(str, files), "--quiet")
    assert loaded.exit_code == 0, loaded.output
    return work / "903", _validated(store, work / "903", ("825", "928"))


def _errors(reports: Reports) -> set[tuple[str, int, str, str, str]]:
    return {
        (la, year, e["rule"], e["table"], e["child"])
        for (la, year), report in reports.items()
        for e in report["errors"]
        if e["rule"] not in NOT_HELD and e["rule"] not in VALIDATOR_FLAWS
    }


@pytest.mark.parametrize("which", ["generated", "evaluation"])
def test_no_error_on_any_rule_whose_data_the_engine_holds(which: str, request: pytest.FixtureRequest) -> None:
    _, reports = request.getfixturevalue(which)
    assert len(reports) >= 9
    assert _errors(reports) == set()
    assert {rule for report in reports.values() for rule in report["failed"]} == set()


@pytest.mark.parametrize("which", ["generated", "evaluation"])
def test_the_adoption_rules_ran_on_the_four_tables(which: str, request: pytest.FixtureRequest) -> None:
    _, reports = request.getfixturevalue(which)
    tables = {table for report in reports.values() for table in report["tables"]}
    assert tables >= {"Header", "Episodes", "AD1", "PlacedAdoption", "Header_last", "Episodes_last"}
    ran = {rule for report in reports.values() if "AD1" in report["tables"] for rule in ("335", "333", "554", "523")
           if rule not in report["skipped"]}  # fmt: skip
    assert ran == {"335", "333", "554", "523"}


def test_the_rules_listed_as_not_held_are_flagged_only_on_blank_cells(
    evaluation: tuple[Path, Reports],
) -> None:
    """The excluded rules do fire (so the list is not stale) and each on a cell the export leaves blank."""
    _, reports = evaluation
    fired = {e["rule"] for report in reports.values() for e in report["errors"]}
    assert fired >= set(NOT_HELD) - {"361", "362"}
    out, _ = evaluation
    for path in out.glob("*/*/header.csv"):
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                assert (row["SEX"], row["ETHNIC"], row["UPN"]) == ("", "", "")


def _day(text: str) -> date:
    return datetime.strptime(text, "%d/%m/%Y").date()


def test_a_decision_after_one_that_ceased_is_later_than_it(evaluation: tuple[Path, Reports]) -> None:
    """Rule 584 as DfE writes it: a decision this year, for a child whose decision of last year's
    return had ceased, is dated after that decision."""
    out, _ = evaluation
    compared = 0
    for la_folder in out.iterdir():
        years = sorted(int(p.name) for p in la_folder.iterdir())
        for year in years[1:]:
            last = _rows(la_folder / str(year - 1) / "placed_for_adoption.csv")
            ceased = {r["CHILD"]: _day(r["DATE_PLACED"]) for r in last if r["DATE_PLACED_CEASED"]}
            for row in _rows(la_folder / str(year) / "placed_for_adoption.csv"):
                if row["CHILD"] in ceased:
                    compared += 1
                    assert _day(row["DATE_PLACED"]) > ceased[row["CHILD"]]
    assert compared


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))
