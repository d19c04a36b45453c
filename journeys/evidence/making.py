"""Making a checkpoint: the store verified, every journey's head taken in one pass over the
log, their Merkle root signed."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from uuid import UUID

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from journeys.application import JourneysApp
from journeys.clock import recording_time
from journeys.domain.errors import CheckpointError
from journeys.domain.identity import journey_key
from journeys.domain.merkle import Leaf, merkle_root, ordered
from journeys.evidence.document import Checkpoint, signed_bytes, write_checkpoint
from journeys.evidence.files import CHECKPOINT, refuse_existing
from journeys.evidence.keys import public_hex, sign
from journeys.progress import Progress
from journeys.storage.verification import VerifyReport


def engine_version() -> str:
    """The installed version of the journeys engine."""
    try:
        return version("journeys")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def utc_text(moment: datetime) -> str:
    """``moment`` as a checkpoint writes a time: ISO 8601 in UTC, to the microsecond, with "Z"."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def make_checkpoint(
    app: JourneysApp,
    key: Ed25519PrivateKey,
    *,
    known_at: datetime | None = None,
    progress: Progress | None = None,
) -> Checkpoint:
    """A checkpoint of ``app``'s store signed with ``key``: every journey's head (with
    ``known_at``, as known at that recording time), read in one pass that also re-checks every
    hash chain. A store that does not verify is refused (a :class:`CheckpointError`): a
    checkpoint pins only a state that is whole."""
    report = app.verify(progress, known_at=known_at)
    # Read after the pass: every event the checkpoint holds was stored before its time.
    created_at = utc_text(recording_time())
    if report.tampered:
        first = report.tampered[0]
        raise CheckpointError(
            f"the store does not verify: {len(report.tampered)} event(s) do not match their hashes "
            f"(the first: child {first.child} ({first.la}) event {first.seq}, {first.problem})",
            "run `journeys verify` to see them; a checkpoint pins only a store that verifies",
        )
    leaves = pinned_leaves(report)
    unsigned = Checkpoint(
        created_at=created_at,
        known_at=None if known_at is None else utc_text(known_at),
        engine_version=engine_version(),
        streams=len(leaves),
        events=sum(leaf.version for leaf in leaves),
        root=merkle_root(leaves),
        public_key=public_hex(key),
        signature="",
        leaves=tuple(leaves),
    )
    return replace(unsigned, signature=sign(key, signed_bytes(unsigned.header())))


def pinned_leaves(report: VerifyReport) -> list[Leaf]:
    """Every journey's head in ``report``, as a checkpoint pins them, in the canonical order;
    a stream whose id is not its opening event's LA and child is refused (a CheckpointError)."""
    leaves = []
    for stream, (head_version, head_hash, la, child) in report.heads.items():
        # A journey is found by its LA and child (docs/evidence.md): its stream must be theirs.
        if la == "?" or stream != journey_key(la, child):
            named = "has no opening event" if la == "?" else f"names child {child} ({la}), whose journey is another"
            raise CheckpointError(
                f"the store does not hold its journeys as the engine does: the stream {UUID(int=stream)} {named}",
                "run `journeys verify`, and find out who changed the store; a checkpoint pins only a whole store",
            )
        leaves.append(Leaf(la, child, head_version, head_hash))
    return ordered(leaves)


def save_checkpoint(
    app: JourneysApp,
    key: Ed25519PrivateKey,
    path: Path,
    *,
    known_at: datetime | None = None,
    progress: Progress | None = None,
) -> Checkpoint:
    """:func:`make_checkpoint`, written to the new file ``path``: a file that exists is refused
    before the store is read, and nothing is written when the checkpoint is refused."""
    refuse_existing(path, CHECKPOINT)
    checkpoint = make_checkpoint(app, key, known_at=known_at, progress=progress)
    write_checkpoint(checkpoint, path)
    return checkpoint
