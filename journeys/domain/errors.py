"""Typed errors of the journey store. Each says what failed and how to put it right."""

from __future__ import annotations


class JourneyError(Exception):
    """Base of every error the engine raises on purpose.

    ``str(error)`` is one sentence saying what is wrong; ``remedy`` says what to do.
    """

    remedy = ""

    def __init__(self, message: str, remedy: str | None = None) -> None:
        super().__init__(message)
        if remedy is not None:
            self.remedy = remedy

    def full_message(self) -> str:
        message = str(self)
        return f"{message} — {self.remedy}" if self.remedy else message


class InvalidEvent(JourneyError):
    """An event's kind or fields are not valid (unknown code, impossible date, missing field)."""

    remedy = "check the event's fields against `journeys record --help`"


class RuleBroken(JourneyError):
    """Appending the event would break a rule of the child's timeline."""

    remedy = "check the dates, or correct the earlier event with `journeys correct`"

    def __init__(self, rule: str, message: str, remedy: str | None = None) -> None:
        super().__init__(message, remedy)
        self.rule = rule


class DuplicateEvent(RuleBroken):
    """The same decision, on the same date with the same fields, is already recorded."""

    remedy = "nothing to do: it is already recorded (see `journeys history`)"

    def __init__(self, message: str) -> None:
        super().__init__("duplicate", message)


class ChildNotFound(JourneyError):
    remedy = "check the child reference and --la (or JOURNEYS_LA)"


class EventNotFound(JourneyError):
    remedy = "see `journeys history CHILD` for the event numbers"


class ActionNotFound(JourneyError):
    remedy = "see `journeys history CHILD` for the action ids"


class TamperedEvent(JourneyError):
    """A restored event (a lossless export's line) that does not seal to the hash it was
    recorded with: the line, or an event before it in its stream, is not as it was stored."""

    remedy = (
        "load the export as `journeys export` wrote it (a changed line is refused); "
        'to load the line as a new event instead, remove its "recorded" member'
    )


class RestoreMismatch(JourneyError):
    """A restored event (a lossless export's line) that does not fit its child's stream in
    the store: another event is stored at its place, or the events before it are not there."""

    remedy = "load the export into an empty store, or into one whose events of the child are the export's"


class StoreError(JourneyError):
    remedy = "check --store (or JOURNEYS_STORE): a file path or a postgresql:// URL"


class CheckpointError(JourneyError):
    """A checkpoint or a signing key that cannot be used: unreadable, altered since it was
    signed, signed by another key, of another store; or a store that cannot be checkpointed."""

    remedy = "give the checkpoint file as `journeys checkpoint` wrote it"


class ProtectionError(JourneyError):
    """A data-protection command refused: a subject-access file that cannot be written, a
    retention rule table that cannot be read."""

    remedy = "see docs/data-protection.md"


class ReturnsError(JourneyError):
    """A return that cannot be recorded, found or re-derived (the returns log, docs/returns.md)."""

    remedy = "see `journeys returns list` for the returns recorded"
