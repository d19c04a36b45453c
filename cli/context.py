"""What every command shares: the store, the user, the local authority, error handling."""

from __future__ import annotations

import functools
import getpass
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import click

from cli.params import ALLOW_UNKNOWN_LA_META, LA_CODE
from journeys import JourneyError, is_missing_file

if TYPE_CHECKING:
    from journeys import JourneysApp

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class Settings:
    store: str
    user: str | None
    quiet: bool = False
    _app: JourneysApp | None = field(default=None, repr=False)

    @property
    def recorded_by(self) -> str:
        """--user (checked when the option is read), else the OS user, checked as it is."""
        if self.user:
            return self.user
        try:
            name = getpass.getuser()
        except (KeyError, OSError):
            return "unknown"
        from journeys import check_user

        try:
            return check_user(name)
        except JourneyError as error:
            raise click.UsageError(
                f"the OS user cannot be recorded as who records: {error}; pass --user NAME (or set JOURNEYS_USER)"
            ) from None

    def app(self, *, create: bool = False, quiet: bool = False) -> JourneysApp:
        """The application on the store; only commands that write may ``create`` a new store,
        and say so on stderr (unless ``quiet``). A new store that nothing was written to is
        removed when the command ends (see :meth:`close`)."""
        if self._app is None:
            if is_missing_file(self.store):
                if not create:
                    raise click.ClickException(
                        f"there is no store at {self.store!r} — record or load events first, "
                        "or check --store (JOURNEYS_STORE)"
                    )
                if not (quiet or self.quiet):
                    click.echo(f"journeys: creating a new store at {self.store}", err=True)
            # Imported here: the application (eventsourcing, pydantic) is for the commands that open the
            # store, not for `--help` or `--version`.
            from journeys import JourneysApp

            ctx = click.get_current_context(silent=True)
            allow = True if ctx is not None and ctx.meta.get(ALLOW_UNKNOWN_LA_META) else None
            self._app = JourneysApp(self.store, allow_unknown_la=allow)
        return self._app

    def visible_las(self) -> list[str] | None:
        """The local authorities the opened store lets this user see (None: every one, as
        on SQLite or for a PostgreSQL store's owner; also when no store was opened)."""
        return None if self._app is None else self._app.visible_las()

    def close(self) -> None:
        if self._app is not None:
            self._app.close_discarding_if_empty()
            self._app = None


def note_looked(children: Iterable[tuple[str, str]], command: str, purpose: str | None) -> None:
    """Append to the access log that the user (as recording resolves it) was shown ``children``
    ((la, child) pairs) by ``command``, for ``purpose``: before the command prints them."""
    from journeys import note_access

    s = settings()
    note_access(s.app(), children, command=command, user=s.recorded_by, purpose=purpose)


def settings() -> Settings:
    ctx = click.get_current_context()
    found = ctx.find_object(Settings)
    assert found is not None
    return found


def default_la(la: str | None) -> str | None:
    """--la if given, else JOURNEYS_LA, else None."""
    return (la or os.environ.get("JOURNEYS_LA") or "").strip() or None


def resolve_la(la: str | None) -> str:
    value = default_la(la)
    if not value:
        raise click.UsageError("no local authority: pass --la CODE or set JOURNEYS_LA (e.g. JOURNEYS_LA=825)")
    if not la:  # JOURNEYS_LA is checked as --la is
        value = LA_CODE.convert(value, None, click.get_current_context(silent=True))
    return value


def friendly(func: Callable[P, R]) -> Callable[P, R]:
    """Turn the engine's typed errors into one line `Error: ...` and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except JourneyError as error:
            raise click.ClickException(error.full_message()) from None
        finally:
            _warn_unreadable()

    return wrapper


def _warn_unreadable() -> None:
    """One `Warning:` line on stderr per child a command's reads left out as unreadable."""
    ctx = click.get_current_context(silent=True)
    found = ctx.find_object(Settings) if ctx is not None else None
    if found is not None and found._app is not None:
        for stream in found._app.unreadable.values():
            click.echo(f"Warning: {stream.describe()}", err=True)


la_option = click.option(
    "--la", type=LA_CODE, metavar="CODE", help="Local authority code (default: JOURNEYS_LA).", default=None
)


def _allow_unknown_la(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        ctx.meta[ALLOW_UNKNOWN_LA_META] = True


allow_unknown_la_option = click.option(
    "--allow-unknown-la",
    is_flag=True,
    is_eager=True,  # before --la, which it lets through
    expose_value=False,
    callback=_allow_unknown_la,
    help="Accept an LA code outside the DfE list (a test store; or set JOURNEYS_ALLOW_UNKNOWN_LA=1).",
)


def with_la(func: Callable[..., Any]) -> Callable[..., Any]:
    return allow_unknown_la_option(la_option(func))
