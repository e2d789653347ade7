"""Curated knowledge: the taxonomy, the glossary and the proper nouns, loaded from TOML data files.

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


@dataclass(frozen=True)
class Topic:
    slug: str
    name: str
    name_zh: str
    keywords: tuple[str, ...]  # matched by enrich.classify: whole words (ASCII), else substrings


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
    aliases: tuple[str, ...]  # other names, matched as keywords are


@dataclass(frozen=True)
class Glossary:
    terms: tuple[Term, ...]


@dataclass(frozen=True)
class ProperNouns:
    """Names a title keeps capitalised in every citation style (BibTeX braces them)."""

    names: tuple[str, ...] = ()


NO_PROPER_NOUNS = ProperNouns()


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


def load_proper_nouns(path: Path) -> ProperNouns:
    """Every ``names`` list of the file's tables (the tables only group them for editors)."""
    data = _load(path)
    names: list[str] = []
    for group, table in data.items():
        where = f"{path}: [{group}]"
        if not isinstance(table, dict) or set(table) != {"names"}:
            raise KnowledgeError(f"{where} must be a table holding only a 'names' list")
        names += _keywords(table["names"], where)
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise KnowledgeError(f"{path}: names listed twice: {duplicates}")
    return ProperNouns(tuple(names))


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


def _keywords(values: object, where: str) -> tuple[str, ...]:
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise KnowledgeError(f"{where}: keywords must be a list of non-empty strings")
    return tuple(value.strip() for value in values)
