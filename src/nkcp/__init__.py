"""nk-collective-punishment: reported collective punishment in North Korea, traced to the words of sources.

The public API is deliberately small and imports nothing heavy at package import time, so the
`nkcp` command starts fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    import pandas

# The data release this package carries: the wheel holds exactly that release's tables (README,
# "Versions"). Set by `nkcp release`.
__version__ = "1.0.0"
# The tools' own version (the `nkcp` command and this API), bumped by hand by semantic versioning
# when they change, and recorded with each release; data and tools change apart.
TOOLS_VERSION = "0.2.0"


def load(table: str, version: str | None = None, *, package: str | Path | None = None,
         **fetch_options: Any) -> pandas.DataFrame:
    """Return a table (events, quotes, sources, locations, evidence) as a pandas DataFrame with the
    schema's types; `df.attrs` names the version.

    Without `version`, the release this package carries (`nkcp.__version__`, no network); with
    one, that release, downloaded once with pooch and cached (see `nkcp download`); with
    `package`, the data package in that folder, e.g. a checkout's unreleased build (`package=".")`).
    """
    from nkcp.release.load import load as _load

    return _load(table, version, package=package, **fetch_options)


def parquet_path(table: str, version: str | None = None, **fetch_options: Any) -> Path:
    """The Parquet file of a table, for polars, DuckDB or pyarrow: of the release this package
    carries, or of `version` (downloaded once and cached, as `load` does)."""
    from nkcp.release.load import parquet_path as _parquet_path

    return _parquet_path(table, version, **fetch_options)
