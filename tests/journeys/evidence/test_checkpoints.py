"""Checkpoints: what one pins of a store, the file it is written to, and a store checked
against one or two of them (on SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from freezegun import freeze_time

from journeys import (
    CheckpointError,
    JourneysApp,
    generate_key,
    load_signing_key,
    make_checkpoint,
    read_checkpoint,
    save_checkpoint,
    verify_against,
)
from journeys.domain.merkle import merkle_root
from journeys.evidence.document import checkpoint_text, signed_bytes
from journeys.evidence.keys import public_hex, sign
from tests.helpers import load_generated, record
from tests.mutations import mutate, rechained, table_of


@pytest.fixture
def key(tmp_path: Path) -> Ed25519PrivateKey:
    generate_key(tmp_path / "key.pem")
    return load_signing_key(tmp_path / "key.pem")


def _two_children(app: JourneysApp) -> None:
    for child in ("C1", "C2"):
        record(app, child, "entered-care", "2014-06-02")
        record(app, child, "adoption-decision", "2014-11-20")


def test_a_checkpoint_pins_every_journey_s_version_and_latest_hash(app: JourneysApp, key: Ed25519PrivateKey) -> None:
    load_generated(app, 25, 5, las=3, batch_size=30)

    made = make_checkpoint(app, key)

    expected = sorted((la, child, len(entries), entries[-1].hash) for la, child, entries in app.streams())
    assert [tuple(leaf) for leaf in made.leaves] == expected
    assert (made.streams, made.events) == (len(expected), app.head())
    assert made.root == merkle_root(made.leaves)
    assert made.public_key == public_hex(key)
    assert made.known_at is None


def test_the_time_of_a_checkpoint_is_the_recording_clock_s_in_utc(
    memory_app: JourneysApp, key: Ed25519PrivateKey
) -> None:
    _two_children(memory_app)
    with freeze_time("2016-03-31 16:05:00.25"):
        made = make_checkpoint(memory_app, key)
    assert made.created_at == "2016-03-31T16:05:00.250000Z"


def test_a_checkpoint_known_at_a_time_pins_what_was_recorded_by_then(
    memory_app: JourneysApp, key: Ed25519PrivateKey
) -> None:
    with freeze_time("2016-01-10"):
        _two_children(memory_app)
    with freeze_time("2016-02-10"):
        record(memory_app, "C1", "placement-order", "2015-02-10")
        record(memory_app, "C3", "entered-care", "2016-01-02")

    made = make_checkpoint(memory_app, key, known_at=datetime(2016, 1, 31, tzinfo=UTC))

    assert [(leaf.child, leaf.version) for leaf in made.leaves] == [("C1", 3), ("C2", 3)]
    assert made.leaves[0].head == memory_app.entries("825", "C1")[2].hash
    assert made.known_at == "2016-01-31T00:00:00.000000Z"


def test_the_file_holds_the_checkpoint_whole_and_signed(
    tmp_path: Path, app: JourneysApp, key: Ed25519PrivateKey
) -> None:
    _two_children(app)
    path = tmp_path / "march.json"

    made = save_checkpoint(app, key, path)

    assert read_checkpoint(path) == made
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "journeys-checkpoint/1"
    assert data["leaves"] == [list(leaf) for leaf in made.leaves]
    assert path.stat().st_mode & 0o777 == 0o600


def test_an_existing_file_is_never_overwritten(tmp_path: Path, sqlite_app: JourneysApp, key: Ed25519PrivateKey) -> None:
    _two_children(sqlite_app)
    path = tmp_path / "taken.json"
    path.write_text("kept", encoding="utf-8")
    with pytest.raises(CheckpointError, match="already exists: a checkpoint is never overwritten"):
        save_checkpoint(sqlite_app, key, path)
    assert path.read_text(encoding="utf-8") == "kept"


def test_a_store_that_does_not_verify_is_not_checkpointed(tmp_path: Path, key: Ed25519PrivateKey) -> None:
    store = str(tmp_path / "journeys.db")
    app = JourneysApp(store)
    _two_children(app)
    table = table_of(store)
    mutate(table, random.Random(3), "edit")
    table.close()
    with pytest.raises(CheckpointError, match="the store does not verify"):
        save_checkpoint(app, key, tmp_path / "never.json")
    app.close()
    assert not (tmp_path / "never.json").exists()


def _altered(path: Path, change: str, by: str) -> Path:
    text = path.read_text(encoding="utf-8")
    assert change in text
    altered = path.with_name("altered.json")
    altered.write_text(text.replace(change, by, 1), encoding="utf-8")
    return altered


@pytest.mark.parametrize(
    ("change", "by", "message"),
    [
        ('"streams": 2', '"streams": 3', "its signature does not match its header"),
        ('"known_at": null', '"known_at": "2016-01-01T00:00:00.000000Z"', "its signature does not match its header"),
        ('"C2", 3', '"C2", 2', "its journeys do not hash to its root"),
        ("[\n    [", "[\n  [", None),  # white space is not content
    ],
)
def test_a_checkpoint_altered_after_it_was_signed_is_refused(
    tmp_path: Path, sqlite_app: JourneysApp, key: Ed25519PrivateKey, change: str, by: str, message: str | None
) -> None:
    _two_children(sqlite_app)
    save_checkpoint(sqlite_app, key, tmp_path / "c.json")
    altered = _altered(tmp_path / "c.json", change, by)
    if message is None:
        assert verify_against(sqlite_app, [altered]).ok
    else:
        with pytest.raises(CheckpointError, match=message):
            verify_against(sqlite_app, [altered])


def test_a_checkpoint_re_signed_by_another_key_is_refused_when_the_key_is_named(
    tmp_path: Path, sqlite_app: JourneysApp, key: Ed25519PrivateKey
) -> None:
    _two_children(sqlite_app)
    other = Ed25519PrivateKey.generate()
    path = tmp_path / "other.json"
    save_checkpoint(sqlite_app, other, path)
    with pytest.raises(CheckpointError, match=r"is signed by the key .*, not by the expected key"):
        verify_against(sqlite_app, [path], public_key=public_hex(key))
    assert verify_against(sqlite_app, [path], public_key=public_hex(other)).ok


def test_a_file_that_is_not_a_checkpoint_says_what_it_is(tmp_path: Path, sqlite_app: JourneysApp) -> None:
    _two_children(sqlite_app)
    cases = {
        "truncated.json": ('{"format": "journeys-checkpoint/1",', "is not JSON"),
        "list.json": ("[1, 2]", "it is not a JSON object"),
        "other.json": ('{"format": "something-else/2"}', "its format is 'something-else/2'"),
        "binary.json": (b"\xff\xfe".decode("latin-1"), "is not JSON"),
    }
    for name, (text, message) in cases.items():
        (tmp_path / name).write_text(text, encoding="latin-1" if name == "binary.json" else "utf-8")
        with pytest.raises(CheckpointError, match=message):
            verify_against(sqlite_app, [tmp_path / name])


def test_counts_that_do_not_add_up_are_refused_even_signed(
    tmp_path: Path, sqlite_app: JourneysApp, key: Ed25519PrivateKey
) -> None:
    _two_children(sqlite_app)
    made = make_checkpoint(sqlite_app, key)
    header = {**made.header(), "events": made.events + 1}
    wrong = replace(made, events=made.events + 1, signature=sign(key, signed_bytes(header)))
    (tmp_path / "wrong.json").write_text(checkpoint_text(wrong), encoding="utf-8")
    with pytest.raises(CheckpointError, match="does not add up"):
        verify_against(sqlite_app, [tmp_path / "wrong.json"])


def test_a_checkpoint_of_another_store_is_refused(tmp_path: Path, key: Ed25519PrivateKey) -> None:
    # The same children recorded in two stores: the same stream ids, other recording times
    # and so other hashes. A store is known by its events, not by a name it gives itself.
    with freeze_time("2016-01-10"):
        first = JourneysApp(str(tmp_path / "first.db"))
        _two_children(first)
    with freeze_time("2016-01-11"):
        second = JourneysApp(str(tmp_path / "second.db"))
        _two_children(second)
    save_checkpoint(first, key, tmp_path / "first.json")
    with pytest.raises(CheckpointError, match="is not of this store: none of its 2 journeys is in it"):
        verify_against(second, [tmp_path / "first.json"])
    assert verify_against(first, [tmp_path / "first.json"]).ok
    first.close()
    second.close()


def test_a_later_checkpoint_extends_an_earlier_one(tmp_path: Path, app: JourneysApp, key: Ed25519PrivateKey) -> None:
    _two_children(app)
    save_checkpoint(app, key, tmp_path / "old.json")
    record(app, "C1", "placement-order", "2015-02-10")
    record(app, "C9", "entered-care", "2015-03-01")
    save_checkpoint(app, key, tmp_path / "new.json")

    report = verify_against(app, [tmp_path / "old.json", tmp_path / "new.json"])

    assert report.ok
    assert [c.checkpoint.streams for c in report.checked] == [2, 3]
    with pytest.raises(CheckpointError, match=r"old.json.* is older than .*new.json.*, which is given before it"):
        verify_against(app, [tmp_path / "new.json", tmp_path / "old.json"])


def test_a_history_rewritten_between_two_checkpoints_is_named(tmp_path: Path, key: Ed25519PrivateKey) -> None:
    # The last event of C2 deleted after the first checkpoint, another recorded in its place:
    # the store's chains hold and the second checkpoint is made of the rewritten store, but it
    # does not extend the first.
    store = str(tmp_path / "journeys.db")
    app = JourneysApp(store)
    _two_children(app)
    save_checkpoint(app, key, tmp_path / "old.json")
    table = table_of(store)
    stream = next(s for s in table.streams() if table.rows(s)[0][3]["child"] == "C2")
    table.put(stream, table.rows(stream)[:-1])
    table.close()
    record(app, "C2", "adoption-decision", "2014-11-21")
    save_checkpoint(app, key, tmp_path / "new.json")

    report = verify_against(app, [tmp_path / "old.json", tmp_path / "new.json"])
    app.close()

    assert report.verified.tampered == []
    assert {(f.child, f.seq, f.checkpoint, f.extends) for f in report.findings} == {
        ("C2", 3, str(tmp_path / "old.json"), None),
        ("C2", 3, str(tmp_path / "new.json"), str(tmp_path / "old.json")),
    }


def test_journeys_recorded_after_a_checkpoint_are_no_concern_of_it(
    tmp_path: Path, app: JourneysApp, key: Ed25519PrivateKey
) -> None:
    _two_children(app)
    save_checkpoint(app, key, tmp_path / "c.json")
    record(app, "C2", "placement-order", "2015-01-10")
    record(app, "C3", "entered-care", "2015-01-10")
    assert verify_against(app, [tmp_path / "c.json"]).ok


def test_an_empty_store_has_an_empty_checkpoint_that_every_store_extends(
    tmp_path: Path, sqlite_app: JourneysApp, key: Ed25519PrivateKey
) -> None:
    made = save_checkpoint(sqlite_app, key, tmp_path / "empty.json")
    assert (made.streams, made.events, made.leaves) == (0, 0, ())
    assert made.root == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    _two_children(sqlite_app)
    assert verify_against(sqlite_app, [tmp_path / "empty.json"]).ok


def test_a_journey_copied_into_a_stream_of_its_own_is_not_checkpointed(tmp_path: Path, key: Ed25519PrivateKey) -> None:
    # A stream whose id is not its child's (a copy of C1's journey under a new id, re-chained):
    # its chain holds, but the store no longer holds its journeys as the engine does.
    store = str(tmp_path / "journeys.db")
    app = JourneysApp(store)
    _two_children(app)
    table = table_of(store)
    stream = next(s for s in table.streams() if table.rows(s)[0][3]["child"] == "C1")
    copy_id = uuid.uuid4()
    rows = [(None, v, topic, {**state, "originator_id": str(copy_id)}) for _, v, topic, state in table.rows(stream)]
    table.put(copy_id.hex, rechained(rows))
    table.close()
    assert app.verify().tampered == []

    with pytest.raises(
        CheckpointError, match=f"the stream {copy_id} names child C1 \\(825\\), whose journey is another"
    ):
        save_checkpoint(app, key, tmp_path / "never.json")
    app.close()
    assert not (tmp_path / "never.json").exists()
