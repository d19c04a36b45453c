"""Formatting for the terminal: aligned tables, JSON and CSV. No domain logic here."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Final, TypeVar

import click

from journeys import Entry

F = TypeVar("F", bound=Callable[..., Any])
EXCEL: Final = "excel"


_PLAIN: Final = frozenset({str, int, float, bool, type(None)})


def jsonable(value: Any) -> Any:
    kind = type(value)
    if kind in _PLAIN:  # the common cases first: a report's JSON is mostly these
        return value
    if kind is dict:
        return {str(k): jsonable(v) for k, v in value.items()}
    if kind is list:
        return [jsonable(v) for v in value]
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


# How many items of a streamed JSON list are written at a time.
_STREAMED_CHUNK = 1000
_scalar = json.JSONEncoder(ensure_ascii=False).encode


def echo_json_streamed(head: Mapping[str, Any], key: str, items: Iterable[Any]) -> None:
    """Print ``{**head, key: [*items]}`` as :func:`echo_json` prints it, byte for byte, the
    list written as ``items`` come rather than built first (a load's rejects can be millions)."""
    text = json.dumps(jsonable({**head, key: []}), indent=2, ensure_ascii=False)
    opening, closing = text[: text.rindex("[]")], text[text.rindex("[]") + 2 :]
    chunk: list[str] = []
    written = False
    for item in items:
        chunk.append(("[\n    " if not written and not chunk else ",\n    ") + _in_list(jsonable(item)))
        if len(chunk) >= _STREAMED_CHUNK:
            click.echo((opening if not written else "") + "".join(chunk), nl=False)
            written, chunk = True, []
    if not written and not chunk:
        click.echo(text)
        return
    click.echo((opening if not written else "") + "".join(chunk) + "\n  ]" + closing)


def _in_list(value: Any) -> str:
    """``value`` as ``json.dumps(indent=2)`` writes it as an item of a list that is a value of
    a top-level object; a flat object written directly (the common case, several times faster)."""
    if (
        isinstance(value, dict)
        and value
        and all(type(v) in (str, int, float, bool, type(None)) for v in value.values())
    ):
        fields = ",\n".join(f"      {_scalar(str(k))}: {_scalar(v)}" for k, v in value.items())
        return "{\n" + fields + "\n    }"
    return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n    ")


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


# a spreadsheet reads a cell starting with one of these as a formula (OWASP, "CSV injection")
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
BOM: Final = "\ufeff"
_ASCII: Final = {"→": "->", "←": "<-", "–": "-", "—": "-", "≤": "<=", "≥": ">=", "…": "..."}


def csv_option(help_text: str = "Print CSV instead of a table.") -> Callable[[F], F]:
    """``--csv`` and ``--excel`` (the same CSV with a UTF-8 BOM, for Excel) into ``as_csv``.

    ``as_csv`` is None, ``"csv"`` or ``"excel"``: truthy for either, and :func:`echo_csv` reads
    which from the running command, so a command only tests ``if as_csv``.
    """

    def decorate(command: F) -> F:
        command = click.option(
            "--excel", "as_csv", flag_value=EXCEL, help="CSV for Excel: --csv with a UTF-8 byte-order mark."
        )(command)
        return click.option("--csv", "as_csv", flag_value="csv", help=help_text)(command)

    return decorate


def safe_cell(value: Any, text: str) -> str:
    """``text`` (the written form of ``value``) with a leading ``'`` if a spreadsheet would
    take it for a formula. Numbers stay as they are (``-3`` is a number, not a formula)."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return text
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def ascii_label(text: str) -> str:
    """A label or header for CSV, in ASCII (``care → placed`` becomes ``care -> placed``)."""
    for char, plain in _ASCII.items():
        text = text.replace(char, plain)
    return text


def csv_text(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, exact_floats: bool = False) -> str:
    """The CSV of a table: ASCII headers, empty cells for None, formula-like text cells quoted
    with ``'``; floats as :func:`cell` shows them, or in full with ``exact_floats``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([safe_cell(h, ascii_label(str(h))) for h in headers])
    for row in rows:
        writer.writerow(
            [
                "" if v is None else safe_cell(v, repr(v) if exact_floats and isinstance(v, float) else cell(v))
                for v in row
            ]
        )
    return buffer.getvalue()


def echo_csv(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], *, exact_floats: bool = False, excel: bool | None = None
) -> None:
    """Print :func:`csv_text`, after a UTF-8 BOM when the command was given ``--excel``."""
    if excel is None:
        context = click.get_current_context(silent=True)
        excel = context is not None and context.params.get("as_csv") == EXCEL
    click.echo((BOM if excel else "") + csv_text(headers, rows, exact_floats=exact_floats), nl=False)
