"""Run the benchmark: eleven figures, each a ratio measured in this run on this machine, and a
twelfth counted (faults and load: nothing lost or stored twice, bench/faults.py).

    python -m bench.run                      # about 100,000 events (BENCH_SCALE=default)
    BENCH_SCALE=national python -m bench.run # about 300,000 children
    BENCH_SCALE=smoke python -m bench.run --report /tmp/perf.md

Prints one row per figure and writes the report (docs/performance.md by default) with the
machine, the date and the commit. Nothing here is a test: timings are never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import orjson

from bench.baseline import pandas_reports, plain_insert, plain_select
from bench.encryption import encryption_report, store_encryption_report
from bench.erasure import erasure_report
from bench.evidence import MUTATIONS, mutation_figures, verify_figures
from bench.explain import report as explain_report
from bench.faults import report as faults_report
from bench.import_903 import report as import_903_report
from bench.measure import journeys_command, latency, run_process
from bench.rejects import report as rejects_report
from bench.report import commit, report_text
from bench.startup import report as startup_report
from bench.web import report as web_report
from journeys import JourneysApp
from journeys.loading.parallel import workers_for
from journeys.synthetic.generator import generate
from projections import read_model, reports
from projections.views.rebuild import workers_for_events

ROOT = Path(__file__).resolve().parent.parent
PERIOD, PERIOD_START, PERIOD_END = "2015-18", date(2015, 4, 1), date(2018, 3, 31)
CENSUS = date(2023, 9, 30)
SEED = 2017


@dataclass(frozen=True)
class Scale:
    name: str
    small_children: int  # about 10,000 events
    full_children: int
    show_calls: int = 300
    cli_calls: int = 10
    incremental_calls: int = 20
    report_runs: int = 3
    start_runs: int = 21  # of each start-up command, and as many of the yardstick
    mutations: int = MUTATIONS  # single mutations of a checkpointed store (figure 10)
    rejected_lines: int = 100_000  # among the 10k lines, for a load's memory with rejects (12)


SCALES = {
    "smoke": Scale(
        "smoke",
        40,
        120,
        show_calls=10,
        cli_calls=2,
        incremental_calls=2,
        report_runs=1,
        start_runs=1,
        mutations=90,
        rejected_lines=2000,
    ),
    "default": Scale("default", 2150, 21600),
    "national": Scale("national", 2150, 300_000, show_calls=300, cli_calls=5, incremental_calls=20, report_runs=1,
                      rejected_lines=1_000_000),
}  # fmt: skip


@dataclass
class Results:
    scale: Scale
    rows: list[tuple[str, str]] = field(default_factory=list)  # (figure, value)
    goals: list[tuple[str, float | None, str, bool | None, str, bool]] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    def row(self, figure: str, value: str) -> None:
        self.rows.append((figure, value))
        print(f"{figure:<58} {value}", flush=True)

    def goal(
        self, name: str, ratio: float | None, target: str, met: bool | None, note: str = "", always: bool = False
    ) -> None:
        """A goal's row; its note is shown when it is not met, or always."""
        self.goals.append((name, ratio, target, met, note, always))
        value = "—" if ratio is None else f"{ratio:.3f}"
        verdict = {True: "met", False: "NOT met", None: "not measured"}[met]
        print(f"goal: {name}: {value} (target {target}) {verdict}", flush=True)


