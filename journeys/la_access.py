"""Access per local authority to a shared PostgreSQL store: which database roles may read,
and which may also record, which local authorities' children. PostgreSQL enforces it, with
row-level security on every table journeys makes (:mod:`journeys.storage.access`); these
functions change and list the grants, as the store's owner. A SQLite store is single-user:
each refuses with a :class:`StoreError` that says so."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from journeys.domain.errors import JourneyError
from journeys.storage.recorders import Grant

if TYPE_CHECKING:
    from journeys.application import JourneysApp

# PostgreSQL keeps 63 bytes of a name; journeys takes a role's name as it is written, quoted.
_ROLE = re.compile(r"^[^\x00-\x1f\x7f]{1,63}$")


class InvalidRole(JourneyError):
    remedy = "give the database role's name as the server knows it (at most 63 characters, no control characters)"


def check_role(role: str) -> str:
    if not _ROLE.match(role) or len(role.encode()) > 63:
        raise InvalidRole(f"{role!r} is not a database role's name")
    return role


def grant_access(app: JourneysApp, role: str, las: Sequence[str], *, read_only: bool = False) -> list[Grant]:
    """Grant ``role`` the local authorities ``las`` (to read and record, or only to read);
    a grant already held is replaced. Returns the role's grants."""
    app.recorder.grant_access(check_role(role), list(dict.fromkeys(las)), read_only=read_only)
    return [grant for grant in app.recorder.access_grants() if grant.role == role]


def revoke_access(app: JourneysApp, role: str, las: Sequence[str] = ()) -> int:
    """Take ``las`` from ``role`` (every one when none is named); how many grants went."""
    return app.recorder.revoke_access(check_role(role), list(dict.fromkeys(las)))


def access_grants(app: JourneysApp) -> list[Grant]:
    """Every grant of the store, by role and local authority."""
    return app.recorder.access_grants()


def refuse_single_user(store: str) -> None:
    """The :class:`StoreError` of a store that is not shared (a SQLite file, in memory),
    before anything is opened or created."""
    from journeys.storage.location import is_postgres
    from journeys.storage.recorders import single_user

    if not is_postgres(store):
        raise single_user()
