"""The key of an encrypted SQLite store (SQLCipher): given in ``JOURNEYS_STORE_KEY``, or in a
file that ``JOURNEYS_STORE_KEY_FILE`` (the command line's ``--store-key-file``) names.

A key is 32 random bytes, written as 64 hex digits (``openssl rand -hex 32``) or as base64
(as ``CIPHER_KEY`` is). It is SQLCipher's raw key: no passphrase is stretched, so opening a
connection costs microseconds, and the key must be random, not a word someone chose. This
module imports nothing heavy: the command line's help shows its names.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from collections.abc import Mapping
from pathlib import Path

from journeys.domain.errors import StoreError

STORE_KEY_ENV = "JOURNEYS_STORE_KEY"
STORE_KEY_FILE_ENV = "JOURNEYS_STORE_KEY_FILE"
KEY_BYTES = 32
MAKE_KEY = 'make one with `openssl rand -hex 32` (or `python -c "import secrets; print(secrets.token_hex(32))"`)'
GIVE_KEY = f"set {STORE_KEY_ENV} to the store's key, or pass --store-key-file FILE (or set {STORE_KEY_FILE_ENV})"

_HEX = re.compile(r"^[0-9A-Fa-f]{64}$")


def parse_key(text: str, source: str) -> str:
    """The key written in ``text`` (64 hex digits or base64 of 32 bytes) as 64 lower-case hex
    digits; ``source`` names where it came from in the refusal (never the key itself)."""
    text = text.strip()
    if _HEX.match(text):
        return text.lower()
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != KEY_BYTES:
        raise StoreError(
            f"{source} is not a store key: a key is {KEY_BYTES} random bytes, as 64 hex digits or as base64",
            MAKE_KEY,
        )
    return raw.hex()


def store_key(environ: Mapping[str, str] | None = None) -> str | None:
    """The store key the environment gives (64 hex digits), or None when it gives none.
    Refused: both a key and a key file, a key file that cannot be read, a key that is not one."""
    env = os.environ if environ is None else environ
    given = env.get(STORE_KEY_ENV, "")
    named = env.get(STORE_KEY_FILE_ENV, "")
    if given and named:
        raise StoreError(
            f"both {STORE_KEY_ENV} and a store key file ({STORE_KEY_FILE_ENV} or --store-key-file) are given",
            "give the store key one way only",
        )
    if given:
        return parse_key(given, STORE_KEY_ENV)
    if not named:
        return None
    path = Path(named)
    try:
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        raise StoreError(f"the store key file {named!r} does not exist", GIVE_KEY) from None
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else "not a text file"
        raise StoreError(f"cannot read the store key file {named!r} ({reason})", GIVE_KEY) from None
    return parse_key(text, f"the store key file {named!r}")
