"""Papers -> papers with what the knowledge base adds to them.

Topics and glossary terms come from ``classify``, related papers from
``related``, citation keys from ``citekeys``, digests' names from
``digest_names``; this module puts them together.  All
of it is a pure function of the corpus and the curated data, so a clean build
and an incremental build compute the same thing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial

from .. import arxiv, layout
from ..memo import Memo, fingerprint
from ..model import Citation, Corpus, Link, Paper, Tokens
from ..read.curated import NO_PROPER_NOUNS, Glossary, ProperNouns, Taxonomy
from ..read.digest_titles import DigestData
from ..read.metadata import PaperMeta
from . import citekeys
from .classify import classify, find_terms
from .crossrefs import Writings
from .digest_names import DigestInfo, describe
from .related import related_papers


@dataclass(frozen=True)
class EnrichedPaper:
    paper: Paper
    topics: tuple[str, ...]  # topic slugs, best first; the first holds the page in its toctree
    terms: tuple[str, ...]  # glossary terms, in glossary order
    related: tuple[str, ...]  # arXiv ids, most related first
    cite_key: str
    citation: Citation
    meta: PaperMeta | None  # from the metadata file, if it has the paper
    abstract: tuple[Tokens, ...]  # tokens per paragraph
    links: tuple[Link, ...]  # code and project links found in the abstract

    @property
    def arxiv_id(self) -> str:
        return self.paper.arxiv_id

    @property
    def page(self) -> str:
        return layout.paper_docname(arxiv.page_name(self.paper.arxiv_id))

    @property
    def year_month(self) -> tuple[int, int]:
        return arxiv.year_month(self.paper.arxiv_id)

    @property
    def date(self) -> dt.date | None:
        """The date of v1, when the metadata file has it."""
        return self.meta.published if self.meta else None

    @property
    def date_text(self) -> str:
        """The full date (2025-03-13), else the arXiv month (2025-03)."""
        return self.date.isoformat() if self.date else _month_text(self.year_month)

    @property
    def month(self) -> str:
        return _month_text(self.year_month)


@dataclass(frozen=True)
class Knowledge:
    """The enriched corpus: everything the renderer needs."""

    corpus: Corpus
    papers: dict[str, EnrichedPaper]
    taxonomy: Taxonomy
    glossary: Glossary
    digests: tuple[DigestInfo, ...]  # oldest first (digest_names.describe)
    writings: Writings = field(default_factory=Writings)  # the team's notes, lists, articles
    proper_nouns: ProperNouns = NO_PROPER_NOUNS  # names BibTeX titles keep capitalised


def enrich(corpus: Corpus, taxonomy: Taxonomy, glossary: Glossary,
           metadata: dict[str, PaperMeta] | None = None,
           digest_data: Mapping[str, DigestData] | None = None,
           proper_nouns: ProperNouns | None = None, memo: Memo | None = None) -> Knowledge:
    """``memo``: a paper's topics and terms found before, by its texts and the curated data."""
    metadata, memo = metadata or {}, memo or Memo()
    citations = {pid: citation(p, metadata.get(pid)) for pid, p in corpus.papers.items()}
    keys = citekeys.assign_keys(citations.values())
    # Keyword matching is a third of enriching; it follows from a paper's texts alone.
    taxonomy_key, glossary_key = fingerprint(taxonomy), fingerprint(glossary)
    # A paper's texts hashed once for both keys (pickling an abstract's tokens is the cost).
    texts = {pid: fingerprint((paper.title, paper.title_zh, paper.abstract))
             for pid, paper in corpus.papers.items()}
    topics = {pid: memo.get("topics", (taxonomy_key, texts[pid]), partial(classify, paper, taxonomy))
              for pid, paper in corpus.papers.items()}
    terms = {pid: memo.get("terms", (glossary_key, texts[pid]), partial(find_terms, paper, glossary))
             for pid, paper in corpus.papers.items()}
    related = related_papers(topics, terms)
    papers: dict[str, EnrichedPaper] = {}
    for pid, paper in corpus.papers.items():
        links = _unique_links(token for paragraph in paper.abstract_tokens for token in paragraph
                              if isinstance(token, Link))
        papers[pid] = EnrichedPaper(paper=paper, topics=topics[pid], terms=terms[pid],
                                    related=related[pid], cite_key=keys[pid],
                                    citation=citations[pid], meta=metadata.get(pid),
                                    abstract=paper.abstract_tokens, links=links)
    return Knowledge(corpus=corpus, papers=papers, taxonomy=taxonomy, glossary=glossary,
                     digests=describe(corpus.digests, metadata, digest_data or {}),
                     proper_nouns=proper_nouns or NO_PROPER_NOUNS)


def citation(paper: Paper, meta: PaperMeta | None) -> Citation:
    """The citation of a paper: arXiv's title and authors when known, else the digest's title."""
    if meta is None:
        return Citation(arxiv_id=paper.arxiv_id, title=paper.title)
    return Citation(
        arxiv_id=paper.arxiv_id, title=meta.title or paper.title,
        authors=meta.names,
        date=meta.published, primary_class=meta.primary_category)


def _unique_links(links: Iterable[Link]) -> tuple[Link, ...]:
    seen: dict[str, Link] = {}
    for link in links:
        seen.setdefault(link.url, link)
    return tuple(seen.values())


def _month_text(year_month: tuple[int, int]) -> str:
    year, month = year_month
    return f"{year:04d}-{month:02d}"
