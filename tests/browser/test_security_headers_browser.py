"""Under the security headers the pages still work in a real browser: nothing refused by the CSP."""

from __future__ import annotations

from typing import Any

from playwright import sync_api as playwright_api

from tests.browser.conftest import Served, new_page


def _watch(page: Any) -> tuple[list[str], list[str]]:
    """(console errors, requests to other hosts) of a page from now on. A missing favicon is
    the browser's guess (the pages name none), not a fault of the page."""
    errors: list[str] = []
    outside: list[str] = []

    def on_console(message: Any) -> None:
        where = str(message.location.get("url", ""))
        if message.type == "error" and not where.endswith("/favicon.ico"):
            errors.append(f"{message.text} ({where})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors, outside


def test_the_docs_page_draws_the_api_offline(browser: Any, served: Served) -> None:
    page = new_page(browser, "desktop")
    errors, outside = _watch(page)
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith(served.base) else outside.append(request.url)
        ),
    )
    page.goto(f"{served.base}/schema")
    # Swagger UI has read the schema and drawn the operations.
    playwright_api.expect(page.locator(".opblock").first).to_be_visible(timeout=60_000)
    assert page.locator(".opblock").count() > 10
    page.locator(".opblock-summary").first.click()
    playwright_api.expect(page.locator(".opblock-body").first).to_be_visible()
    assert outside == []
    assert errors == [], errors


def test_the_console_and_verification_pages_are_not_refused(browser: Any, served: Served) -> None:
    page = new_page(browser, "desktop")
    errors, _ = _watch(page)
    page.goto(f"{served.base}/konsol/masuk")
    playwright_api.expect(page.get_by_label("Nama pengguna")).to_be_visible()
    # The stylesheet applied (its body has no default 8px margin): style-src allowed it.
    assert page.evaluate("getComputedStyle(document.body).margin") != "8px"
    page.goto(f"{served.base}/v")
    playwright_api.expect(page.locator("form")).to_be_visible()
    assert errors == [], errors
