"""Shared helpers of the 903 import tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from journeys import JourneysApp
from journeys.domain.timeline import effective_decisions
from journeys.ssda903 import ImportReport, import_903
from tests.conftest import FIXTURES, ROOT

RETURNS = FIXTURES / "ssda903"
FAKE = ROOT.parent / "shared" / "external" / "d2i-903-fake"

Timeline = list[tuple[str, str, dict[str, Any]]]


def run_import(app: JourneysApp, *paths: Path, year: int | None = None) -> ImportReport:
    return import_903(app, list(paths), la="825", recorded_by="tester", year=year, batch_size=7)


def timelines(app: JourneysApp) -> dict[str, Timeline]:
    """Each child's effective decisions (kind, date, fields set), as `journeys export` would replay them."""
    out: dict[str, Timeline] = {}
    for _la, child, entries in app.streams():
        out[child] = [
            (d.kind, d.on.isoformat(), {k: v for k, v in d.fields.items() if v not in (None, (), [])})
            for d in effective_decisions(entries)
        ]
    return out


def event_count(app: JourneysApp) -> int:
    return sum(1 for _ in app.notifications())
