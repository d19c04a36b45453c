"""CSV that a spreadsheet opens safely: a text cell a spreadsheet would run as a formula starts
with ``'`` (OWASP's advice on CSV injection), numbers stay numbers (``-3`` is not quoted), labels
are ASCII, and ``--excel`` writes the same CSV after a UTF-8 byte-order mark."""

from __future__ import annotations

import csv
import io

import pytest

from cli.output import BOM, ascii_label, csv_text, safe_cell
from tests.cli.test_report_cli import given_a_waiting_child, given_an_adopted_child
from tests.helpers import Cli


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-1+2", "'-1+2"),
        ("-3", "'-3"),  # text that looks like a number is still text: quoted
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("C-1", "C-1"),
        ("", ""),
    ],
)
def test_a_formula_like_text_cell_gets_a_leading_quote(value: str, written: str) -> None:
    assert safe_cell(value, value) == written


@pytest.mark.parametrize("number", [-3, -0.5, 0, 12])
def test_a_number_is_written_as_it_is_even_when_negative(number: float) -> None:
    assert safe_cell(number, str(number)) == str(number)


def test_csv_text_quotes_cells_writes_numbers_and_empties_and_ascii_headers() -> None:
    text = csv_text(["la", "PO→match", "days"], [["825", "=1+1", -3], ["825", None, 2.25]])
    assert list(csv.reader(io.StringIO(text))) == [
        ["la", "PO->match", "days"],
        ["825", "'=1+1", "-3"],
        ["825", "", "2.2"],
    ]
    assert csv_text(["x"], [[2.25]], exact_floats=True).splitlines()[1] == "2.25"
    assert ascii_label("A1 mean days care → placed – all") == "A1 mean days care -> placed - all"


def record_waiting(run: Cli, child: str) -> None:
    for kind, on in [
        ("entered-care", "2014-01-10"),
        ("adoption-decision", "2014-05-01"),
        ("placement-order", "2014-09-01"),
    ]:
        result = run("record", kind, child, "--on", on)
        assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    "command",
    [
        ["waiting", "--as-at", "2015-01-01"],
        ["surgery", "--as-at", "2015-01-01"],
    ],
    ids=lambda c: c[0],
)
def test_a_child_reference_like_a_formula_is_quoted_in_every_csv(run: Cli, command: list[str]) -> None:
    record_waiting(run, "=SUM(1+1)")
    result = run(*command, "--csv")
    assert result.exit_code == 0, result.output
    cells = [c for row in csv.reader(io.StringIO(result.output)) for c in row]
    assert "'=SUM(1+1)" in cells
    assert "=SUM(1+1)" not in cells


def test_the_scorecard_csv_has_ascii_labels_and_excel_adds_a_bom(run: Cli) -> None:
    given_an_adopted_child(run)
    plain = run("scorecard", "--period", "2012-15", "--csv")
    excel = run("scorecard", "--period", "2012-15", "--excel")
    assert plain.exit_code == excel.exit_code == 0, plain.output + excel.output
    assert plain.output.isascii()
    assert "A1 mean days care -> placed" in plain.output
    assert not plain.output.startswith(BOM)
    assert excel.output == BOM + plain.output


@pytest.mark.parametrize(
    "command",
    [
        ["cohort", "--census", "2015-09-30"],
        ["waiting", "--as-at", "2015-01-01"],
        ["counts"],
        ["stages"],
        ["surgery", "--as-at", "2015-01-01"],
        ["history", "C2"],
        ["plan-changes", "--all"],
        ["tracking-cohort", "--from", "2014-01-01", "--to", "2014-12-31", "--census", "2015-01-01"],
    ],
    ids=lambda c: c[0],
)
def test_excel_is_the_csv_after_a_utf8_bom_on_every_csv_command(run: Cli, command: list[str]) -> None:
    given_a_waiting_child(run)
    plain, excel = run(*command, "--csv"), run(*command, "--excel")
    assert plain.exit_code == excel.exit_code == 0, plain.output + excel.output
    assert excel.output.startswith(BOM) and not plain.output.startswith(BOM)
    # a history row carries the time it was recorded: compare the header line only there
    assert excel.output.removeprefix(BOM).splitlines()[0] == plain.output.splitlines()[0]
