"""`journeys store encrypt|decrypt`: a SQLite store converted between plain and encrypted
(SQLCipher), its events and its read models, nothing lost."""

from __future__ import annotations

import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cli.context import friendly, settings
from cli.output import echo_json
from cli.progress import progress_bar
from journeys import MAKE_KEY, STORE_KEY_ENV, StoreError, store_key

if TYPE_CHECKING:
    from journeys import Conversion

KEY_HELP = f"""The key is the encrypted store's: {STORE_KEY_ENV} (64 hex digits, or base64 of 32 bytes), or
the file that `journeys --store-key-file FILE` (or JOURNEYS_STORE_KEY_FILE) names."""

out_option = click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="Write the converted store to FILE, a new file (the store is left as it was).",
)
in_place_option = click.option(
    "--in-place",
    is_flag=True,
    help="Replace the store with the converted one (written beside it, checked, then renamed over it).",
)
json_flag = click.option("--json", "as_json", is_flag=True, help="Print what was done as JSON.")
quiet_flag = click.option("--quiet", is_flag=True, help="No progress bar.")


@click.group(name="store")
def store() -> None:
    """Convert a SQLite store between plain and encrypted whole (SQLCipher).

    An encrypted store is one file: the events, the actions and the read models, every page
    encrypted, and so its -wal and -shm. Every command opens it with the store key:
    JOURNEYS_STORE_KEY, or `--store-key-file FILE` (env JOURNEYS_STORE_KEY_FILE).

    \b
    Example:
      export JOURNEYS_STORE_KEY=$(openssl rand -hex 32)   # keep it in your secret store
      journeys --store plain.db store encrypt --out secret.db
      journeys --store secret.db verify
    """


def _where(out: Path | None, in_place: bool) -> str | None:
    if (out is None) == (not in_place):
        raise click.UsageError("give one of --out FILE (a new store) or --in-place")
    return None if out is None else str(out)


def _key() -> str:
    key = store_key()
    if key is None:
        raise StoreError(
            f"no store key: set {STORE_KEY_ENV} or pass --store-key-file FILE (before the command)", MAKE_KEY
        )
    return key


def _report(done: Conversion, as_json: bool, verb: str) -> None:
    if as_json:
        echo_json(asdict(done))
        return
    kind = "an encrypted" if done.encrypted else "a plain"
    click.echo(
        f"{verb} {done.store} into {kind} store {done.written}: {done.events} events, "
        f"{len(done.tables)} tables, every row checked against the original"
    )
    if done.read_models:
        click.echo(f"the read models are in {done.read_models}")
    if done.left_as_they_were:
        click.echo(
            f"left as they were: {', '.join(done.left_as_they_were)} — remove them once you have checked the new store",
        )


@store.command()
@out_option
@in_place_option
@json_flag
@quiet_flag
@friendly
def encrypt(out: Path | None, in_place: bool, as_json: bool, quiet: bool) -> None:
    """Encrypt a plain SQLite store (--store) and its read models into one encrypted file.

    Refused, and nothing made, if the store is not a plain SQLite store, if --out is taken,
    or (--in-place) while another process has the store open. With --in-place the plain
    read-model file (NAME.views.db) is removed once the encrypted store is in place.

    \b
    Example:
      JOURNEYS_STORE_KEY=$(cat secret.key) journeys --store plain.db store encrypt --out secret.db
      journeys --store journeys.db --store-key-file secret.key store encrypt --in-place
    """
    from journeys import encrypt_store

    target = _where(out, in_place)
    key = _key()
    with progress_bar("encrypting", not (quiet or as_json) and sys.stderr.isatty()) as progress:
        done = encrypt_store(settings().store, key, target, progress)
    _report(done, as_json, "encrypted")


encrypt.help = f"{encrypt.help}\n\n{KEY_HELP}"


@store.command()
@out_option
@in_place_option
@json_flag
@quiet_flag
@friendly
def decrypt(out: Path | None, in_place: bool, as_json: bool, quiet: bool) -> None:
    """Decrypt an encrypted SQLite store (--store) into a plain store and its read-model file.

    The plain store is FILE and its read models FILE's NAME.views.db (with --in-place, the
    store's). Refused, and nothing made, if the key does not open the store, if a file is
    in the way, or (--in-place) while another process has the store open.

    \b
    Example:
      journeys --store secret.db --store-key-file secret.key store decrypt --out plain.db
      JOURNEYS_STORE_KEY=$(cat secret.key) journeys --store secret.db store decrypt --in-place
    """
    from journeys import decrypt_store

    target = _where(out, in_place)
    key = _key()
    with progress_bar("decrypting", not (quiet or as_json) and sys.stderr.isatty()) as progress:
        done = decrypt_store(settings().store, key, target, progress)
    _report(done, as_json, "decrypted")


decrypt.help = f"{decrypt.help}\n\n{KEY_HELP}"

COMMANDS = [store]
