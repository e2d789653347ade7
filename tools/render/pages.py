"""Enriched knowledge -> the text of every generated page (MyST), plus the exports.

Page layouts are the Jinja templates in ``templates/``.  The environment's
``finalize`` hook escapes every value a template prints unless a filter
already turned it into MyST (``myst.MyST``), so a template cannot forget to
escape digest text.  The citation exports come from ``citation_formats.py``.  This
module returns ``{relative path: text}`` and knows nothing about the file
system; ``files/write.py`` puts the files in place.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import pickle
import re
import urllib.parse
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple, Protocol

import jinja2

from .. import arxiv, layout
from ..enrich import EnrichedPaper, Knowledge
from ..enrich.digest_names import DigestInfo
from ..memo import Memo
from ..model import Inline, Text, Tokens, Writing, plain_text
from ..read.csl_styles import CslStyle
from ..read.curated import Glossary, Taxonomy, Topic
from ..read.writings import ARTICLES, NOTES
from . import myst, scholarly_meta
from .citation_formats import bibtex_entries, csl_records, render_exports
from .listings import ArchivePage, Listing, bibliography_pages, chronological, listing
from .lookups import months as months_of
from .lookups import papers_by_topic, shared
from .papers_json import render_papers_json
from .readable import readable_text
from .references import format_references, render_cache

TEMPLATES = Path(__file__).with_name("templates")
_SAFE_PAGE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def _finalize(value: object) -> str:
    if isinstance(value, myst.MyST):
        return value
    return myst.escape_text(str(value))


@functools.cache  # one environment per process: its templates are compiled once, not per render
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        autoescape=False,  # HTML escaping is wrong for MyST; _finalize escapes instead
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        inline=lambda tokens: myst.inline(list(tokens)),
        classes=myst.classes,
        # A macro's output is template text whose values were escaped as it rendered.
        macro=lambda text: myst.MyST(str(text)),
        byline=byline,
        snippet=snippet,
        link=lambda text, url: myst.link(str(text), url),
        doc_link=lambda text, docname: myst.doc_link(str(text), docname),
        target=myst.target,
        target_text=lambda text: myst.MyST(myst.escape_text(text)),
        cite=lambda key, style: myst.role(f"cite:{style}", myst.target(key)),
        term_ref=lambda term: myst.role("term", term),
        site_file=_site_file,
        code_block=myst.code_block,
        # sphinx-design's badge: a card's mark for a paper with a note.
        badge=lambda text: myst.role("bdg-info-line", str(text)),
        yaml=myst.yaml_value,
        block_class=myst.block_class,
    )
    env.globals["layout"] = layout
    return env


def byline(item: EnrichedPaper, shown: int = 3) -> myst.MyST:
    """``First, Second, Third et al. · 2025-03-13 · 2503.10622``; each name a search for its papers.

    A page per author would not stay bounded; the search finds an author's papers
    (a paper page's text holds its authors) on any site size.
    """
    parts = []
    authors = item.meta.authors if item.meta else ()
    if authors:
        names = ", ".join(author_search(name) for name in authors[:shown])
        parts.append(f"{names} et al." if len(authors) > shown else names)
    parts += [myst.role(layout.NOWRAP_ROLE, item.date_text), myst.escape_text(item.arxiv_id)]
    return myst.MyST(" · ".join(parts))


def author_search(name: str) -> myst.MyST:
    """A link to the site's search for ``name`` (``search.html?q=...``, relative to the page)."""
    query = urllib.parse.quote(" ".join(name.split()), safe="")
    return myst.role("site-file", f"{name} <search.html?q={query}>")


def snippet(item: EnrichedPaper, length: int = 120) -> myst.MyST:
    """The abstract's first ``length`` characters, for lists and cards.

    A formula, link or emphasis that fits is kept whole; one that does not (a
    formula can be a thousand characters) is cut as readable text, so that no
    snippet is longer than its budget.
    """
    kept: list[Inline] = []
    left = length
    for token in item.abstract[0] if item.abstract else ():
        if left <= 0:
            break
        size = len(plain_text([token]))
        if isinstance(token, Text) or size > left:
            text = readable_text([token])[:left]
            kept.append(Text(text))
            left -= len(text)
        else:
            kept.append(token)
            left -= size
    text = myst.inline(kept)
    return myst.MyST(text + "…") if left <= 0 else text


def _site_file(spec: str) -> myst.MyST:
    """``refs.bib`` or ``Title <path>``: the path must be a safe target."""
    title, _, path = spec.rpartition(" <")
    if title:
        return myst.role("site-file", f"{title} <{myst.target(path.removesuffix('>'))}>")
    return myst.role("site-file", myst.target(spec))


class Cards:
    """A paper's card (the ``paper`` macro of ``_macros.md.jinja``), rendered once per paper.

    A paper is shown in its digest, month, topics, terms and maybe the home page:
    at 10,000 papers the lists held 44,000 cards, each rendered anew.
    """

    def __init__(self, env: jinja2.Environment, topic_names: dict[str, str],
                 noted: frozenset[str] = frozenset()) -> None:
        self._macro = env.get_template("_macros.md.jinja").module.paper  # type: ignore[attr-defined]
        self._topic_names = topic_names
        self._noted = noted  # papers with a note: their cards carry a badge
        self._rendered: dict[str, myst.MyST] = {}

    def __getitem__(self, item: EnrichedPaper) -> myst.MyST:
        card = self._rendered.get(item.arxiv_id)
        if card is None:
            card = self._rendered[item.arxiv_id] = myst.MyST(
                str(self._macro(item, self._topic_names, item.arxiv_id in self._noted)))
        return card


def digest_page(name: str) -> str:
    """Docname of a digest's page: its file stem when that is URL-safe."""
    if _SAFE_PAGE.fullmatch(name):
        return f"{layout.DIGESTS}/{name}"
    return f"{layout.DIGESTS}/digest-{hashlib.sha256(name.encode()).hexdigest()[:12]}"


class PageCache(Protocol):
    """Pages of a previous conversion that are still right (``files.converted.KeptPages``)."""

    def holds(self, path: str, shown: bytes) -> bool:
        """Whether the file at ``path`` is the page that shows ``shown`` (a pickle)."""


class RelatedPaper(NamedTuple):
    """A related paper as a paper page lists it."""

    title_zh: str
    page: str
    title_tokens: Tokens
    why: list[str]  # what the two papers share


# A fixed protocol: a page's key must not change with Python's default.
_PICKLE_PROTOCOL = 5


def render_site(knowledge: Knowledge, styles: Sequence[CslStyle] = (),
                reference_cache: Mapping[str, str] | None = None,
                seeds_from_docs: str = "../seeds", kept: PageCache | None = None,
                memo: Memo | None = None) -> dict[str, str]:
    """Every generated file of the site, by path relative to the docs folder.

    ``kept``: paper pages that need not be rendered again, left out of the result (a
    paper page shows its paper and a few things of others; rendering 10,000 is seconds).
    ``memo``: the BibTeX entries, CSL-JSON and RIS records written before, by what they were
    written from.

    ``styles`` are those of the formatted references in each paper's Cite box (none:
    the box has only the exports); ``reference_cache`` the references a previous run
    formatted (``references.load_cache``), written back with this run's.
    ``seeds_from_docs``: where the seeds folder is, relative to the docs folder; pages
    include the team's notes and articles from it.
    """
    env = _environment()
    taxonomy = knowledge.taxonomy
    digest_pages = {digest.name: digest_page(digest.name) for digest in knowledge.corpus.digests}
    digest_titles = {digest.name: digest.title for digest in knowledge.digests}
    topic_names = {t.slug: f"{t.name_zh} · {t.name}" for t in taxonomy.topics}
    topic_zh = {t.slug: t.name_zh for t in taxonomy.topics}
    writings = knowledge.writings
    cards = Cards(env, topic_zh, frozenset(writings.notes))
    files: dict[str, str] = {}
    include_root = "/" + seeds_from_docs.strip("/")

    # One BibTeX entry per paper, shared by its page, its .bib, refs.bib and the topic files.
    entries = bibtex_entries(knowledge, memo)
    records = csl_records(knowledge)
    formatted = format_references(list(records.values()), styles, reference_cache or {})
    paper_template = env.get_template("paper.md.jinja")
    for item in knowledge.papers.values():
        path = f"{item.page}.md"
        paper = item.paper
        stems = sorted({*paper.digests, *(variant.source.path.stem for variant in paper.variants)})
        # Everything the page shows, and nothing else: its key when a previous page is kept.
        showing = dict(
            item=item,
            related=[RelatedPaper(other.paper.title_zh, other.page, other.paper.title_tokens,
                                  _why(knowledge, item, other, topic_zh))
                     for other in (knowledge.papers[pid] for pid in item.related)],
            digest_titles={name: digest_titles[name] for name in stems},
            digest_pages={name: digest_pages[name] for name in stems},
            topic_names={slug: topic_names[slug] for slug in item.topics},
            bibtex=entries[item.arxiv_id], references=formatted.references[item.cite_key],
            **_writings_of(knowledge, item, include_root))
        if kept is not None and kept.holds(path, pickle.dumps(showing, protocol=_PICKLE_PROTOCOL)):
            continue
        files[path] = paper_template.render(
            paper=paper, variants=paper.variants,
            citation_meta=scholarly_meta.highwire(item) + scholarly_meta.dublin_core(item),
            open_graph=scholarly_meta.open_graph(item), json_ld=scholarly_meta.json_ld(item),
            description=paper.title_zh, abs_url=arxiv.abs_url(paper.arxiv_id),
            pdf_url=arxiv.pdf_url(paper.arxiv_id), html_url=arxiv.html_url(paper.arxiv_id), **showing)

    topic_papers = papers_by_topic(knowledge)
    used_topics = [t for t in taxonomy.topics if t.slug in topic_papers]
    topic_counts = {slug: len(items) for slug, items in topic_papers.items()}
    _render_topics(env, used_topics, topic_papers, cards, files)

    digest_template = env.get_template("digest.md.jinja")
    digests = knowledge.digests  # oldest first
    for index, digest in enumerate(digests):
        older = digests[index - 1] if index > 0 else None
        newer = digests[index + 1] if index + 1 < len(digests) else None
        files[f"{digest_pages[digest.name]}.md"] = digest_template.render(
            digest=digest, papers=[knowledge.papers[pid] for pid in digest.paper_ids],
            older=(older.title, digest_pages[older.name]) if older else None,
            newer=(newer.title, digest_pages[newer.name]) if newer else None,
            cards=cards)
    months = months_of(knowledge)  # newest first
    digests_by_month: dict[str, list[DigestInfo]] = {}
    for digest in digests:
        digests_by_month.setdefault(digest.date[:7], []).append(digest)
    shown = list(reversed(digests))[:layout.DIGESTS_LISTED]
    shown_names = {digest.name for digest in shown}
    files["digests/index.md"] = env.get_template("digests_index.md.jinja").render(
        digests=digests, shown=shown, count=len(digests), digest_pages=digest_pages,
        older_months=[(month, len(digests_by_month[month])) for month in months
                      if any(d.name not in shown_names for d in digests_by_month.get(month, ()))])

    month_papers: dict[str, list[EnrichedPaper]] = {month: [] for month in months}
    for item in knowledge.papers.values():
        month_papers[item.month].append(item)
    month_counts = [(month, len(month_papers[month])) for month in months]
    month_template = env.get_template("month.md.jinja")
    for index, month in enumerate(months):
        older_month = months[index + 1] if index + 1 < len(months) else None
        newer_month = months[index - 1] if index > 0 else None
        docname = layout.month_docname(month)
        month_listing = listing(docname, month_papers[month])
        files[f"{docname}.md"] = month_template.render(
            month=month, listing=month_listing, digests=digests_by_month.get(month, []),
            digest_pages=digest_pages, cards=cards,
            older=(older_month, layout.month_docname(older_month)) if older_month else None,
            newer=(newer_month, layout.month_docname(newer_month)) if newer_month else None)
        _render_archive(env, month_listing, month, cards, files)
    files[f"{layout.MONTHS}/index.md"] = env.get_template("months_index.md.jinja").render(
        months=month_counts)

    latest = digests[-1] if digests else None
    files["index.md"] = env.get_template("index.md.jinja").render(
        latest=latest, latest_papers=[knowledge.papers[pid] for pid in latest.paper_ids] if latest else [],
        earlier=list(reversed(digests[:-1]))[:layout.HOME_DIGESTS], digest_pages=digest_pages,
        cards=cards, writings=knowledge.writings,
        topics=sorted(((t, topic_counts[t.slug]) for t in used_topics), key=lambda tc: -tc[1]),
        months=month_counts[:layout.HOME_MONTHS], feed_digests=layout.FEED_DIGESTS,
        counts={"papers": len(knowledge.papers), "topics": len(used_topics),
                "digests": len(digests), "months": len(months)})

    _render_glossary(env, knowledge, cards, files)
    _render_writings(env, knowledge, include_root, cards, files)
    _render_book(env, knowledge, digest_pages, topic_names, files)
    pages = bibliography_pages(list(knowledge.papers.values()), layout.BIBLIOGRAPHY)
    files[f"{layout.BIBLIOGRAPHY}.md"] = env.get_template("bibliography.md.jinja").render(
        pages=pages, count=len(knowledge.papers))
    if len(pages) > 1:
        page_template = env.get_template("bibliography_page.md.jinja")
        for index, page in enumerate(pages):
            files[f"{page.docname}.md"] = page_template.render(
                page=page, older=_span_link(pages[index - 1] if index > 0 else None),
                newer=_span_link(pages[index + 1] if index + 1 < len(pages) else None))
    files[layout.SEARCH_WORDS] = render_search_words(knowledge)
    files.update(render_exports(knowledge, used_topics, entries, records, memo))
    files[layout.REFERENCES_CACHE] = render_cache(formatted.cache)
    files.update(render_papers_json(knowledge, digest_pages, memo))
    return files


def _writings_of(knowledge: Knowledge, item: EnrichedPaper, include_root: str) -> dict[str, object]:
    """What a paper page shows of the team's pages: its note, its lists, its backlinks."""
    writings = knowledge.writings
    note = writings.notes.get(item.arxiv_id)
    return {
        "note": note,
        "note_include": _include(note, include_root, heading_offset=2) if note else "",
        "links": _linked_titles(knowledge, note) if note else [],
        "in_lists": writings.in_lists.get(item.arxiv_id, ()),
        "backlinks": writings.backlinks.get(item.arxiv_id, ()),
    }


def _include(writing: Writing, include_root: str, heading_offset: int) -> myst.MyST:
    folder = NOTES if writing.kind == "note" else ARTICLES
    return myst.include(f"{include_root}/{folder}/{writing.path.name}", writing.body_start,
                        heading_offset)


def _linked_titles(knowledge: Knowledge, writing: Writing) -> list[str]:
    """``id: title`` of each paper the text shows by title (``{paper}``), for the page's front
    matter: a linked paper's new title changes the including page, which Sphinx then re-reads."""
    return [f"{pid}: {plain_text(knowledge.papers[pid].paper.title_tokens)}"
            for pid in knowledge.writings.linked(writing)]


def _render_writings(env: jinja2.Environment, knowledge: Knowledge, include_root: str,
                     cards: Cards, files: dict[str, str]) -> None:
    """The notes page, a page per reading list and per article, and their index pages.

    None of them exists in a site without notes, lists or articles.
    """
    writings = knowledge.writings
    if writings.notes:
        by_note = sorted(writings.notes.values(),
                         key=lambda note: (note.date or knowledge.papers[note.key].date or dt.date.min,
                                           note.key))
        notes_listing = listing(layout.NOTES, [knowledge.papers[note.key] for note in by_note],
                                ordered=True)
        files[f"{layout.NOTES}.md"] = env.get_template("notes.md.jinja").render(
            listing=notes_listing, cards=cards, notes=writings.notes)
        _render_archive(env, notes_listing, "笔记 · Notes", cards, files)
    list_template = env.get_template("list.md.jinja")
    for reading_list in writings.lists:
        files[f"{layout.list_docname(reading_list.slug)}.md"] = list_template.render(
            reading_list=reading_list, cards=cards,
            entries=[(entry, knowledge.papers[entry.arxiv_id]) for entry in reading_list.items])
    if writings.lists:
        files[f"{layout.LISTS}/index.md"] = env.get_template("lists_index.md.jinja").render(
            lists=writings.lists)
    article_template = env.get_template("article.md.jinja")
    for article in writings.articles:
        files[f"{layout.article_docname(article.key)}.md"] = article_template.render(
            article=article, body=_include(article, include_root, heading_offset=0),
            links=_linked_titles(knowledge, article))
    if writings.articles:
        files[f"{layout.ARTICLES}/index.md"] = env.get_template("articles_index.md.jinja").render(
            articles=writings.articles)


BOOK_AUTHORS = 10  # authors named in the book; the rest counted ("et al. (84 authors)")


def book_chapter(digest_docname: str) -> str:
    """The book's chapter of a digest: ``book/<the digest page's name>``."""
    return f"{layout.BOOK}/{digest_docname.rpartition('/')[2]}"


def _render_book(env: jinja2.Environment, knowledge: Knowledge, digest_pages: dict[str, str],
                 topic_names: dict[str, str], files: dict[str, str]) -> None:
    """The book: the newest ``layout.BOOK_DIGESTS`` digests, newest first, a chapter each."""
    newest = list(reversed(knowledge.digests))[:layout.BOOK_DIGESTS]
    template = env.get_template("book_digest.md.jinja")
    chapters = []
    in_book: set[str] = set()
    for digest in newest:
        docname = book_chapter(digest_pages[digest.name])
        chapters.append(docname)
        papers = [knowledge.papers[pid] for pid in digest.paper_ids]
        in_book.update(digest.paper_ids)
        files[f"{docname}.md"] = template.render(
            digest=digest, papers=papers, topic_names=topic_names, authors_shown=BOOK_AUTHORS,
            abs_urls={item.arxiv_id: arxiv.abs_url(item.arxiv_id) for item in papers})
    files[f"{layout.BOOK_INDEX}.md"] = env.get_template("book_index.md.jinja").render(
        chapters=chapters, papers=len(in_book),
        counts={"papers": len(knowledge.papers), "digests": len(knowledge.digests)})


def _render_topics(env: jinja2.Environment, used_topics: list[Topic],
                   topic_papers: dict[str, list[EnrichedPaper]], cards: Cards,
                   files: dict[str, str]) -> None:
    topic_template = env.get_template("topic.md.jinja")
    for topic in used_topics:
        docname = layout.topic_docname(topic.slug)
        topic_listing = listing(docname, topic_papers[topic.slug])
        primary = {item.arxiv_id for item in topic_papers[topic.slug] if item.topics[0] == topic.slug}
        # Each paper page is in the toctree of its first topic: the head, or its archive page.
        files[f"{docname}.md"] = topic_template.render(
            topic=topic, listing=topic_listing, cards=cards,
            primary=[item for item in chronological(topic_listing.papers) if item.arxiv_id in primary])
        _render_archive(env, topic_listing, f"{topic.name} · {topic.name_zh}", cards, files,
                        primary=primary)
    files["topics/index.md"] = env.get_template("topics_index.md.jinja").render(
        topics=used_topics, counts={slug: len(items) for slug, items in topic_papers.items()})


def _render_archive(env: jinja2.Environment, paper_listing: Listing, title: str,
                    cards: Cards, files: dict[str, str],
                    primary: set[str] | frozenset[str] = frozenset()) -> None:
    """The archive pages of a head page (none when the head lists every paper)."""
    template = env.get_template("archive.md.jinja")
    for page in paper_listing.pages:
        newer, older = paper_listing.neighbours(page)
        files[f"{page.docname}.md"] = template.render(
            title=title, page=page, head=paper_listing.docname,
            cards=cards, older=_span_link(older), newer=_span_link(newer),
            toctree=[item for item in reversed(page.papers) if item.arxiv_id in primary])


def _span_link(page: ArchivePage | None) -> tuple[str, str] | None:
    """An arrow's text and target: the page's number, not its dates, which change while a page
    is the newest (its neighbours would be re-read with it)."""
    return (f"第 {page.number} 页 · page {page.number}", page.docname) if page else None


def _render_glossary(env: jinja2.Environment, knowledge: Knowledge, cards: Cards,
                     files: dict[str, str]) -> None:
    """The glossary (every term, with a count) and a page per term that papers use."""
    glossary = knowledge.glossary
    term_papers: dict[str, list[EnrichedPaper]] = {term.term: [] for term in glossary.terms}
    for item in knowledge.papers.values():
        for name in item.terms:
            term_papers[name].append(item)
    ordered = sorted(glossary.terms, key=lambda term: term.term.casefold())
    groups: dict[str, list[object]] = {}
    for term in ordered:
        groups.setdefault(term.term[0].upper(), []).append(term)
    names = {term.term: _other_names(term.term, term.term_zh, list(term.aliases)) for term in ordered}
    term_pages = term_docnames(glossary)
    files["glossary.md"] = env.get_template("glossary.md.jinja").render(
        terms=ordered, groups=list(groups.items()), names=names, term_pages=term_pages,
        counts={term: len(items) for term, items in term_papers.items()})
    template = env.get_template("term.md.jinja")
    for term in ordered:
        if not term_papers[term.term]:
            continue
        term_listing = listing(term_pages[term.term], term_papers[term.term])
        files[f"{term_pages[term.term]}.md"] = template.render(
            term=term, names=names[term.term], listing=term_listing, cards=cards)
        _render_archive(env, term_listing, f"{term.term} · {term.term_zh}", cards, files)


def term_docnames(glossary: Glossary) -> dict[str, str]:
    """term -> the docname of its page, for every term of the glossary (A-Z decides ties)."""
    ordered = sorted((term.term for term in glossary.terms), key=str.casefold)
    return dict(zip(ordered, term_slugs(ordered), strict=True))


def term_slugs(terms: list[str]) -> list[str]:
    """``terms/<slug>`` docnames: lower-case ASCII words joined by ``-``, unique in the glossary."""
    taken: set[str] = set()
    docnames = []
    for term in terms:
        base = re.sub(r"[^a-z0-9]+", "-", term.casefold()).strip("-")
        if not base:  # a term with no ASCII letter or digit
            base = "term-" + hashlib.sha256(term.encode()).hexdigest()[:8]
        slug, number = base, 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        taken.add(slug)
        docnames.append(layout.term_docname(slug))
    return docnames


def _other_names(term: str, term_zh: str, aliases: list[str]) -> list[str]:
    """Abbreviations and other names of a term, for the reader: not the term itself, its
    Chinese name or a mere plural or case variant of either."""
    seen = {term.casefold(), term_zh.casefold()}
    names: list[str] = []
    for alias in aliases:
        folded = alias.casefold()
        if folded in seen or folded.rstrip("s") in seen or f"{folded}s" in seen:
            continue
        seen.add(folded)
        names.append(alias)
    return names


def _why(knowledge: Knowledge, item: EnrichedPaper, other: EnrichedPaper,
         topic_zh: dict[str, str]) -> list[str]:
    """What two related papers share, for a reader: topic names, then glossary terms."""
    topics, terms = shared(item, other)
    return [topic_zh[slug] for slug in topics] + terms


def render_search_words(knowledge: Knowledge) -> str:
    """A jieba user dictionary: one domain word per line, with a high frequency."""
    words = search_words(knowledge.taxonomy, knowledge.glossary)
    return "".join(f"{word} 100000\n" for word in words)


def search_words(taxonomy: Taxonomy, glossary: Glossary) -> list[str]:
    """Domain words that Chinese segmentation must keep whole (sphinxext/search.py)."""
    words = {keyword for topic in taxonomy.topics for keyword in topic.keywords}
    words |= {alias for term in glossary.terms for alias in term.aliases}
    words |= {term.term_zh for term in glossary.terms} | {topic.name_zh for topic in taxonomy.topics}
    return sorted(word for word in words if not word.isascii() and " " not in word)
