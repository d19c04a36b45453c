"""Statutory returns: the ASGLB quarterly adoption return (`journeys asglb`).

The command calls :func:`projections.asglb_return` (which catches the read model up, or
replays as known at --known-at) and formats what it returns; with --out it writes the return
to a new file and records it in the returns log (:func:`projections.record_asglb`).
Definitions: docs/returns.md.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import click

import projections
from cli.context import friendly, settings
from cli.output import BOM, EXCEL, csv_text, echo_csv, echo_json, echo_table, jsonable
from cli.params import OUTPUT_FILE, json_option, known_at_option
from cli.report_options import catch_up_progress, chosen_las, csv_option, las_option

# The return's lines: (label, section, key); a section None is a top-level key.
LINES: list[tuple[str, str | None, str]] = [
    ("ADM decisions", "in_quarter", "adoption_decisions"),
    ("placement orders", "in_quarter", "placement_orders"),
    ("placement consents", "in_quarter", "consents"),
    ("matches", "in_quarter", "matches"),
    ("placements", "in_quarter", "placements"),
    ("adoption orders", "in_quarter", "adoption_orders"),
    ("decisions reversed", "in_quarter", "decisions_reversed"),
    ("waiting at quarter end", "waiting_at_quarter_end", "waiting"),
    ("  over 90 days since ADM, not matched", "waiting_at_quarter_end", "over_90_days_since_adm_not_matched"),
    ("  18+ months since entering care", "waiting_at_quarter_end", "over_18_months_in_care"),
    ("  12+ months since the PO", "waiting_at_quarter_end", "over_12_months_since_po"),
    ("  18+ months since the PO", "waiting_at_quarter_end", "over_18_months_since_po"),
    ("fostering for adoption", None, "fostering_for_adoption"),
    ("concurrent planning", None, "concurrent_planning"),
]


def _value(report: dict[str, Any], section: str | None, key: str) -> Any:
    return report[key] if section is None else report[section][key]


@click.command()
@click.option(
    "--quarter",
    required=True,
    metavar="YYYY-Qn",
    help="Quarter of the financial year starting April YYYY: 2016-Q1 is April-June 2016, "
    "2016-Q4 January-March 2017 (2016-17-Q1 also accepted).",
)
@las_option
@known_at_option
@json_option
@csv_option
@click.option(
    "--out",
    type=OUTPUT_FILE,
    default=None,
    metavar="FILE",
    help="Write the return to the new FILE (CSV; JSON with --json) and record it in the returns log.",
)
@friendly
def asglb(
    quarter: str,
    las: tuple[str, ...],
    known_at: datetime | None,
    as_json: bool,
    as_csv: str | None,
    out: Path | None,
) -> None:
    """The ASGLB quarterly adoption return: decisions in the quarter and the children waiting
    at its end, per local authority. Data the engine does not hold (fostering for adoption,
    concurrent planning) is printed as "not recorded", never as 0 (docs/returns.md).

    With --out FILE the return is written to FILE, a new file (CSV, or JSON with --json), and
    recorded in the returns log, one return per local authority: when, by whom, the state of
    the store it was made from, the file's SHA-256 and its counts (`journeys returns list`).

    \b
    Example:
      journeys asglb --quarter 2016-Q1 --la 825
      journeys asglb --quarter 2016-17-Q4 --la 825 --la 928 --csv
      journeys asglb --quarter 2016-Q1 --la 825 --known-at 2016-07-31T00:00:00Z --json
      journeys asglb --quarter 2016-Q1 --la 825 --out asglb-825-2016-Q1.csv
    """
    chosen = chosen_las(las)
    if out is not None:
        if not chosen:
            raise click.UsageError("a return is a local authority's: give --la CODE with --out (or set JOURNEYS_LA)")
        if out.exists():
            raise click.ClickException(f"{str(out)!r} already exists: a return is never written over a file")
    app = settings().app()
    with catch_up_progress(app) as progress:
        by_la = projections.asglb_return(app, quarter=quarter, known_at=known_at, las=chosen, progress=progress)
    if out is not None:
        _write_and_record(app, out, quarter, by_la, known_at, as_json=as_json, excel=as_csv == EXCEL)
        return
    if as_json:
        echo_json(by_la)
        return
    if as_csv:
        echo_csv(CSV_HEADERS, _csv_rows(by_la))
        return
    first = next(iter(by_la.values()))
    click.echo(f"ASGLB {first['quarter']} ({first['from']} to {first['to']})")
    echo_table(["measure", *by_la], [[label, *(_value(r, s, k) for r in by_la.values())] for label, s, k in LINES])


CSV_HEADERS = ["la", *(key for _, _, key in LINES)]


def _csv_rows(by_la: dict[str, dict[str, Any]]) -> list[list[Any]]:
    return [[la, *(_value(r, s, k) for _, s, k in LINES)] for la, r in by_la.items()]


def _write_and_record(
    app: Any,
    out: Path,
    quarter: str,
    by_la: dict[str, dict[str, Any]],
    known_at: datetime | None,
    *,
    as_json: bool,
    excel: bool,
) -> None:
    """Write the return to the new file ``out`` and record each LA's in the returns log; a
    record refused removes the file."""
    if as_json:
        text = json.dumps(jsonable(by_la), indent=2, ensure_ascii=False) + "\n"
    else:
        text = (BOM if excel else "") + csv_text(CSV_HEADERS, _csv_rows(by_la))
    try:
        with out.open("x", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except FileExistsError:
        raise click.ClickException(f"{str(out)!r} already exists: a return is never written over a file") from None
    try:
        records = projections.record_asglb(
            app, quarter=quarter, by_la=by_la, files=[out], user=settings().recorded_by, known_at=known_at
        )
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    if as_json:
        echo_json({"file": str(out), "returns": [r.id for r in records]})
        return
    for r in records:
        click.echo(f"wrote {out}: return {r.id} recorded (asglb {r.period}, {r.la})")


COMMANDS = [asglb]
