"""`journeys export` then `journeys load` restores a store exactly: every event with its recording
time, user, source and hash, so the same history, the same answers as known at any time, the same
checkpoint. A changed line is refused as tampered; a line that does not fit its child is refused."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from freezegun import freeze_time

from tests.helpers import Cli, postgres_schema_url, recorded_store

# The instants the original store is asked about: before anything, between each recording, after all.
INSTANTS = ("2024-12-31", "2025-01-06T09:00:00", "2025-02-03T12:00:00", "2025-03-03T10:00:00", "2025-04-01")


def _export(store: str, path: Path, *args: str) -> Path:
    result = Cli(store)("export", "--out", str(path), *args)
    assert result.exit_code == 0, result.stdout
    return path


def _answers(store: str, children: list[tuple[str, str]]) -> dict[str, str]:
    """Every answer about every child that a restore must keep: its history now and as known at
    each instant, and where it stands as known at each instant, as the CLI prints them."""
    run = Cli(store)
    found: dict[str, str] = {}
    for la, child in children:
        found[f"{la}/{child} history"] = run("history", child, "--la", la, "--json").stdout
        for instant in INSTANTS:
            found[f"{la}/{child} history {instant}"] = run(
                "history", child, "--la", la, "--json", "--known-at", instant
            ).stdout
            found[f"{la}/{child} show {instant}"] = run(
                "show", child, "--la", la, "--json", "--known-at", instant, "--as-at", "2024-12-31"
            ).stdout
    return found


def _root(store: str, key: Path) -> str:
    out = key.parent / f"checkpoint-{abs(hash(store))}.json"
    result = Cli(store)("checkpoint", "--out", str(out), "--key", str(key), "--json")
    assert result.exit_code == 0, result.stdout
    return str(json.loads(result.stdout)["root"])


@pytest.fixture
def key(tmp_path: Path) -> Path:
    path = tmp_path / "key.pem"
    assert Cli(str(tmp_path / "k.db"))("checkpoint", "keygen", "--out", str(path)).exit_code == 0
    return path


@pytest.fixture
def other_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A second, empty store of the backend the test names (``postgres`` or ``sqlite``)."""
    if getattr(request, "param", "sqlite") == "postgres":
        yield from postgres_schema_url()
    else:
        yield str(tmp_path / "restored.db")


def _assert_restored(original: str, restored: str, children: list[tuple[str, str]], key: Path) -> None:
    before = _answers(original, children)
    assert _answers(restored, children) == before
    assert any('"superseded": true' in answer for answer in before.values())
    assert Cli(restored)("verify").exit_code == 0
    assert _root(restored, key) == _root(original, key)


def test_a_store_loaded_from_its_export_answers_everything_as_the_original(
    store: str, tmp_path: Path, key: Path
) -> None:
    children = recorded_store(store, tmp_path)
    exported = _export(store, tmp_path / "export.jsonl")
    restored = str(tmp_path / "restored.db")
    with freeze_time("2026-06-01"):  # a load long after: the recorded times are the export's
        result = Cli(restored)("load", str(exported), user="restorer")
    lines = exported.read_text().splitlines()
    assert result.exit_code == 0, result.stdout
    assert result.stdout.strip() == f"loaded {len(lines)}, skipped 0 already present, rejected 0"
    _assert_restored(store, restored, children, key)
    assert _export(restored, tmp_path / "again.jsonl").read_bytes() == exported.read_bytes()


