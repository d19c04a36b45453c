"""What bulk work (a load, a rebuild) shares: worker processes, and the cyclic garbage
collector paused.

The collector: a load and a rebuild make millions of small objects that live on and form no reference cycles; the
collector's passes over them cost a third of a load's time and a sixth of a rebuild's.
Memory is freed by reference counting exactly as before; the collector's state is restored
afterwards (tests check that neither leaves a cycle behind nor the collector off).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# The most processes a load or a rebuild starts by default.
MAX_WORKERS = 4


@contextmanager
def collection_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def process_context() -> Any:  # a fork or spawn context (typeshed's BaseContext lacks Process)
    """fork where it is safe (no other threads in this process, as with a SQLite store),
    which starts a process in milliseconds; spawn otherwise."""
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
