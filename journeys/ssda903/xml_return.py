"""One XML file of a 903 return: the DfE XML form, its CHILD elements read as rows of the four tables.

The DfE return is one XML file (root ``EXPSSDA903``) holding a ``CHILD`` element per child: its
``HEADER`` (``CHILDID``, ``SEX``, ``DOB``, the AD1 facts ``DATE_INT``, ``DATE_MATCH``, ... and an
``AD_PLACED`` element per "should be placed for adoption" decision) and its ``EPISODE`` elements.
They are read as the public validator (data-to-insight/csc-validator-be-903) turns them into
tables: a **header** row per CHILD, an **episodes** row per EPISODE (``PL`` is the column
``PLACE``), an **ad1** row per CHILD with any AD1 fact, a **placed_for_adoption** row per
AD_PLACED, each with the CHILDID (and DOB) of its child.

A row is named by the element it comes from and that element's number in the file:
``2016/return.xml/EPISODE:17`` is the file's 17th EPISODE, ``2016/return.xml/CHILD:5`` the header
(and AD1) of its 5th CHILD. The file is parsed as a stream (memory does not grow with its size),
with the standard library's expat; a file that declares a DTD or an entity is refused (a 903
return has none, and entities are how XML files exhaust memory or read other files).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final
from xml.parsers import expat

from journeys.ssda903.codes import AD1, EPISODES, HEADER, PLACED_FOR_ADOPTION, READ_COLUMNS, TABLE_COLUMNS
from journeys.ssda903.tables import NOTHING_IMPORTED, MalformedTable, NotATable, ReturnError

ROOT: Final = "EXPSSDA903"
CHILD_ELEMENT: Final = "CHILD"
EPISODE_ELEMENT: Final = "EPISODE"
PLACED_ELEMENT: Final = "AD_PLACED"
# Element names that differ from the CSV column names (as the public validator renames them).
COLUMN_OF: Final[dict[str, str]] = {"CHILDID": "CHILD", "PL": "PLACE"}
# The element each table's rows come from.
ELEMENT_OF: Final[dict[str, str]] = {
    HEADER: CHILD_ELEMENT,
    EPISODES: EPISODE_ELEMENT,
    AD1: CHILD_ELEMENT,
    PLACED_FOR_ADOPTION: PLACED_ELEMENT,
}
# The AD1 facts: a CHILD with any of them has an AD1 row.
AD1_FACTS: Final = tuple(c for c in TABLE_COLUMNS[AD1] if c not in ("CHILD", "DOB"))
# The columns the import reads, of any table.
COLUMNS_READ: Final = frozenset(c for columns in READ_COLUMNS.values() for c in columns)
CHUNK: Final = 1 << 20
NOT_A_RETURN: Final = f"not a 903 return (its root element holds no {CHILD_ELEMENT} elements)"


@dataclass
class Element:
    """An element read: its name, text (leaves only) and children."""

    tag: str
    text: str = ""
    children: list[Element] = field(default_factory=list)


@dataclass(frozen=True)
class XmlReturn:
    """An XML file recognised as a 903 return (it holds CHILD elements); it holds all four tables."""

    path: Path

    def children(self) -> Iterator[Element]:
        """Each CHILD element of the file, read to the end of the file as a stream."""
        yield from _parse(self.path, stop_at_first=False)

    def rows(self) -> Iterator[tuple[str, str, int, dict[str, str], str]]:
        """(table, element, number, values, problem) of every row the file holds, child by child."""
        numbers = dict.fromkeys((CHILD_ELEMENT, EPISODE_ELEMENT, PLACED_ELEMENT), 0)
        for child in self.children():
            numbers[CHILD_ELEMENT] += 1
            facts, twice = _facts(child)
            number = numbers[CHILD_ELEMENT]
            yield HEADER, CHILD_ELEMENT, number, _values(HEADER, facts), _problem(HEADER, twice)
            if any(facts.get(c) for c in AD1_FACTS):
                yield AD1, CHILD_ELEMENT, number, _values(AD1, facts), _problem(AD1, twice)
            for element in _descendants(child):
                if element.tag in (EPISODE_ELEMENT, PLACED_ELEMENT):
                    numbers[element.tag] += 1
                    table = EPISODES if element.tag == EPISODE_ELEMENT else PLACED_FOR_ADOPTION
                    own, own_twice = _leaves(element)
                    values = _values(table, {**facts, **own})
                    yield table, element.tag, numbers[element.tag], values, _problem(table, own_twice, twice)


def read_xml_header(path: Path) -> XmlReturn | NotATable:
    """The file as a 903 XML return (its root element holds a CHILD), or why it is none; a file
    that is not well-formed XML, or declares a DTD or entity, is a :class:`MalformedTable`."""
    first = next(_parse(path, stop_at_first=True), None)
    if first is None:
        return NotATable(path, NOT_A_RETURN)
    return XmlReturn(path)


def _values(table: str, facts: dict[str, str]) -> dict[str, str]:
    return {column: facts.get(column, "") for column in READ_COLUMNS[table]}


def _descendants(element: Element) -> Iterator[Element]:
    for child in element.children:
        yield child
        yield from _descendants(child)


def _leaves(element: Element, skip: tuple[str, ...] = ()) -> tuple[dict[str, str], dict[str, str]]:
    """The leaf elements under ``element`` as columns (not those under an element named in
    ``skip``), and what is wrong with a column read that is given twice with different values."""
    found: dict[str, str] = {}
    twice: dict[str, str] = {}
    stack = list(reversed(element.children))
    while stack:
        node = stack.pop()
        if node.tag in skip:
            continue
        if node.children:
            stack.extend(reversed(node.children))
            continue
        column = COLUMN_OF.get(node.tag, node.tag)
        text = node.text.strip()
        if column in found and found[column] != text and column in COLUMNS_READ:
            twice.setdefault(
                column,
                f"the {element.tag} element holds {node.tag} twice ({found[column]!r} and {text!r}): "
                "which one holds is not known",
            )
        found.setdefault(column, text)
    return found, twice


def _facts(child: Element) -> tuple[dict[str, str], dict[str, str]]:
    """The facts of a CHILD (its leaves, not those of its EPISODE or AD_PLACED elements)."""
    return _leaves(child, skip=(EPISODE_ELEMENT, PLACED_ELEMENT))


def _problem(table: str, *twice: dict[str, str]) -> str:
    return next((found[c] for found in twice for c in READ_COLUMNS[table] if c in found), "")


def _xml_problem(path: Path, error: expat.ExpatError) -> MalformedTable:
    return MalformedTable(
        f"{path} line {error.lineno} column {error.offset + 1} is not well-formed XML "
        f"({expat.ErrorString(error.code)})",
        f"export the return again from the case management system (a 903 XML file is not edited by hand); "
        f"{NOTHING_IMPORTED}",
    )


class _Refused(Exception):
    """Raised inside the parser's handlers: the file declares what a 903 return never does."""


