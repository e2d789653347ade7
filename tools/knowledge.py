"""Curated knowledge: the taxonomy and the glossary, loaded from TOML data files.

The files live in ``docs/_data/`` so that an editor can change topics and
terms without touching code; this module turns them into typed records and
checks them, naming the file and the entry when something is wrong.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_TERM = re.compile(r"[A-Za-z0-9][A-Za-z0-9 .\-]*")


class KnowledgeError(ValueError):
    """A curated data file is malformed (a usage error, not a digest problem)."""


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


@dataclass(frozen=True)
class Topic:
    slug: str
    name: str
    name_zh: str
    keywords: tuple[Keyword, ...]


@dataclass(frozen=True)
class Taxonomy:
    topics: tuple[Topic, ...]
    title_weight: int
    threshold: int
    max_topics: int
    fallback: str


@dataclass(frozen=True)
class Term:
    term: str
    term_zh: str
    definition: str
    aliases: tuple[Keyword, ...]


@dataclass(frozen=True)
class Glossary:
    terms: tuple[Term, ...]


def load_taxonomy(path: Path) -> Taxonomy:
    data = _load(path)
    settings = data.get("settings", {})
    topics: list[Topic] = []
    for index, raw in enumerate(data.get("topic", []), start=1):
        where = f"{path}: topic #{index}"
        slug = _required(raw, "slug", where)
        if not _SLUG.fullmatch(slug):
            raise KnowledgeError(f"{where}: slug {slug!r} must be lower-case letters, digits and hyphens")
        topics.append(Topic(slug=slug, name=_required(raw, "name", where),
                            name_zh=_required(raw, "name_zh", where),
                            keywords=_keywords(raw.get("keywords", []), where)))
    slugs = [topic.slug for topic in topics]
    duplicates = sorted({slug for slug in slugs if slugs.count(slug) > 1})
    if duplicates:
        raise KnowledgeError(f"{path}: duplicate topic slugs {duplicates}")
    fallback = settings.get("fallback", "")
    if fallback not in slugs:
        raise KnowledgeError(f"{path}: settings.fallback {fallback!r} is not a topic slug")
    return Taxonomy(topics=tuple(topics), title_weight=int(settings.get("title_weight", 3)),
                    threshold=int(settings.get("threshold", 3)),
                    max_topics=int(settings.get("max_topics", 3)), fallback=fallback)


def load_glossary(path: Path) -> Glossary:
    data = _load(path)
    terms: list[Term] = []
    for index, raw in enumerate(data.get("term", []), start=1):
        where = f"{path}: term #{index}"
        name = _required(raw, "term", where)
        if not _TERM.fullmatch(name):
            raise KnowledgeError(f"{where}: term {name!r} may hold only letters, digits, spaces, '.' and '-'")
        terms.append(Term(term=name, term_zh=_required(raw, "term_zh", where),
                          definition=_required(raw, "definition", where),
                          aliases=_keywords(raw.get("aliases", []), where)))
    names = [term.term.lower() for term in terms]
    if len(set(names)) != len(names):
        raise KnowledgeError(f"{path}: duplicate glossary terms")
    return Glossary(tuple(terms))


def search_words(taxonomy: Taxonomy, glossary: Glossary) -> list[str]:
    """Domain words that Chinese segmentation must keep whole (see search.py)."""
    words = {keyword.text for topic in taxonomy.topics for keyword in topic.keywords}
    words |= {alias.text for term in glossary.terms for alias in term.aliases}
    words |= {term.term_zh for term in glossary.terms} | {topic.name_zh for topic in taxonomy.topics}
    return sorted(word for word in words if not word.isascii() and " " not in word)


def _load(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise KnowledgeError(f"{path}: {error}") from error


def _required(raw: dict[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise KnowledgeError(f"{where}: '{key}' must be a non-empty string")
    return value.strip()


def _keywords(values: object, where: str) -> tuple[Keyword, ...]:
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise KnowledgeError(f"{where}: keywords must be a list of non-empty strings")
    return tuple(Keyword(value.strip()) for value in values)
