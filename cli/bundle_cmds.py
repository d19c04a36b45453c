"""Report bundles: every report as known at a time, in a folder an auditor keeps, and that
folder checked against the store (projections.bundles holds the logic; this module runs the
report commands for it and prints what it found)."""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

import journeys
import projections
from cli.context import friendly, settings
from cli.evidence_cmds import required_key
from cli.params import DATE, KNOWN_AT, LA_CODE
from journeys import SIGNING_KEY_ENV

if TYPE_CHECKING:
    from projections import BundleCheck

DIR = click.Path(file_okay=False, path_type=Path)


@contextlib.contextmanager
def _without(name: str) -> Iterator[None]:
    """The environment without ``name`` (JOURNEYS_LA): a bundle's commands name their LAs."""
    saved = os.environ.pop(name, None)
    try:
        yield
    finally:
        if saved is not None:
            os.environ[name] = saved


def _runner(ctx: click.Context) -> Callable[[Sequence[str]], bytes]:
    """Run one `journeys` command (its argv without `journeys`) in this process, on this
    command's store, and return the bytes it printed on stdout."""
    root = ctx.find_root()
    group = root.command
    assert isinstance(group, click.Group)

    def run(argv: Sequence[str]) -> bytes:
        name, *args = argv
        command = group.get_command(root, name)
        if command is None:
            raise click.ClickException(f"the bundle names a command this engine does not have: {name!r}")
        buffer = io.BytesIO()
        out = io.TextIOWrapper(buffer, encoding="utf-8", newline="")
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()), _without("JOURNEYS_LA"):
            try:
                with command.make_context(name, list(args), parent=root) as sub:
                    command.invoke(sub)
            except click.UsageError as error:
                raise click.ClickException(
                    f"the bundle's command `journeys {' '.join(argv)}` is refused: {error.format_message()}"
                    " — make the bundle again with this engine"
                ) from None
        out.flush()
        return buffer.getvalue()

    return run


