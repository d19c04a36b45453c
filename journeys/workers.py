"""What bulk work (a load, a rebuild) shares: worker processes, which end with the process
that started them (:func:`die_with_parent`), and the cyclic garbage collector paused.

The collector: a load and a rebuild make millions of small objects that live on and form no reference cycles; the
collector's passes over them cost a third of a load's time and a sixth of a rebuild's.
Memory is freed by reference counting exactly as before; the collector's state is restored
afterwards (tests check that neither leaves a cycle behind nor the collector off).
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# The most processes a load or a rebuild starts by default.
MAX_WORKERS = 4

_PR_SET_PDEATHSIG = 1  # linux/prctl.h
_PARENT_POLL_SECONDS = 1.0


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


def die_with_parent(parent: int) -> None:
    """Make this worker process end when ``parent`` (the pid of the process that started it)
    does, even by kill -9, so that no orphan goes on writing to the store.

    On Linux the kernel sends SIGKILL at the parent's death (``PR_SET_PDEATHSIG``); elsewhere a
    daemon thread watches the parent's pid once a second. Either way, a parent already gone
    ends the worker at once.
    """
    if not (sys.platform.startswith("linux") and _kill_at_parent_death()):
        threading.Thread(target=_watch_parent, args=(parent,), name="journeys-parent-watch", daemon=True).start()
    if os.getppid() != parent:  # it died before the watch began
        os._exit(1)


def _kill_at_parent_death() -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_PARENT_POLL_SECONDS)
    os._exit(1)  # at once: the parent that would take this worker's result is gone
