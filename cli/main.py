"""The `journeys` command: a thin shell over the application and the read models."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import click

import cli as package
from cli.context import Settings
from journeys import DEFAULT_STORE

EXIT_CODES = """\b
Exit codes: 0 done; 1 refused (one `Error: …` line with a remedy, nothing changed);
2 a usage error (a bad option or value), or a load that rejected lines."""


class UsageLine(click.ClickException):
    """A usage error as one line, `Error: <what>. Try 'journeys CMD --help'.`, exit code 2."""

    exit_code = 2

    def __init__(self, error: click.UsageError) -> None:
        path = error.ctx.command_path if error.ctx is not None else "journeys"
        message = error.format_message().rstrip()
        stop = "" if message.endswith((".", "?", "!")) else "."
        super().__init__(f"{message}{stop} Try '{path} --help'.")


class OneLineGroup(click.Group):
    """The root group: every usage error, at any level, is printed as one line (not click's
    Usage, Try and Error lines); other errors keep click's `Error: …` line and exit code 1."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except click.UsageError as error:
            raise UsageLine(error) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as error:
            raise UsageLine(error) from None


@click.group(
    name="journeys",
    cls=OneLineGroup,
    epilog=EXIT_CODES,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
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
@click.option("--quiet", is_flag=True, help="No notice on stderr when a command creates a new store.")
@click.version_option(package_name="journeys")
@click.pass_context
def cli(ctx: click.Context, store: str, user: str | None, quiet: bool) -> None:
    """Children's journeys to permanence, as append-only streams of decisions.

    \b
    Example:
      journeys --store demo.db load fixtures/examples/*.jsonl
      journeys --store demo.db show C001 --la 825
    """
    settings = Settings(store=store, user=user, quiet=quiet)
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
