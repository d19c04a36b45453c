"""A pooled extract: the journeys as JSONL lines `journeys load` reads, pseudonymised.

Regional and national analysis pools local authorities' data; what is pooled must not name a
child. An extract line is an ``export --plain`` line with:

- the child reference replaced by a keyed hash (HMAC-SHA-256 under the extract key of
  ``"child"``, the LA and the reference; 32 hex digits), the same under the same key on every
  run, and unlinkable to the reference without the key; each event's ``id`` is that pseudonym
  and the event's place in its stream (``"<pseudonym>-<seq>"``), and a correction names its
  target by the same id;
- a date of birth (and an expected date of birth) reduced to its month, written as the first
  of the month (``2014-01-19`` becomes ``2014-01-01``), and the ``child-details`` event's own
  date too (it is usually the day of birth);
- adopters' references and sibling groups replaced by keyed hashes (``"adopters"`` and
  ``"sibling"`` with the LA), so the same adopters stay the same in the extract;
- only coded fields kept (legal status, plan, RD reason, court order, review type, REC,
  harder-to-place flags, placed with foster carers and since when, ...); free text is dropped:
  a disruption's reason, a plan change's outcome unless it is one of the documented codes, a
  correction's or a retraction's reason (written as :data:`WITHHELD`, since a load needs one),
  and every surgery action and legal hold (their text, owner and notes are case work, which no
  pooled report reads).

The engine stores no postcode, so none can be written. Decision dates, the LA and the codes
are kept, so the extract, loaded into another store, gives the same scorecard and cohort
figures as the source (docs/extracts.md says what can differ: what reads the day of birth).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from journeys.application import JourneysApp
from journeys.domain.errors import ChildNotFound, ProtectionError
from journeys.domain.payloads import parse_fields
from journeys.domain.timeline import (
    ACTION_ADDED,
    ACTION_CANCELLED,
    ACTION_DONE,
    ACTION_EDITED,
    CORRECT,
    LEGAL_HOLD,
    RETRACT,
    Entry,
    known_by,
)
from journeys.domain.vocabulary import OUTCOMES
from journeys.loading.jsonl import FIELDS, META_KEYS, export_line
from journeys.progress import Progress

KEY_BYTES = 32  # at least: an HMAC-SHA-256 key shorter than its output weakens it
MAKE_EXTRACT_KEY = (
    "make one with `openssl rand -hex 32 > FILE` (keep it secret and keep it: "
    "the same key gives the same pseudonyms on every run)"
)
WITHHELD = "withheld in a pseudonymised extract"
CHILD_DETAILS = "child-details"
PSEUDONYM_HEX = 32  # 128 bits of the HMAC

# Events an extract leaves out: case work in free text, no decision on the journey.
DROPPED = frozenset({ACTION_ADDED, ACTION_EDITED, ACTION_DONE, ACTION_CANCELLED, LEGAL_HOLD})

# The fields an extract keeps as they are, by kind: each one a code, a flag or a date (any
# other field, one a later payload version adds included, is left out unless named here or
# in _REDUCED).
KEPT: Mapping[str, frozenset[str]] = {
    CHILD_DETAILS: frozenset({"harder_to_place"}),
    "entered-care": frozenset({"legal_status", "on_or_before"}),
    "proceedings-concluded": frozenset({"order"}),
    "plan-change": frozenset({"to", "reason", "decided_by"}),
    "placement-order": frozenset({"authority"}),
    "review": frozenset({"review_type"}),
    "placed": frozenset({"with_foster_carers", "carers_since"}),
    "left-care": frozenset({"reason_code", "on_or_before"}),
    "carers-seen": frozenset({"since"}),
    "plan-decision": frozenset({"route"}),
}
_MONTH_ONLY = frozenset({"date_of_birth", "expected_date"})
_HASHED = {"sibling_group": "sibling", "adopters": "adopters", "carers": "carers", "carer": "carer"}
_REDUCED: Mapping[str, frozenset[str]] = {
    CHILD_DETAILS: frozenset({"date_of_birth", "expected_date", "sibling_group"}),
    "match": frozenset({"adopters"}),
    "plan-change": frozenset({"outcome"}),
    "sgo-made": frozenset({"carers"}),
    "cao-made": frozenset({"carers"}),
    "ltf-match": frozenset({"carer"}),
}


def read_extract_key(path: Path) -> bytes:
    """The extract key in ``path``: its bytes (surrounding white space aside), at least
    :data:`KEY_BYTES` of them. Refused, naming the file and never the key: a file that cannot
    be read, or a key too short."""
    try:
        key = path.read_bytes().strip()
    except FileNotFoundError:
        raise ProtectionError(f"no extract key file {str(path)!r}", MAKE_EXTRACT_KEY) from None
    except OSError as error:
        problem = f"cannot read the extract key file {str(path)!r}: {error.strerror}"
        raise ProtectionError(problem, MAKE_EXTRACT_KEY) from None
    if len(key) < KEY_BYTES:
        raise ProtectionError(
            f"the extract key in {str(path)!r} is too short: a key is at least {KEY_BYTES} bytes "
            f"(this one has {len(key)})",
            MAKE_EXTRACT_KEY,
        )
    return key


def pseudonym(key: bytes, what: str, la: str, value: str) -> str:
    """The keyed hash of ``value`` (a child reference, adopters, a sibling group: ``what``) in
    ``la``: HMAC-SHA-256 under ``key``, its first :data:`PSEUDONYM_HEX` hex digits."""
    message = "\x00".join((what, la, value)).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:PSEUDONYM_HEX]


def month_of(day: str) -> str:
    """An ISO date (``YYYY-MM-DD``) reduced to its month, written as the first of the month."""
    return f"{day[:7]}-01"


def extract_lines(
    app: JourneysApp,
    key: bytes,
    *,
    las: Sequence[str] = (),
    known_at: datetime | None = None,
    progress: Progress | None = None,
) -> Iterator[dict[str, Any]]:
    """Every journey of ``app`` (of ``las`` when given; as known at ``known_at``) as pseudonymised
    JSONL objects, loadable with :func:`journeys.loading.load_lines` (see the module's text)."""
    wanted = set(las)
    total = app.head() if progress is not None else 0
    done = 0
    for la, child, entries in app.streams():
        if not wanted or la in wanted:
            yield from _stream_lines(key, la, child, known_by(entries, known_at))
        if progress is not None:
            done += len(entries)
            progress(min(done, total), total)
    if progress is not None:
        progress(total, total)


def _stream_lines(key: bytes, la: str, child: str, entries: list[Entry]) -> Iterator[dict[str, Any]]:
    """One child's lines. A decision that, reduced, is one already standing (two disruptions
    the same day whose reasons differed) is left out, with what corrects or retracts it; so is
    a correction that, reduced, changes nothing (a day of birth moved within its month): the
    load would refuse both."""
    alias = pseudonym(key, "child", la, child)
    ids = {e.seq: f"{alias}-{e.seq}" for e in entries}
    kinds = {e.seq: e.kind for e in entries}
    standing: dict[int, Standing] = {}  # each decision written, as it stands reduced
    left_out: set[int] = set()
    for entry in entries:
        if entry.kind in DROPPED or entry.target in left_out or kinds.get(entry.target or 0) in DROPPED:
            continue
        line = export_line(la, child, entry, ids, plain=True)
        if line is None:
            continue
        line.update(id=ids[entry.seq], child=alias)
        if entry.kind == RETRACT:
            line["reason"] = WITHHELD
            standing.pop(entry.target or 0, None)
        elif entry.kind == CORRECT:
            assert entry.target is not None
            kind = kinds[entry.target]
            line["reason"] = WITHHELD
            _reduce_on(line, kind)
            if FIELDS in line:
                changes = line[FIELDS] = _reduced(key, la, kind, line[FIELDS])
            else:
                changes = _reduced(key, la, kind, {k: line.pop(k) for k in list(line) if k not in _CORRECTION_OWN})
                line.update(changes)
            before = standing.get(entry.target)
            if before is not None:
                after = (line.get("on") or before[0], {**before[1], **changes})
                if _same(kind, after, before):
                    continue
                standing[entry.target] = after
        elif entry.is_decision:
            _reduce_on(line, entry.kind)
            fields = _reduced(key, la, entry.kind, {k: line.pop(k) for k in list(line) if k not in META_KEYS})
            line.update(fields)
            now = (line.get("on"), fields)
            if any(kinds[seq] == entry.kind and _same(entry.kind, now, other) for seq, other in standing.items()):
                left_out.add(entry.seq)
                continue
            standing[entry.seq] = now
        yield line


Standing = tuple[str | None, dict[str, Any]]  # a decision's date and fields, reduced


def _same(kind: str, one: Standing, other: Standing) -> bool:
    """Whether two reduced decisions of ``kind`` are the same decision (as the rules compare them)."""
    return one[0] == other[0] and parse_fields(kind, one[1]) == parse_fields(kind, other[1])


_CORRECTION_OWN = frozenset({"id", "la", "child", "event", "corrects", "on", "reason"})


def _reduce_on(line: dict[str, Any], kind: str) -> None:
    """A child-details event's date to its month (it is, as often as not, the day of birth)."""
    if kind == CHILD_DETAILS and line.get("on"):
        line["on"] = month_of(line["on"])


def _reduced(key: bytes, la: str, kind: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    """``fields`` of a ``kind`` decision as an extract writes them: the coded ones as they are,
    dates of birth to the month, references hashed, free text left out."""
    kept, reduced = KEPT.get(kind, frozenset()), _REDUCED.get(kind, frozenset())
    out: dict[str, Any] = {}
    for name, value in fields.items():
        if name in kept or (value is None and name in reduced):
            out[name] = value
        elif name in reduced:
            if name in _MONTH_ONLY:
                out[name] = month_of(value)
            elif name in _HASHED:
                out[name] = pseudonym(key, _HASHED[name], la, str(value))
            elif name == "outcome" and value in OUTCOMES:
                out[name] = value
    return out


def write_extract(
    app: JourneysApp,
    key: bytes,
    out: Path,
    *,
    las: Sequence[str] = (),
    known_at: datetime | None = None,
    progress: Progress | None = None,
) -> int:
    """Write :func:`extract_lines` to ``out`` (readable by its owner only), one JSON object a
    line; return how many lines. Written beside ``out`` first and moved into place once whole,
    so a refused or failed extract leaves no file: refused, an LA of ``las`` with no journey."""
    partial = out.with_name(f".{out.name}.partial")
    seen: set[str] = set()
    count = 0
    try:
        with partial.open("wb") as handle:
            partial.chmod(0o600)
            for line in extract_lines(app, key, las=las, known_at=known_at, progress=progress):
                seen.add(line["la"])
                handle.write(orjson.dumps(line) + b"\n")
                count += 1
        missing = [la for la in las if la not in seen]
        if missing:
            raise ChildNotFound(
                f"no journey in local authority {missing[0]}" + (" known by then" if known_at else ""),
                "check --la (and --known-at): `journeys counts --by year` lists the LAs with journeys",
            )
        partial.replace(out)
    except OSError as error:
        problem = f"cannot write {str(out)!r}: {error.strerror}"
        raise ProtectionError(problem, "check the folder and its rights") from None
    finally:
        partial.unlink(missing_ok=True)
    return count
