"""What each statutory return said: the returns log's records and their hash chain.

A return record says that a return (``asglb``, ``export-903``) was made, or one
(``import-903``) came in, for a period of a local authority: when (the recording clock), by
whom, from which state of the store (the Merkle root of every journey's head, as a checkpoint
pins it, docs/evidence.md), the SHA-256 of each of its files, and its cells (the figures of
the return, to compare with later). Records are kept beside the journeys, not in any child's
stream, so that no report changes.

As the access log is (:mod:`journeys.domain.access_log`), the log is one chain per local
authority: record ``seq`` 1, 2, … of an LA, each hashed over its content chained on the hash
of the record before it in that LA. A record edited, deleted or inserted in the middle of an
LA's log, and not the rest re-chained, breaks it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import orjson

from journeys.domain.access_log import GENESIS, seal_access, stamp
from journeys.domain.errors import ReturnsError
from journeys.domain.inputs import check_user, free_text

# The returns the log knows: made by the engine (asglb, export-903) or imported (import-903).
RETURN_KINDS = ("asglb", "export-903", "import-903")
_ID = re.compile(r"([^-\s]+)-(\d+)")


@dataclass(frozen=True)
class ReturnMade:
    """One return, before it is numbered and sealed into its LA's log."""

    kind: str
    period: str
    la: str
    user: str
    at: datetime
    known_at: datetime | None
    checkpoint: Mapping[str, Any]  # {"root", "streams", "events", "tampered"}
    files: Sequence[tuple[str, str]]  # (file name as given, SHA-256)
    cells: Mapping[str, Any]


@dataclass(frozen=True)
class ReturnRecord:
    """A return as the log holds it: numbered in its LA's log and sealed on the record before.
    ``body`` holds what the return was made from and what it said: ``known_at``,
    ``checkpoint``, ``files`` and ``cells``, as plain JSON values."""

    la: str
    seq: int
    at: str  # the recording time, UTC, as stored: 2016-03-31T17:02:11.402113Z
    user: str
    kind: str
    period: str
    body: dict[str, Any]
    hash: str

    @property
    def id(self) -> str:
        """The return's id, ``LA-SEQ`` (``825-3``: the third return of 825's log)."""
        return f"{self.la}-{self.seq}"

    @property
    def known_at(self) -> str | None:
        found = self.body.get("known_at")
        return None if found is None else str(found)

    @property
    def cells(self) -> dict[str, Any]:
        return dict(self.body.get("cells") or {})

    def content(self) -> dict[str, object]:
        """What the hash is taken over: every column but the hash."""
        return {
            "la": self.la,
            "seq": self.seq,
            "at": self.at,
            "user": self.user,
            "kind": self.kind,
            "period": self.period,
            "body": self.body,
        }


def body_text(body: Mapping[str, Any]) -> str:
    """A record's body as the table stores it: JSON, keys sorted."""
    return orjson.dumps(body, option=orjson.OPT_SORT_KEYS).decode()


def body_of(text: str) -> dict[str, Any]:
    found: dict[str, Any] = orjson.loads(text)
    return found


def sealed_return(previous: ReturnRecord | None, made: ReturnMade) -> ReturnRecord:
    """``made`` numbered and sealed after ``previous``, the latest record of its LA's log
    (None when the log is empty); its body made plain JSON (dates as ISO text), as it is read
    back."""
    if made.kind not in RETURN_KINDS:
        raise ReturnsError(f"no return is called {made.kind!r}", f"a return is one of {', '.join(RETURN_KINDS)}")
    body = {
        "known_at": None if made.known_at is None else stamp(made.known_at),
        "checkpoint": dict(made.checkpoint),
        "files": [{"file": name, "sha256": digest} for name, digest in made.files],
        "cells": dict(made.cells),
    }
    record = ReturnRecord(
        la=made.la,
        seq=1 if previous is None else previous.seq + 1,
        at=stamp(made.at),
        user=check_user(made.user),
        kind=made.kind,
        period=free_text(made.period, "the period"),
        body=body_of(body_text(body)),
        hash="",
    )
    return replace(record, hash=seal_access(GENESIS if previous is None else previous.hash, record))


def parse_return_id(text: str) -> tuple[str, int]:
    """``825-3`` -> ("825", 3)."""
    found = _ID.fullmatch(text.strip())
    if not found:
        raise ReturnsError(
            f"not a return id: {text!r}",
            "write the LA and the return's number, e.g. 825-3 (see `journeys returns list`)",
        )
    return found.group(1), int(found.group(2))
