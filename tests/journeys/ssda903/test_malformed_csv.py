"""Malformed CSV files: each is either imported as the well-formed file would be, its bad rows
rejected with their reasons, or refused as a whole with one sentence naming the file, the
problem and the remedy, nothing imported. Never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from journeys import JourneysApp
from journeys.ssda903 import MalformedTable, ReturnError
from journeys.ssda903.tables import LONGEST_CELL
from tests.helpers import event_count, run_import

EPISODES = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"
ROW = "R1,01/03/2016,S,C1,N1,U1,PR1,,,,,,"
HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"
BORN = "R1,1,02/02/2012,WBRI,,,"


def _return(tmp_path: Path, files: dict[str, bytes | str]) -> Path:
    folder = tmp_path / "2016"
    folder.mkdir(parents=True)
    for name, content in files.items():
        (folder / name).write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return folder


def _lines(*lines: str, end: str = "\n") -> str:
    return end.join(lines) + end


# -- read as the well-formed file is ----------------------------------------------

WELL_FORMED = {
    "byte order mark": "\ufeff" + _lines(EPISODES, ROW),
    "CRLF line ends": _lines(EPISODES, ROW, end="\r\n"),
    "CR line ends": _lines(EPISODES, ROW, end="\r"),
    "blank lines": _lines("", EPISODES, "", ROW, "", ",,,,", "  "),
    "trailing commas in rows": _lines(EPISODES, ROW + ",,,"),
    "trailing commas after the column names": _lines(EPISODES + ",,", ROW),
    "an extra column": _lines(EPISODES + ",NOTES", ROW + ",moved in a hurry"),
    "columns in another order": _lines("RNE,CHILD,LS,DECOM,PLACE,DEC,REC", "S,R1,C1,01/03/2016,U1,,"),
    "lower-case padded column names": _lines(" child , decom ,rne,ls,place,dec,rec", "R1,01/03/2016,S,C1,U1,,"),
    "every cell quoted": _lines(EPISODES, ",".join(f'"{cell}"' for cell in ROW.split(","))),
    "padded cells": _lines(EPISODES, " R1 , 01/03/2016 ,S , C1,N1,U1,PR1,,,,,,"),
    "Excel's sep=, line": _lines("sep=,", EPISODES, ROW),
    "only the columns read": _lines("CHILD,DECOM,RNE,LS,PLACE,DEC,REC", "R1,01/03/2016,S,C1,U1,,"),
}


@pytest.mark.parametrize("content", WELL_FORMED.values(), ids=WELL_FORMED.keys())
def test_a_file_written_differently_imports_as_the_plain_file_does(
    memory_app: JourneysApp, tmp_path: Path, content: str
) -> None:
    report = run_import(memory_app, _return(tmp_path, {"episodes.csv": content}))
    count = report.tables["episodes"]
    assert (count.read, count.accepted, report.rows_rejected) == (1, 1, 0), report.rejects
    assert [(e.kind, str(e.on)) for e in memory_app.entries("825", "R1")][1:] == [("entered-care", "2016-03-01")]


def test_a_file_with_an_upper_case_extension_is_read(memory_app: JourneysApp, tmp_path: Path) -> None:
    report = run_import(memory_app, _return(tmp_path, {"EPISODES.CSV": _lines(EPISODES, ROW)}))
    assert report.files == [("2016/EPISODES.CSV", "episodes", 2016)]
    assert report.tables["episodes"].accepted == 1


def test_a_table_of_column_names_only_imports_nothing_and_refuses_nothing(
    memory_app: JourneysApp, tmp_path: Path
) -> None:
    report = run_import(memory_app, _return(tmp_path, {"episodes.csv": EPISODES + "\n", "header.csv": HEADER}))
    assert [t.read for t in report.tables.values()] == [0, 0, 0, 0]
    assert event_count(memory_app) == 0


def test_other_csv_files_and_folders_named_csv_are_not_read(memory_app: JourneysApp, tmp_path: Path) -> None:
    folder = _return(
        tmp_path,
        {"episodes.csv": _lines(EPISODES, ROW), "reviews.csv": "CHILD,DOB,REVIEW\nR1,02/02/2012,01/06/2016\n",
         "notes.csv": "", "uasc_list.csv": "CHILD;DUC\nR1;01/01/2030\n"},
    )  # fmt: skip
    (folder / "old.csv").mkdir()
    report = run_import(memory_app, folder)
    assert report.tables["episodes"].accepted == 1
    assert sorted((Path(path).name, why) for path, why in report.ignored) == [
        ("notes.csv", "it is empty"),
        ("reviews.csv", "not one of the 903 tables read (header, episodes, ad1, placed_for_adoption)"),
        ("uasc_list.csv", "not one of the 903 tables read (header, episodes, ad1, placed_for_adoption)"),
    ]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("uasc.csv", "CHILD,SEX,DOB,DUC\nR1,1,09/09/2009,01/01/2027\n"),  # the UASC table
        ("children.csv", "CHILD,SEX,DOB,REVIEW,REVIEW_CODE\nR1,1,09/09/2009,01/06/2016,PN1\n"),
        ("missing.csv", "CHILD,SEX,DOB,MISSING,MIS_START,MIS_END\nR1,1,09/09/2009,M,01/05/2016,02/05/2016\n"),
    ],
    ids=["UASC", "reviews with SEX", "missing with SEX"],
)
def test_another_table_with_child_sex_and_dob_is_not_taken_as_the_header(
    memory_app: JourneysApp, tmp_path: Path, name: str, content: str
) -> None:
    folder = _return(
        tmp_path, {"episodes.csv": _lines(EPISODES, ROW), "header.csv": _lines(HEADER, BORN), name: content}
    )
    report = run_import(memory_app, folder)
    assert ("2016/header.csv", "header", 2016) in report.files
    assert [Path(path).name for path, _ in report.ignored] == [name]
    assert report.tables["header"].read == 1 and report.rows_rejected == 0
    born = [e.fields["date_of_birth"] for e in memory_app.entries("825", "R1") if e.kind == "child-details"]
    assert [str(day) for day in born] == ["2012-02-02"]  # Header's, not the other table's


# -- rows rejected, the rest imported ---------------------------------------------

REJECTED_ROWS = {
    "ISO date": ("R2,2016-03-01,S,C1,N1,U1,PR1,,,,,,", "DECOM", "'2016-03-01' is not a date in dd/mm/yyyy"),
    "two-digit year": ("R2,1/3/16,S,C1,N1,U1,PR1,,,,,,", "DECOM", "'1/3/16' is not a date in dd/mm/yyyy"),
    "dotted date": ("R2,01.03.2016,S,C1,N1,U1,PR1,,,,,,", "DECOM", "is not a date in dd/mm/yyyy"),
    "no such day": ("R2,30/02/2016,S,C1,N1,U1,PR1,,,,,,", "DECOM", "'30/02/2016' is not a real calendar date"),
    "bad code": ("R2,01/03/2016,Q,C1,N1,U1,PR1,,,,,,", "RNE", "invalid code 'Q'"),
    "NUL in a code": ("R2,01/03/2016,S,C\x001,N1,U1,PR1,,,,,,", "LS", "invalid code 'C\\x001'"),
    "NUL in the reference": ("R\x002,01/03/2016,S,C1,N1,U1,PR1,,,,,,", "CHILD", "unprintable character U+0000"),
    "tab in the reference": ("R\t2,01/03/2016,S,C1,N1,U1,PR1,,,,,,", "CHILD", "unprintable character U+0009"),
    "a long reference": ("R" * 900 + ",01/03/2016,S,C1,N1,U1,PR1,,,,,,", "CHILD", "is 900 characters long"),
    "no reference": (",01/03/2016,S,C1,N1,U1,PR1,,,,,,", "CHILD", "CHILD (the child's reference) is missing"),
    "a comma too many": ("R2,,01/03/2016,S,C1,N1,U1,PR1,,,,,,X", "CHILD", "the row has 14 cells but line 1 names 13"),
    "the column names again": (EPISODES, "DECOM", "'DECOM' is not a date in dd/mm/yyyy"),
}


@pytest.mark.parametrize(("row", "column", "reason"), REJECTED_ROWS.values(), ids=REJECTED_ROWS.keys())
def test_a_bad_row_is_rejected_with_its_column_and_reason_and_the_others_import(
    memory_app: JourneysApp, tmp_path: Path, row: str, column: str, reason: str
) -> None:
    report = run_import(memory_app, _return(tmp_path, {"episodes.csv": _lines(EPISODES, ROW, row)}))
    assert report.tables["episodes"].accepted == 1
    assert report.tables["episodes"].rejected == 1
    assert [(r.row, r.column) for r in report.rejects][:1] == [(3, column)]
    assert reason in report.rejects[0].reason
    assert [c for _, c, _ in memory_app.streams()] == ["R1"]


# -- refused as a whole ------------------------------------------------------------

REFUSED: dict[str, tuple[dict[str, bytes | str], str]] = {
    "empty file": ({"episodes.csv": ""}, "episodes.csv is empty: it does not even hold the column names"),
    "byte order mark only": ({"header.csv": "\ufeff"}, "header.csv is empty"),
    "blank lines only": ({"ad1.csv": "\n ,, \n\n"}, "ad1.csv is empty"),
    "quote never closed": (
        {"episodes.csv": _lines(EPISODES, 'R1,"01/03/2016,S,C1,N1,U1,PR1,,,,,,', ROW)},
        'episodes.csv line 2: a quote (") opened on this line is never closed (the file ends on line 3)',
    ),
    "quote inside a cell": (
        {"episodes.csv": _lines(EPISODES, ROW, 'R2,"01/03"/2016,S,C1,N1,U1,PR1,,,,,,')},
        "episodes.csv line 3: a cell's quotes (\") are not as CSV writes them",
    ),
    "cell over a line break": (
        {"episodes.csv": _lines(EPISODES, 'R1,"01/03\n2016",S,C1,N1,U1,PR1,,,,,,')},
        "episodes.csv line 2: a quoted cell runs over a line break (to line 3)",
    ),
    "very long cell": (
        {"episodes.csv": _lines(EPISODES, ROW, "R2," + "9" * (LONGEST_CELL + 1) + ",S,C1,N1,U1,PR1,,,,,,")},
        "episodes.csv line 3: a cell is longer than 131,072 characters",
    ),
    "latin-1 text": (
        {"header.csv": _lines(HEADER, BORN).encode() + "R2,1,02/02/2012,WBRI,,Zoé,\n".encode("latin-1")},
        "header.csv line 3 is not UTF-8 text (invalid continuation byte: byte 0xe9, character 25 of the line)",
    ),
    "UTF-16 text": ({"header.csv": _lines(HEADER, BORN).encode("utf-16")}, "header.csv is UTF-16 text, not UTF-8"),
    "UTF-16 text without a byte order mark": (
        {"header.csv": _lines(HEADER, BORN).encode("utf-16-le")},
        "header.csv is UTF-16 text, not UTF-8 (its column names hold NUL bytes)",
    ),
    "a column missing": (
        {"episodes.csv": _lines(EPISODES.replace(",LS,", ","), "R1,01/03/2016,S,N1,U1,PR1,,,,,,")},
        "episodes.csv looks like the episodes table but has no column LS (line 1)",
    ),
    "the header table without SEX": (
        {"header.csv": _lines("CHILD,DOB", "R1,02/02/2012")},
        "header.csv looks like the header table but has no column SEX",
    ),
    "placed for adoption without its reason": (
        {"pfa.csv": _lines("CHILD,DOB,DATE_PLACED,DATE_PLACED_CEASED", "R1,02/02/2012,01/05/2016,")},
        "pfa.csv looks like the placed_for_adoption table but has no column REASON_PLACED_CEASED",
    ),
    "a column twice": (
        {"header.csv": _lines(HEADER + ",DOB", BORN + ",03/03/2013")},
        "header.csv has the column DOB twice (columns 3 and 8)",
    ),
    "semicolons": (
        {"episodes.csv": _lines(EPISODES.replace(",", ";"), ROW.replace(",", ";"))},
        "episodes.csv is written with semicolons (;) between the cells: 903 tables are comma-separated",
    ),
    "quoted cells and semicolons": (
        {"header.csv": _lines('"CHILD";"SEX";"DOB"', '"R1";"1";"02/02/2012"')},
        "header.csv is written with semicolons (;) between the cells",
    ),
    "tabs": (
        {"ad1.csv": _lines("CHILD\tDOB\tDATE_INT\tDATE_MATCH", "R1\t02/02/2012\t01/05/2016\t01/06/2016")},
        "ad1.csv is written with tabs between the cells",
    ),
    "Excel's sep=; line": (
        {"episodes.csv": _lines("sep=;", EPISODES.replace(",", ";"), ROW.replace(",", ";"))},
        "episodes.csv is written with semicolons (;) between the cells",
    ),
}


@pytest.mark.parametrize(("files", "message"), REFUSED.values(), ids=REFUSED.keys())
def test_a_malformed_table_is_refused_naming_the_file_and_nothing_is_imported(
    memory_app: JourneysApp, tmp_path: Path, files: dict[str, bytes | str], message: str
) -> None:
    # A well-formed table beside it, read first, is not imported either.
    folder = _return(tmp_path, {"000_first.csv": _lines(HEADER, BORN), **files})
    with pytest.raises(MalformedTable) as refused:
        run_import(memory_app, folder)
    text = refused.value.full_message()
    assert f"{folder}/{message}" in text
    assert "\n" not in text and text.endswith("nothing was imported")
    assert event_count(memory_app) == 0


def test_a_file_given_that_is_no_903_table_is_refused_naming_the_tables_read(
    memory_app: JourneysApp, tmp_path: Path
) -> None:
    folder = _return(tmp_path, {"reviews.csv": "CHILD,DOB,REVIEW\nR1,02/02/2012,01/06/2016\n", "blank.csv": ""})
    with pytest.raises(ReturnError) as refused:
        run_import(memory_app, folder / "reviews.csv")
    assert refused.value.full_message() == (
        f"{folder}/reviews.csv is not one of the 903 tables read — a 903 table's first line names its columns, "
        "those of one of the tables header (CHILD, SEX, DOB); ad1 (CHILD, DATE_INT, DATE_MATCH); "
        "placed_for_adoption (CHILD, DATE_PLACED, DATE_PLACED_CEASED, REASON_PLACED_CEASED); "
        "episodes (CHILD, DECOM, RNE, LS, PLACE, DEC, REC)"
    )
    with pytest.raises(ReturnError, match=r"blank\.csv is not one of the 903 tables read: it is empty"):
        run_import(memory_app, folder / "blank.csv")


def test_a_file_that_cannot_be_opened_is_refused(memory_app: JourneysApp, tmp_path: Path) -> None:
    folder = _return(tmp_path, {"episodes.csv": _lines(EPISODES, ROW)})
    table = folder / "episodes.csv"
    table.chmod(0)
    try:
        if os.access(table, os.R_OK):
            pytest.skip("this user (root) reads a file without read permission")
        with pytest.raises(ReturnError, match=r"cannot read .*episodes.csv: Permission denied"):
            run_import(memory_app, folder)
    finally:
        table.chmod(0o600)


def test_two_returns_of_one_year_given_together_are_refused_and_one_folder_given_twice_is_read_once(
    memory_app: JourneysApp, tmp_path: Path
) -> None:
    first = _return(tmp_path / "a", {"episodes.csv": _lines(EPISODES, ROW)})
    second = _return(tmp_path / "b", {"episodes.csv": _lines(EPISODES, ROW.replace("R1", "R2"))})
    with pytest.raises(ReturnError) as refused:
        run_import(memory_app, first, second)
    assert refused.value.full_message().startswith(
        f"{first}/episodes.csv and {second}/episodes.csv are both the file 2016/episodes.csv: "
        "two returns of 2016 given at once — import one return of a year at a time"
    )
    assert event_count(memory_app) == 0
    report = run_import(memory_app, first, first.parent, first / "episodes.csv")
    assert report.files == [("2016/episodes.csv", "episodes", 2016)]
    assert report.tables["episodes"].read == 1
