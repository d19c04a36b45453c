"""SQLite stores encrypted whole (SQLCipher): the file, its -wal and its -shm name no child and
no date, open or closed; every report is the plain store's; a wrong, missing or unwanted key
is one refusal; `journeys store encrypt` and `decrypt` lose nothing; with or without the
payload cipher (CIPHER_KEY)."""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from journeys import JourneysApp
from tests.journeys.storage.test_payload_encryption import new_key as new_cipher_key

LA = "825"
REPORTS = [
    ["scorecard", "--period", "2015-18", "--json"],
    ["cohort", "--by", "po-year", "--census", "2023-09-30", "--json"],
    ["counts", "--by", "year", "--json"],
    ["waiting", "--as-at", "2020-06-30", "--json"],
    ["stages", "--json"],
    ["plan-changes", "--from", "2015-04-01", "--to", "2019-03-31", "--json"],
    ["tracking-cohort", "--from", "2015-04-01", "--to", "2017-03-31", "--census", "2018-09-30", "--json"],
    ["surgery", "--as-at", "2016-03-31", "--la", LA, "--json"],
]


def journeys(store: Path | str, *args: str, key: str | None = None, cipher: str | None = None) -> tuple[int, str]:
    env = {"JOURNEYS_USER": "tester", "JOURNEYS_ALLOW_UNKNOWN_LA": "1"}
    if key:
        env["JOURNEYS_STORE_KEY"] = key
    if cipher:
        env["CIPHER_KEY"] = cipher
    result = CliRunner().invoke(cli, ["--store", str(store), *args], env=env)
    return result.exit_code, result.output


def files_of(store: Path) -> list[Path]:
    return [store, store.with_name(store.name + "-wal"), store.with_name(store.name + "-shm")]


def listing(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


@dataclass(frozen=True)
class Loaded:
    children: set[str]
    dates: set[str]
    plain: Path
    encrypted: Path
    key: str


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("generated") / "children.jsonl"
    code, output = journeys(path.with_suffix(".db"), "generate", "--children", "150", "--seed", "7", "--out", str(path))
    assert code == 0, output
    return path


def load_both(folder: Path, generated: Path, *, cipher: str | None = None) -> Loaded:
    """A plain store and an encrypted store of the same file, each with an action added and its
    read models caught up."""
    key = secrets.token_hex(32)
    lines = [json.loads(line) for line in generated.read_text().splitlines()]
    plain, encrypted = folder / "plain.db", folder / "encrypted.db"
    for store, with_key in ((plain, None), (encrypted, key)):
        for args in (
            ["load", str(generated), "--quiet"],
            [
                "action",
                "add",
                lines[0]["child"],
                "--la",
                LA,
                "--text",
                "Chase the hearing date",
                "--owner",
                "J Smith",
                "--due",
                "2017-09-01",
            ],
            ["projections", "catch-up"],
        ):
            code, output = journeys(store, *args, key=with_key, cipher=cipher)
            assert code == 0, (args, output)
    children = {line["child"] for line in lines}
    dates = {value for line in lines for value in line.values() if isinstance(value, str) and value[:2] in "19 20"}
    dates = {d for d in dates if len(d) == 10 and d[4] == "-"}
    return Loaded(children, dates, plain, encrypted, key)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory, generated: Path) -> Loaded:
    return load_both(tmp_path_factory.mktemp("stores"), generated)


def found_in(paths: list[Path], loaded: Loaded) -> list[str]:
    """The child references and ISO dates of ``loaded`` that any of ``paths`` holds in clear."""
    blob = b"\n".join(path.read_bytes() for path in paths if path.exists())
    return [value for value in sorted(loaded.children | loaded.dates) if value.encode() in blob]


@pytest.fixture
def key_in_env(loaded: Loaded) -> Iterator[None]:
    saved = os.environ.get("JOURNEYS_STORE_KEY")
    os.environ["JOURNEYS_STORE_KEY"] = loaded.key
    yield
    if saved is None:
        os.environ.pop("JOURNEYS_STORE_KEY", None)
    else:
        os.environ["JOURNEYS_STORE_KEY"] = saved


