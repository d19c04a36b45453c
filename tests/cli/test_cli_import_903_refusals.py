"""`import-903` refuses what is not a whole 903 return: one `Error:` line, exit 1, no store file."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from tests.helpers import RETURNS

EPISODES = (RETURNS / "2016" / "episodes.csv").read_text()
HEADER = (RETURNS / "2016" / "header.csv").read_text()
PLACED = (RETURNS / "2016" / "placed_for_adoption.csv").read_text()
XML = (
    "<EXPSSDA903><CHILD><HEADER><CHILDID>R1</CHILDID><SEX>1</SEX><DOB>01/02/2012</DOB></HEADER>"
    "<EPISODE><DECOM>01/03/2016</DECOM><RNE>S</RNE><LS>C2</LS><PL>U1</PL><DEC /><REC /></EPISODE>"
    "</CHILD></EXPSSDA903>"
)

# name: (files of the return folder 2016/, words the Error: line holds)
REFUSED: dict[str, tuple[dict[str, str], list[str]]] = {
    "an empty folder": ({}, ["2016 holds no 903 files (CSV tables or an XML return) and no year folders"]),
    "no 903 table": (
        {"notes.csv": "WHO,WHAT\nTM,call\n", "reviews.csv": "CHILD,DOB,REVIEW\nR1,01/02/2012,01/06/2016\n"},
        ["2016 holds no 903 table: notes.csv: not one of the 903 tables read", "reviews.csv:", "CHILD, DECOM"],
    ),
    "an XML file that is no 903 return": (
        {"export.xml": "<PEOPLE><PERSON>R1</PERSON></PEOPLE>"},
        ["2016 holds no 903 table: export.xml: not a 903 return", "a CHILD element for each child"],
    ),
    "no episodes": (
        {"header.csv": HEADER, "placed_for_adoption.csv": PLACED},
        ["the 2016 return has no episodes table (it has header, placed_for_adoption)", "add the episodes CSV"],
    ),
    "two PlacedAdoption files": (
        {"episodes.csv": EPISODES, "placed_for_adoption.csv": PLACED, "placed_for_adoption_2.csv": PLACED},
        ["the 2016 return has two files for the placed_for_adoption table", "placed_for_adoption_2.csv"],
    ),
    "an XML return and a CSV table": (
        {"return.xml": XML, "episodes.csv": EPISODES},
        ["the 2016 return has two files for the episodes table", "return.xml", "an XML return holds every table"],
    ),
}


@pytest.mark.parametrize(("files", "words"), REFUSED.values(), ids=REFUSED.keys())
def test_a_folder_that_is_not_a_whole_return_is_refused_and_no_store_is_created(
    tmp_path: Path, files: dict[str, str], words: list[str]
) -> None:
    folder = tmp_path / "903" / "2016"
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    store = tmp_path / "journeys.db"
    result = CliRunner().invoke(
        cli, ["--store", str(store), "import-903", str(folder)], env={"JOURNEYS_LA": "825", "JOURNEYS_USER": "t"}
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: ") and " — " in line  # the problem, then what to do
    for word in words:
        assert word in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["903"]


def test_a_year_folder_without_episodes_among_good_ones_refuses_the_whole_import(tmp_path: Path) -> None:
    returns = tmp_path / "903"
    (returns / "2015").mkdir(parents=True)
    (returns / "2016").mkdir()
    for name in ("header.csv", "episodes.csv"):
        (returns / "2015" / name).write_text((RETURNS / "2015" / name).read_text())
    (returns / "2016" / "header.csv").write_text(HEADER)
    store = tmp_path / "journeys.db"
    result = CliRunner().invoke(
        cli, ["--store", str(store), "import-903", str(returns)], env={"JOURNEYS_LA": "825", "JOURNEYS_USER": "t"}
    )
    assert result.exit_code == 1
    assert "Error: the 2016 return has no episodes table (it has header)" in result.stderr
    assert not store.exists()
