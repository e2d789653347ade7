"""Property tests: any digest-like input gives records or problems, and never markup it should not."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import bibtexparser
import pybtex.database
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from tools import layout
from tools.enrich import enrich
from tools.model import Citation, Problem, build_corpus
from tools.read import curated as knowledge
from tools.read.parse import parse_text
from tools.render import bibtex
from tools.render.pages import render_site
from tools.sphinxext.json_ld import script_text

from .conftest import MYST_EXTENSIONS
from .test_bibtex import PROPER_NOUNS, _decode

ROOT = Path(__file__).resolve().parent.parent
TAXONOMY = knowledge.load_taxonomy(ROOT / "docs" / "_data" / "taxonomy.toml")
GLOSSARY = knowledge.load_glossary(ROOT / "docs" / "_data" / "glossary.toml")
PARSER = create_md_parser(MdParserConfig(enable_extensions=MYST_EXTENSIONS), RendererHTML)

PIECES = [
    "## ", "##", "\n", "\r\n", "\r", "  ", "\t", "\ufeff", "[", "]", "(", ")", "](", "[标题](",
    "https://arxiv.org/abs/2503.00001", "http://arxiv.org/pdf/2503.00002v2.pdf",
    "https://arxiv.org/abs/hep-th/9901001", "https://example.org/x", "javascript:alert(1)",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<iframe src=//x>", "<!-- c -->",
    "```{raw} html\n<b>x</b>\n```", "```{include} /etc/passwd\n```", "```{eval-rst}\n.. raw:: html\n```",
    ":::{note}\nx\n:::", "{{ sub }}", "{abbr}`a (b)`", "{doc}`index`", "$", "$$", "$x$", "$$y$$",
    "\\textbf{", "\\href{https://x.org}{", "\\color[RGB]{1,2,3}{", "}", "{", "\\%", "\\", "**", "*", "_",
    "~", "^", "#", "%", "&amp;", "&", '"', "'", "`", "|", "中文摘要。", "🚀", "ＡＢＣ", "\x00", "\x0c",
    "\u2028", "Title", "1. ", "> ", "- ", "    indented", "---",
]
digest_text = st.lists(st.sampled_from(PIECES) | st.text(max_size=8), max_size=60).map("".join)


@given(digest_text)
def test_parser_returns_records_or_problems_and_never_raises(text):
    result = parse_text(text, Path("fuzz.txt"))
    for problem in result.problems:
        assert isinstance(problem, Problem) and problem.source.line >= 1
    for entry in result.entries:
        assert entry.title and entry.title_zh and entry.abstract


def _entry_texts():
    line = st.lists(st.sampled_from([p for p in PIECES if "\n" not in p and "\r" not in p])
                    | st.text(max_size=8), min_size=1, max_size=25).map("".join)
    return st.tuples(line, line, st.lists(line, min_size=1, max_size=3))


OWN_DIRECTIVES = {"toctree", "bibliography", "glossary", "container"}
OWN_CLASSES = {layout.NO_SEARCH, layout.TITLE_ZH_ID, layout.ABSTRACT_ID, *layout.TEMPLATE_CLASSES}
OWN_ROLES = {"math", "strong", "emphasis", "cite:p", "cite:t", "term", "site-file", layout.NOWRAP_ROLE}


def _check_myst(source: str) -> None:
    """Parse a page back: no HTML, and only the directives and roles the templates emit."""
    for token in PARSER.parse(source):
        assert token.type not in ("html_block", "html_inline"), token
        # Block attributes (attrs_block): only the classes the templates set, never an id.
        assert set(token.attrs) <= {"class"}, token
        assert set(str(token.attrs.get("class", "")).split()) <= OWN_CLASSES, token
        if token.type == "fence":
            info = token.info.strip()
            directive = info.split(" ", 1)[0].strip("{}")
            assert info == "bibtex" or directive in OWN_DIRECTIVES, info
            if directive == "container":
                assert set(info.split(" ", 1)[1].split()) <= OWN_CLASSES, info
                _check_myst(token.content)  # a container's content is MyST too
        for child in token.children or ():
            assert child.type not in ("html_inline", "html_block"), child
            if child.type == "myst_role":
                assert child.meta["name"] in OWN_ROLES, child.meta["name"]
            if child.type == "link_open":
                href = child.attrs["href"]
                # web and page links, and the glossary's jump bar (#a ... #z)
                assert href.startswith(("http://", "https://", "project:/")) or re.fullmatch(
                    r"#[a-z0-9]", href), href


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_entry_texts(), min_size=1, max_size=3))
def test_rendered_pages_hold_no_markup_the_renderer_did_not_emit(entries):
    text = "".join(
        f"## {title}\n[{title_zh}](https://arxiv.org/abs/2503.{n:05d})\n\n" + "\n\n".join(abstract) + "\n"
        for n, (title, title_zh, abstract) in enumerate(entries))
    parsed = parse_text(text, Path("001_fuzz.txt"))
    site = render_site(enrich(build_corpus(parsed.entries), TAXONOMY, GLOSSARY))
    for path, source in site.items():
        if path.endswith(".md"):
            _check_myst(source)


def _tex_ligatures(text: str) -> str:
    for ascii_form, typeset in (("!`", "¡"), ("?`", "¿"), ("``", "“"), ("''", "”"),
                                ("---", "—"), ("--", "–")):
        text = text.replace(ascii_form, typeset)
    return text


@given(st.text(min_size=1, max_size=80).filter(lambda t: t.strip()))
def test_bibtex_titles_round_trip(title):
    title = " ".join(title.split())
    text = bibtex.write([bibtex.entry(Citation("2503.00001", title), "k")])
    parsed = pybtex.database.parse_string(text, "bibtex")
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks and [e.key for e in library.entries] == ["k"]
    # equal up to Unicode canonical equivalence (pybtex normalises to NFC) and
    # TeX's quote and dash ligatures, which typeset ``x'' as “x” and -- as –, as
    # an author writing a title in TeX means them
    expected = unicodedata.normalize("NFC", _tex_ligatures(title))
    assert unicodedata.normalize("NFC", _decode(parsed.entries["k"].fields["title"])) == expected
    assert unicodedata.normalize("NFC", _decode(library.entries[0].fields_dict["title"].value)) == expected


# Metadata is input too: any metadata.toml gives entries or a MetadataError naming the file, and
# whatever it loads reaches BibTeX as data (issue 11).
_ANY = st.one_of(st.text(max_size=12), st.integers(), st.booleans(), st.dates(), st.datetimes(),
                 st.lists(st.integers(), max_size=2))
_PRINTABLE = st.characters(blacklist_categories=("Cc", "Cs"))
_TEXT = st.one_of(st.text(_PRINTABLE, max_size=12), st.sampled_from(
    ["cs.CL}, note = {x", "{", "}", "$x$", "\\", "a}b{c", "%", "\u0000", "\x85", "x and y"]))
_NAMES = st.lists(st.one_of(st.text(_PRINTABLE, min_size=1, max_size=10), st.sampled_from(
    ["A} and {B", "{Ada} Lovelace", "$", "Ada \\\\ Lovelace", "", "{Barnes and Noble}, Ada",
     "Ada {Barnes AND Noble}", "Ada and Lovelace"])), max_size=3)
# Any value in any field (the load must name the problem), and well-typed values (which must reach
# BibTeX as data).
_WELL_TYPED = st.fixed_dictionaries({}, optional={
    "title": _TEXT, "authors": _NAMES.filter(lambda names: all(n.strip() for n in names)),
    "published": st.dates(), "primary_category": _TEXT, "categories": st.lists(_TEXT, max_size=2),
    "complete": st.booleans()})
_ANY_TYPED = st.dictionaries(st.sampled_from(["title", "authors", "published", "primary_category",
                                              "categories", "complete", "sources", "note"]),
                             _ANY | _TEXT | _NAMES, max_size=4)
_TABLE = _WELL_TYPED | _ANY_TYPED
_IDS = st.sampled_from(["2503.00001", "2503.00002", "2503.00003", "hep-th/9901001", "2513.00001"])


@given(st.lists(st.one_of(st.sampled_from(PROPER_NOUNS.names), st.text(max_size=12)), max_size=6))
def test_titles_with_proper_nouns_round_trip(parts):
    """Braced names and words, whatever surrounds them: the title reads back as it was."""
    title = " ".join(" ".join(parts).split())
    written = bibtex.latex_title(title, PROPER_NOUNS)
    assert bibtex.field_text(written) == title
    text = bibtex.write([bibtex.entry(Citation("2503.00001", title or "x"), "k", PROPER_NOUNS)])
    assert not bibtexparser.parse_string(text).failed_blocks
    assert list(pybtex.database.parse_string(text, "bibtex").entries) == ["k"]


_SCRIPT_TEXT = st.text() | st.text(alphabet="<>&/\u2028\u2029\"\\ab!-")  # markup-ish text, often


@given(st.recursive(_SCRIPT_TEXT | st.integers() | st.none(),
                    lambda children: st.lists(children, max_size=3)
                    | st.dictionaries(_SCRIPT_TEXT, children, max_size=3), max_leaves=8))
def test_json_ld_script_text_holds_no_markup_and_reads_back(record):
    text = script_text(record)
    assert not set(text) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(text) == record


@given(st.dictionaries(_IDS, _TABLE, max_size=3))
def test_metadata_loads_or_names_the_problem_and_reaches_bibtex_as_data(tmp_path_factory, tables):
    import tomlkit

    from tools.enrich.enriched import citation
    from tools.model import Paper
    from tools.read import metadata

    path = tmp_path_factory.mktemp("meta") / "metadata.toml"
    path.write_text(tomlkit.dumps(tables), encoding="utf-8")
    try:
        loaded = metadata.load(path)
    except metadata.MetadataError as error:
        assert str(error).startswith(f"{path}")
        return
    for arxiv_id, meta in loaded.items():
        paper = Paper(arxiv_id, "Digest title", "中文", ("摘要",), "https://arxiv.org/abs/x", (), ())
        text = bibtex.write([bibtex.entry(citation(paper, meta), "k")])
        library = bibtexparser.parse_string(text)
        assert not library.failed_blocks and [e.key for e in library.entries] == ["k"]
        fields = library.entries[0].fields_dict
        assert set(fields) <= {"title", "author", "key", "year", "month", "doi", "eprint",
                               "archivePrefix", "eprinttype", "primaryClass", "url"}, text
        if meta.primary_category:
            assert _decode(fields["primaryClass"].value) == meta.primary_category
        parsed = pybtex.database.parse_string(text, "bibtex")
        assert len(parsed.entries["k"].persons.get("author", [])) == len(meta.authors)
