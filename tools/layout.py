"""Where things are on the site: the one place that names pages, exports and anchors.

Other tools rely on these paths (README.md, "Contracts"): paper pages at
``papers/<id>.html``, the BibTeX export at ``refs.bib`` in the site root.  The
converter, the Sphinx extension, the browser code (which receives
:func:`browser_constants` as ``window.PAPERKB_LAYOUT``) and the tests all take
them from here instead of repeating them.
"""

from __future__ import annotations

PAPERS = "papers"  # paper pages: papers/<page name>.html (arxiv.page_name)
TOPICS = "topics"
DIGESTS = "digests"
MONTHS = "months"  # the timeline: months/<YYYY-MM>.html, months/index.html newest first
TERMS = "terms"  # a page per glossary term: terms/<slug>.html
BIBLIOGRAPHY = "bibliography"  # bibliography.html, and its pages bibliography/<n>.html
# The team's own pages (seeds/notes, seeds/lists, seeds/articles; README.md, "Contracts"):
# a note is shown on its paper's page, NOTES lists the papers with notes, newest note first.
NOTES = "notes"
LISTS = "lists"  # lists/<slug>.html, with lists/<slug>.bib and lists/<slug>.xml; lists/index
ARTICLES = "articles"  # articles/<slug>.html; articles/index, newest first
HOME_WRITINGS = 5  # lists and articles named on the home page; the rest on their index pages
# Head pages of long lists have archive pages <head>/<n>.html (render/listings.py).
# The book (PDF, EPUB): a chapter per digest of the newest BOOK_DIGESTS,
# each with its papers in full; the site's listing pages are web navigation and stay out.
BOOK = "book"
BOOK_INDEX = f"{BOOK}/index"
BOOK_DIGESTS = 10

# Files the converter writes for the build and that readers never see as pages.
GENERATED = "_generated"
EXPORT_DIR = f"{GENERATED}/export"  # mirrored into the site root after each build
SEARCH_WORDS = f"{GENERATED}/search-words.txt"  # the jieba user dictionary
# Formatted references kept between runs (render/references.py): citeproc is slow.
REFERENCES_CACHE = f"{GENERATED}/references-cache.json"

# Everything the converter writes into the docs folder, as top-level names (the rest of
# docs/ is hand-written): `make livehtml` ignores changes there (tools/livehtml.py), since
# they are the output of the build that is running, not an edit.
GENERATED_IN_DOCS = (PAPERS, TOPICS, DIGESTS, MONTHS, TERMS, BIBLIOGRAPHY, f"{BIBLIOGRAPHY}.md",
                     BOOK, GENERATED, "index.md", "glossary.md",
                     NOTES, f"{NOTES}.md", LISTS, ARTICLES)

# Citation exports, relative to the site root (and to EXPORT_DIR in the sources).
REFS_BIB = "refs.bib"
REFS_JSON = "refs.json"  # CSL-JSON
REFS_RIS = "refs.ris"
BIBFILE = f"{EXPORT_DIR}/{REFS_BIB}"  # the .bib file sphinxcontrib-bibtex reads

# Anchors of a paper page (set by tools/templates/paper.md.jinja): the search
# takes a paper's Chinese title from the heading with TITLE_ZH_ID and its
# snippets from the section with ABSTRACT_ID.
TITLE_ZH_ID = "title-zh"
ABSTRACT_ID = "abstract"

# Classes the templates put on blocks (MyST attrs_block); paperkb.css styles them,
# paperkb.js folds the author list and, in the LATEST_CLASS block of the home page,
# marks the papers new since the last visit and filters them by topic (each card's
# paper is its first link, its topics the links of its CHIPS_CLASS list).
AUTHORS_CLASS = "paperkb-authors"
CARDS_CLASS = "paperkb-cards"
CARD_CLASS = "paperkb-card"
CHIPS_CLASS = "paperkb-chips"
LEDE_CLASS = "paperkb-lede"
TOPIC_CARDS_CLASS = "paperkb-topic-cards"
JUMP_CLASS = "paperkb-jump"
LATEST_CLASS = "paperkb-latest"  # the home page's latest papers
REFERENCE_CLASS = "paperkb-reference"  # a formatted reference in a paper's Cite box
NOWRAP_ROLE = "nowrap"  # {nowrap}`2025-03-27`: text a line break may not cut (a date at its hyphens)
NOWRAP_CLASS = "paperkb-nowrap"
BYLINE_CLASS = "paperkb-byline"  # who wrote a note or an article, and when
WHY_CLASS = "paperkb-why"  # a reading list's reason for a paper
TEMPLATE_CLASSES = (AUTHORS_CLASS, CARDS_CLASS, CARD_CLASS, CHIPS_CLASS, LEDE_CLASS,
                    TOPIC_CARDS_CLASS, JUMP_CLASS, LATEST_CLASS, BYLINE_CLASS, WHY_CLASS,
                    REFERENCE_CLASS)

# Machine-readable files in the site root.
FEED = "feed.xml"
FEED_DIGESTS = 20  # feed.xml: the newest digests
TOPIC_FEED_PAPERS = 50  # topics/<slug>.xml: the newest papers of the topic
HOME_DIGESTS = 10  # digests the home page lists under "earlier"; the rest in digests/index
HOME_MONTHS = 12  # months on the home page's timeline; the rest in months/index
DIGESTS_LISTED = 30  # digests/index lists the newest; older ones from their month's page
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
PAPERS_JSON = "papers.json"

# The search index in pieces (tools/sphinxext/searchshards.py), in the site root:
# SEARCH_INDEX is what every query needs, the rest is loaded as a query needs it.
SEARCH_DIR = "_search"
SEARCH_INDEX = f"{SEARCH_DIR}/index.js"

# Elements with this class are left out of the search index (Sphinx >= 8.2).
NO_SEARCH = "no-search"


def paper_docname(page_name: str) -> str:
    return f"{PAPERS}/{page_name}"


def topic_docname(slug: str) -> str:
    return f"{TOPICS}/{slug}"


def month_docname(month: str) -> str:
    return f"{MONTHS}/{month}"


def term_docname(slug: str) -> str:
    return f"{TERMS}/{slug}"


def list_docname(slug: str) -> str:
    return f"{LISTS}/{slug}"


def article_docname(slug: str) -> str:
    return f"{ARTICLES}/{slug}"


def list_feed(slug: str) -> str:
    """A reading list's Atom feed, relative to the site root."""
    return f"{LISTS}/{slug}.xml"


def topic_feed(slug: str) -> str:
    """A topic's Atom feed, relative to the site root."""
    return f"{TOPICS}/{slug}.xml"


def browser_constants() -> dict[str, str]:
    """What the browser code needs to know of the layout."""
    return {"papers": f"{PAPERS}/", "abstractId": ABSTRACT_ID, "searchDir": SEARCH_DIR}
