"""The Sphinx side of paper-kb, wired from ``conf.py`` as ``tools.sphinxext``.

One module per concern, each with a ``setup_*`` function (the layout of
sphinx-design): ``convert`` runs the converter before Sphinx looks for
sources, ``citation`` adds the citation styles and meta tags, ``exports``
copies the citation exports into the site, ``navigation`` marks pages whose
cross-page context changed, ``search`` fixes and tunes the Chinese search
(``synonyms`` gives it the glossary's names, ``searchshards`` splits its
index into the pieces a query loads),
``roles`` adds ``{site-file}``, ``anchors`` gives the sections the
browser code looks up their fixed ids, ``report`` records what a build did, ``integrity`` keeps
builds from being left half-done or mixed (a lock, an unfinished-build marker);
``feeds`` writes the Atom feed, ``mathml`` renders formulas at build time (its
MathML parsed and re-serialised), ``headtags`` re-serialises the head's meta tags;
``compat`` lists every reliance on a dependency's internals and guards it.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from .anchors import setup_anchors
from .citation_styles import setup_citation
from .compat import check_versions
from .feeds import setup_feeds
from .headtags import setup_headtags
from .integrity import setup_integrity
from .mathml import setup_mathml
from .navigation import setup_navigation
from .report import setup_report
from .roles import setup_roles
from .run_converter import setup_convert
from .search import setup_search
from .searchshards import setup_search_shards
from .site_files import setup_exports
from .synonyms import setup_synonyms


def setup(app: Sphinx) -> dict[str, object]:
    check_versions()  # overrides of dependency internals: stop on an untested version
    setup_integrity(app)
    setup_convert(app)
    setup_anchors(app)
    setup_citation(app)
    setup_exports(app)
    setup_feeds(app)
    setup_headtags(app)
    setup_mathml(app)
    setup_navigation(app)
    setup_search(app)
    setup_search_shards(app)
    setup_synonyms(app)
    setup_roles(app)
    setup_report(app)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
