"""A quick start: the command line imports what the command it runs needs, and no more.

Each check runs in a fresh interpreter and reads ``sys.modules``, so it holds the property
itself (which modules a start loads), not a timing (that is `make bench`'s figure 7).
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

import cli as cli_package
from cli.main import COMMAND_MODULES

# What a start must not pay for: the models, the event-sourcing library, the read side's store
# and reports, the 903 importer, the generator, the bulk load, the bank holidays.
HEAVY = (
    "pydantic",
    "eventsourcing",
    "holidays",
    "journeys.application",
    "journeys.domain.journey",
    "journeys.domain.payloads",
    "journeys.ssda903",
    "journeys.synthetic",
    "journeys.loading.batch",
    "projections.views",
    "projections.reports",
    "projections.metrics",
    "cryptography",
)
# The command modules a start may load (none, or the one of the command it runs).
COMMAND_MODULE_NAMES = sorted(set(COMMAND_MODULES.values()))


def _loaded_after(code: str, *, names: tuple[str, ...] | list[str] = HEAVY) -> set[str]:
    """Which of ``names`` a fresh interpreter has imported after running ``code``."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    modules = set(json.loads(done.stdout.splitlines()[-1]))
    return {name for name in names if name in modules}


def _main(*args: str) -> str:
    """Code that runs ``journeys ARGS`` in this interpreter, as the console script does."""
    return (
        "import sys\nfrom cli.main import main\n"
        f"sys.argv = ['journeys', *{list(args)!r}]\n"
        "try:\n    main()\nexcept SystemExit as done:\n    assert not done.code, done.code\n"
        "sys.stdout.flush()\nprint()\n"
    )


def _run(*args: str) -> None:
    subprocess.run([sys.executable, "-c", _main(*args)], capture_output=True, text=True, check=True)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store with C1 (decisions only) and C2 (a decision corrected, with dates and flags)."""
    path = str(tmp_path_factory.mktemp("start") / "journeys.db")
    _run("--store", path, "record", "entered-care", "C1", "--la", "825", "--on", "2014-01-10")
    _run("--store", path, "record", "adoption-decision", "C1", "--la", "825", "--on", "2014-03-10")
    details = ["record", "child-details", "C2", "--la", "825", "--on", "2014-01-10", "--date-of-birth", "2012-05-01"]
    _run("--store", path, *details, "--harder-to-place", "sibling-group")
    _run("--store", path, "record", "entered-care", "C2", "--la", "825", "--on", "2014-01-10")
    _run("--store", path, "correct", "C2", "2", "--la", "825", "--set", "date_of_birth=2012-05-02", "--reason", "typo")
    return path


def test_importing_the_command_line_imports_no_model_no_library_no_report_and_no_command() -> None:
    assert _loaded_after("import cli.main") == set()
    assert _loaded_after("import cli.main", names=COMMAND_MODULE_NAMES) == set()


@pytest.mark.parametrize("option", ["--help", "--version"])
def test_help_and_version_import_nothing_heavy(option: str) -> None:
    assert _loaded_after(_main(option)) == set()


def test_version_imports_no_command() -> None:
    assert _loaded_after(_main("--version"), names=COMMAND_MODULE_NAMES) == set()


def test_a_command_s_help_imports_nothing_heavy() -> None:
    for command in (["load", "--help"], ["import-903", "--help"], ["scorecard", "--help"], ["generate", "--help"]):
        assert _loaded_after(_main(*command)) == set(), command


@pytest.mark.parametrize("child", ["C1", "C2"])
def test_show_imports_the_application_and_no_model_no_read_side_no_importer_and_no_other_command(
    store: str, child: str
) -> None:
    # the stored decisions (and C2's correction) are read by the table of journeys.domain.shapes,
    # without building the pydantic event models
    show = _main("--store", store, "show", child, "--la", "825")

    assert _loaded_after(show) == {"eventsourcing", "journeys.application"}
    assert _loaded_after(show, names=COMMAND_MODULE_NAMES) == {"cli.child_cmds"}


def test_history_reads_without_the_models_too(store: str) -> None:
    assert _loaded_after(_main("--store", store, "history", "C2", "--la", "825")) == {
        "eventsourcing",
        "journeys.application",
    }


def test_recording_validates_through_the_models(tmp_path: Path) -> None:
    # the write path still builds and validates with the pydantic models (so the probe sees them)
    record = _main(
        "--store", str(tmp_path / "j.db"), "record", "entered-care", "C1", "--la", "825", "--on", "2014-01-10"
    )

    assert {"pydantic", "journeys.domain.journey", "journeys.domain.payloads"} <= _loaded_after(record)


def test_the_command_table_names_every_command_of_every_command_module() -> None:
    found = {}
    for info in pkgutil.iter_modules(cli_package.__path__):
        if info.name.endswith("_cmds"):
            module = importlib.import_module(f"cli.{info.name}")
            found.update({command.name: module.__name__ for command in module.COMMANDS})
    assert found == COMMAND_MODULES


def test_version_is_the_installed_package_s() -> None:
    done = subprocess.run([sys.executable, "-c", _main("--version")], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == f"journeys, version {version('journeys')}"
