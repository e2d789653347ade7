"""The Sphinx side of paper-kb, wired from ``conf.py`` as ``tools.sphinxext``.

One module per concern (the layout of sphinx-design): ``run_converter`` runs the
converter before Sphinx looks for sources, ``citation_styles`` adds the citation
styles and meta tags, ``site_files`` copies the citation exports into the site,
``navigation`` marks pages whose cross-page context changed, ``search`` fixes and
tunes the Chinese search (``synonyms`` gives it the glossary's names,
``searchshards`` splits its index into the pieces a query loads), ``book`` makes the
PDF and EPUB hold the newest digests only, ``roles`` adds
``{site-file}``, ``anchors`` gives sections the fixed ids the browser code looks
up, ``report`` records what a build did, ``integrity`` keeps builds from being
left half-done or mixed (a lock, an unfinished-build marker), ``feeds`` writes
the Atom feed and the sitemap, ``mathml`` renders formulas at build time (its
MathML parsed and re-serialised), ``headtags`` re-serialises the head's meta
tags, ``collector`` runs Python's cycle collector less often while a build holds its
pages, ``included`` makes MyST's warnings in a note or article name its file, ``json_ld``
writes a paper's schema.org record into its head, ``libyaml`` has MyST read YAML with
PyYAML's C loader; ``compat`` lists every reliance on a
dependency's internals and guards it.

When each module's handlers run is stated once, in :data:`HANDLERS` below: Sphinx
calls the handlers of an event by priority (lower first, 500 the default), then
in the order they were connected, which is the table's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from sphinx.application import Sphinx

from . import (
    anchors,
    book,
    citation_styles,
    collector,
    feeds,
    headtags,
    included,
    integrity,
    json_ld,
    libyaml,
    navigation,
    report,
    roles,
    run_converter,
    search,
    searchshards,
    site_files,
    synonyms,
)
from .compat import check_versions
from .mathml import setup_mathml


class Handler(NamedTuple):
    event: str
    run: Callable[..., Any]
    priority: int
    why: str = ""


DEFAULT = 500
HANDLERS = (
    # config-inited: lock, convert, mark; then the settings that read the converter's output
    Handler("config-inited", integrity.on_config_inited, 50,
            "take the checkout's lock and discard an unfinished build's state, before docs/ is written"),
    Handler("config-inited", run_converter.on_config_inited, 100,
            "write the pages before sphinxcontrib-bibtex and the search set-up read their settings"),
    Handler("config-inited", integrity.mark_started, 150,
            "from here on an interruption leaves state to discard"),
    Handler("config-inited", collector.on_config_inited, 160,
            "once the conversion succeeded (a build it stops has no build-finished), before Sphinx "
            "loads the saved environment"),
    Handler("config-inited", book.exclude_book, DEFAULT,
            "before the environment compares the configuration with the previous build's"),
    Handler("config-inited", search.on_config_inited, DEFAULT),
    Handler("builder-inited", feeds.note_missing_baseurl, DEFAULT,
            "the first event that knows the builder: only a site build says it"),
    Handler("builder-inited", book.narrow_to_book, DEFAULT,
            "the first event that knows the builder; Sphinx lists the sources after it"),
    Handler("env-get-outdated", search.on_env_get_outdated, DEFAULT),
    Handler("env-before-read-docs", report.on_read_docs, DEFAULT),
    Handler("doctree-read", anchors.fix_anchors, 400,
            "before the environment's collectors (toc, titles), which run at 500"),
    Handler("env-updated", integrity.on_env_updated, DEFAULT),
    Handler("env-updated", navigation.on_env_updated, 900,
            "after sphinxcontrib-bibtex's own handler has formatted the citations"),
    Handler("write-started", search.load_domain_words, DEFAULT,
            "before the HTML builder makes its search indexer, which splits Chinese with jieba"),
    Handler("doctree-resolved", search.note_written, DEFAULT),
    Handler("doctree-resolved", roles.resolve_site_files, DEFAULT),
    Handler("doctree-resolved", citation_styles.resolve_paper_links, DEFAULT),
    Handler("doctree-resolved", report.on_doctree_resolved, DEFAULT),
    Handler("html-collect-pages", search.finish_index, DEFAULT),
    Handler("html-page-context", book.add_book_flag, DEFAULT),
    Handler("html-page-context", citation_styles.add_citation_meta, DEFAULT),
    Handler("html-page-context", json_ld.add_json_ld, DEFAULT),
    Handler("html-page-context", search.add_layout, DEFAULT),
    Handler("html-page-context", searchshards.add_index_path, DEFAULT),
    Handler("html-page-context", synonyms.add_synonyms, DEFAULT),
    Handler("html-page-context", headtags.rewrite_metatags, 950,
            "after every handler that adds head tags (opengraph's and ours run at 500)"),
    Handler("build-finished", site_files.on_build_finished, DEFAULT),
    Handler("build-finished", feeds.on_build_finished, DEFAULT),
    Handler("build-finished", searchshards.on_build_finished, DEFAULT),
    Handler("build-finished", report.on_build_finished, DEFAULT),
    Handler("build-finished", integrity.on_build_finished, 900,
            "after the exports are synchronised and the build report written"),
    Handler("build-finished", collector.on_build_finished, 950,
            "last: the collector as it was, once the build is done"),
)


def setup(app: Sphinx) -> dict[str, object]:
    check_versions()  # overrides of dependency internals: stop on an untested version
    run_converter.setup_convert(app)
    citation_styles.setup_citation(app)
    setup_mathml(app)
    search.setup_search(app)
    roles.setup_roles(app)
    included.setup_included(app)
    libyaml.setup_libyaml(app)
    for handler in HANDLERS:
        app.connect(handler.event, handler.run, priority=handler.priority)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
