"""A carers-seen fact (not a decision: what a 903 return's episodes show of a child's foster
carers) is exported, loaded and restored like every other event, and no report counts it."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import RETURNS, Cli


def test_a_carers_seen_fact_is_exported_and_restored_exactly_and_is_no_decision(tmp_path: Path) -> None:
    store, copy, plain = str(tmp_path / "a.db"), str(tmp_path / "b.db"), str(tmp_path / "c.db")
    assert Cli(store)("import-903", str(RETURNS / "2015"), "--la", "825", "--quiet").exit_code == 0
    lines = [json.loads(line) for line in Cli(store)("export").stdout.splitlines() if line.strip()]
    (seen,) = [line for line in lines if line["event"] == "carers-seen" and line["child"] == "S001"]
    assert (seen["child"], seen["on"], seen["since"]) == ("S001", "2015-01-15", "2014-05-10")
    (tmp_path / "all.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines))
    assert Cli(copy)("load", str(tmp_path / "all.jsonl")).exit_code == 0
    history = Cli(store)("history", "S001", "--la", "825", "--json").stdout
    assert Cli(copy)("history", "S001", "--la", "825", "--json").stdout == history
    assert "all hashes match" in Cli(copy)("verify").stdout
    # a plain line (no recording metadata) loads as a new event, once
    mine = {k: v for k, v in seen.items() if k != "recorded"}
    (tmp_path / "one.jsonl").write_text(json.dumps(mine) + "\n")
    for _ in range(2):
        assert Cli(plain)("load", str(tmp_path / "one.jsonl")).exit_code == 0
    kinds = [e["event"] for e in json.loads(Cli(plain)("history", "S001", "--la", "825", "--json").stdout)["events"]]
    assert kinds.count("carers-seen") == 1
    show = json.loads(Cli(store)("show", "S001", "--la", "825", "--json").stdout)
    assert "carers-seen" not in json.dumps(show)  # not a decision: the child's journey does not hold it
