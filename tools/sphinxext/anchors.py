"""Fixed anchors for the sections the browser code looks up: ``#title-zh``, ``#abstract``.

MyST gives every heading an id derived from its text (``id1`` for a Chinese
heading), and an explicit ``(label)=`` would be a site-wide label that every
paper page repeats (a duplicate-label warning).  The paper template marks
those sections with a class instead (``{.title-zh}``); here, on
``doctree-read`` (before Sphinx's collectors record the page's sections), the
section with such a class gets the class name as its first id, which is the
id its HTML element and the search index (``alltitles``) use.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from .. import layout

FIXED_ANCHORS = (layout.TITLE_ZH_ID, layout.ABSTRACT_ID)


def fix_anchors(app: Sphinx, doctree: nodes.document) -> None:
    for section in doctree.findall(nodes.section):
        for anchor in FIXED_ANCHORS:
            if anchor in section["classes"] and section["ids"][:1] != [anchor]:
                section["ids"] = [anchor, *(i for i in section["ids"] if i != anchor)]
                doctree.ids[anchor] = section
