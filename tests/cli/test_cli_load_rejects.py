"""`journeys load`'s rejects: read from disk as they are printed, one per line on stderr or as
the `--json` list (written as it is read, in the shape `json.dumps` gives), and no file left
behind; a second load of the same file loads nothing."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from cli.output import echo_json_streamed
from tests.helpers import OUT_OF_ORDER, Cli


def _bad_file(tmp_path: Path, bad: int) -> Path:
    good = [json.dumps(line) for line in OUT_OF_ORDER]
    lines = good[:4] + [f'{{"la": "825", "child": "C{n}", "event": "entered-care", "on": "{n}"}}' for n in range(bad)]
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines + good[4:]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def spool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary folder the load's rejects are kept in, watched."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.mark.parametrize("bad", [0, 1, 2500])
def test_the_json_summary_is_what_json_dumps_writes(run: Cli, tmp_path: Path, spool: Path, bad: int) -> None:
    path = _bad_file(tmp_path, bad)
    result = run("load", str(path), "--json", "--batch-size", "3")
    assert result.exit_code == (2 if bad else 0), result.output
    data = json.loads(result.stdout)
    assert result.stdout == json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    assert list(data) == ["loaded", "skipped", "rejected", "rejects"]
    assert (data["loaded"], data["skipped"], data["rejected"]) == (len(OUT_OF_ORDER), 0, bad)
    assert [r["line"] for r in data["rejects"]] == list(range(5, 5 + bad))
    assert all(r["file"] == str(path) and "is not a date" in r["reason"] for r in data["rejects"])
    assert list(spool.iterdir()) == []  # the rejects' files are gone


def test_rejects_go_to_stderr_one_a_line_and_the_second_load_loads_nothing(
    run: Cli, tmp_path: Path, spool: Path
) -> None:
    path = _bad_file(tmp_path, 3)
    first = run("load", str(path))
    assert first.exit_code == 2
    assert first.stdout == f"loaded {len(OUT_OF_ORDER)}, skipped 0 already present, rejected 3\n"
    assert [line.split(": rejected: ")[0] for line in first.stderr.splitlines()] == [f"{path}:{n}" for n in (5, 6, 7)]
    again = run("load", str(path))
    assert again.stdout == f"loaded 0, skipped {len(OUT_OF_ORDER)} already present, rejected 3\n"
    assert again.stderr == first.stderr
    assert list(spool.iterdir()) == []


def test_rejects_of_several_files_are_listed_file_by_file(run: Cli, tmp_path: Path, spool: Path) -> None:
    path = _bad_file(tmp_path, 2)
    other = tmp_path / "other.jsonl"
    other.write_text("not json\n")
    data = json.loads(run("load", str(path), str(other), "--json").stdout)
    assert [(r["file"], r["line"]) for r in data["rejects"]] == [(str(path), 5), (str(path), 6), (str(other), 1)]
    assert data["rejected"] == 3
    assert list(spool.iterdir()) == []


def test_a_streamed_json_list_is_written_as_json_dumps_writes_it() -> None:
    items: list[Any] = [
        {"file": 'é/"x"\n.jsonl', "line": 1, "reason": "tab\there \\ ☃", "none": None, "yes": True, "f": 1.5},
        {},
        {"nested": {"x": [1, 2]}, "list": []},
        [1, {"y": 2}],
        "text",
        3,
    ]

    @click.command()
    @click.argument("count", type=int)
    def streamed(count: int) -> None:
        echo_json_streamed({"loaded": 1, "rejected": 2}, "rejects", items[:count])

    for count in range(len(items) + 1):
        out = CliRunner().invoke(streamed, [str(count)]).output
        assert (
            out
            == json.dumps({"loaded": 1, "rejected": 2, "rejects": items[:count]}, indent=2, ensure_ascii=False) + "\n"
        )
