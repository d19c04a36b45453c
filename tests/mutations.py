"""Single mutations of a store's stored events, as someone with write access to its database
could make them behind the engine's back, for the test (and the benchmark) that checks
`verify --against` finds every one.

Each mutation changes one journey, in one of the ways docs/evidence.md lists: a field of an
event edited (its hash left, or the chain recomputed from it as the engine would), the last
event deleted, a middle event deleted and the rest re-chained, the journey deleted, two events
swapped (re-chained or not), a forged event inserted with a correct-looking hash (within the
checkpointed events, the rest re-chained; or appended with a hash that is well formed but
wrong). :func:`restore` puts the journey back as it was, so one store serves many
mutations; :meth:`Table.fingerprint` shows it is back.

The SQL is the tests' own (sqlite3 and psycopg on the store's table), never the engine's.
"""

from __future__ import annotations

import copy
import hashlib
import random
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import orjson

from journeys import JourneysApp, verify_against
from journeys.domain.hashing import chain

# (notification id, or None for one the database gives; version; topic; JSON content)
Row = tuple[int | None, int, str, dict[str, Any]]

KINDS = (
    "edit",
    "edit-rechained",
    "delete-last",
    "delete-middle",
    "delete-journey",
    "swap",
    "swap-rechained",
    "forge",
    "forge-appended",
)


class Table(Protocol):
    """A store's table of stored events, reached past the engine."""

    def streams(self) -> list[Any]: ...
    def rows(self, stream: Any) -> list[Row]: ...
    def put(self, stream: Any, rows: list[Row]) -> None: ...
    def fingerprint(self) -> str: ...
    def close(self) -> None: ...


class SQLiteTable:
    def __init__(self, path: str) -> None:
        import sqlite3

        self.db = sqlite3.connect(path)
        self.db.execute("PRAGMA synchronous = OFF")  # a test's copy: no need to wait for the disk

    def streams(self) -> list[Any]:
        return [r[0] for r in self.db.execute("SELECT DISTINCT originator_id FROM stored_events ORDER BY 1")]

    def rows(self, stream: Any) -> list[Row]:
        found = self.db.execute(
            "SELECT rowid, originator_version, topic, state FROM stored_events WHERE originator_id = ?"
            " ORDER BY originator_version",
            (stream,),
        )
        return [(nid, version, topic, orjson.loads(state)) for nid, version, topic, state in found]

    def put(self, stream: Any, rows: list[Row]) -> None:
        with self.db:
            self.db.execute("DELETE FROM stored_events WHERE originator_id = ?", (stream,))
            for nid, version, topic, state in rows:
                if nid is None:
                    self.db.execute(
                        "INSERT INTO stored_events (originator_id, originator_version, topic, state)"
                        " VALUES (?, ?, ?, ?)",
                        (stream, version, topic, orjson.dumps(state)),
                    )
                else:
                    self.db.execute(
                        "INSERT INTO stored_events (rowid, originator_id, originator_version, topic, state)"
                        " VALUES (?, ?, ?, ?, ?)",
                        (nid, stream, version, topic, orjson.dumps(state)),
                    )

    def fingerprint(self) -> str:
        digest = hashlib.sha256()
        for row in self.db.execute("SELECT rowid, originator_id, originator_version, topic, state FROM stored_events"):
            digest.update(repr(row).encode())
        return digest.hexdigest()

    def close(self) -> None:
        self.db.close()


