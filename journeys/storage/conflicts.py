"""Two people recording for the same child at once: the library refuses the second save (its
conflict on the stream's next version); the command is tried once more against the new state."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from eventsourcing.persistence import OperationalError, RecordConflictError

from journeys.domain.errors import StoreError

T = TypeVar("T")


def saved(la: str, child: str, attempt: Callable[[], T]) -> T:
    """``attempt()`` (read the journey, check the rules, append, save); once more when another
    writer saved for the child first (or held the store's write lock too long), then a
    :class:`StoreError` with a remedy."""
    try:
        return attempt()
    except (RecordConflictError, OperationalError):
        pass  # the journey read is out of date: read it again and re-check the rules
    try:
        return attempt()
    except RecordConflictError:
        raise StoreError(
            f"someone else recorded for child {child!r} in local authority {la} at the same time",
            "nothing was recorded: see `journeys history` and run the command again",
        ) from None
    except OperationalError as error:
        raise StoreError(
            f"the store is busy and nothing was recorded for child {child!r} ({error})",
            "run the command again",
        ) from None


def refused_write(las: Iterable[str], error: Exception) -> StoreError | None:
    """The store's refusal of a write as a :class:`StoreError` when the database refused it
    for want of access (PostgreSQL's row-level security or privileges: the role is not
    granted the local authority, or only to read it); None for another error."""
    text = " ".join(str(error).split())
    if "row-level security" not in text and "permission denied" not in text:
        return None
    named = ", ".join(sorted(set(las))) or "this local authority"
    return StoreError(
        f"the store refused to record for local authority {named}: this database role may not write there ({text})",
        "nothing was recorded: ask the store's owner to grant write access (`journeys access grant ROLE --la CODE`)",
    )
