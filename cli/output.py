"""Formatting for the terminal: aligned tables, JSON and CSV. No domain logic here."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

import click

from journeys import Entry


def jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return value


def known_phrase(known_at: datetime | None) -> str:
    """How a report says which recording time it reflects: "as known now" or "as known at
    2016-10-01 23:59:59 UTC" (the time --known-at selected, in UTC)."""
    if known_at is None:
        return "as known now"
    moment = known_at.astimezone(UTC) if known_at.tzinfo else known_at
    return f"as known at {moment:%Y-%m-%d %H:%M:%S} UTC"


def entry_json(la: str, child: str, entry: Entry) -> dict[str, Any]:
    """One event just recorded (a decision, correction, retraction or surgery action), as JSON."""
    return {
        "la": la,
        "child": child,
        "seq": entry.seq,
        "event": entry.kind,
        "on": entry.on,
        "recorded_at": entry.recorded_at,
        "recorded_by": entry.recorded_by,
        "hash": entry.hash,
        **dict(entry.fields),
    }


def echo_json(data: Any) -> None:
    click.echo(json.dumps(jsonable(data), indent=2, ensure_ascii=False))


def cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(cell(v) for v in value) or "-"
    return str(value)


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A plain aligned table; numbers right-aligned."""
    body = [[cell(v) for v in row] for row in rows]
    raw_rows = list(rows) if not isinstance(rows, list) else rows
    widths = [len(h) for h in headers]
    for row in body:
        for i, text in enumerate(row):
            widths[i] = max(widths[i], len(text))
    numeric = (
        [
            all(isinstance(r[i], int | float) and not isinstance(r[i], bool) for r in raw_rows if r[i] is not None)
            and any(r[i] is not None for r in raw_rows)
            for i in range(len(headers))
        ]
        if raw_rows
        else [False] * len(headers)
    )

    def fmt(row: Sequence[str]) -> str:
        parts = [t.rjust(w) if num else t.ljust(w) for t, w, num in zip(row, widths, numeric, strict=True)]
        return "  ".join(parts).rstrip()

    lines = [fmt(list(headers)), fmt(["-" * w for w in widths])]
    lines.extend(fmt(row) for row in body)
    return "\n".join(lines)


def echo_table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    click.echo(table(headers, list(rows)))


def echo_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else cell(v) for v in row])
    click.echo(buffer.getvalue(), nl=False)
