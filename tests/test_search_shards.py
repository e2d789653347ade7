"""The search index in pieces (tools/sphinxext/searchshards.py): complete, and loaded by need."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest

from tools import layout
from tools.sphinxext.searchshards import PAGES_PER_PIECE, SHARD_BYTES, fnv1a, split_index

from .browser import browser, chromium, require_browser, serve
from .conftest import require


def _data(text: str) -> object:
    """The JSON a piece (or index.js) hands to the search page."""
    return json.loads(re.fullmatch(r"[\w.]+\((?:\"[\w-]+\",)?(.*)\);\n", text, re.DOTALL).group(1))


def _pages(value) -> list[int]:
    return [value] if isinstance(value, int) else list(value)


def test_the_hash_is_fnv1a_of_the_utf8_bytes():
    # The published FNV-1a 32-bit test vectors; the browser computes the same (shardOf).
    assert [fnv1a(s) for s in ("", "a", "foobar")] == [0x811C9DC5, 0xE40C292C, 0xBF9CF968]
    # Beyond ASCII the hash is over UTF-8 bytes (TextEncoder in the browser), not code points:
    # the spec's loop, over the bytes, written out here.
    spec = 0x811C9DC5
    for byte in "稀疏".encode():
        spec = ((spec ^ byte) * 0x01000193) % 2**32
    assert fnv1a("稀疏") == spec == 0x6B768B08


def _synthetic_index(docs: int, terms: int) -> dict:
    return {
        "docnames": [f"papers/{n:05d}" for n in range(docs)],
        "titles": [f"Title {n}" for n in range(docs)],
        "terms": {f"term{t}": [d for d in range(docs) if d % (t + 2) == 0] for t in range(terms)},
        "titleterms": {f"term{t}": t % docs for t in range(0, terms, 7)} | {"only-in-titles": 3},
        "alltitles": {"中文标题 3": [[3, layout.TITLE_ZH_ID]], "Other": [[4, "other"]]},
    }


def test_every_term_is_in_the_piece_its_hash_names_with_its_pages():
    index = _synthetic_index(docs=3000, terms=400)
    files = split_index(index)
    manifest = _data(files["index.js"])
    assert manifest["shards"] > 1  # 400 terms over 3,000 pages do not fit one piece
    assert manifest["vocabulary"] == sorted(index["terms"].keys() | index["titleterms"].keys())
    pieces = [dict(_data(files[f"terms-{n}.js"])) for n in range(manifest["shards"])]
    assert sum(len(piece) for piece in pieces) == len(manifest["vocabulary"])
    for term in manifest["vocabulary"]:
        title, text = pieces[fnv1a(term) % manifest["shards"]][term]
        assert title == _pages(index["titleterms"].get(term, []))
        assert text == _pages(index["terms"].get(term, []))
    assert max(len(files[f"terms-{n}.js"]) for n in range(manifest["shards"])) < 3 * SHARD_BYTES
    assert len(manifest["versions"]["terms"]) == manifest["shards"]


# Names every JavaScript object has (Object.prototype's, and what makes a value a promise):
# in an object literal, "__proto__": sets the prototype instead of a key.
SPECIAL = ["__proto__", "constructor", "hasOwnProperty", "toString", "valueOf", "isPrototypeOf",
           "__defineGetter__", "propertyIsEnumerable", "prototype", "then", "length"]

# Runs each piece in a fresh V8 context with a stand-in PaperSearch (or Search) and
# prints, per piece, what the search page gets: the data as JSON (own keys only).
_RUN_PIECES = """
const vm = require("vm");
const texts = JSON.parse(require("fs").readFileSync(0, "utf8"));
const out = {};
for (const [file, text] of Object.entries(texts)) {
  const got = [];
  const hand = (...args) => got.push(args.length > 1 ? args : [null, args[0]]);
  vm.runInNewContext(text, { PaperSearch: { addPiece: hand }, Search: { setIndex: hand } });
  const [[name, data]] = got;
  out[file] = { name, data, array: Array.isArray(data) };
}
process.stdout.write(JSON.stringify(out));
"""


def _run_in_node(files: dict[str, str]) -> dict:
    node = require("node", "nodejs")
    run = subprocess.run([node, "-e", _RUN_PIECES], input=json.dumps(files), capture_output=True,
                         text=True, check=True, timeout=60)
    return json.loads(run.stdout)


def test_no_term_is_special_in_a_terms_piece():
    # A paper titled "__proto__" was indexed, but its search found nothing: the piece
    # was an object literal.  Evaluated by a real JavaScript engine, every term is data.
    index = _synthetic_index(docs=50, terms=5)
    index["titleterms"] |= {term: n for n, term in enumerate(SPECIAL)}
    index["terms"] |= {term: [n, n + 1] for n, term in enumerate(SPECIAL)}
    files = split_index(index)
    evaluated = _run_in_node(files)
    manifest = evaluated["index.js"]["data"]
    assert manifest == _data(files["index.js"])  # index.js has no key from the data
    assert set(SPECIAL) <= set(manifest["vocabulary"])
    pieces = [evaluated[f"terms-{number}.js"] for number in range(manifest["shards"])]
    assert [piece["name"] for piece in pieces] == [f"terms-{n}" for n in range(manifest["shards"])]
    found = {term: pages for piece in pieces for term, pages in dict(piece["data"]).items()}
    assert [term for term in SPECIAL if term not in found] == []
    assert sorted(found) == manifest["vocabulary"]
    for n, term in enumerate(SPECIAL):
        assert found[term] == [[n], [n, n + 1]], term
    # [term, postings] pairs: an array literal has no key that means something else.
    assert all(piece["array"] for piece in pieces)


def test_the_pages_pieces_hold_every_page_titles_in_order():
    index = _synthetic_index(docs=101, terms=3)
    files = split_index(index)
    manifest = _data(files["index.js"])
    rows = [row for n in range(len(manifest["versions"]["pages"])) for row in _data(files[f"pages-{n}.js"])]
    assert len(manifest["versions"]["pages"]) == -(-101 // PAGES_PER_PIECE)
    assert [title for title, _ in rows] == index["titles"]
    assert [zh for _, zh in rows] == ["" if n != 3 else "中文标题 3" for n in range(101)]


def test_a_piece_changes_its_version_only_when_its_content_does():
    index = _synthetic_index(docs=200, terms=50)
    before = _data(split_index(index)["index.js"])
    index["titles"][-1] = "A new title"
    after = _data(split_index(index)["index.js"])
    assert before["versions"]["terms"] == after["versions"]["terms"]
    pairs = zip(before["versions"]["pages"], after["versions"]["pages"], strict=True)
    changed = [n for n, (a, b) in enumerate(pairs) if a != b]
    assert changed == [199 // PAGES_PER_PIECE]


@pytest.mark.slow
def test_the_seeds_site_pieces_hold_its_whole_index(seeds_site):
    text = (seeds_site / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(re.search(r"Search\.setIndex\((.*)\)", text, re.DOTALL).group(1))
    folder = seeds_site / layout.SEARCH_DIR
    written = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.js")}
    assert written == split_index(index)
    page = (seeds_site / "search.html").read_text(encoding="utf-8")
    assert f'src="{layout.SEARCH_INDEX}"' in page
    assert "searchindex.js" not in page  # the whole index is not what a reader downloads


@pytest.mark.slow
@pytest.mark.browser
def test_a_search_loads_only_the_pieces_its_query_needs(seeds_site):
    require_browser()
    assert chromium()
    manifest = _data((seeds_site / layout.SEARCH_INDEX).read_text(encoding="utf-8"))
    with serve(seeds_site) as url, browser() as instance:
        context = instance.new_context()  # an empty cache
        page = context.new_page()
        fetched: list[str] = []
        page.on("request", lambda request: fetched.append(request.url))
        page.goto(f"{url}/search.html?q={quote('DyT')}")
        page.wait_for_function(
            "() => document.querySelector('#search-results p.search-summary')?.textContent")
        first = page.eval_on_selector_all("#search-results ul.search li > a", "a => a.map(x => x.href)")
        context.close()
    names = {Path(u.split("?")[0]).name for u in fetched if f"/{layout.SEARCH_DIR}/" in u}
    assert not [u for u in fetched if "searchindex.js" in u]
    # "DyT" is one index key, "dyt": one terms piece, the one its hash names in Python too.
    assert {n for n in names if n.startswith("terms-")} == {f"terms-{fnv1a('dyt') % manifest['shards']}.js"}
    assert first and first[0].endswith(f"{layout.PAPERS}/2503.10622.html")


@pytest.mark.slow
@pytest.mark.browser
def test_search_works_from_file_urls(seeds_site):
    # The pieces are scripts, not fetched JSON: a site opened from disk still searches.
    require_browser()
    with browser() as instance:
        page = instance.new_page()
        page.goto(f"{(seeds_site / 'search.html').as_uri()}?q={quote('DyT')}")
        page.wait_for_function(
            "() => document.querySelector('#search-results p.search-summary')?.textContent")
        links = page.eval_on_selector_all("#search-results ul.search li > a",
                                          "a => a.map(x => [x.getAttribute('href'), x.textContent])")
    assert links[0][0] == f"{layout.PAPERS}/2503.10622.html"
    assert links[0][1] != "2503.10622"  # its title arrived, not only its page name
