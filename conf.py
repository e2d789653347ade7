"""Sphinx configuration for paper-kb.

The pages are generated from the digests in ``seeds/`` by the ``tools``
package, which ``tools.sphinxext`` runs at the start of every build (see
README.md).  Sources live in ``docs/``; this file stays at the repository
root so that Read the Docs and a plain ``sphinx-build .`` find it.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

project = "paper-kb"
author = "paper-kb contributors"
copyright = "paper-kb contributors"

extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinx_copybutton",
    "sphinxcontrib.bibtex",
    "sphinxext.opengraph",
    "tools.sphinxext",
]

# The site's address: links in feed.xml and sitemap.xml, canonical and Open Graph
# URLs.  Read the Docs sets READTHEDOCS_CANONICAL_URL; elsewhere set PAPERKB_BASEURL.
html_baseurl = os.environ.get("PAPERKB_BASEURL") or os.environ.get(
    "READTHEDOCS_CANONICAL_URL", "https://paper-kb.readthedocs.io/en/latest/")
# Link previews: Open Graph and Twitter card tags; our own description meta is kept.
ogp_site_url = html_baseurl
ogp_site_name = "paper-kb · 论文知识库"
ogp_enable_meta_description = False
ogp_social_cards = {"enable": False}  # no generated images (they would need matplotlib)
# sphinxext-opengraph prints "matplotlib is not installed" when imported, whatever the
# setting above says: imported here, before Sphinx loads it, without that line.
from tools.sphinxext.compat import import_opengraph_quietly  # noqa: E402

import_opengraph_quietly()
ogp_custom_meta_tags = ('<meta name="twitter:card" content="summary">',)

# Read the Docs passes -D language=en: the UI language follows it, the search
# language does not (html_search_language is what the index uses).
language = "zh_CN"
html_search_language = "zh"

root_doc = "index"
source_suffix = {".md": "markdown"}
exclude_patterns = ["_data", "_generated", "**/.generated.json"]
templates_path = ["docs/_templates"]
html_static_path = ["docs/_static"]

# Digest text is shown verbatim: no curly-quote rewriting of titles.
smartquotes = False

# MyST: only what the templates use; digest text is escaped anyway.
# attrs_block: {.no-search} and {.title-zh} on generated blocks; dollarmath: $x$ in the
# team's notes and articles (generated pages escape every "$" of digest text).
myst_enable_extensions = ["attrs_block", "dollarmath"]
myst_heading_anchors = 2

# Citations: refs.bib is generated (the converter sets bibtex_bibfiles). Both
# styles are defined in tools/sphinxext/citation_styles.py: "Zhu et al. (2025)", and a
# bibliography with long author lists shortened.
bibtex_bibfiles: list[str] = []
bibtex_default_style = "paperkb"
bibtex_reference_style = "paperkb_author_year"
# Anchors named after the citation key, not numbered in bibliography order: a paper's
# link to its entry (bibliography.html#cite-zhu2025transformers) stays the same when a
# digest adds entries before it, so the pages that cite it need not be rewritten.
bibtex_cite_id = "cite-{key}"

# Theme: alabaster (ships with Sphinx) with a bounded sidebar: no global
# toctree, only fixed links, search, and previous/next.  README.md says why.
html_theme = "alabaster"
html_title = "paper-kb · 论文知识库"
html_theme_options = {
    "description": "arXiv paper digests, cross-referenced · arXiv 论文摘要知识库",
    "fixed_sidebar": False,
    "show_relbar_bottom": True,
    "page_width": "1100px",
}
html_sidebars = {"**": ["sitenav.html", "relations.html"]}  # search is in the top bar (layout.html)
html_css_files = ["paperkb.css"]
html_favicon = "docs/_static/favicon.svg"
html_last_updated_fmt = None
html_copy_source = False
html_show_sourcelink = False

# Formulas become MathML at build time (tools/sphinxext/mathml.py, latex2mathml):
# no CDN and no script, so they render offline and from file://.
html_math_renderer = "mathml"

# The book (PDF, EPUB): the newest digests only, a chapter each
# (tools/sphinxext/book.py; README.md, "Read the Docs" says why).  xelatex with xeCJK
# typesets the Chinese (pdflatex cannot), in Noto CJK (Debian's fonts-noto-cjk);
# set here, not left to Sphinx's defaults, which follow -D language=en on Read the Docs.
latex_engine = "xelatex"
latex_documents = [("book/index", "paper-kb.tex", "paper-kb · 论文知识库", author, "manual")]
latex_elements = {
    "fontenc": r"\usepackage{xeCJK}",
    "fontpkg": "\n".join((
        r"\setCJKmainfont{Noto Serif CJK SC}",
        r"\setCJKsansfont{Noto Sans CJK SC}",
        r"\setCJKmonofont{Noto Sans Mono CJK SC}",
    )),
    # xeCJK adds spaces in fancyvrb's Verbatim unless told not to (Sphinx's own zh setting).
    "fvset": r"\fvset{fontsize=\small,formatcom=\xeCJKVerbAddon}",
    "printindex": "",
}
latex_domain_indices = False
# EPUB 3 needs a version; the knowledge base has one edition, the latest.
version = release = "latest"
epub_title = "paper-kb · 论文知识库"
epub_author = author
epub_publisher = author
epub_copyright = copyright
epub_show_urls = "no"

# make linkcheck: external links only. Relative links are the site's own: its pages (a broken
# one fails the -W build already) and the files the extension writes into the built site
# (exports, feeds, search), which are not in the source folder linkcheck looks them up in.
linkcheck_ignore = [r"^(?![a-z][a-z0-9+.-]*:)"]
