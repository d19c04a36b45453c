"""What the tests share, in one importable module (``from tests.helpers import ...``):
paths, the PostgreSQL schema of a test, the CLI runner, small journeys recorded through the
app, generated journeys, 903 imports, and summary rows built without a store.

tests/conftest.py holds only fixtures, built from these; no test imports from it.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from freezegun import freeze_time

from cli.main import cli
from journeys import JourneysApp, legal_hold
from journeys.domain.payloads import parse_fields
from journeys.domain.rules import replay
from journeys.domain.timeline import Decision, Entry, effective_decisions
from journeys.loading import load_lines
from journeys.loading.jsonl import read_lines
from journeys.ssda903 import ImportReport, import_903
from journeys.synthetic.generator import generate
from projections.metrics.summary import PeriodSummary, summarise_state

# -- paths and stores ---------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
POSTGRES_URL = os.environ.get("JOURNEYS_TEST_POSTGRES")


def postgres_schema_url() -> Iterator[str]:
    """A store URL naming a fresh schema on the server of JOURNEYS_TEST_POSTGRES, dropped
    afterwards (a generator: ``yield from postgres_schema_url()``); skips the test when no
    server is configured."""
    if not POSTGRES_URL:
        pytest.skip("JOURNEYS_TEST_POSTGRES is not set")
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{sep}schema={schema}"
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


# -- the CLI ------------------------------------------------------------------------


class Cli:
    """Runs `journeys` against one store, as a user would."""

    def __init__(self, store: str) -> None:
        self.store = store
        self.runner = CliRunner()

    def __call__(self, *args: str, user: str = "tester", la: str | None = "825") -> Result:
        env = {"JOURNEYS_USER": user}
        if la:
            env["JOURNEYS_LA"] = la
        return self.runner.invoke(cli, ["--store", self.store, *args], env=env, catch_exceptions=False)


# -- small journeys, recorded through the app (children are made up) ----------------

LA = "825"


def d(text: str) -> date:
    """The date of an ISO text."""
    return date.fromisoformat(text)


def record(
    app: JourneysApp,
    child: str,
    kind: str,
    on: str | date,
    *,
    la: str = LA,
    recorded_by: str = "tester",
    **fields: Any,
) -> Entry:
    """Record one decision of ``kind`` effective ``on`` (ISO text or a date) for ``child``;
    the keyword arguments other than ``la`` and ``recorded_by`` are the decision's fields."""
    return app.record(la, child, kind, d(on) if isinstance(on, str) else on, fields, recorded_by=recorded_by)


def away(
    app: JourneysApp,
    child: str,
    on: str,
    to: str = "reunification",
    reason: str = "RD4",
    decided_by: str = "agency",
    outcome: str | None = "home-with-mother",
    la: str = LA,
) -> Entry:
    """A plan change away from adoption."""
    fields = {"to": to, "reason": reason, "decided_by": decided_by}
    if outcome:
        fields["outcome"] = outcome
    return record(app, child, "plan-change", on, la=la, **fields)


def in_care_with_family_finding(app: JourneysApp, child: str, entered: str, found: str, la: str = LA) -> None:
    record(app, child, "entered-care", entered, la=la)
    record(app, child, "family-finding", found, la=la)


def load_generated(app: JourneysApp, children: int, seed: int, *, las: int, batch_size: int) -> JourneysApp:
    """``app`` with generated journeys loaded (late keying, corrections, plan changes), in
    batches of ``batch_size`` lines; every line must load."""
    lines = [json.dumps(line) for line in generate(children, seed, las=las)]
    report = load_lines(app, read_lines(lines, None), recorded_by="test", source_name="test", batch_size=batch_size)
    assert not report.rejected
    return app


