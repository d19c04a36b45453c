"""Unit costs of a child's time in care, as data: each rate with its amount, its unit (a day or
a week), the price year its prices are of, the placement type it prices and its source
(``costs.toml`` beside this module, or a file of the same layout). A price index (a file of
index values by financial year, with its source) restates a rate in another year's prices.

Amounts are exact: decimals as written, a day's rate the exact fraction of a week's.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any

from journeys.domain.errors import JourneyError

DEFAULT_FILE = Path(__file__).with_name("costs.toml")
DAYS_IN = {"day": 1, "week": 7}
_YEAR = re.compile(r"\d{4}-\d{2}")
PENNY = Decimal("0.01")


def pounds(amount: Fraction | int) -> str:
    """An exact amount shown to the penny (half up), e.g. ``"295293.78"``."""
    value = Fraction(amount)
    return str((Decimal(value.numerator) / Decimal(value.denominator)).quantize(PENNY, rounding=ROUND_HALF_UP))


def exact(value: Fraction | int) -> str:
    """An exact value as its fraction, ``"86394/27"`` (a whole number as itself)."""
    value = Fraction(value)
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


class CostsError(JourneyError):
    """A unit-costs or price-index file that cannot be used, or a rate it does not have."""

    remedy = "see projections/metrics/costs.toml and docs/costs.md for the layout of a costs or index file"


@dataclass(frozen=True)
class Rate:
    """One unit cost: ``amount`` pounds per ``per`` (a day or a week), in ``price_year`` prices."""

    name: str
    label: str
    amount: Decimal
    per: str
    price_year: str
    placement_type: str
    source: str
    restated: str | None = None  # how it was restated from its own price year, if it was

    @property
    def per_day(self) -> Fraction:
        return Fraction(self.amount) / DAYS_IN[self.per]

    def json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "label": self.label,
            "amount": str(self.amount),
            "per": self.per,
            "per_day": pounds(self.per_day),
            "per_day_exact": exact(self.per_day),
            "price_year": self.price_year,
            "placement_type": self.placement_type,
            "source": self.source,
            "restated": self.restated,
        }


@dataclass(frozen=True)
class PriceIndex:
    """Index values by financial year (``2016-17``), with the index's name and source."""

    name: str
    source: str
    values: dict[str, Decimal]

    def restate(self, rate: Rate, year: str) -> Rate:
        """``rate`` in ``year``'s prices: its amount times index[year] / index[its price year]."""
        for needed in (rate.price_year, year):
            if needed not in self.values:
                raise CostsError(f"the index {self.name!r} has no value for {needed}")
        factor = self.values[year] / self.values[rate.price_year]
        amount = rate.amount * factor
        ratio = f"{self.values[year]} / {self.values[rate.price_year]}"
        how = f"from {rate.price_year} to {year} prices by {self.name} ({ratio})"
        return Rate(rate.name, rate.label, amount, rate.per, year, rate.placement_type, rate.source, how)


def _read(path: Path, what: str) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CostsError(f"cannot read the {what} file {path}: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise CostsError(f"the {what} file {path} is not valid TOML: {error}") from None


def _amount(text: Any, where: str) -> Decimal:
    if not isinstance(text, str):
        raise CostsError(f'{where} must be written as a string of pounds, e.g. "646", not {text!r}')
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise CostsError(f"{where} is not a number: {text!r}") from None
    if not value.is_finite() or value <= 0:
        raise CostsError(f"{where} must be a positive amount, not {text!r}")
    return value


def _rate(name: str, entry: Any, path: Path) -> Rate:
    where = f"{path}: rates.{name}"
    if not isinstance(entry, dict):
        raise CostsError(f"{where} is not a table")
    missing = [k for k in ("amount", "per", "price_year", "placement_type", "source") if k not in entry]
    if missing:
        raise CostsError(f"{where} has no {', '.join(missing)}")
    if entry["per"] not in DAYS_IN:
        raise CostsError(f"{where}.per must be 'day' or 'week', not {entry['per']!r}")
    if not isinstance(entry["price_year"], str) or not _YEAR.fullmatch(entry["price_year"]):
        raise CostsError(f"{where}.price_year must be a financial year like 2016-17, not {entry['price_year']!r}")
    return Rate(
        name,
        str(entry.get("label", name)),
        _amount(entry["amount"], f"{where}.amount"),
        entry["per"],
        entry["price_year"],
        str(entry["placement_type"]),
        str(entry["source"]),
    )


@dataclass(frozen=True)
class UnitCosts:
    """The rates of a costs file, and which is the default."""

    rates: dict[str, Rate]
    default: str
    path: Path

    def rate(self, name: str | None) -> Rate:
        chosen = name or self.default
        found = self.rates.get(chosen)
        if found is None:
            raise CostsError(
                f"{self.path.name} has no rate {chosen!r}",
                f"give --rate one of {', '.join(self.rates)}, or a costs file of your own with --costs",
            )
        return found


def load_costs(path: Path | None = None) -> UnitCosts:
    """The rates of ``path`` (None: the shipped ``costs.toml``)."""
    path = path or DEFAULT_FILE
    data = _read(path, "costs")
    rates = data.get("rates")
    if not isinstance(rates, dict) or not rates:
        raise CostsError(f"{path}: no [rates.NAME] table")
    found = {name: _rate(name, entry, path) for name, entry in rates.items()}
    default = data.get("default", next(iter(found)))
    if default not in found:
        raise CostsError(f"{path}: the default rate {default!r} is not one of its rates")
    return UnitCosts(found, default, path)


def load_index(path: Path) -> PriceIndex:
    """A price index file: ``name``, ``source`` and ``[values]`` of index numbers by financial year."""
    data = _read(path, "index")
    values = data.get("values")
    if not isinstance(values, dict) or not values:
        raise CostsError(f"{path}: no [values] table of index numbers by financial year")
    for key in ("name", "source"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise CostsError(f"{path}: no {key} (an index is used only with its source)")
    parsed = {}
    for year, value in values.items():
        if not _YEAR.fullmatch(year):
            raise CostsError(f"{path}: values.{year} is not a financial year like 2016-17")
        parsed[year] = _amount(value, f"{path}: values.{year}")
    return PriceIndex(data["name"], data["source"], parsed)
