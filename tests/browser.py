"""A real browser on a built site: Debian's Chromium driven through Playwright.

Used by the browser tests and by ``benchmarks/search_recall.py``.  The site is
served by ``http.server`` on 127.0.0.1 (an ephemeral port); Chromium is the
system's (``/usr/bin/chromium``), started headless with the flags below;
Playwright never downloads a browser here.  A query is typed into the search
box of ``search.html`` (the top bar's, the page's only one) and submitted, as a
reader does; the results are read from ``#search-results``, the contract of
Sphinx's own search page.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
MISSING = ("Chromium is not installed (Debian: apt-get install chromium); the search tests "
           "need a real browser. .ci/run installs it.")


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        if path := shutil.which(name):
            return path
    return None


def require_browser() -> None:
    """Fail the calling test (loud, not a pass or a skip) when Chromium or Playwright is missing."""
    import pytest

    if chromium() is None:
        pytest.fail(MISSING)
    if importlib.util.find_spec("playwright") is None:
        pytest.fail("Playwright is not installed: pip install -r requirements-dev.txt")


def new_page(chromium_browser, **options) -> tuple[object, object, list[str]]:
    """A page in a fresh browser context (its own storage): (context, page, JavaScript errors)."""
    context = chromium_browser.new_context(**options)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return context, page, errors


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # The browser drops connections it no longer needs (a snippet fetch
        # cut short by the next search): not an error of the site.
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` over HTTP on 127.0.0.1; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@dataclass(frozen=True)
class Result:
    href: str
    text: str

    @property
    def paper_id(self) -> str | None:
        if "papers/" not in self.href:
            return None
        return self.href.split("papers/", 1)[1].split(".html", 1)[0]


class SearchPage:
    """One browser tab on a site's search page."""

    def __init__(self, page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url

    def search(self, query: str, timeout_ms: int = 20_000) -> list[Result]:
        """Type ``query`` into search.html's box, submit, and return the results in order."""
        page = self.page
        page.goto(f"{self.base_url}/search.html")
        box = page.locator('form[role="search"] input[name="q"]')
        box.click()
        box.press_sequentially(query)
        with page.expect_navigation():
            box.press("Enter")
        return self.results(timeout_ms)

    def open(self, query_string: str, timeout_ms: int = 20_000) -> list[Result]:
        """Load ``search.html?<query_string>`` directly (a link to a search)."""
        self.page.goto(f"{self.base_url}/search.html?{query_string}")
        return self.results(timeout_ms)

    def results(self, timeout_ms: int = 20_000) -> list[Result]:
        # Sphinx's page (and ours) fills p.search-summary when the search is done.
        self.page.wait_for_function(
            "() => document.querySelector('#search-results p.search-summary')?.textContent",
            timeout=timeout_ms)
        found = self.page.eval_on_selector_all(
            "#search-results ul.search li > a",
            "links => links.map(a => [a.getAttribute('href'), a.textContent])")
        return [Result(href, text) for href, text in found]


@contextmanager
def browser(executable: str | None = None) -> Iterator[object]:
    """Headless Chromium (the system's) through Playwright."""
    from playwright.sync_api import sync_playwright

    path = executable or chromium()
    if path is None:
        raise RuntimeError(MISSING)
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, headless=True,
                                              chromium_sandbox=False, args=CHROMIUM_FLAGS)
        try:
            yield instance
        finally:
            instance.close()


@contextmanager
def search_page(site: Path, chromium_browser=None) -> Iterator[SearchPage]:
    """A search page on ``site`` (a built html folder), served and opened in Chromium.

    Pass a running ``browser()`` to share it (Playwright's synchronous API
    allows one at a time per thread); otherwise one is started for this page.
    """
    opened = nullcontext(chromium_browser) if chromium_browser is not None else browser()
    with serve(site) as url, opened as instance:
        page = instance.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        yield SearchPage(page, url)
        page.close()
        if errors:
            raise AssertionError(f"JavaScript errors on the site: {errors}")
