"""The synthetic journeys as SSDA903 rows (Header, Episodes, AD1, PlacedAdoption), the whole history.

Takes the JSONL objects of :func:`journeys.synthetic.generator.generate`, applies their corrections
(903 holds only the corrected truth) and turns each child's decisions into 903 rows spanning the
whole history; :mod:`journeys.synthetic.returns_903` cuts them into one return per collection year.

Episodes follow the mapping of ``docs/ssda903.md`` backwards: entering care starts an
episode (RNE S); an emergency protection order (LS L2) becomes an interim care order (C2, RNE L)
after a week, as EPOs last at most 21 days (validator rule 362); a court placement order changes
the legal status to E1 (RNE L); a child placed with its foster carers first moves to those carers
(RNE P) and is then placed with them (A5, or A3 under consent; RNE T); a placement with new
adopters is A6 (A4) with RNE P; a disruption moves the child back to foster care (U1, RNE P); the
adoption order ends the last episode with E11 and leaving care with its reason code. An episode
that ends in a change of placement gives the reason (REASON_PLACE_CHANGE: CARPL, the care plan;
CREQO for a disruption). Every episode has the child's home postcode, the placement's postcode,
provider (PR1, the LA's own) and URN (synthetic values: :mod:`journeys.synthetic.places`); a new
carer is at another postcode. Header gives SEX and ETHNIC drawn from the
child reference, MOTHER 0 for a girl (rule 393). Events 903 does not hold (proceedings, family-finding, reviews, plan
changes that never left an adoption decision) are not written. AD1 holds one match per child (the
last), with the adopters: one adopter in eight is single (NB_ADOPTR 1, F1, L0), the others a
couple (2, MF, L11 or L3); FOSTER_CARE is 1 when the child is adopted by its foster carers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from journeys.domain.vocabulary import KIND_RANK
from journeys.ssda903.write import date_903
from journeys.synthetic.places import ADOPTION, FOSTERING, draw, postcodes, urn

EPO, ICO = "L2", "C2"
EPO_DAYS = 7  # an emergency protection order is followed by an interim care order after a week
ETHNICITIES = ("WBRI", "WBRI", "WBRI", "WBRI", "WOTH", "MWBC", "MOTH", "ABAN", "BAFR", "BCRB")


@dataclass
class ChildRows:
    """One child's 903 rows over the whole history (dates as ``date``; cells as text)."""

    la: str
    ref: str
    born: date | None
    header: dict[str, str]
    episodes: list[dict[str, Any]] = field(default_factory=list)  # DECOM / DEC as date
    placed: list[dict[str, Any]] = field(default_factory=list)  # DATE_PLACED / DATE_PLACED_CEASED as date
    ad1: dict[str, str] | None = None  # the adoption's AD1 row (the episode ending E11 holds its date)


@dataclass
class _Change:
    """What changes on one day: legal status, placement, carer; or the end of care."""

    ls: str | None = None
    place: str | None = None
    new_carer: bool = False
    start: bool = False
    end: str | None = None  # REC
    reason: str = "CARPL"  # the reason for the placement change that ends the episode before


def corrected(lines: Iterable[dict[str, Any]]) -> dict[tuple[str, str], list[tuple[date, str, dict[str, Any]]]]:
    """Each child's decisions with corrections applied, in effective order."""
    by_id: dict[str, tuple[tuple[str, str], int]] = {}
    children: dict[tuple[str, str], list[tuple[date, str, dict[str, Any]]]] = {}
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


