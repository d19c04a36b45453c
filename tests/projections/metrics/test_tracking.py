"""Tracking cohorts: who joins, and the one class each tracked child is in at the census."""

from __future__ import annotations

import contextlib
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeys import JourneyError, JourneysApp
from projections.metrics.plan_changes import InvalidWindow
from projections.metrics.tracking_cohort import CLASSES, TrackedChild, TrackingReport, tracking_cohort
from tests.helpers import LA, away, d, in_care_with_family_finding, record


def in_window(app: JourneysApp, la: str | None = None) -> TrackingReport:
    """The cohort tracked October 2015 - March 2016, at the census on 30 September 2016."""
    return tracking_cohort(app.streams(), start=d("2015-10-01"), end=d("2016-03-31"), census=d("2016-09-30"), la=la)


def cohort(app: JourneysApp) -> dict[str, TrackedChild]:
    return {c.child: c for c in in_window(app).children}


def test_a_child_with_an_adoption_decision_proceeded(memory_app: JourneysApp) -> None:
    in_care_with_family_finding(memory_app, "ADM", "2015-09-01", "2015-10-15")
    record(memory_app, "ADM", "adoption-decision", "2016-02-01")
    in_care_with_family_finding(memory_app, "PLACED", "2015-09-01", "2015-10-15")
    record(memory_app, "PLACED", "adoption-decision", "2015-12-01")
    record(memory_app, "PLACED", "placement-order", "2016-03-01")
    record(memory_app, "PLACED", "match", "2016-05-01")
    record(memory_app, "PLACED", "placed", "2016-05-20")

    children = cohort(memory_app)

    assert children["ADM"].status == "proceeded"
    assert (children["ADM"].with_po, children["ADM"].matched) == (False, False)
    assert children["PLACED"].status == "proceeded"
    assert (children["PLACED"].with_po, children["PLACED"].matched) == (True, True)
    assert children["PLACED"].matched_on == d("2016-05-01")


def test_a_child_with_no_adoption_decision_by_the_census_is_under_consideration(memory_app: JourneysApp) -> None:
    in_care_with_family_finding(memory_app, "C1", "2015-09-01", "2015-11-01")
    record(memory_app, "C1", "adoption-decision", "2016-10-03")  # after the census: does not count

    assert cohort(memory_app)["C1"].status == "under_consideration"


def test_a_plan_changed_by_the_court_ceased_with_its_outcome(memory_app: JourneysApp) -> None:
    in_care_with_family_finding(memory_app, "C1", "2015-09-01", "2015-11-01")
    record(memory_app, "C1", "adoption-decision", "2016-01-10")
    away(
        memory_app,
        "C1",
        "2016-04-01",
        to="special-guardianship",
        reason="RD2",
        decided_by="court",
        outcome="sgo-paternal-grandparents",
    )
    record(memory_app, "C1", "left-care", "2016-04-20", reason_code="E45")

    child = cohort(memory_app)["C1"]

    assert (child.status, child.by_court, child.outcome) == ("ceased", True, "sgo-paternal-grandparents")
    assert child.ceased_on == d("2016-04-01")


def test_a_plan_change_after_the_census_does_not_count(memory_app: JourneysApp) -> None:
    in_care_with_family_finding(memory_app, "C1", "2015-09-01", "2015-11-01")
    record(memory_app, "C1", "adoption-decision", "2016-01-10")
    away(memory_app, "C1", "2016-10-01")

    assert cohort(memory_app)["C1"].status == "proceeded"


def test_a_plan_changed_away_and_back_with_a_new_decision_proceeded(memory_app: JourneysApp) -> None:
    in_care_with_family_finding(memory_app, "C1", "2015-09-01", "2015-10-20")
    record(memory_app, "C1", "adoption-decision", "2015-11-20")
    away(memory_app, "C1", "2016-01-05", decided_by="court", reason="RD2")
    record(memory_app, "C1", "plan-change", "2016-02-20", to="adoption", decided_by="agency")
    record(memory_app, "C1", "adoption-decision", "2016-03-10")

    child = cohort(memory_app)["C1"]

    assert child.status == "proceeded"
    assert child.adoption_decision == d("2016-03-10")
    assert child.by_court is False


def test_an_unborn_child_whose_pregnancy_ended_is_other(memory_app: JourneysApp) -> None:
    record(memory_app, "U1", "child-details", "2015-10-01", expected_date="2016-04-15")
    record(memory_app, "U1", "family-finding", "2015-12-01")
    away(memory_app, "U1", "2016-01-20", to="other", outcome="pregnancy-ended")

    child = cohort(memory_app)["U1"]

    assert (child.status, child.reason, child.stage) == ("other", "pregnancy-ended", "not-in-care")


def test_an_unborn_child_tracked_before_birth_can_proceed(memory_app: JourneysApp) -> None:
    record(memory_app, "U2", "child-details", "2015-10-01", expected_date="2016-01-15")
    record(memory_app, "U2", "family-finding", "2015-12-01")
    record(memory_app, "U2", "child-details", "2016-01-12", date_of_birth="2016-01-12")
    record(memory_app, "U2", "entered-care", "2016-01-13")
    record(memory_app, "U2", "adoption-decision", "2016-03-01")

    child = cohort(memory_app)["U2"]

    assert (child.status, child.tracked_from) == ("proceeded", d("2015-12-01"))


