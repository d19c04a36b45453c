"""Returns recorded and read back (docs/returns.md, "As returned").

The moment is the recording clock's (:mod:`journeys.clock`), read once per return after the
store was read; the user is the one the caller records as. The store's state is the Merkle
root of every journey's head as known then (what ``journeys checkpoint`` would pin, unsigned).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journeys.clock import recording_time
from journeys.domain.access_log import AccessProblem, check_chains
from journeys.domain.errors import ReturnsError
from journeys.domain.merkle import merkle_root
from journeys.domain.returns_log import ReturnMade, ReturnRecord, parse_return_id
from journeys.evidence.making import pinned_leaves

if TYPE_CHECKING:
    from journeys.application import JourneysApp


@dataclass(frozen=True)
class ReturnsLogCheck:
    """The returns log's chains re-checked: how many records, and those that do not hold."""

    records: int
    problems: list[AccessProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def store_state(app: JourneysApp, known_at: datetime | None = None) -> dict[str, Any]:
    """The store's state as known at ``known_at`` (now when None), as a checkpoint pins it:
    the Merkle root of every journey's head, how many journeys and events, and how many events
    did not match their hashes (0 for a store that verifies)."""
    report = app.verify(known_at=known_at)
    leaves = pinned_leaves(report)
    return {
        "root": merkle_root(leaves),
        "streams": len(leaves),
        "events": sum(leaf.version for leaf in leaves),
        "tampered": len(report.tampered),
    }


def file_digest(path: Path) -> str:
    """The SHA-256 of the file at ``path``, 64 hex digits."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as failed:
        raise ReturnsError(f"cannot read {str(path)!r}: {failed.strerror}", "check the file the return wrote") from None
    return digest.hexdigest()


def record_return(
    app: JourneysApp,
    kind: str,
    period: str,
    la: str,
    files: Iterable[Path],
    cells: Mapping[str, Any],
    *,
    user: str,
    known_at: datetime | None = None,
) -> ReturnRecord:
    """Record the return ``kind`` (``asglb``, ``export-903``, ``import-903``) of ``period`` for
    ``la``, made (with ``known_at``: as known then) or imported by ``user``: its ``files``
    (each one's SHA-256) and its ``cells`` (plain JSON values: the figures to compare with
    later), with the state of the store now. The record as stored."""
    return record_returns(app, kind, period, {la: cells}, files, user=user, known_at=known_at)[0]


def record_returns(
    app: JourneysApp,
    kind: str,
    period: str,
    cells_by_la: Mapping[str, Mapping[str, Any]],
    files: Iterable[Path],
    *,
    user: str,
    known_at: datetime | None = None,
) -> list[ReturnRecord]:
    """:func:`record_return` for several local authorities' returns written to the same
    ``files`` (one record each, all stored in one transaction)."""
    digests = [(str(path), file_digest(Path(path))) for path in files]
    state = store_state(app, known_at)
    now = recording_time()
    made = [
        ReturnMade(kind, period, la, user, now, known_at, state, digests, cells) for la, cells in cells_by_la.items()
    ]
    return app.recorder.returns_log().append(made)


def return_records(app: JourneysApp, *, la: str | None = None) -> list[ReturnRecord]:
    """The returns recorded (of ``la`` when given), ordered by LA and number."""
    return app.recorder.returns_log().select(la)


def find_return(app: JourneysApp, return_id: str) -> ReturnRecord:
    """The return ``return_id`` names (``825-3``); refused when the log holds none."""
    la, seq = parse_return_id(return_id)
    found = app.recorder.returns_log().select(la, seq)
    if not found:
        raise ReturnsError(f"no return {return_id} is recorded")
    return found[0]


def check_returns_log(app: JourneysApp) -> ReturnsLogCheck:
    """Every LA's returns log re-checked: numbers that follow one another, content that
    matches its hash."""
    count, problems = check_chains(app.recorder.returns_log().select())
    return ReturnsLogCheck(count, problems)
