"""Papers -> papers with what the knowledge base adds to them.

Topics come from the taxonomy, glossary terms from the glossary, related papers
from shared topics and terms, citation keys from ``citekeys.assign_keys``.  All
of it is a pure function of the corpus and the curated data, so a clean build
and an incremental build compute the same thing.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from . import arxiv, citekeys, layout, markup
from .citation import Citation, split_name
from .digests import DigestData, DigestInfo, describe
from .knowledge import Glossary, Haystack, Keyword, Taxonomy
from .metadata import PaperMeta
from .model import Corpus, Paper

RELATED_LIMIT = 5
# The candidates a feature brings to a paper's related list, at most (related_papers): the work
# per paper is at most its features times this.  Far above RELATED_LIMIT, and above every feature
# of the shipped seeds and of the synthetic corpus up to 10,000 papers (385 holders at most), whose
# lists are therefore the exact ones.  Papers that draw each topic and term independently at its
# frequency in the shipped seeds (half of them in language-models) keep exact lists up to about
# 1,000 papers; 0.25 % of the lists differ at 4,000 and 22 % at 8,000 (with 256: 27 % and 64 %).
# Those 8,000 papers' lists took 24 s (256: 10 s; without a cap 87 s, growing as the square).
HOLDERS_CAP = 512


@dataclass(frozen=True)
class EnrichedPaper:
    paper: Paper
    topics: tuple[str, ...]  # topic slugs, best first; the first holds the page in its toctree
    terms: tuple[str, ...]  # glossary terms, in glossary order
    related: tuple[str, ...]  # arXiv ids, most related first
    cite_key: str
    citation: Citation
    meta: PaperMeta | None  # from the metadata file, if it has the paper
    abstract: tuple[tuple[markup.Inline, ...], ...]  # tokens per paragraph
    links: tuple[markup.Link, ...]  # code and project links found in the abstract

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
    digests: tuple[DigestInfo, ...]  # in file-name order

    def newest_first(self, items: list[EnrichedPaper]) -> list[EnrichedPaper]:
        """Papers by date, newest first (then by id, newest first)."""
        return sorted(items, key=lambda p: (p.date_text, p.arxiv_id), reverse=True)

    def months(self) -> list[str]:
        """Every month that has papers, newest first."""
        return sorted({p.month for p in self.papers.values()}, reverse=True)

    def shared(self, item: EnrichedPaper, other: EnrichedPaper) -> tuple[list[str], list[str]]:
        """Why two papers are related: the topics (slugs) and glossary terms they share."""
        return ([t for t in item.topics if t in other.topics],
                [t for t in item.terms if t in other.terms])

    def papers_of_topic(self, slug: str) -> list[EnrichedPaper]:
        return [p for p in self.papers.values() if slug in p.topics]

    def primary_papers_of_topic(self, slug: str) -> list[EnrichedPaper]:
        return [p for p in self.papers.values() if p.topics[0] == slug]


def enrich(corpus: Corpus, taxonomy: Taxonomy, glossary: Glossary,
           metadata: dict[str, PaperMeta] | None = None,
           digest_data: Mapping[str, DigestData] | None = None) -> Knowledge:
    metadata = metadata or {}
    citations = {pid: citation(p, metadata.get(pid)) for pid, p in corpus.papers.items()}
    keys = citekeys.assign_keys(citations.values())
    topics = {pid: classify(paper, taxonomy) for pid, paper in corpus.papers.items()}
    terms = {pid: find_terms(paper, glossary) for pid, paper in corpus.papers.items()}
    related = related_papers(topics, terms)
    papers: dict[str, EnrichedPaper] = {}
    for pid, paper in corpus.papers.items():
        abstract = tuple(tuple(markup.tokenize(paragraph)) for paragraph in paper.abstract)
        links = _unique_links(token for paragraph in abstract for token in markup.links(list(paragraph)))
        papers[pid] = EnrichedPaper(paper=paper, topics=topics[pid], terms=terms[pid],
                                    related=related[pid], cite_key=keys[pid],
                                    citation=citations[pid], meta=metadata.get(pid),
                                    abstract=abstract, links=links)
    return Knowledge(corpus=corpus, papers=papers, taxonomy=taxonomy, glossary=glossary,
                     digests=describe(corpus.digests, metadata, digest_data or {}))


def citation(paper: Paper, meta: PaperMeta | None) -> Citation:
    """The citation of a paper: arXiv's title and authors when known, else the digest's title."""
    if meta is None:
        return Citation(arxiv_id=paper.arxiv_id, title=paper.title)
    return Citation(
        arxiv_id=paper.arxiv_id, title=meta.title or paper.title,
        authors=tuple(split_name(name) for name in meta.authors),
        date=meta.published, primary_class=meta.primary_category)


def classify(paper: Paper, taxonomy: Taxonomy) -> tuple[str, ...]:
    """Topic slugs for a paper, best first; never empty (see taxonomy.toml)."""
    titles = Haystack(f"{paper.title}\n{paper.title_zh}")
    abstract = Haystack("\n".join(paper.abstract))
    scored: list[tuple[int, int, str]] = []
    for order, topic in enumerate(taxonomy.topics):
        in_title = sum(1 for keyword in topic.keywords if keyword.found_in(titles))
        in_abstract = sum(1 for keyword in topic.keywords if keyword.found_in(abstract))
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
    return tuple(term.term for term in glossary.terms if _any_found(term.aliases, text))


def related_papers(topics: dict[str, tuple[str, ...]],
                   terms: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """For each paper, the papers sharing the most topics and glossary terms.

    Cosine similarity of the feature sets; ties go to the older paper (by the
    month of its id, then its id), so the result does not depend on the order
    papers were read in, and a new digest enters a paper's list only where one
    of its papers is strictly more related than the ones listed: the other
    pages stay as they were and are not rebuilt.  Papers are compared only with
    those they share a feature with (an inverted index), not with every other paper.

    Bounded work, whatever the corpus: a paper scores at most (its features) x
    ``HOLDERS_CAP`` candidates, each by its exact cosine over all features.  A
    feature with at most ``HOLDERS_CAP`` holders brings them all.  A *common*
    one, with more (the fallback topic ``other``, a term most papers use), brings
    instead a few papers of each *group* that holds it, a group being the papers
    with the same common features and as many features in all.  The papers of a
    group that share no rarer feature with this one all score the same (those
    that do score more, and that feature brings them), so only the
    ``RELATED_LIMIT + 1`` oldest of a group can be listed, and the lists are
    still the exact ones: papers that share only ``other`` cost 6 scores each,
    not one per paper of ``other``.

    Only when a common feature's groups bring more than ``HOLDERS_CAP`` papers
    does the cap trade exactness for time: it keeps the first ``HOLDERS_CAP`` of
    them in an order that is the same for every paper (fewest features first, as
    those are the most related to a paper sharing one feature with them; then
    most common features; then oldest).  So a paper past the cap of every common
    feature it shares with this one is not considered, however many it shares,
    and a new digest can then change a list it is not more related to, by
    pushing a listed paper past a cap.  The result is a pure function of the
    corpus either way: a clean build and an incremental build agree.
    """
    features = {pid: frozenset({f"topic:{t}" for t in topics[pid]} | {f"term:{t}" for t in terms[pid]})
                for pid in topics}
    oldest_first = {pid: arxiv.year_month(pid) for pid in features}
    holders: dict[str, list[str]] = {}
    for pid, mine in features.items():
        for feature in mine:
            holders.setdefault(feature, []).append(pid)
    common = {feature for feature, held in holders.items() if len(held) > HOLDERS_CAP}
    if common:
        holders.update(_common_candidates(features, common, oldest_first))
    related: dict[str, tuple[str, ...]] = {}
    for pid, mine in features.items():
        shared = {other for feature in mine for other in holders[feature] if other != pid}
        scored = ((-_similarity(mine, features[other]), oldest_first[other], other) for other in shared)
        related[pid] = tuple(other for *_, other in heapq.nsmallest(RELATED_LIMIT, scored))
    return related


def _common_candidates(features: dict[str, frozenset[str]], common: set[str],
                       oldest_first: dict[str, tuple[int, int]]) -> dict[str, list[str]]:
    """The candidates each common feature brings (see :func:`related_papers`): at most HOLDERS_CAP."""
    groups: dict[tuple[frozenset[str], int], list[str]] = {}
    for pid, mine in features.items():
        if mine & common:
            groups.setdefault((mine & common, len(mine)), []).append(pid)
    brought: dict[str, list[str]] = {feature: [] for feature in common}
    for (held, _), members in groups.items():
        # One more than listed: the paper whose list is made may be one of them.
        oldest = heapq.nsmallest(RELATED_LIMIT + 1, members, key=lambda pid: (oldest_first[pid], pid))
        for feature in held:
            brought[feature].extend(oldest)

    def first(pid: str) -> tuple[int, int, tuple[int, int], str]:
        return len(features[pid]), -len(features[pid] & common), oldest_first[pid], pid

    return {feature: heapq.nsmallest(HOLDERS_CAP, papers, key=first) for feature, papers in brought.items()}


def _similarity(mine: frozenset[str], theirs: frozenset[str]) -> float:
    """Cosine similarity of two feature sets (neither empty)."""
    # Rounded, so that equal similarities computed in another order compare equal.
    return round(len(mine & theirs) / math.sqrt(len(mine) * len(theirs)), 9)


def _any_found(keywords: tuple[Keyword, ...], text: Haystack) -> bool:
    return any(keyword.found_in(text) for keyword in keywords)


def _unique_links(links: Iterable[markup.Link]) -> tuple[markup.Link, ...]:
    seen: dict[str, markup.Link] = {}
    for link in links:
        seen.setdefault(link.url, link)
    return tuple(seen.values())


def _month_text(year_month: tuple[int, int]) -> str:
    year, month = year_month
    return f"{year:04d}-{month:02d}"
