"""`journeys generate`: synthetic journeys in the load format, for benchmarks and demonstrations."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click
import orjson

from cli.context import friendly
from cli.output import echo_json
from cli.params import OUTPUT_FILE
from journeys.synthetic import generate as synthetic_journeys


@click.command()
@click.option("--children", type=click.IntRange(min=1), required=True, help="How many children's journeys.")
@click.option("--seed", type=int, required=True, help="Random seed: the same seed always gives the same file.")
@click.option("--out", type=OUTPUT_FILE, required=True, help="JSONL file to write.")
@click.option(
    "--las", type=click.IntRange(min=1, max=100), default=1, show_default=True, help="Local authorities to spread over."
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@friendly
def generate(children: int, seed: int, out: Path, las: int, as_json: bool) -> None:
    """Write synthetic journeys (no real child) as JSONL that `journeys load` reads.

    Most children go home, to special guardians or stay in care; a minority are adopted,
    with plan reversals, disruptions, late keying and corrections at realistic rates. The
    file loads with nothing rejected. The same --children, --seed and --las always give
    the same file.

    \b
    Example:
      journeys generate --children 20000 --seed 1 --las 3 --out synthetic.jsonl
      journeys --store synthetic.db load synthetic.jsonl
    """
    kinds: Counter[str] = Counter()
    with out.open("wb") as handle:
        for line in synthetic_journeys(children, seed, las=las):
            handle.write(orjson.dumps(line) + b"\n")
            kinds[line["event"]] += 1
    events = sum(kinds.values())
    if as_json:
        echo_json({"out": str(out), "children": children, "las": las, "seed": seed, "events": events,
                   "by_event": dict(sorted(kinds.items()))})  # fmt: skip
    else:
        click.echo(f"wrote {events} events for {children} children in {las} local authorities to {out}")


COMMANDS = [generate]
