"""Tamper evidence: verify (the store's own hash chains, and the store against checkpoints),
checkpoint (signed heads of every journey, to keep away from the store) and its keygen."""

from __future__ import annotations

import sys
from datetime import datetime
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

import click
from click.core import ParameterSource

import journeys
from cli.context import friendly, settings
from cli.output import echo_json
from cli.params import KNOWN_AT, OUTPUT_FILE
from cli.progress import events_bar
from journeys import SIGNING_KEY_ENV

if TYPE_CHECKING:
    from journeys import AgainstReport, VerifyReport

CHECKPOINT_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
KEY_FILE = click.Path(dir_okay=False, path_type=Path)


@click.command()
@click.option(
    "--against",
    multiple=True,
    type=CHECKPOINT_FILE,
    metavar="FILE",
    help="A checkpoint the store must still hold. Repeat it, oldest first, to check that each extends the one before.",
)
@click.option(
    "--public-key",
    metavar="HEX",
    default=None,
    help="The key the checkpoints must be signed by (its 64 hex digits, as keygen printed them).",
)
@click.option(
    "--key",
    type=KEY_FILE,
    envvar=SIGNING_KEY_ENV,
    metavar="KEYFILE",
    default=None,
    help=f"Or the signing key itself: the checkpoints must carry its public key (env {SIGNING_KEY_ENV}).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_context
@friendly
def verify(
    ctx: click.Context, against: tuple[Path, ...], public_key: str | None, key: Path | None, as_json: bool
) -> None:
    """Re-check every stream's hash chain, and the access and returns logs'; exit 1 naming each altered event.

    With --against FILE, also check that the store still holds every journey of the
    checkpoint FILE (made by `journeys checkpoint`) at or beyond its checkpointed head, with
    the same hash there: this finds what a chain alone cannot, a journey removed, its last
    events deleted, or events removed, inserted or reordered and the chain recomputed. Each
    failing child and event is listed, then one `Error:` line; exit 1. Two or more --against,
    oldest first, also check that each later checkpoint extends the one before. A checkpoint
    that was altered, is signed by another key than --public-key or --key names, or is of
    another store is refused with one `Error:` line.

    \b
    Example:
      journeys verify
      journeys verify --against march.checkpoint.json --public-key 3b6a27bc...
      journeys verify --against march.checkpoint.json --against april.checkpoint.json --json
    """
    key_given = key is not None and ctx.get_parameter_source("key") != ParameterSource.ENVIRONMENT
    if public_key is not None and key_given:
        raise click.UsageError("give --public-key or --key, not both", ctx=ctx)
    if not against:
        if public_key is not None or key_given:
            raise click.UsageError(
                "--public-key and --key name the signer of a checkpoint: give --against FILE", ctx=ctx
            )
        _verify_chains(as_json)
        return
    expected = None
    if public_key is not None:
        expected = journeys.parse_public_key(public_key)
    elif key is not None:
        expected = journeys.public_hex(journeys.load_signing_key(key))
    app = settings().app()
    with events_bar("verifying", app.head()) as progress:
        report = journeys.verify_against(app, against, public_key=expected, progress=progress)
    _print_against(report, as_json, pinned=expected is not None)


def _verify_chains(as_json: bool) -> None:
    app = settings().app()
    with events_bar("verifying", app.head()) as progress:
        report = app.verify(progress)
    problems = [{"la": t.la, "child": t.child, "seq": t.seq, "problem": t.problem} for t in report.tampered]
    looks = journeys.check_access_log(app)
    broken = [{"la": p.la, "seq": p.seq, "problem": p.problem} for p in looks.problems]
    returned = journeys.check_returns_log(app)
    misreturned = [{"la": p.la, "seq": p.seq, "problem": p.problem} for p in returned.problems]
    if as_json:
        echo_json(
            {
                "streams": report.streams,
                "events": report.events,
                "ok": not problems and not broken and not misreturned,
                "problems": problems,
                "access_log": {"records": looks.records, "ok": looks.ok, "problems": broken},
                "returns_log": {"records": returned.records, "ok": returned.ok, "problems": misreturned},
                "sealing_format": app.sealing_format,
            }
        )
    else:
        for p in problems:
            click.echo(f"child {p['child']} ({p['la']}) event {p['seq']}: {p['problem']}")
        click.echo(f"verified {report.events} events in {report.streams} journeys: {_verdict(report)}")
        if app.sealing_format == 2:
            click.echo("sealing format 2 (erasable: each child's values under its own key, hashes over the tokens)")
        for p in broken:
            click.echo(f"access log of {p['la']} record {p['seq']}: {p['problem']}")
        if looks.records:
            verdict = "all hashes match" if looks.ok else f"{len(broken)} problem(s)"
            click.echo(f"verified {looks.records} access records: {verdict}")
        for p in misreturned:
            click.echo(f"returns log of {p['la']} record {p['seq']}: {p['problem']}")
        if returned.records:
            verdict = "all hashes match" if returned.ok else f"{len(misreturned)} problem(s)"
            click.echo(f"verified {returned.records} returns: {verdict}")
    if problems or broken or misreturned:
        sys.exit(1)


def _verdict(report: VerifyReport) -> str:
    return "all hashes match" if not report.tampered else f"{len(report.tampered)} event(s) do not match"


def _print_against(report: AgainstReport, as_json: bool, *, pinned: bool) -> None:
    verified = report.verified
    if as_json:
        echo_json(
            {
                "streams": verified.streams,
                "events": verified.events,
                "ok": report.ok,
                "problems": [
                    {
                        "la": f.la,
                        "child": f.child,
                        "seq": f.seq,
                        "problem": f.problem,
                        "checkpoint": f.checkpoint,
                        "extends": f.extends,
                    }
                    for f in report.findings
                ],
                "checkpoints": [
                    {"file": c.name, **c.checkpoint.header(), "ok": not c.findings} for c in report.checked
                ],
            }
        )
    else:
        for f in report.findings:
            click.echo(f"child {f.child} ({f.la}) event {f.seq}: {f.problem}")
    if not report.ok:
        children = list(dict.fromkeys(f"{f.child} ({f.la})" for f in report.findings))
        shown = ", ".join(children[:5]) + (f" and {len(children) - 5} more" if len(children) > 5 else "")
        raise click.ClickException(
            f"the store fails its checks: {len(report.findings)} problem(s) in {len(children)} journey(s): {shown}"
            " — each is listed with its event; restore those journeys from a copy made before the checkpoint,"
            " and find out who changed the store"
        )
    if as_json:
        return
    click.echo(f"verified {verified.events} events in {verified.streams} journeys: {_verdict(verified)}")
    for c in report.checked:
        cp = c.checkpoint
        click.echo(
            f"{c.name}: every one of its {cp.streams} journeys ({cp.events} events) is in the store at or beyond"
            f" its head (checkpoint made {cp.created_at}, root {cp.root[:16]}…)"
        )
    for old, new in pairwise(report.checked):
        click.echo(f"{new.name} extends {old.name}: every journey of {old.name} is in it at or beyond its version")
    signer = report.checked[0].checkpoint.public_key
    how = "the key expected" if pinned else "the key it carries: --public-key holds it to the key you expect"
    click.echo(f"signed by {signer}, {how}")


@click.group(invoke_without_command=True, subcommand_metavar="[keygen --out KEYFILE]")
@click.option(
    "--out",
    type=OUTPUT_FILE,
    default=None,
    metavar="FILE",
    help="The checkpoint file to write: a new file (one is never overwritten).",
)
@click.option(
    "--key",
    type=KEY_FILE,
    envvar=SIGNING_KEY_ENV,
    default=None,
    metavar="KEYFILE",
    help=f"The signing key file, made by `journeys checkpoint keygen` (env {SIGNING_KEY_ENV}).",
)
@click.option(
    "--known-at",
    "known_at",
    type=KNOWN_AT,
    default=None,
    metavar="TIME",
    help="Pin each journey as known at TIME: its events recorded at or before TIME (default: every stored event).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the checkpoint's signed header as JSON.")
@click.pass_context
@friendly
def checkpoint(
    ctx: click.Context, out: Path | None, key: Path | None, known_at: datetime | None, as_json: bool
) -> None:
    """Sign a checkpoint of the store: every journey's head, to keep away from the store.

    The store's hash chains are verified first (a store that does not verify is refused),
    then FILE is written: the time, the engine version, the number of journeys and events,
    each journey's local authority, child, version and latest hash, and their Merkle root,
    signed with the Ed25519 key (docs/evidence.md). Keep FILE, or the root and the public
    key it prints, where the store's users cannot change them; `journeys verify --against
    FILE` then finds any event removed, altered or reordered since.

    \b
    Example:
      journeys checkpoint keygen --out ~/keys/journeys.pem
      journeys checkpoint --out march.checkpoint.json --key ~/keys/journeys.pem
      JOURNEYS_SIGNING_KEY=~/keys/journeys.pem journeys checkpoint --out april.checkpoint.json
    """
    if ctx.invoked_subcommand is not None:
        given = [f"--{name.replace('_', '-')}" for name, value in (("out", out), ("known_at", known_at)) if value]
        if given or as_json:
            raise click.UsageError(
                f"{', '.join(given or ['--json'])} goes with `journeys checkpoint`, not with its "
                f"{ctx.invoked_subcommand}: give {ctx.invoked_subcommand}'s own options after it",
                ctx=ctx,
            )
        return
    if out is None:
        raise click.UsageError("Missing option '--out'", ctx=ctx)
    key = required_key(key, ctx)
    signing = journeys.load_signing_key(key)
    app = settings().app()
    with events_bar("checkpointing", app.head()) as progress:
        made = journeys.save_checkpoint(app, signing, out, known_at=known_at, progress=progress)
    if as_json:
        echo_json({"file": str(out), **made.header(), "signature": made.signature})
        return
    pinned = f"as known at {made.known_at}" if made.known_at else f"as stored at {made.created_at}"
    click.echo(f"wrote {out}: {made.streams} journeys, {made.events} events, {pinned}")
    click.echo(f"root        {made.root}")
    click.echo(f"public key  {made.public_key}")


@checkpoint.command()
@click.option(
    "--out",
    type=OUTPUT_FILE,
    required=True,
    metavar="KEYFILE",
    help="The key file to write: a new file, readable by you only (one is never overwritten).",
)
@friendly
def keygen(out: Path) -> None:
    """Make an Ed25519 signing key for checkpoints and print its public key.

    KEYFILE is a PEM file (PKCS #8) readable by you only. Keep it away from the store and its
    backups: whoever holds it can sign checkpoints. Give the public key it prints to whoever
    checks them (`journeys verify --against FILE --public-key HEX`).

    \b
    Example:
      journeys checkpoint keygen --out ~/keys/journeys.pem
    """
    public = journeys.generate_key(out)
    click.echo(public)
    click.echo(f"wrote the signing key {out} (readable by you only); its public key is printed above", err=True)


def required_key(key: Path | None, ctx: click.Context, signs: str = "") -> Path:
    """The signing key file, or a usage error saying how to give one (``signs``: what it signs)."""
    if key is None:
        raise click.UsageError(
            f"no signing key{signs}: pass --key KEYFILE or set {SIGNING_KEY_ENV} "
            "(make one with `journeys checkpoint keygen --out KEYFILE`)",
            ctx=ctx,
        )
    return key


COMMANDS = [verify, checkpoint]