def test_the_encrypted_file_its_wal_and_shm_hold_no_child_and_no_date_open_or_closed(
    loaded: Loaded, tmp_path: Path, key_in_env: None
) -> None:
    store = tmp_path / "open.db"
    shutil.copy(loaded.encrypted, store)
    app = JourneysApp(str(store))  # held open: what others write stays in the -wal meanwhile
    try:
        assert app.head() > 0
        child = sorted(loaded.children)[1]
        for args in (
            [
                "action",
                "add",
                child,
                "--la",
                LA,
                "--text",
                "Book the matching panel",
                "--owner",
                "J Smith",
                "--due",
                "2017-09-01",
            ],
            ["projections", "rebuild"],
            ["scorecard", "--period", "2015-18", "--json"],
        ):
            code, output = journeys(store, *args, key=loaded.key)
            assert code == 0, (args, output)
        wal = store.with_name(store.name + "-wal")
        assert wal.exists() and wal.stat().st_size > 0  # the scan below reads a log that holds pages
        assert found_in(files_of(store), loaded) == []
    finally:
        app.close()
    assert found_in(files_of(store), loaded) == []
    assert not list(tmp_path.glob("*.views.db*"))  # the read models are inside the encrypted file
    # the same scan finds them in the plain store and its read-model file: it can fail
    plain_files = [*files_of(loaded.plain), *files_of(loaded.plain.with_name("plain.views.db"))]
    assert set(found_in(plain_files, loaded)) == loaded.children | loaded.dates


def test_every_report_on_the_encrypted_store_is_the_plain_stores(loaded: Loaded) -> None:
    for report in REPORTS:
        code, output = journeys(loaded.encrypted, *report, key=loaded.key)
        assert code == 0, (report, output)
        assert json.loads(output) == json.loads(journeys(loaded.plain, *report)[1]), report
    assert journeys(loaded.encrypted, "verify", key=loaded.key)[0] == 0
    child = sorted(loaded.children)[0]
    shown = journeys(loaded.encrypted, "show", child, "--la", LA, "--json", key=loaded.key)
    plain_shown = journeys(loaded.plain, "show", child, "--la", LA, "--json")
    assert shown[0] == plain_shown[0] == 0
    assert _decided(shown[1]) == _decided(plain_shown[1])
    history = journeys(loaded.encrypted, "history", child, "--la", LA, "--json", key=loaded.key)[1]
    decisions = [(e["event"], e["on"], e["fields"]) for e in json.loads(history)["events"]]
    plain = json.loads(journeys(loaded.plain, "history", child, "--la", LA, "--json")[1])["events"]
    assert decisions == [(e["event"], e["on"], e["fields"]) for e in plain]  # recorded at other times
    assert "Chase the hearing date" in history  # the action, kept in the encrypted file


def _decided(shown: str) -> dict[str, object]:
    """``show --json`` without when and by whom each open action was recorded (the two stores
    were recorded at other times)."""
    data = json.loads(shown)
    for action in data["actions"]:
        del action["recorded_at"], action["recorded_by"]
    return data  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("which", "key", "words"),
    [
        ("encrypted", "wrong", "the store key does not open the store"),
        ("encrypted", None, "is encrypted (or is not a SQLite database), and no store key is given"),
        ("plain", "right", "is not encrypted, but a store key is given"),
        ("encrypted", "not-a-key", "JOURNEYS_STORE_KEY is not a store key"),
    ],
)
def test_a_wrong_missing_or_unwanted_key_is_one_error_line_and_changes_nothing(
    loaded: Loaded, which: str, key: str | None, words: str
) -> None:
    store = loaded.encrypted if which == "encrypted" else loaded.plain
    given = {"wrong": secrets.token_hex(32), "right": loaded.key, "not-a-key": "hunter2", None: None}[key]
    before = listing(store.parent)
    for args in (
        ["verify"],
        ["scorecard", "--period", "2015-18"],
        ["record", "entered-care", "C9", "--on", "2016-01-01", "--la", LA],
    ):
        code, output = journeys(store, *args, key=given)
        assert code == 1, (args, output)
        lines = output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: ") and words in lines[0], output
        assert " — " in lines[0]  # with its remedy
        assert given is None or given not in output
    assert listing(store.parent) == before


