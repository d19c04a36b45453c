"""A pseudonymised extract names no child, no day of birth, no adopters and holds no free text,
and loads into another store to the same scorecard and cohort figures."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import projections
from journeys import OUTCOMES, JourneysApp
from journeys.domain.errors import ProtectionError
from journeys.loading import load_lines
from journeys.loading.extract import WITHHELD, extract_lines, pseudonym, read_extract_key, write_extract
from journeys.loading.jsonl import read_lines
from tests.helpers import away, load_generated, record

KEY = b"k" * 32
OTHER_KEY = b"o" * 32
FREE_TEXT = ["the carers' dog bit him", "went to live with Aunt Mavis", "keyed on the wrong form", "call Ms Grey"]
UK_POSTCODE = re.compile(rb"[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}")


@pytest.fixture
def source(memory_app: JourneysApp) -> JourneysApp:
    """Generated journeys in two LAs (late keying, corrections), and one child with every kind
    of free text and reference an extract must not carry."""
    app = load_generated(memory_app, 240, 11, las=2, batch_size=500)
    details = record(
        app, "FREE-1", "child-details", "2013-05-17", date_of_birth="2013-05-16", sibling_group="GRP-FREE-1"
    )
    record(app, "FREE-1", "entered-care", "2014-02-03", legal_status="C2")
    record(app, "FREE-1", "adoption-decision", "2014-06-09")
    record(app, "FREE-1", "placement-order", "2014-09-22")
    record(app, "FREE-1", "match", "2015-01-12", adopters="ADP-825-777")
    placed = record(app, "FREE-1", "placed", "2015-02-02")
    record(app, "FREE-1", "disruption", "2015-04-20", reason=FREE_TEXT[0])
    away(app, "FREE-1", "2015-06-01", outcome=FREE_TEXT[1])
    app.correct("825", "FREE-1", placed.seq, on=date(2015, 2, 3), fields={}, reason=FREE_TEXT[2], recorded_by="tester")
    fixed = {"date_of_birth": date(2013, 5, 17), "sibling_group": "GRP-FREE-1"}
    app.correct("825", "FREE-1", details.seq, on=date(2013, 5, 17), fields=fixed, reason=FREE_TEXT[2], recorded_by="t")
    review = record(app, "FREE-1", "review", "2014-12-01", review_type="adoption")
    app.retract("825", "FREE-1", review.seq, reason=FREE_TEXT[2], recorded_by="tester")
    app.add_action("825", "FREE-1", text=FREE_TEXT[3], owner="jgrey", due=date(2015, 7, 1), recorded_by="tester")
    return app


def lines_of(app: JourneysApp, key: bytes = KEY, **options: Any) -> list[dict[str, Any]]:
    return list(extract_lines(app, key, **options))


def loaded(lines: list[dict[str, Any]]) -> JourneysApp:
    app = JourneysApp(":memory:")
    parsed = read_lines([json.dumps(line) for line in lines], None)
    report = load_lines(app, parsed, recorded_by="pool", source_name="pooled.jsonl")
    assert not report.rejected, list(report.rejected)[:3]
    return app


def test_the_extract_holds_no_reference_day_of_birth_postcode_or_free_text(source: JourneysApp, tmp_path: Path) -> None:
    out = tmp_path / "pooled.jsonl"
    count = write_extract(source, KEY, out)
    data = out.read_bytes()
    lines = [json.loads(line) for line in data.splitlines()]
    assert count == len(lines) > 1000
    streams = list(source.streams())
    for _la, child, entries in streams:
        assert child.encode() not in data
        for entry in entries:
            assert entry.event_id.encode() not in data
    # every day of birth that is not a first of the month, and not some decision's own date, is nowhere
    kept_dates = {line.get("on") for line in lines} | {line.get("carers_since") for line in lines}
    births = {
        entry.fields["date_of_birth"].isoformat()
        for _, _, entries in streams
        for entry in entries
        if entry.kind == "child-details" and entry.fields.get("date_of_birth")
    }
    hidden = {day for day in births if not day.endswith("-01")} - kept_dates
    assert len(hidden) > 100
    assert [day for day in hidden if day.encode() in data] == []
    assert all(line["date_of_birth"].endswith("-01") for line in lines if "date_of_birth" in line)
    alias = pseudonym(KEY, "child", "825", "FREE-1")
    own = b"".join(line for line in data.splitlines() if alias.encode() in line)
    assert b"2013-05-01" in own and b"2013-05-16" not in own and b"2013-05-17" not in own  # corrected, too
    for text in [*FREE_TEXT, "ADP-825-777", "GRP-FREE-1", "jgrey", "placement ended before the adoption order"]:
        assert text.encode() not in data
    assert UK_POSTCODE.search(data) is None
    assert {line["reason"] for line in lines if line["event"] in ("correct", "retract")} == {WITHHELD}
    assert not {"action", "legal-hold"} & {line["event"] for line in lines}


def test_pseudonyms_are_stable_under_one_key_and_unrelated_under_another(source: JourneysApp) -> None:
    first, again, other = lines_of(source), lines_of(source), lines_of(source, OTHER_KEY)
    assert first == again
    assert len(first) == len(other)
    children = {line["child"] for line in first}
    assert len(children) == len({(la, child) for la, child, _ in source.streams()})
    assert children.isdisjoint({line["child"] for line in other})
    adopters = {line["adopters"] for line in first if line.get("adopters")}
    assert adopters and adopters.isdisjoint({line["adopters"] for line in other if line.get("adopters")})
    # the same adopters keep one pseudonym across the children they were matched with
    source_adopters = {e.fields["adopters"] for _, _, es in source.streams() for e in es if e.fields.get("adopters")}
    assert len(adopters) == len(source_adopters)


def test_the_extract_loads_to_the_same_scorecard_and_cohort_figures(source: JourneysApp) -> None:
    pooled = loaded(lines_of(source))
    for las in (["825", "928"], []):
        card = {"period": "2012-15", "las": las}
        assert projections.scorecard(pooled, **card) == projections.scorecard(source, **card)
        cohort = {"census": date(2016, 9, 30), "las": las, "outcomes": True}
        assert projections.cohort(pooled, **cohort) == projections.cohort(source, **cohort)
        assert projections.counts(pooled, by="year", las=las) == projections.counts(source, by="year", las=las)
        window = {"period": "2012-15", "las": las}
        assert projections.stages(pooled, **window) == projections.stages(source, **window)


def test_what_reads_the_day_of_birth_sees_the_first_of_its_month(source: JourneysApp) -> None:
    pooled = loaded(lines_of(source, las=["825"]))
    alias = pseudonym(KEY, "child", "825", "FREE-1")
    assert source.show("825", "FREE-1").state.date_of_birth == date(2013, 5, 17)
    there = pooled.show("825", alias).state
    assert there.date_of_birth == date(2013, 5, 1)
    assert there.sibling_group == pseudonym(KEY, "sibling", "825", "GRP-FREE-1")
    assert [la for la, _, _ in pooled.streams()] == ["825"] * len(list(pooled.streams()))


def test_known_at_extracts_what_was_recorded_by_then(memory_app: JourneysApp) -> None:
    first = record(memory_app, "K1", "entered-care", "2015-01-05")
    record(memory_app, "K1", "adoption-decision", "2015-04-01")
    then = lines_of(memory_app, known_at=first.recorded_at)
    assert [line["event"] for line in then] == ["entered-care"]


def test_a_missing_or_short_key_is_refused_with_how_to_make_one(tmp_path: Path) -> None:
    short = tmp_path / "short.key"
    short.write_bytes(b"0123456789abcdef\n")
    for path in (tmp_path / "none.key", short):
        with pytest.raises(ProtectionError) as refused:
            read_extract_key(path)
        assert "openssl rand -hex 32" in refused.value.full_message()
    made = tmp_path / "good.key"
    made.write_text("ab" * 32 + "\n")
    assert read_extract_key(made) == b"ab" * 32


def test_a_free_text_plan_change_outcome_is_counted_unrecorded_and_the_codes_stay(source: JourneysApp) -> None:
    pooled = loaded(lines_of(source))
    there = projections.plan_change_report(pooled, la="825", everything=True).by_outcome()
    here = projections.plan_change_report(source, la="825", everything=True).by_outcome()
    assert here[FREE_TEXT[1]] == 1
    expected = {key: n for key, n in here.items() if key == "unrecorded" or key in OUTCOMES}
    expected["unrecorded"] = expected.get("unrecorded", 0) + sum(
        n for key, n in here.items() if key != "unrecorded" and key not in OUTCOMES
    )
    assert {key: n for key, n in there.items() if n} == {key: n for key, n in expected.items() if n}
