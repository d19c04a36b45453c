"""The benchmark's report: the Markdown that `python -m bench.run` writes (docs/performance.md),
the goals and figures of one run followed by the hand-written notes (bench/notes.md)."""

from __future__ import annotations

import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.run import Results

ROOT = Path(__file__).resolve().parent.parent


def commit() -> str:
    try:
        found = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return found.stdout.strip()


def report_text(res: Results, seconds: float, revision: str) -> str:
    machine = f"{platform.platform()}, {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    lines = [
        "# Performance",
        "",
        f"Measured by `python -m bench.run` (BENCH_SCALE={res.scale.name}) on "
        f"{datetime.now(tz=UTC):%Y-%m-%d %H:%M} UTC, commit `{revision}` (HEAD when the run started).",
        f"Machine: {machine}. The whole run took {seconds:.0f} s.",
        "",
        "Every goal is a ratio measured in this one run, because absolute times on shared machines are noisy.",
        "",
        "## Goals",
        "",
        "| goal | measured | target | met |",
        "|---|---|---|---|",
    ]
    for name, ratio, target, met, note, always in res.goals:
        value = "—" if ratio is None else f"{ratio:.3f}"
        verdict = {True: "yes", False: "**no**", None: "not measured"}[met]
        lines.append(
            f"| {name} | {value} | {target} | {verdict}{' — ' + note if note and (always or not met) else ''} |"
        )
    lines += ["", "## Figures", "", "| figure | value |", "|---|---|"]
    lines += [f"| {figure} | {value} |" for figure, value in res.rows]
    notes = Path(__file__).with_name("notes.md")
    if notes.exists():
        lines += ["", notes.read_text(encoding="utf-8").rstrip()]
    return "\n".join(lines) + "\n"
