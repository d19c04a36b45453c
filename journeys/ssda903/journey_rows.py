"""A child's decisions as SSDA903 rows (Header, Episodes, AD1, PlacedAdoption) over its whole history.

The one writer of 903 rows from journeys: ``journeys export-903`` uses it on the decisions the store
holds (:mod:`journeys.ssda903.export`), ``journeys generate --format 903`` on the synthetic ones
(:mod:`journeys.synthetic.returns_903`). The decisions are ``(on, kind, fields)`` in effective
order, corrections applied (903 holds only the corrected truth).

Episodes follow the mapping of ``docs/ssda903.md`` backwards: entering care starts an episode (RNE
S; P when the start is only bounded, ``on_or_before``, so the import infers it again); a court
placement order changes the legal status to E1 (RNE L); a child placed with its foster carers first
moves to those carers (RNE P, on ``carers_since``) and is then placed with them (A5, or A3 under
consent; RNE T); a placement with new adopters is A6 (A4) with RNE P; a disruption moves the child
to a placement not for adoption (RNE P); a decision ceasing (RD1-RD4) after a placement order
revokes it (C2, rule 553); the adoption order ends the last episode with E11 and leaving care with
its reason code. Events 903 does not hold (proceedings, family-finding, reviews, plan changes that
never left an adoption decision) are not written. AD1 holds one match per child adopted (the last),
FOSTER_CARE 1 when the child is adopted by its foster carers.

What the engine does not record (sex, ethnicity, UPN, postcodes, provider, URN, category of need,
the reason for a move, the type of a placement not for adoption, the adopters' number, sex and
legal status) comes from an :class:`Unrecorded`: blank for an export, drawn for synthetic returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from journeys.ssda903.write import date_903

EPO, ICO = "L2", "C2"
EPO_DAYS = 7  # an emergency protection order is followed by an interim care order after a week
Decisions = list[tuple[date, str, dict[str, Any]]]  # (on, kind, fields), in effective order


class Unrecorded:
    """The cells of facts the engine does not record: every one blank, and no fact invented (an
    export). A synthetic history overrides these with drawn values."""

    # PLACE of time in care not placed for adoption: the engine records no placement type but
    # A3-A6, and the import and the validator need a code; read back, it makes no event.
    other_place = "U1"
    legal_status = ""  # LS of a start of care recorded without one
    left_care = ""  # REC of leaving care recorded without a reason code
    ico_after_epo = False  # an interim care order a week after an EPO (never recorded)

    def header(self, la: str, ref: str, born: date | None) -> dict[str, str]:
        """SEX, ETHNIC, MOTHER (and any other Header cell but CHILD and DOB)."""
        return {}

    def upn(self, la: str, ref: str, born: date | None, begin: date | None) -> str:
        """The UPN in the return of the year beginning ``begin`` (None: a whole-history extract)."""
        return ""

    def episode(self, la: str, ref: str, adopters: bool, carer: int) -> dict[str, str]:
        """CIN, PLACE_PROVIDER, HOME_POST, PL_POST, URN of an episode with the child's ``carer``-th
        carers (``adopters``: a placement with new adopters)."""
        return {}

    def place_change(self, disruption: bool) -> str:
        """REASON_PLACE_CHANGE of an episode that ends in a move (``disruption``: the placement for
        adoption ended)."""
        return ""

    def adopters(self, ref: str) -> dict[str, str]:
        """NB_ADOPTR, SEX_ADOPTR, LS_ADOPTR."""
        return {}


NOT_RECORDED = Unrecorded()


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
    bounded: bool = False  # the start of care is only known to be on or before this day
    end: str | None = None  # REC
    disruption: bool = False  # the move that ends the episode before is a disruption


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def child_rows(la: str, ref: str, decisions: Decisions, unrecorded: Unrecorded = NOT_RECORDED) -> ChildRows:
    """The 903 rows of one child's decisions (effective order, corrections applied)."""
    born = next((_day(f.get("date_of_birth")) for _, k, f in reversed(decisions) if k == "child-details"
                 and f.get("date_of_birth")), None)  # fmt: skip
    header = {"CHILD": ref, **unrecorded.header(la, ref, born), "DOB": date_903(born)}
    rows = ChildRows(la, ref, born, header)
    changes: dict[date, _Change] = {}
    adm: date | None = None
    match: date | None = None
    with_carers = False
    for on, kind, fields in decisions:
        change = changes.setdefault(on, _Change())
        if kind == "entered-care":
            change.start, change.bounded = True, fields.get("on_or_before") is True
            change.ls, change.place = fields.get("legal_status") or unrecorded.legal_status, unrecorded.other_place
        elif kind == "placement-order" and fields.get("authority", "placement-order") == "placement-order":
            change.ls = "E1"
        elif kind == "placed":
            court = _court_order(decisions, on)
            with_carers = bool(fields.get("with_foster_carers"))
            if with_carers:
                change.place = "A5" if court else "A3"
                since = _day(fields.get("carers_since"))
                if since:
                    move = changes.setdefault(since, _Change())
                    move.place, move.new_carer = move.place or unrecorded.other_place, True
            else:
                change.place, change.new_carer = ("A6" if court else "A4"), True
        elif kind == "disruption":
            change.place, change.new_carer, change.disruption = unrecorded.other_place, True, True
        elif kind in ("adoption-order", "left-care"):
            change.end = "E11" if kind == "adoption-order" else fields.get("reason_code") or unrecorded.left_care
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
    _episodes(rows, changes, unrecorded)
    if match is not None and adm is not None and any(e.get("REC") == "E11" for e in rows.episodes):
        rows.ad1 = {"CHILD": ref, "DOB": date_903(born), "DATE_INT": date_903(adm), "DATE_MATCH": date_903(match),
                    "FOSTER_CARE": "1" if with_carers else "0", **unrecorded.adopters(ref)}  # fmt: skip
    return rows


