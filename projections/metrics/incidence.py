"""Aalen-Johansen cumulative incidence: for waiting times that can end in more than one way
(matched, plan changed away from adoption, left care otherwise), the probability that a wait
has ended in each way by a time, children still waiting censored.

Tied times are handled exactly, as the discrete-time estimator defines them (no jitter): at a
time where several children leave, every event there shares the children at risk just before
it, and those censored there were still at risk. The same input gives the same output.

The variance is the Greenwood-type (delta-method) estimate of Collett, *Modelling Survival Data
in Medical Research* (3rd ed., §12.2), and the confidence interval is taken on the log(-log)
scale so that it stays within 0 and 1. Pure Python; tests compare it with lifelines and with an
independent computation.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

Z_95 = 1.959963984540054  # the standard normal's 97.5th percentile

C = TypeVar("C", bound=Hashable)


@dataclass(frozen=True)
class Step:
    """The estimator at one distinct time: how many were at risk just before it, how many ended
    there in each way (and in all), and the estimates just after it."""

    time: float
    at_risk: int
    ended: int
    by_cause: dict[object, int]
    survival: float  # still waiting just after the time
    survival_before: float  # still waiting just before it
    incidence: dict[object, float]  # each way's cumulative incidence just after the time


@dataclass(frozen=True)
class Estimate:
    """One way's cumulative incidence at a time, with its variance and confidence interval
    (None where the interval is not defined: an incidence of 0 or 1)."""

    time: float
    incidence: float
    variance: float
    lower: float | None
    upper: float | None


@dataclass(frozen=True)
class Incidence(Generic[C]):
    """The Aalen-Johansen estimate of a set of waits, each ending in one of ``causes`` or censored."""

    causes: tuple[C, ...]
    steps: tuple[Step, ...]
    longest: float | None  # the longest time any wait was followed (None: no waits)

    def _upto(self, t: float) -> list[Step]:
        return [s for s in self.steps if s.time <= t]

    def observable(self, t: float) -> bool:
        """Whether the estimate at ``t`` is known: some wait was followed as far as ``t``, or every
        wait had ended (none censored at the longest) by then."""
        if self.longest is None:
            return False
        return t <= self.longest or (bool(self.steps) and self.steps[-1].survival == 0.0)

    def still_waiting(self, t: float) -> float:
        """The probability that a wait has not ended by ``t`` (the Kaplan-Meier estimate, every
        way of ending counted)."""
        upto = self._upto(t)
        return upto[-1].survival if upto else 1.0

    def at(self, cause: C, t: float, z: float = Z_95) -> Estimate:
        """``cause``'s cumulative incidence by ``t``, its variance and its interval."""
        upto = self._upto(t)
        f_t = upto[-1].incidence[cause] if upto else 0.0
        variance = 0.0
        for s in upto:
            gap = f_t - s.incidence[cause]
            d_j = s.by_cause.get(cause, 0)
            n = s.at_risk
            if gap and s.ended < n:  # where everyone left (n = d) the gap is 0: no later step exists
                variance += gap * gap * s.ended / (n * (n - s.ended))
            variance += s.survival_before**2 * d_j * (n - d_j) / n**3
            variance -= 2 * gap * s.survival_before * d_j / n**2
        variance = max(variance, 0.0)
        lower, upper = _log_log_interval(f_t, variance, z)
        return Estimate(t, f_t, variance, lower, upper)


def _log_log_interval(f: float, variance: float, z: float) -> tuple[float | None, float | None]:
    """The interval exp(-exp(log(-log F) ± z·se(F)/(F·|log F|)))."""
    if not 0.0 < f < 1.0:
        return None, None
    spread = z * math.sqrt(variance) / (f * abs(math.log(f)))
    centre = math.log(-math.log(f))
    return _exp_neg_exp(centre + spread), _exp_neg_exp(centre - spread)


def _exp_neg_exp(x: float) -> float:
    """exp(-exp(x)), 0 where exp(x) is past the largest float (as IEEE arithmetic gives it)."""
    return 0.0 if x > _LARGEST_EXPONENT else math.exp(-math.exp(x))


_LARGEST_EXPONENT = math.log(1.7976931348623157e308)


def aalen_johansen(durations: Sequence[float], causes: Sequence[C | None], every: Sequence[C]) -> Incidence[C]:
    """The estimate for waits of ``durations``, each ended by one of ``every`` (its ``causes``
    entry) or censored (None). Times are taken as they are: equal times are tied."""
    if len(durations) != len(causes):
        raise ValueError("durations and causes must be the same length")
    unknown = {c for c in causes if c is not None} - set(every)
    if unknown:
        raise ValueError(f"causes not among {list(every)}: {sorted(map(str, unknown))}")
    at_time: dict[float, dict[object, int]] = {}
    leaving: dict[float, int] = {}
    for d, c in zip(durations, causes, strict=True):
        leaving[d] = leaving.get(d, 0) + 1
        if c is not None:
            counts = at_time.setdefault(d, {})
            counts[c] = counts.get(c, 0) + 1
    at_risk = len(durations)
    survival = 1.0
    incidence: dict[object, float] = dict.fromkeys(every, 0.0)
    steps: list[Step] = []
    for t in sorted(leaving):
        by_cause = at_time.get(t, {})
        ended = sum(by_cause.values())
        if ended:
            before = survival
            for c in every:
                incidence[c] += before * by_cause.get(c, 0) / at_risk
            survival = before * (at_risk - ended) / at_risk
            steps.append(Step(t, at_risk, ended, dict(by_cause), survival, before, dict(incidence)))
        at_risk -= leaving[t]
    return Incidence(tuple(every), tuple(steps), max(durations) if durations else None)
