"""The `journeys` command: a thin shell over the application and the read models."""

from __future__ import annotations

import importlib
import pkgutil

import click

import cli as package
from cli.context import Settings
from journeys import DEFAULT_STORE


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--store",
    envvar="JOURNEYS_STORE",
    default=DEFAULT_STORE,
    show_default=True,
    metavar="PATH|URL",
    help="SQLite file, or postgresql://user@host:port/db (env JOURNEYS_STORE).",
)
@click.option(
    "--user", envvar="JOURNEYS_USER", default=None, help="Who is recording (env JOURNEYS_USER; default: the OS user)."
)
@click.version_option(package_name="journeys")
@click.pass_context
def cli(ctx: click.Context, store: str, user: str | None) -> None:
    """Children's journeys to permanence, as append-only streams of decisions.

    \b
    Example:
      journeys --store demo.db load fixtures/examples/*.jsonl
      journeys --store demo.db show C001 --la 825
    """
    settings = Settings(store=store, user=user)
    ctx.obj = settings
    ctx.call_on_close(settings.close)


def _register() -> None:
    """Add the commands of every ``cli/*_cmds.py`` module (each lists them in COMMANDS)."""
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name.endswith("_cmds"):
            module = importlib.import_module(f"cli.{info.name}")
            for command in module.COMMANDS:
                cli.add_command(command)


_register()


def main() -> None:
    cli(prog_name="journeys")
