"""`journeys bundle --out` and `journeys bundle --check` as an auditor runs them: a bundle made
at T is what the report commands print as known at T, and stays so whatever is recorded after
T; a difference, an edited file and bad input are each named."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from journeys import JourneysApp
from tests.helpers import FIXTURES, Cli

ADOPTED = (  # a child adopted in 2012-15, its placement order to match 92 days (A2)
    ("entered-care", "--on", "2013-01-10", "--legal-status", "C2"),
    ("adoption-decision", "--on", "2013-03-01"),
    ("placement-order", "--on", "2013-05-01"),
    ("match", "--on", "2013-08-01", "--adopters", "ADP-825-001"),
    ("placed", "--on", "2013-09-01"),
    ("adoption-order", "--on", "2014-01-10"),
)
OPTIONS = ("--period", "2012-15", "--la", "825", "--census", "2016-09-30", "--as-at", "2016-03-31")


def _record(run: Cli, child: str, events: tuple[tuple[str, ...], ...]) -> None:
    for kind, *args in events:
        result = run("record", kind, child, *args)
        assert result.exit_code == 0, result.output


@pytest.fixture
def known(store: str, tmp_path: Path) -> tuple[Cli, Path, datetime]:
    """A store (SQLite, and PostgreSQL when configured) with the evaluation's Buckinghamshire
    children and one adopted child, a signing key, and T: a time after all of them."""
    JourneysApp(store).close()
    run = Cli(store)
    assert run("--quiet", "load", str(FIXTURES / "evaluation-2017" / "buckinghamshire.jsonl")).exit_code == 0
    _record(run, "A1", ADOPTED)
    assert run("checkpoint", "keygen", "--out", str(tmp_path / "key.pem")).exit_code == 0
    return run, tmp_path / "key.pem", datetime.now(UTC)


def _bundle(run: Cli, key: Path, at: datetime, out: Path, *options: str) -> None:
    result = run("bundle", "--known-at", at.isoformat(), *options, "--key", str(key), "--out", str(out))
    assert result.exit_code == 0, result.output


def _manifest(folder: Path) -> dict[str, object]:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _one_error_line(result: object, starts: str, code: int = 1) -> None:
    assert result.exit_code == code, result.output  # type: ignore[attr-defined]
    assert result.stdout == ""  # type: ignore[attr-defined]
    lines = result.stderr.splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1 and lines[0].startswith(f"Error: {starts}"), lines


def test_a_bundle_holds_what_each_of_its_commands_prints(known: tuple[Cli, Path, datetime], tmp_path: Path) -> None:
    run, key, at = known
    _bundle(run, key, at, tmp_path / "b", *OPTIONS)

    manifest = _manifest(tmp_path / "b")
    commands = manifest["commands"]
    assert isinstance(commands, list)
    reports = {c["argv"][1] for c in commands}
    assert reports == {
        "scorecard",
        "cohort",
        "waiting",
        "counts",
        "stages",
        "plan-changes",
        "tracking-cohort",
        "surgery",
    }
    for command in commands:
        printed = run(*command["argv"][1:], la=None)
        assert printed.exit_code == 0, command
        assert (tmp_path / "b" / command["file"]).read_bytes() == printed.stdout_bytes, command["file"]
    files = manifest["files"]
    assert isinstance(files, dict)
    for name, digest in files.items():
        assert hashlib.sha256((tmp_path / "b" / name).read_bytes()).hexdigest() == digest
    assert set(files) | {"manifest.json", "manifest.sig"} == {p.name for p in (tmp_path / "b").iterdir()}
    assert set(manifest["inputs"]) >= {"journeys/rules/milestones.toml", "projections/metrics/thresholds.toml"}  # type: ignore[arg-type]
    scorecard = json.loads((tmp_path / "b" / "scorecard.explain.json").read_text(encoding="utf-8"))
    assert any(c["child"] == "A1" for c in scorecard["by_la"]["825"]["explain"]["A2.mean_days"]["children"])
    checkpoint = json.loads((tmp_path / "b" / "checkpoint.json").read_text(encoding="utf-8"))
    assert checkpoint["known_at"] is not None and checkpoint["root"] == manifest["checkpoint"]["root"]  # type: ignore[index]


def test_a_bundle_checked_after_more_events_are_recorded_is_identical(
    known: tuple[Cli, Path, datetime], tmp_path: Path
) -> None:
    run, key, at = known
    _bundle(run, key, at, tmp_path / "b", *OPTIONS)
    # recorded after T: a new adopted child, and another decision for a child of the bundle
    _record(run, "A2", ADOPTED)
    assert run("record", "review", "A1", "--on", "2013-06-01", "--review-type", "looked-after").exit_code == 0
    now = run("scorecard", "--period", "2012-15", "--la", "825", "--json")
    before = json.loads((tmp_path / "b" / "scorecard.json").read_text(encoding="utf-8"))
    assert json.loads(now.stdout)["by_la"]["825"]["adopted"] == before["by_la"]["825"]["adopted"] + 1

    result = run("bundle", "--check", str(tmp_path / "b"))

    assert result.exit_code == 0, result.output
    assert "byte for byte" in result.stdout


def test_a_back_dated_correction_recorded_after_t_leaves_the_bundle_identical(
    known: tuple[Cli, Path, datetime], tmp_path: Path
) -> None:
    run, key, at = known
    _bundle(run, key, at, tmp_path / "b", *OPTIONS)
    seq = next(r for r in json.loads(run("history", "A1", "--json").stdout)["events"] if r["event"] == "match")["seq"]
    corrected = run("correct", "A1", str(seq), "--on", "2013-06-01", "--reason", "matched earlier, keyed late")
    assert corrected.exit_code == 0, corrected.output
    now = json.loads(run("scorecard", "--period", "2012-15", "--la", "825", "--json").stdout)
    before = json.loads((tmp_path / "b" / "scorecard.json").read_text(encoding="utf-8"))
    assert now["by_la"]["825"]["A2"] != before["by_la"]["825"]["A2"]  # the correction counts now

    result = run("bundle", "--check", str(tmp_path / "b"))

    assert result.exit_code == 0, result.output


def test_a_bundle_whose_figures_changed_names_the_first_figure_and_the_children_recorded_since(
    known: tuple[Cli, Path, datetime], tmp_path: Path
) -> None:
    run, key, at = known
    later = at + timedelta(days=1)  # T ahead of the clock: what is recorded now counts at T
    _bundle(run, key, later, tmp_path / "b", *OPTIONS)
    _record(run, "A2", ADOPTED)

    result = run("bundle", "--check", str(tmp_path / "b"))

    assert result.exit_code == 1
    assert "differs: scorecard.explain.json" in result.stdout
    first = next(line for line in result.stdout.splitlines() if line.startswith("first difference:"))
    assert first.startswith("first difference: scorecard.explain.json, figure scorecard:825:")
    errors = result.stderr.splitlines()
    assert len(errors) == 1 and errors[0].startswith("Error: the bundle ")
    assert "the first at figure scorecard:825:" in errors[0]
    assert "children recorded after" in errors[0]


def test_the_children_recorded_after_t_are_named_when_the_bundle_differs(
    known: tuple[Cli, Path, datetime], tmp_path: Path
) -> None:
    run, key, at = known
    thresholds = tmp_path / "thresholds.toml"
    thresholds.write_text("[default]\nA1 = 400\nA2 = 120\n", encoding="utf-8")
    _bundle(run, key, at, tmp_path / "b", *OPTIONS, "--thresholds", str(thresholds))
    _record(run, "A9", ADOPTED[:2])
    thresholds.write_text("[default]\nA1 = 300\nA2 = 120\n", encoding="utf-8")

    result = run("bundle", "--check", str(tmp_path / "b"))

    assert result.exit_code == 1
    assert f"input changed since the bundle: {thresholds.resolve()}" in result.stdout
    assert "A9 (825)" in result.stdout and "A9 (825)" in result.stderr
    assert "A1 (825)" not in result.stderr


def test_one_edited_file_in_the_bundle_is_named(known: tuple[Cli, Path, datetime], tmp_path: Path) -> None:
    run, key, at = known
    _bundle(run, key, at, tmp_path / "b", *OPTIONS)
    path = tmp_path / "b" / "waiting.csv"
    path.write_bytes(path.read_bytes().replace(b"825", b"826", 1))

    _one_error_line(run("bundle", "--check", str(tmp_path / "b")), "the bundle's file 'waiting.csv' does not match")


@pytest.mark.parametrize("change", ["removed", "added"])
def test_a_file_removed_from_or_added_to_the_bundle_is_named(
    known: tuple[Cli, Path, datetime], tmp_path: Path, change: str
) -> None:
    run, key, at = known
    _bundle(run, key, at, tmp_path / "b", *OPTIONS)
    if change == "removed":
        (tmp_path / "b" / "counts.json").unlink()
        starts = f"the bundle '{tmp_path / 'b'}' lacks the file 'counts.json'"
    else:
        (tmp_path / "b" / "notes.txt").write_text("mine", encoding="utf-8")
        starts = f"the bundle '{tmp_path / 'b'}' holds 'notes.txt', a file its manifest does not list"
    _one_error_line(run("bundle", "--check", str(tmp_path / "b")), starts)


def test_bad_folders_to_check_are_one_error_line(run: Cli, tmp_path: Path) -> None:
    _one_error_line(run("bundle", "--check", str(tmp_path / "nowhere")), "there is no bundle at")
    (tmp_path / "empty").mkdir()
    _one_error_line(run("bundle", "--check", str(tmp_path / "empty")), f"'{tmp_path / 'empty'}' is not a bundle")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "manifest.json").write_text("{not json", encoding="utf-8")
    _one_error_line(run("bundle", "--check", str(tmp_path / "bad")), f"'{tmp_path / 'bad'}' is not a bundle")
    (tmp_path / "other").mkdir()
    manifest = {"format": "journeys-bundle/1", "known_at": "2016-01-01T00:00:00+00:00", "files": {"x.json": "0"}}
    manifest["commands"] = [{"file": "x.json", "argv": ["journeys", "record", "entered-care", "C9"]}]
    (tmp_path / "other" / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    _one_error_line(run("bundle", "--check", str(tmp_path / "other")), "")
    assert "not a report's" in run("bundle", "--check", str(tmp_path / "other")).stderr


def _resign(folder: Path, key: Ed25519PrivateKey) -> None:
    """Sign ``folder``'s manifest again with ``key``, as a forger with their own key would."""
    manifest = (folder / "manifest.json").read_bytes()
    signature = json.loads((folder / "manifest.sig").read_text(encoding="utf-8"))
    signature["public_key"] = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()
    signature["signature"] = key.sign(manifest).hex()
    (folder / "manifest.sig").write_text(json.dumps(signature), encoding="utf-8")


