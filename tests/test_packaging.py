"""What a wheel holds: every Python package of the tree is named in pyproject.toml, and every
data file a package reads at run time (rules, templates, styles) is in its package data, so an
install that is not editable (`pip install .`) has them all."""

from __future__ import annotations

import fnmatch
import tomllib

from tests.helpers import ROOT

SOURCES = ("journeys", "projections", "cli", "web")
DATA = ("*.toml", "*.html", "*.css")


def _setuptools() -> dict[str, object]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    found: dict[str, object] = config["tool"]["setuptools"]
    return found


def test_every_package_of_the_tree_is_in_the_wheel() -> None:
    listed = set(_setuptools()["packages"])  # type: ignore[arg-type]
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for top in SOURCES
        for init in (ROOT / top).rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert found - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"


def test_every_data_file_is_in_its_packages_data() -> None:
    data: dict[str, list[str]] = _setuptools()["package-data"]  # type: ignore[assignment]
    missing = []
    for top in SOURCES:
        for path in (ROOT / top).rglob("*"):
            if not path.is_file() or not any(fnmatch.fnmatch(path.name, d) for d in DATA):
                continue
            parts = path.relative_to(ROOT).parts
            # the nearest package whose data patterns match the file's path below it
            held = any(
                fnmatch.fnmatch("/".join(parts[depth:]), pattern)
                for depth in range(1, len(parts))
                for pattern in data.get(".".join(parts[:depth]), [])
            )
            if not held:
                missing.append("/".join(parts))
    assert missing == [], "add these to [tool.setuptools.package-data] in pyproject.toml"