def test_a_key_file_opens_the_store_and_a_bad_one_is_refused(loaded: Loaded, tmp_path: Path) -> None:
    key_file = tmp_path / "store.key"
    key_file.write_text(loaded.key + "\n")
    runner = CliRunner()
    base = ["--store", str(loaded.encrypted)]
    assert runner.invoke(cli, [*base, "--store-key-file", str(key_file), "verify"]).exit_code == 0
    done = runner.invoke(cli, [*base, "verify"], env={"JOURNEYS_STORE_KEY_FILE": str(key_file)})
    assert done.exit_code == 0, done.output
    assert "JOURNEYS_STORE_KEY_FILE" not in os.environ  # the option lasts its command
    missing = runner.invoke(cli, [*base, "--store-key-file", str(tmp_path / "nowhere.key"), "verify"])
    assert missing.exit_code == 1 and "the store key file" in missing.output and "does not exist" in missing.output
    both = runner.invoke(
        cli, [*base, "--store-key-file", str(key_file), "verify"], env={"JOURNEYS_STORE_KEY": loaded.key}
    )
    assert both.exit_code == 1 and "give the store key one way only" in both.output


def test_encrypt_then_decrypt_loses_nothing(loaded: Loaded, tmp_path: Path) -> None:
    key = secrets.token_hex(32)
    secret, plain_again = tmp_path / "secret.db", tmp_path / "again.db"
    code, output = journeys(loaded.plain, "store", "encrypt", "--out", str(secret), "--json", key=key)
    assert code == 0, output
    assert json.loads(output)["read_models"] == str(secret)
    code, output = journeys(secret, "store", "decrypt", "--out", str(plain_again), "--json", key=key)
    assert code == 0, output
    assert (tmp_path / "again.views.db").exists()
    assert found_in(files_of(secret), loaded) == []
    for store, with_key in ((secret, key), (plain_again, None)):
        verified = journeys(store, "verify", "--json", key=with_key)
        assert verified == journeys(loaded.plain, "verify", "--json")
        for report in [*REPORTS, ["projections", "status", "--json"]]:
            code, output = journeys(store, *report, key=with_key)
            assert code == 0, (report, output)
            ours, theirs = json.loads(output), json.loads(journeys(loaded.plain, *report)[1])
            if report[0] == "projections":  # the read models came along: no catch-up needed
                ours.pop("location"), theirs.pop("location")
            assert ours == theirs, report


def test_in_place_conversion_replaces_the_store_and_leaves_no_plain_read_models(loaded: Loaded, tmp_path: Path) -> None:
    store = tmp_path / "journeys.db"
    shutil.copy(loaded.plain, store)
    shutil.copy(loaded.plain.with_name("plain.views.db"), tmp_path / "journeys.views.db")
    expected = journeys(store, *REPORTS[0])[1]
    key = secrets.token_hex(32)
    code, output = journeys(store, "store", "encrypt", "--in-place", key=key)
    assert code == 0, output
    assert sorted(path.name for path in tmp_path.iterdir()) == ["journeys.db"]
    assert found_in([store], loaded) == []
    assert journeys(store, *REPORTS[0], key=key) == (0, expected)
    code, output = journeys(store, "store", "decrypt", "--in-place", key=key)
    assert code == 0, output
    assert sorted(path.name for path in tmp_path.iterdir()) == ["journeys.db", "journeys.views.db"]
    assert journeys(store, *REPORTS[0]) == (0, expected)
    assert journeys(store, "verify")[0] == 0


@pytest.mark.parametrize(
    ("which", "args", "key", "code", "words"),
    [
        ("encrypted", ["encrypt", "--in-place"], "right", 1, "is not a plain SQLite store"),
        ("plain", ["decrypt", "--in-place"], "right", 1, "is not encrypted"),
        ("encrypted", ["decrypt", "--out", "NEW"], "wrong", 1, "the store key does not open the store"),
        ("plain", ["encrypt", "--out", "NEW"], None, 1, "no store key"),
        ("plain", ["encrypt", "--out", "TAKEN"], "right", 1, "is already there"),
        ("encrypted", ["decrypt", "--out", "TAKEN"], "right", 1, "is already there"),
        ("plain", ["encrypt"], "right", 2, "give one of --out FILE"),
        ("plain", ["encrypt", "--out", "NEW", "--in-place"], "right", 2, "give one of --out FILE"),
    ],
)
def test_a_refused_conversion_changes_nothing_and_creates_no_file(
    loaded: Loaded, which: str, args: list[str], key: str | None, code: int, words: str
) -> None:
    store = loaded.encrypted if which == "encrypted" else loaded.plain
    taken = store.parent / "taken.db"
    taken.write_bytes(b"")
    args = [{"NEW": str(store.parent / "new.db"), "TAKEN": str(taken)}.get(arg, arg) for arg in args]
    given = {"right": loaded.key, "wrong": secrets.token_hex(32), None: None}[key]
    before = listing(store.parent)
    done, output = journeys(store, "store", *args, key=given)
    assert done == code, output
    assert len(output.strip().splitlines()) == 1 and output.startswith("Error: ") and words in output, output
    assert listing(store.parent) == before
    taken.unlink()


