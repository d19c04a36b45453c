"""Ed25519 signing keys for checkpoints: made, read and used (the ``cryptography`` package).

A signing key is a PEM file (PKCS #8, unencrypted, as ``openssl genpkey -algorithm ed25519``
writes one), created readable by its owner only. A public key is written as its 32 raw bytes
in 64 lower-case hex digits, which is how a checkpoint carries it.
"""

from __future__ import annotations

from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from journeys.domain.errors import CheckpointError
from journeys.evidence.files import SIGNING_KEY, write_new

_KEY_REMEDY = "give the file `journeys checkpoint keygen` wrote (--key KEYFILE, or JOURNEYS_SIGNING_KEY)"


def generate_key(path: Path) -> str:
    """A new signing key written to ``path`` (created 0600; an existing file is never
    replaced); its public key, in hex."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    write_new(path, pem, SIGNING_KEY)
    return public_hex(key)


def load_signing_key(path: Path) -> Ed25519PrivateKey:
    """The signing key in the PEM file ``path``; a :class:`CheckpointError` if it cannot be
    read or is not an Ed25519 private key."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CheckpointError(f"cannot read the signing key {str(path)!r}: {error.strerror}", _KEY_REMEDY) from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        raise CheckpointError(f"{str(path)!r} is not a signing key (an unencrypted PEM key)", _KEY_REMEDY) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise CheckpointError(f"{str(path)!r} is not an Ed25519 key", _KEY_REMEDY)
    return key


def public_hex(key: Ed25519PrivateKey) -> str:
    """The public key of ``key``, as a checkpoint carries it (64 hex digits)."""
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def parse_public_key(text: str) -> str:
    """A public key written in hex (spaces and case ignored), normalised; a
    :class:`CheckpointError` when it is not 32 bytes."""
    digits = "".join(text.split()).lower()
    try:
        raw = bytes.fromhex(digits)
        Ed25519PublicKey.from_public_bytes(raw)
    except ValueError:
        raise CheckpointError(
            f"{text!r} is not an Ed25519 public key",
            "give its 64 hex digits, as `journeys checkpoint keygen` printed them",
        ) from None
    return raw.hex()


def sign(key: Ed25519PrivateKey, data: bytes) -> str:
    """The Ed25519 signature of ``data`` by ``key``, in hex (128 digits)."""
    return key.sign(data).hex()


def signature_holds(public: str, signature: str, data: bytes) -> bool:
    """Whether ``signature`` (hex) is the signature of ``data`` by the key ``public`` (hex)."""
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public)).verify(bytes.fromhex(signature), data)
    except (InvalidSignature, ValueError):
        return False
    return True
