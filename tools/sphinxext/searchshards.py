"""The search index in pieces: a search downloads what its query needs, not the whole index.

Sphinx writes its whole index into one ``searchindex.js``, which its search page
loads before showing a result: 10 MB (2.5 MB gzip) at 10,000 papers, to be
downloaded and parsed on a phone.  Sphinx still writes that file (the next
incremental build reads it back), but the search page no longer loads it: at the
end of every build this module splits it into ``_search/`` (``layout.SEARCH_DIR``):

* ``index.js``: what every query needs: the pages' names (the result links, and
  which results are papers) and the vocabulary (the browser splits a Chinese query
  against it, and looks in it for terms containing a query word);
* ``terms-<k>.js``: for each term whose hash falls in shard ``k``, the pages that
  hold it in their title and in their text: a query loads the shards of its words;
  ``[term, [title pages, text pages]]`` pairs in an array, not an object keyed by
  term, because in a JavaScript object literal ``"__proto__": ...`` sets the
  object's prototype instead of adding a key (a paper titled with that word was
  indexed and never found), and the browser puts the pairs in a ``Map``, where no
  term (``constructor``, ``toString``...) means anything else;
* ``pages-<c>.js``: the English and Chinese titles of a run of ``PAGES_PER_PIECE``
  pages: loaded for the results a reader sees.

Each piece is a script handing its data to the search page
(``PaperSearch.addPiece``), so search works from ``file://`` as Sphinx's does.  The
data is JSON, and no object in it has a key taken from the data (the terms are
pairs, the titles rows, ``index.js``'s keys are its own names), so the script is
read as data whatever the digests say.  ``index.js`` also names each piece's
content hash, which the page appends to the URL (``?v=``): a browser never
combines a new index with a cached old piece.  The
browser side is ``docs/_static/paperkb-search.js``; tools/DESIGN.md ("Search") has the
measurements.  Everything here is a function of ``searchindex.js``, so the pieces
of an incremental build equal a clean build's whenever the index does.
"""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder

from .. import layout
from ..files.write import sync
from .book import is_site_build

SHARD_BYTES = 48 * 1024  # postings per terms piece (JSON), about 12 KiB gzip
PAGES_PER_PIECE = 40  # titles per pages piece, about 3 KiB gzip
INDEX = Path(layout.SEARCH_INDEX).name


def fnv1a(term: str) -> int:
    """32-bit FNV-1a of the term's UTF-8 bytes: the browser computes the same (shardOf)."""
    value = 0x811C9DC5
    for byte in term.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def _pages(value: int | list[int] | None) -> list[int]:
    """Sphinx stores a term's pages as one number when there is one."""
    return [] if value is None else [value] if isinstance(value, int) else list(value)


def _json(data: object) -> str:
    """Compact JSON, which is also a JavaScript literal of the same value.

    U+2028 and U+2029 (only ever inside strings) are escaped: before ES2019 they end
    a line in a JavaScript string literal, though JSON allows them raw.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _script(name: str, data: list[Any]) -> str:
    """A piece: a script handing its data (an array: no key is taken from the data) to the page."""
    return f"PaperSearch.addPiece({json.dumps(name)},{_json(data)});\n"


def _version(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def split_index(index: dict[str, Any]) -> dict[str, str]:
    """searchindex.js's data -> the files of ``_search/``, by name."""
    docnames: list[str] = index["docnames"]
    titles: list[str] = index["titles"]
    text_terms: dict[str, Any] = index["terms"]
    title_terms: dict[str, Any] = index["titleterms"]
    vocabulary = sorted(text_terms.keys() | title_terms.keys())
    postings = {term: [_pages(title_terms.get(term)), _pages(text_terms.get(term))]
                for term in vocabulary}

    # The JSON's size, about: the quoted term, brackets, and a page number with its comma.
    size = sum(len(term) + 8 + 6 * (len(title) + len(text)) for term, (title, text) in postings.items())
    shards = max(1, math.ceil(size / SHARD_BYTES))  # changes with the corpus; every name with it
    grouped: list[dict[str, list[list[int]]]] = [{} for _ in range(shards)]
    for term, pages in postings.items():
        grouped[fnv1a(term) % shards][term] = pages

    chinese = {doc: title for title, places in index.get("alltitles", {}).items()
               for doc, anchor in places if anchor == layout.TITLE_ZH_ID}
    rows = [[title, chinese.get(doc, "")] for doc, title in enumerate(titles)]

    chunks = [rows[start:start + PAGES_PER_PIECE] for start in range(0, len(rows), PAGES_PER_PIECE)]
    pieces = {"terms": [_script(f"terms-{number}", sorted(terms.items()))
                        for number, terms in enumerate(grouped)],
              "pages": [_script(f"pages-{number}", chunk) for number, chunk in enumerate(chunks)]}
    files = {f"{kind}-{number}.js": text
             for kind, texts in pieces.items() for number, text in enumerate(texts)}
    versions = {kind: [_version(text) for text in texts] for kind, texts in pieces.items()}
    manifest = {"docnames": docnames, "vocabulary": vocabulary, "shards": shards,
                "pagesPerPiece": PAGES_PER_PIECE, "versions": versions}
    files[INDEX] = f"Search.setIndex({_json(manifest)});\n"  # its keys are the names above
    return files


def on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    builder = app.builder
    if (exception is not None or not is_site_build(app)
            or not isinstance(builder, StandaloneHTMLBuilder) or not builder.search):
        return
    source = Path(builder.outdir) / builder.searchindex_filename
    index = builder.indexer_format.loads(source.read_text(encoding="utf-8"))
    sync(Path(builder.outdir) / layout.SEARCH_DIR, split_index(index))


def add_index_path(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                   doctree: object) -> None:
    if pagename == "search":
        context["paperkb_search_index"] = layout.SEARCH_INDEX
