"""Figure ids: the name under which a report's figure can be asked for again (`journeys
explain FIGURE-ID`).

An id is the report, the local authority, the figure's key and the report's options, in one
order, with nothing that changes from one run to the next::

    REPORT:LA:KEY@OPTION=VALUE,OPTION=VALUE

    scorecard:825:A1.mean_days@from=2012-04-01,to=2015-03-31,a3=14
    cohort:all:2015-16.matched@census=2016-09-30,known=2016-10-01T23:59:59.999999Z

``LA`` is the code, or ``all`` when the report was not of one local authority. ``KEY`` is the
figure's key in its report (docs/explain.md lists them). The options are those that decide
the figure, in the order :data:`OPTIONS` gives, each written one way only: dates as
``YYYY-MM-DD``, ``known`` (``--known-at``) as a UTC time ending in ``Z``, free text (an owner, a
rules file) percent-encoded. The same store state and the same report options give the same
id, and the id gives the same figure again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import quote, unquote

from journeys.domain.errors import JourneyError

# Each report's options, in the order an id writes them; the required ones are marked.
OPTIONS: dict[str, tuple[tuple[str, bool], ...]] = {
    "scorecard": (("from", True), ("to", True), ("a3", True), ("known", False)),
    "cohort": (("census", True), ("from", False), ("to", False), ("known", False)),
    "waiting": (("as-at", True), ("known", False)),
    "counts": (("by", True), ("known", False)),
    "stages": (("from", False), ("to", False), ("known", False)),
    "plan-changes": (("from", False), ("to", False), ("all", False), ("known", False)),
    "tracking-cohort": (("from", True), ("to", True), ("census", True), ("known", False)),
    "surgery": (("as-at", True), ("known", False), ("owner", False), ("rules", False)),
    "cost": (
        ("baseline", True),
        ("compare", True),
        ("census", True),
        ("rate", True),
        ("costs", False),
        ("index", False),
        ("price-year", False),
        ("known", False),
    ),
}
DATES = frozenset({"from", "to", "census", "as-at"})
TEXTS = frozenset({"owner", "rules", "costs", "index"})
CHOICES = {"by": ("quarter", "year"), "all": ("1",)}
ALL = "all"
EXAMPLE = "scorecard:825:A1.mean_days@from=2012-04-01,to=2015-03-31,a3=14"
_TOKEN = re.compile(r"[^\s:@,=]+")


class MalformedFigureId(JourneyError):
    """A figure id that is not of the form a report prints."""

    remedy = f"copy the id as a report printed it under --explain, e.g. {EXAMPLE}"


def known_text(moment: datetime) -> str:
    """A recording time as an id writes it: UTC, ending in ``Z``."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def option_text(name: str, value: object) -> str:
    """An option's value as an id writes it."""
    if isinstance(value, datetime):
        return known_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "1"
    text = str(value)
    return quote(text, safe="") if name in TEXTS else text


@dataclass(frozen=True)
class FigureRef:
    """A report run, as figure ids name it: the report, the local authority and the options."""

    report: str
    la: str
    options: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, report: str, la: str | None, options: Mapping[str, object]) -> FigureRef:
        """The run of ``report`` for ``la`` (None or ``all``: every LA) with ``options``
        (None, False and absent alike)."""
        given = {name: value for name, value in options.items() if value is not None and value is not False}
        unknown = set(given) - {name for name, _ in OPTIONS[report]}
        assert not unknown, f"no option {unknown} in a {report} figure id"
        written = tuple((name, option_text(name, given[name])) for name, _ in OPTIONS[report] if name in given)
        return cls(report, la or ALL, written)

    def id(self, key: str) -> str:
        """The id of the figure ``key`` of this run."""
        tail = ",".join(f"{name}={value}" for name, value in self.options)
        return f"{self.report}:{self.la}:{key}" + (f"@{tail}" if tail else "")

    @property
    def named(self) -> dict[str, str]:
        """The options by name, as the id writes them (free text decoded)."""
        return {name: unquote(value) if name in TEXTS else value for name, value in self.options}


@dataclass(frozen=True)
class FigureId:
    """A parsed figure id: which run, and which figure of it."""

    ref: FigureRef
    key: str

    def __str__(self) -> str:
        return self.ref.id(self.key)

    def date(self, name: str) -> date | None:
        value = self.ref.named.get(name)
        return None if value is None else date.fromisoformat(value)

    @property
    def known_at(self) -> datetime | None:
        value = self.ref.named.get("known")
        return None if value is None else datetime.fromisoformat(value.replace("Z", "+00:00"))


def parse(text: str) -> FigureId:
    """The figure id ``text``; raises :class:`MalformedFigureId` for anything a report would not
    have printed (each option is checked, and must be written as the report writes it)."""
    text = text.strip()
    head, _, tail = text.partition("@")
    parts = head.split(":")
    if len(parts) != 3 or not all(_TOKEN.fullmatch(p) for p in parts):
        raise MalformedFigureId(f"{text!r} is not a figure id (REPORT:LA:KEY@OPTIONS)")
    report, la, key = parts
    if report not in OPTIONS:
        raise MalformedFigureId(f"{text!r} names no report: {report!r} is not one of {', '.join(OPTIONS)}")
    given: dict[str, str] = {}
    for item in tail.split(",") if tail else []:
        name, equals, value = item.partition("=")
        if not equals or not value or name in given:
            raise MalformedFigureId(f"{text!r}: {item!r} is not an option written NAME=VALUE (each name once)")
        given[name] = value
    allowed = dict(OPTIONS[report])
    unknown = sorted(set(given) - set(allowed))
    if unknown:
        raise MalformedFigureId(f"{text!r}: a {report} figure has no option {', '.join(unknown)}")
    missing = [name for name, required in OPTIONS[report] if required and name not in given]
    if missing:
        raise MalformedFigureId(f"{text!r}: a {report} figure id needs {', '.join(missing)}")
    values: dict[str, object] = {}
    for name, value in given.items():
        values[name] = _value(text, name, value)
    ref = FigureRef.of(report, la, values)
    if ref.id(key) != text:
        raise MalformedFigureId(f"{text!r} is not written as a report writes it (expected {ref.id(key)!r})")
    return FigureId(ref, key)


def _value(text: str, name: str, value: str) -> object:
    try:
        if name in DATES:
            return date.fromisoformat(value)
        if name == "known":
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            if moment.tzinfo is None:
                raise ValueError("no time zone")
            return moment
        if name == "a3":
            months = int(value)
            if not 1 <= months <= 60:
                raise ValueError("out of range")
            return months
    except ValueError:
        raise MalformedFigureId(f"{text!r}: {name}={value} is not a valid {name}") from None
    if name in CHOICES:
        if value not in CHOICES[name]:
            raise MalformedFigureId(f"{text!r}: {name} must be one of {', '.join(CHOICES[name])}")
        return True if name == "all" else value
    return unquote(value) if name in TEXTS else value
