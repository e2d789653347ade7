"""Variants of a built site's search, for measuring the options against each other.

Each takes a built html folder and writes a copy whose ``search.html`` keeps
the results contract (typed query -> links in ``#search-results``, summary in
``p.search-summary``), so that ``search_recall.py`` and ``search_payload.py``
measure them all the same way:

* ``sphinx``: the paper-kb index, searched by Sphinx's own searchtools.js
  (no query segmentation, Sphinx's ranking);
* ``intl``: paper-kb's search with the browser's ``Intl.Segmenter`` splitting
  Chinese queries instead of the index vocabulary;
* ``pagefind``: Pagefind's extended build (CJK segmentation at index and query
  time) in place of Sphinx's index: paper pages only, titles weighted, the
  navigation parts ignored, as paper-kb's index does.  Needs
  ``pip install 'pagefind[extended]==1.5.2'`` (the binary ships in the wheel).

    python -m benchmarks.search_variants VARIANT SITE OUT [--pagefind CMD]
"""

from __future__ import annotations

import argparse
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools import layout

VARIANTS = ("sphinx", "intl", "pagefind")

INTL_SEGMENTER = """
// search_variants.py "intl": the browser's word segmenter instead of the index vocabulary.
PaperSearch.segment = (run) =>
  [...new Intl.Segmenter("zh", { granularity: "word" }).segment(run)]
    .filter((piece) => piece.isWordLike && piece.segment.length > 1)
    .map((piece) => piece.segment);
"""

PAGEFIND_PAGE = """
import * as pagefind from "./pagefind/pagefind.js";
const query = new URLSearchParams(window.location.search).get("q");
const out = document.getElementById("search-results");
if (query) {
  document.querySelectorAll('input[name="q"]').forEach((el) => (el.value = query));
  const summary = document.createElement("p");
  summary.className = "search-summary";
  const list = document.createElement("ul");
  list.className = "search";
  out.append(summary, list);
  const search = await pagefind.search(query);
  const shown = await Promise.all(search.results.slice(0, 20).map((r) => r.data()));
  for (const data of shown) {
    const item = list.appendChild(document.createElement("li"));
    const link = item.appendChild(document.createElement("a"));
    link.href = data.url.replace(/^\\//, "");
    link.textContent = data.meta.title;
    item.appendChild(document.createElement("p")).innerHTML = data.excerpt;
  }
  summary.textContent = `${search.results.length} results`;
}
"""


def _copy(site: Path, out: Path) -> Path:
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(site, out)
    return out


def sphinx_variant(site: Path, out: Path) -> Path:
    out = _copy(site, out)
    page = out / "search.html"
    html = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    for script in html.select('script[src*="paperkb-search.js"]'):
        script.decompose()
    for script in html.select(f'script[src*="{layout.SEARCH_DIR}/"]'):  # Sphinx's page loads the whole index
        script["src"] = "searchindex.js"
    page.write_text(str(html), encoding="utf-8")
    return out


def intl_variant(site: Path, out: Path) -> Path:
    out = _copy(site, out)
    with (out / "_static" / "paperkb-search.js").open("a", encoding="utf-8") as script:
        script.write(INTL_SEGMENTER)
    return out


def pagefind_variant(site: Path, out: Path, pagefind: str) -> Path:
    out = _copy(site, out)
    for path in (out / "papers").glob("*.html"):
        html = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        body = html.select_one("div.body")
        body["data-pagefind-body"] = ""
        body.find("h1")["data-pagefind-weight"] = "10"
        body.select_one(f"#{layout.TITLE_ZH_ID}")["data-pagefind-weight"] = "10"
        # What Sphinx's index leaves out (metadata, related papers, BibTeX), Pagefind's does too.
        for element in body.select(f".{layout.NO_SEARCH}"):
            element["data-pagefind-ignore"] = ""
        path.write_text(str(html), encoding="utf-8")
    run = subprocess.run([*shlex.split(pagefind), "--site", str(out)], capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"pagefind failed (pip install 'pagefind[extended]==1.5.2'?):\n"
                         f"{run.stdout}{run.stderr}")
    page = out / "search.html"
    html = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    for script in html.select("script[src]"):
        if any(name in script["src"] for name in ("searchtools", "language_data", "searchindex",
                                                  f"{layout.SEARCH_DIR}/", "paperkb-search")):
            script.decompose()
    module = html.new_tag("script", type="module")
    module.string = PAGEFIND_PAGE
    html.body.append(module)
    page.write_text(str(html), encoding="utf-8")
    return out


def make_variant(name: str, site: Path, out: Path, pagefind: str = f"{sys.executable} -m pagefind") -> Path:
    if name == "sphinx":
        return sphinx_variant(site, out)
    if name == "intl":
        return intl_variant(site, out)
    if name == "pagefind":
        return pagefind_variant(site, out, pagefind)
    raise ValueError(f"unknown variant {name!r}: one of {VARIANTS}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("variant", choices=VARIANTS)
    parser.add_argument("site", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--pagefind", default=f"{sys.executable} -m pagefind")
    args = parser.parse_args(argv)
    print(make_variant(args.variant, args.site, args.out, args.pagefind))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
