"""Who looked at a child: the access log's records and their hash chain.

An access record says that a user, at a moment of the recording clock, was shown one child
by a command (``show``, ``history``, ``deadlines``, ``explain``), and why if they said. Records
are kept beside the journeys, not in the child's stream, so that no report changes.

The log is one chain per local authority (each is a data controller of its own, and a store
shared by several may let a user see only some): record ``seq`` 1, 2, … of an LA, each hashed
over its content chained on the hash of the record before it in that LA, as the events of a
stream are (:mod:`journeys.domain.hashing`). A record edited, deleted or inserted in the middle
of an LA's log, and not the rest re-chained, breaks it; what a chain cannot show (its last
records removed) is said in docs/data-protection.md.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Protocol

import orjson

from journeys.domain.errors import InvalidEvent
from journeys.domain.inputs import check_user, free_text

GENESIS = ""
MAX_PURPOSE = 500  # characters of a stated purpose


@dataclass(frozen=True)
class Access:
    """One look at a child, before it is numbered and sealed into its LA's log."""

    la: str
    child: str
    command: str
    user: str
    at: datetime
    purpose: str | None = None


@dataclass(frozen=True)
class AccessRecord:
    """An access as the log holds it: numbered in its LA's log and sealed on the record before."""

    la: str
    seq: int
    at: str  # the recording time, UTC, as stored: 2016-03-31T17:02:11.402113Z
    user: str
    child: str
    command: str
    purpose: str | None
    hash: str

    def content(self) -> dict[str, object]:
        """What the hash is taken over: every column but the hash."""
        return {
            "la": self.la,
            "seq": self.seq,
            "at": self.at,
            "user": self.user,
            "child": self.child,
            "command": self.command,
            "purpose": self.purpose,
        }


class Chained(Protocol):
    """A record of a log chained per local authority: the access log's, the returns log's."""

    @property
    def la(self) -> str: ...
    @property
    def seq(self) -> int: ...
    @property
    def hash(self) -> str: ...
    def content(self) -> dict[str, object]: ...


@dataclass(frozen=True)
class AccessProblem:
    """A record of an LA's log that does not hold: by its LA and number."""

    la: str
    seq: int
    problem: str


def stamp(moment: datetime) -> str:
    """A recording time as the log stores it: ISO 8601 in UTC to the microsecond, ending ``Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def seal_access(previous: str, record: Chained) -> str:
    """The hash of ``record`` whose predecessor in its LA's log had hash ``previous``."""
    body = orjson.dumps(record.content(), option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(previous.encode("ascii") + body).hexdigest()


def checked_purpose(purpose: str | None) -> str | None:
    """A stated purpose (``--purpose``) as kept: one line of printable text, or None when blank."""
    if purpose is None or not purpose.strip():
        return None
    text = free_text(purpose.strip(), "the purpose")
    if len(text) > MAX_PURPOSE:
        raise InvalidEvent(
            f"the purpose is {len(text)} characters long (at most {MAX_PURPOSE})", "say why in fewer words"
        )
    return text


def sealed(previous: AccessRecord | None, access: Access) -> AccessRecord:
    """``access`` numbered and sealed after ``previous``, the latest record of its LA's log
    (None when the log is empty)."""
    record = AccessRecord(
        la=access.la,
        seq=1 if previous is None else previous.seq + 1,
        at=stamp(access.at),
        user=check_user(access.user),
        child=access.child,
        command=access.command,
        purpose=checked_purpose(access.purpose),
        hash="",
    )
    return replace(record, hash=seal_access(GENESIS if previous is None else previous.hash, record))


def check_chains(records: Iterable[Chained]) -> tuple[int, list[AccessProblem]]:
    """How many records ``records`` (every LA's log, each in ``seq`` order; the access log's
    or the returns log's) holds, and each one
    that does not follow the record before it in its LA's log or whose content does not match
    its hash."""
    last: dict[str, tuple[int, str]] = {}
    problems: list[AccessProblem] = []
    count = 0
    for record in records:
        count += 1
        seq, previous = last.get(record.la, (0, GENESIS))
        if record.seq != seq + 1:
            problems.append(AccessProblem(record.la, record.seq, f"follows record {seq}"))
        if seal_access(previous, record) != record.hash:
            problems.append(AccessProblem(record.la, record.seq, "content does not match its hash"))
        last[record.la] = (record.seq, record.hash)
    return count, problems
