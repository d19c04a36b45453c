"""Synthetic identifiers for the 903 returns: postcodes, Ofsted URNs and UPNs that no real child has.

Postcodes are public ONS geography, a few postcode units in each authority (``places.toml``, made by
``scripts/synthetic_places.py`` from the reference validator's own lookup), so the validator can
derive the placement's LA and distance from them; a synthetic child's home and placements are
drawn from them, never anyone's address. URNs are ``SC9`` + the LA code + a provider number (not
the numbering of any real Ofsted provider). UPNs have the DfE form (a check letter, the LA code, an
establishment number, the year and a serial) with the establishment number 0000, which no school
has, so none is a real pupil's.
"""

from __future__ import annotations

import tomllib
import zlib
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

PLACES_FILE = Path(__file__).with_name("places.toml")
FOSTERING, ADOPTION = "1", "2"  # the LA's provider numbers in a URN
_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


@cache
def _places() -> dict[str, Any]:
    with PLACES_FILE.open("rb") as handle:
        return tomllib.load(handle)


def ons_code(la: str) -> str:
    """The ONS code the validator knows the authority by (its metadata ``localAuthority``)."""
    return str(_places()[la]["ons"])


def postcodes(la: str) -> list[str]:
    """A few postcodes in the authority (the validator's lookup places each in it)."""
    return [str(p) for p in _places()[la]["postcodes"]]


def urn(la: str, provider: str) -> str:
    """The synthetic Ofsted URN of the LA's fostering (``FOSTERING``) or adoption (``ADOPTION``) service."""
    return f"SC9{la}{provider}"


def draw(ref: str, what: str, choices: int) -> int:
    """A number below ``choices`` fixed by the child reference and what it is for (no random state)."""
    return zlib.crc32(f"{ref}:{what}".encode()) % choices


def upn(la: str, ref: str, born: date) -> str:
    """A UPN of the DfE form that is no real pupil's (establishment 0000)."""
    digits = f"{la[:3]:0>3}0000{born.year % 100:02d}{draw(ref, 'upn', 1000):03d}"
    check = sum(int(d) * weight for d, weight in zip(digits, range(2, 14), strict=True)) % 23
    return _CHECK_LETTERS[check] + digits
