"""Retention: a child's retention date from its own events, one test per rule of the shipped
table (journeys/rules/retention.toml), and the legal hold that stops the clock."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from freezegun import freeze_time

from journeys import InvalidEvent, JourneysApp, ProtectionError, legal_hold, load_retention_rules, retention_report
from journeys.domain.retention import add_years, retention_of
from tests.helpers import record

RULES = load_retention_rules()


def _born(app: JourneysApp, child: str, birth: str, la: str = "825") -> None:
    record(app, child, "child-details", birth, date_of_birth=birth, la=la)
    record(app, child, "entered-care", birth, legal_status="C1", la=la)


def _adopted(app: JourneysApp, child: str, birth: str, order: str) -> None:
    _born(app, child, birth)
    record(app, child, "adoption-decision", "2014-11-20")
    record(app, child, "placement-order", "2015-02-10")
    record(app, child, "match", "2015-07-16", adopters="ADP-825-130")
    record(app, child, "placed", "2015-08-01")
    record(app, child, "adoption-order", order)


def _of(app: JourneysApp, child: str, as_at: str, la: str = "825"):  # type: ignore[no-untyped-def]
    return retention_of(app.entries(la, child), date.fromisoformat(as_at), RULES)


def test_the_shipped_table_names_its_sources() -> None:
    assert [(r.id, r.starts, r.years) for r in RULES] == [
        ("adoption-record", "adoption-order", 100),
        ("died-before-18", "death-before-18", 15),
        ("looked-after-record", "date-of-birth", 75),
    ]
    assert "SI 2005/888" in RULES[0].source and "regulation 50" in RULES[2].source


def test_an_adopted_childs_record_is_kept_100_years_from_the_adoption_order(memory_app: JourneysApp) -> None:
    _adopted(memory_app, "C001", "2014-01-19", order="2016-03-01")
    before, on = _of(memory_app, "C001", "2116-02-29"), _of(memory_app, "C001", "2116-03-01")
    assert (before.rule and before.rule.id, before.start, before.review_from, before.status) == (
        "adoption-record",
        date(2016, 3, 1),
        date(2116, 3, 1),
        "kept",
    )
    assert on.status == "due"
    # the 75th birthday (2089) does not count for an adopted child
    assert _of(memory_app, "C001", "2090-01-01").status == "kept"


def test_a_child_who_died_before_18_is_kept_15_years_from_the_death(memory_app: JourneysApp) -> None:
    _born(memory_app, "C002", "2010-05-05")
    record(memory_app, "C002", "left-care", "2015-06-01", reason_code="E2")
    found = _of(memory_app, "C002", "2030-06-01")
    assert (found.rule and found.rule.id, found.start, found.review_from, found.status) == (
        "died-before-18",
        date(2015, 6, 1),
        date(2030, 6, 1),
        "due",
    )


def test_leaving_care_for_another_reason_keeps_the_75th_birthday(memory_app: JourneysApp) -> None:
    _born(memory_app, "C003", "2010-05-05")
    record(memory_app, "C003", "left-care", "2015-06-01", reason_code="E13")
    found = _of(memory_app, "C003", "2085-05-05")
    assert (found.rule and found.rule.id, found.review_from, found.status) == (
        "looked-after-record",
        date(2085, 5, 5),
        "due",
    )
    assert _of(memory_app, "C003", "2085-05-04").status == "kept"


def test_a_birthday_on_29_february_comes_on_1_march_in_other_years() -> None:
    assert add_years(date(2012, 2, 29), 75) == date(2087, 3, 1)
    assert add_years(date(2012, 2, 29), 76) == date(2088, 2, 29)


def test_no_adoption_order_and_no_date_of_birth_is_under_no_rule(memory_app: JourneysApp) -> None:
    record(memory_app, "C004", "entered-care", "2014-06-02", legal_status="C1")
    found = _of(memory_app, "C004", "2100-01-01")
    assert (found.rule, found.review_from, found.status) == (None, None, "no-rule")


def test_an_adoption_order_not_yet_in_effect_does_not_count(memory_app: JourneysApp) -> None:
    _adopted(memory_app, "C005", "2014-01-19", order="2016-03-01")
    assert _of(memory_app, "C005", "2016-02-29").rule.id == "looked-after-record"  # type: ignore[union-attr]


def test_a_legal_hold_stops_the_clock_and_its_days_are_added(memory_app: JourneysApp) -> None:
    _born(memory_app, "C006", "2010-05-05")
    with freeze_time("2084-05-05 12:00:00"):
        legal_hold(memory_app, "825", "C006", reason="inquiry: preserve records", recorded_by="dpo")
    held = _of(memory_app, "C006", "2085-06-01")
    assert (held.status, held.review_from, held.hold_in_force) == ("held", None, True)
    with freeze_time("2086-05-05 12:00:00"):
        legal_hold(memory_app, "825", "C006", reason="inquiry closed", lifted=True, recorded_by="dpo")
    after = _of(memory_app, "C006", "2087-01-01")
    days = (date(2086, 5, 5) - date(2084, 5, 5)).days
    due = date(2085, 5, 5) + timedelta(days=days)  # the 75th birthday, moved on by the days held
    assert (after.held_days, after.review_from, after.status) == (days, due, "kept")
    assert _of(memory_app, "C006", due.isoformat()).status == "due"
    assert _of(memory_app, "C006", (due - timedelta(days=1)).isoformat()).status == "kept"
    # as at a day before the hold was recorded, it does not count
    assert _of(memory_app, "C006", "2084-01-01").held_days == 0


def test_days_held_before_the_clock_started_are_not_added(memory_app: JourneysApp) -> None:
    _born(memory_app, "C007", "2014-01-19")
    with freeze_time("2015-01-01 12:00:00"):
        legal_hold(memory_app, "825", "C007", reason="proceedings", recorded_by="dpo")
    with freeze_time("2015-03-01 12:00:00"):
        legal_hold(memory_app, "825", "C007", reason="proceedings ended", lifted=True, recorded_by="dpo")
        record(memory_app, "C007", "adoption-decision", "2015-02-01")
        record(memory_app, "C007", "placement-order", "2015-02-10")
        record(memory_app, "C007", "match", "2015-02-16", adopters="ADP-825-131")
        record(memory_app, "C007", "placed", "2015-02-20")
        record(memory_app, "C007", "adoption-order", "2015-02-27")
    found = _of(memory_app, "C007", "2120-01-01")
    assert (found.rule and found.rule.id, found.held_days, found.review_from) == (
        "adoption-record",
        2,  # held from 2015-01-01 to 2015-03-01: only the days after the order of 2015-02-27
        date(2115, 3, 1),
    )


def test_a_hold_is_refused_twice_and_a_lift_without_one(memory_app: JourneysApp) -> None:
    _born(memory_app, "C008", "2014-01-19")
    with pytest.raises(InvalidEvent, match="no legal hold to lift"):
        legal_hold(memory_app, "825", "C008", reason="x", lifted=True, recorded_by="dpo")
    legal_hold(memory_app, "825", "C008", reason="inquiry", recorded_by="dpo")
    version = memory_app.head()
    with pytest.raises(InvalidEvent, match="already under a legal hold"):
        legal_hold(memory_app, "825", "C008", reason="again", recorded_by="dpo")
    assert memory_app.head() == version


def test_the_report_lists_those_due_held_or_under_no_rule_in_that_order(app: JourneysApp) -> None:
    _born(app, "A1", "2000-01-01")
    _born(app, "A2", "2001-01-01")
    _born(app, "B1", "2002-01-01", la="928")
    _born(app, "K1", "2020-01-01")
    record(app, "N1", "entered-care", "2014-06-02", legal_status="C1")
    legal_hold(app, "825", "A2", reason="inquiry", recorded_by="dpo")
    report = retention_report(app, date(2080, 1, 1), RULES)
    assert [(r.la, r.child, r.retention.status) for r in report.rows] == [
        ("825", "A1", "due"),
        ("928", "B1", "due"),
        ("825", "A2", "held"),
        ("825", "N1", "no-rule"),
    ]
    assert report.counts == {"due": 2, "held": 1, "no-rule": 1, "kept": 1}
    only = retention_report(app, date(2080, 1, 1), RULES, las=["928"], every=True)
    assert [r.child for r in only.rows] == ["B1"]
    every = retention_report(app, date(2080, 1, 1), RULES, every=True)
    assert [r.child for r in every.rows][-1] == "K1"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('[[rule]]\nid = "x"\nname = "x"\nfrom = "placement"\nyears = 5\nsource = "s"\n', "from must be one of"),
        ('[[rule]]\nid = "x"\nname = "x"\nfrom = "date-of-birth"\nyears = 0\nsource = "s"\n', "years must be"),
        ('[[rule]]\nid = "x"\nname = "x"\nfrom = "date-of-birth"\nyears = 5\n', "source must be"),
        ('[[rule]]\nid = "x"\nname = "x"\nfrom = "date-of-birth"\nyears = 5\nsource = "s"\nwhen = 1\n', "unknown key"),
        ("title = 'x'\n", "unknown top-level"),
        ("[[rule\n", "not valid TOML"),
    ],
)
def test_a_bad_rules_file_is_refused_naming_the_rule(tmp_path: Path, text: str, says: str) -> None:
    path = tmp_path / "retention.toml"
    path.write_text(text)
    with pytest.raises(ProtectionError, match=says):
        load_retention_rules(path)


def test_a_legal_hold_survives_export_and_load(memory_app: JourneysApp) -> None:
    import json

    from journeys import export_lines, load_lines
    from journeys.loading.jsonl import read_lines

    _born(memory_app, "C009", "2014-01-19")
    legal_hold(memory_app, "825", "C009", reason="inquiry", recorded_by="dpo")
    lines = [json.dumps(line) for line in export_lines(memory_app)]
    copy = JourneysApp(":memory:")
    try:
        load_lines(copy, read_lines(lines, None), recorded_by="loader", source_name="export.jsonl")
        assert [e.hash for e in copy.entries("825", "C009")] == [e.hash for e in memory_app.entries("825", "C009")]
        assert _of(copy, "C009", "2090-01-01").status == "held"
    finally:
        copy.close()
