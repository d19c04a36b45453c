"""Our Kaplan-Meier estimate agrees with lifelines (a test-only, independent implementation)."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st
from lifelines import KaplanMeierFitter

from projections.metrics import km


def _lifelines(durations: list[int], observed: list[bool]) -> tuple[list[tuple[float, float]], float | None]:
    fitter = KaplanMeierFitter().fit(durations, event_observed=observed)
    table = fitter.survival_function_["KM_estimate"]
    events = {d for d, o in zip(durations, observed, strict=True) if o}
    curve = [(float(t), float(s)) for t, s in table.items() if t in events]
    median = float(fitter.median_survival_time_)
    return curve, None if math.isinf(median) else median


def test_waiting_children_are_censored_not_dropped() -> None:
    durations = [10, 20, 30, 40, 50]
    observed = [True, False, True, False, False]

    assert km.median(durations, observed) is None
    curve = km.survival_curve(durations, observed)
    assert [t for t, _ in curve] == [10, 30]
    assert math.isclose(curve[0][1], 4 / 5)
    assert math.isclose(curve[1][1], 4 / 5 * 2 / 3)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(min_value=0, max_value=400), st.booleans()), min_size=1, max_size=40))
def test_kaplan_meier_agrees_with_lifelines(sample: list[tuple[int, bool]]) -> None:
    durations = [d for d, _ in sample]
    observed = [o for _, o in sample]

    curve, median = _lifelines(durations, observed)

    ours = km.survival_curve(durations, observed)
    assert [t for t, _ in ours] == [t for t, _ in curve]
    for (_, a), (_, b) in zip(ours, curve, strict=True):
        assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    if all(abs(s - 0.5) > 1e-9 for _, s in ours):
        # Where the curve sits exactly on 0.5 the median is not unique and lifelines' answer
        # depends on rounding in its products; elsewhere both must agree.
        assert km.median(durations, observed) == median
