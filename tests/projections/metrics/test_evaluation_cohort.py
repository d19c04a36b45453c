"""The evaluation's early family-finding cohort (Buckinghamshire, tracked October 2015 - March 2016),
counted at the census on 30 September 2016 from the fixture's case histories.

The expected figures are the evaluation's (DFE-RR569; PRIMER §6), not the engine's.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest

from tests.helpers import FIXTURES, Cli

BUCKINGHAMSHIRE = FIXTURES / "evaluation-2017" / "buckinghamshire.jsonl"
TRACKING = ["tracking-cohort", "--from", "2015-10-01", "--to", "2016-03-31", "--census", "2016-09-30", "--la", "825"]

pytestmark = pytest.mark.skipif(not BUCKINGHAMSHIRE.exists(), reason="evaluation fixtures not generated yet")


@pytest.fixture
def cohort(run: Cli) -> dict[str, Any]:
    loaded = run("load", str(BUCKINGHAMSHIRE))
    assert loaded.exit_code == 0, loaded.output
    result = run(*TRACKING, "--json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


def test_the_cohort_reproduces_the_evaluation(cohort: dict[str, Any]) -> None:
    assert cohort["tracked"] == 30
    assert (cohort["proceeded"], cohort["with_po"], cohort["matched"]) == (9, 8, 4)
    assert cohort["under_consideration"] == 4
    assert (cohort["ceased"], cohort["ceased_by_court"]) == (15, 6)
    assert cohort["outcomes"] == {
        "home-with-mother": 9,
        "home-with-both-parents": 3,
        "home-with-father": 2,
        "sgo-paternal-grandparents": 1,
    }
    assert cohort["other"] == {"permanence-country-of-origin": 1, "pregnancy-ended": 1}


def test_every_tracked_child_is_in_exactly_one_class(cohort: dict[str, Any]) -> None:
    children = cohort["children"]
    by_class = Counter(c["class"] for c in children)

    assert len({c["child"] for c in children}) == len(children) == cohort["tracked"]
    assert by_class == {
        "proceeded": cohort["proceeded"],
        "under_consideration": cohort["under_consideration"],
        "ceased": cohort["ceased"],
        "other": sum(cohort["other"].values()),
    }


def test_the_child_whose_plan_changed_away_and_back_counts_once_and_proceeded(run: Cli, cohort: dict[str, Any]) -> None:
    changes = json.loads(run("plan-changes", "--la", "825", "--all", "--json").output)["changes"]
    back = {c["child"] for c in changes if c["plan_after"] == "adoption" and c["plan_before"] not in (None, "adoption")}
    classes = {c["child"]: c["class"] for c in cohort["children"]}
    away = Counter(c["child"] for c in changes if c["away_from_adoption"])

    assert back and back <= set(classes)
    assert all(classes[child] == "proceeded" and away[child] == 1 for child in back)


def test_the_text_report_says_the_classes_add_up(run: Cli) -> None:
    run("load", str(BUCKINGHAMSHIRE))

    output = run(*TRACKING).output

    assert "9 + 4 + 15 + 2 = 30: the classes add up to the 30 children tracked" in output
