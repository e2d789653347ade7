"""Every place where paper-kb relies on a dependency's internals, and the guard on them.

Each override below was written for, and tested with, the pinned versions in
``TESTED``.  An upgrade can turn any of them into a silent no-op (a renamed
private attribute, a method no longer called), so ``check_versions`` runs when
the extension is set up and stops the build with a clear message when an
installed version differs: re-check each override named in the message (and
its upstream issue), then update ``TESTED`` and the pins in requirements.txt.
README.md ("Overrides of dependency internals") lists the same table for people.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from typing import NamedTuple

from sphinx.errors import ExtensionError

# Distribution name -> the version every override below was written for.
TESTED = {
    "sphinx": "9.0.4",
    "sphinxcontrib-bibtex": "2.7.0",
    "pybtex": "0.26.1",
    "jieba": "0.42.1",
    "alabaster": "1.0.0",
    "sphinx-copybutton": "0.5.2",
}


class Override(NamedTuple):
    where: str  # module and name in tools/sphinxext
    package: str  # a key of TESTED
    what: str  # the internal it relies on
    why: str
    upstream: str  # issue or pull request, or what upstream offers instead


OVERRIDES = (
    Override("search.ChineseSearch.language_name", "sphinx",
             "the name Sphinx writes into language_data.js as `window.Stemmer = <name>Stemmer`",
             "Sphinx 9.0.x names ChineseStemmer but ships english-stemmer.js (EnglishStemmer): "
             "the search page throws and hangs at 'Searching'",
             "sphinx-doc/sphinx#14229, fixed by sphinx-doc/sphinx#14416 in Sphinx 9.1.1 "
             "(Python >= 3.12; 9.1.0 still has it)"),
    Override("search.ChineseSearch.__init__", "sphinx",
             "SearchChinese.__init__ loads options['dict'] with jieba.load_userdict, and jieba's whole "
             "default dictionary when no 'dict' is given",
             "passing our domain dictionary per instance avoids re-loading jieba's 350,000-word "
             "dictionary as a user dictionary on every build (2.4 s), and keeps an absolute path "
             "out of the configuration",
             "none; html_search_options['dict'] is the documented option"),
    Override("search.drop_empty_terms", "sphinx",
             "IndexBuilder._mapping and _title_mapping (private): terms are deleted whose page set "
             "is empty",
             "IndexBuilder.prune() keeps terms whose pages were all removed or rewritten, so the "
             "searchindex.js of an incremental build differs from a clean build's",
             "not reported upstream yet; unchanged in Sphinx 9.1.1"),
    Override("citation_styles.IndexedBibtexDomain.get_filtered_entries", "sphinxcontrib-bibtex",
             "a copy of BibtexDomain.get_filtered_entries using the private _FilterVisitor",
             "upstream scans every citation reference for every entry (O(entries x citations)): "
             "6 s of a no-change build at 1,000 papers",
             "not reported upstream yet; 2.7.0 is the newest release"),
    Override("citation_styles.IndexedBibtexDomain.resolve_xref", "sphinxcontrib-bibtex",
             "BibtexDomain.resolve_xref finds citations only through self.data['citations'], "
             "which is narrowed to the keys resolved for the duration of the call",
             "upstream scans every citation of the site for each citation on a page: "
             "20 million comparisons for a topic page of 1,000 papers out of 10,000",
             "not reported upstream yet; 2.7.0 is the newest release"),
    Override("citation_styles.IndexedBibliographyTransform", "sphinxcontrib-bibtex",
             "BibliographyTransform (replaced in Sphinx's post-transform registry) reads back-references "
             "only through the domain's citation_refs, narrowed to the bibliography's pages during its run",
             "upstream compares every entry with every citation reference of the site: 200 million "
             "comparisons each time the 10,000-entry bibliography page is written",
             "not reported upstream yet; 2.7.0 is the newest release"),
    Override("citation_styles.ShortenedAuthorsStyle.format_entry", "sphinxcontrib-bibtex",
             "get_formatted_entries calls format_entry twice in a row with the same style object "
             "(bibliography entry, then tooltip) when bibtex_tooltips_style is unset",
             "every entry was formatted twice on every build: the second call returns the first's "
             "result",
             "none"),
    Override("citation_styles._register_installed_pybtex_plugins", "pybtex",
             "pybtex.plugin.register_plugin (public, force=True) called for every installed plugin "
             "entry point",
             "pybtex scans every installed distribution's entry points at each plugin lookup, and "
             "sphinxcontrib-bibtex looks one up for every citation it resolves: a third of adding "
             "a digest at 10,000 papers",
             "not reported upstream yet"),
    Override("citation_styles.ShortenedAuthorsStyle, RoundAuthorYearStyle", "sphinxcontrib-bibtex",
             "pybtex's plain style internals (format_names, the names node, format_entry; rich text "
             "parts rebuilt with the private _create_similar) and sphinxcontrib-bibtex's "
             "AuthorYearReferenceStyle dataclass fields",
             "Chicago-style shortened author lists and round brackets; bibliography entries and "
             "tooltips show `$`, `{`, `}` and the other encoded characters as themselves, not as "
             "LaTeX source",
             "documented extension points (pybtex plugins, sphinxcontrib-bibtex styles)"),
    Override("navigation.page_contexts", "sphinxcontrib-bibtex",
             "BibtexDomain.citations and .citation_refs and their formatted_entry",
             "pages show citation labels and texts that live on other pages; Sphinx rewrites only "
             "pages whose source changed",
             "sphinx-doc/sphinx#5506 (stale prev/next, open); env-updated returning docnames is "
             "Sphinx's public hook, the bibtex data read is not"),
    Override("run_converter.on_config_inited", "sphinx",
             "Sphinx.srcdir set inside config-inited, before the project and environment are made",
             "Read the Docs runs Sphinx with the folder of conf.py as source folder; the pages live "
             "in docs/ and must be served at papers/<id>.html",
             "none: Sphinx has no setting for a source folder other than the command's"),
    Override("integrity.on_build_finished", "sphinx",
             "Builder.get_outfilename for documents that are gone",
             "Sphinx forgets a removed source but leaves its HTML page in the output folder",
             "sphinx-doc/sphinx#5908 (closed), #14327 (open proposal); unchanged in 9.1.1"),
    Override("integrity.on_config_inited", "sphinx",
             "the environment is loaded from environment.pickle in the doctrees folder after "
             "config-inited (a missing file gives a fresh one), and the previous searchindex.js is "
             "loaded when writing; html/.buildinfo is read by sphinx.builders.html._build_info."
             "BuildInfo.load (private), which fails on an empty file",
             "Sphinx saves the environment before writing and deletes it only on an Exception: after "
             "Ctrl-C or a kill while writing, the next build trusted pages and an index never written",
             "not reported upstream yet"),
    Override("search.restore_index_entries", "sphinx",
             "IndexBuilder._index_entries (private) and the 'docnames' and 'indexentries' of "
             "searchindex.js",
             "Sphinx collects index entries only from the pages written in a build and does not load "
             "them from the previous index: a second build with no change lost the glossary's entries",
             "not reported upstream yet"),
    Override("docs/_static/paperkb-search.js, docs/_templates/search.html", "sphinx",
             "searchtools.js: Search.query is replaced, Search.setIndex is given our index, "
             "Search.output is read; search.html repeats basic/search.html's form and result area",
             "Chinese query segmentation against the index vocabulary, the ranking, and an index "
             "loaded in pieces (basic/search.html loads the whole searchindex.js in its head)",
             "Sphinx's js_splitter_code replaces the splitter only"),
    Override("searchshards.split_index", "sphinx",
             "the fields of searchindex.js (docnames, titles, terms, titleterms, alltitles), read "
             "with StandaloneHTMLBuilder.indexer_format",
             "the search page downloads the pieces of the index a query needs: 10 MB at 10,000 "
             "papers otherwise",
             "none: Sphinx has no chunked index"),
    Override("docs/_templates/layout.html, docs/_static/paperkb.css", "alabaster",
             "alabaster's page markup (div.document, div.body, div.related.top, div.sphinxsidebar, "
             "its 875px breakpoint) and basic/layout.html's header block",
             "dark mode, a top bar with search on every page, and a phone layout where nothing is "
             "wider than the screen; alabaster has none of these",
             "none: alabaster offers custom.css and template blocks, not colour schemes"),
    Override("docs/_static/paperkb.css (button.copybtn)", "sphinx-copybutton",
             "the class and opacity of the copy button, hidden until hovered",
             "touch screens have no hover: the button must be visible to be found",
             "not reported upstream yet"),
)


def check_versions(installed: Callable[[str], str] = version) -> None:
    """Raise ExtensionError naming each untested version and the overrides that rely on it."""
    problems: list[str] = []
    for package, tested in TESTED.items():
        try:
            found = f"{package} {installed(package)} is installed"
        except PackageNotFoundError:
            found = f"{package} is not installed"
        if found != f"{package} {tested} is installed":
            relying = "; ".join(o.where for o in OVERRIDES if o.package == package)
            problems.append(f"{found}, the overrides were written for {tested} (re-check: {relying})")
    if problems:
        raise ExtensionError(
            "paper-kb relies on internals of its pinned dependencies, and a version differs: "
            + " | ".join(problems)
            + ". Install requirements.txt, or check each override (README.md, 'Overrides of "
              "dependency internals') and update TESTED in tools/sphinxext/compat.py.")