@click.command()
@click.option(
    "--known-at",
    "known_at",
    type=KNOWN_AT,
    default=None,
    metavar="TIME",
    help="The time the bundle is as known at (required with --out).",
)
@click.option("--out", type=DIR, default=None, metavar="DIR", help="The folder to write: new, or empty.")
@click.option(
    "--check", "check", type=DIR, default=None, metavar="DIR", help="Check the bundle in DIR against the store."
)
@click.option(
    "--la",
    "las",
    type=LA_CODE,
    multiple=True,
    metavar="CODE",
    help="Local authority; repeat it (default: JOURNEYS_LA, else every LA).",
)
@click.option("--period", metavar="YYYY-YY", default=None, help="The window of scorecard, stages and tracking-cohort.")
@click.option(
    "--from", "start", type=DATE, default=None, metavar="DATE", help="Window start (with --to), instead of --period."
)
@click.option("--to", "end", type=DATE, default=None, metavar="DATE", help="Window end (inclusive).")
@click.option(
    "--census",
    type=DATE,
    default=None,
    metavar="DATE",
    help="Census of cohort and tracking-cohort (default: the day of --known-at).",
)
@click.option(
    "--as-at",
    "as_at",
    type=DATE,
    default=None,
    metavar="DATE",
    help="As-at of waiting and surgery (default: the day of --known-at).",
)
@click.option("--a3-months", type=click.IntRange(1, 60), default=None, help="The scorecard's A3 month count.")
@click.option(
    "--thresholds",
    "thresholds_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A thresholds TOML file for the scorecard.",
)
@click.option(
    "--rules",
    "rules_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="Milestone rules for surgery.",
)
@click.option(
    "--key",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar=SIGNING_KEY_ENV,
    default=None,
    metavar="KEYFILE",
    help=f"The key that signs the bundle's checkpoint (env {SIGNING_KEY_ENV}).",
)
@click.option(
    "--public-key",
    metavar="HEX",
    default=None,
    help="With --check: the key the bundle must be signed by (its 64 hex digits, as keygen printed them).",
)
@click.pass_context
@friendly
def bundle(
    ctx: click.Context,
    known_at: datetime | None,
    out: Path | None,
    check: Path | None,
    las: tuple[str, ...],
    period: str | None,
    start: date | None,
    end: date | None,
    census: date | None,
    as_at: date | None,
    a3_months: int | None,
    thresholds_file: Path | None,
    rules_file: Path | None,
    key: Path | None,
    public_key: str | None,
) -> None:
    """Write every report as known at --known-at into a folder, or check such a folder.

    With --out DIR: scorecard, cohort, waiting, counts, stages, plan-changes,
    tracking-cohort and surgery, each as JSON, CSV and its explain lists (--json --explain),
    all as known at TIME; a checkpoint of the store at TIME, signed with --key (a bundle is
    not written without a key); and manifest.json: the engine version, the SHA-256 of the
    rules and thresholds files, the command that prints each file, and each file's SHA-256.

    The manifest is signed with the same key (manifest.sig), so no file of the bundle can be
    changed, with or without its manifest line, unseen.

    With --check DIR: the manifest's signature is checked (by the checkpoint's key, and by
    --public-key when given), every file is checked against the manifest, each command is run again
    on the store and compared byte for byte, and the store is checked against the bundle's
    checkpoint. Exit 0 when all is the same; else the first figure that differs (by its
    explain id) and the children recorded since TIME are named, exit 1.

    \b
    Example:
      journeys bundle --known-at 2016-10-01 --period 2012-15 --la 825 --key team-key.pem --out bundle-2016-10-01
      journeys bundle --check bundle-2016-10-01 --public-key 3b6a27bc...
    """
    making = {
        "--known-at": known_at,
        "--la": las,
        "--period": period,
        "--from": start,
        "--to": end,
        "--census": census,
        "--as-at": as_at,
        "--a3-months": a3_months,
        "--thresholds": thresholds_file,
        "--rules": rules_file,
    }
    if public_key is not None and check is None:
        raise click.UsageError("--public-key names the signer of a bundle to check: give --check DIR", ctx=ctx)
    if check is not None:
        given = [name for name, value in making.items() if value]
        if out is not None or given:
            raise click.UsageError(
                f"--check takes only the folder: {', '.join(given or ['--out'])} goes with --out", ctx=ctx
            )
        pinned = journeys.parse_public_key(public_key) if public_key is not None else None
        app = settings().app()
        _print_check(projections.check_bundle(app, check, _runner(ctx), public_key=pinned))
        return
    if out is None:
        raise click.UsageError("give --out DIR to write a bundle, or --check DIR to check one", ctx=ctx)
    if known_at is None:
        raise click.UsageError("Missing option '--known-at' (the time the bundle is as known at)", ctx=ctx)
    key = required_key(key, ctx, " for the bundle's checkpoint")
    if not las and os.environ.get("JOURNEYS_LA", "").strip():
        las = (LA_CODE.convert(os.environ["JOURNEYS_LA"], None, ctx),)
    options = projections.BundleOptions(
        known_at=known_at,
        las=tuple(dict.fromkeys(las)),
        period=period,
        start=start,
        end=end,
        census=census,
        as_at=as_at,
        a3_months=a3_months,
        thresholds=thresholds_file,
        rules=rules_file,
    )
    options.window()  # a bad window is refused before anything is read
    signing = journeys.load_signing_key(key)
    app = settings().app()
    manifest = projections.write_bundle(app, out, options, _runner(ctx), signing)
    click.echo(f"wrote {out}: {len(manifest['files'])} files as known at {manifest['known_at']}, and manifest.json")
    click.echo(f"checkpoint root {manifest['checkpoint']['root']}")
    click.echo(f"check it with: journeys bundle --check {out}")


def _print_check(result: BundleCheck) -> None:
    if result.signed_by is None:
        click.echo("the manifest is not signed: the bundle was made before bundles were signed (format 1)")
    else:
        click.echo(f"manifest signed by {result.signed_by}")
    for name in result.changed_inputs:
        click.echo(f"input changed since the bundle: {name}")
    for name in result.differing:
        click.echo(f"differs: {name}")
    first = result.first
    if first is not None:
        figure = f" figure {first.figure}," if first.figure else ""
        click.echo(
            f"first difference: {first.file},{figure} at {first.where}: {first.was!r} in the bundle, {first.now!r} now"
        )
    children = [f"{child} ({la})" for la, child in result.recorded_after]
    if result.differing:
        click.echo(f"recorded after {result.known_at}: {', '.join(children) if children else 'no child'}")
    for f in result.findings:
        click.echo(f"child {f.child} ({f.la}) event {f.seq}: {f.problem}")
    if not result.ok:
        parts = []
        if first is not None:
            what = f"figure {first.figure}" if first.figure else f"{first.file} at {first.where}"
            shown = ", ".join(children[:5]) + (f" and {len(children) - 5} more" if len(children) > 5 else "")
            parts.append(
                f"{len(result.differing)} of its files differ from the store's, the first at {what}"
                f" (children recorded after {result.known_at}: {shown or 'none'})"
            )
        if result.findings:
            parts.append(f"the store fails the bundle's checkpoint in {len(result.findings)} event(s)")
        raise click.ClickException(
            f"the bundle {str(result.folder)!r} is not what the store gives now: {'; '.join(parts)}"
            " — each difference is listed above; see `journeys history CHILD` for the children named"
        )
    click.echo(
        f"bundle {result.folder}: each of its {result.files} files is as the store gives it as known at"
        f" {result.known_at}, byte for byte, and the store holds its checkpoint"
    )


COMMANDS = [bundle]
