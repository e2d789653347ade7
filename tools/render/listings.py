"""Lists of papers that stay readable at any size: the newest on a page, the rest in an archive.

A topic, a glossary term or a month can hold thousands of papers.  Its page
(the *head*) lists them all while they fit on one page (``PAGE_SIZE``); past
that it shows how many and the newest ``LATEST``, and every one of its papers is
on exactly one *archive page* of at most ``PAGE_SIZE`` papers.  Archive pages
are cut from the oldest paper on, so that a new digest changes only the newest
archive page (or adds one): the pages a reader bookmarked keep their papers, and
an incremental build re-renders few pages.  A reader reaches every paper from the head in two clicks.

The bibliography is cut the same way, into pages of ``BIBLIOGRAPHY_PAGE_SIZE``
entries (``refs.bib`` stays whole).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..enrich import EnrichedPaper

LATEST = 20  # papers shown on a head page, newest first
PAGE_SIZE = 100  # papers per archive page
BIBLIOGRAPHY_PAGE_SIZE = 100  # entries per bibliography page: at 390 px a real entry is a quarter
# of a screen (the seeds: 25 entries, 6,090 px), 200 synthetic ones were 41 screens


@dataclass(frozen=True)
class ArchivePage:
    docname: str
    number: int  # 1 holds the oldest papers
    papers: tuple[EnrichedPaper, ...]  # newest first
    size: int  # papers the page holds once full (PAGE_SIZE, or BIBLIOGRAPHY_PAGE_SIZE)

    @property
    def span(self) -> str:
        """``2024-06-03 – 2024-06-29``: the dates of its oldest and newest paper."""
        oldest, newest = self.papers[-1].date_text, self.papers[0].date_text
        return oldest if oldest == newest else f"{oldest} – {newest}"

    @property
    def heading(self) -> str:
        """The page's title: its span once full; while the newest page fills, its first date.

        Every paper page shows its parent's title (the sidebar's chain), so a title
        that moved with each digest made every paper of the newest archive page be
        rewritten: 511 of 687 written pages when a digest was added to 10,000 papers.
        """
        if len(self.papers) < self.size:
            oldest = self.papers[-1].date_text
            return f"{oldest} 起 · since {oldest}"
        return self.span


@dataclass(frozen=True)
class Listing:
    docname: str  # the head page
    papers: tuple[EnrichedPaper, ...]  # all of them, newest first
    pages: tuple[ArchivePage, ...]  # newest first; none when the head lists every paper

    @property
    def latest(self) -> tuple[EnrichedPaper, ...]:
        return self.papers[:LATEST]

    def neighbours(self, page: ArchivePage) -> tuple[ArchivePage | None, ArchivePage | None]:
        """(the newer page, the older page) around ``page``."""
        index = self.pages.index(page)
        return (self.pages[index - 1] if index > 0 else None,
                self.pages[index + 1] if index + 1 < len(self.pages) else None)


def chronological(papers: Sequence[EnrichedPaper]) -> list[EnrichedPaper]:
    """Oldest first: by date (or arXiv month), then by id."""
    return sorted(papers, key=lambda p: (p.date_text, p.arxiv_id))


def listing(docname: str, papers: Sequence[EnrichedPaper], *, ordered: bool = False) -> Listing:
    """``papers`` by date, or (``ordered``) in the given order, oldest first (notes: by the note's)."""
    oldest_first = list(papers) if ordered else chronological(papers)
    newest_first = tuple(reversed(oldest_first))
    if len(oldest_first) <= max(LATEST, PAGE_SIZE):
        return Listing(docname, newest_first, ())
    pages = [ArchivePage(f"{docname}/{number}", number,
                         tuple(reversed(oldest_first[start:start + PAGE_SIZE])), PAGE_SIZE)
             for number, start in enumerate(range(0, len(oldest_first), PAGE_SIZE), start=1)]
    return Listing(docname, newest_first, tuple(reversed(pages)))


def bibliography_pages(papers: Sequence[EnrichedPaper], docname: str) -> list[ArchivePage]:
    """The bibliography's pages, oldest entries first (page 1), each of its papers newest first."""
    oldest_first = chronological(papers)
    return [ArchivePage(f"{docname}/{number}", number,
                        tuple(reversed(oldest_first[start:start + BIBLIOGRAPHY_PAGE_SIZE])),
                        BIBLIOGRAPHY_PAGE_SIZE)
            for number, start in enumerate(range(0, len(oldest_first), BIBLIOGRAPHY_PAGE_SIZE), start=1)]
