"""The caseload's statuses and sort orders by name: what a command line offers as choices
before anything heavy is imported (:mod:`projections.metrics.caseload` gives them meaning)."""

from __future__ import annotations

from typing import Final

# A child's status on the caseload, most urgent first: its next milestone's status, or
# "closed" when its latest period of care has ended (adopted, or left care).
CASELOAD_STATUSES: Final[tuple[str, ...]] = ("overdue", "due-soon", "open", "on-track", "closed")
# How the caseload can be sorted, the first the default (most urgent first).
CASELOAD_SORT_NAMES: Final[tuple[str, ...]] = ("status", "child", "stage", "due", "days-in-stage", "actions")
