"""The checkpoint's Merkle tree is RFC 6962's: the published tree heads, the recursive
definition for every size, and a leaf encoding that tells apart what differs."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from journeys.domain.merkle import Leaf, leaf_bytes, leaf_hash, merkle_root, node_hash, ordered, tree_root

# The Certificate Transparency reference inputs and the tree heads of their first n leaves
# (n = 0 … 8), as every RFC 6962 implementation publishes them.
CT_LEAVES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]
CT_ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
HEAD = "ab" * 32


@pytest.mark.parametrize("size", range(len(CT_ROOTS)))
def test_the_tree_heads_are_rfc_6962_s(size: int) -> None:
    hashes = [leaf_hash(bytes.fromhex(data)) for data in CT_LEAVES[:size]]
    assert tree_root(hashes).hex() == CT_ROOTS[size]


def _rfc_6962(hashes: list[bytes]) -> bytes:
    """MTH as RFC 6962 section 2.1 defines it: split at the largest power of two below n."""
    if not hashes:
        return hashlib.sha256(b"").digest()
    if len(hashes) == 1:
        return hashes[0]
    k = 1
    while k * 2 < len(hashes):
        k *= 2
    return node_hash(_rfc_6962(hashes[:k]), _rfc_6962(hashes[k:]))


@given(st.lists(st.binary(max_size=8), max_size=70))
def test_the_level_by_level_tree_is_the_recursive_one(data: list[bytes]) -> None:
    hashes = [leaf_hash(d) for d in data]
    assert tree_root(hashes) == _rfc_6962(hashes)


def test_a_leaf_is_its_lengths_fields_version_and_head_in_bytes() -> None:
    encoded = leaf_bytes(Leaf("825", "C001", 7, HEAD))
    assert encoded == (
        b"\x00\x00\x00\x03825" + b"\x00\x00\x00\x04C001" + b"\x00\x00\x00\x00\x00\x00\x00\x07" + bytes.fromhex(HEAD)
    )


def test_a_child_reference_is_encoded_as_utf_8() -> None:
    assert leaf_bytes(Leaf("825", "É1", 1, HEAD))[7:14] == b"\x00\x00\x00\x03\xc3\x891"


@pytest.mark.parametrize(
    "other",
    [
        Leaf("82", "5C001", 7, HEAD),  # the same characters split differently
        Leaf("825", "C001", 8, HEAD),
        Leaf("825", "C002", 7, HEAD),
        Leaf("825", "C001", 7, "ac" + HEAD[2:]),
    ],
)
def test_leaves_that_differ_in_anything_hash_differently(other: Leaf) -> None:
    assert merkle_root([Leaf("825", "C001", 7, HEAD)]) != merkle_root([other])


def test_the_order_is_by_la_then_child_as_utf_8_bytes_whatever_order_they_come_in() -> None:
    leaves = [
        Leaf("928", "A1", 1, HEAD),
        Leaf("825", "c1", 1, HEAD),
        Leaf("825", "C2", 1, HEAD),
        Leaf("825", "É", 1, HEAD),
    ]
    assert [(x.la, x.child) for x in ordered(leaves)] == [("825", "C2"), ("825", "c1"), ("825", "É"), ("928", "A1")]
    assert merkle_root(leaves) == merkle_root(reversed(leaves))


def test_two_leaves_of_one_journey_are_refused() -> None:
    with pytest.raises(ValueError, match="two leaves"):
        merkle_root([Leaf("825", "C1", 1, HEAD), Leaf("825", "C1", 2, HEAD)])
