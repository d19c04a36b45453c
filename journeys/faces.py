"""Lazy faces: a package's public names, each imported from its wing when first used (PEP 562).

A face keeps its real imports under ``if TYPE_CHECKING:`` (for mypy and the import contracts)
and, at run time, hands :func:`lazy_face` the same names by module. ``from journeys import
today`` then imports :mod:`journeys.clock` alone, not the application, so a command line that
needs one name does not pay for them all.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping, Sequence


def lazy_face(face: str, wings: Mapping[str, Sequence[str]]) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """The module ``__getattr__`` and ``__dir__`` of the package ``face``.

    ``wings`` maps each module to the public names it gives the face, written as in an import:
    ``"name"``, or ``"name as public"`` where the face renames it.
    """
    where: dict[str, tuple[str, str]] = {}
    for module, names in wings.items():
        for written in names:
            name, _, public = written.partition(" as ")
            where[public or name] = (module, name)

    def __getattr__(public: str) -> object:
        try:
            module, name = where[public]
        except KeyError:
            # An AttributeError (not a KeyError) lets `from face import submodule` fall back to
            # importing the submodule, as it does on a face without this hook.
            raise AttributeError(f"module {face!r} has no attribute {public!r}") from None
        value = getattr(importlib.import_module(module), name)
        # Kept on the face, so that the next lookup is an ordinary attribute, not this call.
        setattr(sys.modules[face], public, value)
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[face])) | set(where))

    return __getattr__, __dir__
