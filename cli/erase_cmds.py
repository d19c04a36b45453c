"""`journeys erase`: a child's identifying values made unreadable for good (crypto-shredding)."""

from __future__ import annotations

import click

import journeys
import projections
from cli.context import friendly, resolve_la, settings, with_la
from cli.output import echo_json
from cli.params import REASON, child_argument, json_option


@click.command()
@child_argument
@with_la
@click.option("--reason", type=REASON, required=True, help="Why the record is erased (kept, in clear, with it).")
@click.option(
    "--override-retention",
    type=REASON,
    default=None,
    metavar="REASON",
    help="Erase a record not yet due for review (kept or held by `journeys retention`), saying why.",
)
@json_option
@friendly
def erase(child: str, la: str | None, reason: str, override_retention: str | None, as_json: bool) -> None:
    """Erase CHILD: destroy its key, so its reference, date of birth, adopters and free text
    can never be read again, while `verify` still passes and every report counts it as before.

    On an erasable store only (see docs/data-protection.md). An `erased` event (why, by whom,
    when) is appended and the child's key destroyed in one transaction; from then on the child
    is shown as `erased-<8 hex>` with its residue (LA, year of birth, decision dates). A record
    not yet due for erasure (`kept` or `held` in `journeys retention`) is refused unless
    --override-retention says why. Then the read model is caught up and the store's files
    compacted, so that no copy of the key or of the values is left in them.

    \b
    Example:
      journeys erase C001 --la 825 --reason "retention period ended (review 2026-14)"
      journeys erase C002 --la 825 --reason "court order 12/2026" --override-retention "court order 12/2026"
    """
    code = resolve_la(la)
    s = settings()
    app = s.app()
    done = journeys.erase(
        app,
        code,
        child,
        reason=reason,
        override_retention=override_retention,
        recorded_by=s.recorded_by,
        as_at=journeys.today(),
        rules=journeys.load_retention_rules(),
    )
    projections.projection_after_erasure(app)
    journeys.compact_after_erasure(app)
    entry = done.entry
    if as_json:
        echo_json(
            {
                "la": done.la,
                "child": done.pseudonym,
                "seq": entry.seq,
                "erased_at": entry.recorded_at,
                "erased_by": entry.recorded_by,
                "reason": entry.reason,
                "retention_override": entry.fields["retention_override"],
            }
        )
        return
    click.echo(f"erased child {done.child} ({done.la}) as event {entry.seq}: from now on it is {done.pseudonym}")


COMMANDS = [erase]
