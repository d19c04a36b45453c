"""The reasons rows were rejected, grouped by kind with what to do about each."""

from __future__ import annotations

import json
from itertools import takewhile
from pathlib import Path

import pytest

from journeys.ssda903 import Reject
from journeys.ssda903.reasons import KINDS, OTHER, group_reasons, kind_of
from tests.helpers import FAKE, Cli, fake_return


def _reject(reason: str, column: str = "DEC", row: int = 2, table: str = "episodes") -> Reject:
    return Reject(table, "2016/episodes.csv", row, column, reason)


def test_problems_are_grouped_by_kind_table_and_column_largest_first() -> None:
    rejects = [
        _reject("invalid code 'XX': LS must be one of C1, C2", "LS", 2),
        _reject("impossible date: '31/02/2016' is not a real calendar date", "DEC", 3),
        _reject("invalid code 'YY': LS must be one of C1, C2", "LS", 4),
        _reject("invalid code 'ZZ': RNE must be one of S, L", "RNE", 5),
        _reject("impossible date: the episode ends on 2016-01-01 before it starts on 2016-02-01", "DEC", 6),
        _reject("impossible date: '1/13/2016' is not a real calendar date", "DEC", 7),
    ]
    groups = group_reasons(rejects)
    assert [(g.kind, g.column, g.count, g.example.row) for g in groups] == [
        ("impossible date", "DEC", 3, 3),
        ("invalid code", "LS", 2, 2),
        ("invalid code", "RNE", 1, 5),
    ]
    assert groups[1].remedy.startswith("correct LS to a DfE code of the return's year")


def test_a_rule_of_the_store_is_grouped_by_the_event_it_refuses() -> None:
    match = _reject("match on 2015-11-22 is before the child entered care — check the dates", "DATE_MATCH", table="ad1")
    order = _reject("adoption order on 2018-03-07, but no placement for adoption is in force then", "REC")
    [first, second] = group_reasons([match, order])
    assert {first.kind, second.kind} == {
        "a rule of the journey store (match)",
        "a rule of the journey store (adoption order)",
    }
    assert "the store refuses this match" in (first.remedy if "match" in first.kind else second.remedy)


@pytest.mark.parametrize(
    ("reason", "remedy"),
    [
        (
            "no start of care: the child was looked after before this return; it is in the 2015 return",
            "the 2015 return",
        ),
        ("the start of care is not in the returns given", "the earlier return that holds it"),
    ],
)
def test_a_missing_start_of_care_says_which_return_to_import(reason: str, remedy: str) -> None:
    kind, match = kind_of(_reject(reason, "RNE"))
    assert kind.name == "start of care missing"
    assert kind.remedy_for(match, _reject(reason, "RNE")).startswith(f"import {remedy} first")


def test_a_reason_no_kind_knows_is_counted_as_other() -> None:
    [group] = group_reasons([_reject("something new went wrong")])
    assert (group.kind, group.count) == (OTHER.name, 1)
    assert group.remedy.startswith("check the row against the DfE 903 guidance")


def test_every_kind_has_a_name_and_a_remedy_of_its_own() -> None:
    names = [k.name for k in KINDS]
    assert len(set(names)) == len(names)
    remedies = [k.remedy for k in KINDS if isinstance(k.remedy, str)]
    assert len(set(remedies)) == len(remedies)


@pytest.mark.skipif(not FAKE.is_dir(), reason=f"the fake 903 data is not at {FAKE}")
def test_the_summary_shows_the_first_reasons_with_counts_an_example_and_what_to_do(run: Cli, tmp_path: Path) -> None:
    folder = fake_return(tmp_path)
    result = run("import-903", str(folder), "--quiet")
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    start = lines.index(next(line for line in lines if line.startswith("Why rows were rejected")))
    assert "the 5 most frequent of" in lines[start]
    shown = list(takewhile(lambda line: line.startswith(" "), lines[start + 1 :]))  # warnings follow
    assert len(shown) == 5 * 3
    for count_line, example, remedy in zip(shown[::3], shown[1::3], shown[2::3], strict=True):
        assert int(count_line.split()[0]) > 0
        assert example.strip().startswith("e.g. 2018/")
        assert remedy.strip().startswith("what to do: ")
    data = json.loads(run("import-903", str(folder), "--quiet", "--json").stdout)
    reasons = data["reasons"]
    assert sum(g["count"] for g in reasons) == len(data["rejects"])
    assert [g["count"] for g in reasons] == sorted((g["count"] for g in reasons), reverse=True)
    first = reasons[0]
    assert first.keys() == {"reason", "table", "column", "count", "example", "remedy"}
    assert f"  {first['count']:>6}  {first['table']}.{first['column']}: {first['reason']}" == shown[0]
    # Every reason the messy fake data gives is one the summary knows.
    assert OTHER.name not in {g["reason"] for g in reasons}
