"""A checkpoint as a file: a signed header and the journeys' heads it was computed from.

The header (every key but ``signature`` and ``leaves``) is what is signed, as the bytes
:func:`signed_bytes` writes; the leaves are held by the header's ``root``, their Merkle root
(:mod:`journeys.domain.merkle`). Reading a file checks both, so a checkpoint read is one that
is whole and as its signer wrote it (docs/evidence.md).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

from journeys.domain.errors import CheckpointError
from journeys.domain.merkle import Leaf, leaf_bytes, leaf_hash, leaf_order, tree_root
from journeys.evidence.files import CHECKPOINT, write_new
from journeys.evidence.keys import signature_holds

FORMAT = "journeys-checkpoint/1"
_HEX64 = re.compile(r"[0-9a-f]{64}")
_HEX128 = re.compile(r"[0-9a-f]{128}")
_ALTERED = "use the checkpoint as it was written (a copy kept away from the store), or make a new one"


@dataclass(frozen=True)
class Checkpoint:
    """What a checkpoint pins: ``leaves``, one per journey in the canonical order, whose
    Merkle root is ``root``; signed by ``public_key``."""

    created_at: str  # when it was made: ISO 8601, UTC, ending in "Z"
    known_at: str | None  # the recording time it pins, if not all events stored when it was made
    engine_version: str
    streams: int
    events: int
    root: str
    public_key: str
    signature: str
    leaves: tuple[Leaf, ...]

    def header(self) -> dict[str, Any]:
        """The signed part of the checkpoint."""
        return {
            "format": FORMAT,
            "created_at": self.created_at,
            "known_at": self.known_at,
            "engine_version": self.engine_version,
            "streams": self.streams,
            "events": self.events,
            "root": self.root,
            "public_key": self.public_key,
        }

    @property
    def state_time(self) -> datetime:
        """The time of the state it pins: ``known_at`` if given, else ``created_at``."""
        return datetime.fromisoformat(self.known_at or self.created_at)


def signed_bytes(header: dict[str, Any]) -> bytes:
    """The bytes a checkpoint's signature is over: its header as JSON, keys sorted, no spaces,
    ASCII (Python's ``json.dumps(header, sort_keys=True, separators=(",", ":"))``)."""
    return json.dumps(header, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def checkpoint_text(checkpoint: Checkpoint) -> str:
    """The file of ``checkpoint``: JSON, the header's keys one a line, then the signature,
    then the leaves one a line."""
    fields = {**checkpoint.header(), "signature": checkpoint.signature}
    lines = [f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}," for key, value in fields.items()]
    leaves = ",\n".join(f"    {json.dumps(list(leaf), ensure_ascii=False)}" for leaf in checkpoint.leaves)
    body = f'  "leaves": [\n{leaves}\n  ]' if leaves else '  "leaves": []'
    return "{\n" + "\n".join(lines) + "\n" + body + "\n}\n"


def write_checkpoint(checkpoint: Checkpoint, path: Path) -> None:
    """Write ``checkpoint`` to a new file ``path`` (0600, as the store's files are); an
    existing file is never replaced, and a failed write leaves none."""
    write_new(path, checkpoint_text(checkpoint).encode("utf-8"), CHECKPOINT)


def read_checkpoint(path: Path) -> Checkpoint:
    """The checkpoint in the file ``path``, checked whole: a :class:`CheckpointError` when it
    cannot be read, is not a checkpoint, or was altered since it was signed."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CheckpointError(f"cannot read the checkpoint {str(path)!r}: {error.strerror}") from None
    return parse_checkpoint(data, str(path))


def parse_checkpoint(data: bytes, name: str) -> Checkpoint:
    """The checkpoint whose file holds ``data`` (``name`` says which file in messages)."""
    try:
        found = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise CheckpointError(f"the checkpoint {name!r} is not JSON: it is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise CheckpointError(
            f"the checkpoint {name!r} is not JSON ({error.msg} at line {error.lineno} column {error.colno})"
        ) from None
    checkpoint = _shaped(found, name)
    if not signature_holds(checkpoint.public_key, checkpoint.signature, signed_bytes(checkpoint.header())):
        raise CheckpointError(f"the checkpoint {name!r} was altered: its signature does not match its header", _ALTERED)
    # (the leaves are in the canonical order, checked as they were read)
    if tree_root([leaf_hash(leaf_bytes(leaf)) for leaf in checkpoint.leaves]).hex() != checkpoint.root:
        raise CheckpointError(f"the checkpoint {name!r} was altered: its journeys do not hash to its root", _ALTERED)
    leaves, events = len(checkpoint.leaves), sum(leaf.version for leaf in checkpoint.leaves)
    if (checkpoint.streams, checkpoint.events) != (leaves, events):
        raise CheckpointError(
            f"the checkpoint {name!r} does not add up: it counts {checkpoint.streams} journeys and"
            f" {checkpoint.events} events, its list {leaves} and {events}",
            "make a new checkpoint with `journeys checkpoint`",
        )
    return checkpoint


def _shaped(found: Any, name: str) -> Checkpoint:
    """``found`` (the decoded JSON) as a checkpoint, its fields and leaves of the right form."""

    def bad(what: str) -> CheckpointError:
        return CheckpointError(f"the checkpoint {name!r} is not a journeys checkpoint: {what}")

    if not isinstance(found, dict):
        raise bad("it is not a JSON object")
    if found.get("format") != FORMAT:
        raise bad(f"its format is {found.get('format')!r}, not {FORMAT!r}")
    texts = {k: found.get(k) for k in ("created_at", "engine_version", "root", "public_key", "signature")}
    for key, value in texts.items():
        if not isinstance(value, str):
            raise bad(f"{key!r} is missing or not text")
    known_at = found.get("known_at")
    if known_at is not None and not isinstance(known_at, str):
        raise bad("'known_at' is not text")
    for key in ("created_at", "known_at"):
        value = found.get(key)
        if isinstance(value, str) and not _is_utc_time(value):
            raise bad(f"{key!r} is not a UTC time")
    counts = {k: found.get(k) for k in ("streams", "events")}
    for key, value in counts.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise bad(f"{key!r} is missing or not a count")
    if not (_HEX64.fullmatch(str(texts["root"])) and _HEX64.fullmatch(str(texts["public_key"]))):
        raise bad("'root' and 'public_key' are not 64 hex digits")
    if not _HEX128.fullmatch(str(texts["signature"])):
        raise bad("'signature' is not 128 hex digits")
    raw_leaves = found.get("leaves")
    if not isinstance(raw_leaves, list):
        raise bad("'leaves' is missing or not a list")
    leaves = tuple(_leaf(raw, bad) for raw in raw_leaves)
    keys = [leaf_order(leaf) for leaf in leaves]
    for (before, after), (first, then) in zip(pairwise(leaves), pairwise(keys), strict=True):
        if first >= then:
            raise CheckpointError(
                f"the checkpoint {name!r} was altered: its journeys are not in their order "
                f"(child {after.child} ({after.la}) after child {before.child} ({before.la}))",
                _ALTERED,
            )
    checkpoint = Checkpoint(
        created_at=str(texts["created_at"]),
        known_at=known_at,
        engine_version=str(texts["engine_version"]),
        streams=int(counts["streams"] or 0),
        events=int(counts["events"] or 0),
        root=str(texts["root"]),
        public_key=str(texts["public_key"]),
        signature=str(texts["signature"]),
        leaves=leaves,
    )
    return checkpoint


def _leaf(raw: Any, bad: Any) -> Leaf:
    if (
        isinstance(raw, list)
        and len(raw) == 4
        and isinstance(raw[0], str)
        and isinstance(raw[1], str)
        and isinstance(raw[2], int)
        and not isinstance(raw[2], bool)
        and raw[2] >= 1
        and isinstance(raw[3], str)
        and _HEX64.fullmatch(raw[3])
    ):
        return Leaf(raw[0], raw[1], raw[2], raw[3])
    raise bad(f"a journey is written {json.dumps(raw)[:80]}, not [la, child, version, head hash]")


def _is_utc_time(text: str) -> bool:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return False
    return text.endswith("Z") and moment.utcoffset() is not None and not moment.utcoffset()
