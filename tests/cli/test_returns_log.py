"""`journeys asglb --out` and `journeys returns` as a user runs them, on SQLite and PostgreSQL:
a return made for a quarter of a generated LA, then a correction and a late entry recorded,
then `returns diff` names exactly those two children and cells; list and show give what was
returned; a log row edited in the store breaks its verify; an import is recorded too."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from journeys import JourneysApp
from tests.helpers import FIXTURES, Cli, load_generated, record
from tests.journeys.protection.test_access_log import _sql

QUARTER = "2015-Q1"  # 1 April to 30 June 2015


def _store_with_two_children(store: str) -> Cli:
    """A generated LA 825, and two children of it whose later changes touch one cell each:
    RA's placement order (in the quarter) is corrected out of it; RB is matched in the
    quarter, keyed after the return (its ADM under 90 days before the quarter's end, so no
    quarter-end line changes)."""
    app = load_generated(JourneysApp(store), 60, 11, las=1, batch_size=500)
    try:
        record(app, "RA", "entered-care", "2015-01-05", legal_status="C2")
        record(app, "RA", "adoption-decision", "2015-03-01")
        record(app, "RA", "placement-order", "2015-05-10")
        record(app, "RB", "entered-care", "2014-10-01", legal_status="C2")
        record(app, "RB", "adoption-decision", "2015-04-15")
        record(app, "RB", "placement-order", "2015-05-20")
    finally:
        app.close()
    return Cli(store)


def _json(run: Cli, *args: str) -> dict[str, object]:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    found: dict[str, object] = json.loads(result.output)
    return found


def _made(run: Cli, out: Path) -> str:
    result = run("asglb", "--quarter", QUARTER, "--la", "825", "--out", str(out), user="returns-officer")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote {out}: return 825-1 recorded (asglb 2015-16-Q1, 825)")
    return "825-1"


def test_a_correction_and_a_late_entry_are_named_by_the_diff(store: str, tmp_path: Path) -> None:
    run = _store_with_two_children(store)
    report = _json(run, "asglb", "--quarter", QUARTER, "--la", "825")["825"]
    made = _made(run, tmp_path / "asglb.csv")
    assert _json(run, "returns", "diff", made)["cells"] == []  # nothing changed yet

    ra = _json(run, "history", "RA")["events"]
    po = next(e["seq"] for e in ra if e["event"] == "placement-order")  # type: ignore[index]
    fixed = run("correct", "RA", str(po), "--on", "2015-07-20", "--reason", "the order's date was misread")
    assert fixed.exit_code == 0, fixed.output
    late = run("record", "match", "RB", "--on", "2015-06-01", "--adopters", "ADP-825-900")
    assert late.exit_code == 0, late.output
    # recorded since, but dated after the quarter: it changes no cell and is named nowhere
    assert run("record", "entered-care", "RC", "--on", "2016-01-04", "--legal-status", "C2").exit_code == 0

    diff = _json(run, "returns", "diff", made)
    assert diff["reproduced"] is True
    cells = {c["cell"]: c for c in diff["cells"]}  # type: ignore[attr-defined]
    assert set(cells) == {"in_quarter.placement_orders", "in_quarter.matches"}
    counted = report["in_quarter"]  # type: ignore[index]
    orders, matches = cells["in_quarter.placement_orders"], cells["in_quarter.matches"]
    assert (orders["returned"], orders["now"]) == (counted["placement_orders"], counted["placement_orders"] - 1)
    assert (matches["returned"], matches["now"]) == (counted["matches"], counted["matches"] + 1)
    assert [(c["child"], c["returned"], c["now"]) for c in orders["children"]] == [("RA", 1, 0)]
    assert [(c["child"], c["returned"], c["now"]) for c in matches["children"]] == [("RB", 0, 1)]
    assert [(e["change"], e["kind"], e["target"]) for e in orders["children"][0]["events"]] == [
        ("correction", "correct", po)
    ]
    assert [(e["change"], e["kind"], e["on"]) for e in matches["children"][0]["events"]] == [
        ("late entry", "match", "2015-06-01")
    ]
    text = run("returns", "diff", made).output
    assert "in_quarter.matches: returned" in text and "late entry: event" in text and "2 cells differ" in text


def test_list_and_show_give_what_was_returned(store: str, tmp_path: Path) -> None:
    run = _store_with_two_children(store)
    before = [run(*r, "--json").output for r in (["asglb", "--quarter", QUARTER], ["waiting", "--as-at", "2015-06-30"])]
    out = tmp_path / "asglb.json"
    made = run("asglb", "--quarter", QUARTER, "--la", "825", "--out", str(out), "--json", user="returns-officer")
    assert made.exit_code == 0, made.output
    assert json.loads(made.output) == {"file": str(out), "returns": ["825-1"]}
    written = json.loads(out.read_text())["825"]
    listed = _json(run, "returns", "list", "--la", "825")["returns"]
    assert [(r["id"], r["kind"], r["period"], r["user"]) for r in listed] == [  # type: ignore[union-attr]
        ("825-1", "asglb", "2015-16-Q1", "returns-officer")
    ]
    shown = _json(run, "returns", "show", "825-1")
    body = shown["body"]
    assert body["files"] == [{"file": str(out), "sha256": hashlib.sha256(out.read_bytes()).hexdigest()}]  # type: ignore[index]
    assert body["cells"] == {  # type: ignore[index]
        f"{section}.{key}": value
        for section in ("in_quarter", "waiting_at_quarter_end")
        for key, value in written[section].items()
    }
    state = body["checkpoint"]  # type: ignore[index]
    events = sum(1 for _ in _json(run, "history", "RA")["events"])  # type: ignore[arg-type]
    assert len(state["root"]) == 64 and state["tampered"] == 0 and state["events"] > events
    assert "825-1" in run("returns", "list").output and "1 return" in run("returns", "list").output
    # the log is beside the journeys: no report changes
    assert [
        run(*r, "--json").output for r in (["asglb", "--quarter", QUARTER], ["waiting", "--as-at", "2015-06-30"])
    ] == before
    # a second return is numbered after the first; an existing file is never replaced
    assert run("asglb", "--quarter", QUARTER, "--la", "825", "--out", str(out)).exit_code == 1
    assert run("asglb", "--quarter", "2015-Q2", "--la", "825", "--out", str(tmp_path / "q2.csv")).exit_code == 0
    assert [r["id"] for r in _json(run, "returns", "list")["returns"]] == ["825-1", "825-2"]  # type: ignore[union-attr]


def test_a_log_row_edited_in_raw_sql_breaks_verify(store: str, tmp_path: Path) -> None:
    run = _store_with_two_children(store)
    _made(run, tmp_path / "asglb.csv")
    assert run("asglb", "--quarter", "2015-Q2", "--la", "825", "--out", str(tmp_path / "q2.csv")).exit_code == 0
    assert run("returns", "verify").exit_code == 0
    assert run("verify").exit_code == 0
    edit = "UPDATE journeys_returns_log SET body = replace(body, '\"tampered\":0', '\"tampered\":1') WHERE seq = ?"
    _sql(store, edit, (1,))
    checked = run("returns", "verify")
    assert checked.exit_code == 1
    assert "returns log of 825 record 1: content does not match its hash" in checked.output
    data = json.loads(run("verify", "--json").output)
    assert data["ok"] is False and data["returns_log"]["records"] == 2
    assert [p["seq"] for p in data["returns_log"]["problems"]] == [1]


def test_a_return_is_refused_without_an_la_or_over_a_file(store: str, tmp_path: Path) -> None:
    run = _store_with_two_children(store)
    taken = tmp_path / "taken.csv"
    taken.write_text("kept\n")
    assert run("asglb", "--quarter", QUARTER, "--la", "825", "--out", str(taken)).exit_code == 1
    assert taken.read_text() == "kept\n"
    alone = run("asglb", "--quarter", QUARTER, "--out", str(tmp_path / "x.csv"), la=None)
    assert alone.exit_code == 2 and not (tmp_path / "x.csv").exists()
    assert _json(run, "returns", "list")["returns"] == []
    assert run("returns", "show", "825-9").output.startswith("Error: no return 825-9 is recorded")
    assert run("returns", "show", "nonsense").exit_code == 1


def test_an_import_is_recorded_with_its_files_and_rows(store: str) -> None:
    folder = FIXTURES / "ssda903" / "2016"
    if not folder.is_dir():
        pytest.skip("no 903 fixture")
    run = Cli(store)
    imported = run("import-903", str(folder), "--la", "825", "--json")
    assert imported.exit_code in (0, 2), imported.output
    tables = json.loads(imported.output)["tables"]
    (listed,) = _json(run, "returns", "list")["returns"]  # type: ignore[misc]
    assert (listed["kind"], listed["period"], listed["la"]) == ("import-903", "2016", "825")
    files = listed["body"]["files"]
    assert files and all(hashlib.sha256(Path(f["file"]).read_bytes()).hexdigest() == f["sha256"] for f in files)
    assert listed["body"]["cells"] == {f"{t}.{k}": n[k] for t, n in tables.items() for k in n}
    refused = run("returns", "diff", listed["id"])
    assert refused.exit_code == 1
    assert refused.output.startswith(f"Error: the return {listed['id']} (import-903) cannot be")
