"""Evidence a store can be held to from outside it: signed checkpoints of every journey's head
(:mod:`~journeys.evidence.making`), their files (:mod:`~journeys.evidence.document`), their
signing keys (:mod:`~journeys.evidence.keys`), and a store checked against them
(:mod:`~journeys.evidence.checking`). docs/evidence.md describes the checkpoint precisely."""

from typing import TYPE_CHECKING

from journeys.faces import lazy_face

if TYPE_CHECKING:
    from journeys.evidence.checking import AgainstReport, Checked, Finding, verify_against
    from journeys.evidence.document import FORMAT, Checkpoint, read_checkpoint, write_checkpoint
    from journeys.evidence.keys import (
        generate_key,
        load_signing_key,
        parse_public_key,
        public_hex,
        sign,
        signature_holds,
    )
    from journeys.evidence.making import engine_version, make_checkpoint, save_checkpoint
    from journeys.evidence.options import SIGNING_KEY_ENV
else:
    __getattr__, __dir__ = lazy_face(
        __name__,
        {
            "journeys.evidence.checking": ("AgainstReport", "Checked", "Finding", "verify_against"),
            "journeys.evidence.document": ("FORMAT", "Checkpoint", "read_checkpoint", "write_checkpoint"),
            "journeys.evidence.keys": (
                "generate_key",
                "load_signing_key",
                "parse_public_key",
                "public_hex",
                "sign",
                "signature_holds",
            ),
            "journeys.evidence.making": ("engine_version", "make_checkpoint", "save_checkpoint"),
            "journeys.evidence.options": ("SIGNING_KEY_ENV",),
        },
    )

__all__ = [
    "FORMAT",
    "SIGNING_KEY_ENV",
    "AgainstReport",
    "Checked",
    "Checkpoint",
    "Finding",
    "engine_version",
    "generate_key",
    "load_signing_key",
    "make_checkpoint",
    "parse_public_key",
    "public_hex",
    "read_checkpoint",
    "save_checkpoint",
    "sign",
    "signature_holds",
    "verify_against",
    "write_checkpoint",
]