def _parse(path: Path, *, stop_at_first: bool) -> Iterator[Element]:
    """The CHILD elements under the file's root, as the file is read in chunks (only the first when
    ``stop_at_first``); other elements under the root are not rows of a table read."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[Element] = []
    done: list[Element] = []

    def refuse(what: str) -> int:
        raise _Refused(what)

    def start(tag: str, _attributes: dict[str, str]) -> None:
        element = Element(tag)
        if stack:
            stack[-1].children.append(element)
        stack.append(element)

    def end(_tag: str) -> None:
        element = stack.pop()
        if element.children:
            element.text = ""
        if len(stack) == 1:
            stack[0].children.clear()  # the root keeps no children: memory stays one child's
            if element.tag == CHILD_ELEMENT:
                done.append(element)

    def text(data: str) -> None:
        if len(stack) > 1:
            stack[-1].text += data

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = lambda *_: refuse("a DTD (<!DOCTYPE ...>)")
    parser.EntityDeclHandler = lambda *_: refuse("an entity (<!ENTITY ...>)")
    parser.ExternalEntityRefHandler = lambda *_: refuse("an external entity")
    try:
        with path.open("rb") as handle:
            while True:
                chunk = handle.read(CHUNK)
                try:
                    parser.Parse(chunk, not chunk)
                except (LookupError, ValueError) as error:  # an encoding the parser cannot decode
                    raise MalformedTable(
                        f"{path} cannot be decoded as its XML declaration says ({error})",
                        f"export the return again as UTF-8; {NOTHING_IMPORTED}",
                    ) from None
                yield from done
                if done and stop_at_first:
                    return
                done.clear()
                if not chunk:
                    return
    except _Refused as refused:
        raise MalformedTable(
            f"{path} declares {refused}: a 903 return declares none, and the file is not read for safety",
            f"export the return again from the case management system; {NOTHING_IMPORTED}",
        ) from None
    except expat.ExpatError as error:
        raise _xml_problem(path, error) from None
    except OSError as error:
        raise ReturnError(
            f"cannot read {path}: {error.strerror or error}", f"check that the file can be read; {NOTHING_IMPORTED}"
        ) from None
