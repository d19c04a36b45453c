"""A 903 return's tables written as the DfE XML form, the one :mod:`journeys.ssda903.xml_return` reads.

One file, root ``EXPSSDA903``, a ``CHILD`` element per child of the Header table: its ``HEADER``
holds the Header's cells (``CHILDID`` for ``CHILD``), the AD1 facts of its AD1 row and an
``AD_PLACED`` element per PlacedAdoption row; an ``EPISODE`` element per episode follows (``PL``
for ``PLACE``). A blank cell is an empty element, as the DfE's own files write it. The element
names are those the public validator (and this package's reader) turn back into the CSV columns.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from pathlib import Path

from journeys.ssda903.codes import AD1, EPISODES, HEADER, PLACED_FOR_ADOPTION, TABLE_COLUMNS
from journeys.ssda903.write import Table903Row
from journeys.ssda903.xml_return import AD1_FACTS, CHILD_ELEMENT, COLUMN_OF, EPISODE_ELEMENT, PLACED_ELEMENT, ROOT

ELEMENT_NAME = {column: element for element, column in COLUMN_OF.items()}
_OWN = ("CHILD", "DOB")  # cells every row of a child repeats: written once, in its HEADER


def _leaves(parent: ET.Element, row: Table903Row, columns: Sequence[str]) -> None:
    for column in columns:
        ET.SubElement(parent, ELEMENT_NAME.get(column, column)).text = row.get(column, "")


def write_xml(path: Path, tables: Mapping[str, Sequence[Table903Row]]) -> Path:
    """Write the return ``tables`` hold as the XML file ``path``; the path written."""
    by_child: dict[str, dict[str, list[Table903Row]]] = {}
    for table in (HEADER, AD1, PLACED_FOR_ADOPTION, EPISODES):
        for row in tables.get(table, ()):
            by_child.setdefault(row["CHILD"], {}).setdefault(table, []).append(row)
    root = ET.Element(ROOT)
    for rows in by_child.values():
        if not rows.get(HEADER):
            continue  # a child's rows always come with its Header row
        child = ET.SubElement(root, CHILD_ELEMENT)
        header = ET.SubElement(child, HEADER.upper())
        _leaves(header, rows[HEADER][0], TABLE_COLUMNS[HEADER])
        for ad1 in rows.get(AD1, ())[:1]:
            _leaves(header, ad1, AD1_FACTS)
        for placed in rows.get(PLACED_FOR_ADOPTION, ()):
            own = [c for c in TABLE_COLUMNS[PLACED_FOR_ADOPTION] if c not in _OWN]
            _leaves(ET.SubElement(header, PLACED_ELEMENT), placed, own)
        for episode in rows.get(EPISODES, ()):
            own = [c for c in TABLE_COLUMNS[EPISODES] if c not in _OWN]
            _leaves(ET.SubElement(child, EPISODE_ELEMENT), episode, own)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
    return path
