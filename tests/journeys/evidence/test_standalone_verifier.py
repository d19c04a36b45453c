"""docs/verify_checkpoint.py, the verifier an auditor runs without the engine: it holds a fresh
export to its checkpoint, and names the child when the export or the checkpoint was changed."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import RETURNS, ROOT, Cli, recorded_store, write_return

SCRIPT = ROOT / "docs" / "verify_checkpoint.py"
Lines = list[dict[str, object]]


@pytest.fixture
def signed(tmp_path: Path) -> tuple[Path, Path, str]:
    """A checkpoint of a store of corrected, retracted and actioned journeys, its export made
    after it, and the public key that signed it."""
    store = str(tmp_path / "s.db")
    recorded_store(store, tmp_path)
    run = Cli(store)
    key = run("checkpoint", "keygen", "--out", str(tmp_path / "key.pem")).stdout.strip()
    checkpoint = tmp_path / "checkpoint.json"
    assert run("checkpoint", "--out", str(checkpoint), "--key", str(tmp_path / "key.pem")).exit_code == 0
    export = tmp_path / "export.jsonl"
    assert run("export", "--out", str(export)).exit_code == 0
    return checkpoint, export, key


def _verify(checkpoint: Path, export: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(checkpoint), str(export), *args], capture_output=True, text=True, timeout=120
    )


def _edited(export: Path, change: Callable[[Lines], Lines]) -> Path:
    lines = [json.loads(line) for line in export.read_text().splitlines()]
    out = export.with_name("edited.jsonl")
    out.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in change(lines)))
    return out


def test_the_script_needs_nothing_of_the_engine() -> None:
    imported = set()
    for node in ast.walk(ast.parse(SCRIPT.read_text())):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert imported - set(sys.stdlib_module_names) == {"cryptography"}


def test_a_fresh_export_holds_its_checkpoint(signed: tuple[Path, Path, str]) -> None:
    checkpoint, export, key = signed
    result = _verify(checkpoint, export, "--public-key", key)
    header = json.loads(checkpoint.read_text())
    assert result.returncode == 0, result.stdout + result.stderr
    counts = f"{header['streams']} journeys, {header['events']} events"
    assert result.stdout.strip() == f"ok: {counts}, root {header['root']}"


def test_an_export_made_later_holds_a_checkpoint_known_at_an_earlier_time(tmp_path: Path) -> None:
    store = str(tmp_path / "s.db")
    recorded_store(store, tmp_path)
    run = Cli(store)
    run("checkpoint", "keygen", "--out", str(tmp_path / "key.pem"))
    early = tmp_path / "early.json"
    args = ("--key", str(tmp_path / "key.pem"), "--known-at", "2025-02-03T12:00:00")
    assert run("checkpoint", "--out", str(early), *args).exit_code == 0
    assert run("export", "--out", str(tmp_path / "e.jsonl")).exit_code == 0
    assert _verify(early, tmp_path / "e.jsonl").returncode == 0


def _move_the_match(lines: Lines) -> Lines:
    for line in lines:
        if line["child"] == "X1" and line["event"] == "match":
            line["on"] = "2014-09-02"
    return lines


def _clear_a_correction_field(lines: Lines) -> Lines:
    for line in lines:
        if line["child"] == "X1" and line["event"] == "correct" and "adopters" in line:
            line["adopters"] = "A-17"  # the correction cleared it
    return lines


def _drop_an_event(lines: Lines) -> Lines:
    return [line for line in lines if not (line["child"] == "X2" and line["event"] == "adoption-decision")]


def _drop_a_journey(lines: Lines) -> Lines:
    return [line for line in lines if line["child"] != "X2"]


def _rehash_the_head(lines: Lines) -> Lines:
    last = [line for line in lines if line["child"] == "X2"][-1]
    last["recorded"]["hash"] = "0" * 64  # type: ignore[index]
    return lines


@pytest.mark.parametrize(
    "change, named",
    [
        (_move_the_match, "child X1 (825) event 5: does not re-seal to its hash"),
        (_clear_a_correction_field, "child X1 (825) event 6: does not re-seal to its hash"),
        (_drop_an_event, "child X2 (825) event 3: not in the export"),
        (_drop_a_journey, "child X2 (825) event 4: the export holds 0"),
        (_rehash_the_head, "child X2 (825) event 4: not the event the checkpoint holds"),
    ],
)
def test_a_changed_export_fails_and_names_the_child(
    signed: tuple[Path, Path, str], change: Callable[[Lines], Lines], named: str
) -> None:
    checkpoint, export, _ = signed
    result = _verify(checkpoint, _edited(export, change))
    assert result.returncode == 1
    assert named in result.stdout.splitlines()
    assert result.stderr.startswith("FAILED:")


def test_a_changed_checkpoint_byte_fails(signed: tuple[Path, Path, str]) -> None:
    checkpoint, export, key = signed
    text = checkpoint.read_text()
    header = json.loads(text)
    a_leaf = header["leaves"][0]
    changed = text.replace(a_leaf[3], a_leaf[3][:-1] + ("0" if a_leaf[3][-1] != "0" else "1"), 1)
    checkpoint.write_text(changed)
    result = _verify(checkpoint, export)
    assert result.returncode == 1
    assert f"child {a_leaf[1]} ({a_leaf[0]}) event {a_leaf[2]}: not the event the checkpoint holds" in result.stdout
    assert "not the checkpoint's" in result.stdout  # the root
    checkpoint.write_text(text.replace(f'"events": {header["events"]}', f'"events": {header["events"] + 1}'))
    assert "signature does not hold" in _verify(checkpoint, export).stdout
    checkpoint.write_text(text)
    other = "ab" * 32
    assert "not by the key given" in _verify(checkpoint, export, "--public-key", other).stdout
    assert _verify(checkpoint, export, "--public-key", key).returncode == 0


def test_an_export_of_903_imports_holds_its_checkpoint(tmp_path: Path) -> None:
    """A 903 import's own events: a carers-seen fact, a bounded end of care (left-care version 2)
    and its correction."""
    store = str(tmp_path / "s.db")
    run = Cli(store)
    header = ["C7,1,01/01/2010,WBRI"]
    write_return(tmp_path / "903" / "2016", header=header, episodes=["C7,30/07/2015,S,V2,N1,U1,PR1,,"])
    write_return(tmp_path / "903" / "2012", header=header, episodes=["C7,14/03/2012,S,C1,N1,U1,PR1,,"])
    for folder in (RETURNS / "2015", tmp_path / "903" / "2016", tmp_path / "903" / "2012"):
        assert run("import-903", str(folder), "--la", "825", "--quiet").exit_code == 0
    key = run("checkpoint", "keygen", "--out", str(tmp_path / "key.pem")).stdout.strip()
    checkpoint, export = tmp_path / "checkpoint.json", tmp_path / "export.jsonl"
    assert run("checkpoint", "--out", str(checkpoint), "--key", str(tmp_path / "key.pem")).exit_code == 0
    assert run("export", "--out", str(export)).exit_code == 0
    events = {json.loads(line)["event"] for line in export.read_text().splitlines()}
    assert {"carers-seen", "left-care"} <= events
    done = _verify(checkpoint, export, "--public-key", key)
    assert done.returncode == 0, done.stdout + done.stderr
