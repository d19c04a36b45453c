"""One corrupt stored event (its JSON overwritten by raw SQL, as a damaged disk or a careless
edit would leave it): reports and a rebuild go on without that child and warn, naming only the
child and the event; `verify` reports it."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from journeys.domain.identity import journey_id
from tests.cli.processes import Done, generated, loaded, run

CORRUPT_VERSION = 3


def _adopted_child(path: Path) -> str:
    """A child of the file with an adoption order (so that the scorecard counts it)."""
    for line in path.read_text().splitlines():
        data = json.loads(line)
        if data["event"] == "adoption-order":
            return str(data["child"])
    raise AssertionError("the generated file holds no adoption")


def _corrupt(store: str, child: str) -> None:
    """Overwrite one stored event's JSON of ``child`` with bytes that are not JSON."""
    stream = journey_id("825", child)
    if store.startswith("postgresql"):
        import psycopg

        url, _, schema = store.partition("?schema=")
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(
                f'UPDATE "{schema}".journeys_events SET state = %s '
                "WHERE originator_id = %s AND originator_version = %s",
                [b"{not json", stream, CORRUPT_VERSION],
            )
        return
    with sqlite3.connect(store) as conn:
        changed = conn.execute(
            "UPDATE stored_events SET state = ? WHERE originator_id = ? AND originator_version = ?",
            [b"{not json", stream.hex, CORRUPT_VERSION],
        ).rowcount
    assert changed == 1


def _warned(done: Done, child: str) -> None:
    assert done.code == 0, done.err
    assert "Traceback" not in done.err
    warnings = [line for line in done.err.splitlines() if line.startswith("Warning:")]
    assert len(warnings) == 1, done.err
    assert repr(child) in warnings[0] and f"event {CORRUPT_VERSION}" in warnings[0]
    assert "not json" not in done.err  # nothing of the stored content


def test_one_corrupt_event_leaves_reports_and_rebuild_answering_without_that_child(store: str, tmp_path: Path) -> None:
    path = generated(tmp_path, 150)
    child = _adopted_child(path)
    without = tmp_path / "without.jsonl"
    without.write_text(
        "".join(line + "\n" for line in path.read_text().splitlines() if json.loads(line)["child"] != child)
    )
    other = str(tmp_path / "without.db")
    loaded(other, without)
    loaded(store, path)
    _corrupt(store, child)  # before any report: the first catch-up meets it

    card = run(store, "scorecard", "--period", "2012-15", "--json")
    _warned(card, child)
    assert card.out == run(other, "scorecard", "--period", "2012-15", "--json").out
    rebuilt = run(store, "projections", "rebuild", "--json")
    _warned(rebuilt, child)
    assert json.loads(rebuilt.out)["position"] == json.loads(run(store, "projections", "status", "--json").out)["head"]
    changes = run(store, "plan-changes", "--json")
    _warned(changes, child)  # the read model remembers the child it left out
    assert changes.out == run(other, "plan-changes", "--json").out
    assert run(store, "scorecard", "--period", "2012-15", "--json").out == card.out
    verified = run(store, "verify", "--json")
    assert verified.code != 0 or not json.loads(verified.out)["ok"]
    assert child in verified.out
