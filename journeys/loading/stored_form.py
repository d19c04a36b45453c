"""An erased child's events in their stored form: how `journeys export` writes them, and how
`journeys load` restores them exactly, into a new erasable store.

Once a child's key is destroyed (see docs/data-protection.md), its events read as a residue
(the pseudonym, no date of birth, ``[erased]``) that no longer seals to their hashes, which are
over the tokens as stored. So a lossless export of an erasable store writes each of an erased
child's events as it is stored, one line an event::

    {"la": "825", "child": "erased-1a2b3c4d", "event": "stored", "stream": "1a2b3c4d-…",
     "topic": "journeys.opened.v1", "state": {… the stored content, tokens included …},
     "erased": {"at": "2026-12-02T21:00:00.000000Z", "reason": "…"}}

(``erased``, when and why the key was destroyed, on the opening event's line only). No key
is written: the tokens stay unreadable. A load checks each line's place in the stream and its
hash against the one before, then inserts the state as it is, with the child's row of the key
table as erased (no key), so the restored stream has the same id, the same hashes and the same
checkpoint leaves, and reads as erased.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from uuid import UUID

import orjson

from journeys.domain.errors import InvalidEvent, JourneyError, RestoreMismatch, StoreError, TamperedEvent
from journeys.domain.hashing import GENESIS, chain
from journeys.domain.protected import pseudonym

if TYPE_CHECKING:
    from journeys.application import JourneysApp
    from journeys.loading.batch import LoadReport
    from journeys.loading.jsonl import LoadLine
    from journeys.loading.refusals import Outcome, Refusals

STORED = "stored"  # the kind of a line that holds an event in its stored form
ERASED_MEMBER = "erased"  # on an erased child's opening line: when and why its key was destroyed
_OPENED_TOPIC = "journeys.opened.v1"
_KEYS = frozenset({"la", "child", "event", "stream", "topic", "state", ERASED_MEMBER})
_HASH = re.compile(r"[0-9a-f]{64}")

Row = tuple[UUID, int, str, bytes]  # stream, version, stored topic, stored state


def stored_lines(app: JourneysApp, la: str, stream: UUID) -> Iterator[dict[str, Any]]:
    """The lines of an erased child's stream, each event as it is stored (see the module's doc)."""
    keys = app.recorder.child_keys
    assert keys is not None
    erasure = keys.erasure(stream)
    for event in app.recorder.select_events(stream):
        state = orjson.loads(app.mapper.stored_json(event.state))
        line: dict[str, Any] = {
            "la": la,
            "child": pseudonym(stream),
            "event": STORED,
            "stream": str(stream),
            "topic": event.topic,
            "state": state,
        }
        if event.originator_version == 1:
            at, reason = erasure if erasure is not None else (None, None)
            line[ERASED_MEMBER] = {"at": at, "reason": reason}
        yield line


def parse_stored(data: dict[str, Any], line_no: int, la: str, child: str) -> LoadLine:
    """A ``"stored"`` line as a LoadLine (its stream, topic, state and erasure in ``fields``),
    checked for form; whether it fits its stream and seals to its hash is for the load to say."""
    from journeys.loading.jsonl import LoadLine

    extra = sorted(set(data) - _KEYS)
    if extra:
        raise InvalidEvent(f"a 'stored' line has no key {extra[0]!r}", "a 'stored' line is as export writes it")
    try:
        stream = UUID(str(data.get("stream")))
    except ValueError:
        raise InvalidEvent("a 'stored' line's 'stream' is not a stream id") from None
    state, topic = data.get("state"), data.get("topic")
    if not isinstance(state, dict) or not isinstance(topic, str) or state.get("originator_id") != str(stream):
        raise InvalidEvent("a 'stored' line holds its topic and the state of an event of its stream")
    version, event_hash = state.get("originator_version"), state.get("hash")
    if type(version) is not int or version < 1 or not isinstance(event_hash, str) or not _HASH.fullmatch(event_hash):
        raise InvalidEvent("a 'stored' line's state has no version from 1 and no hash of 64 hex digits")
    if child != pseudonym(stream):
        raise InvalidEvent(f"a 'stored' line's child is its stream's pseudonym, {pseudonym(stream)}, not {child!r}")
    erased = data.get(ERASED_MEMBER)
    opening = version == 1
    if opening != (erased is not None) or (opening and (topic != _OPENED_TOPIC or state.get("la") != la)):
        raise InvalidEvent(
            "only a 'stored' line of event 1 ('opened', of its line's LA) carries 'erased', and it must",
            "a 'stored' line is as export writes it",
        )
    if erased is not None and (
        not isinstance(erased, dict) or set(erased) != {"at", "reason"} or not all(map(_text_or_none, erased.values()))
    ):
        raise InvalidEvent("a 'stored' line's 'erased' holds 'at' and 'reason'")
    fields = {"stream": stream, "topic": topic, "state": state, ERASED_MEMBER: erased}
    return LoadLine(line_no, la, child, STORED, f"{STORED}:{stream}:{version}", fields=fields)


def _text_or_none(value: Any) -> bool:
    return value is None or isinstance(value, str)


class StoredRestore:
    """The erased children a load restores from their stored form: each line checked against
    its stream (the next version, its hash chained to the one before) and kept as a row."""

    def __init__(self, app: JourneysApp) -> None:
        self.app = app
        self.heads: dict[UUID, tuple[int, str]] = {}  # streams this load restores: (version, hash)
        self.held: dict[UUID, list[str]] = {}  # streams already in the store: their hashes, by version
        self.rows: list[Row] = []  # the batch's rows to insert
        self.las: dict[UUID, str] = {}

    def outcome(
        self, key: UUID, line: LoadLine, in_store: bool, tick: int, report: LoadReport, refusals: Refusals
    ) -> Outcome:
        """A ``"stored"`` line kept for the batch's insert (loaded), skipped (stored already)
        or refused for good (its place in the stream is fixed), as the load counts it."""
        try:
            taken = self.take(line, in_store)
        except JourneyError as error:
            return (error.full_message(), tick, False)
        if taken:
            report.loaded += 1
            refusals.loaded(key)
        else:
            report.skipped += 1
            report.skipped_lines.append(line.line_no)
        return None

    def take(self, line: LoadLine, in_store: bool) -> bool:
        """Keep a ``"stored"`` line's event for the batch's insert: True; False when the store
        already holds it as it is (skipped); a :class:`JourneyError` when it does not fit."""
        f = line.fields
        stream: UUID = f["stream"]
        state: dict[str, Any] = f["state"]
        version, event_hash, topic = state["originator_version"], state["hash"], f["topic"]
        keys = self.app.recorder.child_keys
        if keys is None:
            raise StoreError(
                f"the export's child {line.child} ({line.la}) was erased in an erasable store (its events are in their "
                "stored form), and this store is of sealing format 1: it cannot hold them",
                "load it into a new erasable store (JOURNEYS_ERASABLE=1 when it is made)",
            )
        if stream not in self.heads and in_store:
            held = self.held.get(stream)
            if held is None:
                stored = self.app.recorder.select_events(stream)
                held = self.held[stream] = [orjson.loads(self.app.mapper.stored_json(e.state))["hash"] for e in stored]
            if version <= len(held) and held[version - 1] == event_hash:
                return False
            raise RestoreMismatch(
                f"event {version} of {line.child} does not fit: the store already holds the child's stream, "
                "and not this event"
            )
        seq, previous = self.heads.get(stream, (0, GENESIS))
        if version != seq + 1:
            raise RestoreMismatch(
                f"event {version} of {line.child} does not fit: the child's stream here holds {seq} event(s), "
                f"not the export's first {version - 1}"
            )
        if chain(previous, topic, state) != event_hash:
            raise TamperedEvent(
                f"event {version} of {line.child} does not seal to its hash: the line is not as it was stored"
            )
        if version == 1:
            erased = f[ERASED_MEMBER]
            keys.restore_erased(stream, line.la, erased["at"], erased["reason"])
        self.heads[stream] = (version, event_hash)
        self.rows.append((stream, version, topic, self.app.mapper.state_of(state)))
        self.las[stream] = line.la
        return True

    def batch_rows(self) -> tuple[list[Row], dict[UUID, str]]:
        """The rows kept since the last call, and their streams' LAs, for the batch's insert."""
        rows, las = self.rows, self.las
        self.rows, self.las = [], {}
        return rows, las
