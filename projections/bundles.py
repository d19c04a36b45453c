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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from journeys import JourneyError, JourneysApp
from journeys.domain.milestones import RULES_DIR
from journeys.evidence import Finding, engine_version, save_checkpoint, verify_against
from projections.metrics.periods import financial_year_start, window
from projections.metrics.thresholds import DEFAULT_FILE as DEFAULT_THRESHOLDS

FORMAT: Final = "journeys-bundle/1"
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
_ALTERED: Final = "use the bundle as `journeys bundle` wrote it (a copy kept away from the store), or make a new one"


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


def _hash_file(path: Path) -> str:
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
    inputs = {name: _hash_file(path) for name, path in input_files(options).items()}
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent))
    try:
        files: dict[str, str] = {}
        for command in commands:
            data = run(command.argv[1:])
            (work / command.file).write_bytes(data)
            files[command.file] = sha256_of(data)
        made = save_checkpoint(app, key, work / CHECKPOINT, known_at=options.known_at)
        files[CHECKPOINT] = _hash_file(work / CHECKPOINT)
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
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        if out.is_dir():
            out.rmdir()  # an empty folder, checked above
        work.rename(out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return manifest


# -- checking ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    """Where a re-run first differs from the bundle: the file, the figure (its id) when the
    difference is in one, and the JSON path (or CSV line) with the two values."""

    file: str
    where: str
    was: Any
    now: Any
    figure: str | None = None


@dataclass
class BundleCheck:
    """A bundle checked against the store."""

    folder: Path
    known_at: str
    files: int
    differing: list[str] = field(default_factory=list)
    first: Difference | None = None
    changed_inputs: list[str] = field(default_factory=list)
    recorded_after: list[tuple[str, str]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.differing or self.findings)


def _manifest(folder: Path) -> dict[str, Any]:
    if not folder.is_dir():
        raise BundleError(f"there is no bundle at {str(folder)!r}: it is not a folder")
    path = folder / MANIFEST
    if not path.is_file():
        raise BundleError(f"{str(folder)!r} is not a bundle: it holds no {MANIFEST}")
    try:
        found = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, OSError):
        raise BundleError(f"{str(folder)!r} is not a bundle: its {MANIFEST} is not JSON", _ALTERED) from None
    if not isinstance(found, dict) or found.get("format") != FORMAT:
        raise BundleError(f"{str(folder)!r} is not a bundle: its {MANIFEST} is not of the format {FORMAT!r}", _ALTERED)
    files, commands = found.get("files"), found.get("commands")
    if not isinstance(files, dict) or not isinstance(commands, list) or not isinstance(found.get("known_at"), str):
        raise BundleError(
            f"{str(folder)!r} is not a bundle: its {MANIFEST} lacks files, commands or known_at", _ALTERED
        )
    for command in commands:
        argv = command.get("argv") if isinstance(command, dict) else None
        if (
            not isinstance(argv, list)
            or len(argv) < 2
            or argv[:1] != ["journeys"]
            or argv[1] not in REPORTS
            or not all(isinstance(word, str) for word in argv)
            or command.get("file") not in files
        ):
            raise BundleError(
                f"{str(folder)!r} is not a bundle: its {MANIFEST} holds a command that is not a report's: {command!r}",
                _ALTERED,
            )
    return found


def _check_files(folder: Path, files: dict[str, Any]) -> None:
    """Every file of the manifest is there with its SHA-256, and no other file is."""
    present = {p.name for p in folder.iterdir()} - {MANIFEST}
    for name, expected in files.items():
        if not isinstance(name, str) or "/" in name or name.startswith(".") or name not in present:
            raise BundleError(f"the bundle {str(folder)!r} lacks the file {name!r} its manifest lists", _ALTERED)
        found = _hash_file(folder / name)
        if found != expected:
            raise BundleError(
                f"the bundle's file {name!r} does not match its manifest (SHA-256 {found[:16]}…, the manifest"
                f" says {str(expected)[:16]}…): it was changed after the bundle was made",
                _ALTERED,
            )
    extra = sorted(present - set(files))
    if extra:
        raise BundleError(f"the bundle {str(folder)!r} holds {extra[0]!r}, a file its manifest does not list", _ALTERED)


def check_bundle(app: JourneysApp, folder: Path, run: Run) -> BundleCheck:
    """``folder``'s bundle checked against ``app``'s store: its files as its manifest hashed
    them (else a :class:`BundleError`), each command run again and compared byte for byte, and
    the store held to the bundle's checkpoint. When a file differs, the first difference is
    named (the figure, by its explain id, when it is in one) with the children recorded since."""
    manifest = _manifest(folder)
    files: dict[str, Any] = manifest["files"]
    _check_files(folder, files)
    known_at = manifest["known_at"]
    check = BundleCheck(folder, known_at, len(files))
    found_inputs = manifest.get("inputs")
    inputs: dict[str, Any] = found_inputs if isinstance(found_inputs, dict) else {}
    now_inputs = input_files(BundleOptions(known_at=datetime.fromisoformat(known_at)))
    for name, expected in inputs.items():
        path = now_inputs.get(name, Path(name))
        if not path.is_file() or _hash_file(path) != expected:
            check.changed_inputs.append(name)
    reruns: dict[str, bytes] = {}
    for command in manifest["commands"]:
        name = command["file"]
        reruns[name] = run(command["argv"][1:])
        if reruns[name] != (folder / name).read_bytes():
            check.differing.append(name)
    if check.differing:
        check.first = _first_difference(folder, check.differing, reruns)
        check.recorded_after = changed_since(app, datetime.fromisoformat(known_at))
    if CHECKPOINT in files:
        check.findings = list(verify_against(app, [folder / CHECKPOINT]).findings)
    return check


def changed_since(app: JourneysApp, known_at: datetime) -> list[tuple[str, str]]:
    """Each (la, child) with an event recorded after ``known_at``."""
    return [(la, child) for la, child, entries in app.streams() if any(e.recorded_at > known_at for e in entries)]


def _first_difference(folder: Path, differing: list[str], reruns: dict[str, bytes]) -> Difference:
    """The first difference of the first differing file (a report's explain lists come before
    its JSON and CSV, so a figure that changed is named by its id)."""
    name = differing[0]
    was, now = (folder / name).read_bytes(), reruns[name]
    if name.endswith(".json"):
        try:
            old, new = json.loads(was), json.loads(now)
        except json.JSONDecodeError:
            pass
        else:
            figure = _first_figure(old, new)
            path, before, after = _first_path(old, new) or ("", None, None)
            return Difference(name, path, before, after, figure)
    old_lines, new_lines = was.decode("utf-8", "replace").splitlines(), now.decode("utf-8", "replace").splitlines()
    for number, (before, after) in enumerate(zip(old_lines, new_lines, strict=False), start=1):
        if before != after:
            return Difference(name, f"line {number}", before, after)
    number = min(len(old_lines), len(new_lines)) + 1
    return Difference(name, f"line {number}", _at(old_lines, number), _at(new_lines, number))


def _at(lines: list[str], number: int) -> str | None:
    return lines[number - 1] if number <= len(lines) else None


def _figures(data: Any) -> Iterator[dict[str, Any]]:
    """Every explained figure in a report's JSON (under its "explain" keys), in file order."""
    if isinstance(data, dict):
        explained = data.get("explain")
        if isinstance(explained, dict):
            yield from (f for f in explained.values() if isinstance(f, dict) and "id" in f)
        for key, value in data.items():
            if key != "explain":
                yield from _figures(value)
    elif isinstance(data, list):
        for value in data:
            yield from _figures(value)


def _first_figure(old: Any, new: Any) -> str | None:
    now = {f["id"]: f for f in _figures(new)}
    for figure in _figures(old):
        if now.get(figure["id"]) != figure:
            return str(figure["id"])
    return None


def _first_path(old: Any, new: Any, path: str = "") -> tuple[str, Any, Any] | None:
    """The first JSON path (keys joined by dots, list items by [i]) where ``old`` and ``new`` differ."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*old, *(k for k in new if k not in old)]:
            if old.get(key, _MISSING) != new.get(key, _MISSING):
                return _first_path(old.get(key), new.get(key), f"{path}.{key}" if path else str(key))
        return None
    if isinstance(old, list) and isinstance(new, list):
        for index in range(max(len(old), len(new))):
            before = old[index] if index < len(old) else None
            after = new[index] if index < len(new) else None
            if index >= len(old) or index >= len(new) or before != after:
                return _first_path(before, after, f"{path}[{index}]")
        return None
    return (path, old, new) if old != new else None


_MISSING: Final = object()
