"""The cost of delay: `journeys cost` compares two placement-order cohorts' days from the PO to
the match (and to placement) and prices the days saved at a unit cost (docs/costs.md)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import click

import projections
from cli.context import friendly, settings
from cli.explain_output import echo_explained, echo_whole_report, explain_option
from cli.output import echo_csv, echo_table, known_phrase
from cli.params import DATE, json_option, known_at_option
from cli.report_options import catch_up_progress, chosen_las, csv_option, echo_las_visible, las_option
from journeys import today


class FinancialYearType(click.ParamType):  # type: ignore[type-arg,unused-ignore]
    """One financial year, written YYYY-YY (2014-15: 1 April 2014 to 31 March 2015)."""

    name = "year"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value).strip()
        first, _, last = text.partition("-")
        if not (len(first) == 4 and first.isdigit() and len(last) == 2 and last.isdigit()):
            self.fail(f"{text!r} is not a financial year: write it as YYYY-YY, e.g. 2014-15", param, ctx)
        if int(last) != (int(first) + 1) % 100:
            self.fail(f"{text!r} is not one financial year: {first}-{(int(first) + 1) % 100:02d} is", param, ctx)
        return text


class PoundsType(click.ParamType):  # type: ignore[type-arg,unused-ignore]
    """An amount of money in pounds, e.g. 145000 or 145000.00 (no £ sign or commas needed)."""

    name = "pounds"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Decimal:
        text = str(value).strip().lstrip("£").replace(",", "")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            self.fail(f"{value!r} is not an amount of pounds, e.g. 145000", param, ctx)
        if not amount.is_finite() or amount < 0:
            self.fail(f"{value!r} is not an amount of pounds, e.g. 145000", param, ctx)
        return amount


YEAR = FinancialYearType()
POUNDS = PoundsType()
FILE = click.Path(dir_okay=False, path_type=Path)

CHILD_HEADERS = ["la", "child", "PO", "days PO→match", "days PO→placed", "days saved", "cost avoided"]
CHILD_KEYS = [
    "la",
    "child",
    "placement_order",
    "days_po_to_match",
    "days_po_to_placed",
    "days_saved",
    "days_saved_to_placed",
    "placement_type",
    "rate",
    "cost_avoided",
    "cost_avoided_to_placed",
]


def _money(text: str | None) -> str:
    if text is None:
        return "-"
    amount = Decimal(text)
    return f"-£{-amount:,.2f}" if amount < 0 else f"£{amount:,.2f}"


def _days(value: float | None) -> str:
    return "-" if value is None else f"{value:,.1f}"


def _echo_report(la: str, report: dict[str, Any], known_at: datetime | None) -> None:
    rate = report["rate"]
    per_day = float(rate["per_day"])
    click.echo(f"Cost of delay, {la}: placement-order cohorts observed at {report['census']}, {known_phrase(known_at)}")
    click.echo(
        f"Rate {rate['name']}: {rate['label']}, £{Decimal(rate['amount']):,.2f} per {rate['per']} "
        f"(£{per_day:,.2f} a day), {rate['price_year']} prices"
    )
    click.echo(f"  source: {rate['source']}")
    if rate["restated"]:
        click.echo(f"  restated {rate['restated']}")
    click.echo("")
    cohorts = [("baseline", report["baseline"]), ("compared", report["compare"])]
    echo_table(
        ["cohort", "as", "POs", "matched", "placed", "waiting", "exited", "mean days PO→match", "mean days PO→placed"],
        [
            [
                c["year"],
                role,
                c["placement_orders"],
                c["matched"],
                c["placed"],
                c["waiting"],
                c["exited"],
                _days(c["mean_days_po_to_match"]),
                _days(c["mean_days_po_to_placed"]),
            ]
            for role, c in cohorts
        ],
    )
    click.echo("")
    band = report["band_percent"]
    lines = [
        ("children compared (matched by the census)", str(len(report["children"]))),
        ("days saved, PO→match", _days(report["days_saved"])),
        ("cost avoided, PO→match", _money(report["cost_avoided"])),
        (
            f"  rate -{band}% / +{band}%",
            f"{_money(report['cost_avoided_low'])} / {_money(report['cost_avoided_high'])}",
        ),
        ("days saved, PO→placed", _days(report["days_saved_to_placed"])),
        ("cost avoided, PO→placed", _money(report["cost_avoided_to_placed"])),
    ]
    if report["contract_cost"] is not None:
        lines += [
            ("contract cost", _money(report["contract_cost"])),
            ("cost avoided less contract", _money(report["net_of_contract"])),
        ]
    echo_table(["measure", "value"], lines)
    if report["children"]:
        click.echo("")
        echo_table(
            CHILD_HEADERS,
            [
                [
                    c["la"],
                    c["child"],
                    c["placement_order"],
                    c["days_po_to_match"],
                    c["days_po_to_placed"],
                    _days(c["days_saved"]),
                    _money(c["cost_avoided"]),
                ]
                for c in report["children"]
            ],
        )
    click.echo("Every child is costed at the rate chosen: the journey records no placement type.")


@click.command()
@click.option(
    "--baseline", type=YEAR, required=True, metavar="YYYY-YY", help="The baseline PO cohort's financial year."
)
@click.option("--compare", type=YEAR, required=True, metavar="YYYY-YY", help="The PO cohort compared with it.")
@click.option("--census", type=DATE, default=None, metavar="DATE", help="Date of observation (default: today).")
@click.option("--rate", default=None, metavar="NAME", help="The unit cost to use (default: the costs file's default).")
@click.option(
    "--costs", "costs_file", type=FILE, default=None, help="A unit-costs TOML file instead of the shipped one."
)
@click.option("--index", "index_file", type=FILE, default=None, help="A price-index TOML file, to restate the rate.")
@click.option(
    "--price-year", type=YEAR, default=None, metavar="YYYY-YY", help="Restate the rate in this year's prices."
)
@click.option("--contract-cost", type=POUNDS, default=None, metavar="POUNDS", help="A cost to set the saving against.")
@las_option
@known_at_option
@json_option
@csv_option
@explain_option
@friendly
def cost(
    baseline: str,
    compare: str,
    census: date | None,
    rate: str | None,
    costs_file: Path | None,
    index_file: Path | None,
    price_year: str | None,
    contract_cost: Decimal | None,
    las: tuple[str, ...],
    known_at: datetime | None,
    as_json: bool,
    as_csv: str | None,
    explain: bool,
) -> None:
    """The cost of delay: the days from placement order to match (and to placement) of one PO
    cohort against a baseline cohort's mean, and what the days saved cost at a unit cost.

    Each child of the compared cohort matched by the census saves the baseline's mean days
    less its own; the cost avoided is those days at the rate, with the rate 20% lower and
    higher. Money is exact, shown to the penny. Rates and their sources: docs/costs.md.

    \b
    Example:
      journeys cost --baseline 2014-15 --compare 2015-16 --la 825 --census 2016-09-30
      journeys cost --baseline 2014-15 --compare 2015-16 --la 825 --rate cma-2022-ifa --json
      journeys cost --baseline 2014-15 --compare 2015-16 --la 825 --contract-cost 145000 --explain
    """
    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    app = settings().app()
    with catch_up_progress(app) as progress:
        by_la = projections.cost(
            app,
            baseline=baseline,
            compare=compare,
            census=census or today(),
            rate=rate,
            costs_file=costs_file,
            index_file=index_file,
            price_year=price_year,
            contract_cost=contract_cost,
            known_at=known_at,
            las=chosen_las(las),
            progress=progress,
            explain=explain,
        )
    if echo_whole_report(by_la, as_json, as_csv, explain):
        return
    echo_las_visible(as_json, as_csv)
    if as_csv:
        echo_csv(CHILD_KEYS, [[c[k] for k in CHILD_KEYS] for r in by_la.values() for c in r["children"]])
        return
    for i, (la, report) in enumerate(by_la.items()):
        if i:
            click.echo("")
        _echo_report(la, report, known_at)
    echo_explained(by_la, explain)


COMMANDS = [cost]
