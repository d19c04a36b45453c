"""The Merkle tree of a checkpoint: one leaf per journey, the tree of RFC 6962 (section 2.1).

A leaf is a journey's head as a checkpoint pins it: its local authority, its child reference,
its version (how many events the stream holds) and the hash of its latest event. The leaves
are taken in the canonical order (:func:`leaf_order`), each encoded as :func:`leaf_bytes`
writes it; the root is RFC 6962's Merkle tree hash over them, SHA-256 with a 0x00 prefix
for a leaf and 0x01 for a node. docs/evidence.md says the same in words, so that anyone can
recompute a root without this code.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import NamedTuple

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"


class Leaf(NamedTuple):
    """A journey's head: ``version`` events in its stream, the last with hash ``head``."""

    la: str
    child: str
    version: int
    head: str  # the latest event's hash: 64 lower-case hex digits


def leaf_order(leaf: Leaf) -> tuple[bytes, bytes]:
    """The canonical order of leaves: by local authority, then child reference, each compared
    as UTF-8 bytes (which is also the order of their Unicode code points)."""
    return leaf.la.encode("utf-8"), leaf.child.encode("utf-8")


def leaf_bytes(leaf: Leaf) -> bytes:
    """A leaf's encoding: the LA and the child reference as UTF-8, each after its length in
    bytes (4 bytes, big-endian); the version (8 bytes, big-endian); the head hash's 32 bytes."""
    la, child = leaf.la.encode("utf-8"), leaf.child.encode("utf-8")
    head = bytes.fromhex(leaf.head)
    if len(head) != 32:
        raise ValueError(f"a head hash is 32 bytes, not {len(head)}")
    return b"".join(
        (struct.pack(">I", len(la)), la, struct.pack(">I", len(child)), child, struct.pack(">Q", leaf.version), head)
    )


def leaf_hash(data: bytes) -> bytes:
    """RFC 6962's hash of a leaf's bytes: SHA-256(0x00 || data)."""
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 6962's hash of an inner node: SHA-256(0x01 || left || right)."""
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def tree_root(hashes: Sequence[bytes]) -> bytes:
    """RFC 6962's Merkle tree hash of leaves already hashed (:func:`leaf_hash`), in order.

    RFC 6962 splits n leaves at the largest power of two below n; pairing neighbours level by
    level and carrying an odd last node up unpaired builds the same tree. No tree: SHA-256 of
    nothing.
    """
    if not hashes:
        return hashlib.sha256(b"").digest()
    level = list(hashes)
    while len(level) > 1:
        paired = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


def ordered(leaves: Iterable[Leaf]) -> list[Leaf]:
    """``leaves`` in the canonical order; two leaves of one journey are refused."""
    found = sorted(leaves, key=leaf_order)
    for before, after in pairwise(found):
        if leaf_order(before) == leaf_order(after):
            raise ValueError(f"child {after.child} ({after.la}) has two leaves")
    return found


def merkle_root(leaves: Iterable[Leaf]) -> str:
    """The root (hex) of the tree over ``leaves``, taken in the canonical order."""
    return tree_root([leaf_hash(leaf_bytes(leaf)) for leaf in ordered(leaves)]).hex()
