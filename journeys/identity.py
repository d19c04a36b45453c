"""Stream ids from natural keys: users type their own references, never UUIDs."""

from __future__ import annotations

from functools import lru_cache
from uuid import UUID, uuid5

JOURNEYS_NAMESPACE = UUID("6f1d3c52-3b0e-5a55-9c7e-2c1f0a6b8d41")


@lru_cache(maxsize=1 << 16)  # a load asks for the same child's id once per line
def journey_id(la: str, child: str) -> UUID:
    """The stream id of one child's journey in one local authority."""
    return uuid5(JOURNEYS_NAMESPACE, f"journey:{la.strip()}:{child.strip()}")
