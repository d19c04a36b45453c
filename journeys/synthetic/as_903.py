"""The synthetic journeys as SSDA903 rows: their decisions, corrected, and the cells they draw.

Takes the JSONL objects of :func:`journeys.synthetic.generator.generate` and applies their
corrections (903 holds only the corrected truth); :mod:`journeys.ssda903.journey_rows` (the
writer ``journeys export-903`` uses too) turns each child's decisions into 903 rows, with the cells
the engine does not record drawn by :class:`Synthetic`: SEX and ETHNIC from the child reference,
MOTHER 0 for a girl (rule 393); the UPN (UN1 for a child not yet of school age at the 31 August
before the year, rule 209); an emergency protection order (LS L2) followed by an interim care order
(C2, RNE L) after a week, as EPOs last at most 21 days (rule 362); time in care not placed for
adoption as U1; each episode's home postcode, placement postcode (another for a new carer),
provider (PR1, the LA's own), URN and category of need (N1), from :mod:`journeys.synthetic.places`;
the reason for a move (CARPL, the care plan; CREQO for a disruption); leaving care with no reason
code as E8; and the adopters: one in eight single (NB_ADOPTR 1, F1, L0), the others a couple (2,
MF, L11 or L3).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from journeys.domain.vocabulary import KIND_RANK
from journeys.ssda903.journey_rows import Decisions, Unrecorded
from journeys.synthetic.places import ADOPTION, FOSTERING, draw, postcodes, upn, urn

ETHNICITIES = ("WBRI", "WBRI", "WBRI", "WBRI", "WOTH", "MWBC", "MOTH", "ABAN", "BAFR", "BCRB")


class Synthetic(Unrecorded):
    """The cells the engine does not record, drawn for a synthetic child (no real one anywhere)."""

    other_place = "U1"
    legal_status = "C1"
    left_care = "E8"
    ico_after_epo = True

    def header(self, la: str, ref: str, born: date | None) -> dict[str, str]:
        sex = "12"[draw(ref, "sex", 2)]
        ethnic = ETHNICITIES[draw(ref, "ethnic", len(ETHNICITIES))]
        return {"SEX": sex, "ETHNIC": ethnic, "MOTHER": "0" if sex == "2" else ""}

    def upn(self, la: str, ref: str, born: date | None, begin: date | None) -> str:
        if born is None or begin is None:
            return "UN5"
        school_age = date(born.year + 4, born.month, min(born.day, 28)) <= date(begin.year - 1, 8, 31)
        return upn(la, ref, born) if school_age else "UN1"

    def episode(self, la: str, ref: str, adopters: bool, carer: int) -> dict[str, str]:
        places = postcodes(la)
        home = draw(ref, "home", len(places))
        return {"CIN": "N1", "PLACE_PROVIDER": "PR1", "HOME_POST": places[home],
                "PL_POST": places[(home + 1 + carer % (len(places) - 1)) % len(places)],
                "URN": urn(la, ADOPTION if adopters else FOSTERING)}  # fmt: skip

    def place_change(self, disruption: bool) -> str:
        return "CREQO" if disruption else "CARPL"

    def adopters(self, ref: str) -> dict[str, str]:
        single = draw(ref, "adopters", 8) == 0
        couple = ("2", "MF", "L11") if draw(ref, "couple", 4) else ("2", "MF", "L3")
        number, sexes, status = ("1", "F1", "L0") if single else couple
        return {"NB_ADOPTR": number, "SEX_ADOPTR": sexes, "LS_ADOPTR": status}


SYNTHETIC = Synthetic()


def corrected(lines: Iterable[dict[str, Any]]) -> dict[tuple[str, str], Decisions]:
    """Each child's decisions with corrections applied, in effective order."""
    by_id: dict[str, tuple[tuple[str, str], int]] = {}
    children: dict[tuple[str, str], Decisions] = {}
    for line in lines:
        key = (str(line["la"]), str(line["child"]))
        kind = str(line["event"])
        if kind == "correct":
            child, index = by_id[str(line["corrects"])]
            _, target_kind, fields = children[child][index]
            children[child][index] = (date.fromisoformat(line["on"]), target_kind, fields)
            continue
        fields = {k: v for k, v in line.items() if k not in ("la", "child", "event", "on", "id")}
        decisions = children.setdefault(key, [])
        if "id" in line:
            by_id[str(line["id"])] = (key, len(decisions))
        decisions.append((date.fromisoformat(line["on"]), kind, fields))
    for decisions in children.values():
        decisions.sort(key=lambda d: (d[0], KIND_RANK[d[1]]))
    return children