@pytest.mark.parametrize("other_store", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
def test_a_sqlite_store_moves_to_postgres_and_back_exactly(tmp_path: Path, key: Path, other_store: str) -> None:
    original = str(tmp_path / "original.db")
    children = recorded_store(original, tmp_path)
    exported = _export(original, tmp_path / "export.jsonl")
    assert Cli(other_store)("load", str(exported), "--workers", "2").exit_code == 0  # by child partition
    _assert_restored(original, other_store, children, key)
    back = str(tmp_path / "back.db")
    assert Cli(back)("load", str(_export(other_store, tmp_path / "from-other.jsonl"))).exit_code == 0
    # the same lines; the children in the order the parallel load opened them
    assert sorted(_export(back, tmp_path / "back.jsonl").read_text().splitlines()) == sorted(
        exported.read_text().splitlines()
    )


def test_loading_an_export_twice_loads_it_once_and_keeps_the_children_already_there(
    store: str, tmp_path: Path, key: Path
) -> None:
    original = str(tmp_path / "original.db")
    children = recorded_store(original, tmp_path)
    exported = _export(original, tmp_path / "export.jsonl")
    run = Cli(store)
    with freeze_time("2025-05-05 10:00:00"):
        assert run("record", "entered-care", "OWN1", "--on", "2015-01-01").exit_code == 0
    own = run("history", "OWN1", "--json").stdout
    lines = len(exported.read_text().splitlines())
    assert run("load", str(exported)).stdout.strip() == f"loaded {lines}, skipped 0 already present, rejected 0"
    assert run("load", str(exported)).stdout.strip() == f"loaded 0, skipped {lines} already present, rejected 0"
    assert run("history", "OWN1", "--json").stdout == own
    assert _answers(store, children) == _answers(original, children)
    assert run("verify").exit_code == 0


def _edited(exported: Path, out: Path, change: object) -> Path:
    lines = [json.loads(line) for line in exported.read_text().splitlines()]
    out.write_text("".join(json.dumps(line) + "\n" for line in change(lines)))  # type: ignore[operator]
    return out


def test_a_changed_line_is_refused_as_tampered_and_the_rest_of_its_child_with_it(tmp_path: Path) -> None:
    original = str(tmp_path / "original.db")
    recorded_store(original, tmp_path)
    exported = _export(original, tmp_path / "export.jsonl")

    def move_the_match(lines: list[dict[str, object]]) -> list[dict[str, object]]:
        for line in lines:
            if line["child"] == "X1" and line["event"] == "match":
                line["on"] = "2014-09-02"
        return lines

    run = Cli(str(tmp_path / "restored.db"))
    result = run("load", "--json", str(_edited(exported, tmp_path / "t.jsonl", move_the_match)))
    rejects = json.loads(result.stdout)["rejects"]
    assert result.exit_code == 2
    assert "event 5 of child X1 does not seal to the hash it was recorded with" in rejects[0]["reason"]
    assert 'remove its "recorded" member' in rejects[0]["reason"]
    assert all("event" in r["reason"] and "child X1" in r["reason"] for r in rejects)
    assert ["does not fit" in r["reason"] for r in rejects[1:]] == [True] * (len(rejects) - 1)
    assert json.loads(run("history", "X1", "--json").stdout)["events"][-1]["seq"] == 4  # kept up to the change
    assert run("verify").exit_code == 0
    assert json.loads(run("history", "X2", "--la", "825", "--json").stdout)["events"]  # other children load


@pytest.mark.parametrize(
    "field, value", [("at", "2025-02-03T11:15:00.000001Z"), ("by", "someone-else"), ("source", "edited"), ("seq", 9)]
)
def test_a_changed_recording_is_refused(tmp_path: Path, field: str, value: object) -> None:
    original = str(tmp_path / "original.db")
    recorded_store(original, tmp_path)
    exported = _export(original, tmp_path / "export.jsonl")

    def change(lines: list[dict[str, object]]) -> list[dict[str, object]]:
        for line in lines:
            if line["child"] == "X2" and line["event"] == "adoption-decision":
                line["recorded"][field] = value  # type: ignore[index]
        return lines

    result = Cli(str(tmp_path / "r.db"))("load", "--json", str(_edited(exported, tmp_path / "t.jsonl", change)))
    reason = json.loads(result.stdout)["rejects"][0]["reason"]
    assert ("does not fit" if field == "seq" else "does not seal to the hash") in reason
    assert "child X2" in reason


def test_a_child_already_holding_other_events_refuses_the_export_of_it(tmp_path: Path) -> None:
    original = str(tmp_path / "original.db")
    recorded_store(original, tmp_path)
    exported = _export(original, tmp_path / "export.jsonl")
    run = Cli(str(tmp_path / "other.db"))
    assert run("record", "entered-care", "X2", "--on", "2015-02-01").exit_code == 0
    before = run("history", "X2", "--json").stdout
    result = run("load", "--json", str(exported))
    reasons = [r["reason"] for r in json.loads(result.stdout)["rejects"]]
    assert result.exit_code == 2
    assert "event 1 of child X2 (id 'opened:825:X2') is stored here as event 1 with another hash" in reasons[0]
    assert all("child X2" in reason for reason in reasons)
    assert run("history", "X2", "--json").stdout == before
    assert json.loads(run("history", "X1", "--json").stdout)["events"][-1]["event"] == "action-done"


def test_a_plain_export_holds_the_decisions_alone_and_loads_as_new_events(tmp_path: Path) -> None:
    original = str(tmp_path / "original.db")
    children = recorded_store(original, tmp_path)
    plain = _export(original, tmp_path / "plain.jsonl", "--plain")
    lines = [json.loads(line) for line in plain.read_text().splitlines()]
    assert lines and all("recorded" not in line and line["event"] != "opened" for line in lines)
    copy = str(tmp_path / "copy.db")
    assert Cli(copy)("load", str(plain)).exit_code == 0
    for la, child in children:
        show = ("show", child, "--la", la, "--json", "--as-at", "2024-12-31")
        assert _as_recorded_anew(Cli(copy)(*show).stdout) == _as_recorded_anew(Cli(original)(*show).stdout)
    assert _export(copy, tmp_path / "plain-again.jsonl", "--plain").read_bytes() == plain.read_bytes()


def _as_recorded_anew(shown: str) -> dict[str, object]:
    """``show --json`` without when and by whom each open action was recorded: a plain export's
    lines are recorded anew, by the loading user, now."""
    data = json.loads(shown)
    for action in data["actions"]:
        del action["recorded_at"], action["recorded_by"]
    return data  # type: ignore[no-any-return]


def test_a_correction_of_a_field_named_reason_is_written_in_a_fields_member(tmp_path: Path) -> None:
    store = str(tmp_path / "s.db")
    recorded_store(store, tmp_path)
    lines = [json.loads(line) for line in _export(store, tmp_path / "e.jsonl").read_text().splitlines()]
    corrections = [line for line in lines if line["event"] == "correct"]
    nested = [line for line in corrections if "fields" in line]
    assert [(n["child"], n["reason"], n["fields"]["reason"]) for n in nested] == [("X3", "needs changed", "RD1")]
    assert all("fields" not in line for line in corrections if line["child"] == "X1")  # no clash: as before


@pytest.mark.parametrize(
    ("fields", "beside"),
    [("RD1", {}), ({"reason": "RD1"}, {"decided_by": "court"})],
    ids=["not an object", "a field beside it"],
)
def test_a_fields_member_holds_every_corrected_field_or_the_line_is_refused(
    run: Cli, tmp_path: Path, fields: object, beside: dict[str, str]
) -> None:
    lines = [
        {"la": "825", "child": "P1", "event": "entered-care", "on": "2015-03-01"},
        {"la": "825", "child": "P1", "event": "adoption-decision", "on": "2015-06-01"},
        {"la": "825", "child": "P1", "event": "plan-change", "on": "2015-09-01", "to": "reunification", "id": "p",
         "reason": "RD4", "decided_by": "agency"},
        {"la": "825", "child": "P1", "event": "correct", "corrects": "p", "on": "2015-09-01", "reason": "typo",
         "fields": fields, **beside},
    ]  # fmt: skip
    path = tmp_path / "nested.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    result = run("load", "--json", str(path))
    assert result.exit_code == 2, result.stdout
    assert (
        "a correction's 'fields' is an object holding every corrected field"
        in json.loads(result.stdout)["rejects"][0]["reason"]
    )


def test_an_opened_line_without_its_recording_is_refused(run: Cli, tmp_path: Path) -> None:
    path = tmp_path / "opened.jsonl"
    path.write_text('{"la": "825", "child": "O1", "event": "opened"}\n')
    result = run("load", "--json", str(path))
    assert result.exit_code == 2
    assert "needs the 'recorded' member" in json.loads(result.stdout)["rejects"][0]["reason"]


def test_history_known_at_keeps_the_events_recorded_by_then_marked_as_they_stood(tmp_path: Path) -> None:
    store = str(tmp_path / "s.db")
    recorded_store(store, tmp_path)
    run = Cli(store)
    then = json.loads(run("history", "X1", "--json", "--known-at", "2025-02-03T12:00:00").stdout)["events"]
    now = json.loads(run("history", "X1", "--json").stdout)["events"]
    assert [e["seq"] for e in then] == [1, 2, 3, 4, 5]
    assert [e["superseded"] for e in then] == [False] * 5
    assert [e["superseded"] for e in now[:5]] == [False, False, False, True, True]
    assert json.loads(run("history", "X1", "--json", "--known-at", "2025-02-03T11:00:00").stdout)["events"] == []
