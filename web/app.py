"""`journeys serve`: the pages over the same library calls as the CLI (Starlette, Jinja2).

Requests are served one at a time (a lock around the store): the store's connection is the
CLI's, and a team's caseload is read in milliseconds. Typed errors become a page that says what
is wrong and what to do (400, or 404 for an unknown child); anything else a plain 500 page, the
details on the server's log only.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

import projections
from journeys import ChildNotFound, JourneyError, note_access, parse_date
from web import assets, csrf, render, report_pages
from web.child_page import child_data
from web.deployment import Deployment, NotYourLocalAuthority, UnknownUser, granted_las
from web.links import Links
from web.pagination import page_of, pagination
from web.query import Query

if TYPE_CHECKING:
    from journeys import JourneysApp

log = logging.getLogger("journeys.web")
SOURCE = "web"


class Site:
    """The pages of one store, recording as ``user``."""

    def __init__(self, app: JourneysApp, user: str, deployment: Deployment | None = None) -> None:
        self.app = app
        self.user = user
        self.deployment = deployment
        self.lock = threading.Lock()

    def _who(self, request: Request) -> tuple[str, tuple[str, ...]]:
        """Who is asking and the local authorities they may see (none: every one): the server's
        user, or on a shared deployment the user its proxy names."""
        if self.deployment is None:
            return self.user, ()
        found = self.deployment.user_of(request.headers, request.client.host if request.client else None)
        return found.name, found.las

    def _may(self, request: Request, la: str | None) -> None:
        """Refuse a local authority the request's user is not given."""
        allowed: tuple[str, ...] = request.state.las
        if allowed and la not in allowed:
            raise NotYourLocalAuthority(f"local authority {la} is not one of yours ({', '.join(allowed)})")

    def _query(self, request: Request, params: Any = None) -> Query:
        """The page's query from its address (or ``params``), limited to the user's local authorities."""
        query = replace(Query.of(request.query_params if params is None else params), allowed=request.state.las)
        if query.la:
            self._may(request, query.la)
        return query

    def _html(self, request: Request, name: str, status: int = 200, **data: Any) -> Response:
        token = csrf.token_of(request)
        query = data.pop("query", None) or Query()
        body = render.page(name, Links(query), csrf=token, **data)
        response = HTMLResponse(body, status_code=status)
        csrf.set_cookie(response, token)
        return response

    def error(self, request: Request, error: Exception) -> Response:
        if isinstance(error, JourneyError):
            refused = (csrf.CsrfRefused, UnknownUser, NotYourLocalAuthority)
            status = 404 if isinstance(error, ChildNotFound) else 403 if isinstance(error, refused) else 400
            heading = "Form refused" if isinstance(error, csrf.CsrfRefused) else "Not found" if status == 404 else ""
            heading = heading or ("Not allowed" if status == 403 else "That cannot be shown")
            return self._html(
                request, "error.html", status, title=heading, heading=heading, message=str(error), remedy=error.remedy
            )
        if isinstance(error, HTTPException):
            return self._html(
                request,
                "error.html",
                error.status_code,
                title="Page not found",
                heading="Page not found",
                message="There is no page at this address.",
                remedy="",
            )
        log.exception("unexpected error on %s", request.url.path)
        return self._html(
            request,
            "error.html",
            500,
            title="Sorry, something went wrong",
            heading="Sorry, something went wrong",
            message="The page could not be made.",
            remedy="try again; if it goes on, tell whoever runs this service (the server's log says more)",
        )

    def guarded(self, handler: Callable[[Request], Response]) -> Callable[[Request], Awaitable[Response]]:
        """``handler`` in a worker thread, one request at a time, its form read first; any error a page."""

        def locked(request: Request) -> Response:
            with self.lock:
                return handler(request)

        async def endpoint(request: Request) -> Response:
            try:
                request.state.user, request.state.las = self._who(request)
                if request.method == "POST":
                    form = await request.form()
                    request.state.form = {k: str(v) for k, v in form.items()}
                return await run_in_threadpool(locked, request)
            except Exception as error:  # every error becomes a page, never a traceback
                return self.error(request, error)

        return endpoint

    def _looked(self, children: list[tuple[str, str]], command: str, request: Request) -> None:
        """The access log's record of who was shown ``children`` (as the CLI's `show` and
        `explain` keep it), with the page's ``purpose`` when its address gives one."""
        purpose = request.query_params.get("purpose") or None
        note_access(self.app, children, command=command, user=request.state.user, purpose=purpose)
        log.info("%s shown: %d child(ren)", command, len(children))

    # The pages

    def caseload(self, request: Request) -> Response:
        query = self._query(request)
        data = report_pages.caseload(self.app, query)
        data["page"] = page = page_of(data["rows"], query.page, query.size)
        query = replace(query, page=page.number)  # a page past the last is the last, in every link too
        data["pagination"] = pagination(page, Links(query))
        keep = {k: v for k, v in query.params().items() if k not in ("as_at", "known_at")}
        return self._html(request, "caseload.html", query=query, title="Caseload", nav="caseload", data=data, keep=keep)

    def child(self, request: Request) -> Response:
        query = self._query(request).with_dates_only()
        la, child = request.path_params["la"], request.path_params["child"]
        self._may(request, la)
        data = child_data(self.app, la, child, query)
        self._looked([(la, child)], "web: child page", request)
        message = request.query_params.get("message", "")
        return self._html(request, "child.html", query=query, title=f"Child {child}", d=data, message=message)

    def agenda(self, request: Request) -> Response:
        query = self._query(request)
        sections = report_pages.agenda_sections(self.app, query)
        keep = {"la": query.la} if query.la else {}
        return self._html(
            request, "agenda.html", query=query, title="Surgery agenda", nav="agenda", sections=sections, keep=keep
        )

    def _report(
        self, request: Request, name: str, nav: str, title: str, make: Callable[..., dict[str, Any]]
    ) -> Response:
        query = self._query(request)
        period = request.query_params.get("period") or None
        links = Links(query)
        data = make(query, period, links.figure)
        keep = {k: v for k, v in (("la", query.la), ("period", period)) if v}
        return self._html(
            request, name, query=query, title=title, nav=nav, data=data, period=data.get("period", ""), keep=keep
        )

    def scorecard(self, request: Request) -> Response:
        return self._report(
            request, "scorecard.html", "scorecard", "Scorecard", lambda q, p, f: report_pages.scorecard(self.app, q, p)
        )

    def cohorts(self, request: Request) -> Response:
        return self._report(
            request, "cohorts.html", "cohorts", "Cohorts", lambda q, p, f: report_pages.cohorts(self.app, q, f)
        )

    def stages(self, request: Request) -> Response:
        return self._report(
            request, "stages.html", "stages", "Stage durations", lambda q, p, f: report_pages.stages(self.app, q, p, f)
        )

    def plan_changes(self, request: Request) -> Response:
        return self._report(
            request,
            "plan_changes.html",
            "plan-changes",
            "Plan changes",
            lambda q, p, f: report_pages.plan_changes(self.app, q, f),
        )

    def figure(self, request: Request) -> Response:
        query = self._query(request).with_dates_only()
        found = projections.explain_figure(self.app, request.query_params.get("id", ""))
        for la in {found.la, *(str(c["la"]) for c in found.figure["children"])}:
            self._may(request, la)
        self._looked([(str(c["la"]), str(c["child"])) for c in found.figure["children"]], "web: figure", request)
        links = Links(query)
        return self._html(
            request,
            "figure.html",
            query=query,
            title=found.figure.get("label", "Figure"),
            fig=found.figure,
            child_link=links.child,
        )

    # The forms: each records one event, then sends the browser back to a page (POST, redirect, GET)

    def _form(self, request: Request) -> dict[str, str]:
        values: dict[str, str] = request.state.form
        csrf.check(request, values.get(csrf.FIELD))
        if "la" in request.path_params:
            self._may(request, request.path_params["la"])
        return values

    def add_action(self, request: Request) -> Response:
        values = self._form(request)
        la, child = request.path_params["la"], request.path_params["child"]
        entry = self._add(request, la, child, values)
        back = Links(self._query(request).with_dates_only()).child(la, child)
        return RedirectResponse(f"{back}{'&' if '?' in back else '?'}message=Added+action+{entry}", status_code=303)

    def _add(self, request: Request, la: str, child: str, values: dict[str, str]) -> str:
        self._may(request, la)
        text, owner = values.get("text", "").strip(), values.get("owner", "").strip()
        if not text or not owner:
            raise JourneyError("an action needs what is to be done and who does it", "fill in both and send it again")
        due = parse_date(values.get("due", ""), "the due date")
        entry = self.app.add_action(
            la, child, text=text, owner=owner, due=due, recorded_by=request.state.user, source=SOURCE
        )
        return str(entry.fields["action_id"])

    def agree(self, request: Request) -> Response:
        values = self._form(request)
        self._add(request, values.get("la", ""), values.get("child", ""), values)
        query = self._query(request, values)
        return RedirectResponse(Links(query).report("agenda", la=query.la), status_code=303)

    def complete_action(self, request: Request) -> Response:
        values = self._form(request)
        la, child, action = (request.path_params[k] for k in ("la", "child", "action"))
        note = values.get("note", "").strip() or None
        self.app.complete_action(la, child, action, note=note, recorded_by=request.state.user, source=SOURCE)
        back = Links(self._query(request).with_dates_only()).child(la, child)
        return RedirectResponse(f"{back}{'&' if '?' in back else '?'}message=Action+{action}+done", status_code=303)

    def edit_action(self, request: Request) -> Response:
        values = self._form(request)
        la, child, action = (request.path_params[k] for k in ("la", "child", "action"))
        due = values.get("due", "").strip()
        self.app.edit_action(
            la,
            child,
            action,
            owner=values.get("owner", "").strip() or None,
            due=parse_date(due, "the due date") if due else None,
            text=values.get("text", "").strip() or None,
            recorded_by=request.state.user,
            source=SOURCE,
        )
        return self._back(request, la, child, f"Action {action} changed")

    def cancel_action(self, request: Request) -> Response:
        values = self._form(request)
        la, child, action = (request.path_params[k] for k in ("la", "child", "action"))
        reason = values.get("reason", "").strip()
        if not reason:
            raise JourneyError("cancelling an action needs a reason", "say why, and send it again")
        self.app.cancel_action(la, child, action, reason=reason, recorded_by=request.state.user, source=SOURCE)
        return self._back(request, la, child, f"Action {action} cancelled")

    def _back(self, request: Request, la: str, child: str, message: str) -> Response:
        back = Links(self._query(request).with_dates_only()).child(la, child)
        return RedirectResponse(
            f"{back}{'&' if '?' in back else '?'}{urlencode({'message': message})}", status_code=303
        )

    def asset(self, request: Request) -> Response:
        found = assets.find(request.path_params["path"])
        if found is None:
            raise HTTPException(404)
        return FileResponse(found)


