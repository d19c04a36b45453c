"""The `journeys` command: a thin shell over the application and the read models."""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Any

import click

from cli.context import Settings
from cli.params import USER
from journeys import DEFAULT_STORE, STORE_KEY_ENV, STORE_KEY_FILE_ENV

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


# Each command's module (``cli/*_cmds.py``, which lists its commands in COMMANDS), by the
# command's name. A command's module, and what it imports, is loaded when the command runs
# (or a help lists it), so `journeys show` does not pay for the reports, the load and the
# importer. tests/cli/test_start.py holds this table to the modules.
COMMAND_MODULES: dict[str, str] = {
    "access": "cli.access_cmds",
    "show": "cli.child_cmds",
    "history": "cli.child_cmds",
    "generate": "cli.generate_cmds",
    "import-903": "cli.import_cmds",
    "export-903": "cli.export_903_cmds",
    "plan-changes": "cli.plan_cmds",
    "tracking-cohort": "cli.plan_cmds",
    "projections": "cli.projection_cmds",
    "record": "cli.record_cmds",
    "correct": "cli.record_cmds",
    "retract": "cli.record_cmds",
    "scorecard": "cli.report_cmds",
    "cohort": "cli.report_cmds",
    "cost": "cli.cost_cmds",
    "permanence": "cli.permanence_cmds",
    "waiting": "cli.report_cmds",
    "counts": "cli.report_cmds",
    "stages": "cli.report_cmds",
    "store": "cli.encryption_cmds",
    "load": "cli.store_cmds",
    "export": "cli.store_cmds",
    "extract": "cli.extract_cmds",
    "explain": "cli.explain_cmds",
    "verify": "cli.evidence_cmds",
    "checkpoint": "cli.evidence_cmds",
    "bundle": "cli.bundle_cmds",
    "surgery": "cli.surgery_cmds",
    "deadlines": "cli.surgery_cmds",
    "action": "cli.surgery_cmds",
    "asglb": "cli.returns_cmds",
    "returns": "cli.returns_log_cmds",
    "access-log": "cli.access_log_cmds",
    "subject-access": "cli.access_log_cmds",
    "retention": "cli.retention_cmds",
    "legal-hold": "cli.retention_cmds",
    "erase": "cli.erase_cmds",
    "serve": "cli.web_cmds",
    "report": "cli.web_cmds",
    "children": "cli.caseload_cmds",
}


class OneLineGroup(click.Group):
    """The root group: every usage error, at any level, is printed as one line (not click's
    Usage, Try and Error lines); other errors keep click's `Error: …` line and exit code 1.
    Its commands are those of :data:`COMMAND_MODULES`, each module imported when one of its
    commands is first looked up."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(COMMAND_MODULES) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            for command in importlib.import_module(COMMAND_MODULES[cmd_name]).COMMANDS:
                self.add_command(command)
        return self.commands.get(cmd_name)

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
    "--user",
    envvar="JOURNEYS_USER",
    type=USER,
    default=None,
    metavar="NAME",
    help="Who is recording: printable, at most 64 characters (env JOURNEYS_USER; default: the OS user).",
)
@click.option(
    "--store-key-file",
    envvar=STORE_KEY_FILE_ENV,
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help=f"The key of an encrypted SQLite store, in FILE (env {STORE_KEY_FILE_ENV}; or the key itself in "
    f"{STORE_KEY_ENV}).",
)
@click.option("--quiet", is_flag=True, help="No notice on stderr when a command creates a new store.")
@click.version_option(package_name="journeys")
@click.pass_context
def cli(ctx: click.Context, store: str, user: str | None, store_key_file: Path | None, quiet: bool) -> None:
    """Children's journeys to permanence, as append-only streams of decisions.

    \b
    Example:
      journeys --store demo.db load fixtures/examples/*.jsonl
      journeys --store demo.db show C001 --la 825
      journeys --store secret.db --store-key-file secret.key verify
    """
    settings = Settings(store=store, user=user, quiet=quiet)
    ctx.obj = settings
    ctx.call_on_close(settings.close)
    if store_key_file is not None:
        # The store is opened by the library, the read models and the loading processes alike,
        # each reading the key where the environment says: the option is that setting, for
        # this command only.
        saved = os.environ.get(STORE_KEY_FILE_ENV)
        os.environ[STORE_KEY_FILE_ENV] = str(store_key_file)
        ctx.call_on_close(lambda: _restore(STORE_KEY_FILE_ENV, saved))


def _restore(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


def main() -> None:
    cli(prog_name="journeys")
