"""Time to permanence by route over hand-made decisions: which day each route is reached on, the
days from entering care, the window, breakdowns and returns to care."""

from __future__ import annotations

import statistics
from datetime import date
from typing import Any

from journeys.domain.timeline import Decision
from projections.metrics.permanence import PERMANENCE_ROUTES, child_permanence, report_of

Event = tuple[str, str, dict[str, Any]]


def _decisions(*events: Event) -> list[Decision]:
    made = [Decision(seq, kind, date.fromisoformat(on), fields) for seq, (kind, on, fields) in enumerate(events, 1)]
    return sorted(made, key=Decision.sort_key)


def _days(first: str, second: str) -> int:
    return (date.fromisoformat(second) - date.fromisoformat(first)).days


def test_an_order_recorded_and_its_exit_are_one_permanence_on_the_day_of_the_order() -> None:
    found = child_permanence(
        "825",
        "C1",
        _decisions(
            ("entered-care", "2015-01-10", {}),
            ("plan-decision", "2015-03-01", {"route": "special-guardianship"}),
            ("sgo-made", "2015-09-30", {}),
            ("left-care", "2015-09-30", {"reason_code": "E45"}),
        ),
    )
    assert [(p.route, p.on, p.days) for p in found] == [
        ("special-guardianship", date(2015, 9, 30), _days("2015-01-10", "2015-09-30"))
    ]


def test_an_exit_by_its_rec_code_alone_is_the_routes_permanence() -> None:
    found = child_permanence(
        "825", "C2", _decisions(("entered-care", "2015-01-10", {}), ("left-care", "2015-06-01", {"reason_code": "E41"}))
    )
    assert [(p.route, p.on) for p in found] == [("child-arrangements", date(2015, 6, 1))]


def test_a_long_term_fostering_match_that_breaks_down_is_counted_once_with_its_breakdown() -> None:
    found = child_permanence(
        "825",
        "C3",
        _decisions(
            ("entered-care", "2015-01-10", {}),
            ("plan-decision", "2015-02-01", {"route": "long-term-fostering"}),
            ("ltf-match", "2015-05-01", {"carer": "F1"}),
            ("ltf-breakdown", "2016-01-01", {"reason": None}),
            ("ltf-match", "2016-04-01", {"carer": "F2"}),
        ),
    )
    assert [(p.route, p.on, p.broke_down, p.returned_to_care) for p in found] == [
        ("long-term-fostering", date(2015, 5, 1), date(2016, 1, 1), None)
    ]


def test_a_return_home_then_a_new_period_of_care_is_a_return_to_care() -> None:
    found = child_permanence(
        "825",
        "C4",
        _decisions(
            ("entered-care", "2015-01-10", {}),
            ("left-care", "2015-06-01", {"reason_code": "E4A"}),
            ("entered-care", "2016-02-01", {}),
            ("left-care", "2016-08-01", {"reason_code": "E13"}),  # to relatives: not a return home
        ),
    )
    assert [(p.route, p.on, p.returned_to_care) for p in found] == [
        ("reunification", date(2015, 6, 1), date(2016, 2, 1))
    ]


def test_the_figures_are_those_of_the_window_and_every_route_is_listed() -> None:
    children = [
        *child_permanence(
            "825",
            "A",
            _decisions(("entered-care", "2014-04-01", {}), ("left-care", "2015-04-01", {"reason_code": "E46"})),
        ),
        *child_permanence(
            "825",
            "B",
            _decisions(("entered-care", "2015-01-01", {}), ("left-care", "2016-03-31", {"reason_code": "E47"})),
        ),
        *child_permanence(
            "825",
            "C",
            _decisions(("entered-care", "2015-01-01", {}), ("left-care", "2016-04-01", {"reason_code": "E48"})),
        ),
        # no start of care recorded: counted, but not in the days
        *child_permanence("825", "D", _decisions(("sgo-made", "2015-08-01", {}))),
    ]
    report = report_of(children, start=date(2015, 4, 1), end=date(2016, 3, 31), la="825", known_at=None).as_json()

    assert list(report["routes"]) == list(PERMANENCE_ROUTES)
    sgo = report["routes"]["special-guardianship"]
    expected = [_days("2014-04-01", "2015-04-01"), _days("2015-01-01", "2016-03-31")]
    assert (sgo["children"], sgo["with_start_of_care"]) == (3, 2)
    assert (sgo["median_days"], sgo["mean_days"]) == (statistics.median(expected), statistics.fmean(expected))
    assert [c["child"] for c in report["children"]] == ["A", "D", "B"]  # in the order reached
    assert report["routes"]["adoption"] == {
        "route": "adoption",
        "children": 0,
        "with_start_of_care": 0,
        "median_days": None,
        "mean_days": None,
        "breakdowns": 0,
        "returned_to_care": 0,
    }
