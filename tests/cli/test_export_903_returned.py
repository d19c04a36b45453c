"""`journeys export-903` records the return it makes in the returns log, and `returns diff` of it
names, cell by cell (table and column), the children whose rows changed since and the events
that changed them: a correction of a match date and a late-keyed match, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
from pathlib import Path

from journeys import JourneysApp
from tests.cli.test_returns_log import _json
from tests.helpers import Cli, record


def _store(store: str) -> Cli:
    """Two children with placement orders; EA matched and placed in the 2015/16 collection year."""
    app = JourneysApp(store)
    try:
        for child in ("EA", "EB"):
            record(app, child, "child-details", "2013-01-02", date_of_birth="2012-06-01")
            record(app, child, "entered-care", "2013-01-02", legal_status="C2")
            record(app, child, "adoption-decision", "2014-03-01")
            record(app, child, "placement-order", "2014-06-01", authority="placement-order")
        record(app, "EA", "match", "2015-05-01", adopters="ADP-825-1")
        record(app, "EA", "placed", "2015-06-01", with_foster_carers="no")
    finally:
        app.close()
    return Cli(store)



def test_an_export_is_recorded_and_its_diff_names_the_changed_cells(store: str, tmp_path: Path) -> None:
    run = _store(store)
    out = tmp_path / "2016"
    made = run("export-903", "--year", "2016", "--la", "825", "--out", str(out), user="returns-officer")
    assert made.exit_code == 0, made.output

    listed = _json(run, "returns", "list")["returns"]
    assert [(r["kind"], r["period"], r["la"], r["user"]) for r in listed] == [  # type: ignore[union-attr,index]
        ("export-903", "2016", "825", "returns-officer")
    ]
    shown = _json(run, "returns", "show", "825-1")
    body = shown["body"]
    files = {Path(f["file"]).name: f["sha256"] for f in body["files"]}  # type: ignore[index]
    assert set(files) == {"header.csv", "episodes.csv", "ad1.csv", "placed_for_adoption.csv"}
    assert (
        files["placed_for_adoption.csv"] == hashlib.sha256((out / "placed_for_adoption.csv").read_bytes()).hexdigest()
    )
    assert body["cells"]["placed_for_adoption.rows"] == 2  # both have an adoption decision  # type: ignore[index]
    assert _json(run, "returns", "diff", "825-1")["cells"] == []

    ea = _json(run, "history", "EA")["events"]
    placed = next(e["seq"] for e in ea if e["event"] == "placed")  # type: ignore[index]
    assert run("correct", "EA", str(placed), "--on", "2015-06-10", "--reason", "keyed wrongly").exit_code == 0
    assert run("record", "match", "EB", "--on", "2016-01-10", "--adopters", "ADP-825-2").exit_code == 0
    assert run("record", "placed", "EB", "--on", "2016-02-01").exit_code == 0

    diff = _json(run, "returns", "diff", "825-1")
    assert diff["reproduced"] is True
    cells = diff["cells"]
    by_child = {
        (c["cell"], child["child"]): (child["returned"], child["now"], [e["change"] for e in child["events"]])
        for c in cells  # type: ignore[union-attr]
        for child in c["children"]  # type: ignore[index]
    }
    assert {child for _, child in by_child} == {"EA", "EB"}
    then, now, changes = by_child[("episodes.DECOM", "EA")]
    assert "01/06/2015" in then and "01/06/2015" not in now and "10/06/2015" in now
    assert changes == ["correction"]
    assert all(
        changes == ["late entry", "late entry"] for (_, child), (_, _, changes) in by_child.items() if child == "EB"
    )
    # the episodes table gains EB's placement: more rows with a DECOM now than returned
    decom = next(c for c in cells if c["cell"] == "episodes.DECOM")  # type: ignore[union-attr,index]
    assert decom["now"] == decom["returned"] + 1  # type: ignore[operator]

    text = run("returns", "diff", "825-1").output
    assert "episodes.DECOM (rows with a value): returned" in text and "child EA: " in text
    assert "correction: event" in text and "late entry: event" in text


def test_a_refused_export_records_nothing(store: str, tmp_path: Path) -> None:
    run = _store(store)
    refused = run("export-903", "--year", "2010", "--la", "825", "--out", str(tmp_path / "x"))
    assert refused.exit_code == 1 and refused.output.startswith("Error: ")
    assert not (tmp_path / "x").exists()
    assert _json(run, "returns", "list")["returns"] == []
