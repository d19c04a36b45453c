"""The web pages at one local authority's scale: server-side time of the caseload, a child's
page and the agenda (the whole request through the app, HTML rendered), p95 over repeated
requests, beside a plain SQLite query of the same rows in the same run (the caseload: the LA's
rows of the read model's caseload table; a child's page: its stored events; the agenda: every
stored event of the LA; JSON decoded); the ratio is reported. The caseload page shows its first
page of 100 rows, of all the LA's children worked out and sorted.

    python -m bench.web --children 3000     # one LA of ~3,000 children (the goal's scale)
    python -m bench.web --children 300      # a quick run

Goals (docs/performance.md): caseload p95 <= 200 ms, child page p95 <= 50 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Protocol

from starlette.testclient import TestClient

import projections
from journeys import DEFAULT_END, JourneysApp, generate_journeys, load_file
from web import create_app

AS_AT_DAY = DEFAULT_END
AS_AT = DEFAULT_END.isoformat()
# One local authority's children at each scale of bench.run (the goals are for about 3,000).
CHILDREN = {"smoke": 150, "default": 3_000, "national": 3_000}
GOALS_MS = {"caseload": 200.0, "child page": 50.0}


class Report(Protocol):
    def row(self, figure: str, value: str) -> None: ...
    def goal(
        self, name: str, ratio: float | None, target: str, met: bool | None, note: str = "", always: bool = False
    ) -> None: ...


def report(res: Report, scale: str) -> None:
    """Figure 15 of bench.run: each page's p95 and its plain-query ratio; the two goals held
    only at the goal's scale (about 3,000 children)."""
    children = CHILDREN[scale]
    found = main(["--children", str(children), "--runs", "40" if children >= 1000 else "20"])
    for name in ("caseload", "child page", "agenda"):
        page = found[name]
        res.row(
            f"15. web {name}, one LA of {children:,} children: p95 / plain SQLite p95 (ms; ratio)",
            f"{page['p95_ms']:,.1f} / {page['plain_sqlite_p95_ms']:,.2f} ({page['ratio']:,.1f})",
        )
    for name, goal in GOALS_MS.items():
        served = float(found[name]["p95_ms"])
        at_scale = children >= 3_000
        res.goal(
            f"web {name} p95 at one LA of ~3,000 children ≤ {goal:.0f} ms", served if at_scale else None,
            f"≤ {goal:.0f} ms", served <= goal if at_scale else None,
            f"{served:,.1f} ms at {children:,} children", always=True,
        )  # fmt: skip


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) >= 20 else max(samples)


def timed(call: Any, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        out.append((time.perf_counter() - started) * 1000)
    return out


def plain_caseload(views_db: Path, la: str) -> int:
    """The caseload's rows by hand: the LA's rows of the read model's caseload table, their JSON
    columns decoded (what the page reads before working out each line on the date)."""
    conn = sqlite3.connect(views_db)
    rows = conn.execute("SELECT * FROM caseload WHERE la = ?", (la,)).fetchall()
    for row in rows:
        json.loads(row[-2]), json.loads(row[-1])
    conn.close()
    return len(rows)


def plain(db: Path, originator: str | None) -> int:
    """The same rows by hand: every stored event (of one stream), decoded."""
    conn = sqlite3.connect(db)
    sql = "SELECT state FROM stored_events" + (" WHERE originator_id = ?" if originator else "")
    rows = conn.execute(sql, (originator,) if originator else ()).fetchall()
    for (state,) in rows:
        json.loads(state)
    conn.close()
    return len(rows)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--children", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="bench-web-"))
    jsonl, db = folder / "one-la.jsonl", folder / "journeys.db"
    views_db = folder / "journeys.views.db"  # the read model beside a plain SQLite store
    with jsonl.open("w") as out:
        for line in generate_journeys(args.children, seed=1, las=1):
            out.write(json.dumps(line, default=str) + "\n")
    app = JourneysApp(str(db))
    load_file(app, jsonl, default_la=None, recorded_by="bench")
    # The read model caught up once, as a running server has it; the LA is the generator's one.
    rows = projections.caseload(app, as_at=AS_AT_DAY)
    la = rows[0].la
    children = [r.child for r in rows]
    http = TestClient(create_app(app, user="bench"))
    conn = sqlite3.connect(db)
    streams = [r[0] for r in conn.execute("SELECT DISTINCT originator_id FROM stored_events")]
    conn.close()
    rng = random.Random(1)
    figures: dict[str, Any] = {"children": args.children, "la": la, "as_at": AS_AT, "events": plain(db, None)}
    figures["caseload_rows"] = plain_caseload(views_db, la)
    figures["load_average"] = [round(x, 2) for x in os.getloadavg()]
    pages = {
        "caseload": (lambda: http.get(f"/?la={la}&as_at={AS_AT}"), lambda: plain_caseload(views_db, la)),
        "child page": (
            lambda: http.get(f"/child/{la}/{rng.choice(children)}?as_at={AS_AT}"),
            lambda: plain(db, rng.choice(streams)),
        ),
        "agenda": (lambda: http.get(f"/agenda?la={la}&as_at={AS_AT}"), lambda: plain(db, None)),
    }
    for name, (page, query) in pages.items():
        page()  # once first: templates compiled, modules imported, as on a server that has run a while
        samples = timed(page, args.runs)
        served, by_hand = p95(samples), p95(timed(query, args.runs))
        figures[name] = {"p95_ms": round(served, 1), "median_ms": round(statistics.median(samples), 1),
                         "plain_sqlite_p95_ms": round(by_hand, 2), "ratio": round(served / by_hand, 1)}  # fmt: skip
        print(f"{name:11} p95 {served:8.1f} ms   plain SQLite {by_hand:7.2f} ms   ratio {served / by_hand:6.1f}")
    figures["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    app.close()
    return figures


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:]), indent=1))
