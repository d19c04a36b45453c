"""Where each page lives: on the server (``/child/825/C001?as_at=...``) or in a static report
written to a folder (``child-825-C001.html``, opened from disk). Templates build every link
through one of these, so the same templates serve both."""

from __future__ import annotations

import hashlib
import re
from typing import Any
from urllib.parse import quote, urlencode

from web.query import Query

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def file_part(text: str) -> str:
    """``text`` as part of a file name: unsafe characters as ``_``, and a short hash whenever
    something was replaced, so that two references never share a file."""
    safe = _UNSAFE.sub("_", text)
    return safe if safe == text else f"{safe}-{hashlib.sha256(text.encode()).hexdigest()[:8]}"


class Links:
    """Links of the running server."""

    static = False
    assets = "/assets"

    def __init__(self, query: Query) -> None:
        self.query = query

    def _with(self, path: str, params: dict[str, str]) -> str:
        return f"{path}?{urlencode(params)}" if params else path

    def page(self, name: str, **changes: Any) -> str:
        """A report page (``caseload``, ``agenda``, ``scorecard``...), keeping the dates and filters."""
        path = "/" if name == "caseload" else f"/{name}"
        return self._with(path, self.query.params(**changes))

    def report(self, name: str, **params: Any) -> str:
        """A report page with the dates and the given parameters only (no caseload filters)."""
        return self._with(f"/{name}", {**self.query.dates(), **{k: str(v) for k, v in params.items() if v}})

    def child(self, la: str, child: str) -> str:
        return self._with(f"/child/{quote(la, safe='')}/{quote(child, safe='')}", self.query.dates())

    def figure(self, figure_id: str) -> str:
        return self._with("/figure", {"id": figure_id})

    def post(self, la: str, child: str, what: str) -> str:
        return self._with(f"/child/{quote(la, safe='')}/{quote(child, safe='')}/{what}", self.query.dates())


class StaticLinks(Links):
    """Links between the files of a static report: every page in one folder, assets beside them."""

    static = True
    assets = "assets"

    def page(self, name: str, **changes: Any) -> str:
        return "index.html" if name == "caseload" else f"{name}.html"

    def report(self, name: str, **params: Any) -> str:
        return f"{name}.html"

    def child(self, la: str, child: str) -> str:
        return f"child-{file_part(la)}-{file_part(child)}.html"

    def figure(self, figure_id: str) -> str:
        return f"figure-{hashlib.sha256(figure_id.encode()).hexdigest()[:16]}.html"

    def post(self, la: str, child: str, what: str) -> str:
        return "#"
