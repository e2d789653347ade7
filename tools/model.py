"""The records that flow through the pipeline, shared by every stage.

``read.parse`` yields :class:`Entry` records (one per digest entry, with its
source location and its markup as tokens) and :class:`Problem` records;
``build_corpus`` folds entries into :class:`Paper` and :class:`Digest` records;
``enrich`` makes a :class:`Citation` of each paper.  Nothing here knows about
Sphinx, MyST or files on disk beyond the paths it carries for error messages.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from . import arxiv
from .arxiv import ArxivRef

# --- markup as tokens (read.markup makes them; render turns them into MyST) --------------------

class Text(NamedTuple):
    text: str


class Math(NamedTuple):
    tex: str


class Strong(NamedTuple):
    text: str


class Emph(NamedTuple):
    text: str


class Link(NamedTuple):
    url: str
    text: str


Inline = Text | Math | Strong | Emph | Link
Tokens = tuple[Inline, ...]


def plain_text(tokens: tuple[Inline, ...] | list[Inline]) -> str:
    """The text of tokens as written, formulas as ``$TeX$``."""
    return "".join(f"${token.tex}$" if isinstance(token, Math) else token.text for token in tokens)


# --- digests ---------------------------------------------------------------------------------------

class SourceRef(NamedTuple):
    """Where a record came from: the digest file and the 1-based line."""

    path: Path
    line: int

    def __str__(self) -> str:
        # Line 0: the whole file (a file that is ignored, say).
        return f"{self.path}:{self.line}" if self.line else str(self.path)


class Problem(NamedTuple):
    """An input problem, reported as ``file:line: reason``.

    ``kind`` is a short machine-readable subtype (``missing-link``,
    ``not-utf8``...) so that tests and tools can tell problems apart.
    """

    source: SourceRef
    kind: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


class Entry(NamedTuple):
    """One entry of one digest, exactly as written (after line-ending cleanup)."""

    title: str
    title_zh: str
    url: str
    arxiv: ArxivRef
    abstract: tuple[str, ...]  # paragraphs, each with its lines joined
    source: SourceRef  # the line of the ``## `` heading
    title_tokens: Tokens = ()  # the title's markup
    title_zh_tokens: Tokens = ()  # the Chinese title's (pages show it as written; JSON as read)
    abstract_tokens: tuple[Tokens, ...] = ()  # each paragraph's markup


@dataclass(frozen=True)
class Paper:
    """A paper, merged from every digest entry that mentions it."""

    arxiv_id: str
    title: str
    title_zh: str
    abstract: tuple[str, ...]
    url: str  # the canonical abs URL, without version
    versions: tuple[int, ...]  # versions named by the digests' links, if any
    sources: tuple[SourceRef, ...]  # every entry that mentions the paper, in read order
    # Texts that differ between digests: kept, never silently overwritten.
    variants: tuple[Entry, ...] = ()
    title_tokens: Tokens = ()
    title_zh_tokens: Tokens = ()
    abstract_tokens: tuple[Tokens, ...] = ()

    @property
    def digests(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for source in self.sources:
            seen.setdefault(source.path.stem, None)
        return tuple(seen)


@dataclass(frozen=True)
class Digest:
    """One digest file: its name (the file stem) and its papers in file order."""

    name: str
    path: Path
    paper_ids: tuple[str, ...]


@dataclass(frozen=True)
class Corpus:
    papers: dict[str, Paper]  # by arXiv id, in first-seen order
    digests: tuple[Digest, ...]  # in file-name order
    # Not errors: things a reader of the build log should know (e.g. variants).
    notices: tuple[Problem, ...] = field(default=())


def build_corpus(entries: tuple[Entry, ...]) -> Corpus:
    """Fold entries into papers (one per arXiv id) and digests (one per file).

    The first entry of a paper, in digest order, gives its texts; a later entry
    whose texts differ is kept as a variant (shown on the page) and noted once.
    """
    by_id: dict[str, list[Entry]] = {}
    digest_ids: dict[Path, dict[str, None]] = {}
    for entry in entries:
        by_id.setdefault(entry.arxiv.id, []).append(entry)
        digest_ids.setdefault(entry.source.path, {}).setdefault(entry.arxiv.id, None)
    papers: dict[str, Paper] = {}
    notices: list[Problem] = []
    for arxiv_id, group in by_id.items():
        first = group[0]
        variants = tuple(e for e in group[1:] if _texts(e) != _texts(first))
        if variants:
            others = ", ".join(str(v.source) for v in variants)
            notices.append(Problem(first.source, "variant",
                                   f"{arxiv_id} appears again with different text at {others}; "
                                   "both versions are kept on its page"))
        versions = sorted({e.arxiv.version for e in group if e.arxiv.version is not None})
        papers[arxiv_id] = Paper(arxiv_id=arxiv_id, title=first.title, title_zh=first.title_zh,
                                 abstract=first.abstract, url=arxiv.abs_url(arxiv_id),
                                 versions=tuple(versions),
                                 sources=tuple(e.source for e in group), variants=variants,
                                 title_tokens=first.title_tokens, title_zh_tokens=first.title_zh_tokens,
                                 abstract_tokens=first.abstract_tokens)
    digests = tuple(Digest(name=path.stem, path=path, paper_ids=tuple(ids))
                    for path, ids in sorted(digest_ids.items(), key=lambda item: item[0].name))
    return Corpus(papers=papers, digests=digests, notices=tuple(notices))


def _texts(entry: Entry) -> tuple[str, str, tuple[str, ...]]:
    return entry.title, entry.title_zh, entry.abstract


# --- citations -------------------------------------------------------------------------------------

class Citation(NamedTuple):
    """What a citation is made of; ``authors`` as (family, given) pairs."""

    arxiv_id: str
    title: str
    authors: tuple[tuple[str, str], ...] = ()
    date: datetime.date | None = None  # of v1; without it, year and month come from the id
    primary_class: str | None = None

    @property
    def year(self) -> int:
        return self.date.year if self.date else arxiv.year_month(self.arxiv_id)[0]

    @property
    def month(self) -> int:
        return self.date.month if self.date else arxiv.year_month(self.arxiv_id)[1]


# --- the team's own writing: notes, articles, reading lists (read.writings, read.reading_lists) ----

class Reference(NamedTuple):
    """A paper named by a note or an article: ``{paper}`id` ``, ``{cite}`key` `` or ``{term}`t` ``."""

    kind: str  # "paper" (target: an arXiv id), "cite" (a citation key) or "term" (a glossary term)
    target: str
    source: SourceRef


@dataclass(frozen=True)
class Writing:
    """A note on a paper (``seeds/notes/<id>.md``) or an article (``seeds/articles/<slug>.md``).

    The text itself is never copied: the page includes the file (MyST ``{include}``),
    so Sphinx reports a problem in it at the file's own line and re-reads only the
    including page when it changes.
    """

    kind: str  # "note" or "article"
    key: str  # the paper's arXiv id, or the article's slug
    path: Path
    body_start: int  # lines before the body (the front matter): the include's :start-line:
    title: str  # an article's first heading; "" for a note (its paper's title is its title)
    authors: tuple[str, ...]
    date: datetime.date | None
    tags: tuple[str, ...]
    references: tuple[Reference, ...]


class ListItem(NamedTuple):
    arxiv_id: str
    why: str
    source: SourceRef


@dataclass(frozen=True)
class ReadingList:
    """``seeds/lists/<slug>.toml``: a title, a description and papers in the team's order."""

    slug: str
    path: Path
    title: str
    description: str
    items: tuple[ListItem, ...]
