"""The glossary feeds the search: every name of a term stands for the others.

The search page receives ``window.PAPERKB_SYNONYMS``: for each glossary term,
its English name, Chinese name and aliases (lower case, ``docs/_data/glossary.toml``),
so that ``reinforcement learning``, ``RL`` and ``强化学习`` find the same papers
(``docs/_static/paperkb-search.js``).  Only the search page carries the list.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from ..read.curated import Glossary, load_glossary


def synonym_groups(glossary: Glossary) -> list[list[str]]:
    groups = []
    for term in glossary.terms:
        names = dict.fromkeys(name.casefold() for name in
                              (term.term, term.term_zh, *term.aliases))
        groups.append(list(names))
    return groups


def add_synonyms(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                 doctree: object) -> None:
    if pagename == "search":
        glossary = load_glossary(Path(app.srcdir) / "_data" / "glossary.toml")
        context["paperkb_synonyms"] = synonym_groups(glossary)
