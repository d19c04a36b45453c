"""The DfE XML form of a 903 return: read as the same rows as its CSV tables, and refused safely when it is not one."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from journeys import JourneysApp
from journeys.ssda903 import MalformedTable, ReturnError, read_returns
from tests.helpers import FAKE, Cli, event_count, run_import

XML = FAKE / "fake_903.xml"
needs_fake = pytest.mark.skipif(not XML.is_file(), reason=f"the fake 903 XML is not at {XML}")

# The CSV tables as DfE lists their columns; written by the converter below, independently of the importer.
COLUMNS = {
    "header.csv": ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"],
    "episodes.csv": ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                     "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"],
    "ad1.csv": ["CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"],
    "placed_for_adoption.csv": ["CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"],
}  # fmt: skip


def _leaves(element: ET.Element) -> dict[str, str]:
    """As the public validator reads an element: every leaf under it, CHILDID as CHILD and PL as PLACE."""
    renamed = {"CHILDID": "CHILD", "PL": "PLACE"}
    return {renamed.get(node.tag, node.tag): (node.text or "").strip() for node in element.iter() if len(node) == 0}


def xml_to_csv(xml: Path, folder: Path) -> dict[str, int]:
    """The return's four tables as CSV files in ``folder`` (the whole file parsed at once); rows written per file."""
    tables: dict[str, list[dict[str, str]]] = {name: [] for name in COLUMNS}
    for child in ET.parse(xml).getroot():
        facts = _leaves(child)
        tables["header.csv"].append(facts)
        if facts.get("DATE_INT"):
            tables["ad1.csv"].append(facts)
        for episode in child.findall("EPISODE"):
            tables["episodes.csv"].append({**facts, **_leaves(episode)})
        for placed in child.findall("HEADER/AD_PLACED"):
            tables["placed_for_adoption.csv"].append({**facts, **_leaves(placed)})
    folder.mkdir(parents=True)
    for name, rows in tables.items():
        with (folder / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, COLUMNS[name], extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
    return {name: len(rows) for name, rows in tables.items()}


def _history(run: Cli, child: str) -> list[dict[str, Any]]:
    result = run("history", child, "--json")
    assert result.exit_code == 0, result.output
    events = json.loads(result.output)["events"]
    for event in events:  # recording metadata and where each event came from differ between the two
        for key in ("recorded_at", "recorded_by", "source", "hash"):
            event.pop(key)
    return events


@needs_fake
def test_the_xml_return_gives_the_same_journeys_as_the_same_return_as_csv(tmp_path: Path) -> None:
    as_xml = tmp_path / "xml" / "2018"
    as_xml.mkdir(parents=True)
    (as_xml / "return.xml").write_bytes(XML.read_bytes())
    written = xml_to_csv(XML, tmp_path / "csv" / "2018")
    runs = {kind: Cli(str(tmp_path / f"{kind}.db")) for kind in ("xml", "csv")}
    summaries = {}
    for kind, run in runs.items():
        result = run("import-903", str(tmp_path / kind / "2018"), "--json", "--quiet")
        assert result.exit_code == 2, result.output  # the fake data has bad rows
        summaries[kind] = json.loads(result.stdout)
    xml, csv_ = summaries["xml"], summaries["csv"]
    assert {t: c["read"] for t, c in xml["tables"].items()} == {
        name.removesuffix(".csv"): n for name, n in written.items()
    }
    assert xml["tables"] == csv_["tables"]
    assert (xml["events_appended"], xml["inferred_starts"]) == (csv_["events_appended"], csv_["inferred_starts"])
    assert sorted((r["table"], r["column"]) for r in xml["rejects"]) == sorted(
        (r["table"], r["column"]) for r in csv_["rejects"]
    )
    exports = {kind: run("export", "--plain").output.splitlines() for kind, run in runs.items()}
    assert len(exports["xml"]) == xml["events_appended"] > 0
    assert sorted(exports["xml"]) == sorted(exports["csv"])
    children = sorted({json.loads(line)["child"] for line in exports["xml"]})
    adopted = sorted({json.loads(line)["child"] for line in exports["xml"] if '"match"' in line})
    for child in [*children[:15], *adopted]:
        assert _history(runs["xml"], child) == _history(runs["csv"], child), child


@needs_fake
def test_a_rejected_element_is_named_by_its_number_in_the_file(memory_app: JourneysApp) -> None:
    report = run_import(memory_app, XML, year=2018)
    invalid = [r for r in report.rejects if r.column == "REASON_PLACED_CEASED"]
    placed = [p for p in ET.parse(XML).getroot().iter("AD_PLACED")]
    assert {(r.file, r.row) for r in invalid} == {
        ("2018/fake_903.xml/AD_PLACED", n)
        for n, element in enumerate(placed, start=1)
        if element.findtext("REASON_PLACED_CEASED") == "XXX"
    }
    assert ("2018/fake_903.xml/EPISODE", "episodes", 2018) in report.files
    for table in report.tables.values():
        assert table.adds_up


def _children(count: int, episodes: int) -> bytes:
    """A pretty-printed 903 XML return (root EXPSSDA903) of ``count`` children, each with ``episodes``."""
    parts = ["<?xml version='1.0' encoding='utf-8'?>\n<EXPSSDA903>\n"]
    for n in range(count):
        parts.append(f"  <CHILD>\n    <HEADER>\n      <CHILDID>X{n}</CHILDID>\n      <SEX>1</SEX>\n")
        parts.append("      <DOB>01/02/2012</DOB>\n    </HEADER>\n")
        for e in range(episodes):
            rne, rec, dec = ("S" if e == 0 else "P"), ("X1" if e < episodes - 1 else ""), ""
            if rec:
                dec = f"<DEC>{e + 2:02d}/03/2016</DEC>"
            parts.append(
                f"    <EPISODE><DECOM>{e + 1:02d}/03/2016</DECOM><RNE>{rne}</RNE><LS>C2</LS><PL>U1</PL>"
                f"{dec or '<DEC />'}<REC>{rec}</REC></EPISODE>\n"
            )
        parts.append("  </CHILD>\n")
    parts.append("</EXPSSDA903>\n")
    return "".join(parts).encode()


def test_a_return_larger_than_a_read_chunk_is_read_whole(tmp_path: Path) -> None:
    folder = tmp_path / "2016"
    folder.mkdir()
    (folder / "return.xml").write_bytes(_children(4_000, 3))
    assert (folder / "return.xml").stat().st_size > 1 << 20  # larger than one chunk read
    with read_returns([folder]) as returns:
        rows = list(returns.rows())
    assert sum(1 for r in rows if r.table == "header") == 4_000
    assert sum(1 for r in rows if r.table == "episodes") == 12_000
    assert not any(r.problem for r in rows)
    last = max((r for r in rows if r.table == "episodes"), key=lambda r: r.line)
    assert (last.file, last.line, last.child) == ("2016/return.xml/EPISODE", 12_000, "X3999")
    assert last.values["PLACE"] == "U1"


def test_a_value_given_twice_in_a_child_rejects_its_rows(memory_app: JourneysApp, tmp_path: Path) -> None:
    folder = tmp_path / "2016"
    folder.mkdir()
    doubled = _children(1, 1).replace(b"<DOB>01/02/2012</DOB>", b"<DOB>01/02/2012</DOB><DOB>03/04/2013</DOB>")
    (folder / "return.xml").write_bytes(doubled)
    report = run_import(memory_app, folder)
    [reject] = [r for r in report.rejects if r.table == "header"]
    assert (reject.file, reject.row, reject.column) == ("2016/return.xml/CHILD", 1, "CHILD")
    assert "holds DOB twice ('01/02/2012' and '03/04/2013')" in reject.reason
    assert report.tables["episodes"].accepted == 1


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE EXPSSDA903 [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<EXPSSDA903><CHILD><HEADER><CHILDID>&lol2;</CHILDID></HEADER></CHILD></EXPSSDA903>
"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE EXPSSDA903 SYSTEM "file:///etc/passwd">
<EXPSSDA903><CHILD><HEADER><CHILDID>R1</CHILDID></HEADER></CHILD></EXPSSDA903>
"""
REFUSED = {
    "entities": (BILLION_LAUGHS, "declares a DTD (<!DOCTYPE ...>)"),
    "an external DTD": (EXTERNAL, "declares a DTD (<!DOCTYPE ...>)"),
    "a tag not closed": (b"<EXPSSDA903>\n<CHILD>\n<HEADER></CHILD>\n", "line 3 column 11 is not well-formed XML"),
    "cut short": (b"<EXPSSDA903>\n<CHILD><HEADER><CHILDID>R1</CHILDID>", "is not well-formed XML (no element found)"),
    "an unknown encoding": (b'<?xml version="1.0" encoding="klingon"?><EXPSSDA903/>', "cannot be decoded"),
    "a multi-byte encoding": (b'<?xml version="1.0" encoding="shift_jis"?><EXPSSDA903/>', "cannot be decoded"),
}


@pytest.mark.parametrize(("content", "words"), REFUSED.values(), ids=REFUSED.keys())
def test_an_xml_file_that_cannot_be_read_safely_refuses_the_import(
    memory_app: JourneysApp, tmp_path: Path, content: bytes, words: str
) -> None:
    folder = tmp_path / "2016"
    folder.mkdir()
    (folder / "return.xml").write_bytes(content)
    with pytest.raises(MalformedTable) as refused:
        run_import(memory_app, folder)
    assert words in str(refused.value) and "nothing was imported" in refused.value.full_message()
    assert event_count(memory_app) == 0


def test_an_xml_file_that_is_not_a_903_return_is_refused(memory_app: JourneysApp, tmp_path: Path) -> None:
    folder = tmp_path / "2016"
    folder.mkdir()
    (folder / "feed.xml").write_text("<rss><channel><item>news</item></channel></rss>")
    with pytest.raises(ReturnError, match=r"feed\.xml is not one of the 903 tables read: not a 903 return"):
        run_import(memory_app, folder / "feed.xml")
    with pytest.raises(ReturnError, match=r"2016 holds no 903 table: feed\.xml: not a 903 return"):
        run_import(memory_app, folder)
    assert event_count(memory_app) == 0


def test_a_return_in_a_one_byte_encoding_is_read_as_its_declaration_says(
    memory_app: JourneysApp, tmp_path: Path
) -> None:
    folder = tmp_path / "2016"
    folder.mkdir()
    text = _children(1, 1).decode().replace("utf-8", "windows-1252").replace("X0", "R\u00e9")
    (folder / "return.xml").write_bytes(text.encode("cp1252"))
    report = run_import(memory_app, folder)
    assert report.rows_rejected == 0
    assert [child for _la, child, _entries in memory_app.streams()] == ["R\u00e9"]
