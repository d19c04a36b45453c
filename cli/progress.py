"""The progress bar on standard error that every long command draws (load, import-903, export,
verify, catch-up, rebuild): fed by the project's one protocol, ``progress(done, total)``."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from journeys import Progress

# Runs over fewer stored events than this finish too soon for a bar to help.
PROGRESS_FROM = 1000


@contextmanager
def progress_bar(label: str, show: bool) -> Iterator[Progress | None]:
    """A ``progress(done, total)`` callback drawing a bar on standard error, or None when
    no bar is wanted (--quiet, --json, or standard error is not a terminal)."""
    if not show:
        yield None
        return
    bar: Any = None
    seen = 0

    def progress(done: int, total: int) -> None:
        nonlocal bar, seen
        if bar is None:
            bar = click.progressbar(length=total, label=label, file=sys.stderr)
            bar.__enter__()
        bar.update(done - seen)
        seen = done

    try:
        yield progress
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


@contextmanager
def events_bar(label: str, events: int) -> Iterator[Progress | None]:
    """:func:`progress_bar` for a run over ``events`` stored events: drawn only on a terminal,
    and only for a run long enough to want one."""
    with progress_bar(label, sys.stderr.isatty() and events >= PROGRESS_FROM) as progress:
        yield progress
