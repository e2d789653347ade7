"""Bytes a reader downloads to search: for the seeds and for a synthetic corpus.

Builds the site from the seeds and from an N-paper synthetic corpus
(``benchmarks/synthetic.py``), each in a temporary copy of the project, and
prints for each:

* the files search.html loads, raw and gzip-compressed (what a server with
  compression sends): the index (``_search/index.js``, the part of the index
  every query needs; ``searchindex.js`` in ``--variant sphinx``), the search code
  (searchtools.js, language_data.js, paperkb-search.js) and the rest of the
  page (search.html, the theme's CSS and scripts every page loads);
* with ``--browser``, what headless Chromium actually fetched for a few
  queries (search.html?q=...) in a fresh tab, snippets of the visible results included (raw and
  gzip), which is the fair figure for search that loads its index in
  pieces (paper-kb's own, and ``--variant pagefind``).

    python -m benchmarks.search_payload [--papers 1000] [--browser] [--variant pagefind]
    python -m benchmarks.search_payload --site DIR [--browser]

A benchmark run on demand, not a test: figures depend on the corpus.
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import write_corpus
from tools import layout

SEARCH_CODE = ("searchtools.js", "language_data.js", "paperkb-search.js")
BROWSER_QUERIES = ("稀疏自编码器", "视频生成", "GRPO 视频推理", "DyT", "sparse autoencoder 推理")


def gzip_size(data: bytes) -> int:
    """Bytes sent with compression; files stored compressed (Pagefind's) are sent as they are."""
    return min(len(data), len(gzip.compress(data, compresslevel=6, mtime=0)))


def _local_assets(site: Path) -> list[Path]:
    """The files search.html itself loads (scripts, stylesheets, the index)."""
    page = (site / "search.html").read_text(encoding="utf-8")
    refs = re.findall(r'<(?:script[^>]*\bsrc|link[^>]*\bhref)="([^"]+)"', page)
    files = [site / "search.html"]
    for ref in refs:
        path = site / ref.split("?", 1)[0]
        if not ref.startswith(("http:", "https:", "//")) and path.suffix in (".js", ".css") \
                and path.is_file() and path not in files:
            files.append(path)
    return files


def static_payload(site: Path) -> dict[str, tuple[int, int]]:
    groups: dict[str, tuple[int, int]] = {}
    for path in _local_assets(site):
        data = path.read_bytes()
        group = ("index" if path.name == "searchindex.js" or path.parent.name == layout.SEARCH_DIR
                 else "search code" if path.name in SEARCH_CODE else "rest of page")
        raw, packed = groups.get(group, (0, 0))
        groups[group] = (raw + len(data), packed + gzip_size(data))
    total = tuple(sum(v[i] for v in groups.values()) for i in (0, 1))
    groups["total"] = total  # type: ignore[assignment]
    return groups


def browser_payload(site: Path, queries=BROWSER_QUERIES) -> dict[str, tuple[int, int, int]]:
    """query -> (raw bytes, gzip bytes, files) a fresh tab fetches for search.html?q=query.

    A fresh browser context per query: an empty cache, as a reader's first search.
    Everything counts: the page, its CSS and scripts, the index (or its pieces),
    and the pages fetched for the snippets of the results in view.
    """
    from urllib.parse import quote

    from tests.browser import SearchPage, browser, serve

    figures: dict[str, tuple[int, int, int]] = {}
    with serve(site) as url, browser() as chromium:
        for query in queries:
            context = chromium.new_context()
            page = context.new_page()
            responses: list = []
            # a function, not the bound method: Playwright tags its handlers with an attribute
            page.on("response", lambda response, into=responses: into.append(response))
            SearchPage(page, url).open(f"q={quote(query)}")
            page.wait_for_load_state("networkidle")
            bodies = [response.body() for response in responses if response.ok]
            figures[query] = (sum(map(len, bodies)), sum(map(gzip_size, bodies)), len(bodies))
            context.close()
    return figures


def _build(seeds: Path, folder: Path) -> tuple[Path, float]:
    from tests.conftest import copy_project, sphinx_build

    started = time.perf_counter()
    project = copy_project(folder / "project")
    sphinx_build(project, seeds, folder / "out")
    return folder / "out" / "html", time.perf_counter() - started


def _kb(n: int) -> str:
    return f"{n / 1024:8.1f} KiB"


def describe(name: str, site: Path, with_browser: bool) -> str:
    lines = [f"{name}: {len(list((site / 'papers').glob('*.html')))} paper pages ({site})"]
    for group, (raw, packed) in static_payload(site).items():
        lines.append(f"  {group:13} raw {_kb(raw)}   gzip {_kb(packed)}")
    if with_browser:
        for query, (raw, packed, count) in browser_payload(site).items():
            lines.append(f"  search {query!r:27} fetched {count:3} files: "
                         f"raw {_kb(raw)}   gzip {_kb(packed)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=1000, help="size of the synthetic corpus")
    parser.add_argument("--site", type=Path, action="append",
                        help="measure these built html folders instead of building")
    parser.add_argument("--browser", action="store_true", help="also measure typed queries in Chromium")
    parser.add_argument("--variant", choices=["paperkb", "sphinx", "intl", "pagefind"], default="paperkb")
    parser.add_argument("--pagefind", default=f"{sys.executable} -m pagefind")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="paperkb-payload-") as scratch:
        base = Path(scratch)
        sites: list[tuple[str, Path]] = []
        if args.site:
            sites = [(str(site), site) for site in args.site]
        else:
            from benchmarks.search_recall import build_seeds_site

            sites.append(("seeds", build_seeds_site(base / "seeds")))
            corpus = base / "corpus"
            write_corpus(corpus, args.papers)
            site, seconds = _build(corpus, base / "synthetic")
            print(f"(built {args.papers} synthetic papers in {seconds:.0f} s)")
            sites.append((f"{args.papers} synthetic papers", site))
        for name, site in sites:
            if args.variant != "paperkb":
                from benchmarks.search_variants import make_variant

                site = make_variant(args.variant, site, base / f"variant-{len(name)}-{site.name}",
                                    args.pagefind)
                name = f"{name}, variant {args.variant}"
            print(describe(name, site, args.browser))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
