"""Screenshots of the dataset card for review: the index page (whole), the map, the timeline, and
one event page, as PNG files in the folder given (default: screenshots/, which git ignores).

    .venv/bin/python scripts/screenshots.py [CARD_DIR] [OUT_DIR]

Run after `nkcp build`. Uses the same headless Chromium as the browser tests, with the network
blocked; the pictures are for a person to look at, not compared pixel by pixel.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.browser import open_page


def main() -> None:
    card = Path(sys.argv[1] if len(sys.argv) > 1 else "build/card").resolve()
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    with open_page((card / "index.html").as_uri(), width=1400, height=1000) as visit:
        page = visit.page
        page.screenshot(path=str(out / "card-index.png"), full_page=True)  # type: ignore[attr-defined]
        page.locator("#map + .figure svg").first.screenshot(path=str(out / "card-map.png"))  # type: ignore[attr-defined]
        page.locator("#timeline + .figure svg").first.screenshot(path=str(out / "card-timeline.png"))  # type: ignore[attr-defined]
        problems = visit.outside_requests() + visit.console_errors
    first = sorted((card / "events").glob("*.html"))[0]
    with open_page(first.as_uri(), width=1400, height=1000) as visit:
        visit.page.screenshot(path=str(out / f"card-event-{first.stem}.png"), full_page=True)  # type: ignore[attr-defined]
        problems += visit.outside_requests() + visit.console_errors
    for name in sorted(p.name for p in out.glob("card-*.png")):
        print(out / name)
    if problems:
        sys.exit(f"the card made outside requests or console errors: {problems}")


if __name__ == "__main__":
    main()