def _court_order(decisions: Decisions, on: date) -> bool:
    """Whether the court made a placement order by ``on``."""
    return any(k == "placement-order" and f.get("authority", "placement-order") == "placement-order" and d <= on
               for d, k, f in decisions)  # fmt: skip


def _with_ico(changes: dict[date, _Change]) -> None:
    """An EPO at the start of care becomes an interim care order a week later (unless care ended)."""
    for on, change in list(changes.items()):
        if change.start and change.ls == EPO:
            later = changes.setdefault(on + timedelta(days=EPO_DAYS), _Change())
            later.ls = later.ls or ICO


def _new_episode_reason(change: _Change, ls: str, place: str) -> str:
    """RNE of the episode a change begins ('' when it begins none)."""
    legal = change.ls is not None and change.ls != ls
    moved = change.place is not None and change.place != place
    if not legal and not moved and not change.new_carer:
        return ""
    if legal and not (moved or change.new_carer):
        return "L"
    if change.new_carer:
        return "B" if legal else "P"
    return "U" if legal else "T"


def _episodes(rows: ChildRows, changes: dict[date, _Change], unrecorded: Unrecorded) -> None:
    if unrecorded.ico_after_epo:
        _with_ico(changes)
    current: dict[str, Any] | None = None
    ls, place, carer = "", "", 0
    for on in sorted(changes):
        change = changes[on]
        if current is None and not change.start:
            continue  # a change outside care has no episode
        if change.start:
            ls, place, rne = change.ls or "", change.place or unrecorded.other_place, "P" if change.bounded else "S"
            carer += 1
        else:
            rne = _new_episode_reason(change, ls, place)
            carer += bool(rne) and change.new_carer
            ls, place = change.ls or ls, change.place or place
        if rne:
            if current is not None:
                current.update(DEC=on, REC="X1")
                if rne != "L":
                    current["REASON_PLACE_CHANGE"] = unrecorded.place_change(change.disruption)
            extra = unrecorded.episode(rows.la, rows.ref, place in ("A4", "A6"), carer)
            current = {"CHILD": rows.ref, "DECOM": on, "RNE": rne, "LS": ls, "PLACE": place, **extra}
            rows.episodes.append(current)
        if change.end is not None and current is not None:
            current.update(DEC=on, REC=change.end)
            current = None