def recorded_store(store: str, tmp_path: Path) -> list[tuple[str, str]]:
    """A store of generated journeys (corrections, plan changes and late keying among them),
    loaded on one day, then corrected, retracted and given surgery actions on later days by
    other users; its children, by (la, child)."""
    generated = tmp_path / "generated.jsonl"
    generated.write_text("".join(json.dumps(line) + "\n" for line in generate(40, 5, las=2)))
    with freeze_time("2025-01-06 08:30:00.123456"):
        assert Cli(store)("load", str(generated), user="loader").exit_code == 0
    app = JourneysApp(store)
    try:
        with freeze_time("2025-02-03 11:15:00"):
            app.record("825", "X1", "entered-care", date(2014, 1, 5), {}, recorded_by="sw1")
            app.record("825", "X1", "adoption-decision", date(2014, 4, 1), {}, recorded_by="sw1")
            app.record("825", "X1", "placement-order", date(2014, 6, 1), {}, recorded_by="sw1")
            app.record("825", "X1", "match", date(2014, 9, 1), {"adopters": "A-17"}, recorded_by="sw1")
            app.record("825", "X2", "entered-care", date(2015, 2, 1), {}, recorded_by="sw2", source="import")
            app.record("825", "X2", "adoption-decision", date(2015, 5, 1), {}, recorded_by="sw2")
            app.record("825", "X3", "entered-care", date(2015, 3, 1), {}, recorded_by="sw2")
            app.record("825", "X3", "adoption-decision", date(2015, 6, 1), {}, recorded_by="sw2")
            app.record(
                "825",
                "X3",
                "plan-change",
                date(2015, 9, 1),
                {"to": "special-guardianship", "reason": "RD4", "decided_by": "agency"},
                recorded_by="sw2",
            )
        with freeze_time("2025-03-03 09:45:30.5"):
            # a correction that clears a field, one that moves a date, a retraction, actions
            app.correct("825", "X1", 5, on=None, fields={"adopters": None}, reason="not yet known", recorded_by="tm")
            app.correct("825", "X1", 4, on=date(2014, 6, 2), fields={}, reason="sealed on the 2nd", recorded_by="tm")
            app.retract("825", "X2", 3, reason="keyed for the wrong child", recorded_by="tm")
            # a correction of a plan change's RD reason: a field named as the correction's own reason
            app.correct("825", "X3", 4, on=None, fields={"reason": "RD1"}, reason="needs changed", recorded_by="tm")
            app.add_action("825", "X1", text="Book the hearing", owner="TM", due=date(2025, 4, 1), recorded_by="tm")
            app.complete_action("825", "X1", "A1", note="booked", recorded_by="tm")
            # actions edited and cancelled, and a legal hold: every kind of event a store holds
            app.add_action("825", "X3", text="Visit the carers", owner="SW", due=date(2025, 4, 2), recorded_by="tm")
            app.cancel_action("825", "X3", "A1", reason="no longer needed", recorded_by="tm")
            app.add_action("825", "X3", text="Ask for the report", owner="SW", due=date(2025, 4, 7), recorded_by="tm")
            app.edit_action("825", "X3", "A2", owner="TM", due=date(2025, 4, 14), recorded_by="tm")
            legal_hold(app, "825", "X3", reason="court proceedings", recorded_by="tm")
        children = sorted({(la, child) for la, child, _ in app.streams()})
    finally:
        app.close()
    return children


# One child's JSONL lines, each line its rules refuse before the line that lets it in: a load
# takes them all in three rounds (see journeys.loading.refusals).
OUT_OF_ORDER = [
    {"la": LA, "child": "C1", "event": "entered-care", "on": "2014-01-10"},
    {
        "la": LA,
        "child": "C1",
        "event": "correct",
        "corrects": "d1",
        "on": "2014-09-20",
        "reason": "keyed wrongly",
    },  # 3rd round
    {"la": LA, "child": "C1", "event": "disruption", "on": "2014-09-01", "id": "d1"},  # 2nd round: placed by line 6
    {"la": LA, "child": "C1", "event": "adoption-decision", "on": "2014-03-01"},
    {"la": LA, "child": "C1", "event": "match", "on": "2014-07-01"},
    {"la": LA, "child": "C1", "event": "placed", "on": "2014-08-01"},
    {"la": LA, "child": "C1", "event": "action-done", "action_id": "A1"},  # 2nd round: added by line 8
    {
        "la": LA,
        "child": "C1",
        "event": "action",
        "action_id": "A1",
        "text": "Book the hearing",
        "owner": "TM",
        "due": "2015-01-01",
    },
]


# -- 903 returns --------------------------------------------------------------------

RETURNS = FIXTURES / "ssda903"
FAKE = ROOT.parent / "shared" / "external" / "d2i-903-fake"
FAKE_PLACED = ("placed_for_adoption.csv", "placed_for_adoption_errors.csv")


def fake_return(into: Path) -> Path:
    """The fake data's CSV tables as one 2018 return (``into/2018``): its two PlacedAdoption files
    (a return has one of each table) as one file, the rows of the errors file after the others."""
    folder = into / "2018"
    folder.mkdir(parents=True)
    for name in ("header.csv", "episodes.csv", "ad1.csv"):
        (folder / name).write_bytes((FAKE / name).read_bytes())
    first, errors = ((FAKE / name).read_text(encoding="utf-8").splitlines() for name in FAKE_PLACED)
    (folder / "placed_for_adoption.csv").write_text("\n".join([*first, *errors[1:]]) + "\n", encoding="utf-8")
    return folder


Timeline = list[tuple[str, str, dict[str, Any]]]


