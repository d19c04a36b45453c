"""The generated 903 returns pass the reference validator: every collection year of every LA.

Each year's return is checked with the previous year's beside it (the rules comparing years run too).
No rule is left out: the validator reports no error at all. Rules whose tables the generator does
not write (OC2, OC3, reviews, missing episodes, UASC, PrevPerm, social worker episodes, Ofsted's
provider list) do not run; docs/ssda903.md lists them.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from journeys.synthetic import generate, ons_code, write_903
from tests.journeys.ssda903.validator import run_validator_years, validator_python

LAS = ("825", "928")  # the LAs generate(..., las=2) spreads over
EXCLUDED: dict[str, str] = {}  # rule -> why its errors are not counted (none)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, int], dict[str, Any]]:
    """The validator's report on each (LA, year) return of a generated history of 240 children."""
    validator_python()  # build (or skip) once, before the threads
    out = tmp_path_factory.mktemp("generated")
    write_903(generate(240, 11, las=len(LAS)), out, 2024)
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = pool.map(lambda la: run_validator_years(out / la, ons_code(la)), LAS)
        return {(la, year): report for la, years in zip(LAS, done, strict=True) for year, report in years.items()}


def test_every_collection_year_from_2013_14_on_is_written_for_every_la(
    reports: dict[tuple[str, int], dict[str, Any]],
) -> None:
    for la in LAS:
        assert {year for where, year in reports if where == la} >= set(range(2014, 2025))


def test_the_validator_reports_no_error_on_any_year_s_return(reports: dict[tuple[str, int], dict[str, Any]]) -> None:
    errors = {
        (la, year, e["rule"], e["table"], e["child"])
        for (la, year), report in reports.items()
        for e in report["errors"]
        if e["rule"] not in EXCLUDED
    }
    assert errors == set()
    assert {rule for report in reports.values() for rule in report["failed"]} == set()


def test_the_returns_hold_the_four_tables_and_the_adoption_rules_ran(
    reports: dict[tuple[str, int], dict[str, Any]],
) -> None:
    tables = {table for report in reports.values() for table in report["tables"]}
    assert tables >= {"Header", "Episodes", "AD1", "PlacedAdoption", "Header_last", "Episodes_last"}
    with_ad1 = [report for report in reports.values() if "AD1" in report["tables"]]
    assert with_ad1
    for report in with_ad1:  # the adopters' codes, foster carers and adoption in the year were checked
        assert not {"514", "335", "602"} & set(report["skipped"])
