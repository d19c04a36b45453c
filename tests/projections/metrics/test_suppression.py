"""Suppression hides every small count and leaves no hidden cell derivable from what is shown:
checked by solving the table's totals for its hidden cells, exactly, with fractions."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from projections.metrics.suppression import SUPPRESSED, round_to, shown, suppress, with_totals

Cell = tuple[int, int]


def equations(table: list[list[int]], hidden: frozenset[Cell]) -> tuple[list[Cell], list[list[Fraction]]]:
    """The totals' equations in the hidden cells: each row's cells less its total, each
    column's cells less its total, is 0 (the shown cells' part moved to the right-hand side,
    which the determinacy question does not need)."""
    unknowns = sorted(hidden)
    last_row, last_column = len(table) - 1, len(table[0]) - 1
    lines: list[list[Cell]] = [[(i, j) for j in range(last_column + 1)] for i in range(last_row + 1)]
    lines += [[(i, j) for i in range(last_row + 1)] for j in range(last_column + 1)]
    rows = []
    for line in lines:
        total = line[-1]
        coefficient = {cell: Fraction(-1 if cell == total else 1) for cell in line}
        rows.append([coefficient.get(cell, Fraction(0)) for cell in unknowns])
    return unknowns, rows


def null_space(matrix: list[list[Fraction]], width: int) -> list[list[Fraction]]:
    """A basis of the vectors the equations send to 0 (reduced row echelon form)."""
    rows = [row[:] for row in matrix]
    pivots: list[int] = []
    top = 0
    for column in range(width):
        found = next((r for r in range(top, len(rows)) if rows[r][column] != 0), None)
        if found is None:
            continue
        rows[top], rows[found] = rows[found], rows[top]
        pivot = rows[top][column]
        rows[top] = [value / pivot for value in rows[top]]
        for r in range(len(rows)):
            if r != top and rows[r][column] != 0:
                factor = rows[r][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[top], strict=True)]
        pivots.append(column)
        top += 1
    basis = []
    for free in (c for c in range(width) if c not in pivots):
        vector = [Fraction(0)] * width
        vector[free] = Fraction(1)
        for r, column in enumerate(pivots):
            vector[column] = -rows[r][free]
        basis.append(vector)
    return basis


def another_table(table: list[list[int]], hidden: frozenset[Cell], cell: Cell) -> list[list[int]] | None:
    """A table of counts (each at least 0), other than ``table`` in ``cell``, that shows the
    same: the same shown cells, every row and column adding up to its total."""
    unknowns, matrix = equations(table, hidden)
    for vector in null_space(matrix, len(unknowns)):
        if vector[unknowns.index(cell)] == 0:
            continue
        for step in (1, -1):
            other = [row[:] for row in table]
            for (i, j), change in zip(unknowns, vector, strict=True):
                moved = other[i][j] + step * change
                if moved.denominator != 1:
                    break
                other[i][j] = int(moved)
            else:
                if min(min(row) for row in other) >= 0:
                    return other
    return None


def adds_up(table: list[list[int]]) -> bool:
    return with_totals([row[:-1] for row in table[:-1]]) == table


tables = st.integers(1, 5).flatmap(
    lambda width: st.lists(
        st.lists(st.one_of(st.integers(0, 12), st.integers(0, 60)), min_size=width, max_size=width),
        min_size=1,
        max_size=5,
    )
)


@settings(max_examples=300, deadline=None)
@given(tables)
def test_no_hidden_cell_is_determined_by_the_shown_cells_and_totals(values: list[list[int]]) -> None:
    table = with_totals(values)
    hidden = suppress(values)
    for i, row in enumerate(table):
        for j, value in enumerate(row):
            if 0 < value < 10:
                assert (i, j) in hidden
    for cell in hidden:
        other = another_table(table, hidden, cell)
        assert other is not None, f"{cell} can be worked out"
        assert adds_up(other)
        assert other[cell[0]][cell[1]] != table[cell[0]][cell[1]]
        kept = [(i, j) for i, row in enumerate(table) for j in range(len(row)) if (i, j) not in hidden]
        assert all(other[i][j] == table[i][j] for i, j in kept)


def test_a_cell_alone_in_its_row_would_be_derivable_without_the_others_hidden() -> None:
    """The solver finds a lone hidden cell (the primary suppression alone) determined: the test
    can fail."""
    table = with_totals([[5, 20], [30, 40]])
    assert another_table(table, frozenset({(0, 0)}), (0, 0)) is None


def test_one_small_cell_hides_the_cheapest_rectangle_and_keeps_the_totals() -> None:
    # 5 | 20 | 25 / 30 | 40 | 70 / 35 | 60 | 95: hiding 5 alone gives it away (25 - 20);
    # the rectangle of the four inner cells keeps every total shown
    assert shown([[5, 20], [30, 40]]) == [["c", "c", 25], ["c", "c", 70], [35, 60, 95]]


def test_zeros_and_counts_of_ten_or_more_are_shown() -> None:
    assert shown([[0, 10], [12, 0]]) == [[0, 10, 10], [12, 0, 12], [12, 10, 22]]


def test_a_small_total_is_hidden_too() -> None:
    published = shown([[3, 2], [40, 50]])
    assert published[0] == [SUPPRESSED, SUPPRESSED, SUPPRESSED]
    assert published[2] == [43, 52, 95]  # the column totals stay shown; a second row goes instead


def test_one_row_of_local_authorities_hides_a_second_one_beside_a_small_one() -> None:
    # one LA's 5 beside the total of both would give it away: the other LA's 22 is hidden too
    assert shown([[5, 22, 31]])[0] == [SUPPRESSED, SUPPRESSED, 31, 58]


def test_rounding_is_to_the_nearest_five_half_up_after_suppression() -> None:
    assert [round_to(v, 5) for v in (0, 2, 3, 7, 8, 12, 13, 102)] == [0, 0, 5, 5, 10, 10, 15, 100]
    assert shown([[5, 22], [31, 44]], base=5) == [["c", "c", 25], ["c", "c", 75], [35, 65, 100]]
    assert shown([[5, 22]], threshold=None, base=5) == [[5, 20, 25], [5, 20, 25]]
