"""A command that fails or writes nothing leaves no store file behind; a write to a new store
says so once on stderr (unless --quiet); a new store's files are its owner's only (0600)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from journeys import JourneysApp

ENV = {"JOURNEYS_LA": "825", "JOURNEYS_USER": "tester"}


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("new"))


@pytest.mark.parametrize(
    ("lines", "exit_code"),
    [("", 0), ('{"la": "825", "event": "match"}\n{"bad": 1}\n', 2)],
    ids=["empty file", "every line rejected"],
)
def test_a_load_that_writes_nothing_leaves_no_store_file(tmp_path: Path, lines: str, exit_code: int) -> None:
    events = tmp_path / "events.jsonl"
    events.write_text(lines)
    store = tmp_path / "new.db"
    result = CliRunner().invoke(cli, ["--store", str(store), "load", str(events)], env=ENV)
    assert result.exit_code == exit_code
    assert _files(tmp_path) == []


def test_an_import_of_an_empty_folder_leaves_no_store_file(tmp_path: Path) -> None:
    (tmp_path / "return").mkdir()
    result = CliRunner().invoke(
        cli, ["--store", str(tmp_path / "new.db"), "import-903", str(tmp_path / "return")], env=ENV
    )
    assert result.exit_code == 1
    assert result.stderr.endswith(
        "holds no 903 files (CSV tables or an XML return) and no year folders — give the folder of a return: its"
        " CSV tables (header, episodes, ad1, placed_for_adoption) or its XML file, or a folder of year folders"
        " (2015/, 2016/, ...)\n"
    )
    assert _files(tmp_path) == []


def test_a_refused_first_record_leaves_no_store_file(tmp_path: Path) -> None:
    store = tmp_path / "new.db"
    result = CliRunner().invoke(
        cli, ["--store", str(store), "record", "entered-care", "C1", "--on", "2999-01-01"], env=ENV
    )
    assert result.exit_code == 1
    assert _files(tmp_path) == []


def test_a_write_to_a_new_store_says_so_once_on_stderr(tmp_path: Path) -> None:
    store = tmp_path / "new.db"
    args = ["--store", str(store), "record", "entered-care", "C1", "--on", "2014-01-10"]
    first = CliRunner().invoke(cli, args, env=ENV)
    assert first.exit_code == 0
    assert first.stderr == f"journeys: creating a new store at {store}\n"
    assert first.stdout.startswith("recorded entered-care on 2014-01-10 for child C1")
    again = CliRunner().invoke(cli, [*args[:2], "record", "adoption-decision", "C1", "--on", "2014-03-01"], env=ENV)
    assert again.exit_code == 0
    assert again.stderr == ""


def test_quiet_keeps_the_new_store_notice_off(tmp_path: Path) -> None:
    store = tmp_path / "new.db"
    result = CliRunner().invoke(
        cli, ["--quiet", "--store", str(store), "record", "entered-care", "C1", "--on", "2014-01-10"], env=ENV
    )
    assert result.exit_code == 0
    assert result.stderr == ""
    events = tmp_path / "events.jsonl"
    events.write_text('{"la": "825", "child": "C2", "event": "entered-care", "on": "2014-01-10"}\n')
    loaded = CliRunner().invoke(cli, ["--store", str(tmp_path / "other.db"), "load", "--quiet", str(events)], env=ENV)
    assert loaded.exit_code == 0
    assert loaded.stderr == ""


def test_a_reading_command_still_refuses_a_missing_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "new.db"), "show", "C1"], env=ENV)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: there is no store at {str(tmp_path / 'new.db')!r} — record or load events first,"
        " or check --store (JOURNEYS_STORE)\n"
    )
    assert _files(tmp_path) == []


def test_new_store_files_are_the_owners_only(tmp_path: Path) -> None:
    store = tmp_path / "new.db"
    args = ["--store", str(store)]
    assert (
        CliRunner().invoke(cli, [*args, "record", "entered-care", "C1", "--on", "2014-01-10"], env=ENV).exit_code == 0
    )
    app = JourneysApp(str(store))  # a second connection keeps the -wal and -shm files for a look
    try:
        report = CliRunner().invoke(cli, [*args, "projections", "catch-up"], env=ENV)
        assert report.exit_code == 0, report.output
        names = ["new.db", "new.db-wal", "new.db-shm", "new.views.db"]
        modes = {name: stat.S_IMODE((tmp_path / name).stat().st_mode) for name in names if (tmp_path / name).exists()}
        assert {"new.db", "new.views.db"} <= set(modes)
        assert modes == dict.fromkeys(modes, 0o600)
    finally:
        app.close()
