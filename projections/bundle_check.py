"""A bundle checked against the store: `journeys bundle --check DIR`. Its manifest's signature
and files first (a :class:`~projections.bundles.BundleError` when they fail), then every command
run again and compared byte for byte, and the store held to the bundle's checkpoint; the first
difference is named, with the children recorded since the bundle's time."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Final

from journeys import JourneysApp
from journeys.evidence import Finding, verify_against
from projections.bundle_signature import SIGNATURE, signature_problem
from projections.bundles import (
    ALTERED,
    CHECKPOINT,
    FORMAT,
    FORMATS,
    MANIFEST,
    REPORTS,
    BundleError,
    BundleOptions,
    Run,
    hash_file,
    input_files,
)


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
    signed_by: str | None = None  # the public key of manifest.sig; None for an unsigned bundle of format /1

    @property
    def ok(self) -> bool:
        return not (self.differing or self.findings)


def _manifest(folder: Path) -> tuple[dict[str, Any], bytes]:
    if not folder.is_dir():
        raise BundleError(f"there is no bundle at {str(folder)!r}: it is not a folder")
    path = folder / MANIFEST
    if not path.is_file():
        raise BundleError(f"{str(folder)!r} is not a bundle: it holds no {MANIFEST}")
    try:
        raw = path.read_bytes()
        found = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, OSError):
        raise BundleError(f"{str(folder)!r} is not a bundle: its {MANIFEST} is not JSON", ALTERED) from None
    if not isinstance(found, dict) or found.get("format") not in FORMATS:
        raise BundleError(f"{str(folder)!r} is not a bundle: its {MANIFEST} is not of the format {FORMAT!r}", ALTERED)
    files, commands = found.get("files"), found.get("commands")
    if not isinstance(files, dict) or not isinstance(commands, list) or not isinstance(found.get("known_at"), str):
        raise BundleError(f"{str(folder)!r} is not a bundle: its {MANIFEST} lacks files, commands or known_at", ALTERED)
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
                ALTERED,
            )
    return found, raw


def _signer(folder: Path, manifest: dict[str, Any], raw: bytes, pinned: str | None) -> str | None:
    """The public key that signed ``folder``'s manifest (None for an unsigned bundle of format
    /1, which ``pinned`` refuses); a :class:`BundleError` when the signature fails."""
    path = folder / SIGNATURE
    if not path.is_file():
        if manifest["format"] == FORMAT or pinned is not None:
            raise BundleError(f"the bundle {str(folder)!r} holds no {SIGNATURE}: its manifest is not signed", ALTERED)
        return None
    checkpoint = manifest.get("checkpoint")
    key = checkpoint.get("public_key") if isinstance(checkpoint, dict) else None
    problem, public = signature_problem(path.read_bytes(), raw, key, pinned)
    if problem is not None:
        raise BundleError(f"the bundle {str(folder)!r} fails its signature: {problem}", ALTERED)
    return public


def _check_files(folder: Path, files: dict[str, Any]) -> None:
    """Every file of the manifest is there with its SHA-256, and no other file is."""
    present = {p.name for p in folder.iterdir()} - {MANIFEST, SIGNATURE}
    for name, expected in files.items():
        if not isinstance(name, str) or "/" in name or name.startswith(".") or name not in present:
            raise BundleError(f"the bundle {str(folder)!r} lacks the file {name!r} its manifest lists", ALTERED)
        found = hash_file(folder / name)
        if found != expected:
            raise BundleError(
                f"the bundle's file {name!r} does not match its manifest (SHA-256 {found[:16]}…, the manifest"
                f" says {str(expected)[:16]}…): it was changed after the bundle was made",
                ALTERED,
            )
    extra = sorted(present - set(files))
    if extra:
        raise BundleError(f"the bundle {str(folder)!r} holds {extra[0]!r}, a file its manifest does not list", ALTERED)


def check_bundle(app: JourneysApp, folder: Path, run: Run, public_key: str | None = None) -> BundleCheck:
    """``folder``'s bundle checked against ``app``'s store: its manifest signed by its
    checkpoint's key (and by ``public_key`` when given), its files as its manifest hashed them
    (else a :class:`BundleError`), each command run again and compared byte for byte, and
    the store held to the bundle's checkpoint. When a file differs, the first difference is
    named (the figure, by its explain id, when it is in one) with the children recorded since."""
    manifest, raw = _manifest(folder)
    signed_by = _signer(folder, manifest, raw, public_key)
    files: dict[str, Any] = manifest["files"]
    _check_files(folder, files)
    known_at = manifest["known_at"]
    check = BundleCheck(folder, known_at, len(files), signed_by=signed_by)
    found_inputs = manifest.get("inputs")
    inputs: dict[str, Any] = found_inputs if isinstance(found_inputs, dict) else {}
    now_inputs = input_files(BundleOptions(known_at=datetime.fromisoformat(known_at)))
    for name, expected in inputs.items():
        path = now_inputs.get(name, Path(name))
        if not path.is_file() or hash_file(path) != expected:
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
        check.findings = list(verify_against(app, [folder / CHECKPOINT], public_key=signed_by).findings)
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
