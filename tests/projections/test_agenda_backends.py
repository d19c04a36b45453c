"""The agenda read model over each real backend (SQLite always, PostgreSQL when configured)."""

from __future__ import annotations

from datetime import date

from journeys import JourneysApp
from projections.la_reports import deadlines_for, surgery


def test_the_agenda_reads_every_childs_stream_from_the_store(app: JourneysApp) -> None:
    for child, po in (("C1", date(2015, 2, 2)), ("C2", date(2015, 6, 1))):
        app.record("825", child, "entered-care", date(2014, 9, 1), {}, recorded_by="sw")
        app.record("825", child, "adoption-decision", date(2015, 1, 5), {}, recorded_by="sw")
        app.record("825", child, "placement-order", po, {}, recorded_by="sw")
    app.record("928", "N1", "entered-care", date(2015, 3, 2), {}, recorded_by="sw")  # no adoption plan
    app.add_action("825", "C2", text="Start family-finding", owner="J Smith", due=date(2015, 6, 10), recorded_by="tm")

    agenda = surgery(app, as_at=date(2015, 6, 20))

    assert [(r.child, r.next_milestone.rule.id if r.next_milestone else None, r.status) for r in agenda.rows] == [
        ("C1", "family-finding", "overdue"),
        ("C2", "family-finding", "overdue"),
    ]
    assert agenda.rows[0].days_overdue == (date(2015, 6, 20) - date(2015, 2, 16)).days
    assert [(a.action_id, a.owner, a.days_overdue) for a in agenda.rows[1].actions] == [("A1", "J Smith", 10)]
    assert surgery(app, as_at=date(2015, 6, 20), la="928").rows == []
    one = deadlines_for(app, "825", "C2", as_at=date(2015, 6, 20))
    assert {m.rule.id: m.status for m in one.milestones}["match"] == "on-track"
