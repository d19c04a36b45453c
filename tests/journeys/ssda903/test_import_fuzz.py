"""A fuzzer over `import-903` inputs: generated 903 tables, mutated (cells replaced with junk,
rows dropped or repeated, columns renamed, dropped or repeated, other separators, bytes that
are not UTF-8, NUL and control characters, quotes, truncated files), imported into a new
store alone, on top of or under the same return unmutated, or with it in one import.

Whatever the files hold, the import either refuses them as a whole with one line naming the
problem (a ReturnError, the store unchanged), or imports them and: every table's rows read are
accepted + already present + rejected, a rejected row is named once per problem, a second
import of the same files appends nothing, and every stream's hash chain verifies. Any other
exception fails the test. On SQLite and on PostgreSQL.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from journeys import JourneysApp
from journeys.ssda903 import ImportReport, ReturnError, import_903
from journeys.synthetic import write_903
from journeys.synthetic.generator import generate
from tests.helpers import POSTGRES_URL, event_count, postgres_schema_url

LA = "825"
CHILDREN = 14
SEEDS = (3, 8, 21)

Table = tuple[list[str], list[list[str]]]  # column names, rows


@cache
def _generated(seed: int) -> dict[str, Table]:
    """The four tables of a generated return, as column names and rows."""
    with tempfile.TemporaryDirectory() as out:
        write_903(generate(CHILDREN, seed), Path(out), 2024)
        tables = {}
        for path in sorted((Path(out) / LA / "2024").glob("*.csv")):
            with path.open(encoding="utf-8", newline="") as handle:
                header, *rows = list(csv.reader(handle))
            tables[path.name] = (header, rows)
    return tables


# -- the mutations -----------------------------------------------------------------

JUNK = [
    "", " ", "XX", "S", "P", "L", "T", "U", "B", "C1", "C2", "E1", "D1", "V2", "A3", "A4", "A5", "A6", "U1", "X1",
    "E11", "E12", "E13", "E4A", "RD1", "RD2", "RD4", "RD9", "N1", "31/02/2016", "2016-01-01", "1/1/16",
    "00/00/0000", "01/01/1899", "01/01/2099", "\x00", "S0000001\x00", "\t", "\x07", "é", "Ｃ００１", "s0000001",
    "S0000001 ", "R" * 70, "x" * 3000, '"', "a,b", "a\nb", "=1+1", "None", "-1", "\u200b", "\u202e",
]  # fmt: skip
DATES = st.dates(min_value=date(1995, 1, 1), max_value=date(2030, 12, 31)).map(lambda d: d.strftime("%d/%m/%Y"))
CELLS = st.one_of(st.sampled_from(JUNK), DATES, st.text(max_size=8))
COLUMN_NAMES = st.sampled_from(["", "child", " DOB ", "DECOM", "LS", "DEC", "REC", "DATE_MATCH", "XYZ", "CHILD"])
INDEX = st.integers(min_value=0, max_value=10_000)  # taken modulo the number of rows or columns
BYTES = st.sampled_from([b"\x00", b'"', b"\xe9", b"\xff\xfe", b"\n", b"\r", b",", b";", b"\xef\xbb\xbf", b"\x1a"])

ROW_CHANGES = st.one_of(
    st.tuples(st.just("cell"), INDEX, INDEX, INDEX, CELLS),
    st.tuples(st.just("drop row"), INDEX, INDEX),
    st.tuples(st.just("repeat row"), INDEX, INDEX),
    st.tuples(st.just("blank row"), INDEX, INDEX),
    st.tuples(st.just("move to child"), INDEX, INDEX, INDEX),
    st.tuples(st.just("comma too many"), INDEX, INDEX),
)
FILE_CHANGES = st.one_of(
    st.tuples(st.just("rename column"), INDEX, INDEX, COLUMN_NAMES),
    st.tuples(st.just("drop column"), INDEX, INDEX),
    st.tuples(st.just("repeat column"), INDEX, INDEX),
    st.tuples(st.just("separator"), INDEX, st.sampled_from([";", "\t"])),
    st.tuples(st.just("line ends"), INDEX, st.sampled_from(["\r\n", "\r"])),
    st.tuples(st.just("byte order mark"), INDEX),
    st.tuples(st.just("latin-1"), INDEX),
    st.tuples(st.just("bytes"), INDEX, st.floats(min_value=0, max_value=1), BYTES),
    st.tuples(st.just("truncate"), INDEX, st.floats(min_value=0, max_value=1)),
    st.tuples(st.just("remove file"), INDEX),
)


# How the mutated return meets the unmutated one (of 2024): imported alone, on top of it, under
# it (imported first), or with it in one import.
MODES = ("alone", "on top", "under", "together")


@st.composite
def returns(draw: st.DrawFn) -> tuple[int, list[tuple[Any, ...]], str, int]:
    """A seed, the mutations (to rows, and now and then to a whole file), how the mutated
    return meets the unmutated one, and the mutated return's year."""
    changes = draw(st.lists(ROW_CHANGES, min_size=1, max_size=12))
    changes += draw(st.lists(FILE_CHANGES, max_size=2 if draw(st.integers(0, 2)) == 0 else 0))
    seed, mode = draw(st.sampled_from(SEEDS)), draw(st.sampled_from(MODES))
    return seed, draw(st.permutations(changes)), mode, draw(st.sampled_from([2023, 2024, 2025]))


