"""Chinese search: what the index holds, a working stemmer, a domain dictionary.

Three things, all on Sphinx's own search index (``searchindex.js``); the
browser side is ``docs/_static/paperkb-search.js`` with the template
``docs/_templates/search.html`` (README.md, "Search", says why this design).

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
  and bibliography pages list paper titles.  Indexed as they are, every
  search for a title word returned a crowd of pages that merely link to the
  paper.  ``PaperHTMLBuilder`` feeds the indexer a reduced copy of each
  doctree instead (the HTML is written from the full one): a paper page gives
  its English title, its Chinese title as a second title (so that both rank
  as titles), its arXiv id, its authors and its abstract(s); other pages give their titles
  and their own prose, not their lists of papers.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import jieba
from docutils import nodes

from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.environment import BuildEnvironment
from sphinx.search.zh import SearchChinese

_ATTRIBUTE = "paperkb_search_dict"
jieba.setLogLevel(logging.WARNING)  # not "Building prefix dict..." on every build

PAPER_PREFIX = "papers/"
# Sections of a paper page (ids from tools/templates/paper.md.jinja's headings)
# that hold the paper's own text; the others are navigation or metadata.
PAPER_TEXT_SECTIONS = frozenset({"abstract", "other-versions-of-this-entry"})
# The one item of a paper page's metadata list that is the paper's own text (the
# label written by paper.md.jinja): readers search for authors.
AUTHORS_LABEL = "Authors:"
# On other pages, lists repeat paper titles, and citations are the bibliography's.
_LISTINGS = (nodes.bullet_list, nodes.enumerated_list, nodes.citation)


class ChineseSearch(SearchChinese):
    # Sphinx builds "window.Stemmer = <language_name>Stemmer" from this name; the
    # stemmer code it ships for Chinese is english-stemmer.js (EnglishStemmer).
    language_name = "English"
    dictionary: Path | None = None  # set by use_dictionary()

    def __init__(self, options: dict[str, str]) -> None:
        # Without a 'dict' option, Sphinx loads jieba's whole default dictionary
        # again as a user dictionary (350,000 words, 2.4 s per build); jieba
        # loads that dictionary by itself anyway. Ours is all that must be added.
        if self.dictionary is not None and self.dictionary.is_file():
            options = {**options, "dict": str(self.dictionary)}
        super().__init__(options)


def use_dictionary(path: Path) -> None:
    ChineseSearch.dictionary = path


def searchable(docname: str, doctree: nodes.document) -> nodes.document:
    """The part of a page that the search index should see (a copy)."""
    copy = doctree.deepcopy()
    top = next(iter(copy.findall(nodes.section)), None)
    if top is None:
        return copy
    if docname.startswith(PAPER_PREFIX):
        _reduce_paper(docname, top)
    else:
        for listing in list(copy.findall(lambda node: isinstance(node, _LISTINGS))):
            listing.parent.remove(listing)
    return copy


def _reduce_paper(docname: str, top: nodes.section) -> None:
    kept: list[nodes.Node] = []
    for child in top.children:
        if isinstance(child, nodes.title):
            kept.append(child)
        elif isinstance(child, nodes.paragraph) and len(kept) == 1:
            # The Chinese title (the paragraph under the heading), as a title of a
            # section without id: its words are title words, and a hit on it
            # links to the page itself.
            kept.append(nodes.section("", nodes.title("", "", *child.children)))
            kept.append(nodes.paragraph("", docname.removeprefix(PAPER_PREFIX)))
        elif isinstance(child, nodes.bullet_list):
            kept.extend(item for item in child.children if item.astext().startswith(AUTHORS_LABEL))
        elif isinstance(child, nodes.section) and PAPER_TEXT_SECTIONS.intersection(child["ids"]):
            kept.append(child)
    top.children = []
    top.extend(kept)


class PaperHTMLBuilder(StandaloneHTMLBuilder):
    """Sphinx's HTML builder, indexing each page through :func:`searchable`."""

    def index_page(self, pagename: str, doctree: nodes.document, title: str) -> None:
        super().index_page(pagename, searchable(pagename, doctree), title)


def _dictionary_digest() -> str:
    try:
        return hashlib.sha256(ChineseSearch.dictionary.read_bytes()).hexdigest()
    except (AttributeError, OSError):
        return ""


def on_env_get_outdated(app: Sphinx, env: BuildEnvironment, added: set[str],
                        changed: set[str], removed: set[str]) -> list[str]:
    digest = _dictionary_digest()
    previous = getattr(env, _ATTRIBUTE, None)
    setattr(env, _ATTRIBUTE, digest)
    if previous is not None and previous != digest:
        return sorted(env.found_docs)
    return []


def drop_empty_terms(app: Sphinx) -> list:
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


def setup_search(app: Sphinx) -> None:
    app.add_search_language(ChineseSearch)
    app.add_builder(PaperHTMLBuilder, override=True)
    app.connect("env-get-outdated", on_env_get_outdated)
    app.connect("html-collect-pages", drop_empty_terms)
