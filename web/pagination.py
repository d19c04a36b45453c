"""The caseload a page at a time: which rows a page shows, and the links to the others (GOV.UK
Frontend's pagination component), each keeping the page's filters and dates in its address."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from web.links import Links

T = TypeVar("T")
AROUND = 2  # page links either side of the current one (then the first and last, and gaps)


@dataclass(frozen=True)
class Page(Generic[T]):
    """Rows ``first`` to ``last`` (counted from 1) of ``total``: page ``number`` of ``pages``."""

    rows: Sequence[T]
    number: int
    pages: int
    first: int
    last: int
    total: int


def page_of(rows: Sequence[T], number: int, size: int) -> Page[T]:
    """Page ``number`` (a page past the last is the last) of ``rows``, ``size`` a page."""
    pages = max(1, -(-len(rows) // size))
    number = min(max(number, 1), pages)
    start = (number - 1) * size
    shown = rows[start : start + size]
    return Page(shown, number, pages, start + 1 if shown else 0, start + len(shown), len(rows))


def pagination(page: Page[Any], links: Links) -> dict[str, Any] | None:
    """The parameters of ``govukPagination`` for ``page`` (None when there is one page)."""
    if page.pages == 1:
        return None

    def href(number: int) -> str:
        return links.page("caseload", page=number if number > 1 else None)

    near = range(max(1, page.number - AROUND), min(page.pages, page.number + AROUND) + 1)
    numbers = sorted({1, page.pages, *near})
    items: list[dict[str, Any]] = []
    for before, number in zip([0, *numbers], numbers, strict=False):
        if number - before > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": href(number), "current": number == page.number})
    params: dict[str, Any] = {"items": items, "landmarkLabel": "Pages of the caseload"}
    if page.number > 1:
        params["previous"] = {"href": href(page.number - 1)}
    if page.number < page.pages:
        params["next"] = {"href": href(page.number + 1)}
    return params
