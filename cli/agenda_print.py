"""The surgery agenda as plain Markdown for printing: one section per local authority, the
children grouped by urgency, each with its next milestone, its actions and a line to write
what the meeting agreed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from projections import AgendaRow

# Headings in the agenda's order: an overdue milestone or action first.
_GROUPS = (("overdue", "Overdue"), ("due-soon", "Due soon"), ("open", "Now possible"), ("on-track", "On track"))


def _group(row: AgendaRow) -> str:
    return "overdue" if row.urgent else row.status


def _line(row: AgendaRow) -> list[str]:
    nxt = row.next_milestone
    milestone = f"{nxt.rule.name} ({nxt.rule.id}) by {nxt.deadline}" if nxt else "no milestone pending"
    late = f", {row.days_overdue} days overdue" if row.days_overdue else ""
    lines = [f"- **{row.child}**: {row.stage}, {row.days_in_stage or 0} days; {milestone}: {row.status}{late}"]
    for a in row.actions:
        flag = f" (overdue {a.days_overdue} days)" if a.days_overdue else ""
        lines.append(f"  - [ ] {a.action_id} {a.text} — {a.owner}, by {a.due}{flag}")
    lines.append("  - Agreed: ______________________________________________")
    return lines


def agenda_markdown(rows: Iterable[AgendaRow], as_at: date, known: str) -> str:
    """The agenda's rows as Markdown, one ``#`` section per local authority."""
    by_la: dict[str, list[AgendaRow]] = {}
    for row in rows:
        by_la.setdefault(row.la, []).append(row)
    out: list[str] = []
    for la, la_rows in sorted(by_la.items()):
        out += [f"# Performance surgery, local authority {la}", "", f"As at {as_at}, {known}.", ""]
        for key, title in _GROUPS:
            group = [r for r in la_rows if _group(r) == key]
            if group:
                out += [f"## {title} ({len(group)})", ""]
                for row in group:
                    out += _line(row)
                out.append("")
    if not out:
        out = [f"# Performance surgery as at {as_at}", "", "No child on the agenda.", ""]
    return "\n".join(out)
