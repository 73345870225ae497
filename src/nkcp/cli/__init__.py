"""The `nkcp` command: a thin typer layer, one library call per verb, its commands grouped by who uses them.

Heavy libraries (pandas, pyarrow, pandera, frictionless) are imported inside the commands that
need them, never at start-up, so `nkcp --help` stays fast. Importing the command modules
registers their commands, in the order `--help` lists them.
"""

# isort: off
from nkcp.cli.common import app
from nkcp.cli import dataset, releases, contribute, serve  # noqa: F401
# isort: on

__all__ = ["app"]
