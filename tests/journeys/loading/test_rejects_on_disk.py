"""A load's rejects are written to disk as they come and read back in line order: memory does
not hold them, and their files go when the report is closed or dropped."""

from __future__ import annotations

import gc
import json
import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from journeys import JourneysApp, StoreError
from journeys.loading import Rejected, Rejects, load_lines, read_lines
from journeys.loading.parallel import load_file
from tests.helpers import LA


@pytest.fixture
def spool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _bad_lines(count: int) -> list[str]:
    """Lines each rejected: unreadable, an unknown kind, refused by the rules, alternately."""
    kinds = [
        "{not json",
        json.dumps({"la": LA, "child": "C1", "event": "moon-landing", "on": "2015-01-01"}),
        json.dumps({"la": LA, "child": "C1", "event": "adoption-order", "on": "2015-01-01"}),
    ]
    return [json.dumps({"la": LA, "child": "C1", "event": "entered-care", "on": "2014-01-10"})] + [
        kinds[n % 3] for n in range(count)
    ]


def test_rejects_of_every_kind_come_back_in_line_order(spool: Path, memory_app: JourneysApp) -> None:
    lines = _bad_lines(30)
    report = load_lines(memory_app, read_lines(lines, None), recorded_by="t", source_name="s", batch_size=4)
    assert len(report.rejected) == 30 and report.loaded == 1
    assert [r.line_no for r in report.rejected] == list(range(2, 32))
    assert list(report.rejected) == list(report.rejected)  # read again, the same
    assert [r.reason.split(" ")[0] for r in report.rejected][:3] == ["not", "unknown", "adoption"]
    (folder,) = spool.iterdir()
    assert {path.suffix for path in folder.iterdir()} == {".rejects"}  # on disk
    report.rejected.close()
    assert list(spool.iterdir()) == [] and list(report.rejected) == []


def test_a_dropped_report_takes_its_files_with_it(spool: Path, memory_app: JourneysApp) -> None:
    report = load_lines(memory_app, read_lines(_bad_lines(5), None), recorded_by="t", source_name="s")
    assert len(list(spool.iterdir())) == 1
    del report
    gc.collect()
    assert list(spool.iterdir()) == []


def test_a_load_without_rejects_makes_no_file(spool: Path, memory_app: JourneysApp) -> None:
    report = load_lines(memory_app, read_lines(_bad_lines(0), None), recorded_by="t", source_name="s")
    assert (report.loaded, len(report.rejected), bool(report.rejected)) == (1, 0, False)
    assert list(spool.iterdir()) == []


def test_the_rejects_of_a_load_in_processes_are_read_from_each_process_s_files(spool: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(
        "\n".join(_bad_lines(40) + [json.dumps({"la": LA, "child": f"K{n}", "event": "x"}) for n in range(9)])
    )
    app = JourneysApp(str(tmp_path / "store.db"))
    try:
        report = load_file(app, path, default_la=None, recorded_by="t", batch_size=5, workers=3)
    finally:
        app.close()
    assert [r.line_no for r in report.rejected] == list(range(2, 51))
    (folder,) = spool.iterdir()
    assert len({name.name.split("-")[0] for name in folder.iterdir()}) > 1  # each process wrote its own
    report.rejected.close()
    assert list(spool.iterdir()) == []


def test_rejects_sent_to_another_process_leave_the_files_to_their_maker(spool: Path) -> None:
    rejects = Rejects()
    run = rejects.writer("one")
    run.write(3, "bad")
    rejects.add(run)
    copy = pickle.loads(pickle.dumps(rejects))
    assert list(copy) == [Rejected(3, "bad")]
    copy.close()
    del copy
    gc.collect()
    assert list(rejects) == [Rejected(3, "bad")]
    rejects.close()
    assert list(spool.iterdir()) == []


def test_a_temporary_folder_that_cannot_be_made_is_one_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, memory_app: JourneysApp
) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    monkeypatch.setattr(tempfile, "tempdir", str(not_a_folder))
    with pytest.raises(StoreError, match="cannot keep the rejected lines in the temporary folder") as caught:
        load_lines(memory_app, read_lines(_bad_lines(2), None), recorded_by="t", source_name="s")
    assert "TMPDIR" in caught.value.remedy


def test_the_folder_of_a_killed_load_is_removed_by_the_next_load(spool: Path, memory_app: JourneysApp) -> None:
    """A load killed with SIGKILL cannot remove its rejects; the next load that writes one
    removes every folder whose process is gone, and leaves a live process's folder alone."""
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    abandoned = spool / f"journeys-rejects-{gone.pid}-abcd"
    abandoned.mkdir()
    (abandoned / "0.rejects").write_bytes(b"x")
    live = spool / f"journeys-rejects-{os.getppid()}-efgh"
    live.mkdir()
    report = load_lines(memory_app, read_lines(_bad_lines(3), None), recorded_by="t", source_name="s")
    assert not abandoned.exists() and live.is_dir()
    (own,) = set(spool.iterdir()) - {live}
    assert own.name.startswith(f"journeys-rejects-{os.getpid()}-")
    report.rejected.close()
