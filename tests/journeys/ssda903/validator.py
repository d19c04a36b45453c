"""The reference SSDA903 validator (csc-validator-be-903) for tests, in its own virtual environment.

``validator_python()`` builds ``.venv-903`` at the repository root once (the same one ``make
validator`` builds; a stamp names the version installed) and skips the test, with the reason,
only when the package cannot be installed (no network). ``run_validator(folder, year, la)``
runs scripts/validate_903.py with it and returns its JSON report.

``make validator`` (run by ``.ci/run`` before the tests) builds it beforehand, so the tests that use
it run in CI rather than skip.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]
VENV = ROOT / ".venv-903"
PACKAGE = "csc-validator-be-903==0.1.17"
STAMP = VENV / ".installed"
RUNNER = ROOT / "scripts" / "validate_903.py"


def validator_python() -> Path:
    """The python of the validator's virtual environment, built once."""
    python = VENV / "bin" / "python"
    if STAMP.is_file() and STAMP.read_text().strip() == PACKAGE and python.is_file():
        return python
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    done = subprocess.run([str(python), "-m", "pip", "install", "--quiet", PACKAGE], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot install {PACKAGE} (no network or package index?): {done.stderr.strip()[-300:]}")
    STAMP.write_text(PACKAGE + "\n")
    return python


def run_validator(folder: Path, year: int, la: str = "E10000002", previous: Path | None = None) -> dict[str, Any]:
    """The reference validator's report on the return in ``folder`` (one collection year), read with
    the previous year's return in ``previous`` where given (for the rules that compare years)."""
    extra = ["--previous", str(previous)] if previous is not None else []
    done = subprocess.run(
        [str(validator_python()), str(RUNNER), str(folder), "--year", str(year), "--la", la, *extra],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def run_validator_years(folder: Path, la: str = "E10000002") -> dict[int, dict[str, Any]]:
    """The reference validator's report on each return in ``folder`` (a folder of year folders),
    each read with the year before it (one process for all years)."""
    done = subprocess.run(
        [str(validator_python()), str(RUNNER), str(folder), "--all-years", "--la", la],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return {int(report["year"]): report for report in json.loads(done.stdout)}
