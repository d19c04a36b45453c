"""Tamper evidence: each event's SHA-256 over its canonical content, chained per stream."""

from __future__ import annotations

import hashlib
from typing import Any

import orjson

GENESIS = ""


def canonical(topic: str, content: dict[str, Any]) -> bytes:
    """The bytes hashed for an event: its topic and JSON content, keys sorted, no hash."""
    body = dict(content)
    body.pop("hash", None)
    body["topic"] = topic
    return orjson.dumps(body, option=orjson.OPT_SORT_KEYS)


def chain(previous: str, topic: str, content: dict[str, Any]) -> str:
    """The hash of an event whose predecessor in the stream had hash ``previous``."""
    return hashlib.sha256(previous.encode("ascii") + canonical(topic, content)).hexdigest()
