"""A new file written whole, readable by its owner only (0600): what the engine writes for
people to keep (checkpoints, signing keys, subject-access exports). An existing file is never
replaced, and a write that fails removes what it wrote."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path


def write_new(path: Path, data: bytes, *, taken: Exception, error: Callable[[str, str], Exception]) -> None:
    """Write ``data`` to the new file ``path``; raise ``taken`` when it exists, and
    ``error(message, remedy)`` when it cannot be made or written."""
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise taken from None
    except OSError as failed:
        raise error(f"cannot create {str(path)!r}: {failed.strerror}", "check the folder and its rights") from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
    except OSError as failed:
        path.unlink(missing_ok=True)
        raise error(f"cannot write {str(path)!r}: {failed.strerror}", "check the disk and try again") from None