def child_rows(la: str, ref: str, decisions: list[tuple[date, str, dict[str, Any]]]) -> ChildRows:
    """The 903 rows of one child's corrected decisions."""
    born = next((date.fromisoformat(f["date_of_birth"]) for _, k, f in decisions if k == "child-details"), None)
    sex = "12"[draw(ref, "sex", 2)]
    ethnic = ETHNICITIES[draw(ref, "ethnic", len(ETHNICITIES))]
    header = {"CHILD": ref, "SEX": sex, "DOB": date_903(born), "ETHNIC": ethnic, "MOTHER": "0" if sex == "2" else ""}
    rows = ChildRows(la, ref, born, header)
    changes: dict[date, _Change] = {}
    adm: date | None = None
    match: date | None = None
    with_carers = False
    for on, kind, fields in decisions:
        change = changes.setdefault(on, _Change())
        if kind == "entered-care":
            change.start, change.ls, change.place = True, fields.get("legal_status") or "C1", "U1"
        elif kind == "placement-order" and fields.get("authority", "placement-order") == "placement-order":
            change.ls = "E1"
        elif kind == "placed":
            court = _court_order(decisions, on)
            with_carers = bool(fields.get("with_foster_carers"))
            if with_carers:
                change.place = "A5" if court else "A3"
                since = fields.get("carers_since")
                if since:
                    move = changes.setdefault(date.fromisoformat(since), _Change())
                    move.place, move.new_carer = move.place or "U1", True
            else:
                change.place, change.new_carer = ("A6" if court else "A4"), True
        elif kind == "disruption":
            change.place, change.new_carer, change.reason = "U1", True, "CREQO"
        elif kind in ("adoption-order", "left-care"):
            change.end = "E11" if kind == "adoption-order" else fields.get("reason_code") or "E8"
        elif kind == "adoption-decision":
            adm = on
            rows.placed.append({"CHILD": ref, "DOB": date_903(born), "DATE_PLACED": on})
        elif kind == "plan-change" and fields.get("reason") and rows.placed:
            if rows.placed[-1].get("DATE_PLACED_CEASED") is None:
                rows.placed[-1].update(DATE_PLACED_CEASED=on, REASON_PLACED_CEASED=str(fields["reason"]))
                if _court_order(decisions, on):
                    change.ls = "C2"  # the placement order is revoked: a care order again (rule 553)
        elif kind == "match":
            match = on
    _episodes(rows, changes)
    if match is not None and adm is not None and any(e.get("REC") == "E11" for e in rows.episodes):
        single = draw(ref, "adopters", 8) == 0
        couple = ("2", "MF", "L11") if draw(ref, "couple", 4) else ("2", "MF", "L3")
        number, sexes, status = ("1", "F1", "L0") if single else couple
        rows.ad1 = {"CHILD": ref, "DOB": date_903(born), "DATE_INT": date_903(adm), "DATE_MATCH": date_903(match),
                    "FOSTER_CARE": "1" if with_carers else "0", "NB_ADOPTR": number, "SEX_ADOPTR": sexes,
                    "LS_ADOPTR": status}  # fmt: skip
    return rows


def _court_order(decisions: list[tuple[date, str, dict[str, Any]]], on: date) -> bool:
    """Whether the court made a placement order by ``on``."""
    return any(k == "placement-order" and f.get("authority", "placement-order") == "placement-order" and d <= on
               for d, k, f in decisions)  # fmt: skip


def _with_ico(changes: dict[date, _Change]) -> None:
    """An EPO at the start of care becomes an interim care order a week later (unless care ended)."""
    for on, change in list(changes.items()):
        if change.start and change.ls == EPO:
            later = changes.setdefault(on + timedelta(days=EPO_DAYS), _Change())
            later.ls = later.ls or ICO


def _episodes(rows: ChildRows, changes: dict[date, _Change]) -> None:
    _with_ico(changes)
    places = postcodes(rows.la)
    home = draw(rows.ref, "home", len(places))
    current: dict[str, Any] | None = None
    ls, place, carer = "C1", "U1", 0
    for on in sorted(changes):
        change = changes[on]
        if current is None and not change.start:
            continue  # a change outside care has no episode
        if change.start:
            ls, place, rne = change.ls or "C1", change.place or "U1", "S"
            carer += 1
        else:
            legal = change.ls is not None and change.ls != ls
            moved = change.place is not None and change.place != place
            if not legal and not moved and not change.new_carer:
                rne = ""
            elif legal and not (moved or change.new_carer):
                rne = "L"
            elif change.new_carer:
                rne = "B" if legal else "P"
                carer += 1
            else:
                rne = "U" if legal else "T"
            ls, place = change.ls or ls, change.place or place
        if rne:
            if current is not None:
                current.update(DEC=on, REC="X1")
                if rne != "L":
                    current["REASON_PLACE_CHANGE"] = change.reason
            adopters = place in ("A4", "A6")
            current = {"CHILD": rows.ref, "DECOM": on, "RNE": rne, "LS": ls, "CIN": "N1", "PLACE": place,
                       "PLACE_PROVIDER": "PR1", "HOME_POST": places[home],
                       "PL_POST": places[(home + 1 + carer % (len(places) - 1)) % len(places)],
                       "URN": urn(rows.la, ADOPTION if adopters else FOSTERING)}  # fmt: skip
            rows.episodes.append(current)
        if change.end and current is not None:
            current.update(DEC=on, REC=change.end)
            current = None
