"""Chinese search: a working stemmer on the page, and a domain dictionary.

Sphinx 9.0.x (the newest on Python 3.11) writes ``window.Stemmer =
ChineseStemmer`` into ``language_data.js`` while the stemmer code it ships for
Chinese (``english-stemmer.js``) defines ``EnglishStemmer``: the search page
throws and hangs at "Searching" (sphinx-doc/sphinx#14229, fixed upstream only
in releases that need a newer Python).  The subclass below names the stemmer
that is actually shipped.

The domain dictionary (``html_search_options['dict']``, written by the
converter from the taxonomy and glossary) keeps words such as 稀疏自编码器
whole in the index.  When it changes, every page is re-indexed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.search.zh import SearchChinese

_ATTRIBUTE = "paperkb_search_dict"


class ChineseSearch(SearchChinese):
    # Sphinx builds "window.Stemmer = <language_name>Stemmer" from this name; the
    # stemmer code it ships for Chinese is english-stemmer.js (EnglishStemmer).
    language_name = "English"


def _dictionary_digest(app: Sphinx) -> str:
    path = app.config.html_search_options.get("dict", "")
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
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


def setup_search(app: Sphinx) -> None:
    app.add_search_language(ChineseSearch)
    app.connect("env-get-outdated", on_env_get_outdated)
