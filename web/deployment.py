"""A shared deployment of `journeys serve` (``--config FILE``): who its users are, which local
authorities each may see, and how a request says who is asking.

The user is named by a header the reverse proxy in front of the server sets once it has signed
the user in (the LA's single sign-on), trusted only on requests that come from that proxy's
address; journeys keeps no passwords. docs/surgery.md ("A shared deployment") gives the format
and the reasons. On a PostgreSQL store with access rules (``journeys access grant``) a user's
local authorities must also be granted to the user's database role.

    [identity]
    header = "X-Remote-User"          # set by the proxy to the signed-in user's name
    proxies = ["127.0.0.1", "::1"]    # the proxy's addresses (requests from elsewhere are refused)

    [[users]]
    name = "jsmith"
    las = ["825"]
    role = "team_825"                 # PostgreSQL role whose grants apply (default: the name)
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journeys import JourneyError, StoreError, access_grants, check_la

if TYPE_CHECKING:
    from journeys import JourneysApp

DEFAULT_HEADER = "X-Remote-User"
DEFAULT_PROXIES = ("127.0.0.1", "::1")
_IDENTITY_KEYS = {"header", "proxies"}
_USER_KEYS = {"name", "las", "role"}


class InvalidDeployment(JourneyError):
    """The deployment's config file cannot be used: which file, and why."""

    remedy = 'fix the config file (format in docs/surgery.md, "A shared deployment")'


class NotYourLocalAuthority(JourneyError):
    """A page asked for a local authority the user is not given."""

    remedy = "choose one of your local authorities, or ask whoever runs this service to add it to yours"


class UnknownUser(JourneyError):
    """A request whose user is not named, or not one of the deployment's users."""

    remedy = "sign in through the service's address; if you have, ask whoever runs it to add you to its config"


@dataclass(frozen=True)
class User:
    name: str
    las: tuple[str, ...]
    role: str


@dataclass(frozen=True)
class Deployment:
    header: str
    proxies: frozenset[str]
    users: Mapping[str, User]

    def user_of(self, headers: Mapping[str, str], client: str | None) -> User:
        """The user a request is from: its header, trusted only from a proxy's address."""
        if client not in self.proxies:
            raise UnknownUser(f"requests are taken only through the service's proxy, not from {client or 'unknown'}")
        name = headers.get(self.header, "").strip()
        user = self.users.get(name)
        if user is None:
            raise UnknownUser(f"{name!r} is not a user of this service" if name else f"no user named in {self.header}")
        return user

    def with_grants(self, granted: Mapping[str, Iterable[str]] | None) -> Deployment:
        """Checked against PostgreSQL's access rules (``granted``: each role's local
        authorities, None when the store has none): a user given a local authority its role
        is not granted is refused."""
        if granted is None:
            return self
        for user in self.users.values():
            missing = [la for la in user.las if la not in set(granted.get(user.role, ()))]
            if missing:
                raise InvalidDeployment(
                    f"user {user.name!r} is given local authority {', '.join(missing)}, which the store's access "
                    f"rules do not grant to role {user.role!r}",
                    f"grant it (journeys access grant {user.role} {' '.join(missing)}), or take it from the user",
                )
        return self


def granted_las(app: JourneysApp) -> dict[str, list[str]] | None:
    """Each database role's granted local authorities, when the store has access rules (a
    PostgreSQL store with grants); None when it has none (a SQLite store, or no grants)."""
    try:
        grants = access_grants(app)
    except StoreError:
        return None  # single-user: no access rules
    found: dict[str, list[str]] = {}
    for grant in grants:
        found.setdefault(grant.role, []).append(grant.la)
    return found or None


def load_deployment(path: Path) -> Deployment:
    """Read and check a deployment's config file."""
    where = str(path)

    def bad(reason: str) -> InvalidDeployment:
        return InvalidDeployment(f"config file {where}: {reason}")

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise bad(f"cannot be read ({error.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise bad(f"is not valid TOML ({error})") from None
    unknown = set(data) - {"identity", "users"}
    if unknown:
        raise bad(f"unknown key(s) {', '.join(sorted(unknown))} (allowed: identity, users)")
    identity = data.get("identity", {})
    if not isinstance(identity, dict) or set(identity) - _IDENTITY_KEYS:
        raise bad(f"[identity] takes only {', '.join(sorted(_IDENTITY_KEYS))}")
    header = identity.get("header", DEFAULT_HEADER)
    proxies = identity.get("proxies", list(DEFAULT_PROXIES))
    if not isinstance(header, str) or not header.strip():
        raise bad("identity.header must be a header's name")
    if not isinstance(proxies, list) or not proxies or not all(isinstance(p, str) and p for p in proxies):
        raise bad("identity.proxies must be a list of addresses")
    users: dict[str, User] = {}
    tables = data.get("users")
    if not isinstance(tables, list) or not tables:
        raise bad("no [[users]]")
    for number, table in enumerate(tables, start=1):
        user = _user(table, number, bad)
        if user.name in users:
            raise bad(f"user {user.name!r} is named twice")
        users[user.name] = user
    return Deployment(header.strip(), frozenset(proxies), users)


def _user(table: Any, number: int, bad: Any) -> User:
    if not isinstance(table, dict):
        raise bad(f"user #{number} must be a table")
    unknown = set(table) - _USER_KEYS
    if unknown:
        raise bad(f"user #{number}: unknown key(s) {', '.join(sorted(unknown))} (allowed: las, name, role)")
    name, las, role = table.get("name"), table.get("las"), table.get("role", table.get("name"))
    if not isinstance(name, str) or not name.strip() or not name.isprintable():
        raise bad(f"user #{number}: name must be printable text")
    if not isinstance(las, list) or not las:
        raise bad(f"user {name!r}: las must list the local authorities the user may see")
    if not isinstance(role, str) or not role.strip():
        raise bad(f"user {name!r}: role must be a database role's name")
    try:
        codes = tuple(dict.fromkeys(check_la(str(la), allow_unknown=True) for la in las))
    except JourneyError as error:
        raise bad(f"user {name!r}: {error}") from None
    return User(name.strip(), codes, role.strip())
