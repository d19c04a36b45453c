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
    "journeys.opened.v1": ("child",),
    "journeys.child_details.v1": ("date_of_birth", "expected_date", "sibling_group"),
    "journeys.match.v1": ("adopters",),
    "journeys.disruption.v1": ("reason",),
    "journeys.correction.v1": ("reason",),
    "journeys.retraction.v1": ("reason",),
    "journeys.action_added.v1": ("text",),
    "journeys.action_done.v1": ("note",),
    "journeys.action_edited.v1": ("text",),
    "journeys.action_cancelled.v1": ("reason",),
    "journeys.legal_hold.v1": ("reason",),
    "journeys.sgo_made.v1": ("carers",),
    "journeys.cao_made.v1": ("carers",),
    "journeys.ltf_match.v1": ("carer",),
    "journeys.ltf_breakdown.v1": ("reason",),
}
# An event's id is protected on every event unless it is one the engine made from the content (a
# name-based UUID): the opening's is "opened:LA:CHILD", and a load's lines may carry the LA's own
# ids, which often hold the reference ("825-C001-07").
EVENT_ID = "event_id"


def protects_event_id(event_id: object) -> bool:
    """Whether an event id is kept as a token: any but a UUID's 36-character form."""
    return not (
        isinstance(event_id, str) and len(event_id) == 36 and event_id[8] == event_id[13] == event_id[18] == "-"
    )


# The protected names inside a correction's ``fields`` (a corrected decision's payload).
PROTECTED_IN_FIELDS = ("date_of_birth", "expected_date", "sibling_group", "adopters", "carers", "carer")
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
    if name == EVENT_ID:
        return f"erased:{pseudonym(stream)}"
    if name in YEAR_KEPT or name in ("adopters", "sibling_group", "note"):
        return None
    return ERASED_TEXT


class Protection(Protocol):
    """A child's protection on an erasable store: an event's JSON content as it is stored
    (every protected value a token under the child's key, the same token every time for the
    same value), over which its hash is taken."""

    def stored(self, topic: str, content: Mapping[str, Any]) -> dict[str, Any]: ...
