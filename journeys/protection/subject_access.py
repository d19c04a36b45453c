"""A subject-access export: one child's whole record and who looked at it, in one new file.

The file (format ``journeys-subject-access/1``) is JSON: the child's LA and reference, when
it was made, every event of the child's stream as ``journeys export`` writes it (with how each
was recorded: number, time, user, source and hash), and every record of the access log about
the child, this export's own included. It is written once: a new file (0600), never replacing
one, and nothing is left behind when the export is refused.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journeys.domain.errors import ProtectionError
from journeys.domain.identity import journey_id
from journeys.loading.jsonl import export_line
from journeys.new_file import write_new
from journeys.protection.access import access_records, note_access

if TYPE_CHECKING:
    from journeys.application import JourneysApp

FORMAT = "journeys-subject-access/1"


@dataclass(frozen=True)
class SubjectAccess:
    """What an export wrote."""

    path: Path
    la: str
    child: str
    events: int
    accesses: int


def write_subject_access(
    app: JourneysApp, la: str, child: str, path: Path, *, user: str, purpose: str | None = None
) -> SubjectAccess:
    """Write ``child``'s record and its access log to the new file ``path``, noting the export
    in the access log (as ``subject-access``, by ``user``)."""
    if os.path.lexists(path):
        raise _taken(path)
    entries = app.entries(la, child)  # an unknown child is refused before anything is written
    child = str(entries[0].fields["child"])
    ids = {e.seq: e.event_id for e in entries}
    events = [line for e in entries if (line := export_line(la, child, e, ids)) is not None]
    noted = note_access(app, [(la, child)], command="subject-access", user=user, purpose=purpose)
    accesses = [_record_json(r) for r in access_records(app, la=la, child=child)]
    document: dict[str, Any] = {
        "format": FORMAT,
        "la": la,
        "child": child,
        "stream": str(journey_id(la, child)),
        "made_at": noted[0].at,
        "made_by": noted[0].user,
        "events": events,
        "access_log": accesses,
    }
    data = (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()
    write_new(path, data, taken=_taken(path), error=ProtectionError)
    return SubjectAccess(path, la, child, len(events), len(accesses))


def _record_json(record: Any) -> dict[str, Any]:
    return {**record.content(), "hash": record.hash}


def _taken(path: Path) -> ProtectionError:
    return ProtectionError(
        f"{str(path)!r} already exists: a subject-access export is never written over a file",
        "choose another file name",
    )