def test_permanence_abroad_is_other_with_its_reason(memory_app: JourneysApp) -> None:
    in_care_with_family_finding(memory_app, "C1", "2015-09-01", "2015-11-01")
    away(memory_app, "C1", "2016-02-01", to="permanence-abroad", outcome="permanence-country-of-origin")
    record(memory_app, "C1", "left-care", "2016-02-10", reason_code="E16")

    child = cohort(memory_app)["C1"]

    assert (child.status, child.reason) == ("other", "permanence-country-of-origin")


def test_leaving_care_with_adoption_still_the_plan_is_other(memory_app: JourneysApp) -> None:
    in_care_with_family_finding(memory_app, "C1", "2015-09-01", "2015-11-01")
    record(memory_app, "C1", "left-care", "2016-02-10", reason_code="E4B")

    assert cohort(memory_app)["C1"].reason == "left-care-with-adoption-plan"


def test_only_family_finding_in_the_window_and_before_any_placement_order_joins(memory_app: JourneysApp) -> None:
    in_care_with_family_finding(memory_app, "BEFORE", "2015-01-05", "2015-09-30")
    in_care_with_family_finding(memory_app, "AFTER", "2015-01-05", "2016-04-01")
    record(memory_app, "LATE", "entered-care", "2015-01-05")
    record(memory_app, "LATE", "adoption-decision", "2015-06-01")
    record(memory_app, "LATE", "placement-order", "2015-10-01")
    record(memory_app, "LATE", "family-finding", "2015-10-05")
    record(memory_app, "SAME_DAY", "entered-care", "2015-01-05")
    record(memory_app, "SAME_DAY", "adoption-decision", "2015-06-01")
    record(memory_app, "SAME_DAY", "placement-order", "2015-11-02")
    record(memory_app, "SAME_DAY", "family-finding", "2015-11-02")
    in_care_with_family_finding(memory_app, "FIRST", "2015-01-05", "2015-10-01")
    in_care_with_family_finding(memory_app, "LAST", "2015-01-05", "2016-03-31")
    in_care_with_family_finding(memory_app, "ELSEWHERE", "2015-01-05", "2015-11-01", la="928")

    assert set(cohort(memory_app)) == {"FIRST", "LAST", "ELSEWHERE"}
    only_825 = in_window(memory_app, la=LA)
    assert [c.child for c in only_825.children] == ["FIRST", "LAST"]


def test_a_census_before_the_window_ends_is_refused(memory_app: JourneysApp) -> None:
    with pytest.raises(InvalidWindow, match="census on 2016-03-30 is before the tracking window ends on 2016-03-31"):
        tracking_cohort(memory_app.streams(), start=d("2015-10-01"), end=d("2016-03-31"), census=d("2016-03-30"))


# -- every tracked child is in exactly one class, whatever happened to it ---------------------

STEPS = st.lists(
    st.sampled_from(
        [
            ("adoption-decision", {}),
            ("placement-order", {}),
            ("match", {}),
            ("placed", {}),
            ("disruption", {}),
            ("plan-change", {"to": "reunification", "reason": "RD2", "decided_by": "court"}),
            ("plan-change", {"to": "permanence-abroad", "reason": "RD4", "decided_by": "agency"}),
            ("plan-change", {"to": "adoption", "decided_by": "agency"}),
            ("left-care", {"reason_code": "E4A"}),
            ("adoption-order", {}),
        ]
    ),
    max_size=6,
)
Story = tuple[int, list[int], list[tuple[str, dict[str, str]]]]
CHILD = st.tuples(st.integers(0, 150), st.lists(st.integers(1, 120), min_size=6, max_size=6), STEPS)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(children=st.lists(CHILD, min_size=1, max_size=5))
def test_every_tracked_child_is_in_exactly_one_class(children: list[Story]) -> None:
    app = JourneysApp(":memory:")
    try:
        for number, (offset, gaps, steps) in enumerate(children):
            child = f"H{number}"
            found = date.fromordinal(d("2015-10-01").toordinal() + offset)
            record(app, child, "entered-care", "2015-09-01")
            app.record(LA, child, "family-finding", found, {}, recorded_by="sw")
            on = found
            for gap, (kind, fields) in zip(gaps, steps, strict=False):
                on = date.fromordinal(on.toordinal() + gap)
                # a step the journey's rules refuse is left out of the child's history
                with contextlib.suppress(JourneyError):
                    app.record(LA, child, kind, on, fields, recorded_by="sw")

        report = in_window(app)
        data = report.as_json()
    finally:
        app.close()

    assert {c.child for c in report.children} == {f"H{n}" for n in range(len(children))}
    assert all(c.status in CLASSES for c in report.children)
    other = sum(data["other"].values())
    assert data["proceeded"] + data["under_consideration"] + data["ceased"] + other == data["tracked"]
    assert data["with_po"] <= data["proceeded"] and data["matched"] <= data["proceeded"]
    assert data["ceased_by_court"] <= data["ceased"] == sum(data["outcomes"].values())