# The columns of the small returns tests write by hand.
RETURN_HEADS = {
    "header": "CHILD,SEX,DOB,ETHNIC",
    "episodes": "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC",
    "ad1": "CHILD,DOB,DATE_INT,DATE_MATCH",
    "placed_for_adoption": "CHILD,DOB,DATE_PLACED,DATE_PLACED_CEASED,REASON_PLACED_CEASED",
}


def write_return(folder: Path, **tables: list[str]) -> Path:
    """A small hand-written 903 return: one CSV file of each table, rows as given."""
    folder.mkdir(parents=True)
    for name, head in RETURN_HEADS.items():
        (folder / f"{name}.csv").write_text("\n".join([head, *tables.get(name, [])]) + "\n", encoding="utf-8")
    return folder


def run_import(app: JourneysApp, *paths: Path, year: int | None = None) -> ImportReport:
    return import_903(app, list(paths), la="825", recorded_by="tester", year=year, batch_size=7)


def timelines(app: JourneysApp) -> dict[str, Timeline]:
    """Each child's effective decisions (kind, date, fields set), as `journeys export` would replay them."""
    out: dict[str, Timeline] = {}
    for _la, child, entries in app.streams():
        out[child] = [
            (d.kind, d.on.isoformat(), {k: v for k, v in d.fields.items() if v not in (None, (), [])})
            for d in effective_decisions(entries)
        ]
    return out


def event_count(app: JourneysApp) -> int:
    return sum(1 for _ in app.notifications())


# -- summary rows from a few decisions, without a store -----------------------------


def summaries(child: str, *events: tuple[Any, ...], la: str = "825") -> list[PeriodSummary]:
    """``("placement-order", "2015-01-02", {"authority": "consent"})`` ... -> summary rows."""
    decisions = []
    for seq, event in enumerate(events, start=2):
        kind, on = event[0], date.fromisoformat(event[1])
        fields = parse_fields(kind, event[2] if len(event) > 2 else {})
        decisions.append(Decision(seq, kind, on, fields))
    decisions.sort(key=Decision.sort_key)
    return summarise_state(la, child, replay(decisions))


def adopted(
    child: str,
    entered: str,
    po: str | None,
    match: str,
    placed: str,
    ao: str,
    *,
    authority: str = "placement-order",
    la: str = "825",
    placed_fields: dict[str, Any] | None = None,
) -> PeriodSummary:
    """The one summary row of a child adopted along the usual path."""
    events: list[tuple[Any, ...]] = [("entered-care", entered), ("adoption-decision", entered)]
    if po:
        events.append(("placement-order", po, {"authority": authority}))
    events += [("match", match), ("placed", placed, placed_fields or {}), ("adoption-order", ao)]
    (row,) = summaries(child, *events, la=la)
    return row


def only_la(data: dict[str, Any]) -> dict[str, Any]:
    """The one LA's report in a report's JSON (``{"las": [code], "by_la": {code: report}}``)."""
    assert set(data) == {"las", "by_la"}, data
    [la] = data["las"]
    assert list(data["by_la"]) == [la]
    report: dict[str, Any] = data["by_la"][la]
    return report


# Seconds a test waits for work that must not hang: far beyond what each step needs, so only a hang reaches it.
HANG_GUARD = 60


def store_schema(store: str) -> str:
    """The schema a PostgreSQL store URL names (``?schema=``)."""
    from urllib.parse import parse_qs, urlparse

    return parse_qs(urlparse(store).query)["schema"][0]


@contextmanager
def events_locked(store: str) -> Iterator[Any]:
    """The PostgreSQL store's events table locked as a load's insert locks it, until the block ends."""
    import psycopg

    assert POSTGRES_URL
    with psycopg.connect(POSTGRES_URL) as conn:
        conn.execute(f'LOCK TABLE "{store_schema(store)}"."journeys_events" IN EXCLUSIVE MODE')
        try:
            yield conn
        finally:
            conn.rollback()


# -- explained figures (--explain) --------------------------------------------------

HASH_HEX = 64


def value_of_rows(figure: dict[str, Any]) -> Any:
    """A figure's value recomputed from its explained rows, as its aggregate says (written here
    apart from the engine's, except the Kaplan-Meier median, which has tests of its own)."""
    from statistics import median

    from projections.metrics import km

    values = [row["value"] for row in figure["children"]]
    kind = figure["aggregate"]
    if kind in ("count", "sum"):
        return sum(values)
    if not values:
        return None
    if kind == "mean":
        return sum(values) / len(values)
    if kind == "median":
        return float(median(values))
    if kind == "max":
        return max(values)
    if kind == "percent":
        assert set(values) <= {0, 1}, values
        return 100.0 * sum(values) / len(values)
    assert kind == "km-median", kind
    return km.median(values, [row["observed"] for row in figure["children"]])


