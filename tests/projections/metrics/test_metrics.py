"""The metric functions, on summary rows built in memory: no database."""

from __future__ import annotations

from datetime import date

import pytest

from projections.metrics import activity, cohorts
from projections.metrics.periods import PeriodError, add_months, parse_period, window
from projections.metrics.scorecard import a1_days, a2_days, a10_days, placed_in_time, scorecard
from projections.metrics.thresholds import Thresholds, for_window
from tests.helpers import adopted, summaries

LIMITS = Thresholds("2012-15", 487, 121, 16, "test")


def test_a2_counts_zero_days_for_a_child_matched_before_the_placement_order() -> None:
    row = adopted("C1", "2012-01-01", po="2013-03-01", match="2013-02-01", placed="2013-04-01", ao="2013-09-01")

    assert a2_days(row) == 0


def test_a2_leaves_out_a_child_placed_with_parental_consent() -> None:
    consent = adopted(
        "C1",
        "2012-01-01",
        po="2012-06-01",
        match="2012-09-01",
        placed="2012-10-01",
        ao="2013-03-01",
        authority="consent",
    )
    court = adopted("C2", "2012-01-01", po="2012-06-01", match="2012-10-01", placed="2012-11-01", ao="2013-03-01")

    card = scorecard([consent, court], date(2012, 4, 1), date(2015, 3, 31), LIMITS)

    assert a2_days(consent) is None
    assert card["A2"]["children"] == 1
    assert card["A2"]["mean_days"] == (date(2012, 10, 1) - date(2012, 6, 1)).days
    assert card["A1"]["children"] == 2


def test_a3_month_arithmetic_clamps_to_the_last_day_of_a_short_month() -> None:
    assert add_months(date(2014, 10, 31), 16) == date(2016, 2, 29)
    assert add_months(date(2013, 10, 31), 16) == date(2015, 2, 28)
    assert add_months(date(2015, 1, 31), 1) == date(2015, 2, 28)


def test_a3_counts_a_child_placed_the_day_before_the_clamped_date_but_not_on_it() -> None:
    early = adopted("C1", "2014-10-31", po="2015-06-01", match="2015-09-01", placed="2016-02-28", ao="2016-09-01")
    on_the_day = adopted("C2", "2014-10-31", po="2015-06-01", match="2015-09-01", placed="2016-02-29", ao="2016-09-01")

    assert placed_in_time(early, 16) is True
    assert placed_in_time(on_the_day, 16) is False


def test_after_a_disruption_a1_and_a2_use_the_last_match_and_placement_before_the_order() -> None:
    (row,) = summaries(
        "C1",
        ("entered-care", "2012-01-01"),
        ("adoption-decision", "2012-03-01"),
        ("placement-order", "2012-06-01"),
        ("match", "2012-08-01"),
        ("placed", "2012-09-01"),
        ("disruption", "2012-12-01"),
        ("match", "2013-04-01"),
        ("placed", "2013-05-01"),
        ("adoption-order", "2013-11-01"),
    )

    assert a1_days(row) == (date(2013, 5, 1) - date(2012, 1, 1)).days
    assert a2_days(row) == (date(2013, 4, 1) - date(2012, 6, 1)).days
    assert row.po_match == date(2012, 8, 1)
    assert row.disruptions == 1


def test_a10_ends_when_the_child_moved_in_with_its_foster_carers_but_never_before_care() -> None:
    with_carers = adopted(
        "C1",
        "2012-01-01",
        po="2012-06-01",
        match="2012-09-01",
        placed="2012-09-05",
        ao="2013-03-01",
        placed_fields={"with_foster_carers": True, "carers_since": "2012-03-01"},
    )
    before_care = adopted(
        "C2",
        "2012-01-01",
        po="2012-06-01",
        match="2012-09-01",
        placed="2012-09-05",
        ao="2013-03-01",
        placed_fields={"with_foster_carers": True, "carers_since": "2011-11-01"},
    )

    assert a10_days(with_carers) == (date(2012, 3, 1) - date(2012, 1, 1)).days
    assert a10_days(before_care) == 0
    assert a1_days(with_carers) == (date(2012, 9, 5) - date(2012, 1, 1)).days


def test_the_scorecard_counts_only_children_adopted_in_the_window() -> None:
    inside = adopted("C1", "2012-01-01", po="2012-06-01", match="2012-09-01", placed="2012-10-01", ao="2015-03-31")
    outside = adopted("C2", "2012-01-01", po="2012-06-01", match="2012-09-01", placed="2012-10-01", ao="2015-04-01")

    card = scorecard([inside, outside], *parse_period("2012-15"), LIMITS)

    assert card["adopted"] == 1
    assert card["A1"]["distance"] == card["A1"]["mean_days"] - 487


def test_thresholds_are_chosen_by_period_and_fall_back_to_the_default() -> None:
    assert for_window(*parse_period("2012-15")).a1_days == 487
    assert for_window(*parse_period("2012-15")).a3_months == 16
    assert for_window(date(2015, 4, 1), date(2015, 9, 30)).a3_months == 14


