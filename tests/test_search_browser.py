"""Search in a real browser: headless Chromium on the built site, over HTTP on 127.0.0.1."""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import tempfile
import threading
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        if path := shutil.which(name):
            return path
    # Loud, not silent: a missing browser is a failed check, not a pass.
    pytest.fail("Chromium is not installed (Debian: apt-get install chromium); "
                "the search tests need a real browser. .ci/run installs it.")


@pytest.fixture(scope="module")
def site_url(seeds_site):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(seeds_site))

    class Quiet(handler.func):  # type: ignore[misc,name-defined]
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(Quiet, directory=str(seeds_site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def search(site_url: str, query: str) -> list[str]:
    """The result links of search.html?q=query, in rank order, as the browser shows them."""
    with tempfile.TemporaryDirectory() as profile:
        run = subprocess.run(
            [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=20000",
             "--dump-dom", f"{site_url}/search.html?q={quote(query)}"],
            capture_output=True, text=True, timeout=120)
    page = BeautifulSoup(run.stdout, "html.parser")
    results = page.find(id="search-results")
    assert results is not None, run.stderr[-2000:]
    summary = results.select_one(".search-summary")
    assert summary is not None, f"search did not finish: {results.get_text()[:300]}"
    return [a["href"] for a in results.select("ul.search li > a")]


def paper_ids(links: list[str]) -> list[str]:
    return [link.split("papers/", 1)[1].removesuffix(".html") for link in links if "papers/" in link]


def test_chinese_query_finds_both_sparse_autoencoder_papers(site_url):
    found = paper_ids(search(site_url, "稀疏自编码器"))
    assert {"2503.18878", "2503.03601"} <= set(found)


def test_english_query(site_url):
    assert "2503.10622" in paper_ids(search(site_url, "Normalization"))
