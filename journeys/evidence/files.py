"""Evidence files are written once: a new file, readable by its owner only, never replacing
one that exists, and not left behind half written."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from journeys import new_file
from journeys.domain.errors import CheckpointError


class Kind(NamedTuple):
    """What kind of evidence file, and what to do when the name is taken."""

    what: str
    remedy: str


CHECKPOINT = Kind("a checkpoint", "choose another file name (one per checkpoint, e.g. with the date in it)")
SIGNING_KEY = Kind(
    "a signing key",
    "choose another file name (or remove the old key yourself, if nothing it signed is still to be checked)",
)


def _taken(path: Path, kind: Kind) -> CheckpointError:
    return CheckpointError(f"{str(path)!r} already exists: {kind.what} is never overwritten", kind.remedy)


def refuse_existing(path: Path, kind: Kind) -> None:
    """A :class:`CheckpointError` if ``path`` exists (checked before work that would write it)."""
    if os.path.lexists(path):
        raise _taken(path, kind)


def write_new(path: Path, data: bytes, kind: Kind) -> None:
    """Write ``data`` to a new file ``path`` (0600). An existing file is refused; a write
    that fails removes what it wrote."""
    new_file.write_new(path, data, taken=_taken(path, kind), error=CheckpointError)