def test_a_malformed_period_is_refused_with_a_remedy() -> None:
    with pytest.raises(PeriodError) as error:
        parse_period("2012/15")
    assert "YYYY-YY" in error.value.full_message()
    with pytest.raises(PeriodError):
        window(None, date(2015, 1, 1), None)


def test_cohort_separates_matched_waiting_and_exited_children_at_the_census() -> None:
    matched = adopted("C1", "2014-01-01", po="2014-06-01", match="2014-09-29", placed="2014-10-10", ao="2015-06-01")
    waiting = summaries(
        "C2", ("entered-care", "2014-01-01"), ("adoption-decision", "2014-03-01"), ("placement-order", "2014-07-01")
    )
    exited = summaries(
        "C3",
        ("entered-care", "2014-01-01"),
        ("adoption-decision", "2014-03-01"),
        ("placement-order", "2014-08-01"),
        ("plan-change", "2014-10-01", {"to": "long-term-fostering", "reason": "RD3", "decided_by": "agency"}),
    )
    rows = [matched, *waiting, *exited]

    (cohort,) = cohorts.by_po_year(rows, census=date(2015, 3, 31))["rows"]

    assert cohort["year"] == "2014-15"
    assert (cohort["placement_orders"], cohort["matched"], cohort["waiting"], cohort["exited"]) == (3, 1, 1, 1)
    assert cohort["mean_days_po_to_match"] == (date(2014, 9, 29) - date(2014, 6, 1)).days
    waited = (date(2015, 3, 31) - date(2014, 7, 1)).days
    assert cohort["mean_days_with_waiting"] == (cohort["mean_days_po_to_match"] + waited) / 2


def test_nothing_after_the_census_counts_in_a_cohort() -> None:
    row = adopted("C1", "2014-01-01", po="2014-06-01", match="2014-12-01", placed="2015-01-10", ao="2015-06-01")
    late_po = summaries(
        "C2", ("entered-care", "2014-01-01"), ("adoption-decision", "2014-03-01"), ("placement-order", "2014-11-01")
    )

    (cohort,) = cohorts.by_po_year([row, *late_po], census=date(2014, 10, 1))["rows"]

    assert cohort["placement_orders"] == 1
    assert cohort["matched"] == 0
    assert cohort["waiting"] == 1


def test_a_consent_is_not_a_placement_order_for_cohorts_but_is_counted_apart() -> None:
    consent = adopted(
        "C1",
        "2014-01-01",
        po="2014-06-01",
        match="2014-09-01",
        placed="2014-10-01",
        ao="2015-06-01",
        authority="consent",
    )

    assert cohorts.by_po_year([consent], census=date(2016, 9, 30))["rows"] == []
    year = {r["period"]: r for r in activity.counts([consent], by="year")["rows"]}["2014-15"]
    assert year["consents"] == 1
    assert year["placement_orders"] == 0


def test_counts_label_financial_quarters_and_count_reversals() -> None:
    rows = summaries(
        "C1",
        ("entered-care", "2015-03-01"),
        ("adoption-decision", "2015-03-31"),
        ("plan-change", "2015-04-01", {"to": "reunification", "reason": "RD1", "decided_by": "court"}),
    )

    table = {r["period"]: r for r in activity.counts(rows, by="quarter")["rows"]}

    assert table["2014-15 Q4"]["adoption_decisions"] == 1
    assert table["2015-16 Q1"]["reversals"] == 1


def test_waiting_lists_children_with_a_decision_not_placed_and_still_on_an_adoption_plan() -> None:
    waiting = summaries(
        "C1", ("entered-care", "2014-01-01"), ("adoption-decision", "2014-03-01"), ("placement-order", "2014-07-01")
    )
    reversed_ = summaries(
        "C2",
        ("entered-care", "2014-01-01"),
        ("adoption-decision", "2014-03-01"),
        ("plan-change", "2014-05-01", {"to": "reunification", "reason": "RD1", "decided_by": "agency"}),
    )
    placed = [adopted("C3", "2014-01-01", po="2014-04-01", match="2014-05-01", placed="2014-06-01", ao="2015-01-01")]

    report = activity.waiting([*waiting, *reversed_, *placed], date(2014, 8, 1))

    assert [c["child"] for c in report["children"]] == ["C1"]
    assert report["children"][0]["days_since_adm"] == (date(2014, 8, 1) - date(2014, 3, 1)).days
    assert report["over_90_days"] == 1


def test_stages_name_the_slowest_stage() -> None:
    row = adopted("C1", "2014-01-01", po="2014-02-01", match="2015-02-01", placed="2015-02-10", ao="2015-06-01")

    report = activity.stages([row])

    assert report["slowest"] == "po_to_match"
    assert {s["stage"] for s in report["stages"]} == {
        "care_to_adm",
        "adm_to_po",
        "po_to_match",
        "match_to_placed",
        "placed_to_ao",
    }
