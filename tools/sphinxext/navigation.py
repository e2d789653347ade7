"""Rewrite the pages whose cross-page context changed, not only the changed pages.

Sphinx re-reads the sources that changed and rewrites those pages; but a page
also shows things that live on other pages: its previous/next links and parent
chain (with their titles), and the labels and text of the citations it cites
or lists.  When a digest adds papers, those change on pages whose source did
not (measured: after 25 papers were added, their neighbours kept stale
prev/next links and the bibliography page its old entry list).

After every read, a fingerprint of that context is computed for each page and
compared with the one stored in the environment by the previous build; the
pages whose fingerprint changed are returned from ``env-updated``, which makes
Sphinx rewrite them.  An incremental build then writes what a clean build
would.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from pybtex.backends.plaintext import Backend as PlainTextBackend
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import ExtensionError
from sphinxcontrib.bibtex.domain import BibtexDomain

_ATTRIBUTE = "paperkb_context"
_PLAIN_TEXT = PlainTextBackend()


def page_contexts(env: BuildEnvironment) -> dict[str, str]:
    """docname -> digest of what the page shows from other pages."""
    relations = env.collect_relations()
    titles = {docname: title.astext() for docname, title in env.titles.items()}
    citations = _citations(env)
    parts: dict[str, list[str]] = {docname: [] for docname in env.found_docs}
    for docname, (parent, previous, following) in relations.items():
        chain: list[tuple[str, str | None]] = []
        while parent:
            chain.append((parent, titles.get(parent)))
            parent = relations.get(parent, (None, None, None))[0]
        neighbours = [(d, titles.get(d)) if d else (None, None) for d in (previous, following)]
        parts.setdefault(docname, []).append(repr((chain, neighbours)))
    for docname, rendered in citations.items():
        parts.setdefault(docname, []).extend(rendered)
    return {docname: hashlib.sha256("\n".join(items).encode()).hexdigest()
            for docname, items in parts.items()}


def _citations(env: BuildEnvironment) -> dict[str, list[str]]:
    """For each page, the formatted citations it lists or cites (sphinxcontrib-bibtex)."""
    try:
        domain = env.get_domain("cite")
    except ExtensionError:  # sphinxcontrib-bibtex is not loaded
        return {}
    assert isinstance(domain, BibtexDomain)
    formatted: dict[str, str] = {}
    result: dict[str, list[str]] = {}
    for citation in domain.citations:
        entry = citation.formatted_entry
        # What a page citing it shows: the link target (the bibliography page holding it,
        # which changes as the bibliography grows into pages, and the anchor), the
        # author-year text and the tooltip; the bibliography page also shows the entry's
        # label ([12]), which moves whenever entries are added before it.
        text = (f"{citation.key}|{citation.bibliography_key.docname}|{citation.citation_id}|"
                f"{entry.text.render(_PLAIN_TEXT)}")
        formatted[citation.key] = text
        result.setdefault(citation.bibliography_key.docname, []).append(f"{entry.label}|{text}")
    for reference in domain.citation_refs:
        result.setdefault(reference.docname, []).extend(
            formatted.get(target.key, target.key) for target in reference.targets)
    return result


def on_env_updated(app: Sphinx, env: BuildEnvironment) -> Iterable[str]:
    current = page_contexts(env)
    previous: dict[str, str] = getattr(env, _ATTRIBUTE, {})
    setattr(env, _ATTRIBUTE, current)
    return sorted(docname for docname, fingerprint in current.items()
                  if docname in previous and previous[docname] != fingerprint)
