"""`journeys.record_return`, as export-903 will call it: a return numbered in its LA's log with
the store's state, its files' SHA-256 and its cells; a record altered, removed or of an
unknown kind is refused or found out. On SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from freezegun import freeze_time

from journeys import (
    JourneysApp,
    ReturnsError,
    check_returns_log,
    find_return,
    make_checkpoint,
    record_return,
    return_records,
)
from journeys.domain.access_log import check_chains
from tests.helpers import record


def _files(tmp_path: Path) -> list[Path]:
    files = []
    for name, text in (("ad1.csv", "CHILD,DATE_INT\nC1,01/02/2015\n"), ("header.csv", "CHILD,SEX\nC1,1\n")):
        (tmp_path / name).write_text(text)
        files.append(tmp_path / name)
    return files


def test_a_return_is_numbered_per_la_with_the_store_state_files_and_cells(app: JourneysApp, tmp_path: Path) -> None:
    record(app, "C1", "entered-care", "2015-01-05", legal_status="C2")
    record(app, "C2", "entered-care", "2015-02-01", legal_status="C2", la="928")
    files = _files(tmp_path)
    with freeze_time("2016-07-04 09:12:30"):
        first = record_return(app, "export-903", "2016", "825", files, {"ad1.rows": 1}, user="officer")
    second = record_return(app, "export-903", "2016", "928", files[:1], {"ad1.rows": 0}, user="officer")
    third = record_return(app, "asglb", "2016-17-Q1", "825", [], {"in_quarter.matches": 2}, user="other")
    assert [r.id for r in (first, second, third)] == ["825-1", "928-1", "825-2"]
    assert first.at == "2016-07-04T09:12:30.000000Z" and first.user == "officer"
    assert first.body["files"] == [
        {"file": str(p), "sha256": hashlib.sha256(p.read_bytes()).hexdigest()} for p in files
    ]
    # the store's state is the root a checkpoint of the same store pins
    assert first.body["checkpoint"]["root"] == make_checkpoint(app, Ed25519PrivateKey.generate()).root
    assert (first.body["checkpoint"]["streams"], first.body["checkpoint"]["tampered"]) == (2, 0)
    assert find_return(app, "825-2").cells == {"in_quarter.matches": 2}
    assert [r.id for r in return_records(app, la="825")] == ["825-1", "825-2"]
    assert check_returns_log(app).ok and check_returns_log(app).records == 3


def test_an_unknown_kind_an_unknown_id_and_an_unreadable_file_are_refused(app: JourneysApp, tmp_path: Path) -> None:
    with pytest.raises(ReturnsError, match="no return is called"):
        record_return(app, "ssda-999", "2016", "825", [], {}, user="officer")
    with pytest.raises(ReturnsError, match="cannot read"):
        record_return(app, "export-903", "2016", "825", [tmp_path / "missing.csv"], {}, user="officer")
    for text in ("825", "825-x", "-3", "825-1-2"):
        with pytest.raises(ReturnsError, match="not a return id"):
            find_return(app, text)
    with pytest.raises(ReturnsError, match="no return 825-1 is recorded"):
        find_return(app, "825-1")
    assert return_records(app) == []


def test_a_record_altered_or_removed_breaks_its_chain(app: JourneysApp, tmp_path: Path) -> None:
    made = [record_return(app, "asglb", f"2016-17-Q{q}", "825", [], {"cells.q": q}, user="o") for q in (1, 2, 3)]
    assert check_chains(made) == (3, [])
    altered = [made[0], replace(made[1], body={**made[1].body, "cells": {"cells.q": 9}}), made[2]]
    assert [(p.seq, p.problem) for p in check_chains(altered)[1]] == [(2, "content does not match its hash")]
    removed = [made[0], made[2]]
    assert [(p.seq, p.problem) for p in check_chains(removed)[1]] == [
        (3, "follows record 1"),
        (3, "content does not match its hash"),
    ]
