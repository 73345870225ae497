"""A real browser for the tests: Debian's headless Chromium driven by Playwright.

`open_page(url)` loads a page (a file:// URL or one on 127.0.0.1) and hands back the page with
every request it made and every console error it printed, so a test can assert what a person
would check: nothing left the machine, nothing failed. Requests to any other host are aborted
(and recorded), so a page that would fetch from a CDN or tile server fails its test instead of
stalling. The flags are those Chromium needs on a machine with no network (see scripts/setup.sh).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOCAL_HOSTS = {"127.0.0.1", "localhost", ""}


@dataclass
class Visit:
    """What one page load did: the page itself, each URL requested, each console error and page error."""

    page: object  # playwright.sync_api.Page (typed loosely: playwright is a test-only dependency)
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def outside_requests(self) -> list[str]:
        """Requests that would have left the machine (not file:, data:, blob: or 127.0.0.1)."""
        return [url for url in self.requests if urlsplit(url).scheme in ("http", "https", "ws", "wss")
                and urlsplit(url).hostname not in LOCAL_HOSTS]


@contextmanager
def open_page(url: str, *, width: int = 1280, height: int = 900) -> Iterator[Visit]:
    """Load `url` in headless Chromium and yield the visit once the page and its requests are done."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            visit = Visit(page)
            page.on("request", lambda request: visit.requests.append(request.url))
            page.on("console", lambda msg: visit.console_errors.append(msg.text) if msg.type == "error" else None)
            page.on("pageerror", lambda exc: visit.console_errors.append(f"page error: {exc}"))

            def _route(route: object) -> None:
                host = urlsplit(route.request.url).hostname  # type: ignore[attr-defined]
                if urlsplit(route.request.url).scheme in ("http", "https") and host not in LOCAL_HOSTS:  # type: ignore[attr-defined]
                    route.abort()  # type: ignore[attr-defined]
                else:
                    route.continue_()  # type: ignore[attr-defined]

            page.route("**/*", _route)
            page.goto(url, wait_until="networkidle")
            yield visit
        finally:
            browser.close()
