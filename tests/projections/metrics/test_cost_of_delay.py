"""The cost of delay of a placement-order cohort against a baseline, on summary rows made from a
few decisions, worked by hand to the penny; the unit costs and price index read from data."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from projections.metrics.cost_of_delay import cost_of_delay, one_year
from projections.metrics.periods import PeriodError
from projections.metrics.summary import PeriodSummary
from projections.metrics.unit_costs import CostsError, load_costs, load_index
from tests.helpers import summaries

CENSUS = date(2016, 9, 30)
PSSRU = load_costs().rate("pssru-2017-la-foster")


def _matched(child: str, po: date, days: int, placed_after: int = 10) -> PeriodSummary:
    match = po + timedelta(days=days)
    (row,) = summaries(
        child,
        ("entered-care", (po - timedelta(days=200)).isoformat()),
        ("adoption-decision", (po - timedelta(days=100)).isoformat()),
        ("placement-order", po.isoformat()),
        ("match", match.isoformat()),
        ("placed", (match + timedelta(days=placed_after)).isoformat()),
    )
    return row


def _waiting(child: str, po: date) -> PeriodSummary:
    (row,) = summaries(
        child,
        ("entered-care", (po - timedelta(days=200)).isoformat()),
        ("adoption-decision", (po - timedelta(days=100)).isoformat()),
        ("placement-order", po.isoformat()),
    )
    return row


# Baseline (2014-15): 200 and 301 days PO -> match, a mean of 250.5. Compared (2015-16): 100 and
# 180 days, saving 150.5 + 70.5 = 221 days. At 646 pounds a week: 221 * 646 / 7 = 20,395.142857...
TWO_AND_TWO = [
    _matched("B1", date(2014, 5, 1), 200),
    _matched("B2", date(2014, 6, 1), 301),
    _matched("C1", date(2015, 5, 1), 100),
    _matched("C2", date(2015, 6, 1), 180, placed_after=30),
    _waiting("C3", date(2015, 7, 1)),
]


def test_two_children_matched_sooner_than_the_baseline_mean_save_its_cost_to_the_penny() -> None:
    report, _ = cost_of_delay(TWO_AND_TWO, census=CENSUS, baseline=2014, compare=2015, rate=PSSRU)

    assert report["baseline"]["mean_days_po_to_match"] == 250.5
    assert [c["days_saved"] for c in report["children"]] == [150.5, 70.5]
    assert report["days_saved"] == 221.0
    assert report["exact"]["cost_avoided"] == "142766/7"
    assert report["cost_avoided"] == "20395.14"
    assert [c["cost_avoided"] for c in report["children"]] == ["13889.00", "6506.14"]
    assert (report["cost_avoided_low"], report["cost_avoided_high"]) == ("16316.11", "24474.17")


def test_days_to_placement_are_compared_with_the_baseline_mean_to_placement() -> None:
    report, _ = cost_of_delay(TWO_AND_TWO, census=CENSUS, baseline=2014, compare=2015, rate=PSSRU)

    # baseline 210 and 311 (mean 260.5); compared 110 and 210: 150.5 + 50.5 = 201 days
    assert report["baseline"]["mean_days_po_to_placed"] == 260.5
    assert report["days_saved_to_placed"] == 201.0
    assert report["cost_avoided_to_placed"] == "18549.43"  # 201 * 646 / 7 = 18,549.428...


def test_a_child_still_waiting_is_in_its_cohort_but_not_costed() -> None:
    report, _ = cost_of_delay(TWO_AND_TWO, census=CENSUS, baseline=2014, compare=2015, rate=PSSRU)

    assert (report["compare"]["placement_orders"], report["compare"]["waiting"]) == (3, 1)
    assert [c["child"] for c in report["children"]] == ["C1", "C2"]


def test_a_child_slower_than_the_baseline_mean_adds_cost() -> None:
    rows = [*TWO_AND_TWO[:2], _matched("C9", date(2015, 5, 1), 260)]

    report, _ = cost_of_delay(rows, census=CENSUS, baseline=2014, compare=2015, rate=PSSRU)

    assert report["days_saved"] == -9.5
    assert report["cost_avoided"] == "-876.71"  # -9.5 * 646 / 7 = -876.714...


def test_the_contract_cost_is_set_against_the_saving() -> None:
    report, _ = cost_of_delay(
        TWO_AND_TWO, census=CENSUS, baseline=2014, compare=2015, rate=PSSRU, contract_cost=Decimal("145000")
    )

    assert report["contract_cost"] == "145000.00"
    assert report["net_of_contract"] == "-124604.86"


def test_each_sum_figure_is_its_rows_exactly() -> None:
    _, figures = cost_of_delay(TWO_AND_TWO, census=CENSUS, baseline=2014, compare=2015, rate=PSSRU)

    for figure in figures:
        if figure.aggregate == "sum":
            assert figure.value == sum((Fraction(p.value) for p in figure.parts()), Fraction(0)), figure.key


def test_the_shipped_rates_carry_their_unit_price_year_placement_type_and_source() -> None:
    costs = load_costs()

    assert costs.default == "pssru-2017-la-foster"
    found = {name: (str(r.amount), r.per, r.price_year, r.placement_type) for name, r in costs.rates.items()}
    assert found["pssru-2017-la-foster"] == ("646", "week", "2016-17", "foster-la")
    assert found["cma-2022-ifa"][:2] == ("820", "week")
    assert found["cma-2022-childrens-home"][:2] == ("3830", "week")
    assert all(r.source for r in costs.rates.values())
    assert PSSRU.per_day == Fraction(646, 7)


def test_a_price_index_restates_a_rate_in_another_years_prices(tmp_path: Path) -> None:
    index = tmp_path / "index.toml"
    index.write_text(
        'name = "test index"\nsource = "made up for a test"\n[values]\n"2016-17" = "80"\n"2020-21" = "100"\n'
    )

    restated = load_index(index).restate(PSSRU, "2020-21")

    assert restated.amount == Decimal("807.5")  # 646 * 100 / 80
    assert restated.price_year == "2020-21"
    assert restated.restated is not None and "2016-17 to 2020-21" in restated.restated
    with pytest.raises(CostsError, match="no value for 2015-16"):
        load_index(index).restate(PSSRU, "2015-16")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            '[rates.x]\namount = 646\nper = "week"\nprice_year = "2016-17"\nplacement_type = "a"\nsource = "s"\n',
            "string",
        ),
        (
            '[rates.x]\namount = "646"\nper = "month"\nprice_year = "2016-17"\nplacement_type = "a"\nsource = "s"\n',
            "per",
        ),
        ('[rates.x]\namount = "646"\nper = "week"\nprice_year = "2016-17"\nplacement_type = "a"\n', "no source"),
        (
            'default = "y"\n[rates.x]\namount = "1"\nper = "day"\nprice_year = "2016-17"\n'
            'placement_type = "a"\nsource = "s"\n',
            "default",
        ),
    ],
)
def test_a_costs_file_that_cannot_be_used_is_refused(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "costs.toml"
    path.write_text(text)

    with pytest.raises(CostsError, match=problem):
        load_costs(path)


def test_a_cohort_is_one_financial_year() -> None:
    assert one_year("2014-15", "--baseline") == 2014
    with pytest.raises(PeriodError, match="more than one financial year"):
        one_year("2012-15", "--baseline")
