"""Chinese search: a working stemmer on the page, and a domain dictionary.

Sphinx 9.0.x (the newest on Python 3.11) writes ``window.Stemmer =
ChineseStemmer`` into ``language_data.js`` while the stemmer code it ships for
Chinese (``english-stemmer.js``) defines ``EnglishStemmer``: the search page
throws and hangs at "Searching" (sphinx-doc/sphinx#14229, fixed upstream only
in releases that need a newer Python).  The subclass below names the stemmer
that is actually shipped.

The domain dictionary (written by the converter from the taxonomy and the
glossary) is loaded into jieba on top of its own, so that words such as
稀疏自编码器 stay whole in the index.  It is not passed through
``html_search_options['dict']``: that path would be absolute, and would make
the build configuration differ between two checkouts.  When the dictionary
changes, every page is re-indexed.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import jieba

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.search.zh import SearchChinese

_ATTRIBUTE = "paperkb_search_dict"
jieba.setLogLevel(logging.WARNING)  # not "Building prefix dict..." on every build


class ChineseSearch(SearchChinese):
    # Sphinx builds "window.Stemmer = <language_name>Stemmer" from this name; the
    # stemmer code it ships for Chinese is english-stemmer.js (EnglishStemmer).
    language_name = "English"
    dictionary: Path | None = None  # set by use_dictionary()

    def __init__(self, options: dict[str, str]) -> None:
        super().__init__(options)
        if self.dictionary is not None and self.dictionary.is_file():
            jieba.load_userdict(str(self.dictionary))


def use_dictionary(path: Path) -> None:
    ChineseSearch.dictionary = path


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
    app.connect("env-get-outdated", on_env_get_outdated)
    app.connect("html-collect-pages", drop_empty_terms)
