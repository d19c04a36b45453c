"""Checking a store against checkpoints: `journeys verify --against FILE…`.

The store must still hold every journey a checkpoint pins, at or beyond its head, with the
checkpointed hash at the checkpointed version; its hash chains must still hold. Since each
event's hash is chained on the one before, the hash at a version stands for the whole stream
up to it: an event edited, removed, inserted or moved at or before that version, and the rest
re-chained, changes it. Of two checkpoints, the later must hold every journey of the earlier
at or beyond the earlier's version; with the store agreeing with both, the later extends the
earlier (docs/evidence.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from journeys.application import JourneysApp
from journeys.domain.errors import CheckpointError
from journeys.domain.identity import journey_key
from journeys.domain.merkle import leaf_order
from journeys.evidence.document import Checkpoint, read_checkpoint
from journeys.progress import Progress
from journeys.storage.verification import VerifyReport


@dataclass(frozen=True)
class Finding:
    """One event that fails: of child ``child`` in ``la``, at event ``seq``. ``checkpoint`` is
    the checkpoint (its file) it fails against, None for the store's own hash chain;
    ``extends`` the earlier checkpoint, when the later does not extend it."""

    la: str
    child: str
    seq: int
    problem: str
    checkpoint: str | None = None
    extends: str | None = None


@dataclass(frozen=True)
class Checked:
    """A checkpoint read and checked, by the file it came from."""

    name: str
    checkpoint: Checkpoint
    findings: int


@dataclass
class AgainstReport:
    verified: VerifyReport
    checked: list[Checked] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings


def verify_against(
    app: JourneysApp,
    paths: Sequence[Path],
    *,
    public_key: str | None = None,
    progress: Progress | None = None,
) -> AgainstReport:
    """``app``'s store checked against the checkpoints in ``paths`` (oldest first), each read
    whole and signed by ``public_key`` if given (else all by one key), in one pass over the log.

    A checkpoint that cannot be read, was altered, was signed by another key, or is of another
    store (none of its journeys is in the store as it pinned them), and checkpoints given
    newest first, are a :class:`CheckpointError`: nothing is checked. What fails in the store is
    in the report's ``findings``, each naming its child and event.
    """
    named = [(str(path), read_checkpoint(path)) for path in paths]
    _check_signers(named, public_key)
    for (first_name, first), (then_name, then) in pairwise(named):
        if then.state_time < first.state_time:
            raise CheckpointError(
                f"the checkpoint {then_name!r} ({then.known_at or then.created_at}) is older than {first_name!r}"
                f" ({first.known_at or first.created_at}), which is given before it",
                "give the older checkpoint first: --against OLD --against NEW",
            )
    # Each journey's stream, by its id's integer (as the store's pass keys them), once.
    ids: dict[tuple[str, str], int] = {}
    wanted: dict[int, tuple[int, ...]] = {}  # (tuples: a set per journey weighs four times as much)
    for _, checkpoint in named:
        for leaf in checkpoint.leaves:
            stream = ids.get((leaf.la, leaf.child))
            if stream is None:
                stream = ids[leaf.la, leaf.child] = journey_key(leaf.la, leaf.child)
            wanted[stream] = (*wanted.get(stream, ()), leaf.version)
    verified = app.verify(progress, wanted=wanted)
    report = AgainstReport(verified)
    # A stream a checkpoint holds is named as the checkpoint names it, not as the store (which
    # may have been altered) does.
    names = {stream: name for name, stream in ids.items()}
    for t in verified.tampered:
        la, child = names.get(t.stream.int, (t.la, t.child)) if t.stream is not None else (t.la, t.child)
        report.findings.append(Finding(la, child, t.seq, t.problem))
    for name, checkpoint in named:
        found = store_findings(name, checkpoint, verified, ids)
        report.findings += found
        report.checked.append(Checked(name, checkpoint, len(found)))
    for (old_name, old), (new_name, new) in pairwise(named):
        report.findings += extension_findings(old_name, old, new_name, new)
    return report


def _check_signers(named: list[tuple[str, Checkpoint]], public_key: str | None) -> None:
    for name, checkpoint in named:
        if public_key is not None and checkpoint.public_key != public_key:
            raise CheckpointError(
                f"the checkpoint {name!r} is signed by the key {checkpoint.public_key[:16]}…, "
                f"not by the expected key {public_key[:16]}…",
                "check which key signed it (--public-key, --key or JOURNEYS_SIGNING_KEY name the expected one)",
            )
    keys = {checkpoint.public_key for _, checkpoint in named}
    if len(keys) > 1:
        raise CheckpointError(
            "the checkpoints are signed by different keys (" + ", ".join(f"{k[:16]}…" for k in sorted(keys)) + ")",
            "name the key you trust with --public-key, or check each checkpoint alone",
        )


def store_findings(
    name: str, checkpoint: Checkpoint, seen: VerifyReport, ids: dict[tuple[str, str], int]
) -> list[Finding]:
    """What of ``checkpoint`` the store (as ``seen`` in one pass of `verify`; ``ids`` its
    journeys' streams) no longer holds: a journey gone, a journey shorter than its checkpointed version,
    a different hash at that version. A :class:`CheckpointError` when none of its journeys is
    in the store as it pinned them."""
    findings: list[Finding] = []
    matched = 0
    for leaf in checkpoint.leaves:
        stream = ids[leaf.la, leaf.child]
        head = seen.heads.get(stream)
        if head is None:
            problem = f"the journey is not in the store; {name} holds {leaf.version} event(s) of it"
            findings.append(Finding(leaf.la, leaf.child, 1, problem, name))
        elif head[0] < leaf.version:
            problem = f"the store holds {head[0]} event(s) of the journey, {name} holds {leaf.version}"
            findings.append(Finding(leaf.la, leaf.child, head[0] + 1, problem, name))
        elif seen.at.get((stream, leaf.version)) != leaf.head:
            problem = (
                f"not the event {name} holds: an event up to {leaf.version} was altered, removed, inserted "
                "or moved since"
            )
            findings.append(Finding(leaf.la, leaf.child, leaf.version, problem, name))
        else:
            matched += 1
    if checkpoint.leaves and not matched:
        raise CheckpointError(
            f"the checkpoint {name!r} is not of this store: none of its {len(checkpoint.leaves)} journeys is in it"
            " as checkpointed (or every one of them was removed or altered)",
            "check --store (JOURNEYS_STORE) and the file; `journeys verify` alone checks the store's own chains",
        )
    return findings


def extension_findings(old_name: str, old: Checkpoint, new_name: str, new: Checkpoint) -> list[Finding]:
    """Where the later checkpoint ``new`` does not extend ``old``: a journey of ``old`` missing
    from ``new``, shorter in ``new``, or with another head at the same version."""
    later = {leaf_order(leaf): leaf for leaf in new.leaves}
    findings = []
    for leaf in old.leaves:
        found = later.get(leaf_order(leaf))
        if found is None:
            problem = f"{old_name} holds {leaf.version} event(s) of the journey, {new_name} none"
            findings.append(Finding(leaf.la, leaf.child, 1, problem, new_name, old_name))
        elif found.version < leaf.version:
            problem = f"{old_name} holds {leaf.version} event(s) of the journey, {new_name} only {found.version}"
            findings.append(Finding(leaf.la, leaf.child, found.version + 1, problem, new_name, old_name))
        elif found.version == leaf.version and found.head != leaf.head:
            problem = f"{old_name} and {new_name} hold different events {leaf.version}"
            findings.append(Finding(leaf.la, leaf.child, leaf.version, problem, new_name, old_name))
    return findings
