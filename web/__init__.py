"""The web pages of journeys: `journeys serve` and `journeys report --out DIR`.

A layer above the read side, like the CLI: every page calls the library functions the CLI
calls (:mod:`projections`, :mod:`journeys`), never SQL. This is the face the CLI uses.
"""

from typing import TYPE_CHECKING

from journeys.faces import lazy_face

if TYPE_CHECKING:
    from web.app import create_app
    from web.assets import AssetsMissing
    from web.deployment import Deployment, InvalidDeployment, load_deployment
    from web.static_report import write_report
else:
    __getattr__, __dir__ = lazy_face(
        __name__,
        {
            "web.app": ("create_app",),
            "web.assets": ("AssetsMissing",),
            "web.deployment": ("Deployment", "InvalidDeployment", "load_deployment"),
            "web.static_report": ("write_report",),
        },
    )

__all__ = ["AssetsMissing", "Deployment", "InvalidDeployment", "create_app", "load_deployment", "write_report"]
