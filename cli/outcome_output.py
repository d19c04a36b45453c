"""How `journeys cohort --outcomes` prints each cohort's outcomes: a table of the cumulative
incidence of each way the wait ended, at each horizon, with its 95% interval; in CSV, one
column per exit, horizon and bound after the cohort's columns."""

from __future__ import annotations

from typing import Any

import click

from cli.output import echo_table

EXITS = (("matched", "matched"), ("plan_changed", "plan changed"), ("left_care", "left care otherwise"))
MONTHS = (3, 6, 12, 18)
PLACES = 3  # an incidence is printed to 3 places (JSON and CSV keep it whole)


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.{PLACES}f}"


def _with_interval(estimate: dict[str, Any]) -> str:
    if estimate["incidence"] is None:
        return "-"
    text = _share(estimate["incidence"])
    if estimate["lower"] is None:
        return text
    return f"{text} ({_share(estimate['lower'])}–{_share(estimate['upper'])})"


def echo_outcomes(by_la: dict[str, dict[str, Any]]) -> None:
    """The outcomes table of every cohort of every local authority."""
    click.echo("")
    click.echo("How the waits ended: cumulative incidence (Aalen–Johansen) since the PO, with 95% intervals")
    headers = ["la", "year", "outcome", *(f"{m} months" for m in MONTHS)]
    rows: list[list[Any]] = []
    for la, report in by_la.items():
        for r in report["rows"]:
            found = r["outcomes"]
            for key, label in EXITS:
                rows.append([la, r["year"], label, *(_with_interval(e) for e in found[key])])
            rows.append([la, r["year"], "still waiting", *(_share(w["probability"]) for w in found["waiting"])])
    echo_table(headers, rows)
    click.echo("A month is 365.25/12 days (3, 6, 12, 18 months: 91, 182, 365, 547 days); '-': not yet observed.")


def csv_keys() -> list[str]:
    """The outcome columns of the CSV, after the cohort's own."""
    keys = [f"{key}_{m}m{bound}" for key, _ in EXITS for m in MONTHS for bound in ("", "_lower", "_upper")]
    return keys + [f"waiting_{m}m" for m in MONTHS]


def csv_values(row: dict[str, Any]) -> list[Any]:
    found = row["outcomes"]
    values = [e[field] for key, _ in EXITS for e in found[key] for field in ("incidence", "lower", "upper")]
    return values + [w["probability"] for w in found["waiting"]]
