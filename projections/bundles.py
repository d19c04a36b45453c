"""Report bundles: every report as known at a time, with its explain lists, a checkpoint of
the store at that time, the rules and thresholds files' hashes and the commands that re-create
each file, under a manifest of every file's SHA-256; and a bundle checked against the store.

The files are what the report commands print: the bundle is given ``run``, which runs one
command (an argv list without the leading ``journeys``) and returns the bytes it printed, so a
bundle holds no second implementation of a report. docs/evidence.md describes the folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from journeys import JourneyError, JourneysApp
from journeys.domain.milestones import RULES_DIR
from journeys.evidence import engine_version, save_checkpoint
from projections.bundle_signature import SIGNATURE, signature_of
from projections.metrics.periods import financial_year_start, window
from projections.metrics.thresholds import DEFAULT_FILE as DEFAULT_THRESHOLDS

FORMAT: Final = "journeys-bundle/2"
# Bundles of format /1 (before manifests were signed) are still checked, and said to be unsigned.
FORMATS: Final = frozenset({"journeys-bundle/1", FORMAT})
MANIFEST: Final = "manifest.json"
CHECKPOINT: Final = "checkpoint.json"
# The reports a bundle holds, in its order; the last three take one --la (one file per LA).
REPORTS: Final = (
    "scorecard",
    "cohort",
    "waiting",
    "counts",
    "stages",
    "plan-changes",
    "tracking-cohort",
    "surgery",
)
ONE_LA: Final = frozenset({"plan-changes", "tracking-cohort", "surgery"})
# Each report's files: the explain lists first (they name the figure that differs), then JSON, CSV.
OUTPUTS: Final = (("explain.json", ("--json", "--explain")), ("json", ("--json",)), ("csv", ("--csv",)))

Run = Callable[[Sequence[str]], bytes]
ALTERED: Final = "use the bundle as `journeys bundle` wrote it (a copy kept away from the store), or make a new one"


class BundleError(JourneyError):
    """A bundle that cannot be written, or a folder that is not a bundle as it was written."""

    remedy = "give the folder `journeys bundle --out` wrote"


@dataclass(frozen=True)
class BundleOptions:
    """What a bundle's reports are run with. ``known_at`` is required; the rest default from it:
    ``as_at`` and ``census`` to its day (UTC), the window to the three financial years that end
    before the one holding that day."""

    known_at: datetime
    las: tuple[str, ...] = ()
    period: str | None = None
    start: date | None = None
    end: date | None = None
    census: date | None = None
    as_at: date | None = None
    a3_months: int | None = None
    thresholds: Path | None = None
    rules: Path | None = None

    @property
    def day(self) -> date:
        return self.as_at or self.known_at.astimezone(UTC).date()

    def window(self) -> tuple[date, date]:
        if self.period is None and self.start is None and self.end is None:
            last = financial_year_start(self.day)  # the last financial year ended before the day
            return date(last - 3, 4, 1), date(last, 3, 31)
        return window(self.period, self.start, self.end)


@dataclass(frozen=True)
class Command:
    """One file of a bundle and the command that prints it (``argv[0]`` is ``journeys``)."""

    file: str
    argv: tuple[str, ...]

    @property
    def report(self) -> str:
        return self.argv[1]


def bundle_commands(options: BundleOptions) -> list[Command]:
    """Every file of a bundle made with ``options`` and the command that prints it."""
    known = ["--known-at", options.known_at.isoformat()]
    first, last = options.window()
    span = ["--period", options.period] if options.period else ["--from", str(first), "--to", str(last)]
    given_span = ["--from", str(options.start), "--to", str(options.end)] if options.start and options.end else []
    census = str(options.census or options.day)
    las = [word for la in options.las for word in ("--la", la)]
    a3 = ["--a3-months", str(options.a3_months)] if options.a3_months else []
    thresholds = ["--thresholds", str(options.thresholds.resolve())] if options.thresholds else []
    rules = ["--rules", str(options.rules.resolve())] if options.rules else []
    many: dict[str, list[str]] = {
        "scorecard": [*span, *a3, *thresholds, *las],
        "cohort": ["--census", census, *given_span, *las],
        "waiting": ["--as-at", str(options.day), *las],
        "counts": ["--by", "quarter", *las],
        "stages": [*span, *las],
    }
    one: dict[str, list[str]] = {
        "plan-changes": given_span,
        "tracking-cohort": ["--from", str(first), "--to", str(last), "--census", census],
        "surgery": ["--as-at", str(options.day), *rules],
    }
    commands = []
    for report in REPORTS:
        scopes: list[tuple[str | None, list[str]]] = (
            [(la, ["--la", la]) for la in options.las] if report in ONE_LA and options.las else [(None, [])]
        )
        for la, scope in scopes:
            args = [*(many[report] if report in many else one[report]), *scope, *known]
            stem = f"{report}.{la}" if la else report
            for suffix, flags in OUTPUTS:
                commands.append(Command(f"{stem}.{suffix}", ("journeys", report, *args, *flags)))
    return commands


def input_files(options: BundleOptions) -> dict[str, Path]:
    """The rules and thresholds files the reports read, by the name a manifest gives them."""
    found = {f"journeys/rules/{path.name}": path for path in sorted(RULES_DIR.glob("*.toml"))}
    found["projections/metrics/thresholds.toml"] = DEFAULT_THRESHOLDS
    for given in (options.thresholds, options.rules):
        if given is not None:
            found[str(given.resolve())] = given
    return found


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def hash_file(path: Path) -> str:
    try:
        return sha256_of(path.read_bytes())
    except OSError as error:
        raise BundleError(f"cannot read {str(path)!r}: {error.strerror}", "check the file named") from None


def _refuse_out(out: Path) -> None:
    if not out.parent.is_dir():
        raise BundleError(f"the folder {str(out.parent)!r} does not exist", "create it first")
    if os.path.lexists(out) and not (out.is_dir() and not out.is_symlink() and not any(out.iterdir())):
        raise BundleError(
            f"{str(out)!r} already exists: a bundle is written into a new (or empty) folder",
            "choose another folder name (one per bundle, e.g. with its time in it)",
        )


def write_bundle(
    app: JourneysApp, out: Path, options: BundleOptions, run: Run, key: Ed25519PrivateKey
) -> dict[str, Any]:
    """Write the bundle of ``options`` to the new folder ``out`` and return its manifest. The
    files are written into a folder beside ``out``, renamed to it at the end: a bundle refused
    or failed leaves nothing."""
    _refuse_out(out)
    commands = bundle_commands(options)
    inputs = {name: hash_file(path) for name, path in input_files(options).items()}
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent))
    try:
        files: dict[str, str] = {}
        for command in commands:
            data = run(command.argv[1:])
            (work / command.file).write_bytes(data)
            files[command.file] = sha256_of(data)
        made = save_checkpoint(app, key, work / CHECKPOINT, known_at=options.known_at)
        files[CHECKPOINT] = hash_file(work / CHECKPOINT)
        manifest = {
            "format": FORMAT,
            "known_at": options.known_at.isoformat(),
            "as_at": str(options.day),
            "engine_version": engine_version(),
            "inputs": inputs,
            "commands": [{"file": c.file, "argv": list(c.argv)} for c in commands],
            "checkpoint": {
                "file": CHECKPOINT,
                "argv": ["journeys", "checkpoint", "--known-at", options.known_at.isoformat(), "--out", CHECKPOINT],
                "root": made.root,
                "public_key": made.public_key,
            },
            "files": files,
        }
        written = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        (work / MANIFEST).write_bytes(written)
        (work / SIGNATURE).write_bytes(signature_of(key, written))
        if out.is_dir():
            out.rmdir()  # an empty folder, checked above
        work.rename(out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return manifest