def assert_explains(figure: dict[str, Any], reported: Any, rows: int | None = None) -> None:
    """``figure`` (one figure of a report's "explain") is the report's figure ``reported``, made
    of its rows: one row per child (and period of care), the rows' aggregate equal to the
    figure, ``rows`` of them when the report says how many children count, every event found."""
    children = figure["children"]
    keys = [(row["la"], row["child"], row["period"]) for row in children]
    assert len(keys) == len(set(keys)), f"{figure['id']}: a child is listed twice"
    assert figure["value"] == reported, f"{figure['id']}: {figure['value']} is not the report's {reported}"
    assert value_of_rows(figure) == reported, f"{figure['id']}: the rows make {value_of_rows(figure)}, not {reported}"
    if rows is not None:
        assert len(children) == rows, f"{figure['id']}: {len(children)} rows for {rows} children"
    if figure["aggregate"] == "count":
        assert all(isinstance(row["value"], int) and row["value"] >= 1 for row in children), figure["id"]
    for row in children:
        for event in row["events"]:
            assert isinstance(event["seq"], int), f"{figure['id']}: no event found for {row['child']}: {event}"
            assert len(event["hash"]) == HASH_HEX, event


def reported_figure(report: str, data: dict[str, Any], key: str) -> tuple[Any, int | None]:
    """The figure ``key`` as the report ``data`` (one LA's report JSON) gives it, and how many
    children the report says count in it (None where it does not say)."""
    head, _, tail = key.rpartition(".")
    if report == "scorecard":
        if key == "adopted":
            return data["adopted"], None
        if key == "A3.percent":
            return data["A3"]["percent"], data["A1"]["children"]
        return data[head][tail], data[head].get("children") if tail == "mean_days" else None
    if report == "cohort":
        row = next(r for r in data["rows"] if r["year"].replace(" ", "_") == head)
        rows = {
            "mean_days_po_to_match": row["matched"],
            "mean_days_with_waiting": row["matched"] + row["waiting"],
            "km_median_days": row["placement_orders"],
        }
        return row[tail], rows.get(tail)
    if report == "waiting":
        return data[key], len(data["children"]) if key == "waiting" else None
    if report == "counts":
        row = next(r for r in data["rows"] if r["period"].replace(" ", "_") == head)
        return row[tail], None
    if report == "stages":
        if key == "cohort":
            return data["cohort"], None
        stage = next(s for s in data["stages"] if s["stage"] == head)
        return stage[tail], stage["children"]
    if report in ("plan-changes", "tracking-cohort"):
        value = data[head][tail] if head else data[key]
        return value, value if report == "tracking-cohort" else None
    assert report == "surgery", report
    if key == "children":
        return len(data["children"]), len(data["children"])
    return data["summary"][tail], data["summary"][tail]


def figure_keys(report: str, data: dict[str, Any]) -> set[str]:
    """Every figure the report ``data`` shows (each must be explained)."""
    if report == "scorecard":
        return {"adopted", "A1.mean_days", "A2.mean_days", "A3.count", "A3.percent", "A10.mean_days"}
    if report in ("cohort", "counts"):
        label = "year" if report == "cohort" else "period"
        return {f"{r[label].replace(' ', '_')}.{k}" for r in data["rows"] for k in r if k != label}
    if report == "waiting":
        return {"waiting", "over_90_days", "over_18_months_in_care"}
    if report == "stages":
        return {"cohort"} | {
            f"{s['stage']}.{k}" for s in data["stages"] for k in ("mean_days", "median_days", "max_days")
        }
    if report == "plan-changes":
        breakdowns = ("by_reason", "by_decider", "by_stage", "by_outcome")
        return {"total", "other_plan_changes"} | {f"{b}.{k}" for b in breakdowns for k in data[b]}
    if report == "tracking-cohort":
        classes = {"tracked", "proceeded", "with_po", "matched", "under_consideration", "ceased", "ceased_by_court"}
        return classes | {f"{b}.{k}" for b in ("outcomes", "other") for k in data[b]}
    assert report == "surgery", report
    return {"children"} | {f"summary.{k}" for k in data["summary"]}


def assert_report_explained(report: str, data: dict[str, Any]) -> int:
    """Every figure of one LA's report JSON ``data`` is explained under "explain" and made of its
    rows (:func:`assert_explains`); how many figures."""
    explained = data["explain"]
    assert set(explained) == figure_keys(report, data), sorted(set(explained) ^ figure_keys(report, data))
    for key, figure in explained.items():
        assert figure["id"].startswith(f"{report}:") and f":{key}" in figure["id"], figure["id"]
        assert_explains(figure, *reported_figure(report, data, key))
    return len(explained)
