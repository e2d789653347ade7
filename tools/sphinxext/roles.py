"""``{site-file}`refs.bib` ``: a link to a file at the root of the built site; ``{nowrap}`text` ``.

MyST turns a relative link to a local file into a ``_downloads/<hash>/`` copy;
the BibTeX export must stay at ``refs.bib`` in the site root (other tools fetch
it there), so this role links to that path relative to the page.  The relative
URI depends on the builder, so it is filled in when the doctree is resolved.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxRole
from sphinx.util.nodes import split_explicit_title
from sphinx.util.osutil import relative_uri

from .. import layout


class SiteFileRole(SphinxRole):
    """``{site-file}`refs.bib` `` or ``{site-file}`BibTeX <papers/2503.18878.bib>` ``."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        _, title, name = split_explicit_title(self.text.strip())
        node = nodes.reference(self.rawtext, title, refuri=name, internal=False)
        node["site_file"] = name
        return [node], []


class NoWrapRole(SphinxRole):
    """``{nowrap}`2025-03-27` ``: text shown on one line (a card's date broke at its hyphens)."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        return [nodes.inline(self.rawtext, self.text, classes=[layout.NOWRAP_CLASS])], []


def resolve_site_files(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    page = app.builder.get_target_uri(docname)
    for node in doctree.findall(nodes.reference):
        if "site_file" in node:
            node["refuri"] = relative_uri(page, node["site_file"])

def setup_roles(app: Sphinx) -> None:
    app.add_role("site-file", SiteFileRole())
    app.add_role(layout.NOWRAP_ROLE, NoWrapRole())
