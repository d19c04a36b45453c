"""'Today' is the Europe/London day: in British Summer Time 23:30 UTC is already tomorrow."""

from __future__ import annotations

from datetime import date

from freezegun import freeze_time

from journeys import JourneysApp
from journeys.clock import today

LA = "825"


def test_today_is_the_london_date_late_in_a_summer_evening() -> None:
    with freeze_time("2026-07-10 23:30:00"):
        assert today() == date(2026, 7, 11)
    with freeze_time("2026-01-10 23:30:00"):  # GMT: London and UTC agree
        assert today() == date(2026, 1, 10)


def test_an_event_dated_the_london_day_just_after_midnight_is_accepted(app: JourneysApp) -> None:
    with freeze_time("2026-07-10 23:30:00"):
        app.record(LA, "C1", "entered-care", date(2026, 7, 11), {}, recorded_by="sw1")
        shown = app.show(LA, "C1", as_at=date(2026, 7, 11))
    assert shown.state.stage == "in-care"


def test_decisions_recorded_together_just_after_london_midnight_are_accepted(app: JourneysApp) -> None:
    together = [
        ("entered-care", date(2026, 7, 1), {}, "e1", "import"),
        ("adoption-decision", date(2026, 7, 11), {}, "a1", "import"),  # the London day, tomorrow in UTC terms
    ]
    with freeze_time("2026-07-10 23:30:00"):
        app.record_together(LA, "C2", together, recorded_by="sw1")
    assert [e.kind for e in app.entries(LA, "C2")] == ["opened", "entered-care", "adoption-decision"]