def create_app(app: JourneysApp, *, user: str, deployment: Deployment | None = None) -> Starlette:
    """The web app over ``app``'s store; actions are recorded as ``user`` from source ``web``
    or, on a shared ``deployment``, as the user its proxy names, who sees only their local
    authorities (on a PostgreSQL store with access rules, also granted to their role)."""
    assets.frontend_dir()  # refuse to start without the GOV.UK assets
    if deployment is not None:
        deployment = deployment.with_grants(granted_las(app))
    site = Site(app, user, deployment)
    g = site.guarded
    routes = [
        Route("/", g(site.caseload)),
        Route("/child/{la}/{child}", g(site.child)),
        Route("/child/{la}/{child}/actions", g(site.add_action), methods=["POST"]),
        Route("/child/{la}/{child}/actions/{action}/done", g(site.complete_action), methods=["POST"]),
        Route("/child/{la}/{child}/actions/{action}/edit", g(site.edit_action), methods=["POST"]),
        Route("/child/{la}/{child}/actions/{action}/cancel", g(site.cancel_action), methods=["POST"]),
        Route("/agenda", g(site.agenda)),
        Route("/agenda/actions", g(site.agree), methods=["POST"]),
        Route("/scorecard", g(site.scorecard)),
        Route("/cohorts", g(site.cohorts)),
        Route("/stages", g(site.stages)),
        Route("/plan-changes", g(site.plan_changes)),
        Route("/figure", g(site.figure)),
        Route("/assets/{path:path}", g(site.asset)),
    ]

    async def not_found(request: Request, exc: Exception) -> Response:
        return site.error(request, exc)

    return Starlette(routes=routes, exception_handlers={404: not_found})
