"""A load split between processes (each child's lines in one of them) stores what a
single-process load stores, and accounts for every line the same way."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from journeys import JourneysApp, StoreError
from journeys.loading import export_lines
from journeys.loading.batch import LoadReport
from journeys.loading.jsonl import part_of, read_lines
from journeys.loading.parallel import count_lines, cpus, default_workers, load_file
from journeys.synthetic.generator import generate


def _file(tmp_path: Path) -> Path:
    """Generated journeys, with bad lines among them: each kind of reject once."""
    lines = [json.dumps(line) for line in generate(160, 7, las=3)]
    first = json.loads(lines[0])
    bad = [
        "{not json",
        json.dumps({"la": first["la"], "event": "entered-care", "on": "2015-01-01"}),  # no child
        json.dumps({"la": first["la"], "child": first["child"], "event": "moon-landing", "on": "2015-01-01"}),
        json.dumps({"la": first["la"], "child": first["child"], "event": "adoption-order", "on": "1990-01-01"}),
    ]
    for offset, line in enumerate(bad):
        lines.insert(40 + 97 * offset, line)
    lines.insert(300, "")
    path = tmp_path / "journeys.loading.jsonl"
    path.write_bytes("\n".join(lines).encode() + b"\n" + b'{"la": "\xff"}\n')
    return path


def _load(store: str, path: Path, workers: int) -> tuple[LoadReport, list[dict[str, object]]]:
    app = JourneysApp(store)
    try:
        report = load_file(app, path, default_la=None, recorded_by="test", batch_size=50, workers=workers)
        assert app.verify().tampered == []
        exported = sorted(
            export_lines(app, plain=True), key=lambda line: (str(line["la"]), str(line["child"]), str(line["id"]))
        )
        return report, exported
    finally:
        app.close()


def test_two_and_three_processes_store_and_account_as_one(store: str, tmp_path: Path) -> None:
    path = _file(tmp_path)
    alone, stored_alone = _load(str(tmp_path / "alone.db"), path, workers=1)
    assert len(alone.rejected) == 5 and alone.loaded > 600
    for workers in (2, 3):
        target = store if workers == 2 else str(tmp_path / "three.db")
        report, stored = _load(target, path, workers=workers)
        assert (report.loaded, report.skipped) == (alone.loaded, alone.skipped)
        assert report.rejected == alone.rejected  # the same lines, reasons and order
        assert stored == stored_alone


def test_a_second_parallel_load_skips_every_line(store: str, tmp_path: Path) -> None:
    path = _file(tmp_path)
    first, _ = _load(store, path, workers=2)
    again, _ = _load(store, path, workers=2)
    assert (again.loaded, again.skipped) == (0, first.loaded)
    assert again.skipped_lines == sorted(again.skipped_lines)
    assert [r.line_no for r in again.rejected] == [r.line_no for r in first.rejected]


def test_every_line_of_a_child_is_in_one_part(tmp_path: Path) -> None:
    lines = [json.dumps(line) for line in generate(60, 3, las=2)]
    parts = {
        index: {(item.la, item.child) for item in read_lines(lines, None, part=(index, 3)) if hasattr(item, "child")}
        for index in range(3)
    }
    everyone = {(item.la, item.child) for item in read_lines(lines, None) if hasattr(item, "child")}
    assert set.union(*parts.values()) == everyone
    assert sum(len(children) for children in parts.values()) == len(everyone)
    assert all(parts.values())  # each process gets some children
    # the default local authority counts as the line's own
    assert part_of({"child": "C1"}, "825", 7) == part_of({"la": " 825 ", "child": "C1 "}, None, 7)


def test_an_in_memory_store_loads_in_this_process_only(tmp_path: Path) -> None:
    path = _file(tmp_path)
    app = JourneysApp(":memory:")
    assert default_workers(app, 10**6) == 1
    with pytest.raises(StoreError, match="in-memory"):
        load_file(app, path, default_la=None, recorded_by="t", workers=2)
    assert list(export_lines(app)) == []


def test_small_files_load_in_one_process(sqlite_app: JourneysApp) -> None:
    assert default_workers(sqlite_app, 100) == 1
    assert default_workers(sqlite_app, 10**6) == min(4, cpus())


def test_count_lines(tmp_path: Path) -> None:
    for body, expected in ((b"", 0), (b"a\n", 1), (b"a\nb", 2), (b"a\n\nb\n", 3)):
        path = tmp_path / "f.jsonl"
        path.write_bytes(body)
        assert count_lines(path) == expected


def test_a_process_that_cannot_open_the_store_stops_the_load_with_its_reason(tmp_path: Path) -> None:
    path = _file(tmp_path)
    store = tmp_path / "store.db"
    app = JourneysApp(str(store))
    try:
        store.write_text("not a database")  # what each loading process will find
        with pytest.raises(StoreError, match=r"the load stopped: .*not a SQLite database") as caught:
            load_file(app, path, default_la=None, recorded_by="t", workers=2)
        assert "--store" in caught.value.remedy  # the loading process's own remedy
    finally:
        app.close()
