"""Where things are on the site: the one place that names pages, exports and anchors.

Other tools rely on these paths (GUIDE.md, "Contracts"): paper pages at
``papers/<id>.html``, the BibTeX export at ``refs.bib`` in the site root.  The
converter, the Sphinx extension, the browser code (which receives
:func:`browser_constants` as ``window.PAPERKB_LAYOUT``) and the tests all take
them from here instead of repeating them.
"""

from __future__ import annotations

PAPERS = "papers"  # paper pages: papers/<page name>.html (arxiv.page_name)
TOPICS = "topics"
DIGESTS = "digests"

# Files the converter writes for the build and that readers never see as pages.
GENERATED = "_generated"
EXPORT_DIR = f"{GENERATED}/export"  # mirrored into the site root after each build
SEARCH_WORDS = f"{GENERATED}/search-words.txt"  # the jieba user dictionary

# Citation exports, relative to the site root (and to EXPORT_DIR in the sources).
REFS_BIB = "refs.bib"
REFS_JSON = "refs.json"
BIBFILE = f"{EXPORT_DIR}/{REFS_BIB}"  # the .bib file sphinxcontrib-bibtex reads

# Anchors of a paper page (set by tools/templates/paper.md.jinja): the search
# takes a paper's Chinese title from the heading with TITLE_ZH_ID and its
# snippets from the section with ABSTRACT_ID.
TITLE_ZH_ID = "title-zh"
ABSTRACT_ID = "abstract"

# Elements with this class are left out of the search index (Sphinx >= 8.2).
NO_SEARCH = "no-search"


def paper_docname(page_name: str) -> str:
    return f"{PAPERS}/{page_name}"


def topic_docname(slug: str) -> str:
    return f"{TOPICS}/{slug}"


def is_paper(docname: str) -> bool:
    return docname.startswith(f"{PAPERS}/")


def browser_constants() -> dict[str, str]:
    """What the browser code needs to know of the layout."""
    return {"papers": f"{PAPERS}/", "titleZhId": TITLE_ZH_ID, "abstractId": ABSTRACT_ID}
