"""Commands over the whole store: load and export (verify is in evidence_cmds)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

import journeys
from cli.context import default_la, friendly, settings, with_la
from cli.output import echo_json_streamed
from cli.params import OUTPUT_FILE
from cli.progress import events_bar, progress_bar
from journeys import LOAD_BATCH


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_la
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=LOAD_BATCH,
    show_default=True,
    help="Events saved per transaction.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes that load at once, each taking a part of the children "
    "[default: one per CPU, up to 4, for a file of 20,000 lines or more; else 1].",
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@friendly
def load(
    files: tuple[Path, ...], la: str | None, batch_size: int, workers: int | None, quiet: bool, as_json: bool
) -> None:
    """Load events from JSONL FILES (one event per line); safe to repeat.

    Each line is {"la", "child", "event", "on", ...fields} with an optional "id". A line
    of `journeys export` (with its "recorded" member) restores its event exactly as it was
    recorded, and is refused if it was changed. A line already loaded is skipped; a bad
    line is rejected with its file, line and reason, and the good lines still load. A line
    its child's rules refuse is tried again after the file if a later line of the child
    loaded, so loading the file again loads nothing.
    Exits 2 when any line was rejected. A large file is loaded by several processes, each
    child's lines by one of them in file order, so the result is the same as with
    --workers 1.

    \b
    Example:
      journeys load fixtures/examples/*.jsonl
      journeys load national.jsonl --workers 2 --json
    """
    s = settings()
    app = s.app(create=True, quiet=quiet or as_json)
    totals = {"loaded": 0, "skipped": 0, "rejected": 0}
    reports: list[tuple[Path, journeys.LoadReport]] = []  # their rejects are on disk, read when printed
    show_bar = not quiet and not as_json and sys.stderr.isatty()
    try:
        for path in files:
            with progress_bar(f"loading {path.name}", show_bar) as progress:
                report = journeys.load_file(
                    app,
                    path,
                    default_la=default_la(la),
                    recorded_by=s.recorded_by,
                    batch_size=batch_size,
                    workers=workers,
                    progress=progress,
                )
            totals["loaded"] += report.loaded
            totals["skipped"] += report.skipped
            totals["rejected"] += len(report.rejected)
            if as_json:
                reports.append((path, report))
                continue
            for bad in report.rejected:
                click.echo(f"{path}:{bad.line_no}: rejected: {bad.reason}", err=True)
            report.rejected.close()
        if as_json:
            rejects = (
                {"file": str(path), "line": bad.line_no, "reason": bad.reason}
                for path, report in reports
                for bad in report.rejected
            )
            echo_json_streamed(totals, "rejects", rejects)
        else:
            click.echo(
                f"loaded {totals['loaded']}, skipped {totals['skipped']} already present, rejected {totals['rejected']}"
            )
    finally:
        for _, report in reports:
            report.rejected.close()
    if totals["rejected"]:
        sys.exit(2)


@click.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@click.option(
    "--out",
    type=OUTPUT_FILE,
    default=None,
    help="Write to a file instead of standard output.",
)
@click.option(
    "--plain",
    is_flag=True,
    help="Leave out how each event was recorded (and the opening events): lines to edit by hand, "
    "which `load` records as new events.",
)
@friendly
def export(fmt: str, out: Path | None, plain: bool) -> None:
    """Write every stored event as JSONL, corrections and actions included; `load` reads it back.

    Each line carries how its event was recorded ("recorded": seq, time, user, source and
    hash), so that `load` into another store restores every event exactly: the same history,
    the same hashes, the same checkpoints. --plain writes the decisions alone, as a person
    would write them.

    \b
    Example:
      journeys export --out backup.jsonl
      journeys export --plain --out to-edit.jsonl
    """
    app = settings().app()
    if out is None:
        for line in journeys.export_lines(app, plain=plain):
            click.echo(json.dumps(line, ensure_ascii=False))
        return
    with out.open("w", encoding="utf-8") as handle, events_bar("exporting", app.head()) as progress:
        count = 0
        for line in journeys.export_lines(app, progress, plain=plain):
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")
            count += 1
    click.echo(f"exported {count} events to {out}", err=True)


COMMANDS = [load, export]
