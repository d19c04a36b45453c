"""The GOV.UK Frontend assets (from its npm package, installed into the virtual environment
by `make install`) and the app's own small stylesheet: where they are, and copying them beside
a static report."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from journeys import JourneyError

ASSETS_ENV = "JOURNEYS_GOVUK_FRONTEND"
OWN = Path(__file__).parent / "static"


class AssetsMissing(JourneyError):
    """The GOV.UK Frontend package is not installed where the web pages look for it."""

    remedy = "run `make install` (it installs govuk-frontend with npm into .venv/npm), or set JOURNEYS_GOVUK_FRONTEND"


def frontend_dir() -> Path:
    """govuk-frontend's ``dist/govuk`` folder: JOURNEYS_GOVUK_FRONTEND, else the one in the venv."""
    given = os.environ.get(ASSETS_ENV)
    found = Path(given) if given else Path(sys.prefix) / "npm" / "node_modules" / "govuk-frontend" / "dist" / "govuk"
    if not (found / "govuk-frontend.min.css").is_file():
        raise AssetsMissing(f"GOV.UK Frontend is not installed at {found}")
    return found


def axe_script() -> Path | None:
    """axe-core's ``axe.min.js`` from the same npm install (the browser tests' accessibility check)."""
    found = Path(sys.prefix) / "npm" / "node_modules" / "axe-core" / "axe.min.js"
    return found if found.is_file() else None


def find(path: str) -> Path | None:
    """The file an ``/assets/...`` address names, or None (nothing outside the asset folders)."""
    base = frontend_dir()
    for root, inner in ((OWN, path), (base, path), (base / "assets", path)):
        candidate = (root / inner).resolve()
        if candidate.is_file() and candidate.is_relative_to(root.resolve()):
            return candidate
    return None


def copy_to(folder: Path) -> None:
    """The assets a static report needs, in ``folder`` (its ``assets/``): the stylesheet's
    absolute ``/assets/`` addresses made relative, so the pages open from disk."""
    base = frontend_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("fonts", "images"):
        shutil.copytree(base / "assets" / name, folder / name, dirs_exist_ok=True)
    shutil.copy2(base / "assets" / "manifest.json", folder / "manifest.json")
    css = (base / "govuk-frontend.min.css").read_text(encoding="utf-8").replace("url(/assets/", "url(")
    (folder / "govuk-frontend.min.css").write_text(css, encoding="utf-8")
    shutil.copy2(OWN / "journeys.css", folder / "journeys.css")
