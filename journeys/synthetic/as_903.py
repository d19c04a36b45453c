"""The synthetic journeys as SSDA903 tables (Header, Episodes, AD1, PlacedAdoption).

Takes the JSONL objects of :func:`journeys.synthetic.generator.generate`, applies their corrections
(903 holds only the corrected truth), turns them into 903 rows and writes (through
:mod:`journeys.ssda903.write`) for each local authority one return holding the whole history
(a cumulative extract rather than one file per year), in the folder ``OUT/<la>/<year>/`` that
``journeys import-903 OUT/<la> --la <la>`` reads.

Episodes follow the mapping of ``docs/ssda903.md`` backwards: entering care starts an
episode (RNE S); a court placement order changes the legal status to E1 (RNE L); a child
placed with its foster carers first moves to those carers (RNE P) and is then placed with
them (A5, or A3 under consent; RNE T); a placement with new adopters is A6 (A4) with RNE P;
a disruption moves the child back to foster care (U1, RNE P); the adoption order ends the
last episode with E11 and leaving care with its reason code. Events 903 does not hold
(proceedings, family-finding, reviews, plan changes that never left an adoption decision)
are not written. AD1 holds one match per child (the last), so a disrupted child's first
match is not in the tables.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from journeys.domain.vocabulary import KIND_RANK
from journeys.ssda903.codes import AD1, EPISODES, HEADER, PLACED_FOR_ADOPTION, TABLES
from journeys.ssda903.write import date_903, write_return


@dataclass
class _Tables:
    header: list[dict[str, str]] = field(default_factory=list)
    episodes: list[dict[str, str]] = field(default_factory=list)
    ad1: list[dict[str, str]] = field(default_factory=list)
    placed: list[dict[str, str]] = field(default_factory=list)


@dataclass
class _Change:
    """What changes on one day: legal status, placement, carer; or the end of care."""

    ls: str | None = None
    place: str | None = None
    new_carer: bool = False
    start: bool = False
    end: str | None = None  # REC


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


def _child(tables: _Tables, ref: str, decisions: list[tuple[date, str, dict[str, Any]]]) -> None:
    born = next((date.fromisoformat(f["date_of_birth"]) for _, k, f in decisions if k == "child-details"), None)
    tables.header.append({"CHILD": ref, "SEX": "1", "DOB": date_903(born), "ETHNIC": "WBRI"})
    changes: dict[date, _Change] = {}
    adm: date | None = None
    match: date | None = None
    for on, kind, fields in decisions:
        change = changes.setdefault(on, _Change())
        if kind == "entered-care":
            change.start, change.ls, change.place = True, fields.get("legal_status") or "C1", "U1"
        elif kind == "placement-order" and fields.get("authority", "placement-order") == "placement-order":
            change.ls = "E1"
        elif kind == "placed":
            court = any(k == "placement-order" and f.get("authority", "placement-order") == "placement-order"
                        and d <= on for d, k, f in decisions)  # fmt: skip
            if fields.get("with_foster_carers"):
                change.place = "A5" if court else "A3"
                since = fields.get("carers_since")
                if since:
                    move = changes.setdefault(date.fromisoformat(since), _Change())
                    move.place, move.new_carer = move.place or "U1", True
            else:
                change.place, change.new_carer = ("A6" if court else "A4"), True
        elif kind == "disruption":
            change.place, change.new_carer = "U1", True
        elif kind in ("adoption-order", "left-care"):
            change.end = "E11" if kind == "adoption-order" else fields.get("reason_code") or "E8"
        elif kind == "adoption-decision":
            adm = on
            tables.placed.append({"CHILD": ref, "DOB": date_903(born), "DATE_PLACED": date_903(on)})
        elif kind == "plan-change" and fields.get("reason") and tables.placed and tables.placed[-1]["CHILD"] == ref:
            if not tables.placed[-1].get("DATE_PLACED_CEASED"):
                tables.placed[-1].update(DATE_PLACED_CEASED=date_903(on), REASON_PLACED_CEASED=str(fields["reason"]))
        elif kind == "match":
            match = on
    if match is not None and adm is not None:
        tables.ad1.append({"CHILD": ref, "DOB": date_903(born), "DATE_INT": date_903(adm),
                           "DATE_MATCH": date_903(match), "FOSTER_CARE": "0",
                           "NB_ADOPTR": "2", "SEX_ADOPTR": "MF", "LS_ADOPTR": "L0"})  # fmt: skip
    _episodes(tables, ref, changes)


def _episodes(tables: _Tables, ref: str, changes: dict[date, _Change]) -> None:
    current: dict[str, str] | None = None
    ls, place = "C1", "U1"
    for on in sorted(changes):
        change = changes[on]
        if current is None and not change.start:
            continue  # a change outside care (none in synthetic data) has no episode
        if change.start:
            ls, place, rne = change.ls or "C1", change.place or "U1", "S"
        else:
            legal = change.ls is not None and change.ls != ls
            moved = change.place is not None and change.place != place
            if not legal and not moved and not change.new_carer:
                rne = ""
            elif legal and not (moved or change.new_carer):
                rne = "L"
            elif change.new_carer:
                rne = "B" if legal else "P"
            else:
                rne = "U" if legal else "T"
            ls, place = change.ls or ls, change.place or place
        if rne:
            if current is not None:
                current.update(DEC=date_903(on), REC="X1")
            current = {"CHILD": ref, "DECOM": date_903(on), "RNE": rne, "LS": ls, "CIN": "N1", "PLACE": place,
                       "PLACE_PROVIDER": "PR1"}  # fmt: skip
            tables.episodes.append(current)
        if change.end and current is not None:
            current.update(DEC=date_903(on), REC=change.end)
            current = None


def write_903(lines: Iterable[dict[str, Any]], out: Path, year: int) -> dict[str, int]:
    """Write ``out/<la>/<year>/{header,episodes,ad1,placed_for_adoption}.csv``; rows per table."""
    tables: dict[str, _Tables] = {}
    for (la, ref), decisions in corrected(lines).items():
        _child(tables.setdefault(la, _Tables()), ref, decisions)
    counts = dict.fromkeys(TABLES, 0)
    for la, t in tables.items():
        rows = {HEADER: t.header, EPISODES: t.episodes, AD1: t.ad1, PLACED_FOR_ADOPTION: t.placed}
        for table, written in write_return(out, la, year, rows).items():
            counts[table] += written
    return counts
