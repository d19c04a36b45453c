"""The fast path of ``effective_decisions`` (entries in recording order with no correction or
retraction) gives exactly what the general path gives, on random histories."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from journeys.domain.timeline import (
    CORRECT,
    RETRACT,
    Decision,
    Entry,
    apply_changes,
    decisions_at,
    effective_decisions,
)
from journeys.domain.vocabulary import KIND_RANK

START = date(2014, 1, 1)
RECORDED = datetime(2020, 1, 1, tzinfo=UTC)
KINDS = sorted(KIND_RANK)

# (kind, day offset, fields, target) — target only for corrections and retractions
step: st.SearchStrategy[tuple[str, int, dict[str, Any], int | None]] = st.one_of(
    st.tuples(
        st.sampled_from(KINDS),
        st.integers(0, 60),
        st.fixed_dictionaries({}, optional={"to": st.sampled_from(["adoption", "reunification"])}),
        st.none(),
    ),
    st.tuples(
        st.just(CORRECT),
        st.integers(0, 60),
        st.fixed_dictionaries({}, optional={"note": st.text(max_size=3)}),
        st.integers(1, 30),
    ),
    st.tuples(st.just(RETRACT), st.just(0), st.just({}), st.integers(1, 30)),
)


def _entries(steps: list[tuple[str, int, dict[str, Any], int | None]]) -> list[Entry]:
    entries = []
    for seq, (kind, offset, fields, target) in enumerate(steps, start=1):
        on = None if kind == RETRACT else START + timedelta(days=offset)
        at = RECORDED + timedelta(hours=seq)
        entries.append(Entry(seq, kind, on, fields, at, "test", "test", f"e{seq}", f"h{seq}", target=target))
    return entries


@settings(max_examples=300, deadline=None)
@given(st.lists(step, max_size=30), st.randoms(use_true_random=False))
def test_fast_and_general_paths_agree(steps: list[tuple[str, int, dict[str, Any], int | None]], rnd: Any) -> None:
    entries = _entries(steps)
    plain = [e for e in entries if e.kind not in (CORRECT, RETRACT)]
    shuffled = list(entries)
    rnd.shuffle(shuffled)
    for history in (entries, plain, shuffled, tuple(plain)):
        assert effective_decisions(history) == apply_changes(history)
    # and decisions_at at dates in between still filters what the general path gives
    as_at = START + timedelta(days=30)
    assert decisions_at(entries, as_at=as_at) == [d for d in apply_changes(entries) if d.on <= as_at]


def test_a_repeated_seq_takes_the_general_path() -> None:
    at = RECORDED
    first = Entry(2, "match", date(2015, 1, 1), {}, at, "t", "t", "a", "h")
    again = Entry(2, "placed", date(2015, 2, 1), {}, at, "t", "t", "b", "h")
    assert effective_decisions([first, again]) == [Decision(2, "placed", date(2015, 2, 1), {})]


def test_the_fast_path_sorts_by_effective_date_then_natural_order_then_seq() -> None:
    at = RECORDED
    day = date(2015, 1, 1)
    entries = [
        Entry(1, "opened", None, {"la": "825", "child": "C1"}, at, "t", "t", "o", "h"),
        Entry(2, "match", day, {}, at, "t", "t", "a", "h"),
        Entry(3, "entered-care", day, {}, at, "t", "t", "b", "h"),
        Entry(4, "match", day - timedelta(days=1), {}, at, "t", "t", "c", "h"),
        Entry(5, "match", day, {}, at, "t", "t", "d", "h"),
    ]
    assert [d.seq for d in effective_decisions(entries)] == [4, 3, 2, 5]
