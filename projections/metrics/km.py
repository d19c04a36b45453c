"""Kaplan-Meier product-limit estimate, for waiting times where some children are still waiting.

Pure Python, no dependencies; tests compare it with an independent implementation.
"""

from __future__ import annotations

from collections.abc import Sequence


def survival_curve(durations: Sequence[float], observed: Sequence[bool]) -> list[tuple[float, float]]:
    """(time, S(time)) at each time an event was observed.

    At a time where both events and censorings happen, the events count first (the
    censored children were still at risk), as is usual.
    """
    if len(durations) != len(observed):
        raise ValueError("durations and observed must be the same length")
    times = sorted(set(durations))
    at_risk = len(durations)
    survival = 1.0
    curve: list[tuple[float, float]] = []
    for t in times:
        events = sum(1 for d, o in zip(durations, observed, strict=True) if d == t and o)
        leaving = sum(1 for d in durations if d == t)
        if events:
            survival *= 1.0 - events / at_risk
            curve.append((t, survival))
        at_risk -= leaving
    return curve


def median(durations: Sequence[float], observed: Sequence[bool]) -> float | None:
    """The first time at which the survival estimate falls to 0.5 or below; None when it never
    does (too many still waiting to say)."""
    return next((t for t, s in survival_curve(durations, observed) if s <= 0.5 + 1e-12), None)