class PostgresTable:
    def __init__(self, url: str) -> None:
        import psycopg

        base, _, schema = url.partition("?schema=")
        self.table = f'"{schema}".journeys_events'
        self.db = psycopg.connect(base, autocommit=True)

    def streams(self) -> list[Any]:
        return [r[0] for r in self.db.execute(f"SELECT DISTINCT originator_id FROM {self.table} ORDER BY 1")]

    def rows(self, stream: Any) -> list[Row]:
        found = self.db.execute(
            f"SELECT notification_id, originator_version, topic, state FROM {self.table} WHERE originator_id = %s"
            " ORDER BY originator_version",
            (stream,),
        )
        return [(nid, version, topic, orjson.loads(bytes(state))) for nid, version, topic, state in found]

    def put(self, stream: Any, rows: list[Row]) -> None:
        # the stream's local authority (the events table keeps it beside each event): the one
        # stored, or a forged stream's own
        held = self.db.execute(f"SELECT la FROM {self.table} WHERE originator_id = %s LIMIT 1", (stream,)).fetchone()
        la = held[0] if held else next((s["la"] for *_, s in rows if isinstance(s, dict) and s.get("la")), None)
        with self.db.transaction():
            self.db.execute(f"DELETE FROM {self.table} WHERE originator_id = %s", (stream,))
            for nid, version, topic, state in rows:
                if nid is None:
                    self.db.execute(
                        f"INSERT INTO {self.table} (originator_id, originator_version, topic, state, la)"
                        " VALUES (%s, %s, %s, %s, %s)",
                        (stream, version, topic, orjson.dumps(state), la),
                    )
                else:
                    self.db.execute(
                        f"INSERT INTO {self.table} "
                        "(notification_id, originator_id, originator_version, topic, state, la)"
                        " VALUES (%s, %s, %s, %s, %s, %s)",
                        (nid, stream, version, topic, orjson.dumps(state), la),
                    )

    def fingerprint(self) -> str:
        digest = hashlib.sha256()
        found = self.db.execute(
            f"SELECT notification_id, originator_id, originator_version, topic, state FROM {self.table}"
            " ORDER BY notification_id"
        )
        for nid, stream, version, topic, state in found:
            digest.update(repr((nid, str(stream), version, topic, bytes(state))).encode())
        return digest.hexdigest()

    def close(self) -> None:
        self.db.close()


def table_of(store: str) -> Table:
    return PostgresTable(store) if store.startswith("postgresql://") else SQLiteTable(store)


@dataclass(frozen=True)
class Mutation:
    kind: str
    la: str  # the journey changed, as the store named it before
    child: str
    detail: str
    stream: Any
    original: list[Row]


def rechained(rows: list[Row], start: int = 0) -> list[Row]:
    """``rows`` numbered 1, 2, … in their order, and every hash from ``start`` on recomputed
    as the engine chains them (the earlier hashes kept)."""
    out: list[Row] = []
    previous = ""
    for i, (nid, _, topic, state) in enumerate(rows):
        state = dict(state)
        state["originator_version"] = i + 1
        if i >= start:
            state["hash"] = chain(previous, topic, state)
        previous = state["hash"]
        out.append((nid, i + 1, topic, state))
    return out


def renumbered(rows: list[Row]) -> list[Row]:
    """``rows`` numbered 1, 2, … in their order, their hashes left as they were."""
    return [
        (nid, i + 1, topic, {**state, "originator_version": i + 1}) for i, (nid, _, topic, state) in enumerate(rows)
    ]


