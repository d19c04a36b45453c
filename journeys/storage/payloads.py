"""Stored states as their JSON for the read side's fast decoding, and the check, when a store
is opened, that its events are stored as its settings say (encrypted with the key given, or
plain JSON when no cipher is set): a wrong or missing key is one refusal, not every child
left out as unreadable."""

from __future__ import annotations

from collections.abc import Iterable

from eventsourcing.persistence import ApplicationRecorder, StoredEvent

from journeys.domain.errors import StoreError
from journeys.storage.location import shown_store
from journeys.storage.mapper import PydanticMapper
from journeys.storage.recorders import StoredRow


def plain_rows(mapper: PydanticMapper, rows: Iterable[StoredRow]) -> Iterable[StoredRow]:
    """(stream, version, topic, state) rows with each state as its JSON (the rows as they are
    when the store neither encrypts nor compresses)."""
    if not mapper.transforms:
        return rows
    plain = mapper.plain_state
    return ((stream, version, topic, plain(state)) for stream, version, topic, state in rows)


def plain_events(mapper: PydanticMapper, stored: Iterable[StoredEvent]) -> list[StoredEvent]:
    """Stored events with each state as its JSON."""
    if not mapper.transforms:
        return list(stored)
    plain = mapper.plain_state
    return [StoredEvent(e.originator_id, e.originator_version, e.topic, plain(e.state)) for e in stored]


def check_payloads(store: str, recorder: ApplicationRecorder, mapper: PydanticMapper) -> None:
    """Refuse a store whose first stored event its settings cannot read: encrypted, and no
    CIPHER_KEY or another key given; or plain JSON, and a CIPHER_KEY given."""
    first = recorder.select_notifications(1, 1)
    if not first:
        return
    state = bytes(first[0].state)
    where = shown_store(store)
    if mapper.cipher is None:
        if mapper.compressor is None and not state.startswith(b"{"):
            raise StoreError(
                f"the events of the store {where!r} are encrypted, and no CIPHER_KEY is set",
                "set CIPHER_KEY (and CIPHER_TOPIC if the store was written with another cipher) to the store's key",
            )
        return
    try:
        mapper.plain_state(state)
    except Exception:
        if state.startswith(b"{"):
            raise StoreError(
                f"the events of the store {where!r} are stored as plain JSON, but CIPHER_KEY is set",
                "unset CIPHER_KEY (and CIPHER_TOPIC) to open it; its events are not encrypted",
            ) from None
        raise StoreError(
            f"CIPHER_KEY does not decrypt the events of the store {where!r} (a wrong key)",
            "set CIPHER_KEY to the key the store was written with",
        ) from None
