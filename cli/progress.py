"""A progress bar on standard error for long commands (load, import-903, export, verify)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from journeys import Progress


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
