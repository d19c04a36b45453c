"""`journeys checkpoint`, `journeys checkpoint keygen` and `journeys verify --against` as a user
runs them: what they print, the files they write, and one `Error:` line for each bad input."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from tests.helpers import Cli
from tests.mutations import mutate, table_of

HEX64 = re.compile(r"[0-9a-f]{64}")


def _history(run: Cli) -> None:
    for child in ("C1", "C2", "C3"):
        assert run("record", "entered-care", child, "--on", "2014-06-02").exit_code == 0
        assert run("record", "adoption-decision", child, "--on", "2014-11-20").exit_code == 0


@pytest.fixture
def signed(run: Cli, tmp_path: Path) -> tuple[Cli, Path, str]:
    """A store of three children, a signing key and the public key keygen printed."""
    _history(run)
    result = run("checkpoint", "keygen", "--out", str(tmp_path / "key.pem"))
    assert result.exit_code == 0, result.output
    return run, tmp_path / "key.pem", result.stdout.strip()


def _one_error_line(result: object, starts: str) -> None:
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert result.stdout == ""  # type: ignore[attr-defined]
    lines = result.stderr.splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1 and lines[0].startswith(f"Error: {starts}"), lines


def test_keygen_writes_a_key_only_its_owner_can_read_and_prints_the_public_key(run: Cli, tmp_path: Path) -> None:
    result = run("checkpoint", "keygen", "--out", str(tmp_path / "key.pem"))

    assert result.exit_code == 0
    assert HEX64.fullmatch(result.stdout.strip())
    assert (tmp_path / "key.pem").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "key.pem").read_text().startswith("-----BEGIN PRIVATE KEY-----")


def test_keygen_never_overwrites_a_file(run: Cli, tmp_path: Path) -> None:
    (tmp_path / "key.pem").write_text("an older key", encoding="utf-8")
    result = run("checkpoint", "keygen", "--out", str(tmp_path / "key.pem"))
    _one_error_line(result, f"'{tmp_path / 'key.pem'}' already exists: a signing key is never overwritten")
    assert (tmp_path / "key.pem").read_text(encoding="utf-8") == "an older key"


def test_a_checkpoint_is_written_and_says_what_it_pins(signed: tuple[Cli, Path, str], tmp_path: Path) -> None:
    run, key, public = signed
    out = tmp_path / "march.json"

    result = run("checkpoint", "--out", str(out), "--key", str(key))

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert re.fullmatch(rf"wrote {re.escape(str(out))}: 3 journeys, 9 events, as stored at \S+Z", lines[0])
    data = json.loads(out.read_text(encoding="utf-8"))
    assert lines[1:] == [f"root        {data['root']}", f"public key  {public}"]
    assert [leaf[1:3] for leaf in data["leaves"]] == [["C1", 3], ["C2", 3], ["C3", 3]]


def test_the_key_can_come_from_the_environment_and_json_shows_the_signed_header(
    signed: tuple[Cli, Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run, key, public = signed
    monkeypatch.setenv("JOURNEYS_SIGNING_KEY", str(key))

    result = run("checkpoint", "--out", str(tmp_path / "c.json"), "--json")

    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {
        "file", "format", "created_at", "known_at", "engine_version", "streams", "events", "root", "public_key",
        "signature",
    }  # fmt: skip
    assert (data["public_key"], data["streams"], data["events"]) == (public, 3, 9)


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["checkpoint", "--out", "c.json"], "Error: no signing key: pass --key KEYFILE or set JOURNEYS_SIGNING_KEY"),
        (["checkpoint", "--key", "key.pem"], "Error: Missing option '--out'. Try 'journeys checkpoint --help'."),
        (
            ["checkpoint", "--out", "c.json", "keygen", "--out", "k2.pem"],
            "Error: --out goes with `journeys checkpoint`",
        ),
        (["checkpoint", "keygen"], "Error: Missing option '--out'. Try 'journeys checkpoint keygen --help'."),
        (["verify", "--public-key", "00"], "Error: --public-key and --key name the signer of a checkpoint"),
        (["verify", "--against", "nowhere.json"], "Error: Invalid value for '--against': File 'nowhere.json' does not"),
    ],
)
def test_a_usage_error_is_one_line_exit_2_and_writes_nothing(
    signed: tuple[Cli, Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], line: str
) -> None:
    run, _, _ = signed
    monkeypatch.chdir(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())

    result = run(*args)

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(line) and len(result.stderr.splitlines()) == 1, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_verify_against_a_checkpoint_of_the_untouched_store_passes(
    signed: tuple[Cli, Path, str], tmp_path: Path
) -> None:
    run, key, public = signed
    run("checkpoint", "--out", str(tmp_path / "c.json"), "--key", str(key))

    result = run("verify", "--against", str(tmp_path / "c.json"), "--public-key", public)

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "verified 9 events in 3 journeys: all hashes match"
    assert result.stdout.splitlines()[1].startswith(
        f"{tmp_path / 'c.json'}: every one of its 3 journeys (9 events) is in the store at or beyond its head"
    )
    assert result.stdout.splitlines()[2] == f"signed by {public}, the key expected"


def test_verify_against_names_each_child_and_event_then_one_error_line(
    signed: tuple[Cli, Path, str], tmp_path: Path
) -> None:
    run, key, _ = signed
    run("checkpoint", "--out", str(tmp_path / "c.json"), "--key", str(key))
    table = table_of(run.store)
    stream = next(s for s in table.streams() if table.rows(s)[0][3]["child"] == "C2")
    table.put(stream, table.rows(stream)[:-1])  # C2's last event deleted: the chain still holds
    mutate_c3 = next(s for s in table.streams() if table.rows(s)[0][3]["child"] == "C3")
    table.put(mutate_c3, [])  # C3 deleted
    table.close()
    assert run("verify").exit_code == 0

    result = run("verify", "--against", str(tmp_path / "c.json"))

    assert result.exit_code == 1
    name = str(tmp_path / "c.json")
    assert result.stdout.splitlines() == [
        f"child C2 (825) event 3: the store holds 2 event(s) of the journey, {name} holds 3",
        f"child C3 (825) event 1: the journey is not in the store; {name} holds 3 event(s) of it",
    ]
    assert result.stderr.splitlines() == [
        "Error: the store fails its checks: 2 problem(s) in 2 journey(s): C2 (825), C3 (825) — each is listed with"
        " its event; restore those journeys from a copy made before the checkpoint, and find out who changed the store"
    ]


def test_verify_against_as_json_lists_the_problems_and_the_checkpoints(
    signed: tuple[Cli, Path, str], tmp_path: Path
) -> None:
    run, key, _ = signed
    run("checkpoint", "--out", str(tmp_path / "c.json"), "--key", str(key))
    table = table_of(run.store)
    mutation = mutate(table, random.Random(4), "delete-middle")
    table.close()

    result = run("verify", "--against", str(tmp_path / "c.json"), "--json")

    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert set(data) == {"streams", "events", "ok", "problems", "checkpoints"}
    assert data["ok"] is False
    assert data["problems"] == [
        {
            "la": "825",
            "child": mutation.child,
            "seq": 3,
            "problem": f"the store holds 2 event(s) of the journey, {tmp_path / 'c.json'} holds 3",
            "checkpoint": str(tmp_path / "c.json"),
            "extends": None,
        }
    ]
    assert [(c["file"], c["streams"], c["ok"]) for c in data["checkpoints"]] == [(str(tmp_path / "c.json"), 3, False)]
    assert result.stderr.startswith("Error: the store fails its checks: 1 problem(s) in 1 journey(s)")


def test_two_checkpoints_show_the_later_extends_the_earlier(signed: tuple[Cli, Path, str], tmp_path: Path) -> None:
    run, key, _ = signed
    run("checkpoint", "--out", str(tmp_path / "old.json"), "--key", str(key))
    run("record", "placement-order", "C1", "--on", "2015-02-10")
    run("checkpoint", "--out", str(tmp_path / "new.json"), "--key", str(key))

    result = run("verify", "--against", str(tmp_path / "old.json"), "--against", str(tmp_path / "new.json"))

    assert result.exit_code == 0, result.output
    assert f"{tmp_path / 'new.json'} extends {tmp_path / 'old.json'}: every journey of" in result.stdout


def _tampered(path: Path) -> Path:
    text = path.read_text(encoding="utf-8")
    out = path.with_name("tampered.json")
    out.write_text(text.replace('"C2", 3', '"C2", 2'), encoding="utf-8")
    return out


@pytest.mark.parametrize(
    ("case", "starts"),
    [
        ("not json", "the checkpoint '{file}' is not JSON (Expecting value at line 1 column 1)"),
        ("tampered", "the checkpoint '{file}' was altered: its journeys do not hash to its root"),
        ("wrong key", "the checkpoint '{file}' is signed by the key "),
        ("wrong key in the environment", "the checkpoint '{file}' is signed by the key "),
        ("another store", "the checkpoint '{file}' is not of this store: none of its 3 journeys is in it"),
        ("unreadable key", "'{key}' is not a signing key"),
    ],
)
def test_bad_input_to_verify_against_is_one_error_line_exit_1(
    signed: tuple[Cli, Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str, starts: str
) -> None:
    run, key, _ = signed
    good = tmp_path / "c.json"
    run("checkpoint", "--out", str(good), "--key", str(key))
    args = ["verify", "--against", str(good)]
    if case == "not json":
        (tmp_path / "notes.txt").write_text("not a checkpoint\n", encoding="utf-8")
        args, good = ["verify", "--against", str(tmp_path / "notes.txt")], tmp_path / "notes.txt"
    elif case == "tampered":
        good = _tampered(good)
        args = ["verify", "--against", str(good)]
    elif case == "wrong key":
        assert run("checkpoint", "keygen", "--out", str(tmp_path / "other.pem")).exit_code == 0
        args += ["--key", str(tmp_path / "other.pem")]
    elif case == "wrong key in the environment":
        assert run("checkpoint", "keygen", "--out", str(tmp_path / "other.pem")).exit_code == 0
        monkeypatch.setenv("JOURNEYS_SIGNING_KEY", str(tmp_path / "other.pem"))
    elif case == "another store":
        other = Cli(str(tmp_path / "other.db"))
        _history(other)
        run = other
    elif case == "unreadable key":
        (tmp_path / "broken.pem").write_text("-----BEGIN PRIVATE KEY-----\nnope\n", encoding="utf-8")
        key = tmp_path / "broken.pem"
        args += ["--key", str(key)]

    result = run(*args)

    _one_error_line(result, starts.format(file=good, key=key))
