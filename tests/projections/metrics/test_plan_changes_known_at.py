"""--known-at re-creates an earlier answer after later plan changes and corrections."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from freezegun import freeze_time

from journeys import JourneysApp
from projections.metrics.plan_changes import plan_changes
from projections.metrics.tracking_cohort import tracking_cohort
from tests.helpers import LA, Cli, away, d, in_care_with_family_finding, record

TRACKING = ["tracking-cohort", "--from", "2015-10-01", "--to", "2016-03-31", "--census", "2016-09-30", "--json"]
CHANGES = ["plan-changes", "--from", "2015-04-01", "--to", "2016-09-30", "--json"]


def record_what_was_known_in_october(app: JourneysApp) -> int:
    with freeze_time("2016-06-01 10:00:00"):
        in_care_with_family_finding(app, "C1", "2015-09-01", "2015-10-15")
        record(app, "C1", "adoption-decision", "2016-01-10")
        in_care_with_family_finding(app, "C2", "2015-09-01", "2015-11-01")
        return away(app, "C2", "2016-02-01").seq


def record_later_changes_and_corrections(app: JourneysApp, c2_change: int) -> None:
    with freeze_time("2016-11-15 09:30:00"):
        # keyed late: the court changed C1's plan in March
        away(
            app,
            "C1",
            "2016-03-01",
            to="child-arrangements",
            reason="RD2",
            decided_by="court",
            outcome="home-with-father",
        )
        app.correct(
            LA,
            "C2",
            c2_change,
            on=None,
            fields={"reason": "RD2", "decided_by": "court"},
            reason="it was the court's decision",
            recorded_by="mgr",
        )


def without_known_at(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "known_at"}


def test_both_reports_as_known_in_october_survive_later_keying(app: JourneysApp) -> None:
    c2_change = record_what_was_known_in_october(app)
    then = datetime(2016, 10, 1, tzinfo=UTC)
    tracking_then = tracking_cohort(app.streams(), start=d("2015-10-01"), end=d("2016-03-31"), census=d("2016-09-30"))
    changes_then = plan_changes(app.streams())

    record_later_changes_and_corrections(app, c2_change)
    tracking_known = tracking_cohort(
        app.streams(), start=d("2015-10-01"), end=d("2016-03-31"), census=d("2016-09-30"), known_at=then
    )
    changes_known = plan_changes(app.streams(), known_at=then)
    changes_now = plan_changes(app.streams())

    assert tracking_known.children == tracking_then.children
    assert changes_known.changes == changes_then.changes
    assert {c.child: c.status for c in tracking_known.children} == {"C1": "proceeded", "C2": "ceased"}
    now = {
        c.child: c
        for c in tracking_cohort(
            app.streams(), start=d("2015-10-01"), end=d("2016-03-31"), census=d("2016-09-30")
        ).children
    }
    assert (now["C1"].status, now["C2"].by_court) == ("ceased", True)
    assert changes_now.by_decider() == {"court": 2, "agency": 0}


def test_the_commands_with_known_at_print_what_they_printed_then(run: Cli, sqlite_store: str) -> None:
    app = JourneysApp(sqlite_store)
    try:
        c2_change = record_what_was_known_in_october(app)
        with freeze_time("2016-10-01 12:00:00"):
            tracking_then = json.loads(run(*TRACKING).output)
            changes_then = json.loads(run(*CHANGES).output)
        record_later_changes_and_corrections(app, c2_change)
    finally:
        app.close()

    tracking_known = json.loads(run(*TRACKING, "--known-at", "2016-10-01").output)
    changes_known = json.loads(run(*CHANGES, "--known-at", "2016-10-01").output)
    tracking_now = json.loads(run(*TRACKING).output)
    changes_now = json.loads(run(*CHANGES).output)

    assert without_known_at(tracking_known) == without_known_at(tracking_then)
    assert without_known_at(changes_known) == without_known_at(changes_then)
    assert tracking_known["known_at"] == "2016-10-01T23:59:59.999999+00:00"
    assert (tracking_then["proceeded"], tracking_then["ceased"], tracking_then["ceased_by_court"]) == (1, 1, 0)
    assert (tracking_now["proceeded"], tracking_now["ceased"], tracking_now["ceased_by_court"]) == (0, 2, 2)
    assert changes_then["by_decider"] == {"court": 0, "agency": 1}
    assert changes_now["by_decider"] == {"court": 2, "agency": 0}
