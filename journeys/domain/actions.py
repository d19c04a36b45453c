"""Surgery actions in a child's stream: where each stands, and what may still be done to it.

An action is added (``action-added``), may be edited (``action-edited``: a new owner, due date
or text, each change an event of its own) and ends done (``action-done``) or cancelled
(``action-cancelled``, with a reason). A done or cancelled action is closed: it cannot be
edited, completed or cancelled again. Nothing here reads a clock or a store.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, Final

from journeys.domain.errors import ActionNotFound, InvalidEvent, JourneyError
from journeys.domain.timeline import ACTION_ADDED, ACTION_CANCELLED, ACTION_DONE, ACTION_EDITED, Entry, known_by

OPEN_ACTION: Final = "open"
DONE: Final = "done"
CANCELLED: Final = "cancelled"
ACTION_KINDS: Final = frozenset({ACTION_ADDED, ACTION_EDITED, ACTION_DONE, ACTION_CANCELLED})
EDITABLE: Final = ("owner", "due", "text")


class ActionClosed(JourneyError):
    """The action is already done or cancelled: it cannot be changed."""

    remedy = "add a new action with `journeys action add` (see `journeys history CHILD`)"


@dataclass(frozen=True)
class ActionState:
    """One action as its events leave it."""

    action_id: str
    text: str
    owner: str
    due: date
    recorded_at: datetime  # when it was added
    recorded_by: str
    seq: int  # the action-added event's number in the stream
    state: str = OPEN_ACTION
    edited: int = 0  # how many edits
    note: str | None = None  # what was done, or why it was cancelled

    def days_overdue(self, as_at: date) -> int | None:
        """Days past its due date on ``as_at`` (None when not yet overdue)."""
        return (as_at - self.due).days if as_at > self.due else None


def action_states(entries: Iterable[Entry]) -> dict[str, ActionState]:
    """Every action of the stream by id, its edits applied in recording order."""
    found: dict[str, ActionState] = {}
    for e in entries:
        if e.kind not in ACTION_KINDS:
            continue
        action_id = str(e.fields["action_id"])
        if e.kind == ACTION_ADDED:
            found[action_id] = ActionState(
                action_id,
                str(e.fields["text"]),
                str(e.fields["owner"]),
                e.fields["due"],
                e.recorded_at,
                e.recorded_by,
                e.seq,
            )
            continue
        was = found.get(action_id)
        if was is None:
            continue
        if e.kind == ACTION_EDITED:
            changes = {k: e.fields[k] for k in EDITABLE if e.fields.get(k) is not None}
            found[action_id] = replace(was, **changes, edited=was.edited + 1)
        elif e.kind == ACTION_DONE:
            found[action_id] = replace(was, state=DONE, note=e.fields.get("note"))
        else:
            found[action_id] = replace(was, state=CANCELLED, note=e.fields.get("reason"))
    return found


def open_actions(entries: Iterable[Entry], known_at: datetime | None = None) -> tuple[ActionState, ...]:
    """The actions recorded by ``known_at`` and not done or cancelled by then, by due date."""
    found = action_states(known_by(entries, known_at)).values()
    return tuple(sorted((a for a in found if a.state == OPEN_ACTION), key=lambda a: (a.due, a.action_id)))


def open_action(entries: Iterable[Entry], action_id: str, child: str, doing: str) -> ActionState:
    """Action ``action_id`` of the stream, refused when there is none or it is closed."""
    state = action_states(entries).get(action_id)
    if state is None:
        raise ActionNotFound(f"child {child} has no action {action_id}")
    if state.state != OPEN_ACTION:
        raise ActionClosed(f"action {action_id} of child {child} is already {state.state}: it cannot be {doing}")
    return state


def changes_of(state: ActionState, *, owner: str | None, due: date | None, text: str | None) -> dict[str, Any]:
    """The fields an edit changes (those given and different), refused when it changes nothing."""
    given: dict[str, Any] = {"owner": owner, "due": due, "text": text}
    changes = {k: v for k, v in given.items() if v is not None and v != getattr(state, k)}
    if not changes:
        raise InvalidEvent(
            f"the edit of action {state.action_id} changes nothing", "give --owner, --due or --text with a new value"
        )
    return changes
