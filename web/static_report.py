"""`journeys report --out DIR`: the pages written as static HTML, charts included, the assets
copied beside them, so that the folder opens from disk (for emailing, or an intranet).

The same templates and library calls as the server; links are file names
(:class:`web.links.StaticLinks`), forms are left out, and each figure's children are written
as a page of their own from the explained reports (no server to ask).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journeys import checked_purpose, note_access
from web import assets, render, report_pages
from web.child_page import child_data
from web.links import StaticLinks
from web.query import Query

if TYPE_CHECKING:
    from journeys import JourneysApp


@dataclass(frozen=True)
class Written:
    folder: Path
    pages: int
    children: int
    figures: int

    @property
    def index(self) -> Path:
        return self.folder / "index.html"


def _figures(explained: Iterable[dict[str, Any] | None]) -> dict[str, dict[str, Any]]:
    """Every figure of the explained reports, by id."""
    found: dict[str, dict[str, Any]] = {}
    for explain in explained:
        for figure in (explain or {}).values():
            found[figure["id"]] = figure
    return found


def write_report(
    app: JourneysApp,
    folder: Path,
    query: Query | None = None,
    *,
    period: str | None = None,
    progress: Callable[[str], None] | None = None,
    user: str | None = None,
    purpose: str | None = None,
) -> Written:
    """Every page as at ``query``'s dates into ``folder`` (made if missing); returns what was
    written. With ``user``, the access log records that user was shown every child written."""
    purpose = checked_purpose(purpose)  # refused before anything is written
    query = query or Query()
    links = StaticLinks(query)
    say = progress or (lambda _text: None)
    folder.mkdir(parents=True, exist_ok=True)
    assets.copy_to(folder / "assets")

    def write(name: str, text: str) -> None:
        (folder / name).write_text(text, encoding="utf-8")

    say("caseload and agenda")
    case = report_pages.caseload(app, query)
    write("index.html", render.page("caseload.html", links, title="Caseload", nav="caseload", data=case))
    sections = report_pages.agenda_sections(app, query)
    write("agenda.html", render.page("agenda.html", links, title="Surgery agenda", nav="agenda", sections=sections))
    say("reports")
    score = report_pages.scorecard(app, query, period)
    cohorts = report_pages.cohorts(app, query, links.figure)
    stages = report_pages.stages(app, query, period, links.figure)
    plans = report_pages.plan_changes(app, query, links.figure)
    for name, template, title, data in (
        ("scorecard", "scorecard.html", "Scorecard", score),
        ("cohorts", "cohorts.html", "Cohorts", cohorts),
        ("stages", "stages.html", "Stage durations", stages),
        ("plan-changes", "plan_changes.html", "Plan changes", plans),
    ):
        write(
            links.report(name),
            render.page(template, links, title=title, nav=name, data=data, period=data.get("period", "")),
        )
    figures = _figures(
        [r.get("explain") for d in (score, cohorts, stages) for r in d["by_la"].values()]
        + [plans["report"].get("explain")]
    )
    children = {(r.la, r.child) for r in case["rows"]}
    children |= {(c["la"], c["child"]) for f in figures.values() for c in f["children"]}
    if user is not None:  # before any child's page is written, as the CLI's `show` logs before it prints
        note_access(app, sorted(children), command="report --out", user=user, purpose=purpose)
    for i, (la, child) in enumerate(sorted(children)):
        if i % 50 == 0:
            say(f"children {i + 1}-{min(i + 50, len(children))} of {len(children)}")
        write(
            links.child(la, child),
            render.page("child.html", links, title=f"Child {child}", d=child_data(app, la, child, query), message=""),
        )
    say(f"{len(figures)} figures")
    for figure_id, figure in figures.items():
        write(
            links.figure(figure_id),
            render.page("figure.html", links, title=figure.get("label", "Figure"), fig=figure, child_link=links.child),
        )
    return Written(folder, 6 + len(children) + len(figures), len(children), len(figures))
