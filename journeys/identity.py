"""Stream ids from natural keys: users type their own references, never UUIDs."""

from __future__ import annotations

from uuid import UUID, uuid5

JOURNEYS_NAMESPACE = UUID("6f1d3c52-3b0e-5a55-9c7e-2c1f0a6b8d41")


def journey_id(la: str, child: str) -> UUID:
    """The stream id of one child's journey in one local authority."""
    return uuid5(JOURNEYS_NAMESPACE, f"journey:{la.strip()}:{child.strip()}")
