"""Small-number suppression and rounding of a published table of counts, as in the DfE's tables.

A table of counts is published with its totals: each row's total, each column's total and the
grand total (:func:`with_totals`). A cell from 1 to ``threshold - 1`` (below 10 by default)
could point at a child, so it is not shown (primary suppression: ``"c"``, as the DfE writes it);
a zero is shown (it points at no one). Since the totals are shown, a hidden cell alone in its row
could be worked out by subtraction from the row's total, and a hidden pair from the column's
totals, and so on: more cells are hidden (secondary suppression) until no hidden cell is
determined by the shown cells and the totals.

Which cells that takes is a question about the table's rows and columns as a graph: a node for
each row and each column (the totals' row and column included), an edge for each hidden cell.
Every row and every column of the table (its total taken with a minus sign) sums to zero, so
the values the hidden cells could take differ from the true ones by a flow around cycles of
that graph: a hidden cell is determined exactly when its edge lies on no cycle (a bridge).
While one does, :func:`suppress` hides the three cells that close the cheapest rectangle
through it (fewest new cells, then fewest totals, then the smallest counts; never a zero, so
every hidden cell is at least 1 and each can move by one either way around its cycle, keeping
every count at least 0: more than one table fits what is shown).

Rounding (:func:`round_to`) is to the nearest multiple (half up: 2 to 0, 3 to 5 with base 5),
of each shown cell and total on its own, after suppression: rounded cells need not add up to
their rounded total.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import product

SUPPRESSED = "c"
THRESHOLD = 10

Cell = tuple[int, int]


def with_totals(values: Sequence[Sequence[int]]) -> list[list[int]]:
    """``values`` (rows of counts, all of one length, at least one row and one column) with
    each row's total as a last column and the column totals as a last row (the grand total
    in its corner)."""
    rows = [[*row, sum(row)] for row in values]
    return [*rows, [sum(column) for column in zip(*rows, strict=True)]]


def primary(table: Sequence[Sequence[int]], threshold: int = THRESHOLD) -> set[Cell]:
    """The cells of ``table`` from 1 to ``threshold - 1``."""
    return {(i, j) for i, row in enumerate(table) for j, value in enumerate(row) if 0 < value < threshold}


def suppress(values: Sequence[Sequence[int]], threshold: int = THRESHOLD) -> frozenset[Cell]:
    """The cells to hide of ``with_totals(values)`` (positions in that table, the totals'
    row and column last): every count from 1 to ``threshold - 1``, and enough others that
    none of them is determined by what is shown."""
    table = with_totals(values)
    hidden = primary(table, threshold)
    while (bridge := _a_bridge(hidden)) is not None:
        hidden |= _closing(table, hidden, bridge)
    return frozenset(hidden)


def round_to(value: int, base: int) -> int:
    """``value`` (a count, at least 0) to the nearest multiple of ``base``, half up."""
    return (value + base // 2) // base * base


def shown(
    values: Sequence[Sequence[int]], threshold: int | None = THRESHOLD, base: int | None = None
) -> list[list[int | str]]:
    """``with_totals(values)`` as published: hidden cells ``"c"`` (with ``threshold``; None
    hides none) and the others rounded to ``base`` (None: as they are)."""
    table = with_totals(values)
    hidden = suppress(values, threshold) if threshold is not None else frozenset()
    return [
        [SUPPRESSED if (i, j) in hidden else (round_to(v, base) if base else v) for j, v in enumerate(row)]
        for i, row in enumerate(table)
    ]


def _a_bridge(hidden: set[Cell]) -> Cell | None:
    """A hidden cell on no cycle of the row–column graph of ``hidden`` (a bridge: Tarjan's
    low-link search, without recursion), or None."""
    Node = tuple[int, int]  # (0, row) or (1, column)
    links: dict[Node, list[tuple[Node, Cell]]] = {}
    for cell in sorted(hidden):
        row, column = (0, cell[0]), (1, cell[1])
        links.setdefault(row, []).append((column, cell))
        links.setdefault(column, []).append((row, cell))
    order: dict[Node, int] = {}
    low: dict[Node, int] = {}
    for root in links:
        if root in order:
            continue
        order[root] = low[root] = len(order)
        stack: list[tuple[Node, Cell | None, int]] = [(root, None, 0)]
        while stack:
            node, via, next_link = stack[-1]
            if next_link < len(links[node]):
                stack[-1] = (node, via, next_link + 1)
                other, cell = links[node][next_link]
                if cell == via:
                    continue
                if other in order:
                    low[node] = min(low[node], order[other])
                else:
                    order[other] = low[other] = len(order)
                    stack.append((other, cell, 0))
                continue
            stack.pop()
            if stack:
                parent = stack[-1][0]
                low[parent] = min(low[parent], low[node])
                if low[node] > order[parent]:
                    assert via is not None
                    return via
    return None


def _closing(table: Sequence[Sequence[int]], hidden: set[Cell], bridge: Cell) -> set[Cell]:
    """The cheapest cells that, hidden, close a rectangle through ``bridge``: its row's cell in
    another column, its column's cell in another row, and the corner between them."""
    r, c = bridge
    last_row, last_column = len(table) - 1, len(table[0]) - 1
    best: tuple[tuple[int, int, int, Cell], set[Cell]] | None = None
    for r2, c2 in product(range(len(table)), range(len(table[0]))):
        if r2 == r or c2 == c:
            continue
        new = {(r, c2), (r2, c), (r2, c2)} - hidden
        if any(table[i][j] == 0 for i, j in new):
            continue
        totals = sum(1 for i, j in new if i == last_row or j == last_column)
        cost = (len(new), totals, sum(table[i][j] for i, j in new), (r2, c2))
        if best is None or cost < best[0]:
            best = (cost, new)
    assert best is not None, "a hidden cell is at least 1, so its row's and column's totals close a rectangle"
    return best[1]
