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
    from journeys.domain.access_log import AccessRecord, checked_purpose
    from journeys.domain.actions import ActionClosed, ActionState
    from journeys.domain.care_periods import CarePeriod
    from journeys.domain.errors import (
        CheckpointError,
        ChildNotFound,
        DuplicateEvent,
        EventNotFound,
        InvalidEvent,
        JourneyError,
        ProtectionError,
        ReturnsError,
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
    from journeys.domain.milestones import OPEN, OVERDUE, OVERTAKEN, Milestone, RuleSet, load_rules
    from journeys.domain.retention import Retention, RetentionRule, load_retention_rules
    from journeys.domain.returns_log import RETURN_KINDS, ReturnRecord
    from journeys.domain.timeline import CORRECT, ERASED, RETRACT, Entry
    from journeys.domain.vocabulary import CHILD_STAGES, EVENT_KINDS, HARDER_TO_PLACE, OUTCOMES, RD_REASONS, ROUTES
    from journeys.evidence.checking import AgainstReport, Finding, verify_against
    from journeys.evidence.document import Checkpoint, read_checkpoint, write_checkpoint
    from journeys.evidence.keys import generate_key, load_signing_key, parse_public_key, public_hex
    from journeys.evidence.making import make_checkpoint, save_checkpoint
    from journeys.evidence.options import SIGNING_KEY_ENV
    from journeys.la_access import access_grants, grant_access, refuse_single_user, revoke_access
    from journeys.loading.batch import LoadReport, load_lines
    from journeys.loading.extract import extract_lines, read_extract_key, write_extract
    from journeys.loading.jsonl import export_lines, read_lines
    from journeys.loading.parallel import load_file
    from journeys.loading.sizes import LOAD_BATCH
    from journeys.progress import Progress
    from journeys.protection.access import AccessLogCheck, access_records, check_access_log, note_access
    from journeys.protection.erasure import Erasure, compact_after_erasure, erase
    from journeys.protection.retention import RetentionReport, RetentionRow, legal_hold, retention_report
    from journeys.protection.subject_access import SubjectAccess, write_subject_access
    from journeys.returns.log import (
        ReturnsLogCheck,
        check_returns_log,
        find_return,
        record_return,
        record_returns,
        return_records,
    )
    from journeys.ssda903 import ImportReport, import_903, record_import
    from journeys.ssda903 import read_returns as read_903
    from journeys.ssda903.export import export_903
    from journeys.storage.conversion import Conversion, decrypt_store, encrypt_store
    from journeys.storage.location import DEFAULT_STORE, is_missing_file
    from journeys.storage.store_key import MAKE_KEY, STORE_KEY_ENV, STORE_KEY_FILE_ENV, store_key
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
            "journeys.la_access": ("access_grants", "grant_access", "refuse_single_user", "revoke_access"),
            "journeys.domain.access_log": ("AccessRecord", "checked_purpose"),
            "journeys.domain.returns_log": ("RETURN_KINDS", "ReturnRecord"),
            "journeys.domain.errors": (
                "CheckpointError",
                "ChildNotFound",
                "DuplicateEvent",
                "EventNotFound",
                "InvalidEvent",
                "JourneyError",
                "ProtectionError",
                "ReturnsError",
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
            "journeys.domain.actions": ("ActionClosed", "ActionState"),
            "journeys.domain.care_periods": ("CarePeriod",),
            "journeys.domain.milestones": ("OPEN", "OVERDUE", "OVERTAKEN", "Milestone", "RuleSet", "load_rules"),
            "journeys.domain.retention": ("Retention", "RetentionRule", "load_retention_rules"),
            "journeys.domain.timeline": ("CORRECT", "ERASED", "RETRACT", "Entry"),
            "journeys.domain.vocabulary": (
                "CHILD_STAGES",
                "EVENT_KINDS",
                "HARDER_TO_PLACE",
                "OUTCOMES",
                "RD_REASONS",
                "ROUTES",
            ),
            "journeys.evidence.checking": ("AgainstReport", "Finding", "verify_against"),
            "journeys.evidence.document": ("Checkpoint", "read_checkpoint", "write_checkpoint"),
            "journeys.evidence.keys": ("generate_key", "load_signing_key", "parse_public_key", "public_hex"),
            "journeys.evidence.making": ("make_checkpoint", "save_checkpoint"),
            "journeys.evidence.options": ("SIGNING_KEY_ENV",),
            "journeys.loading.batch": ("LoadReport", "load_lines"),
            "journeys.loading.extract": ("extract_lines", "read_extract_key", "write_extract"),
            "journeys.loading.sizes": ("LOAD_BATCH",),
            "journeys.loading.jsonl": ("export_lines", "read_lines"),
            "journeys.loading.parallel": ("load_file",),
            "journeys.progress": ("Progress",),
            "journeys.protection.access": ("AccessLogCheck", "access_records", "check_access_log", "note_access"),
            "journeys.protection.erasure": ("Erasure", "compact_after_erasure", "erase"),
            "journeys.protection.retention": ("RetentionReport", "RetentionRow", "legal_hold", "retention_report"),
            "journeys.protection.subject_access": ("SubjectAccess", "write_subject_access"),
            "journeys.returns.log": (
                "ReturnsLogCheck",
                "check_returns_log",
                "find_return",
                "record_return",
                "record_returns",
                "return_records",
            ),
            "journeys.ssda903": ("ImportReport", "import_903", "read_returns as read_903", "record_import"),
            "journeys.ssda903.export": ("export_903",),
            "journeys.storage.conversion": ("Conversion", "decrypt_store", "encrypt_store"),
            "journeys.storage.location": ("DEFAULT_STORE", "is_missing_file"),
            "journeys.storage.store_key": ("MAKE_KEY", "STORE_KEY_ENV", "STORE_KEY_FILE_ENV", "store_key"),
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
    "ERASED",
    "EVENT_KINDS",
    "HARDER_TO_PLACE",
    "LOAD_BATCH",
    "MAKE_KEY",
    "MAX_USER",
    "OPEN",
    "OUTCOMES",
    "OVERDUE",
    "OVERTAKEN",
    "RD_REASONS",
    "RETRACT",
    "RETURN_KINDS",
    "ROUTES",
    "SIGNING_KEY_ENV",
    "STORE_KEY_ENV",
    "STORE_KEY_FILE_ENV",
    "AccessLogCheck",
    "AccessRecord",
    "ActionClosed",
    "ActionState",
    "AgainstReport",
    "CarePeriod",
    "Checkpoint",
    "CheckpointError",
    "ChildNotFound",
    "ChildView",
    "Conversion",
    "DuplicateEvent",
    "Entry",
    "Erasure",
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
    "ProtectionError",
    "Retention",
    "RetentionReport",
    "RetentionRow",
    "RetentionRule",
    "ReturnRecord",
    "ReturnsError",
    "ReturnsLogCheck",
    "RuleBroken",
    "RuleSet",
    "StoreError",
    "SubjectAccess",
    "VerifyReport",
    "access_grants",
    "access_records",
    "check_access_log",
    "check_la",
    "check_returns_log",
    "check_user",
    "checked_purpose",
    "child_reference",
    "compact_after_erasure",
    "decrypt_store",
    "encrypt_store",
    "erase",
    "export_903",
    "export_lines",
    "extract_lines",
    "find_return",
    "generate_journeys",
    "generate_key",
    "grant_access",
    "import_903",
    "is_missing_file",
    "is_truthy",
    "legal_hold",
    "load_file",
    "load_lines",
    "load_retention_rules",
    "load_rules",
    "load_signing_key",
    "make_checkpoint",
    "note_access",
    "parse_date",
    "parse_public_key",
    "public_hex",
    "read_903",
    "read_checkpoint",
    "read_extract_key",
    "read_lines",
    "record_import",
    "record_return",
    "record_returns",
    "refuse_single_user",
    "retention_report",
    "return_records",
    "revoke_access",
    "save_checkpoint",
    "store_key",
    "today",
    "verify_against",
    "write_903",
    "write_checkpoint",
    "write_extract",
    "write_subject_access",
]
