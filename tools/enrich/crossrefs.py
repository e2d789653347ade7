"""The team's notes, articles and reading lists, joined to the papers they name.

Every reference must resolve: a note on a paper the site holds, ``{paper}`` and
list entries naming held papers, ``{cite}`` keys of the bibliography, ``{term}``
terms of the glossary; what does not is a problem at its ``file:line``, and the
note or article is left out (a list keeps its other entries), so a ``STRICT=0``
build shows the rest.  Backlinks go the other way: for each paper, the notes and
articles that cite or link it, and the lists that hold it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from .. import layout
from ..model import Problem, ReadingList, Reference, SourceRef, Writing
from ..read.curated import Glossary

if TYPE_CHECKING:
    from .enriched import EnrichedPaper


@dataclass(frozen=True)
class Backlink:
    """A page of the team's that names a paper."""

    kind: str  # "note" or "article"
    title: str
    docname: str


@dataclass(frozen=True)
class Writings:
    notes: dict[str, Writing] = field(default_factory=dict)  # by the paper's arXiv id
    articles: tuple[Writing, ...] = ()  # newest first
    lists: tuple[ReadingList, ...] = ()  # by slug
    backlinks: dict[str, tuple[Backlink, ...]] = field(default_factory=dict)  # by arXiv id
    in_lists: dict[str, tuple[ReadingList, ...]] = field(default_factory=dict)  # by arXiv id

    def linked(self, writing: Writing) -> tuple[str, ...]:
        """The papers a text shows by title (``{paper}``), each once, in the text's order."""
        return tuple(dict.fromkeys(ref.target for ref in writing.references if ref.kind == "paper"))


def link_writings(papers: Mapping[str, EnrichedPaper], glossary: Glossary,
                  notes: Iterable[Writing], articles: Iterable[Writing],
                  lists: Iterable[ReadingList]) -> tuple[Writings, tuple[Problem, ...]]:
    by_key = {item.cite_key: item.arxiv_id for item in papers.values()}
    terms = {term.term.casefold() for term in glossary.terms}
    problems: list[Problem] = []

    def check(writing: Writing) -> bool:
        found = [problem for ref in writing.references
                 if (problem := _unresolved(ref, papers, by_key, terms)) is not None]
        problems.extend(found)
        return not found

    kept_notes: dict[str, Writing] = {}
    for note in notes:
        if note.key not in papers:
            problems.append(Problem(SourceRef(note.path, 1), "note-paper",
                                    f"a note on {note.key}, a paper no digest holds"))
        elif check(note):
            kept_notes[note.key] = note
    kept_articles = sorted((article for article in articles if check(article)),
                           key=lambda a: (a.date or dt.date.min, a.key), reverse=True)
    kept_lists: list[ReadingList] = []
    for reading_list in lists:
        held = []
        for item in reading_list.items:
            if item.arxiv_id in papers:
                held.append(item)
            else:
                problems.append(Problem(item.source, "list-paper",
                                        f"{item.arxiv_id}: a paper no digest holds"))
        kept_lists.append(replace(reading_list, items=tuple(held)))

    backlinks: dict[str, dict[str, Backlink]] = {}
    for note in kept_notes.values():
        own = papers[note.key]
        link = Backlink("note", own.paper.title_zh, own.page)
        for arxiv_id in _named(note, by_key) - {note.key}:
            backlinks.setdefault(arxiv_id, {})[link.docname] = link
    for article in kept_articles:
        link = Backlink("article", article.title, layout.article_docname(article.key))
        for arxiv_id in _named(article, by_key):
            backlinks.setdefault(arxiv_id, {})[link.docname] = link
    in_lists: dict[str, list[ReadingList]] = {}
    for reading_list in kept_lists:
        for arxiv_id in dict.fromkeys(item.arxiv_id for item in reading_list.items):
            in_lists.setdefault(arxiv_id, []).append(reading_list)
    return Writings(
        notes=kept_notes, articles=tuple(kept_articles), lists=tuple(kept_lists),
        backlinks={pid: tuple(sorted(links.values(), key=lambda b: (b.kind, b.docname)))
                   for pid, links in backlinks.items()},
        in_lists={pid: tuple(found) for pid, found in in_lists.items()},
    ), tuple(problems)


def _named(writing: Writing, by_key: Mapping[str, str]) -> set[str]:
    """The papers a text cites or links."""
    return {by_key[ref.target] if ref.kind == "cite" else ref.target
            for ref in writing.references if ref.kind in ("paper", "cite")}


def _unresolved(ref: Reference, papers: Mapping[str, EnrichedPaper], by_key: Mapping[str, str],
                terms: set[str]) -> Problem | None:
    if ref.kind == "paper" and ref.target not in papers:
        return Problem(ref.source, "unknown-paper",
                       f"{{paper}}`{ref.target}`: a paper no digest holds")
    if ref.kind == "cite" and ref.target not in by_key:
        return Problem(ref.source, "unknown-citation",
                       f"{{cite}}`{ref.target}`: no paper has this citation key "
                       "(each paper's page shows its key under 引用 · Cite)")
    if ref.kind == "term" and ref.target.casefold() not in terms:
        return Problem(ref.source, "unknown-term",
                       f"{{term}}`{ref.target}`: not a term of the glossary (docs/_data/glossary.toml)")
    return None
