"""`journeys import-903`: load a local authority's SSDA903 returns."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

import journeys
from cli.context import friendly, resolve_la, settings, with_la
from cli.output import echo_json, echo_table, safe_cell
from cli.params import OUTPUT_FILE
from cli.progress import progress_bar

if TYPE_CHECKING:
    from journeys import ImportReport

# The reasons the summary shows (--json and --rejects give them all).
TOP_REASONS = 5


def _summary(report: ImportReport) -> dict[str, Any]:
    return {
        "tables": {
            name: {"read": t.read, "accepted": t.accepted, "present": t.present, "rejected": t.rejected}
            for name, t in report.tables.items()
        },
        "children": report.children,
        "events_appended": report.appended,
        "corrections": report.corrected,
        "inferred_starts": report.inferred_starts,
        "bounded_ends": report.bounded_ends,
        "rows_rejected": report.rows_rejected,
        "files": [{"file": f, "table": t, "year": y} for f, t, y in report.files],
        "ignored": [{"path": p, "why": why} for p, why in report.ignored],
        "reasons": [
            {
                "reason": g.kind,
                "table": g.table,
                "column": g.column,
                "count": g.count,
                "example": {"file": g.example.file, "row": g.example.row, "reason": g.example.reason},
                "remedy": g.remedy,
            }
            for g in report.reasons()
        ],
        "rejects": [
            {"file": r.file, "row": r.row, "table": r.table, "column": r.column, "reason": r.reason}
            for r in report.rejects
        ],
        "warnings": [
            {"file": w.file, "row": w.row, "table": w.table, "column": w.column, "rule": w.rule, "reason": w.reason}
            for w in report.warnings
        ],
    }


def _echo_reasons(report: ImportReport) -> None:
    """The largest groups of reasons, each with a count, its first row and what to do."""
    groups = report.reasons()
    if not groups:
        return
    shown = groups[:TOP_REASONS]
    more = f"the {len(shown)} most frequent of {len(groups)} reasons" if len(groups) > len(shown) else "by reason"
    click.echo(f"Why rows were rejected ({more}; a row may have several problems):")
    for g in shown:
        click.echo(f"  {g.count:>6}  {g.table}.{g.column}: {g.kind}")
        click.echo(f"          e.g. {g.example.file}:{g.example.row}: {g.example.reason}")
        click.echo(f"          what to do: {g.remedy}")


def _write_rejects(path: Path, report: ImportReport) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "row", "table", "column", "reason"])
        for r in report.rejects:
            # a reason quotes the cell it refuses, which may look like a formula to a spreadsheet
            cells = (r.file, r.row, r.table, r.column, r.reason)
            writer.writerow([safe_cell(v, "" if v is None else str(v)) for v in cells])


@click.command("import-903")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@with_la
@click.option(
    "--year", type=click.IntRange(1990, 2100), default=None, help="The return's year (default: the folder name)."
)
@click.option(
    "--rejects",
    "rejects_file",
    type=OUTPUT_FILE,
    default=None,
    help="Write every rejected row (file, row, table, column, reason) to this CSV file.",
)
@click.option(
    "--batch-size", type=click.IntRange(min=1), default=500, show_default=True, help="Events saved per transaction."
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@friendly
def import_903_command(
    paths: tuple[Path, ...],
    la: str | None,
    year: int | None,
    rejects_file: Path | None,
    batch_size: int,
    quiet: bool,
    as_json: bool,
) -> None:
    """Import SSDA903 returns (CSV tables header, episodes, ad1, placed_for_adoption, or the XML return).

    PATHS are folders of one year's return (named by the year, e.g. 2016/), folders of such
    year folders, or CSV or XML files (give --year). A return has an episodes table and one
    file of each table (the XML file holds them all); anything else is refused. Several years
    are merged (the newest return wins where two disagree); rows already imported are
    recognised, changed facts become corrections. Every row read is accepted, already
    present, or rejected with its file, row, column and reason; the summary groups the
    reasons, with what to do about each. Rows that break a validator rule which does not stop
    them being imported are listed as warnings (rule number and reason). Safe to repeat or to
    re-run after an interruption.
    Exits 2 when any row was rejected.

    \b
    Example:
      journeys import-903 fixtures/ssda903 --la 825 --rejects rejects.csv
      journeys import-903 903/2016 --la 825 --json
      journeys import-903 903/2017/return.xml --year 2017 --la 825
    """
    s = settings()
    code = resolve_la(la)
    show_bar = not quiet and not as_json and sys.stderr.isatty()
    # Every file is read to its end (and refused if it cannot be) before the store is opened.
    with journeys.read_903(paths, year) as returns, progress_bar("importing", show_bar) as progress:
        app = s.app(create=True, quiet=quiet or as_json)
        report = journeys.import_903(
            app, returns, la=code, recorded_by=s.recorded_by, batch_size=batch_size, progress=progress
        )
        if returns.paths:  # what came in, in the returns log (docs/returns.md)
            journeys.record_import(app, returns, report, la=code, user=s.recorded_by)
    if rejects_file is not None:
        _write_rejects(rejects_file, report)
    if as_json:
        echo_json(_summary(report))
    else:
        rows = [
            (name, t.read, t.accepted, t.present, t.rejected, "yes" if t.adds_up else "NO")
            for name, t in report.tables.items()
        ]
        echo_table(["table", "rows read", "accepted", "already present", "rejected", "adds up"], rows)
        click.echo(
            f"{report.children} children: {report.appended} events appended, {report.corrected} corrections"
            + (f", {report.inferred_starts} start(s) of care inferred" if report.inferred_starts else "")
            + (f", {report.bounded_ends} end(s) of care bounded" if report.bounded_ends else "")
        )
        _echo_reasons(report)
        for w in report.warnings:
            click.echo(f"warning: {w.file}:{w.row} {w.column}: {w.reason}")
        for path, why in report.ignored:
            click.echo(f"not read: {path}: {why}", err=True)
        if report.rows_rejected:
            where = f"; see {rejects_file}" if rejects_file else "; --rejects FILE lists them"
            click.echo(f"{report.rows_rejected} rows rejected{where}", err=True)
    if report.rows_rejected:
        sys.exit(2)


COMMANDS = [import_903_command]
