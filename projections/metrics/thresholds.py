"""Scorecard thresholds: a data file with sources, chosen by reporting period, overridable."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from journeys.domain.errors import JourneyError

DEFAULT_FILE = Path(__file__).with_name("thresholds.toml")
DEFAULT_A3_MONTHS = 14


class ThresholdsError(JourneyError):
    remedy = "see projections/thresholds.toml for the layout of a thresholds file"


@dataclass(frozen=True)
class Thresholds:
    period: str | None
    a1_days: int | None
    a2_days: int | None
    a3_months: int
    source: str


def _entry(name: str | None, data: Any, path: Path) -> Thresholds:
    if not isinstance(data, dict):
        raise ThresholdsError(f"{path}: {name or 'default'} is not a table")
    try:
        a1 = data.get("A1")
        a2 = data.get("A2")
        months = data.get("A3_months", DEFAULT_A3_MONTHS)
        for key, value in (("A1", a1), ("A2", a2), ("A3_months", months)):
            if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value <= 0):
                where = f"{path}: {name or 'default'}.{key}"
                raise ThresholdsError(f"{where} must be a positive whole number, not {value!r}")
        return Thresholds(name, a1, a2, int(months), str(data.get("source", "")))
    except AttributeError:
        raise ThresholdsError(f"{path}: {name or 'default'} is not a table") from None


def load(path: Path | None = None) -> dict[str | None, Thresholds]:
    """Every entry of a thresholds file, keyed by period (None for the default)."""
    path = path or DEFAULT_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ThresholdsError(f"cannot read the thresholds file {path}: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise ThresholdsError(f"the thresholds file {path} is not valid TOML: {error}") from None
    table: dict[str | None, Thresholds] = {}
    periods = data.get("periods", {})
    if not isinstance(periods, dict):
        raise ThresholdsError(f"{path}: 'periods' is not a table")
    for name, entry in periods.items():
        table[name] = _entry(name, entry, path)
    table[None] = _entry(None, data.get("default", {}), path)
    return table


def for_window(start: date, end: date, path: Path | None = None) -> Thresholds:
    """The thresholds of the three-year period that is exactly this window, else the default."""
    table = load(path)
    name = f"{start.year}-{end.year % 100:02d}"
    exact = start == date(start.year, 4, 1) and end == date(end.year, 3, 31)
    return table[name] if exact and name in table else table[None]
