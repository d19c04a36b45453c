"""The access log used: a look at children noted, the log read back, and its chains checked.

The moment is the recording clock's (:mod:`journeys.clock`), read once per note; the user is
the one the caller records as (the command line's ``--user``, ``JOURNEYS_USER`` or the OS user).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from journeys.clock import LONDON, recording_time
from journeys.domain.access_log import Access, AccessProblem, AccessRecord, check_chains, checked_purpose, stamp
from journeys.domain.identity import journey_id
from journeys.domain.protected import ERASED_PREFIX, pseudonym
from journeys.storage.child_keys import TOKEN, clear_part

if TYPE_CHECKING:
    from journeys.application import JourneysApp

# The commands that show one child, as the log names them.
LOOKING_COMMANDS = ("show", "history", "deadlines", "explain", "subject-access")


@dataclass(frozen=True)
class AccessLogCheck:
    """The access log's chains re-checked: how many records, and those that do not hold."""

    records: int
    problems: list[AccessProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def note_access(
    app: JourneysApp,
    children: Iterable[tuple[str, str]],
    *,
    command: str,
    user: str,
    purpose: str | None = None,
) -> list[AccessRecord]:
    """Append one record per child of ``children`` ((la, child), each once) shown by ``command``
    to ``user``, with the stated ``purpose``; the records as stored."""
    purpose = checked_purpose(purpose)  # refused before anything is written
    now = recording_time()
    looked = dict.fromkeys(children)
    accesses = [Access(la, _stored_child(app, la, child), command, user, now, purpose) for la, child in looked]
    if not accesses:
        return []
    return [_shown(app, record) for record in app.recorder.access_log().append(accesses)]


def access_records(
    app: JourneysApp,
    *,
    la: str | None = None,
    child: str | None = None,
    first: date | None = None,
    last: date | None = None,
) -> list[AccessRecord]:
    """The log's records, of ``la`` and ``child`` when given, made on the Europe/London days
    from ``first`` to ``last`` (both included), ordered by LA and number."""
    if child is not None and la is not None:
        child = _stored_child(app, la, child)
    records = app.recorder.access_log().select(
        la,
        child,
        None if first is None else _day_start(first),
        None if last is None else _day_start(last + timedelta(days=1)),
    )
    return [_shown(app, record) for record in records]


def check_access_log(app: JourneysApp) -> AccessLogCheck:
    """Every LA's access log re-checked: numbers that follow one another, content that matches
    its hash."""
    count, problems = check_chains(app.recorder.access_log().select())
    return AccessLogCheck(count, problems)


ACCESS_LOG_FIELD = "access_log.child"


def _stored_child(app: JourneysApp, la: str, child: str) -> str:
    """The child column of a record about ``child``: on an erasable store a token under the
    child's key (the same token for every record of the child, its stream in clear so it can be
    read back), or the pseudonym once the child is erased; else the reference."""
    keys = app.recorder.child_keys
    if keys is None or child.startswith(ERASED_PREFIX):
        return child
    stream = journey_id(la, child)
    protection = keys.protection(stream)
    return pseudonym(stream) if protection is None else protection.token(ACCESS_LOG_FIELD, child, stream.hex)


def _shown(app: JourneysApp, record: AccessRecord) -> AccessRecord:
    """A record as it is read: its child's token read back (the pseudonym once the key is destroyed)."""
    keys = app.recorder.child_keys
    if keys is None or not record.child.startswith(TOKEN):
        return record
    stream = UUID(clear_part(record.child))
    protection = keys.protection(stream)
    child = pseudonym(stream) if protection is None else str(protection.value(ACCESS_LOG_FIELD, record.child))
    return replace(record, child=child)


def _day_start(day: date) -> str:
    """The stamp of the first moment of a Europe/London day."""
    return stamp(datetime.combine(day, time.min, tzinfo=LONDON).astimezone(UTC))
