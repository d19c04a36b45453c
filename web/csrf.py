"""Cross-site request forgery: every form carries the token of a cookie only this site can set
(SameSite=Strict, HttpOnly); a POST whose form token does not match it, or that comes from
another origin, is refused before anything is recorded."""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response

from journeys import JourneyError

COOKIE = "journeys_csrf"
FIELD = "csrf_token"


class CsrfRefused(JourneyError):
    """A form was sent without this site's token (an old page, or another site's form)."""

    remedy = "go back, reload the page and send the form again"


def token_of(request: Request) -> str:
    """The request's token (a new one when it has none; :func:`set_cookie` keeps it)."""
    found = request.cookies.get(COOKIE, "")
    return found if len(found) >= 32 else secrets.token_urlsafe(32)


def set_cookie(response: Response, token: str) -> None:
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict", path="/")


def check(request: Request, sent: str | None) -> None:
    cookie = request.cookies.get(COOKIE, "")
    if not cookie or not sent or not hmac.compare_digest(cookie.encode(), sent.encode()):
        raise CsrfRefused("the form's security token is missing or out of date")
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host"):
        raise CsrfRefused(f"the form was sent from another site ({origin})")
