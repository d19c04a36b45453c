"""A bundle's signature: `manifest.sig`, the Ed25519 signature of the exact bytes of its
`manifest.json` by the key that signs its checkpoint. The manifest pins every file's SHA-256,
so with the signature the whole folder is bound to one key: editing a report and its manifest
line together is caught, as editing the checkpoint is. docs/evidence.md describes the file."""

from __future__ import annotations

import hashlib
import json
from typing import Any, Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from journeys.evidence import public_hex, sign, signature_holds

SIGNATURE: Final = "manifest.sig"
SIGNATURE_FORMAT: Final = "journeys-bundle-signature/1"


def signature_of(key: Ed25519PrivateKey, manifest: bytes) -> bytes:
    """The bytes of `manifest.sig` for the manifest bytes ``manifest``."""
    document = {
        "format": SIGNATURE_FORMAT,
        "signs": "manifest.json",
        "sha256": hashlib.sha256(manifest).hexdigest(),
        "public_key": public_hex(key),
        "signature": sign(key, manifest),
    }
    return (json.dumps(document, indent=2) + "\n").encode("utf-8")


def signature_problem(found: bytes, manifest: bytes, checkpoint_key: Any, pinned: str | None) -> tuple[str | None, str]:
    """What is wrong with the signature ``found`` of ``manifest`` (None when nothing), and the
    public key it names. It must be well formed, hold over the manifest's bytes, be by the key
    the manifest names for its checkpoint, and, when ``pinned``, by that key."""
    try:
        document = json.loads(found.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return f"its {SIGNATURE} is not JSON", ""
    if not isinstance(document, dict) or document.get("format") != SIGNATURE_FORMAT:
        return f"its {SIGNATURE} is not of the format {SIGNATURE_FORMAT!r}", ""
    public, signature = document.get("public_key"), document.get("signature")
    if not isinstance(public, str) or not isinstance(signature, str):
        return f"its {SIGNATURE} lacks its public key or signature", ""
    if not signature_holds(public, signature, manifest):
        return f"its {SIGNATURE} does not hold over manifest.json: the manifest or the signature was changed", public
    if public != checkpoint_key:
        return f"its manifest is signed by {public[:16]}…, not by the key of its checkpoint", public
    if pinned is not None and public != pinned:
        return f"it is signed by {public[:16]}…, not by the key given ({pinned[:16]}…)", public
    return None, public
