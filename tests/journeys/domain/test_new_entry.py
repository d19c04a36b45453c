"""The cheaper Entry construction (decoding and the bulk load use it) makes the same frozen Entry as its constructor."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest

from journeys.domain.timeline import Entry, new_entry


def test_new_entry_is_the_entry_the_constructor_makes() -> None:
    values = (
        7,
        "match",
        date(2015, 4, 2),
        {"adopters": "AD1"},
        datetime(2020, 1, 1, tzinfo=UTC),
        "sw",
        "cli",
        "e",
        "h",
    )
    made = new_entry(*values)
    expected = Entry(*values)
    assert made == expected
    assert [getattr(made, f.name) for f in dataclasses.fields(Entry)] == [
        getattr(expected, f.name) for f in dataclasses.fields(Entry)
    ]
    assert made.target is None and made.reason is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.kind = "placed"  # type: ignore[misc]
