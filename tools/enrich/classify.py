"""Topics and glossary terms of a paper, by keyword matching on its titles and abstract.

A keyword matches whole words when it is ASCII ("RL" is not in "URL") and as a
substring otherwise (Chinese has no spaces between words).  Each keyword is
compiled once per conversion (:class:`Matchers`), and each text case-folded once
(:class:`Haystack`), since every paper is checked against every keyword.
"""

from __future__ import annotations

import re
from functools import cache

from ..model import Paper
from ..read.curated import Glossary, Taxonomy


class Haystack:
    """A text prepared once for many keyword lookups (its case-folded form is computed once)."""

    __slots__ = ("folded", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.folded = text.casefold()


class Keyword:
    """A keyword that matches whole words (ASCII) or substrings (CJK and others)."""

    __slots__ = ("_folded", "_pattern", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._folded = text.casefold()
        self._pattern = re.compile(rf"(?<![A-Za-z0-9]){re.escape(text)}(?![A-Za-z0-9])",
                                   re.IGNORECASE) if text.isascii() else None

    def found_in(self, haystack: Haystack) -> bool:
        if self._pattern is None:
            return self.text in haystack.text
        # A substring test first: a paper is checked against every keyword, most are
        # absent, and a regex search costs ten times more.
        return self._folded in haystack.folded and self._pattern.search(haystack.text) is not None

    def __repr__(self) -> str:
        return f"Keyword({self.text!r})"


@cache
def _keywords(texts: tuple[str, ...]) -> tuple[Keyword, ...]:
    return tuple(Keyword(text) for text in texts)


def classify(paper: Paper, taxonomy: Taxonomy) -> tuple[str, ...]:
    """Topic slugs for a paper, best first; never empty (see taxonomy.toml)."""
    titles = Haystack(f"{paper.title}\n{paper.title_zh}")
    abstract = Haystack("\n".join(paper.abstract))
    scored: list[tuple[int, int, str]] = []
    for order, topic in enumerate(taxonomy.topics):
        in_title = sum(1 for keyword in _keywords(topic.keywords) if keyword.found_in(titles))
        in_abstract = sum(1 for keyword in _keywords(topic.keywords) if keyword.found_in(abstract))
        score = taxonomy.title_weight * in_title + in_abstract
        if score:
            scored.append((-score, order, topic.slug))
    scored.sort()
    chosen = [slug for neg_score, _, slug in scored if -neg_score >= taxonomy.threshold]
    if not chosen:
        chosen = [scored[0][2]] if scored else [taxonomy.fallback]
    return tuple(chosen[: taxonomy.max_topics])


def find_terms(paper: Paper, glossary: Glossary) -> tuple[str, ...]:
    text = Haystack("\n".join((paper.title, paper.title_zh, *paper.abstract)))
    return tuple(term.term for term in glossary.terms if _any_found(_keywords(term.aliases), text))


def _any_found(keywords: tuple[Keyword, ...], text: Haystack) -> bool:
    return any(keyword.found_in(text) for keyword in keywords)
