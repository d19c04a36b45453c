"""`journeys access grant|revoke|list`: which database roles may read, and record, which
local authorities of a shared PostgreSQL store (enforced by PostgreSQL's row-level security;
see docs/data-protection.md). A SQLite store is single-user: each command says so."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from cli.context import allow_unknown_la_option, friendly, settings
from cli.output import echo_json, echo_table
from cli.params import LA_CODE, json_option

if TYPE_CHECKING:
    from journeys import JourneysApp


def _owner_app() -> JourneysApp:
    """The application on the shared store (refused, with nothing opened, on SQLite)."""
    from journeys import refuse_single_user

    refuse_single_user(settings().store)
    return settings().app()


@click.group()
def access() -> None:
    """Who may see and record which local authorities of a shared PostgreSQL store.

    PostgreSQL enforces it: every table journeys makes has row-level security, so a role
    granted 825 reads none of 928's rows, whatever SQL it runs. Run these as the store's
    owner (the role that made its tables). A SQLite store is single-user: the file is the
    boundary.

    \b
    Example:
      journeys --store postgresql://owner@db/journeys access grant team_825 --la 825
      journeys --store postgresql://owner@db/journeys access list
    """


@access.command()
@click.argument("role")
@click.option(
    "--la", "las", type=LA_CODE, metavar="CODE", multiple=True, required=True, help="A local authority; repeatable."
)
@click.option("--read-only", is_flag=True, help="Read only: the role may not record.")
@allow_unknown_la_option
@friendly
def grant(role: str, las: tuple[str, ...], read_only: bool) -> None:
    """Let the database role ROLE read (and, unless --read-only, record) the local authorities named.

    The role must exist on the server (journeys does not make roles). A grant the role holds
    already is replaced (so --read-only takes away recording). The role then reads the
    reports of its local authorities, kept current by the owner's catch-ups.

    \b
    Example:
      journeys access grant team_825 --la 825
      journeys access grant raa_east --la 825 --la 928 --read-only
    """
    from journeys import grant_access
    from projections import projection_catch_up

    app = _owner_app()
    held = grant_access(app, role, list(las), read_only=read_only)
    projection_catch_up(app)  # the read model made (and protected) for the role's reports
    kind = "read" if read_only else "read and record"
    click.echo(f"Granted {role} to {kind} {', '.join(las)}; it now holds {', '.join(g.la for g in held)}")


@access.command()
@click.argument("role")
@click.option(
    "--la",
    "las",
    type=LA_CODE,
    metavar="CODE",
    multiple=True,
    help="A local authority; repeatable (default: every one).",
)
@allow_unknown_la_option
@friendly
def revoke(role: str, las: tuple[str, ...]) -> None:
    """Take local authorities from the database role ROLE (every one without --la).

    A role left with no grant keeps no privilege on the store's tables.

    \b
    Example:
      journeys access revoke team_825 --la 928
      journeys access revoke team_825
    """
    from journeys import revoke_access

    removed = revoke_access(_owner_app(), role, list(las))
    if not removed:
        raise click.ClickException(
            f"{role} holds no grant of {', '.join(las) if las else 'any local authority'} — see `journeys access list`"
        )
    click.echo(f"Revoked {removed} grant{'s' if removed != 1 else ''} from {role}")


@access.command("list")
@json_option
@friendly
def list_grants(as_json: bool) -> None:
    """Every grant of the store (a granted role sees its own).

    \b
    Example:
      journeys access list
      journeys access list --json
    """
    from journeys import access_grants

    grants = access_grants(_owner_app())
    if as_json:
        echo_json({"grants": [{"role": g.role, "la": g.la, "read_only": g.read_only} for g in grants]})
        return
    if not grants:
        click.echo("No grants: only the store's owner sees its children.")
        return
    echo_table(["role", "la", "access"], [[g.role, g.la, "read" if g.read_only else "read, record"] for g in grants])


COMMANDS = [access]
