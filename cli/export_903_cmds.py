"""`journeys export-903`: one collection year's SSDA903 return of one LA, from the journeys in the store."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

import journeys
from cli.context import friendly, resolve_la, settings, with_la
from cli.output import echo_json
from cli.params import known_at_option


@click.command("export-903")
@click.option(
    "--year",
    type=click.IntRange(1990, 2100),
    required=True,
    help="The collection year, by the year it ends in: 2016 is 1 April 2015 to 31 March 2016.",
)
@with_la
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="The folder to write (new, or empty).",
)
@known_at_option
@click.option("--xml", is_flag=True, help="Write the DfE XML form (one file, return.xml) instead of the CSV tables.")
@click.option("--json", "as_json", is_flag=True, help="Print what was written as JSON.")
@friendly
def export_903_command(
    year: int, la: str | None, out: Path, known_at: datetime | None, xml: bool, as_json: bool
) -> None:
    """Write an LA's SSDA903 return of one collection year from the journeys in the store.

    The tables the engine can fill from what it records: header, episodes, ad1 and
    placed_for_adoption, as the CSV files `journeys import-903` and the DfE's validator read
    (or, with --xml, the DfE XML file). The children are those looked after at some time in
    the year; the decisions are those known now, or with --known-at those recorded by then.
    Cells of facts the engine does not record (sex, ethnicity, UPN, postcodes, provider, the
    adopters' details, ...) are left blank: docs/ssda903.md lists each column's source.
    Nothing is written when the export is refused (an LA with no child in the store, a year
    with no child in care, an --out that is not empty).

    \b
    Example:
      journeys export-903 --year 2016 --la 825 --out 903-out/2016
      journeys export-903 --year 2016 --la 825 --out 903-xml/2016 --xml
      journeys export-903 --year 2016 --la 825 --out as-known/2016 --known-at 2016-05-31
    """
    code = resolve_la(la)
    s = settings()
    written = journeys.export_903(s.app(), year=year, la=code, out=out, known_at=known_at, xml=xml, user=s.recorded_by)
    if as_json:
        echo_json({"year": year, "la": code, "out": str(out), "files": [str(p) for p in written]})
    else:
        click.echo(f"wrote the {year - 1}/{year % 100:02d} SSDA903 return of {code} to {out}: "
                   + ", ".join(p.name for p in written))  # fmt: skip


COMMANDS = [export_903_command]
