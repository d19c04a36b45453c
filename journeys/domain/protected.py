"""Which stored fields of an event identify a child, and what they read as once erased.

On an erasable store (sealing format 2, see docs/data-protection.md) each of these values is
stored as a token encrypted under the child's own key, and the event's hash is taken over the
stored content, tokens included, so the chain still verifies once the key is destroyed. The
LA, the codes and the dates of decisions stay in clear: the pseudonymous residue the
statistics need. The domain says *which* fields; the storage layer encrypts them
(:mod:`journeys.storage.child_keys`), through :class:`Protection`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol
from uuid import UUID

# A protected field's place in an event's JSON content: a top-level name, or (for a
# correction) a name inside its ``fields``.
FIELDS = "fields"

# Stored topic -> the protected top-level fields of its content.
PROTECTED: dict[str, tuple[str, ...]] = {
    "journeys.opened.v1": ("child", "event_id"),  # its event id is "opened:LA:CHILD"
    "journeys.child_details.v1": ("date_of_birth", "expected_date"),
    "journeys.match.v1": ("adopters",),
    "journeys.disruption.v1": ("reason",),
    "journeys.correction.v1": ("reason",),
    "journeys.retraction.v1": ("reason",),
    "journeys.action_added.v1": ("text",),
    "journeys.action_done.v1": ("note",),
    "journeys.action_edited.v1": ("text",),
    "journeys.action_cancelled.v1": ("reason",),
    "journeys.legal_hold.v1": ("reason",),
}
# The protected names inside a correction's ``fields`` (a corrected decision's payload).
PROTECTED_IN_FIELDS = ("date_of_birth", "expected_date", "adopters")
# Dates whose year stays in clear beside the encrypted date (year of birth, or expected).
YEAR_KEPT = frozenset({"date_of_birth", "expected_date"})

# What an erased value reads as: the reference a pseudonym, a date nothing, free text this.
ERASED_TEXT = "[erased]"
ERASED_PREFIX = "erased-"


def pseudonym(stream: UUID) -> str:
    """The reference an erased child is shown and reported by: ``erased-`` and the first 8
    hex digits of its stream id (not derived from the reference)."""
    return f"{ERASED_PREFIX}{stream.hex[:8]}"


def erased_value(stream: UUID, name: str) -> Any:
    """What protected field ``name`` of ``stream`` reads as once its key is destroyed."""
    if name == "child":
        return pseudonym(stream)
    if name == "event_id":
        return f"opened:{pseudonym(stream)}"
    if name in YEAR_KEPT or name == "adopters" or name == "note":
        return None
    return ERASED_TEXT


class Protection(Protocol):
    """A child's protection on an erasable store: an event's JSON content as it is stored
    (every protected value a token under the child's key, the same token every time for the
    same value), over which its hash is taken."""

    def stored(self, topic: str, content: Mapping[str, Any]) -> dict[str, Any]: ...
