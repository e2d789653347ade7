"""Enriched knowledge -> the text of every generated page (MyST), plus the exports.

Page layouts are the Jinja templates in ``templates/``.  The environment's
``finalize`` hook escapes every value a template prints unless a filter
already turned it into MyST (``myst.MyST``), so a template cannot forget to
escape digest text.  The citation exports come from ``citation_formats.py``.  This
module returns ``{relative path: text}`` and knows nothing about the file
system; ``files/write.py`` puts the files in place.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import jinja2

from .. import arxiv, layout
from ..enrich import EnrichedPaper, Knowledge
from ..model import Inline, Text, plain_text
from ..read.curated import Glossary, Taxonomy
from . import myst
from .citation_formats import bibtex_entries, highwire, render_exports
from .lookups import months as months_of
from .lookups import newest_first, papers_of_topic, primary_papers_of_topic, shared
from .papers_json import render_papers_json
from .readable import readable_text

TEMPLATES = Path(__file__).with_name("templates")
_SAFE_PAGE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def _finalize(value: object) -> str:
    if isinstance(value, myst.MyST):
        return value
    return myst.escape_text(str(value))


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
        yaml=myst.yaml_value,
        block_class=myst.block_class,
    )
    env.globals["layout"] = layout
    return env


def byline(item: EnrichedPaper, shown: int = 3) -> myst.MyST:
    """``First, Second, Third et al. · 2025-03-13 · 2503.10622``."""
    parts = []
    authors = item.meta.authors if item.meta else ()
    if authors:
        names = ", ".join(authors[:shown])
        parts.append(f"{names} et al." if len(authors) > shown else names)
    parts += [item.date_text, item.arxiv_id]
    return myst.escape_text(" · ".join(parts))


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


def digest_page(name: str) -> str:
    """Docname of a digest's page: its file stem when that is URL-safe."""
    if _SAFE_PAGE.fullmatch(name):
        return f"{layout.DIGESTS}/{name}"
    return f"{layout.DIGESTS}/digest-{hashlib.sha256(name.encode()).hexdigest()[:12]}"


def render_site(knowledge: Knowledge) -> dict[str, str]:
    """Every generated file of the site, by path relative to the docs folder."""
    env = _environment()
    taxonomy, glossary = knowledge.taxonomy, knowledge.glossary
    digest_pages = {digest.name: digest_page(digest.name) for digest in knowledge.corpus.digests}
    digest_titles = {digest.name: digest.title for digest in knowledge.digests}
    topic_names = {t.slug: f"{t.name_zh} · {t.name}" for t in taxonomy.topics}
    topic_zh = {t.slug: t.name_zh for t in taxonomy.topics}
    files: dict[str, str] = {}

    # One BibTeX entry per paper, shared by its page, its .bib, refs.bib and the topic files.
    entries = bibtex_entries(knowledge)
    paper_template = env.get_template("paper.md.jinja")
    for item in knowledge.papers.values():
        paper = item.paper
        files[f"{item.page}.md"] = paper_template.render(
            item=item, paper=paper, variants=paper.variants, highwire=highwire(item),
            related=[(other, _why(knowledge, item, other, topic_zh))
                     for other in (knowledge.papers[pid] for pid in item.related)],
            description=paper.title_zh, digest_titles=digest_titles,
            abs_url=arxiv.abs_url(paper.arxiv_id), pdf_url=arxiv.pdf_url(paper.arxiv_id),
            html_url=arxiv.html_url(paper.arxiv_id), topic_names=topic_names,
            digest_pages=digest_pages, bibtex=entries[item.arxiv_id],
        )

    topic_template = env.get_template("topic.md.jinja")
    used_topics = [t for t in taxonomy.topics if papers_of_topic(knowledge, t.slug)]
    topic_counts = {t.slug: len(papers_of_topic(knowledge, t.slug)) for t in used_topics}
    for topic in used_topics:
        files[f"{layout.topic_docname(topic.slug)}.md"] = topic_template.render(
            topic=topic, papers=newest_first(papers_of_topic(knowledge, topic.slug)),
            primary=primary_papers_of_topic(knowledge, topic.slug))
    files["topics/index.md"] = env.get_template("topics_index.md.jinja").render(
        topics=used_topics, counts=topic_counts)

    digest_template = env.get_template("digest.md.jinja")
    digests = knowledge.digests
    for index, digest in enumerate(digests):
        files[f"{digest_pages[digest.name]}.md"] = digest_template.render(
            digest=digest, papers=[knowledge.papers[pid] for pid in digest.paper_ids],
            previous=digests[index - 1] if index > 0 else None,
            following=digests[index + 1] if index + 1 < len(digests) else None,
            digest_pages=digest_pages)
    files["digests/index.md"] = env.get_template("digests_index.md.jinja").render(
        digests=digests, digest_pages=digest_pages)

    months = months_of(knowledge)
    month_papers = {month: newest_first([p for p in knowledge.papers.values() if p.month == month])
                    for month in months}
    month_counts = [(month, len(month_papers[month])) for month in months]
    month_template = env.get_template("month.md.jinja")
    for index, month in enumerate(months):  # newest first: "previous" is the newer month
        files[f"{layout.month_docname(month)}.md"] = month_template.render(
            month=month, papers=month_papers[month],
            previous=months[index + 1] if index + 1 < len(months) else None,
            following=months[index - 1] if index > 0 else None)
    files[f"{layout.MONTHS}/index.md"] = env.get_template("months_index.md.jinja").render(
        months=month_counts)

    latest = digests[-1] if digests else None
    files["index.md"] = env.get_template("index.md.jinja").render(
        latest=latest, latest_papers=[knowledge.papers[pid] for pid in latest.paper_ids] if latest else [],
        earlier=list(reversed(digests[:-1])), digest_pages=digest_pages, topic_names=topic_zh,
        topics=sorted(((t, topic_counts[t.slug]) for t in used_topics), key=lambda tc: -tc[1]),
        months=month_counts,
        counts={"papers": len(knowledge.papers), "topics": len(used_topics),
                "digests": len(digests), "months": len(months)})

    term_papers = {term.term: [p for p in knowledge.papers.values() if term.term in p.terms]
                   for term in glossary.terms}
    ordered = sorted(glossary.terms, key=lambda term: term.term.casefold())
    groups: dict[str, list[object]] = {}
    for term in ordered:
        groups.setdefault(term.term[0].upper(), []).append(term)
    names = {term.term: _other_names(term.term, term.term_zh, list(term.aliases))
             for term in ordered}
    files["glossary.md"] = env.get_template("glossary.md.jinja").render(
        terms=ordered, groups=list(groups.items()), names=names,
        term_papers={term: newest_first(items) for term, items in term_papers.items()})
    files["bibliography.md"] = env.get_template("bibliography.md.jinja").render()
    files[layout.SEARCH_WORDS] = render_search_words(knowledge)
    files.update(render_exports(knowledge, used_topics, entries))
    files.update(render_papers_json(knowledge, digest_pages))
    return files


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
