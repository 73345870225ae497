"""`python -m nkcp` and the `nkcp` command: the CLI, or a clear word when the tools are not installed."""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from nkcp.cli import app
    except ModuleNotFoundError as exc:  # a reader's light install has the loaders, not the tools
        print(f"error: the nkcp command needs the contributors' tools ({exc.name} is not installed); "
              "install them with: pip install 'nk-collective-punishment[tools]'", file=sys.stderr)
        sys.exit(1)
    app(prog_name="nkcp")


if __name__ == "__main__":
    main()