def test_the_manifest_is_signed_by_the_checkpoint_key(known: tuple[Cli, Path, datetime], tmp_path: Path) -> None:
    run, key, at = known
    _bundle(run, key, at, tmp_path / "b", *OPTIONS)
    signature = json.loads((tmp_path / "b" / "manifest.sig").read_text(encoding="utf-8"))
    public = _manifest(tmp_path / "b")["checkpoint"]["public_key"]  # type: ignore[index]

    assert signature["public_key"] == public
    Ed25519PublicKey.from_public_bytes(bytes.fromhex(public)).verify(
        bytes.fromhex(signature["signature"]), (tmp_path / "b" / "manifest.json").read_bytes()
    )  # raises when the signature does not hold
    checked = run("bundle", "--check", str(tmp_path / "b"), "--public-key", public)
    assert checked.exit_code == 0, checked.output
    assert f"manifest signed by {public}" in checked.stdout


def test_a_file_changed_with_its_manifest_line_fails_the_signature(
    known: tuple[Cli, Path, datetime], tmp_path: Path
) -> None:
    run, key, at = known
    _bundle(run, key, at, tmp_path / "b", *OPTIONS)
    path = tmp_path / "b" / "waiting.csv"
    path.write_bytes(path.read_bytes().replace(b"825", b"826", 1))
    manifest = _manifest(tmp_path / "b")
    manifest["files"]["waiting.csv"] = hashlib.sha256(path.read_bytes()).hexdigest()  # type: ignore[index]
    (tmp_path / "b" / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")

    _one_error_line(run("bundle", "--check", str(tmp_path / "b")), f"the bundle '{tmp_path / 'b'}' fails its signature")
    assert "does not hold over manifest.json" in run("bundle", "--check", str(tmp_path / "b")).stderr


def test_a_bundle_signed_again_by_another_key_is_refused(known: tuple[Cli, Path, datetime], tmp_path: Path) -> None:
    run, key, at = known
    _bundle(run, key, at, tmp_path / "b", *OPTIONS)
    _resign(tmp_path / "b", Ed25519PrivateKey.generate())

    refused = run("bundle", "--check", str(tmp_path / "b"))
    _one_error_line(refused, f"the bundle '{tmp_path / 'b'}' fails its signature")
    assert "not by the key of its checkpoint" in refused.stderr


def test_a_bundle_by_another_key_than_the_one_given_is_refused(
    known: tuple[Cli, Path, datetime], tmp_path: Path
) -> None:
    run, key, at = known
    _bundle(run, key, at, tmp_path / "b", *OPTIONS)
    other = Ed25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()

    refused = run("bundle", "--check", str(tmp_path / "b"), "--public-key", other)
    _one_error_line(refused, f"the bundle '{tmp_path / 'b'}' fails its signature")
    assert f"not by the key given ({other[:16]}" in refused.stderr
    _one_error_line(run("bundle", "--public-key", other), "--public-key names the signer", code=2)


def test_a_missing_signature_is_refused_but_an_old_unsigned_bundle_is_checked(
    known: tuple[Cli, Path, datetime], tmp_path: Path
) -> None:
    run, key, at = known
    _bundle(run, key, at, tmp_path / "b", *OPTIONS)
    (tmp_path / "b" / "manifest.sig").unlink()
    _one_error_line(
        run("bundle", "--check", str(tmp_path / "b")), f"the bundle '{tmp_path / 'b'}' holds no manifest.sig"
    )

    manifest = _manifest(tmp_path / "b")
    manifest["format"] = "journeys-bundle/1"  # as bundles were written before they were signed
    (tmp_path / "b" / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    old = run("bundle", "--check", str(tmp_path / "b"))
    assert old.exit_code == 0, old.output
    assert "the manifest is not signed" in old.stdout
    public = manifest["checkpoint"]["public_key"]  # type: ignore[index]
    _one_error_line(run("bundle", "--check", str(tmp_path / "b"), "--public-key", public), "the bundle")


def _names(folder: Path) -> list[str]:
    """The files in ``folder``, but the read model's (which the reports a bundle runs keep)."""
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(".views.db"))


def test_a_refused_bundle_creates_nothing(known: tuple[Cli, Path, datetime], tmp_path: Path) -> None:
    run, key, at = known
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "old.json").write_text("{}", encoding="utf-8")
    before = _names(tmp_path)

    _one_error_line(
        run("bundle", "--known-at", at.isoformat(), "--key", str(key), "--out", str(tmp_path / "taken")),
        f"'{tmp_path / 'taken'}' already exists",
    )
    _one_error_line(
        run("bundle", "--known-at", at.isoformat(), "--out", str(tmp_path / "new")), "no signing key", code=2
    )
    _one_error_line(
        run(
            "bundle",
            "--known-at",
            at.isoformat(),
            "--period",
            "2015",
            "--key",
            str(key),
            "--out",
            str(tmp_path / "new"),
        ),
        "period '2015' is not of the form YYYY-YY",
    )
    _one_error_line(
        run(
            "bundle",
            "--known-at",
            at.isoformat(),
            "--la",
            "825",
            "--period",
            "2016-18",
            "--census",
            "2016-09-30",
            "--key",
            str(key),
            "--out",
            str(tmp_path / "new"),
        ),
        "the census on 2016-09-30 is before",
    )
    _one_error_line(
        run("bundle", "--key", str(key), "--out", str(tmp_path / "new")), "Missing option '--known-at'", code=2
    )
    _one_error_line(run("bundle", "--check", str(tmp_path / "taken"), "--la", "825"), "--check takes only", code=2)
    assert _names(tmp_path) == before
    assert [p.name for p in (tmp_path / "taken").iterdir()] == ["old.json"]


def test_a_bundle_goes_into_an_empty_folder(known: tuple[Cli, Path, datetime], tmp_path: Path) -> None:
    run, key, at = known
    (tmp_path / "b").mkdir()
    _bundle(run, key, at, tmp_path / "b", "--la", "825")
    assert (tmp_path / "b" / "manifest.json").is_file()
    assert run("bundle", "--check", str(tmp_path / "b")).exit_code == 0
