"""Enriched knowledge -> the citation exports: BibTeX files and CSL-JSON.

One BibTeX entry per paper (``bibtex.entry``), written once, is shared by its
page's Cite block, its own ``.bib``, ``refs.bib`` and its topics' ``.bib`` files.  Paths
are relative to the docs folder; ``sphinxext/site_files.py`` mirrors
``layout.EXPORT_DIR`` into the site root after each build.  Nothing here
touches the file system.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from .. import arxiv, layout
from ..enrich import EnrichedPaper, Knowledge
from ..read.curated import Topic
from . import bibtex
from .lookups import papers_of_topic


def bibtex_entries(knowledge: Knowledge) -> dict[str, str]:
    """arXiv id -> the paper's BibTeX entry, written."""
    return {pid: bibtex.write([bibtex.entry(item.citation, item.cite_key, knowledge.proper_nouns)])
            for pid, item in knowledge.papers.items()}


def render_exports(knowledge: Knowledge, topics: Sequence[Topic],
                   entries: Mapping[str, str]) -> dict[str, str]:
    """The citation exports: all papers, each paper, each topic; BibTeX and CSL-JSON."""
    papers = list(knowledge.papers.values())
    files = {layout.BIBFILE: bibtex.concatenate(entries.values()),
             f"{layout.EXPORT_DIR}/{layout.REFS_JSON}": render_csl_json(papers)}
    for item in papers:
        files[f"{layout.EXPORT_DIR}/{item.page}.bib"] = entries[item.arxiv_id]
    for topic in topics:
        files[f"{layout.EXPORT_DIR}/{layout.topic_docname(topic.slug)}.bib"] = bibtex.concatenate(
            entries[item.arxiv_id] for item in papers_of_topic(knowledge, topic.slug))
    for reading_list in knowledge.writings.lists:  # in the list's order
        files[f"{layout.EXPORT_DIR}/{layout.list_docname(reading_list.slug)}.bib"] = bibtex.concatenate(
            entries[pid] for pid in dict.fromkeys(entry.arxiv_id for entry in reading_list.items))
    return files


def render_csl_json(papers: Sequence[EnrichedPaper]) -> str:
    return json.dumps([csl_item(item) for item in papers], ensure_ascii=False, indent=1) + "\n"


def csl_item(item: EnrichedPaper) -> dict[str, Any]:
    """CSL-JSON for Zotero, Pandoc and citation.js: an arXiv preprint as Zotero exports one."""
    citation = item.citation
    arxiv_id = citation.arxiv_id
    date = citation.date
    csl: dict[str, Any] = {"id": item.cite_key, "type": "article", "title": citation.title}
    if citation.authors:
        csl["author"] = [{"family": family, "given": given} if given else {"literal": family}
                         for family, given in citation.authors]
    csl["issued"] = {"date-parts": [[date.year, date.month, date.day] if date
                                    else [citation.year, citation.month]]}
    csl.update({"publisher": "arXiv", "number": f"arXiv:{arxiv_id}", "genre": "Preprint",
                "DOI": arxiv.doi(arxiv_id), "URL": arxiv.abs_url(arxiv_id)})
    return csl
