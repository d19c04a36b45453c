"""journeys: each looked-after child's journey to permanence as an append-only event stream."""

from journeys.application import ChildView, HistoryRow, JourneysApp, VerifyReport
from journeys.domain.errors import (
    ChildNotFound,
    DuplicateEvent,
    EventNotFound,
    InvalidEvent,
    JourneyError,
    RuleBroken,
    StoreError,
)
from journeys.loading.batch import LoadReport

__all__ = [
    "ChildNotFound",
    "ChildView",
    "DuplicateEvent",
    "EventNotFound",
    "HistoryRow",
    "InvalidEvent",
    "JourneyError",
    "JourneysApp",
    "LoadReport",
    "RuleBroken",
    "StoreError",
    "VerifyReport",
]
