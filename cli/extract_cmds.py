"""`journeys extract`: a pseudonymised extract of the journeys, to pool with other authorities."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

import journeys
from cli.context import friendly, settings
from cli.params import LA_CODE, OUTPUT_FILE, known_at_option
from cli.progress import events_bar


@click.command()
@click.option(
    "--pseudonymise",
    is_flag=True,
    help="Replace every reference by a keyed hash, dates of birth by their month, and drop free text "
    "(the only kind of extract; required).",
)
@click.option(
    "--key",
    "key_file",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    metavar="KEYFILE",
    help="The extract key: a file of at least 32 bytes (make one with `openssl rand -hex 32 > FILE`).",
)
@click.option("--out", type=OUTPUT_FILE, required=True, metavar="FILE.jsonl", help="The extract to write.")
@click.option("--la", "las", type=LA_CODE, metavar="CODE", multiple=True, help="Only this local authority; repeatable.")
@known_at_option
@friendly
def extract(pseudonymise: bool, key_file: Path, out: Path, las: tuple[str, ...], known_at: datetime | None) -> None:
    """Write the journeys as JSONL for pooled analysis, with no child reference, day of birth,
    adopters' reference or free text in it: `journeys load` reads it into another store, where
    the scorecard and cohort reports give the source's figures (docs/extracts.md).

    The child reference becomes an HMAC-SHA-256 of it under the key: the same on every run with
    the same key, and not linkable to the child without it. Keep the key apart from the extract.

    \b
    Example:
      openssl rand -hex 32 > extract.key
      journeys extract --pseudonymise --key extract.key --out pooled-825.jsonl --la 825
      journeys extract --pseudonymise --key extract.key --out then.jsonl --known-at 2016-03-31
    """
    if not pseudonymise:
        raise click.UsageError("extract writes pseudonymised data only: add --pseudonymise")
    key = journeys.read_extract_key(key_file)
    app = settings().app()
    with events_bar("extracting", app.head()) as progress:
        count = journeys.write_extract(
            app, key, out, las=list(dict.fromkeys(las)), known_at=known_at, progress=progress
        )
    click.echo(f"extracted {count} events to {out}", err=True)


COMMANDS = [extract]
