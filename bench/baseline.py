"""The plain baselines the engine is measured against: a one-table sqlite3 insert, a SELECT
with json.loads, and a pandas script computing the scorecard and PO cohorts from the JSONL.

The pandas script follows the read model's definitions (issue 3): corrections applied by
id, periods of care split at each entered-care, A1/A2/A3/A10 over the periods whose
adoption order falls in the window, and each financial year's court placement orders
observed at a census. It shares no code with the engine, so agreement is evidence.
"""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pandas as pd

from journeys.domain.vocabulary import KIND_RANK


def plain_insert(jsonl: Path, database: Path) -> tuple[int, float]:
    """Insert every line (keyed by la and child) into one table in one transaction: (rows, seconds)."""
    database.unlink(missing_ok=True)
    started = time.perf_counter()
    rows = []
    with jsonl.open("rb") as handle:
        for text in handle:
            line = orjson.loads(text)
            rows.append((line["la"], line["child"], line["event"], text))
    conn = sqlite3.connect(database)
    conn.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, la TEXT, child TEXT, event TEXT, body BLOB)")
    with conn:
        conn.executemany("INSERT INTO events (la, child, event, body) VALUES (?, ?, ?, ?)", rows)
    conn.close()
    return len(rows), time.perf_counter() - started


def plain_select(database: Path) -> tuple[int, float]:
    """SELECT every stored event of the engine's SQLite store and json.loads it: (rows, seconds)."""
    started = time.perf_counter()
    conn = sqlite3.connect(database)
    count = 0
    for (state,) in conn.execute("SELECT state FROM stored_events ORDER BY rowid"):
        json.loads(state)
        count += 1
    conn.close()
    return count, time.perf_counter() - started


def _add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def periods_frame(jsonl: Path) -> pd.DataFrame:
    """One row per child and period of care with the milestone dates the reports use."""
    frame = pd.read_json(jsonl, lines=True, dtype=False)
    frame["line"] = range(len(frame))
    if "corrects" in frame:
        fixes = frame[frame["event"] == "correct"].drop_duplicates("corrects", keep="last")
        new_on = fixes.set_index("corrects")["on"]
        frame = frame[frame["event"] != "correct"].copy()
        if "id" in frame:
            corrected = frame["id"].map(new_on)
            frame["on"] = corrected.where(corrected.notna(), frame["on"])
    for column in ("authority", "with_foster_carers", "carers_since"):
        if column not in frame:
            frame[column] = None
    frame["on"] = pd.to_datetime(frame["on"])
    frame["rank"] = frame["event"].map(KIND_RANK)
    frame = frame.sort_values(["la", "child", "on", "rank", "line"])
    frame["period"] = (frame["event"] == "entered-care").groupby([frame["la"], frame["child"]]).cumsum().clip(lower=1)
    keys = ["la", "child", "period"]

    def first(kind: str, where: Any = None) -> pd.Series:
        rows = frame[frame["event"] == kind]
        if where is not None:
            rows = rows[where(rows)]
        return rows.groupby(keys)["on"].first()

    def last(kind: str) -> pd.Series:
        return frame[frame["event"] == kind].groupby(keys)["on"].last()

    placed_rows = frame[frame["event"] == "placed"].drop_duplicates(keys, keep="last").set_index(keys)
    court = frame["authority"].fillna("placement-order") == "placement-order"
    periods = pd.DataFrame(
        {
            "entered_care": first("entered-care"),
            "placement_order": first("placement-order", lambda rows: court.loc[rows.index]),
            "matched": last("match"),
            "placed": last("placed"),
            "adoption_order": first("adoption-order"),
        }
    )
    periods["with_foster_carers"] = placed_rows["with_foster_carers"].eq(True)
    periods["carers_since"] = pd.to_datetime(placed_rows["carers_since"])
    matches = frame[frame["event"] == "match"][[*keys, "on"]].join(periods["placement_order"], on=keys)
    after = matches[matches["on"] >= matches["placement_order"]].groupby(keys)["on"].first()
    periods["po_match"] = after.reindex(periods.index)
    periods["po_match"] = periods["po_match"].fillna(periods["matched"].where(periods["placement_order"].notna()))
    return periods


def scorecard(periods: pd.DataFrame, start: date, end: date, months: int) -> dict[str, Any]:
    adopted = periods[
        (periods["adoption_order"] >= pd.Timestamp(start)) & (periods["adoption_order"] <= pd.Timestamp(end))
    ]
    with_a1 = adopted[adopted["entered_care"].notna() & adopted["placed"].notna()]
    a1 = (with_a1["placed"] - with_a1["entered_care"]).dt.days
    a2_rows = adopted[adopted["placement_order"].notna() & adopted["matched"].notna()]
    a2 = (a2_rows["matched"] - a2_rows["placement_order"]).dt.days.clip(lower=0)
    deadline = [pd.Timestamp(_add_months(d.date(), months)) for d in with_a1["entered_care"]]
    in_time = int((with_a1["placed"] < pd.Series(deadline, index=with_a1.index)).sum())
    carers = with_a1["with_foster_carers"] & with_a1["carers_since"].notna()
    a10_end = with_a1["placed"].where(~carers, with_a1[["carers_since", "entered_care"]].max(axis=1))
    a10 = (a10_end - with_a1["entered_care"]).dt.days
    return {
        "adopted": len(adopted),
        "A1": {"mean_days": float(a1.mean()) if len(a1) else None, "children": len(a1)},
        "A2": {"mean_days": float(a2.mean()) if len(a2) else None, "children": len(a2)},
        "A3": {"count": in_time},
        "A10": {"mean_days": float(a10.mean()) if len(a10) else None, "children": len(a10)},
    }


def po_cohorts(periods: pd.DataFrame, census: date) -> list[dict[str, Any]]:
    day = pd.Timestamp(census)
    cohort = periods[periods["placement_order"].notna() & (periods["placement_order"] <= day)].copy()
    po = cohort["placement_order"]
    cohort["year"] = po.dt.year - (po.dt.month < 4).astype(int)
    cohort["is_matched"] = cohort["po_match"].notna() & (cohort["po_match"] <= day)
    cohort["days"] = (cohort["po_match"] - po).dt.days.clip(lower=0)
    rows = []
    for year, group in cohort.groupby("year"):
        matched = group[group["is_matched"]]
        rows.append(
            {
                "year": f"{year}-{(int(year) + 1) % 100:02d}",
                "placement_orders": len(group),
                "matched": len(matched),
                "mean_days_po_to_match": float(matched["days"].mean()) if len(matched) else None,
            }
        )
    return rows


def pandas_reports(jsonl: Path, start: date, end: date, months: int, census: date) -> tuple[dict[str, Any], float]:
    """The scorecard and PO cohorts computed by pandas from the JSONL: (figures, seconds)."""
    started = time.perf_counter()
    periods = periods_frame(jsonl)
    figures = {"scorecard": scorecard(periods, start, end, months), "cohorts": po_cohorts(periods, census)}
    return figures, time.perf_counter() - started
