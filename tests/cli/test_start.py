"""A quick start: the command line imports what the command it runs needs, and no more.

Each check runs in a fresh interpreter and reads ``sys.modules``, so it holds the property
itself (which modules a start loads), not a timing.
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

# What a start must not pay for: the models, the event-sourcing library, the read side's store
# and reports, the 903 importer, the generator, the bulk load.
HEAVY = (
    "pydantic",
    "eventsourcing",
    "journeys.application",
    "journeys.ssda903",
    "journeys.synthetic",
    "journeys.loading.batch",
    "projections.views",
    "projections.reports",
    "projections.metrics",
    "cryptography",
)


def _loaded_after(code: str, *, cwd: Path | None = None) -> set[str]:
    """The modules of HEAVY that a fresh interpreter has imported after running ``code``."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=cwd)
    modules = set(json.loads(done.stdout.splitlines()[-1]))
    return {name for name in HEAVY if name in modules}


def _main(*args: str) -> str:
    """Code that runs ``journeys ARGS`` in this interpreter, as the console script does."""
    return (
        "import sys\nfrom cli.main import main\n"
        f"sys.argv = ['journeys', *{list(args)!r}]\n"
        "try:\n    main()\nexcept SystemExit as done:\n    assert not done.code, done.code\n"
        "sys.stdout.flush()\nprint()\n"
    )


def test_importing_the_command_line_imports_no_model_no_library_and_no_report() -> None:
    assert _loaded_after("import cli.main") == set()


@pytest.mark.parametrize("option", ["--help", "--version"])
def test_help_and_version_import_nothing_heavy(option: str) -> None:
    assert _loaded_after(_main(option)) == set()


def test_a_command_s_help_imports_nothing_heavy() -> None:
    for command in (["load", "--help"], ["import-903", "--help"], ["scorecard", "--help"], ["generate", "--help"]):
        assert _loaded_after(_main(*command)) == set(), command


def test_show_imports_the_application_and_not_the_read_side_the_importer_or_the_load(tmp_path: Path) -> None:
    store = str(tmp_path / "journeys.db")
    record = ["--store", store, "record", "entered-care", "C1", "--la", "825", "--on", "2014-01-10"]
    subprocess.run([sys.executable, "-c", _main(*record)], capture_output=True, text=True, check=True)

    loaded = _loaded_after(_main("--store", store, "show", "C1", "--la", "825"))

    assert loaded == {"pydantic", "eventsourcing", "journeys.application"}


def test_version_is_the_installed_package_s() -> None:
    done = subprocess.run([sys.executable, "-c", _main("--version")], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == f"journeys, version {version('journeys')}"
