"""The lazy faces give what their eager imports gave: every name of ``__all__``, the same
object as the module that defines it, and nothing that mypy does not see.

Each face lists its names twice, under ``if TYPE_CHECKING:`` (for mypy and the import contracts)
and for :func:`journeys.faces.lazy_face` (at run time); these tests hold the two lists equal.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path
from types import ModuleType

import pytest

FACES = ["journeys", "journeys.domain", "journeys.evidence", "journeys.loading", "journeys.storage", "projections"]


def _checked_imports(face: ModuleType) -> list[tuple[str, str, str]]:
    """(module, name, public name) of each import under the face's ``if TYPE_CHECKING:``."""
    assert face.__file__ is not None
    tree = ast.parse(Path(face.__file__).read_text(encoding="utf-8"))
    found = []
    for node in tree.body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for statement in node.body:
                assert isinstance(statement, ast.ImportFrom) and statement.module
                found += [(statement.module, a.name, a.asname or a.name) for a in statement.names]
    return found


@pytest.mark.parametrize("name", FACES)
def test_every_public_name_is_the_defining_module_s_object(name: str) -> None:
    face = importlib.import_module(name)
    checked = _checked_imports(face)

    assert sorted(public for _, _, public in checked) == sorted(face.__all__)
    for module, attribute, public in checked:
        assert getattr(face, public) is getattr(importlib.import_module(module), attribute), public
    assert set(face.__all__) <= set(dir(face))


@pytest.mark.parametrize("name", FACES)
def test_an_unknown_name_is_an_attribute_error(name: str) -> None:
    face = importlib.import_module(name)
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = face.no_such_name


def test_a_submodule_is_still_imported_through_its_face() -> None:
    from journeys.domain import vocabulary

    assert vocabulary is importlib.import_module("journeys.domain.vocabulary")
