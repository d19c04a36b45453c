"""A decision given no fields gets its kind's defaults (remembered after the first
validation), and a kind that requires a field is refused every time."""

from __future__ import annotations

import pytest

from journeys.domain.errors import InvalidEvent
from journeys.domain.payloads import FIELDS_BY_KIND, parse_fields


@pytest.mark.parametrize("kind", sorted(FIELDS_BY_KIND))
def test_no_fields_give_the_models_defaults_every_time(kind: str) -> None:
    try:
        expected = FIELDS_BY_KIND[kind].model_validate({}).__dict__
    except Exception:
        for _ in range(2):
            with pytest.raises(InvalidEvent):
                parse_fields(kind, {})
        return
    first = parse_fields(kind, {})
    first["changed"] = "by a caller"  # a caller's change is not remembered
    assert parse_fields(kind, {}) == expected
    assert parse_fields(kind, {}) is not parse_fields(kind, {})


def test_a_required_field_is_refused_on_every_line() -> None:
    for _ in range(3):
        with pytest.raises(InvalidEvent, match="plan-change"):
            parse_fields("plan-change", {})
