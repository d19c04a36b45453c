"""How long work says how far it has got: the one progress protocol of the project.

Every command that can take a while (load, import-903, verify, export, catch-up, rebuild)
takes an optional ``progress`` callable and calls it now and then with the units done so far
and the units in all (lines of a file, or stored events). The CLI draws a bar from it; a
library caller may log it, or pass nothing.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def __call__(self, done: int, total: int) -> None:
        """``done`` of ``total`` units so far (``done`` grows; it reaches ``total`` at the end)."""
