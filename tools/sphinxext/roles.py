"""``{site-file}`refs.bib` ``: a link to a file at the root of the built site; ``{nowrap}`text` ``;
``{paper}`2503.10622` ``: a link to a paper's page, shown as the paper's title (notes, articles).

MyST turns a relative link to a local file into a ``_downloads/<hash>/`` copy;
the BibTeX export must stay at ``refs.bib`` in the site root (other tools fetch
it there), so this role links to that path relative to the page.  The relative
URI depends on the builder, so it is filled in when the doctree is resolved.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxRole
from sphinx.util.nodes import split_explicit_title
from sphinx.util.osutil import relative_uri

from .. import arxiv, layout


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


class PaperRole(SphinxRole):
    """``{paper}`2503.10622` `` (the paper's title) or ``{paper}`text <2503.10622>` ``.

    A reference to the paper's page, resolved like ``{doc}``: the title is the page's
    own, so a page that shows it must be re-read when it changes (the converter
    names the titles in the including page's front matter, ``paperkb_links``).
    """

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        explicit, title, arxiv_id = split_explicit_title(self.text.strip())
        reason = arxiv.id_problem(arxiv_id)
        if reason:
            message = self.inliner.reporter.error(f"{{paper}}`{arxiv_id}`: {reason}", line=self.lineno)
            return [nodes.literal(self.rawtext, self.text)], [message]
        node = addnodes.pending_xref(
            self.rawtext, refdomain="std", reftype="doc", refexplicit=explicit, refwarn=True,
            reftarget="/" + layout.paper_docname(arxiv.page_name(arxiv_id)), refdoc=self.env.docname)
        node += nodes.inline(self.rawtext, title, classes=["xref", "std", "std-doc"])
        return [node], []


def resolve_site_files(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    page = app.builder.get_target_uri(docname)
    for node in doctree.findall(nodes.reference):
        if "site_file" in node:
            node["refuri"] = relative_uri(page, node["site_file"])

def setup_roles(app: Sphinx) -> None:
    app.add_role("site-file", SiteFileRole())
    app.add_role(layout.NOWRAP_ROLE, NoWrapRole())
    app.add_role("paper", PaperRole())
