"""The book: what the PDF and EPUB hold, and the site that they do not.

The site is every page the converter writes but the book's; the book is ``book/`` only
(``layout.BOOK``: the newest digests, a chapter each, written by the converter), so that a
book build reads and writes a few hundred pages however large the site grows (README.md,
"Read the Docs"). Which one a build makes depends on its builder, which Sphinx creates
after ``config-inited``:

* ``config-inited``: ``book/`` joins ``exclude_patterns``, for every build alike (a setting
  that differed between builds of one doctrees folder would make Sphinx read every page
  again);
* ``builder-inited``: a book builder (:data:`BOOK_BUILDERS`) narrows the project to
  ``book/`` and makes ``book/index`` the root document. Sphinx lists the sources after this
  event, with these settings (an override, ``compat.py``).

The site's own outputs (exports, feeds, sitemap, search pieces, the list of pages) are
written for a site build only (:func:`is_site_build`), and templates see ``paperkb_book``.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.config import Config

from .. import layout

# latex (PDF, Read the Docs' "pdf") and epub. Not singlehtml (Read the Docs' "htmlzip"): it writes
# its root document at book/index.html with links to _static as if it were in the site root.
BOOK_BUILDERS = frozenset({"latex", "epub"})


def is_book_build(app: Sphinx) -> bool:
    return app.builder is not None and app.builder.name in BOOK_BUILDERS


def is_site_build(app: Sphinx) -> bool:
    """An HTML build of the site (html, dirhtml): not a book, not another format."""
    return isinstance(app.builder, StandaloneHTMLBuilder) and not is_book_build(app)


def exclude_book(app: Sphinx, config: Config) -> None:
    if layout.BOOK not in config.exclude_patterns:
        config.exclude_patterns = [*config.exclude_patterns, layout.BOOK]


def narrow_to_book(app: Sphinx) -> None:
    if not is_book_build(app):
        return
    config = app.config
    config.exclude_patterns = [pattern for pattern in config.exclude_patterns if pattern != layout.BOOK]
    config.include_patterns = [f"{layout.BOOK}/**"]
    config.root_doc = layout.BOOK_INDEX


def add_book_flag(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                  doctree: object) -> None:
    """``paperkb_book`` in the page templates: a book has no top bar, no search, no site links."""
    context["paperkb_book"] = is_book_build(app)
