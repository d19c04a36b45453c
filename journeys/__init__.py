"""journeys: each looked-after child's journey to permanence as an append-only event stream.

This module is the write side's face: what a caller outside ``journeys`` (the CLI, the read
side, a script) uses is named here. The wings inside ``journeys`` import one another by
module path, never through this face, so importing it closes no circle. Each name is imported
from its wing when it is first used (:mod:`journeys.faces`): ``from journeys import today``
loads the clock, not the application.
"""

from typing import TYPE_CHECKING

from journeys.faces import lazy_face

if TYPE_CHECKING:
    from journeys.application import ChildView, HistoryRow, JourneysApp
    from journeys.clock import today
    from journeys.domain.errors import (
        CheckpointError,
        ChildNotFound,
        DuplicateEvent,
        EventNotFound,
        InvalidEvent,
        JourneyError,
        RuleBroken,
        StoreError,
    )
    from journeys.domain.inputs import (
        ALLOW_UNKNOWN_LA_ENV,
        DATE_FORMS,
        MAX_USER,
        check_la,
        check_user,
        child_reference,
        is_truthy,
        parse_date,
    )
    from journeys.domain.milestones import OPEN, Milestone, RuleSet, load_rules
    from journeys.domain.timeline import CORRECT, RETRACT, Entry
    from journeys.domain.vocabulary import CHILD_STAGES, EVENT_KINDS, HARDER_TO_PLACE, OUTCOMES, RD_REASONS
    from journeys.evidence.checking import AgainstReport, Finding, verify_against
    from journeys.evidence.document import Checkpoint, read_checkpoint, write_checkpoint
    from journeys.evidence.keys import generate_key, load_signing_key, parse_public_key, public_hex
    from journeys.evidence.making import make_checkpoint, save_checkpoint
    from journeys.evidence.options import SIGNING_KEY_ENV
    from journeys.loading.batch import LoadReport, load_lines
    from journeys.loading.jsonl import export_lines, read_lines
    from journeys.loading.parallel import load_file
    from journeys.loading.sizes import LOAD_BATCH
    from journeys.progress import Progress
    from journeys.ssda903 import ImportReport, import_903
    from journeys.ssda903 import read_returns as read_903
    from journeys.storage.location import DEFAULT_STORE, is_missing_file
    from journeys.storage.verification import VerifyReport
    from journeys.synthetic.generator import DEFAULT_END
    from journeys.synthetic.generator import generate as generate_journeys
    from journeys.synthetic.returns_903 import write_903
else:
    __getattr__, __dir__ = lazy_face(
        __name__,
        {
            "journeys.application": ("ChildView", "HistoryRow", "JourneysApp"),
            "journeys.storage.verification": ("VerifyReport",),
            "journeys.clock": ("today",),
            "journeys.domain.errors": (
                "CheckpointError",
                "ChildNotFound",
                "DuplicateEvent",
                "EventNotFound",
                "InvalidEvent",
                "JourneyError",
                "RuleBroken",
                "StoreError",
            ),
            "journeys.domain.inputs": (
                "ALLOW_UNKNOWN_LA_ENV",
                "DATE_FORMS",
                "MAX_USER",
                "check_la",
                "check_user",
                "child_reference",
                "is_truthy",
                "parse_date",
            ),
            "journeys.domain.milestones": ("OPEN", "Milestone", "RuleSet", "load_rules"),
            "journeys.domain.timeline": ("CORRECT", "RETRACT", "Entry"),
            "journeys.domain.vocabulary": ("CHILD_STAGES", "EVENT_KINDS", "HARDER_TO_PLACE", "OUTCOMES", "RD_REASONS"),
            "journeys.evidence.checking": ("AgainstReport", "Finding", "verify_against"),
            "journeys.evidence.document": ("Checkpoint", "read_checkpoint", "write_checkpoint"),
            "journeys.evidence.keys": ("generate_key", "load_signing_key", "parse_public_key", "public_hex"),
            "journeys.evidence.making": ("make_checkpoint", "save_checkpoint"),
            "journeys.evidence.options": ("SIGNING_KEY_ENV",),
            "journeys.loading.batch": ("LoadReport", "load_lines"),
            "journeys.loading.sizes": ("LOAD_BATCH",),
            "journeys.loading.jsonl": ("export_lines", "read_lines"),
            "journeys.loading.parallel": ("load_file",),
            "journeys.progress": ("Progress",),
            "journeys.ssda903": ("ImportReport", "import_903", "read_returns as read_903"),
            "journeys.storage.location": ("DEFAULT_STORE", "is_missing_file"),
            "journeys.synthetic.returns_903": ("write_903",),
            "journeys.synthetic.generator": ("DEFAULT_END", "generate as generate_journeys"),
        },
    )

__all__ = [
    "ALLOW_UNKNOWN_LA_ENV",
    "CHILD_STAGES",
    "CORRECT",
    "DATE_FORMS",
    "DEFAULT_END",
    "DEFAULT_STORE",
    "EVENT_KINDS",
    "HARDER_TO_PLACE",
    "LOAD_BATCH",
    "MAX_USER",
    "OPEN",
    "OUTCOMES",
    "RD_REASONS",
    "RETRACT",
    "SIGNING_KEY_ENV",
    "AgainstReport",
    "Checkpoint",
    "CheckpointError",
    "ChildNotFound",
    "ChildView",
    "DuplicateEvent",
    "Entry",
    "EventNotFound",
    "Finding",
    "HistoryRow",
    "ImportReport",
    "InvalidEvent",
    "JourneyError",
    "JourneysApp",
    "LoadReport",
    "Milestone",
    "Progress",
    "RuleBroken",
    "RuleSet",
    "StoreError",
    "VerifyReport",
    "check_la",
    "check_user",
    "child_reference",
    "export_lines",
    "generate_journeys",
    "generate_key",
    "import_903",
    "is_missing_file",
    "is_truthy",
    "load_file",
    "load_lines",
    "load_rules",
    "load_signing_key",
    "make_checkpoint",
    "parse_date",
    "parse_public_key",
    "public_hex",
    "read_903",
    "read_checkpoint",
    "read_lines",
    "save_checkpoint",
    "today",
    "verify_against",
    "write_903",
    "write_checkpoint",
]
