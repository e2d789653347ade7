"""BibTeX export: keys, LaTeX safety, and round trips through real clients."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import bibtexparser
import pybtex.database
import pytest
from pylatexenc import latex2text

from tools.enrich import citekeys
from tools.model import Citation
from tools.read.names import split_name
from tools.render import bibtex

from .conftest import SEEDS

HOSTILE_TITLES = [
    "Transformers without Normalization",
    "CoSTA*: Cost-Sensitive Toolpath Agent",
    r"50% of {braces} & #hash $dollar$ a_b ~tilde^ \backslash",
    'R1-Zero\'s "Aha Moment" in Visual Reasoning',
    "Unbalanced { brace and } } more",
    "中文标题 with émoji 🚀 and full-width ＡＢＣ",
    "@misc{evil, title={x}} %comment",
]


_CONTEXT = latex2text.get_default_latex_context_db().filter_context()
_CONTEXT.add_context_category("bibtex-braces", prepend=True, macros=[
    latex2text.MacroTextSpec("textbraceleft", "{"), latex2text.MacroTextSpec("textbraceright", "}"),
    latex2text.MacroTextSpec("textasciicircum", "^")])


def _decode(value: str) -> str:
    """LaTeX back to text, as a reader of the formatted reference sees it."""
    return latex2text.LatexNodes2Text(latex_context=_CONTEXT).latex_to_text(value)


def test_keys_are_documented_scheme_and_unique():
    citations = [Citation("2503.10622", "Transformers without Normalization"),
                 Citation("2503.10623", "Transformers", authors=(("Zhu", "Jiachen"),)),
                 Citation("2503.10624", "The Transformers again", authors=(("Zhu", "J."),)),
                 Citation("2503.20215", "Qwen2.5-Omni Technical Report", authors=(("Xu", "Jin"),)),
                 Citation("2503.18878", "I Have Covered All the Bases", authors=(("Galichin", "A."),)),
                 Citation("2503.00001", "Über Straße", authors=(("Müller", "Łukasz"),)),
                 Citation("2503.00002", "中文标题 Model", authors=(("张", "三"),)),
                 Citation("hep-th/9901001", "Old")]
    keys = citekeys.assign_keys(citations)
    assert keys == {"2503.10622": "arxiv2503.10622", "2503.10623": "zhu2025transformers",
                    "2503.10624": "zhu2025transformers2503.10624",
                    "2503.20215": "xu2025qwen25omni", "2503.18878": "galichin2025have",
                    "2503.00001": "muller2025uber", "2503.00002": "zhang2025zhongwenbiaoti",
                    "hep-th/9901001": "arxivhep-th9901001"}


def test_keys_do_not_depend_on_other_papers_read_order():
    # Same first author, year and first title word: one base key for all four. The oldest
    # paper keeps it, whichever order they are read in; by age, not by the id's text
    # (hep-th/9901001 is from 1999, before 0704.0001).
    authors = (("Zhu", "Jiachen"),)
    ids = ["2503.10622", "0704.0001", "hep-th/9901001", "1501.00001"]
    citations = [Citation(arxiv_id, "Transformers everywhere", authors, dt.date(2025, 3, 13))
                 for arxiv_id in ids]
    expected = {"hep-th/9901001": "zhu2025transformers",
                "0704.0001": "zhu2025transformers0704.0001",
                "1501.00001": "zhu2025transformers1501.00001",
                "2503.10622": "zhu2025transformers2503.10622"}
    for order in itertools.permutations(citations):
        assert citekeys.assign_keys(order) == expected


@pytest.mark.parametrize("name, expected", [
    ("Jiachen Zhu", ("Zhu", "Jiachen")),
    ("Yann LeCun", ("LeCun", "Yann")),
    ("Oleg Y. Rogov", ("Rogov", "Oleg Y.")),
    ("Ludwig van Beethoven", ("van Beethoven", "Ludwig")),
    ("Zhu, Jiachen", ("Zhu", "Jiachen")),
    ("Plato", ("Plato", "")),
    ("{Supryadi}", ("Supryadi", "")),
])
def test_split_name(name, expected):
    assert split_name(name) == expected


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_titles_round_trip_through_pybtex_and_bibtexparser(title):
    text = bibtex.write([bibtex.entry(Citation("2503.00001", title), "k")])
    parsed = pybtex.database.parse_string(text, "bibtex")
    assert list(parsed.entries) == ["k"]
    assert _decode(parsed.entries["k"].fields["title"]) == title
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.key == "k"
    assert entry.fields_dict["eprint"].value == "2503.00001"


def test_capitals_and_acronyms_are_protected():
    assert bibtex.latex_title("Qwen2.5-Omni Technical Report") == "{Qwen2.5-Omni} Technical Report"
    assert bibtex.latex_title("Dynamic Tanh (DyT)") == "Dynamic Tanh ({DyT})"


def test_entry_has_arxiv_export_fields():
    text = bibtex.write([bibtex.entry(Citation("2503.10622", "Transformers without Normalization"), "k")])
    fields = bibtexparser.parse_string(text).entries[0].fields_dict
    assert {name: fields[name].value for name in ("year", "eprint", "archivePrefix", "url")} == {
        "year": "2025", "eprint": "2503.10622", "archivePrefix": "arXiv",
        "url": "https://arxiv.org/abs/2503.10622"}
    assert "month = mar," in text  # the month macro, unbraced


def test_keys_stay_stable_when_a_digest_is_added():
    from tools.enrich import enrich
    from tools.model import build_corpus
    from tools.read import metadata
    from tools.read.curated import load_glossary, load_taxonomy
    from tools.read.parse import parse_file

    root = Path(__file__).resolve().parent.parent
    digests = sorted(SEEDS.glob("*.txt"))  # the frozen copy, not the checkout's seeds/
    data = root / "docs" / "_data"
    meta = metadata.load(SEEDS / metadata.FILENAME)

    def keys(paths):
        entries = tuple(e for path in paths for e in parse_file(path).entries)
        knowledge = enrich(build_corpus(entries), load_taxonomy(data / "taxonomy.toml"),
                           load_glossary(data / "glossary.toml"), meta)
        return {pid: item.cite_key for pid, item in knowledge.papers.items()}

    first, both = keys(digests[:1]), keys(digests)
    assert first and all(both[pid] == key for pid, key in first.items())
    assert both["2503.10622"] == "zhu2025transformers"
