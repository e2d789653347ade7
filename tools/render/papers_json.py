"""``papers.json``: every paper and every digest as data, for scripts and the feed.

Written by the converter beside the citation exports (``layout.EXPORT_DIR``,
mirrored into the site root after each build).  The Atom feeds and the sitemap
(``tools/sphinxext/feeds.py``) are made from it inside Sphinx, where the site's
base URL is known.  Paths are relative to the site root.

Its shape is a contract with scripts: ``docs/_data/papers.schema.json`` (JSON
Schema) describes it, and ``version`` says which shape a file has.  A change that
removes or changes a field raises :data:`VERSION`; new fields may appear in any
version (readers ignore what they do not know).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import partial
from typing import Any

from .. import arxiv, layout
from ..enrich import EnrichedPaper, Knowledge
from ..memo import Memo
from ..model import plain_text
from .citation_formats import csl_name, json_at_depth
from .readable import tex_text

# 1: the unversioned file, authors as "Given Family" strings; 2: authors as CSL names.
VERSION = 2


def render_papers_json(knowledge: Knowledge, digest_pages: Mapping[str, str],
                       memo: Memo | None = None) -> dict[str, str]:
    """``memo``: papers' records encoded before, by the record (json.dumps with an indent is
    pure Python: 4 s at 10,000 papers; pickling a record to key it, a tenth of that)."""
    memo = memo or Memo()
    topic_names = {t.slug: (t.name, t.name_zh) for t in knowledge.taxonomy.topics}
    papers = [_paper(item, topic_names, knowledge) for item in knowledge.papers.values()]
    encoded = [memo.get("papers.json", paper, partial(json_at_depth, paper, 2)) for paper in papers]
    data = {
        "version": VERSION,
        "papers": [],  # each paper encoded on its own (placed below), as json.dumps writes it
        "digests": [{"name": d.name, "number": d.number, "title": d.title, "date": d.date,
                     "page": f"{digest_pages[d.name]}.html", "papers": list(d.paper_ids)}
                    for d in knowledge.digests],
        # The team's reading lists, in their order, and its articles, newest first.
        "lists": [{"slug": rl.slug, "title": rl.title, "description": rl.description,
                   "page": f"{layout.list_docname(rl.slug)}.html",
                   "papers": [{"id": entry.arxiv_id, "why": entry.why} for entry in rl.items]}
                  for rl in knowledge.writings.lists],
        "articles": [{"slug": a.key, "title": a.title, "authors": list(a.authors),
                      "date": a.date.isoformat() if a.date else None,
                      "page": f"{layout.article_docname(a.key)}.html"}
                     for a in knowledge.writings.articles],
    }
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    if encoded:  # the only key one space in that holds an empty list, as "version" is a number
        text = text.replace('\n "papers": [],', '\n "papers": [\n' + ",\n".join(encoded) + "\n ],", 1)
    return {f"{layout.EXPORT_DIR}/{layout.PAPERS_JSON}": text}


def _paper(item: EnrichedPaper, topic_names: Mapping[str, tuple[str, str]],
           knowledge: Knowledge) -> dict[str, Any]:
    paper = item.paper
    note = knowledge.writings.notes.get(item.arxiv_id)
    return {
        "id": paper.arxiv_id,
        "title": tex_text(paper.title_tokens),
        "title_zh": tex_text(paper.title_zh_tokens),
        "authors": [csl_name(family, given) for family, given in item.citation.authors],
        "date": item.date.isoformat() if item.date else None,
        "month": item.month,
        "topics": [{"slug": slug, "name": topic_names[slug][0], "name_zh": topic_names[slug][1]}
                   for slug in item.topics],
        "terms": list(item.terms),
        "digests": list(paper.digests),
        "page": f"{item.page}.html",
        "url": arxiv.abs_url(paper.arxiv_id),
        "abstract": [plain_text(tokens) for tokens in item.abstract],
        "related": list(item.related),
        "cite_key": item.cite_key,
        # The team's note on the paper (shown on its page) and the reading lists that hold it.
        "note": {"authors": list(note.authors), "date": note.date.isoformat() if note.date else None,
                 "tags": list(note.tags)} if note else None,
        "lists": [rl.slug for rl in knowledge.writings.in_lists.get(item.arxiv_id, ())],
    }
