"""Chinese search: what the index holds, a working stemmer, a domain dictionary.

Three things, all on Sphinx's own search index (``searchindex.js``); the
browser side is ``docs/_static/paperkb-search.js`` with the template
``docs/_templates/search.html`` (tools/DESIGN.md, "Search", says why this design).

* The stemmer.  Sphinx 9.0.x (the newest on Python 3.11) writes
  ``window.Stemmer = ChineseStemmer`` into ``language_data.js`` while the
  stemmer code it ships for Chinese (``english-stemmer.js``) defines
  ``EnglishStemmer``: the search page throws and hangs at "Searching"
  (sphinx-doc/sphinx#14229, fixed upstream only in releases that need a newer
  Python).  ``ChineseSearch`` names the stemmer that is actually shipped.

* The domain dictionary (written by the converter from the taxonomy and the
  glossary) is loaded into jieba on top of its own, so that words such as
  稀疏自编码器 stay whole in the index.  It is not passed through
  ``html_search_options['dict']``: that path would be absolute, and would make
  the build configuration differ between two checkouts.  When the dictionary
  changes, every page is re-indexed.

* What a page contributes.  A paper page repeats other papers' titles (related
  papers), its metadata (topic and digest names) and its BibTeX; topic, digest
  and bibliography pages list paper titles.  Indexed as they are, every search
  for a title word returned a crowd of pages that merely link to the paper.
  The templates put Sphinx's ``no-search`` class on those parts (a public
  hook: Sphinx leaves such elements out of the index), so a paper page gives
  its English title, its Chinese title (a heading, so that both rank as
  titles), its authors, its abstract(s), and its arXiv id (a ``keywords``
  meta tag, which Sphinx indexes as whole words); other pages give their
  titles and prose.

* Terms with no page left.  Sphinx prunes removed or rewritten pages from each
  term's page set but keeps the term; ``drop_empty_terms`` removes such terms
  before the index is written (tools/DESIGN.md, "Overrides of dependency internals").

* Index entries of pages not rewritten.  The glossary's terms are index
  entries (``indexentries`` in searchindex.js); Sphinx collects them only from
  the pages written in this build and does not load them back from the
  previous index, so a second build with no change lost them.
  ``restore_index_entries`` takes the entries of the pages not written from
  the previous searchindex.js (the output of the last finished build:
  ``integrity.py`` discards it after an unfinished one).

* jieba's cache (``jieba.cache``) goes into the doctrees folder, not into the
  system's temporary folder: a build writes only into the checkout and its
  build folder.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

import jieba
from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.search.zh import SearchChinese

from .. import layout

_ATTRIBUTE = "paperkb_search_dict"
_WRITTEN = "paperkb_written_docs"
jieba.setLogLevel(logging.WARNING)  # not "Building prefix dict..." on every build


class ChineseSearch(SearchChinese):
    # Sphinx builds "window.Stemmer = <language_name>Stemmer" from this name; the
    # stemmer code it ships for Chinese is english-stemmer.js (EnglishStemmer).
    language_name = "English"

    def __init__(self, options: dict[str, str]) -> None:
        # Without a 'dict' option, Sphinx loads jieba's whole default dictionary
        # again as a user dictionary (350,000 words, 2.4 s per build); jieba
        # loads that dictionary by itself anyway. Our domain words are loaded by
        # load_domain_words, before this indexer is made.
        super().__init__({"dict": "", **options})


def _domain_words(app: Sphinx) -> Path:
    # The converter has run (config-inited) and srcdir is the docs folder.
    return Path(app.srcdir) / layout.SEARCH_WORDS


def load_domain_words(app: Sphinx, builder: object) -> None:
    """write-started: before the HTML builder makes its indexer (prepare_writing)."""
    path = _domain_words(app)
    if getattr(builder, "search", False) and path.is_file():
        jieba.load_userdict(str(path))


def _dictionary_digest(app: Sphinx) -> str:
    try:
        return hashlib.sha256(_domain_words(app).read_bytes()).hexdigest()
    except OSError:
        return ""


def on_env_get_outdated(app: Sphinx, env: BuildEnvironment, added: set[str],
                        changed: set[str], removed: set[str]) -> list[str]:
    digest = _dictionary_digest(app)
    previous = getattr(env, _ATTRIBUTE, None)
    setattr(env, _ATTRIBUTE, digest)
    if previous is not None and previous != digest:
        return sorted(env.found_docs)
    return []


def on_config_inited(app: Sphinx, config: Config) -> None:
    doctrees = Path(app.doctreedir)
    doctrees.mkdir(parents=True, exist_ok=True)
    jieba.dt.tmp_dir = str(doctrees)


def note_written(app: Sphinx, doctree: object, docname: str) -> None:
    written: set[str] = getattr(app.builder, _WRITTEN, set())
    written.add(docname)
    setattr(app.builder, _WRITTEN, written)


def _previous_index_entries(builder: StandaloneHTMLBuilder) -> dict[str, list[tuple[str, str, str]]]:
    """docname -> index entries, as the previous searchindex.js holds them (empty if none)."""
    try:
        text = (Path(builder.outdir) / builder.searchindex_filename).read_text(encoding="utf-8")
        frozen = builder.indexer_format.loads(text)
        docnames = frozen["docnames"]
        result: dict[str, list[tuple[str, str, str]]] = {}
        for entry, places in frozen["indexentries"].items():
            for index, target, main in places:
                result.setdefault(docnames[index], []).append((entry, target, "main" if main else ""))
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return {}
    return {docname: sorted(entries) for docname, entries in result.items()}


def restore_index_entries(app: Sphinx) -> None:
    """Keep the index entries of the pages this build did not rewrite (see the module docstring)."""
    builder = app.builder
    indexer = getattr(builder, "indexer", None)
    entries: dict[str, list[tuple[str, str, str]]] | None = getattr(indexer, "_index_entries", None)
    if entries is None or not isinstance(builder, StandaloneHTMLBuilder):
        return
    written: set[str] = getattr(builder, _WRITTEN, set())
    previous = _previous_index_entries(builder)
    current: dict[str, list[tuple[str, str, str]]] = {}
    for docname in sorted(app.env.all_docs):  # a fixed order, whichever pages were written
        if docname in written:
            if docname in entries:
                current[docname] = entries[docname]
        elif docname in previous:
            current[docname] = previous[docname]
    entries.clear()
    entries.update(current)


def finish_index(app: Sphinx) -> list[tuple[str, dict[str, Any], str]]:
    """html-collect-pages: after every page was indexed, before the index is written."""
    restore_index_entries(app)
    prune_with_a_set(app)
    return drop_empty_terms(app)


def prune_with_a_set(app: Sphinx) -> None:
    """Have the indexer's last prune() take the page names as a set.

    Before writing searchindex.js, Sphinx calls ``indexer.prune(env.all_docs)``, a dict,
    and prune() calls ``set.intersection_update`` with it for each of the index's terms;
    given a dict, that builds a set of every page name each time: 5 s of adding a digest
    at 10,000 pages (profiled), for 80,000 terms.  prune() only tests membership in the
    names and iterates them to collect titles, which ``IndexBuilder.freeze`` sorts, so a
    set of the same names prunes the same.
    """
    indexer = getattr(app.builder, "indexer", None)
    if indexer is None:
        return
    prune = indexer.prune
    indexer.prune = lambda docnames: prune(set(docnames))


def drop_empty_terms(app: Sphinx) -> list[tuple[str, dict[str, Any], str]]:
    """Remove index terms that no page holds any more.

    When pages are removed or rewritten, Sphinx's IndexBuilder.prune() takes them
    out of each term's set of pages but keeps the term, which searchindex.js then
    lists with no page: the index of an incremental build differs from a clean
    one. html-collect-pages runs after pruning and re-indexing, before the index
    is written.
    """
    indexer = getattr(app.builder, "indexer", None)
    for mapping in (getattr(indexer, "_mapping", None), getattr(indexer, "_title_mapping", None)):
        if mapping:
            for term in [term for term, pages in mapping.items() if not pages]:
                del mapping[term]
    return []


def add_layout(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
               doctree: object) -> None:
    """The site layout for the search page's script (docs/_templates/search.html)."""
    if pagename == "search":
        context["paperkb_layout"] = layout.browser_constants()

def setup_search(app: Sphinx) -> None:
    app.add_search_language(ChineseSearch)
