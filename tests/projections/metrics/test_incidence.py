"""The Aalen-Johansen estimate of each way a wait ends agrees with lifelines where no times are
tied, and with the product-integral of its definition (computed here in exact fractions) where
they are; the ways and the still-waiting probability add up to 1 at every time."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lifelines import AalenJohansenFitter

from projections.metrics.incidence import aalen_johansen

CAUSES = (1, 2, 3)
TOLERANCE = 1e-9

# A sample of waits: (duration, cause or 0 for censored).
tie_free = st.lists(st.integers(min_value=1, max_value=2000), min_size=2, max_size=60, unique=True).flatmap(
    lambda times: st.lists(st.sampled_from((0, *CAUSES)), min_size=len(times), max_size=len(times)).map(
        lambda causes: list(zip(times, causes, strict=True))
    )
)
tied = st.lists(
    st.tuples(st.integers(min_value=0, max_value=30), st.sampled_from((0, *CAUSES))), min_size=1, max_size=60
)


def _fit(sample: list[tuple[int, int]]):  # type: ignore[no-untyped-def]
    durations = [float(t) for t, _ in sample]
    return aalen_johansen(durations, [c or None for _, c in sample], CAUSES)


def _product_integral(sample: list[tuple[int, int]], t: int) -> tuple[dict[int, Fraction], Fraction]:
    """From the definition: P(0, t) = prod over event times s <= t of (I + dA(s)), dA the
    Nelson-Aalen increments out of "waiting" (state 0) into each cause; exact fractions. Returns
    row 0 of P: each cause's probability and that of still waiting."""
    states = (0, *CAUSES)
    row = {s: Fraction(int(s == 0)) for s in states}
    for s in sorted({d for d, c in sample if c and d <= t}):
        at_risk = sum(1 for d, _ in sample if d >= s)
        ended = {c: sum(1 for d, k in sample if d == s and k == c) for c in CAUSES}
        step = {0: {0: 1 - Fraction(sum(ended.values()), at_risk), **{c: Fraction(ended[c], at_risk) for c in CAUSES}}}
        for c in CAUSES:  # the exits are absorbing
            step[c] = {k: Fraction(int(k == c)) for k in states}
        row = {k: sum((row[j] * step[j].get(k, Fraction(0)) for j in states), Fraction(0)) for k in states}
    return {c: row[c] for c in CAUSES}, row[0]


@settings(max_examples=120, deadline=None)
@given(tie_free)
def test_without_ties_it_agrees_with_lifelines(sample: list[tuple[int, int]]) -> None:
    durations = [float(t) for t, _ in sample]
    causes = [c for _, c in sample]
    ours = _fit(sample)

    for cause in CAUSES:
        if cause not in causes:
            continue
        fitter = AalenJohansenFitter(calculate_variance=True).fit(durations, causes, event_of_interest=cause)
        incidence = fitter.cumulative_density_.iloc[:, 0]
        for t, expected in incidence.items():
            found = ours.at(cause, float(t))
            assert math.isclose(found.incidence, float(expected), rel_tol=0, abs_tol=TOLERANCE), (cause, t)
            variance = float(fitter.variance_[t])
            if math.isnan(variance):  # lifelines' 0 * inf where the last child at risk left (n = d)
                continue
            assert math.isclose(found.variance, variance, rel_tol=0, abs_tol=TOLERANCE), (cause, t)
            bounds = sorted(float(b) for b in fitter.confidence_interval_.loc[t])
            if found.lower is None:
                assert all(math.isnan(b) for b in bounds) or found.incidence in (0.0, 1.0)
            else:
                assert math.isclose(found.lower, bounds[0], rel_tol=0, abs_tol=TOLERANCE), (cause, t)
                assert found.upper is not None
                assert math.isclose(found.upper, bounds[1], rel_tol=0, abs_tol=TOLERANCE), (cause, t)


@settings(max_examples=150, deadline=None)
@given(tied)
def test_with_ties_it_is_the_product_integral_of_its_definition(sample: list[tuple[int, int]]) -> None:
    ours = _fit(sample)

    for t in range(0, 32):
        expected, waiting = _product_integral(sample, t)
        for cause in CAUSES:
            assert math.isclose(ours.at(cause, t).incidence, float(expected[cause]), rel_tol=0, abs_tol=1e-12)
        assert math.isclose(ours.still_waiting(t), float(waiting), rel_tol=0, abs_tol=1e-12)


@settings(max_examples=150, deadline=None)
@given(tied)
def test_every_way_of_ending_and_still_waiting_add_up_to_one(sample: list[tuple[int, int]]) -> None:
    ours = _fit(sample)

    for t in range(-1, 32):
        total = sum(ours.at(cause, t).incidence for cause in CAUSES) + ours.still_waiting(t)
        assert math.isclose(total, 1.0, rel_tol=0, abs_tol=1e-12), t


def test_a_hand_worked_tie_splits_the_children_at_risk() -> None:
    # Five waits: two end on day 10 (one matched, one plan changed) while one is censored there,
    # one is matched on day 20, one is still waiting on day 30.
    sample = [(10, 1), (10, 2), (10, 0), (20, 1), (30, 0)]
    ours = _fit(sample)

    assert ours.at(1, 10).incidence == pytest.approx(1 / 5)
    assert ours.at(2, 10).incidence == pytest.approx(1 / 5)
    assert ours.still_waiting(10) == pytest.approx(3 / 5)
    # on day 20 two are at risk: half of the 3/5 still waiting is matched
    assert ours.at(1, 20).incidence == pytest.approx(1 / 5 + 3 / 10)
    assert ours.still_waiting(20) == pytest.approx(3 / 10)
    assert ours.at(1, 9).incidence == 0.0 and ours.still_waiting(9) == 1.0


def test_the_same_waits_in_any_order_give_the_same_estimate() -> None:
    sample = [(10, 1), (10, 2), (10, 0), (20, 1), (30, 0), (5, 3), (20, 2)]

    first = _fit(sample)
    again = _fit(list(reversed(sample)))

    assert first == again
    assert [first.at(c, 25) for c in CAUSES] == [again.at(c, 25) for c in CAUSES]


def test_beyond_the_longest_wait_followed_nothing_is_known_unless_every_wait_ended() -> None:
    censored_last = _fit([(10, 1), (20, 0)])
    all_ended = _fit([(10, 1), (20, 2)])

    assert censored_last.observable(20) and not censored_last.observable(21)
    assert all_ended.observable(400)
    assert all_ended.at(1, 400).incidence == pytest.approx(1 / 2)
    assert all_ended.at(1, 400).lower is not None


def test_a_cause_it_was_not_told_of_is_refused() -> None:
    with pytest.raises(ValueError, match="causes not among"):
        aalen_johansen([1.0], [7], CAUSES)


def test_a_hundred_runs_on_tied_times_give_the_same_estimate_every_time() -> None:
    # ties of every kind: two ways ending on one day, censored on a day others end, all on day 0
    sample = [(0, 1), (0, 0), (10, 1), (10, 2), (10, 0), (10, 3), (20, 1), (20, 1), (30, 0), (30, 2), (45, 0)]
    first = _fit(sample)
    runs = [_fit(list(reversed(sample)) if n % 2 else sample) for n in range(100)]

    assert all(run == first for run in runs)
    assert {tuple(run.at(c, t) for c in CAUSES for t in range(-1, 50)) for run in runs} == {
        tuple(first.at(c, t) for c in CAUSES for t in range(-1, 50))
    }
