"""A report's figures with their children, and for each child the events that gave its dates.

A figure (:class:`projections.metrics.figures.Figure`) lists the children it counts and, for
each, what it adds and the dates that is made of (:class:`~projections.metrics.figures.Fact`).
Here those dates are found in the children's own streams: the streams of the children listed
(and only those) are read once, their decisions taken as known at the report's ``--known-at``,
and each date matched to the decision in force that gave it (in the same period of care), with
its event number and hash, and those of any correction that moved it.

The JSON of one figure (docs/explain.md)::

    {"id": "scorecard:825:A1.mean_days@...", "label": "A1 mean days care → placed",
     "aggregate": "mean", "value": 292.3,
     "children": [{"la": "825", "child": "B0001", "period": 1, "value": 301,
                   "events": [{"as": "entered care", "event": "entered-care", "on": "2013-02-01",
                               "seq": 2, "hash": "..."}, ...]}, ...]}
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any

from journeys.application import JourneysApp
from journeys.domain.identity import journey_id
from journeys.domain.rules import replay
from journeys.domain.timeline import CORRECT, Decision, Entry, decisions_at
from projections.figure_ids import FigureRef
from projections.metrics.figures import KM_MEDIAN, Fact, Figure, Part
from projections.metrics.summary import PeriodSummary

# A report of summary rows with the figures it is made of, each with the children it counts.
Explained = Callable[[list[PeriodSummary]], tuple[dict[str, Any], Sequence[Figure[Any]]]]


ENTERED_CARE = "entered-care"


@dataclass
class ChildEvents:
    """One child's stream as the report read it: its entries by number, and its decisions as
    known at the report's time, all of them and by period of care."""

    entries: dict[int, Entry]
    decisions: list[Decision]
    _dated: dict[int | None, dict[tuple[str, date], list[Decision]]] = field(default_factory=dict)

    @classmethod
    def of(cls, entries: Sequence[Entry], known_at: datetime | None) -> ChildEvents:
        return cls({e.seq: e for e in entries}, decisions_at(entries, known_at=known_at))

    @cached_property
    def periods(self) -> list[list[Decision]]:
        """The decisions of each period of care, as the summary rows' periods are made (a
        child that entered care once has one period, holding every decision)."""
        if sum(1 for d in self.decisions if d.kind == ENTERED_CARE) <= 1:
            return [self.decisions]
        return [period.decisions for period in replay(self.decisions).periods]

    def _by_kind_and_date(self, period: int | None) -> dict[tuple[str, date], list[Decision]]:
        """The decisions of a period of care (None: of all) by kind and date, made once."""
        found = self._dated.get(period)
        if found is None:
            pool = self.periods[period - 1] if period is not None else self.decisions
            found = self._dated[period] = {}
            for d in pool:
                found.setdefault((d.kind, d.on), []).append(d)
        return found

    def events(self, found: Fact, period: int | None) -> list[dict[str, Any]]:
        """The events that gave ``found``: the decision (or, for a surgery action, the entry),
        then any correction of it; one event with no number when none is found."""
        if found.seq is not None:
            decision = next((d for d in self.decisions if d.seq == found.seq), None)
            if decision is None:
                entry = self.entries.get(found.seq)
                return [self._event(found.name, entry.kind, entry.on, entry)] if entry else [_missing(found)]
            chosen = [decision]
        elif found.on is None:  # undated (child details): any decision of the kinds that sets the field
            chosen = [
                d
                for d in self.decisions
                if d.kind in found.kinds and (found.field is None or d.fields.get(found.field))
            ]
        else:  # dated: the decisions of the row's period of care of those kinds on that date
            in_period = period if period is not None and 0 < period <= len(self.periods) else None
            dated = self._by_kind_and_date(in_period)
            chosen = [d for kind in found.kinds for d in dated.get((kind, found.on), ())]
        if not chosen:
            return [_missing(found)]
        listed: list[dict[str, Any]] = []
        for d in chosen:
            listed.append(self._event(found.name, d.kind, d.on, self.entries.get(d.seq)))
            for seq in d.corrected_by:
                correction = self.entries.get(seq)
                on = correction.on if correction is not None and correction.on is not None else d.on
                listed.append(self._event(f"{found.name} (correction)", CORRECT, on, correction))
        return listed

    @staticmethod
    def _event(name: str, kind: str, on: date | None, entry: Entry | None) -> dict[str, Any]:
        return {
            "as": name,
            "event": kind,
            "on": on,
            "seq": entry.seq if entry else None,
            "hash": entry.hash if entry else None,
        }


def _missing(found: Fact) -> dict[str, Any]:
    return {"as": found.name, "event": None, "on": found.on, "seq": None, "hash": None}


def read_children(
    app: JourneysApp, children: Iterable[tuple[str, str]], known_at: datetime | None
) -> dict[tuple[str, str], ChildEvents]:
    """The streams of ``children`` ((la, child) pairs), read in a few queries."""
    wanted = list(dict.fromkeys(children))
    ids = {journey_id(la, child): (la, child) for la, child in wanted}
    found = app.streams_entries(ids)
    return {ids[stream]: ChildEvents.of(entries, known_at) for stream, entries in found.items()}


def part_json(part: Part, aggregate: str, child: ChildEvents | None) -> dict[str, Any]:
    events = [e for f in part.facts for e in (child.events(f, part.period) if child else [_missing(f)])]
    row: dict[str, Any] = {"la": part.la, "child": part.child, "period": part.period, "value": part.value}
    if aggregate == KM_MEDIAN:
        row["observed"] = part.observed
    row["events"] = events
    return row


def explanation(
    app: JourneysApp, figures: Sequence[Figure[Any]], ref: FigureRef, known_at: datetime | None
) -> dict[str, Any]:
    """Each of ``figures`` as JSON, by key: its id, label, aggregate, value and children."""
    parts = {f.key: f.parts() for f in figures}
    streams = read_children(app, ((p.la, p.child) for listed in parts.values() for p in listed), known_at)
    return {
        f.key: {
            "id": ref.id(f.key),
            "label": f.label,
            "aggregate": f.aggregate,
            "value": f.value,
            "children": [part_json(p, f.aggregate, streams.get((p.la, p.child))) for p in parts[f.key]],
        }
        for f in figures
    }


@dataclass(frozen=True)
class Explaining:
    """How a report run explains its figures: the report with its figures, and the report's
    name and options as its figure ids write them."""

    report: Explained
    name: str
    options: Mapping[str, object]
    known_at: datetime | None

    def ref(self, la: str | None) -> FigureRef:
        return FigureRef.of(self.name, la, {**self.options, "known": self.known_at})

    def run(self, app: JourneysApp, la: str | None, rows: list[PeriodSummary]) -> dict[str, Any]:
        """The report of ``rows`` (those of ``la``; None: of every LA), its figures under ``"explain"``."""
        data, figures = self.report(rows)
        return {**data, "explain": explanation(app, figures, self.ref(la), self.known_at)}


def explaining_if(
    explain: bool, report: Explained, name: str, options: Mapping[str, object], known_at: datetime | None
) -> Explaining | None:
    return Explaining(report, name, options, known_at) if explain else None
