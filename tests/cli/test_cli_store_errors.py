"""A store that cannot be used gives one `Error:` line with a remedy and exit 1, never a
traceback: read-only, locked, damaged, full, or named by a URL journeys does not read."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from cli.main import cli
from journeys import JourneysApp
from tests.helpers import Cli

READ_ONLY = (
    "the store {path!r} is read-only — ask for write access to the file and its folder"
    " (SQLite writes PATH-wal and PATH-shm beside it), or work on a copy"
)
DAMAGED = (
    "the store {path!r} is damaged ({reason}) — restore it from a backup,"
    " or load its events again into a new store (`journeys load`)"
)
SCHEMES = (
    "give --store (or JOURNEYS_STORE) as a file path or `:memory:` for SQLite,"
    " a postgresql:// (or postgres://) URL for PostgreSQL"
)


def _store_with_a_child(path: Path) -> Cli:
    JourneysApp(str(path)).close()
    run = Cli(str(path))
    assert run("record", "entered-care", "C1", "--on", "2014-01-10").exit_code == 0
    return run


def _journeys_in_namespace(script: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run shell ``script`` (which may call ``journeys``) in a private user and mount
    namespace, where it may mount a read-only or a small folder; skip where that is not allowed."""
    if not shutil.which("unshare") or subprocess.run(["unshare", "-rm", "true"], check=False).returncode:
        pytest.skip("no user namespaces here (unshare -rm)")
    journeys = str(Path(sys.executable).with_name("journeys"))
    env = {**os.environ, "JOURNEYS_LA": "825", "JOURNEYS_USER": "tester", "J": journeys}
    return subprocess.run(
        ["unshare", "-rm", "sh", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("args", [["show", "C1"], ["record", "adoption-decision", "C1", "--on", "2014-03-01"]])
def test_a_store_on_a_read_only_folder_is_refused_in_one_line(tmp_path: Path, args: list[str]) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    _store_with_a_child(folder / "j.db")
    for log in folder.glob("j.db-*"):
        log.unlink()
    words = " ".join(args)
    done = _journeys_in_namespace(
        f'mount --bind ro ro && mount -o remount,ro,bind ro && "$J" --store ro/j.db {words}', tmp_path
    )
    if "mount" in done.stderr and "Error:" not in done.stderr:
        pytest.skip(f"cannot mount here: {done.stderr.strip()}")
    assert done.returncode == 1
    assert done.stderr == "Error: " + READ_ONLY.format(path="ro/j.db") + "\n"
    assert done.stdout == ""
    assert sorted(p.name for p in folder.iterdir()) == ["j.db"]


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes a 0444 file anyway")
def test_a_read_only_store_file_is_refused_and_leaves_no_log_files(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    _store_with_a_child(path)
    for log in tmp_path.glob("j.db-*"):
        log.unlink()
    path.chmod(0o444)
    result = Cli(str(path))("show", "C1")
    assert result.exit_code == 1
    assert result.output == "Error: " + READ_ONLY.format(path=str(path)) + "\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["j.db"]


def test_a_locked_store_waits_a_bounded_time_then_says_so(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    run = _store_with_a_child(path)
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        result = run.runner.invoke(
            cli,
            ["--store", str(path), "record", "adoption-decision", "C1", "--on", "2014-03-01"],
            env={"JOURNEYS_LA": "825", "JOURNEYS_USER": "tester", "SQLITE_LOCK_TIMEOUT": "1"},
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 1
    assert result.output == (
        f"Error: the store {str(path)!r} is locked by another process — wait for the other command"
        " (a load, an import or a rebuild) to finish, then try again\n"
    )
    assert run("history", "C1", "--json").output.count('"event": "adoption-decision"') == 0


@pytest.mark.parametrize("damage", ["random", "truncated"])
def test_a_damaged_store_is_refused_in_one_line(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "j.db"
    if damage == "random":
        path.write_bytes(b"SQLite format 3\x00" + os.urandom(5000))
        reason = "file is not a database"
    else:
        _store_with_a_child(tmp_path / "whole.db")
        path.write_bytes((tmp_path / "whole.db").read_bytes()[:3000])
        reason = "database disk image is malformed"
    result = Cli(str(path))("show", "C1")
    assert result.exit_code == 1
    assert result.output == "Error: " + DAMAGED.format(path=str(path), reason=reason) + "\n"


def test_a_full_disk_is_refused_in_one_line(tmp_path: Path) -> None:
    events = tmp_path / "events.jsonl"
    generated = Cli(str(tmp_path / "unused.db"))("generate", "--children", "300", "--seed", "1", "--out", str(events))
    assert generated.exit_code == 0
    (tmp_path / "full").mkdir()
    done = _journeys_in_namespace(
        'mount -t tmpfs -o size=128k tmpfs full && "$J" --store full/j.db load --quiet events.jsonl', tmp_path
    )
    if "mount" in done.stderr and "Error:" not in done.stderr:
        pytest.skip(f"cannot mount here: {done.stderr.strip()}")
    assert done.returncode == 1
    assert done.stderr.endswith(
        "Error: there is no room to write the store 'full/j.db' (database or disk is full)"
        " — free some disk space (or move the store), then try again\n"
    )
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("store", "scheme"),
    [
        ("mysql://root@localhost/journeys", "mysql"),
        ("sqlite:///journeys.db", "sqlite"),
        ("http://example.org/x", "http"),
    ],
)
def test_an_unknown_url_scheme_says_which_are_supported(store: str, scheme: str) -> None:
    result = Cli(store)("record", "entered-care", "C1", "--on", "2014-01-10")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: the store {store!r} is a {scheme}:// URL, which journeys does not read — {SCHEMES}\n"
    )