def test_whole_file_and_payload_encryption_together(tmp_path: Path, generated: Path) -> None:
    cipher = new_cipher_key()
    both = load_both(tmp_path, generated, cipher=cipher)
    assert found_in(files_of(both.encrypted), both) == []
    plain = tmp_path / "reference.db"
    assert journeys(plain, "load", str(generated), "--quiet")[0] == 0
    for report in REPORTS[:4]:
        ours = journeys(both.encrypted, *report, key=both.key, cipher=cipher)
        assert ours[0] == 0, ours
        assert json.loads(ours[1]) == json.loads(journeys(both.plain, *report, cipher=cipher)[1])
    # the payload cipher's store, encrypted whole and back: still its payloads' key to read it
    secret, back = tmp_path / "secret.db", tmp_path / "back.db"
    assert journeys(both.plain, "store", "encrypt", "--out", str(secret), key=both.key)[0] == 0
    assert journeys(secret, "store", "decrypt", "--out", str(back), key=both.key)[0] == 0
    assert journeys(secret, "verify", key=both.key, cipher=cipher)[0] == 0
    refused = journeys(secret, "verify", key=both.key)
    assert refused[0] == 1 and "no CIPHER_KEY is set" in refused[1]
    assert journeys(back, *REPORTS[0], cipher=cipher) == journeys(both.plain, *REPORTS[0], cipher=cipher)


def test_the_documented_postgres_columns_are_those_that_carry_references_or_dates(loaded: Loaded) -> None:
    """docs/data-protection.md names, per read-model table, the columns that carry a child
    reference or a date: every column in which the loaded store's read models hold one is
    named, and every name is a column."""
    doc = (Path(__file__).resolve().parents[3] / "docs" / "data-protection.md").read_text(encoding="utf-8")
    section = doc[doc.index("## On PostgreSQL") :]
    documented: dict[str, set[str]] = {}
    for line in section.splitlines():
        cells = line.split("|")
        if len(cells) == 4 and cells[1].strip().startswith("`"):
            table = cells[1].strip().strip("`")
            documented[table] = set(re.findall(r"`([a-z_0-9]+)`", cells[2]))
    dated = re.compile(r"\d{4}-\d{2}-\d{2}")
    with sqlite3.connect(loaded.plain.with_name("plain.views.db")) as conn:
        tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in [t for t in tables if t != "tracking"]:
            columns = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
            carrying = set()
            for row in conn.execute(f"SELECT * FROM {table}"):
                for name, value in zip(columns, row, strict=True):
                    text = str(value)
                    if dated.search(text) or any(child in text for child in loaded.children):
                        carrying.add(name)
            assert table in documented, table
            assert carrying <= documented[table], (table, carrying - documented[table])
            assert documented[table] - {"la"} <= set(columns), table
            if table == "child_summary":
                assert {"child", "date_of_birth", "placement_order"} <= carrying  # the scan can fail


def test_converting_in_place_a_store_another_process_has_open_is_refused(loaded: Loaded, tmp_path: Path) -> None:
    store = tmp_path / "busy.db"
    shutil.copy(loaded.plain, store)
    holder = subprocess.Popen(  # another process, its connection open (one process's locks do not exclude its own)
        [sys.executable, "-c", HOLD, str(store)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        before = listing(tmp_path)
        code, output = journeys(store, "store", "encrypt", "--in-place", key=secrets.token_hex(32))
        assert code == 1 and output.startswith("Error: ") and "in use by another process" in output, output
        after = listing(tmp_path)  # the same files; the same bytes but the log's index (SQLite's own)
        assert sorted(after) == sorted(before)
        assert {n: b for n, b in after.items() if not n.endswith("-shm")} == {
            n: b for n, b in before.items() if not n.endswith("-shm")
        }
    finally:
        holder.communicate("")
    assert journeys(store, "store", "encrypt", "--in-place", key=secrets.token_hex(32))[0] == 0


HOLD = """
import sys
from journeys import JourneysApp
app = JourneysApp(sys.argv[1])
app.head()
print("open", flush=True)
sys.stdin.read()
app.close()
"""
