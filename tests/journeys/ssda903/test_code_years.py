"""Code lists by collection year (journeys/rules/ssda903_codes.toml): a return's codes are
checked against the list of its own year, as the validator's rule set of that year checks them."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeys import JourneysApp
from journeys.domain import vocabulary
from journeys.ssda903 import ImportReport
from journeys.ssda903.year_codes import code_lists, collection_year, parse_code_lists, return_year
from tests.helpers import run_import

EPISODES = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"


def _import(app: JourneysApp, tmp_path: Path, year: int, *rows: str) -> ImportReport:
    folder = tmp_path / str(year)
    folder.mkdir()
    (folder / "episodes.csv").write_text(EPISODES + "".join(f"{r}\n" for r in rows))
    return run_import(app, folder)


def _in_year(year: int, place: str) -> str:
    """An episode that starts in the collection year of ``year`` and is still open."""
    return f"R1,01/05/{year - 1},S,C2,N1,{place},PR1,,,,,,"


@pytest.mark.parametrize(
    ("place", "first_year"), [("K3", 2025), ("Z11", 2026), ("Z12", 2026), ("Z13", 2026), ("Z14", 2026)]
)
def test_a_new_placement_code_is_accepted_from_its_year_and_refused_before(
    memory_app: JourneysApp, tmp_path: Path, place: str, first_year: int
) -> None:
    accepted = _import(memory_app, tmp_path, first_year, _in_year(first_year, place))
    assert accepted.rejects == [] and accepted.tables["episodes"].accepted == 1
    before = _import(JourneysApp(":memory:"), tmp_path, first_year - 1, _in_year(first_year - 1, place))
    [reject] = before.rejects
    assert reject.column == "PLACE"
    assert reject.reason.startswith(
        f"invalid code {place!r}: {place} is valid from {collection_year(first_year)}, "
        f"not in a {collection_year(first_year - 1)} return; PLACE must be one of"
    )
    assert reject.reason.endswith("(rule 146)")


@pytest.mark.parametrize("place", ["H5", "P2", "Z1"])
def test_a_withdrawn_placement_code_is_refused_from_2025_26_and_accepted_in_2024_25(
    memory_app: JourneysApp, tmp_path: Path, place: str
) -> None:
    assert _import(memory_app, tmp_path, 2025, _in_year(2025, place)).rejects == []
    [reject] = _import(JourneysApp(":memory:"), tmp_path, 2026, _in_year(2026, place)).rejects
    assert reject.column == "PLACE"
    assert reject.reason.split(";")[0] == f"invalid code {place!r}: {place} was withdrawn in 2025/26"


def test_an_old_episode_in_a_new_return_is_checked_against_the_return_s_year(
    memory_app: JourneysApp, tmp_path: Path
) -> None:
    # as the validator does: the list is the return's, whenever the episode began
    report = _import(memory_app, tmp_path, 2026, "R1,01/05/2015,S,C2,N1,H5,PR1,,,,,,")
    assert [r.column for r in report.rejects] == ["PLACE"]


def test_p2_is_refused_on_an_episode_open_after_28_october_2023_in_the_2023_24_return(
    memory_app: JourneysApp, tmp_path: Path
) -> None:
    report = _import(
        memory_app, tmp_path, 2024,
        "R1,01/05/2023,S,C2,N1,P2,PR1,28/10/2023,E8,,,,",
        "R2,01/05/2023,S,C2,N1,P2,PR1,29/10/2023,E8,,,,",
        "R3,01/05/2023,S,C2,N1,P2,PR1,,,,,,",
    )  # fmt: skip
    assert {(r.row, r.column) for r in report.rejects} == {(3, "PLACE"), (4, "PLACE")}
    assert all(r.reason.endswith("(rule 217t)") for r in report.rejects)
    assert "the episode is still open" in next(r.reason for r in report.rejects if r.row == 4)
    # the validator drops rule 217t from 2024/25 (P2 is in rule 146's list until 2025/26)
    assert _import(JourneysApp(":memory:"), tmp_path, 2025, "R3,01/05/2023,S,C2,N1,P2,PR1,,,,,,").rejects == []


def test_d1_after_2005_is_refused_until_the_validator_drops_rule_445(memory_app: JourneysApp, tmp_path: Path) -> None:
    [reject] = _import(memory_app, tmp_path, 2024, "R1,01/05/2023,S,D1,N1,U1,PR1,,,,,,").rejects
    assert (reject.column, reject.reason.endswith("(rule 445)")) == ("LS", True)
    assert _import(JourneysApp(":memory:"), tmp_path, 2025, "R1,01/05/2024,S,D1,N1,U1,PR1,,,,,,").rejects == []


def test_the_base_lists_are_the_journey_vocabulary_s() -> None:
    lists = code_lists()
    assert lists.allowed("LS", 2016) == set(vocabulary.LEGAL_STATUSES)
    assert lists.allowed("REC", 2016) == set(vocabulary.REASONS_CEASED)
    assert lists.allowed("REASON_PLACED_CEASED", 2016) == set(vocabulary.RD_REASONS)
    assert set(vocabulary.ADOPTION_PLACEMENTS) <= lists.allowed("PLACE", 2030)


def test_every_change_names_its_source_and_a_real_collection_year() -> None:
    lists = code_lists()
    assert lists.changes and all(c.source.strip() for c in lists.changes)
    assert [collection_year(c.year) for c in lists.changes] == ["2024/25", "2025/26"]
    assert return_year("2024/25") == 2025
    with pytest.raises(ValueError, match="not a collection year"):
        return_year("2024/26")


def test_a_code_list_that_is_not_upper_case_codes_is_refused() -> None:
    data = {"base": {c: ["A1"] for c in ("RNE", "LS", "PLACE", "REC", "REASON_PLACED_CEASED")}}
    data["change"] = [{"collection_year": "2024/25", "column": "PLACE", "added": ["k3"], "source": "x"}]
    with pytest.raises(ValueError, match="upper-case codes"):
        parse_code_lists(data)
