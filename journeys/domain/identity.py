"""Identity from natural keys: stream ids from the LA and child reference (users type their
own references, never UUIDs), event ids from an event's content."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from datetime import date
from functools import lru_cache
from typing import Any
from uuid import UUID, uuid5

import orjson

JOURNEYS_NAMESPACE = UUID("6f1d3c52-3b0e-5a55-9c7e-2c1f0a6b8d41")


@lru_cache(maxsize=1 << 16)  # a load asks for the same child's id once per line
def journey_id(la: str, child: str) -> UUID:
    """The stream id of one child's journey in one local authority."""
    return uuid5(JOURNEYS_NAMESPACE, f"journey:{la.strip()}:{child.strip()}")


def journey_key(la: str, child: str) -> int:
    """``journey_id(la, child).int`` without building a UUID: how a pass over the whole log
    keys streams (a checkpoint of 300,000 journeys looks each one up)."""
    name = f"journey:{la.strip()}:{child.strip()}".encode()
    digest = bytearray(hashlib.sha1(_NAMESPACE + name, usedforsecurity=False).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    return int.from_bytes(digest, "big")


def content_id(la: str, child: str, kind: str, on: date | None, fields: Mapping[str, Any]) -> str:
    """A stable identity for an event without an explicit id: a uuid5 of its content."""
    body = orjson.dumps(
        {"la": la, "child": child, "event": kind, "on": on, **fields},
        option=orjson.OPT_SORT_KEYS,
        default=str,
    )
    return uuid5_text(body)


_NAMESPACE = JOURNEYS_NAMESPACE.bytes


def uuid5_text(name: bytes) -> str:
    """``str(uuid5(JOURNEYS_NAMESPACE, name))`` for a UTF-8 name, without building UUID objects."""
    digest = bytearray(hashlib.sha1(_NAMESPACE + name, usedforsecurity=False).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def fresh_event_id(taken: Collection[str], base: str) -> str:
    """The content id ``base``, numbered when the same content was recorded before and
    retracted (its id is ``taken``; a true duplicate of a decision in force is refused by the
    rules, not here)."""
    event_id, number = base, 1
    while event_id in taken:
        number += 1
        event_id = f"{base}#{number}"
    return event_id
