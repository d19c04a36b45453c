"""The generator's yearly returns carry open episodes across 1 April as real returns do."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from journeys.synthetic import collection_year, generate, write_903


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _day(text: str) -> date:
    dd, mm, yyyy = text.split("/")
    return date(int(yyyy), int(mm), int(dd))


def test_an_episode_open_at_the_year_end_is_carried_with_its_start_and_closed_in_a_later_year(tmp_path: Path) -> None:
    write_903(generate(200, 4), tmp_path, 2024)
    la = tmp_path / "825"
    years = sorted(int(p.name) for p in la.iterdir())
    episodes = {y: _rows(la / str(y) / "episodes.csv") for y in years}
    carried = 0
    for y in years:
        begin, end = date(y - 1, 4, 1), date(y, 3, 31)
        for e in episodes[y]:
            assert _day(e["DECOM"]) <= end and (not e["DEC"] or _day(e["DEC"]) >= begin)
            if not e["DEC"] and y < years[-1]:
                assert not e["REC"] and not e["REASON_PLACE_CHANGE"]
                assert any(n["CHILD"] == e["CHILD"] and n["DECOM"] == e["DECOM"] for n in episodes[y + 1])
                carried += 1
    assert carried > 50
    for y in years:  # AD1 only in the year of the adoption
        adopted = {e["CHILD"] for e in episodes[y] if e["REC"] == "E11"}
        assert {r["CHILD"] for r in _rows(la / str(y) / "ad1.csv")} == adopted
        for p in _rows(la / str(y) / "placed_for_adoption.csv"):
            assert collection_year(_day(p["DATE_PLACED"])) <= y
            assert not p["DATE_PLACED_CEASED"] or collection_year(_day(p["DATE_PLACED_CEASED"])) == y