def _write(folder: Path, seed: int, changes: list[tuple[Any, ...]]) -> None:
    tables = {name: (list(header), [list(row) for row in rows]) for name, (header, rows) in _generated(seed).items()}
    names = sorted(tables)
    options: dict[str, dict[str, Any]] = {name: {"separator": ",", "end": "\n", "bytes": []} for name in names}
    for change in changes:
        kind, name = change[0], names[change[1] % len(names)]
        header, rows = tables[name]
        if kind in ("cell", "drop row", "repeat row", "blank row", "move to child", "comma too many"):
            if not rows:
                continue
            at = change[2] % len(rows)
        if kind == "cell":
            rows[at][change[3] % len(rows[at])] = change[4]
        elif kind == "drop row":
            del rows[at]
        elif kind == "repeat row":
            rows.insert(at, list(rows[at]))
        elif kind == "blank row":
            rows.insert(at, [""] * len(header))
        elif kind == "move to child":
            rows[at][0] = rows[change[3] % len(rows)][0]
        elif kind == "comma too many":
            rows[at].insert(1 + change[2] % (len(rows[at]) - 1), "")
        elif kind == "rename column":
            header[change[2] % len(header)] = change[3]
        elif kind in ("drop column", "repeat column"):
            column = change[2] % len(header)
            for cells in (header, *rows):
                if column < len(cells):
                    cells.insert(column, cells[column]) if kind == "repeat column" else cells.pop(column)
        elif kind == "separator":
            options[name]["separator"] = change[2]
        elif kind == "line ends":
            options[name]["end"] = change[2]
        elif kind in ("byte order mark", "latin-1", "remove file"):
            options[name][kind] = True
        elif kind == "bytes":
            options[name]["bytes"].append((change[2], change[3]))
        else:
            options[name]["bytes"].append((change[2], None))
    for name in names:
        option = options[name]
        if option.get("remove file"):
            continue
        text = io.StringIO()
        header, rows = tables[name]
        csv.writer(text, delimiter=option["separator"], lineterminator=option["end"]).writerows([header, *rows])
        content = ("\ufeff" if option.get("byte order mark") else "") + text.getvalue()
        data = content.encode("latin-1", "replace") if option.get("latin-1") else content.encode("utf-8")
        for where, value in option["bytes"]:
            cut = int(where * len(data))
            data = data[:cut] + value + data[cut:] if value is not None else data[:cut]
        (folder / name).write_bytes(data)


# -- the properties ------------------------------------------------------------------


def _imported(app: JourneysApp, folders: list[Path]) -> ImportReport | None:
    """The import's report, its accounting checked; None when it refused the files as a whole
    (one line, the store unchanged)."""
    before = event_count(app)
    try:
        report = import_903(app, folders, la=LA, recorded_by="fuzz", batch_size=13, chunk_rows=40)
    except ReturnError as refused:
        message = refused.full_message()
        assert "\n" not in message and refused.remedy and any(str(f) in message for f in folders), message
        assert event_count(app) == before
        return None
    for name, table in report.tables.items():
        assert table.read == table.accepted + table.present + table.rejected, name
    assert len({(r.file, r.row) for r in report.rejects}) == report.rows_rejected
    assert all(r.reason and r.column for r in report.rejects)
    return report


def _holds(store: str, folder: Path, drawn: tuple[int, list[tuple[Any, ...]], str, int]) -> None:
    seed, changes, mode, year = drawn
    pristine, mutated = folder / "pristine" / "2024", folder / "mutated" / str(year)
    pristine.mkdir(parents=True)
    mutated.mkdir(parents=True)
    _write(pristine, seed, [])
    _write(mutated, seed, changes)
    steps = {"alone": [[mutated]], "on top": [[pristine], [mutated]], "under": [[mutated], [pristine]],
             "together": [[pristine, mutated]]}[mode]  # fmt: skip
    app = JourneysApp(store)
    try:
        for step in steps:
            last = _imported(app, step)
        event("refused as a whole" if last is None else "rows rejected" if last.rows_rejected else "all imported")
        if last is None:
            return
        events = event_count(app)
        again = _imported(app, steps[-1])
        assert again is not None
        assert (again.appended, again.corrected, event_count(app)) == (0, 0, events)
        assert app.verify().tampered == []
    finally:
        app.close()


@contextmanager
def _folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="fuzz-903-") as folder:
        yield Path(folder)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(returns())
def test_any_mutated_return_is_imported_consistently_or_refused_in_one_line_on_sqlite(
    drawn: tuple[int, list[tuple[Any, ...]], str, int],
) -> None:
    with _folder() as folder:
        _holds(str(folder / "journeys.db"), folder, drawn)


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES_URL, reason="JOURNEYS_TEST_POSTGRES is not set")
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(returns())
def test_any_mutated_return_is_imported_consistently_or_refused_in_one_line_on_postgres(
    drawn: tuple[int, list[tuple[Any, ...]], str, int],
) -> None:
    with _folder() as folder, contextmanager(postgres_schema_url)() as store:
        _holds(store, folder, drawn)
