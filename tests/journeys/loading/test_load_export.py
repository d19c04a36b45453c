"""`journeys load` is idempotent, rejects bad lines one by one, and round-trips with export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from journeys import JourneysApp, application
from journeys.loading import load_lines
from journeys.loading.jsonl import read_lines
from tests.helpers import FIXTURES, Cli

EXAMPLES = sorted((FIXTURES / "examples").glob("*.jsonl"))


def test_loading_the_same_files_twice_appends_nothing_the_second_time(run: Cli) -> None:
    first = run("load", *map(str, EXAMPLES))
    second = run("load", *map(str, EXAMPLES))
    lines = sum(1 for path in EXAMPLES for line in path.read_text().splitlines() if line.strip())
    assert first.exit_code == 0, first.output
    assert first.output.strip() == f"loaded {lines}, skipped 0 already present, rejected 0"
    assert second.output.strip() == f"loaded 0, skipped {lines} already present, rejected 0"


def test_lines_without_ids_are_identified_by_their_content(run: Cli, tmp_path: Path) -> None:
    path = tmp_path / "no-ids.jsonl"
    path.write_text(
        '{"child": "N1", "event": "entered-care", "on": "2015-01-05"}\n'
        '{"child": "N1", "event": "adoption-decision", "on": "2015-04-01"}\n'
    )
    assert "loaded 2," in run("load", str(path)).output
    assert "loaded 0, skipped 2" in run("load", str(path)).output


def test_bad_lines_are_rejected_with_file_line_and_reason_and_good_lines_still_load(run: Cli, tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        "\n".join(
            [
                '{"la": "825", "child": "M1", "event": "entered-care", "on": "2015-01-05"}',
                '{"la": "825", "child": "M1", "event": "adoption-decision", "on": "2015-02-30"}',
                "not json",
                '{"la": "825", "child": "M1", "event": "placement-order", "on": "2014-12-01"}',
                '{"la": "825", "child": "M1", "event": "teleported", "on": "2015-03-01"}',
                '{"la": "825", "child": "M1", "event": "adoption-decision", "on": "2015-03-01"}',
            ]
        )
        + "\n"
    )
    result = run("load", str(path))
    assert result.exit_code == 2
    assert "loaded 2, skipped 0 already present, rejected 4" in result.output
    assert f"{path}:2: rejected: on '2015-02-30' is not a real calendar date" in result.output
    assert f"{path}:3: rejected: not valid JSON" in result.output
    assert f"{path}:4: rejected: placement order on 2014-12-01 is before the adoption decision" not in result.output
    assert f"{path}:5: rejected: unknown event 'teleported'" in result.output


def test_a_line_rejected_by_a_rule_names_the_rule(run: Cli, tmp_path: Path) -> None:
    path = tmp_path / "rule.jsonl"
    path.write_text(
        '{"la": "825", "child": "R1", "event": "entered-care", "on": "2015-01-05"}\n'
        '{"la": "825", "child": "R1", "event": "adoption-decision", "on": "2015-03-01"}\n'
        '{"la": "825", "child": "R1", "event": "match", "on": "2015-02-01"}\n'
    )
    result = run("load", "--json", str(path))
    data = json.loads(result.output)
    assert result.exit_code == 2
    assert data["rejects"] == [{"file": str(path), "line": 3, "reason": data["rejects"][0]["reason"]}]
    assert "rule 333" in data["rejects"][0]["reason"]


def test_export_round_trips_through_load(run: Cli, tmp_path: Path) -> None:
    run("load", *map(str, EXAMPLES))
    run("correct", "E001", "6", "--on", "2013-08-30", "--reason", "sealed order dated the 30th")
    exported = tmp_path / "export.jsonl"
    assert run("export", "--out", str(exported)).exit_code == 0

    copy = Cli(str(tmp_path / "copy.db"))
    assert copy("load", str(exported)).exit_code == 0
    for la, child in (("825", "E001"), ("825", "E002"), ("928", "E003"), ("825", "E004")):
        original = json.loads(run("show", child, "--la", la, "--json").output)
        restored = json.loads(copy("show", child, "--la", la, "--json").output)
        assert restored == original
    assert copy("export").output == run("export").output


def test_streams_read_in_groups_give_every_child_once_in_opening_order(
    sqlite_app: JourneysApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    for path in EXAMPLES:
        load_lines(sqlite_app, read_lines(path.read_text().splitlines(), None), recorded_by="t", source_name=path.name)
    whole = [(la, child, sqlite_app.entries(la, child)) for la, child, _ in sqlite_app.streams()]
    monkeypatch.setattr(application, "STREAMS_READ_TOGETHER", 3)
    assert list(sqlite_app.streams()) == whole
    assert [child for _, child, _ in whole] == ["E001", "E002", "E003", "E004"]