def write_jsonl(path: Path, children: int) -> int:
    count = 0
    with path.open("wb") as handle:
        for line in generate(children, SEED, las=max(1, min(100, children // 3000))):
            handle.write(orjson.dumps(line) + b"\n")
            count += 1
    return count


def load(store: Path, jsonl: Path, *options: str) -> tuple[int, float, float]:
    """`journeys load` as a process: (events loaded, wall seconds, CPU seconds of all its processes)."""
    for leftover in (store, store.with_name(store.name + "-wal"), store.with_name(store.name + "-shm")):
        leftover.unlink(missing_ok=True)
    done = run_process([*journeys_command(), "--store", str(store), "load", str(jsonl), "--json", *options])
    summary = json.loads(done.stdout)
    if summary["rejected"]:
        raise RuntimeError(f"the generated file had {summary['rejected']} rejected lines: {summary['rejects'][:3]}")
    return int(summary["loaded"]), done.seconds, done.cpu_seconds


def speed_probe() -> float:
    """Seconds a fixed pure-Python loop takes (best of three): how fast the machine runs Python
    code just now, to tell a drift in the machine from a change in the engine."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for i in range(3_000_000):
            total += i
        best = min(best, time.perf_counter() - started)
    return best


@dataclass(frozen=True)
class Rebuilt:
    events: int
    seconds: float
    peak_rss_mb: float  # the rebuilding process's own
    workers_peak_rss_mb: float  # the largest of the processes that derived windows for it (0: none)

    @property
    def rate(self) -> float:
        return self.events / self.seconds


def rebuild(store: Path, *options: str) -> Rebuilt:
    done = run_process([sys.executable, "-m", "bench.worker", "rebuild", str(store), *options])
    figures = json.loads(done.stdout)
    return Rebuilt(
        int(figures["events"]),
        float(figures["seconds"]),
        float(figures["peak_rss_mb"]),
        float(figures["workers_peak_rss_mb"]),
    )


def sample_children(jsonl: Path, count: int) -> list[tuple[str, str, date]]:
    children: dict[tuple[str, str], date] = {}
    with jsonl.open("rb") as handle:
        for text in handle:
            line = orjson.loads(text)
            if line["event"] == "entered-care":
                children.setdefault((line["la"], line["child"]), date.fromisoformat(line["on"]))
    rng = random.Random(SEED)
    keys = rng.sample(sorted(children), min(count, len(children)))
    return [
        (la, child, date.fromordinal(children[(la, child)].toordinal() + rng.randint(0, 900))) for la, child in keys
    ]


def engine_reports(app: JourneysApp) -> dict[str, Any]:
    card = reports.scorecard(app, period=PERIOD)["all"]
    cohorts = reports.cohort(app, census=CENSUS)["all"]
    return {"scorecard": card, "cohorts": cohorts["rows"]}


def disagreements(engine: dict[str, Any], baseline: dict[str, Any]) -> list[str]:
    problems = []

    def same(what: str, a: Any, b: Any) -> None:
        if isinstance(a, float) or isinstance(b, float):
            if a is None or b is None or abs(a - b) > 1e-6:
                problems.append(f"{what}: engine {a}, pandas {b}")
        elif a != b:
            problems.append(f"{what}: engine {a}, pandas {b}")

    card, base = engine["scorecard"], baseline["scorecard"]
    same("adopted", card["adopted"], base["adopted"])
    for key in ("A1", "A2", "A10"):
        same(f"{key} mean", card[key]["mean_days"], base[key]["mean_days"])
        same(f"{key} children", card[key]["children"], base[key]["children"])
    same("A3 count", card["A3"]["count"], base["A3"]["count"])
    rows = {r["year"]: r for r in engine["cohorts"]}
    base_rows = {r["year"]: r for r in baseline["cohorts"]}
    same("cohort years", sorted(rows), sorted(base_rows))
    for year in sorted(set(rows) & set(base_rows)):
        for key in ("placement_orders", "matched", "mean_days_po_to_match"):
            same(f"{year} {key}", rows[year][key], base_rows[year][key])
    return problems


def incremental(app: JourneysApp, la: str, tag: str) -> tuple[float, float]:
    """Record one new event, then time the catch-up (the incremental path) and the catch-up
    followed by a scorecard: (seconds to catch up, seconds to catch up and report)."""
    app.record(la, f"BENCH-{tag}", "entered-care", date(2023, 1, 2), {}, recorded_by="bench", source="bench")
    started = time.perf_counter()
    read_model.projection_catch_up(app)
    caught = time.perf_counter()
    reports.scorecard(app, period=PERIOD)
    return caught - started, time.perf_counter() - started


def show_latency(app: JourneysApp, sample: list[tuple[str, str, date]]) -> list[float]:
    samples = []
    for la, child, as_at in sample:
        started = time.perf_counter()
        app.show(la, child, as_at=as_at)
        samples.append(time.perf_counter() - started)
    return samples


def show_cli_latency(store: Path, sample: list[tuple[str, str, date]]) -> list[float]:
    command = journeys_command()
    return [
        run_process([*command, "--store", str(store), "show", child, "--la", la, "--as-at", as_at.isoformat()]).seconds
        for la, child, as_at in sample
    ]


def measure(scale: Scale, work: Path) -> Results:
    res = Results(scale)
    stores, files, events = {}, {}, {}
    for size, children in (("10k", scale.small_children), ("full", scale.full_children)):
        files[size] = work / f"{size}.jsonl"
        events[size] = write_jsonl(files[size], children)
        stores[size] = work / f"{size}.db"
    res.facts.update(
        small_events=events["10k"], full_events=events["full"],
        small_children=scale.small_children, full_children=scale.full_children,
    )  # fmt: skip
    res.row("scale", f"{scale.name}: {events['10k']} and {events['full']} events ({scale.full_children} children)")

    # 1. load: as a user runs it (one process per CPU for a large file), and in one process
    loaded, seconds, _ = load(stores["10k"], files["10k"])
    res.row(
        f"1. load at 10k (events/s, journeys load, {workers_for(events['10k'])} process(es))",
        f"{loaded / seconds:,.0f}",
    )
    # The plain insert takes seconds, the load a minute at national scale: it is measured before,
    # between and after the loads, and the median taken, so that a drift in the machine's speed
    # during the run weighs on both sides.
    probe_before = speed_probe()
    plains = [plain_insert(files["full"], work / "plain.db")]
    alone, alone_seconds, alone_cpu = load(stores["full"], files["full"], "--workers", "1")
    plains.append(plain_insert(files["full"], work / "plain.db"))
    loaded, seconds, cpu = load(stores["full"], files["full"])
    plains.append(plain_insert(files["full"], work / "plain.db"))
    probe_after = speed_probe()
    rows = plains[0][0]
    plain_rates = sorted(rows / plain_seconds for _, plain_seconds in plains)
    plain_rate = plain_rates[1]
    load_ratio = (loaded / seconds) / plain_rate
    alone_ratio = (alone / alone_seconds) / plain_rate
    res.facts.update(speed_probe=(probe_before, probe_after), plain_rates=plain_rates)
    workers = workers_for(events["full"])
    res.facts.update(load_workers=workers, load_ratio_one_process=alone_ratio)
    res.row(f"1. load at full scale (events/s, journeys load, {workers} processes)", f"{loaded / seconds:,.0f}")
    res.row("1. load at full scale in one process (events/s, --workers 1)", f"{alone / alone_seconds:,.0f}")
    res.row(
        "1. load CPU per event, all processes / one process (µs)",
        f"{1e6 * cpu / loaded:.0f} / {1e6 * alone_cpu / alone:.0f}",
    )
    res.row(
        "1. plain sqlite3 executemany, one transaction (rows/s; median of 3, least–most)",
        f"{plain_rate:,.0f} ({plain_rates[0]:,.0f}–{plain_rates[-1]:,.0f})",
    )
    res.row(
        "1. machine speed probe before / after the loads (s, a fixed Python loop)",
        f"{probe_before:.2f} / {probe_after:.2f}",
    )
    res.row("1. load ratio (one process)", f"{load_ratio:.3f} ({alone_ratio:.3f})")
    res.goal(
        "load ≥ 0.10 × plain insert", load_ratio, "≥ 0.10", load_ratio >= 0.10,
        f"{workers} processes; in one process {alone_ratio:.3f}", always=True,
    )  # fmt: skip

    # 2 and 6. rebuild and its memory: as a user runs it (several processes for a large store)
    # and in one process; the plain select before, between and after them, the median taken
    selects = [plain_select(stores["full"])]
    small = rebuild(stores["10k"])
    alone_rebuilt = rebuild(stores["full"], "1")
    selects.append(plain_select(stores["full"]))
    rebuilt = rebuild(stores["full"])
    selects.append(plain_select(stores["full"]))
    select_rates = sorted(selected / select_seconds for selected, select_seconds in selects)
    rebuild_ratio = rebuilt.rate / select_rates[1]
    alone_rebuild_ratio = alone_rebuilt.rate / select_rates[1]
    rebuild_workers = workers_for_events(rebuilt.events)
    res.row("2. rebuild at 10k (events/s, one process)", f"{small.rate:,.0f}")
    res.row(f"2. rebuild at full scale (events/s, {rebuild_workers} processes)", f"{rebuilt.rate:,.0f}")
    res.row("2. rebuild at full scale in one process (events/s, --workers 1)", f"{alone_rebuilt.rate:,.0f}")
    res.row(
        "2. plain SELECT + json.loads (rows/s; median of 3, least–most)",
        f"{select_rates[1]:,.0f} ({select_rates[0]:,.0f}–{select_rates[-1]:,.0f})",
    )
    res.row("2. rebuild ratio (one process)", f"{rebuild_ratio:.3f} ({alone_rebuild_ratio:.3f})")
    res.facts.update(rebuild_workers=rebuild_workers, rebuild_ratio_one_process=alone_rebuild_ratio)
    res.goal(
        "rebuild ≥ 0.25 × plain select and decode", rebuild_ratio, "≥ 0.25", rebuild_ratio >= 0.25,
        f"{rebuild_workers} processes; in one process {alone_rebuild_ratio:.3f}", always=True,
    )  # fmt: skip
    # memory: a one-process rebuild at both scales (streaming: it must not grow with history);
    # the processes of a parallel rebuild are shown beside it
    rss_ratio = alone_rebuilt.peak_rss_mb / small.peak_rss_mb
    res.row(
        "6. rebuild peak RSS at 10k / full, one process (MB)",
        f"{small.peak_rss_mb:.0f} / {alone_rebuilt.peak_rss_mb:.0f}",
    )
    res.row(
        f"6. rebuild peak RSS at full, {rebuild_workers} processes: writing / largest deriving (MB)",
        f"{rebuilt.peak_rss_mb:.0f} / {rebuilt.workers_peak_rss_mb:.0f}",
    )
    res.goal(
        "rebuild memory at full scale < 2 × at 10k", rss_ratio, "< 2", rss_ratio < 2,
        "one process at both scales", always=True,
    )  # fmt: skip
    # 6. import-903's memory: a generated return at two sizes, each imported by a fresh process
    import_903_report(res, work, scale.name)

    apps = {size: JourneysApp(str(stores[size])) for size in stores}
    try:
        # 5. reports from the read models against pandas; they must agree first.
        timings, base_timings = [], []
        for _ in range(scale.report_runs):
            started = time.perf_counter()
            engine = engine_reports(apps["full"])
            timings.append(time.perf_counter() - started)
            months = int(engine["scorecard"]["A3"]["months"])
            baseline, base_seconds = pandas_reports(files["full"], PERIOD_START, PERIOD_END, months, CENSUS)
            base_timings.append(base_seconds)
        problems = disagreements(engine, baseline)
        res.facts["agreement"] = problems
        res.facts["figures"] = {"adopted": engine["scorecard"]["adopted"], "A1": engine["scorecard"]["A1"]["mean_days"]}
        if problems:
            res.row("5. engine and pandas DISAGREE", "; ".join(problems[:5]))
            res.goal("reports faster than pandas", None, "< 1 × pandas time", None, "figures disagree: not timed")
        else:
            engine_s, base_s = min(timings), min(base_timings)
            res.row("5. scorecard + PO cohort from the read models (s)", f"{engine_s:.3f}")
            res.row("5. the same figures by pandas from the JSONL (s)", f"{base_s:.3f}")
            res.row(
                "5. figures agree", f"yes ({engine['scorecard']['adopted']} adopted, {len(engine['cohorts'])} cohorts)"
            )
            res.goal("reports faster than pandas", engine_s / base_s, "< 1 (time ratio)", engine_s < base_s)

        # 4. one child as at a date. The two stores' calls alternate, so that a drift in the
        # machine's speed during the run weighs on both figures alike (so in 3).
        samples = {size: sample_children(files[size], scale.show_calls) for size in stores}
        api: dict[str, list[float]] = {size: [] for size in stores}
        cli: dict[str, list[float]] = {size: [] for size in stores}
        for pair in zip(*(samples[size] for size in stores), strict=False):
            for size, one in zip(stores, pair, strict=True):
                api[size] += show_latency(apps[size], [one])
        for pair in zip(*(samples[size][: scale.cli_calls] for size in stores), strict=False):
            for size, one in zip(stores, pair, strict=True):
                cli[size] += show_cli_latency(stores[size], [one])
        show = {size: latency(api[size]) for size in stores}
        for size in stores:
            by_process = latency(cli[size])
            res.row(
                f"4. show --as-at at {size}, API median / p95 (ms)",
                f"{show[size].median_ms:.2f} / {show[size].p95_ms:.2f}",
            )
            res.row(
                f"4. show --as-at at {size}, CLI process median / p95 (ms)",
                f"{by_process.median_ms:.0f} / {by_process.p95_ms:.0f}",
            )
        show_ratio = show["full"].median_ms / show["10k"].median_ms
        res.goal("one-child as-of flat (full / 10k median)", show_ratio, "≤ 1.5", show_ratio <= 1.5)

        # 3. the incremental path, the stores' calls alternating
        las = {size: sample_children(files[size], 1)[0][0] for size in stores}
        caught: dict[str, list[float]] = {size: [] for size in stores}
        reported: dict[str, list[float]] = {size: [] for size in stores}
        for size in stores:
            read_model.projection_catch_up(apps[size])
        for i in range(scale.incremental_calls):
            for size in stores:
                c, r = incremental(apps[size], las[size], f"{size}-{i}")
                caught[size].append(c)
                reported[size].append(r)
        catch = {size: latency(caught[size]) for size in stores}
        report = {size: latency(reported[size]) for size in stores}
        for size in stores:
            res.row(f"3. one new event, catch-up at {size}, median (ms)", f"{catch[size].median_ms:.2f}")
            res.row(f"3. one new event, catch-up + scorecard at {size}, median (ms)", f"{report[size].median_ms:.1f}")
        catch_ratio = catch["full"].median_ms / catch["10k"].median_ms
        report_ratio = report["full"].median_ms / report["10k"].median_ms
        res.goal("incremental catch-up flat (full / 10k median)", catch_ratio, "≤ 1.5", catch_ratio <= 1.5)
        res.goal(
            "one new event then a scorecard (full / 10k median)", report_ratio, "≤ 1.5", report_ratio <= 1.5,
            "the report's reads grow with the number of children",
        )  # fmt: skip
    finally:
        for app in apps.values():
            app.close()

    # 8. what --explain costs a scorecard
    explain_report(res, journeys_command(), stores["full"], PERIOD, scale.cli_calls)

    # 7. start-up: what each call of a loop over children pays before any work
    la, child, _ = sample_children(files["full"], 1)[0]
    startup_report(res, journeys_command(), stores["full"], child, la, scale.start_runs)

    # 9 and 10. tamper evidence: verify and verify --against on the full store; the mutation test
    verify_figures(res, journeys_command(), stores["full"], work, national=scale.name == "national")
    mutation_figures(res, work, scale.mutations)

    # 11. faults and load: concurrent writers, two loads at once, a load among reports, kill -9 (counted)
    faults_report(res, scale.name, work)

    # 12. a load's memory when most of its lines are rejected: flat, the rejects kept on disk
    rejects_report(res, work, files["10k"], scale.rejected_lines)

    # 13. encrypted payloads (CIPHER_KEY): load and rebuild as shares of the plain store's
    encryption_report(res, work, files["10k"])

    # 14. the whole SQLite file encrypted (SQLCipher): load and rebuild as shares of the plain store's
    store_encryption_report(res, work, files["10k"])

    # 15. the web pages at one local authority's scale: caseload, child page, agenda (p95, server side)
    web_report(res, scale.name)

    # 16. an erasable store (a key per child): load and rebuild as shares of the plain store's
    erasure_report(res, work, files["10k"])
    return res


def main(argv: list[str] | None = None) -> Results:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default=os.environ.get("BENCH_SCALE", "default"))
    parser.add_argument(
        "--report", type=Path, default=ROOT / "docs" / "performance.md", help="Markdown report to write."
    )
    parser.add_argument(
        "--workdir", type=Path, default=None, help="Where to keep the files (default: a temporary folder)."
    )
    args = parser.parse_args(argv)
    scale = SCALES[args.scale]
    started, revision = time.perf_counter(), commit()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="journeys-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        res = measure(scale, work)
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(report_text(res, time.perf_counter() - started, revision), encoding="utf-8")
    print(f"wrote {args.report}")
    return res


if __name__ == "__main__":
    main()