def changed(value: Any, rng: random.Random) -> Any:
    """A different value of the same kind as ``value``."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + rng.choice((-1, 1))
    if isinstance(value, list):
        return [*value, "X"] if not value or rng.random() < 0.5 else value[:-1]
    if value is None:
        return "X"
    text = str(value)
    try:
        return (date.fromisoformat(text) + timedelta(days=rng.randint(1, 40))).isoformat()
    except ValueError:
        pass
    if len(text) > 10:
        try:
            moment = datetime.fromisoformat(text)
            return (moment + timedelta(microseconds=rng.randint(1, 10**7))).isoformat().replace("+00:00", "Z")
        except ValueError:
            pass
    if len(text) == 64 and all(c in "0123456789abcdef" for c in text):
        i = rng.randrange(64)
        return text[:i] + ("0" if text[i] != "0" else "1") + text[i + 1 :]
    try:
        uuid.UUID(text)
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))
    except ValueError:
        pass
    return text + "X" if rng.random() < 0.5 or not text else text[:-1] + chr(ord(text[-1]) ^ 1)


def mutate(table: Table, rng: random.Random, kind: str | None = None) -> Mutation:
    """One mutation of ``kind`` (random if None) of a random journey it applies to, made in
    ``table``; what was changed, with the journey's rows as they were."""
    kind = kind or rng.choice(KINDS)
    streams = table.streams()
    while True:
        stream = rng.choice(streams)
        rows = table.rows(stream)
        if kind == "delete-middle" and len(rows) < 3:
            continue
        if kind.startswith(("swap", "forge")) and len(rows) < 2:
            continue
        break
    opened = rows[0][3]
    la, child = opened["la"], opened["child"]
    n = len(rows)
    new: list[Row]
    if kind in ("edit", "edit-rechained"):
        i = rng.randrange(n)
        nid, version, topic, state = rows[i]
        # (re-chaining sets the hash and the version: editing them first would change nothing)
        keys = sorted(k for k in state if kind == "edit" or k not in ("hash", "originator_version"))
        field = rng.choice([*keys, "topic"])
        if field == "topic":
            others = sorted({r[2] for r in rows if r[2] != topic}) or ["journeys.decided.v1"]
            topic = rng.choice(others)
        else:
            state = {**state, field: changed(state[field], rng)}
        new = [*rows[:i], (nid, version, topic, state), *rows[i + 1 :]]
        if kind == "edit-rechained":
            new = rechained(new, i)
        detail = f"event {i + 1}: {field}"
    elif kind == "delete-last":
        new, detail = rows[:-1], f"event {n} deleted"
    elif kind == "delete-middle":
        i = rng.randrange(1, n - 1)
        kept = rows[:i] + rows[i + 1 :]
        new = rechained(_placed(kept, rng), i)
        detail = f"event {i + 1} deleted, re-chained"
    elif kind == "delete-journey":
        new, detail = [], "journey deleted"
    elif kind in ("swap", "swap-rechained"):
        i, j = sorted(rng.sample(range(n), 2))
        order = list(rows)
        order[i], order[j] = order[j], order[i]
        ids = [r[0] for r in rows]
        moved = [(ids[k], *order[k][1:]) for k in range(n)]  # the contents move, the ids stay
        new = rechained(moved, i) if kind == "swap-rechained" else renumbered(moved)
        detail = f"events {i + 1} and {j + 1} swapped" + (", re-chained" if kind == "swap-rechained" else "")
    elif kind == "forge":
        i = rng.randrange(1, n)  # before the old event i+1: within the checkpointed events
        forged = (None, 0, *_forgery(table, rng, opened))
        new = rechained([(None, *r[1:]) for r in [*rows[:i], forged, *rows[i:]]], i)
        detail = f"forged event {i + 1} inserted, re-chained"
    elif kind == "forge-appended":
        topic, state = _forgery(table, rng, opened)
        state = {**state, "originator_version": n + 1, "hash": f"{rng.getrandbits(256):064x}"}
        new = [*rows, (None, n + 1, topic, state)]
        detail = f"forged event {n + 1} appended"
    else:
        raise ValueError(kind)
    table.put(stream, new)
    return Mutation(kind, la, child, detail, stream, rows)


def _placed(rows: list[Row], rng: random.Random) -> list[Row]:
    """``rows`` with their own ids (still in order), or re-appended at the end of the log."""
    return rows if rng.random() < 0.5 else [(None, *r[1:]) for r in rows]


def _forgery(table: Table, rng: random.Random, opened: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A decision copied from a random journey, made out to the journey of ``opened``."""
    while True:
        rows = table.rows(rng.choice(table.streams()))
        candidates = [r for r in rows if r[1] > 1]
        if candidates:
            _, _, topic, state = rng.choice(candidates)
            state = copy.deepcopy(state)
            state.update(originator_id=opened["originator_id"], event_id=str(uuid.uuid4()), recorded_by="forger")
            return topic, state


def restore(table: Table, mutation: Mutation) -> None:
    table.put(mutation.stream, mutation.original)


def undetected(
    app: JourneysApp, table: Table, checkpoint: Path, count: int, seed: int
) -> tuple[list[str], Counter[str]]:
    """``count`` mutations of ``app``'s store (each kind in turn, of a random journey), each
    checked with ``verify_against`` and undone before the next: those not found, or found
    without naming (only) their child; and how many of each kind were made."""
    rng = random.Random(seed)
    missed: list[str] = []
    kinds: Counter[str] = Counter()
    for i in range(count):
        mutation = mutate(table, rng, KINDS[i % len(KINDS)])
        kinds[mutation.kind] += 1
        try:
            report = verify_against(app, [checkpoint])
        finally:
            restore(table, mutation)
        named = {(f.la, f.child) for f in report.findings}
        if report.ok or named != {(mutation.la, mutation.child)}:
            missed.append(f"{mutation.kind} of {mutation.child} ({mutation.detail}): named {sorted(named)}")
    return missed, kinds
