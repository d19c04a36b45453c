"""A fuzzer over `load`: random, partly invalid JSONL files made from generated journeys by
careless edits (lines dropped, repeated and moved; bad dates, control characters, missing
keys, wrong types, unknown kinds, reused ids, huge strings, lines that are not JSON, unknown
LA codes, other spellings of a child). Whatever a file holds, on SQLite and PostgreSQL:

- the load raises nothing (a bad line is a reject with its reason);
- every line read is loaded, skipped as already present or rejected, once;
- a second load appends nothing and rejects the same lines for the same reasons;
- `verify` passes;
- two loading processes load a file as one does.

Bounded: 50 files per store (10-20 s on PostgreSQL), ``deadline=None`` (a file's two loads
take from milliseconds to a second or so, by its size and the machine's load).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from journeys import JourneysApp
from journeys.loading import LoadReport, load_file
from journeys.synthetic.generator import generate
from tests.helpers import Cli, postgres_schema_url

BAD_DATES: list[Any] = [
    "", " ", "None", "1", "-1", "1.5", {}, [], None, 0, 1.5, True, 20150602, "20150602", "2015-6-2",
    "2015-02-30", "2015-02-29", "2016-02-30", "2015-13-01", "2015-00-10", "31/13/2015", "32/01/2015", "00/01/2015",
    "2015-01-01T00:00", " 2015-01-01 ", "2099-01-01", "1899-12-31", "0001-01-01", "9999-12-31", "１０/０１/２０１５",
]  # fmt: skip
CONTROL = ["\x00", "\x01", "\x1f", "\x7f", "\n", "\r", "\t", "\x85", "\u2028", "\u200b", "\u202e", "\ufeff", "\ud7ff"]
BAD_LAS: list[Any] = ["999", "ABC", "abc", "8250", "082", "", " ", None, 825, 825.0, True, [], {}, "８２５", "825\x00"]
KINDS: list[Any] = [
    "moon-landing", "", " ", "Match", "MATCH", " match ", "opened", "correct", "retract", "action", "action-done",
    "action-added", None, 5, [], {},
]  # fmt: skip
KEYS = [
    "la", "child", "event", "on", "id", "due", "text", "owner", "action_id", "note", "reason", "corrects", "retracts",
    "adopters", "authority", "to", "decided_by", "legal_status", "date_of_birth", "harder_to_place",
]  # fmt: skip

wrong_types = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=True, allow_infinity=True),
    st.lists(st.integers(0, 9), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(0, 9), max_size=2),
)  # fmt: skip
texts = st.one_of(
    st.text(max_size=12),
    st.builds(lambda a, c, b: a + c + b, st.text(max_size=4), st.sampled_from(CONTROL), st.text(max_size=4)),
    st.builds(lambda n: "x" * n, st.sampled_from([64, 65, 1000, 100_000])),
)
values = st.one_of(st.sampled_from(BAD_DATES), texts, wrong_types, st.sampled_from(KINDS), st.sampled_from(BAD_LAS))
raw_lines = st.one_of(
    st.sampled_from([b"", b"   ", b"\r", b"{", b"[]", b"null", b"1", b'"text"', b"{}", b"\xff\xfe", b"\xef\xbb\xbf{}"]),
    st.binary(max_size=20),
    st.text(max_size=20).map(str.encode),
)
Line = dict[str, Any] | bytes


@dataclass(frozen=True)
class Fuzzed:
    lines: list[bytes]  # as made (a line of raw bytes may hold newlines: it is several lines of the file)
    batch_size: int

    @property
    def content(self) -> bytes:
        return b"\n".join(self.lines) + b"\n"

    def write(self, folder: Path) -> Path:
        path = folder / "fuzzed.jsonl"
        path.write_bytes(self.content)
        return path

    def file_lines(self) -> list[bytes]:
        return self.content.split(b"\n")[:-1]

    def rows(self) -> int:
        """The lines a load reads: all but blank ones (as ``str.strip`` sees blanks), a first
        line's byte order mark aside."""
        count = 0
        for number, raw in enumerate(self.file_lines(), start=1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                count += 1
                continue
            if number == 1:
                text = text.removeprefix("\ufeff")
            count += bool(text.strip())
        return count


def _extras(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Surgery actions, retractions and corrections for the generated children (the
    generator writes decisions and corrections only)."""
    extra: list[dict[str, Any]] = []
    for number, line in enumerate(lines):
        head = {"la": line["la"], "child": line["child"]}
        if line["event"] == "entered-care":
            due = line["on"]
            extra.append(
                {**head, "event": "action", "action_id": "A1", "text": "Book panel", "owner": "TM", "due": due}
            )
            extra.append({**head, "event": "action-done", "action_id": "A1", "note": "booked"})
        if line["event"] == "review" and number % 2:
            line["id"] = f"{line['la']}-{line['child']}-review-{number}"
            extra.append({**head, "event": "retract", "retracts": line["id"], "reason": "keyed twice"})
    return extra


@st.composite
def fuzzed_files(draw: st.DrawFn) -> Fuzzed:
    children, seed = draw(st.integers(1, 6)), draw(st.integers(0, 100_000))
    lines: list[dict[str, Any]] = [dict(line) for line in generate(children, seed, las=2)]
    lines += _extras(lines)
    out: list[Line] = list(lines)
    for _ in range(draw(st.integers(0, 12))):
        _mutate(draw, out)
    return Fuzzed([line if isinstance(line, bytes) else _dumps(draw, line) for line in out], draw(st.integers(1, 30)))


def _dumps(draw: st.DrawFn, line: dict[str, Any]) -> bytes:
    return json.dumps(line, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")


def _mutate(draw: st.DrawFn, out: list[Line]) -> None:
    """One careless edit of the file's lines."""
    how = draw(
        st.sampled_from(
            ["drop", "repeat", "move", "set", "set", "delete", "raw", "reuse-id", "spelling", "truncate", "kind", "la"]
        )
    )
    if not out:
        out.append(draw(raw_lines))
        return
    at = draw(st.integers(0, len(out) - 1))
    line = out[at]
    if how == "raw":
        out.insert(at, draw(raw_lines))
        return
    if how == "drop":
        del out[at]
        return
    if how in ("repeat", "move"):
        where = draw(st.integers(0, len(out)))
        out.insert(where, line if how == "repeat" else out.pop(at))
        return
    if isinstance(line, bytes):
        return
    line = dict(line)
    if how == "set":
        line[draw(st.sampled_from(sorted({*line, *KEYS})))] = draw(values)
    elif how == "delete":
        line.pop(draw(st.sampled_from(sorted(line))), None)
    elif how == "kind":
        line["event"] = draw(st.sampled_from(KINDS))
    elif how == "la":
        line["la"] = draw(st.sampled_from(BAD_LAS))
    elif how == "reuse-id":
        other = draw(st.sampled_from(out))
        line["id"] = other.get("id", "x1") if isinstance(other, dict) else "x1"
        if "on" in line and isinstance(line["on"], str):
            line["on"] = draw(st.sampled_from(["2015-01-01", line["on"]]))
    elif how == "spelling" and isinstance(line.get("child"), str):
        child: str = line["child"]
        spellings = [child.lower(), child.swapcase(), f" {child} ", child.translate(_FULLWIDTH), child + "\u200b"]
        line["child"] = draw(st.sampled_from(spellings))
    elif how == "truncate":
        text = json.dumps(line).encode()
        out[at] = text[: draw(st.integers(0, max(0, len(text) - 1)))]
        return
    out[at] = line


_FULLWIDTH = {ord(c): ord(c) + 0xFEE0 for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"}


@contextmanager
def _fresh(backend: str) -> Iterator[str]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield str(Path(folder) / "journeys.db")
    else:
        yield from postgres_schema_url()


def _events(app: JourneysApp) -> list[tuple[Any, ...]]:
    return [(n.id, n.originator_id, n.originator_version, n.topic, bytes(n.state)) for n in app.notifications()]


def _check(report: LoadReport, fuzzed: Fuzzed) -> None:
    """Every line read accounted for once: loaded, skipped or rejected."""
    rejected = [r.line_no for r in report.rejected]
    assert report.loaded + report.skipped + len(rejected) == fuzzed.rows()
    assert rejected == sorted(set(rejected)) and all(1 <= n <= len(fuzzed.file_lines()) for n in rejected)
    assert len(report.skipped_lines) == report.skipped and not set(report.skipped_lines) & set(rejected)
    assert all(r.reason.strip() and "Traceback" not in r.reason for r in report.rejected)


def _load_twice(store: str, fuzzed: Fuzzed, folder: Path, workers: int = 1) -> tuple[LoadReport, list[Any]]:
    path = fuzzed.write(folder)
    app = JourneysApp(store)
    try:
        load = {"default_la": None, "recorded_by": "fuzz", "batch_size": fuzzed.batch_size, "workers": workers}
        first = load_file(app, path, **load)
        _check(first, fuzzed)
        stored = _events(app)
        again = load_file(app, path, **load)
        _check(again, fuzzed)
        assert (again.loaded, again.skipped) == (0, first.loaded + first.skipped)
        assert list(again.rejected) == list(first.rejected)  # the same lines, for the same reasons
        assert _events(app) == stored
        verified = app.verify()
        assert verified.tampered == [] and not app.unreadable
        event(f"{first.loaded // 10 * 10}+ lines loaded, {len(first.rejected) // 5 * 5}+ rejected")
        return first, [(la, child, [(e.kind, e.on, e.event_id) for e in es]) for la, child, es in app.streams()]
    finally:
        app.close()


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fuzzed=fuzzed_files())
def test_whatever_a_file_holds_a_second_load_appends_nothing(backend: str, fuzzed: Fuzzed) -> None:
    with _fresh(backend) as store, tempfile.TemporaryDirectory() as folder:
        _load_twice(store, fuzzed, Path(folder))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fuzzed=fuzzed_files())
def test_whatever_a_file_holds_two_processes_load_it_as_one(fuzzed: Fuzzed) -> None:
    with tempfile.TemporaryDirectory() as folder:
        alone, stored = _load_twice(str(Path(folder) / "one.db"), fuzzed, Path(folder))
        other, other_stored = _load_twice(str(Path(folder) / "two.db"), fuzzed, Path(folder), workers=2)
    assert (other.loaded, other.skipped, list(other.rejected)) == (alone.loaded, alone.skipped, list(alone.rejected))
    assert sorted(other_stored) == sorted(stored)


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fuzzed=fuzzed_files())
def test_whatever_a_file_holds_the_command_line_loads_it_in_one_go(fuzzed: Fuzzed) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = fuzzed.write(Path(folder))
        run = Cli(str(Path(folder) / "journeys.db"))
        first = run("load", str(path), "--json", "--batch-size", str(fuzzed.batch_size), la=None)
        assert first.exit_code in (0, 2) and "Traceback" not in first.stderr, first.output
        summary = json.loads(first.stdout)
        assert summary["loaded"] + summary["skipped"] + summary["rejected"] == fuzzed.rows()
        assert len(summary["rejects"]) == summary["rejected"]
        again = run("load", str(path), la=None)
        assert again.stdout.startswith(f"loaded 0, skipped {summary['loaded'] + summary['skipped']} already present")
        if summary["loaded"]:
            assert run("verify").exit_code == 0
