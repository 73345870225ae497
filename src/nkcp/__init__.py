"""nk-collective-punishment: reported collective punishment in North Korea, traced to the words of sources.

The public API is deliberately small and imports nothing heavy at package import time, so the
`nkcp` command starts fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas

__version__ = "0.1.0"


def load(table: str, version: str | None = None, **fetch_options: Any) -> pandas.DataFrame:
    """Return a table (events, quotes, sources, locations) as a pandas DataFrame with the schema's types.

    Without `version`, the current release bundled with the package is read (no network); with
    one, that release is downloaded once with pooch and cached (see `nkcp download`).
    """
    from nkcp.release.load import load as _load

    return _load(table, version, **fetch_options)
