"""The ``<meta>`` and ``<link>`` tags of a page's head, parsed and written anew.

Extensions hand the theme their head tags as a string of markup
(``context["metatags"]``): sphinxext-opengraph builds its ``og:*`` tags from page
text and escapes only the double quote in them (``make_tag``), and our citation
tags come from digest and metadata text.  That string is library output, so it is
not pasted into the page: it is parsed with lxml's HTML parser, and only ``meta``
and ``link`` elements with the attributes below are written back, each value
escaped.  Whatever a title says, it stays an attribute value.  (One loss is
upstream's: opengraph leaves ``&`` as it is, so a text that spells an entity,
``&amp;``, arrives as the character it names.)
"""

from __future__ import annotations

import html
from typing import Any

from lxml import etree
from lxml import html as lxml_html
from sphinx.application import Sphinx

ALLOWED = {
    "meta": ("name", "property", "content", "charset", "http-equiv"),
    "link": ("rel", "href", "type", "title", "hreflang"),
}
_LINK_SCHEMES = ("http://", "https://", "/", "./", "../")


def rewritten(tags: str) -> str:
    """``tags`` as lxml parses them, keeping allowed elements and attributes only."""
    if not tags.strip():
        return tags
    try:
        elements = lxml_html.fragments_fromstring(tags)
    except (etree.ParserError, ValueError):
        return ""
    lines: list[str] = []
    for element in elements:
        if isinstance(element, str) or element.tag not in ALLOWED:
            continue  # text between tags, or an element that is not a head tag
        attributes = [(name, element.get(name)) for name in ALLOWED[element.tag]
                      if element.get(name) is not None]
        if element.tag == "link" and not str(element.get("href", "")).startswith(_LINK_SCHEMES):
            continue
        if element.tag == "meta" and str(element.get("name", "")).lower() == "viewport":
            # The theme's layout writes the viewport. docutils 0.22 adds its own, which Sphinx's
            # filter of docutils' tags (a list slice, sphinx-doc/sphinx#11699) lets through: a
            # page then had two, and a browser honours one of them.
            continue
        written = " ".join(f'{name}="{html.escape(str(value), quote=True)}"' for name, value in attributes)
        lines.append(f"<{element.tag} {written}>")
    return "\n".join(lines) + "\n" if lines else ""


def rewrite_metatags(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                     doctree: object) -> None:
    if "metatags" in context:
        context["metatags"] = rewritten(str(context["metatags"]))
