"""The access log used: a look at children noted, the log read back, and its chains checked.

The moment is the recording clock's (:mod:`journeys.clock`), read once per note; the user is
the one the caller records as (the command line's ``--user``, ``JOURNEYS_USER`` or the OS user).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from journeys.clock import LONDON, recording_time
from journeys.domain.access_log import Access, AccessProblem, AccessRecord, check_chains, checked_purpose, stamp

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
    accesses = [Access(la, child, command, user, now, purpose) for la, child in looked]
    if not accesses:
        return []
    return app.recorder.access_log().append(accesses)


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
    return app.recorder.access_log().select(
        la,
        child,
        None if first is None else _day_start(first),
        None if last is None else _day_start(last + timedelta(days=1)),
    )


def check_access_log(app: JourneysApp) -> AccessLogCheck:
    """Every LA's access log re-checked: numbers that follow one another, content that matches
    its hash."""
    count, problems = check_chains(app.recorder.access_log().select())
    return AccessLogCheck(count, problems)


def _day_start(day: date) -> str:
    """The stamp of the first moment of a Europe/London day."""
    return stamp(datetime.combine(day, time.min, tzinfo=LONDON).astimezone(UTC))
