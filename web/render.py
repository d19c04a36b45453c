"""The templates: GOV.UK Frontend's Jinja macros (govuk-frontend-jinja) and the pages'."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader, select_autoescape

from journeys import today
from web.links import Links


@cache
def environment() -> Environment:
    return Environment(
        loader=ChoiceLoader(
            [
                PackageLoader("web", "templates"),
                PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
            ]
        ),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def page(name: str, links: Links, *, title: str, nav: str = "", keep: dict[str, str] | None = None, **data: Any) -> str:
    """One page, its links built by ``links`` (the server's or a static report's)."""
    return (
        environment()
        .get_template(name)
        .render(
            links=links,
            query=links.query,
            title=title,
            nav=nav,
            keep=keep or {},
            written=today().isoformat(),
            csrf=data.pop("csrf", ""),
            **data,
        )
    )
