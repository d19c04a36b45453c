"""`journeys generate`: synthetic journeys in the load format, for benchmarks and demonstrations."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click
import orjson

import journeys
from cli.context import friendly
from cli.output import echo_json


@click.command()
@click.option("--children", type=click.IntRange(min=1), required=True, help="How many children's journeys.")
@click.option("--seed", type=int, required=True, help="Random seed: the same seed always gives the same file.")
@click.option(
    "--out",
    type=click.Path(writable=True, path_type=Path),
    required=True,
    help="JSONL file to write (a folder with --format 903).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "903"]),
    default="jsonl",
    show_default=True,
    help="jsonl for `journeys load`; 903 for SSDA903 returns, OUT/<la>/<year>/ for each collection year.",
)
@click.option(
    "--las", type=click.IntRange(min=1, max=100), default=1, show_default=True, help="Local authorities to spread over."
)
@click.option(
    "--routes",
    is_flag=True,
    help="Record the permanence routes beyond adoption as their own decisions (docs/permanence.md).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@friendly
def generate(children: int, seed: int, out: Path, fmt: str, las: int, routes: bool, as_json: bool) -> None:
    """Write synthetic journeys (no real child) as JSONL that `journeys load` reads.

    Most children go home, to special guardians or stay in care; a minority are adopted,
    with plan reversals, disruptions, late keying and corrections at realistic rates. The
    file loads with nothing rejected. The same --children, --seed and --las always give
    the same file. With --routes some children's special guardianship, child arrangements,
    long-term fostering and return home are recorded as their own decisions (the plan decision,
    the order or match, breakdowns and returns to care). With --format 903 the same history
    is written as SSDA903 returns, one per local authority and collection year
    (OUT/<la>/<year>/, the year ending 31 March), which the reference validator accepts
    (events 903 does not hold, such as family-finding and reviews, are left out).

    \b
    Example:
      journeys generate --children 20000 --seed 1 --las 3 --out synthetic.jsonl
      journeys generate --children 2000 --seed 1 --routes --out routes.jsonl
      journeys --store synthetic.db load synthetic.jsonl
      journeys generate --children 2000 --seed 1 --format 903 --out synthetic-903
      journeys --store s903.db import-903 synthetic-903/825 --la 825
    """
    if not out.parent.is_dir():
        raise click.BadParameter(f"the folder {str(out.parent)!r} does not exist (create it first)", param_hint="--out")
    if fmt == "903":
        if out.exists() and not out.is_dir():
            raise click.BadParameter(
                f"{str(out)!r} is a file: --format 903 writes a folder of tables", param_hint="--out"
            )
        # The last collection year written (the year ending 31 March): the one the history ends in.
        return_year = journeys.DEFAULT_END.year
        rows = journeys.write_903(journeys.generate_journeys(children, seed, las=las, routes=routes), out, return_year)
        if as_json:
            echo_json({"out": str(out), "children": children, "las": las, "seed": seed, "rows": rows})
        else:
            tables = ", ".join(f"{n} {name}" for name, n in rows.items())
            click.echo(
                f"wrote SSDA903 returns (one per LA and collection year) for {children} children in {las} "
                f"local authorities to {out}: {tables}"
            )
        return
    if out.is_dir():
        raise click.BadParameter(f"{str(out)!r} is a folder: give a file name for the JSONL", param_hint="--out")
    kinds: Counter[str] = Counter()
    with out.open("wb") as handle:
        for line in journeys.generate_journeys(children, seed, las=las, routes=routes):
            handle.write(orjson.dumps(line) + b"\n")
            kinds[line["event"]] += 1
    events = sum(kinds.values())
    if as_json:
        echo_json({"out": str(out), "children": children, "las": las, "seed": seed, "events": events,
                   "by_event": dict(sorted(kinds.items()))})  # fmt: skip
    else:
        click.echo(f"wrote {events} events for {children} children in {las} local authorities to {out}")


COMMANDS = [generate]
