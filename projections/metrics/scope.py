"""Which local authorities a report covers, and refusing one the store has never heard of.

A report for a mistyped `--la 852` would otherwise print a table of zeros that looks like an
answer. A local authority counts as held when the store has any journey for it, whatever
`--known-at` says: as known on an earlier date the figures may well be zero, and that is an
answer, not an error.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from typing import TypeVar

from journeys.domain.errors import JourneyError

S = TypeVar("S", bound=tuple[object, ...])


class UnknownLocalAuthority(JourneyError):
    """A report names a local authority with no journey in the store."""


def refuse_unknown(missing: Iterable[str], held: Iterable[str], what: str = "no journey") -> None:
    """Raise when any of ``missing`` is not among ``held`` (the local authorities the store holds)."""
    codes = set(held)
    unknown = sorted(set(missing) - codes)
    if unknown:
        holds = ", ".join(sorted(codes)) or "nothing yet"
        raise UnknownLocalAuthority(
            f"{what} for local authority {', '.join(unknown)} in this store",
            f"check --la (or JOURNEYS_LA); this store holds {holds}",
        )


def of_las(streams: Iterable[S], las: Collection[str]) -> Iterator[S]:
    """The ``(la, child, entries)`` streams of the named local authorities (every one when
    none is named); once all are read, refuse a named one that had no stream at all."""
    held: set[str] = set()
    for stream in streams:
        code = str(stream[0])
        held.add(code)
        if not las or code in las:
            yield stream
    refuse_unknown(las, held)
