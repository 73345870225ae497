"""The browser the page tests use sees what they claim to: an outside request and a console error."""

from __future__ import annotations

from pathlib import Path

from tests.browser import open_page


def test_the_browser_reports_outside_requests_and_console_errors(tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    page.write_text('<html><body><h1 id="t">local</h1><img src="https://cdn.example.com/x.png">'
                    '<script>console.error("boom")</script></body></html>', encoding="utf-8")
    with open_page(page.as_uri()) as visit:
        assert visit.page.inner_text("#t") == "local"  # type: ignore[attr-defined]
        assert visit.outside_requests() == ["https://cdn.example.com/x.png"]
        assert "boom" in visit.console_errors
