"""BibTeX export: keys, LaTeX safety, and round trips through real clients."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import shutil
import subprocess
from pathlib import Path

import bibtexparser
import pybtex.database
import pytest
from pylatexenc import latex2text

from tools.enrich import citekeys
from tools.model import Citation
from tools.read.curated import load_proper_nouns
from tools.read.names import split_name
from tools.render import bibtex

from .conftest import ROOT, SEEDS, require, require_tex_file

PROPER_NOUNS = load_proper_nouns(ROOT / "docs" / "_data" / "proper_nouns.toml")

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


@pytest.mark.parametrize("title, expected", [
    # Title Case words stay free (plain lower-cases them); curated names are braced whole.
    ("EuroBERT: Scaling Multilingual Encoders for European Languages",
     "{EuroBERT}: Scaling Multilingual Encoders for {European} Languages"),
    ("Charting and Navigating Hugging Face's Model Atlas",
     "Charting and Navigating {Hugging Face}'s Model Atlas"),
    ("A Dataset for Southeast Asia", "A Dataset for {Southeast Asia}"),
    ("ICD Coding in Russian-centric Records", "{ICD} Coding in {Russian}-centric Records"),
    # As written only: a lower-case "european" is not a name; "Asia" in "Asian" is not "Asia".
    ("european Asian Models", "european {Asian} Models"),
    ("Meta-Learning at Scale", "{Meta-Learning} at Scale"),  # braced as a word with inner capitals
])
def test_proper_nouns_and_acronyms_are_protected(title, expected):
    assert bibtex.latex_title(title, PROPER_NOUNS) == expected
    assert bibtex.field_text(expected) == title


def test_a_rewritten_title_keeps_the_protection_of_the_written_one():
    written = bibtex.latex_title("$O(n)$ Attention for Hugging Face's European LLMs", PROPER_NOUNS)
    kept = bibtex.protected_groups(written)
    assert kept.names == ("$O(n)$", "Hugging Face", "European", "LLMs")
    assert bibtex.latex_title("O(n) Attention for Hugging Face's European LLMs", kept) == (
        "O(n) Attention for {Hugging Face}'s {European} {LLMs}")


def test_entry_has_arxiv_export_fields():
    text = bibtex.write([bibtex.entry(Citation("2503.10622", "Transformers without Normalization",
                                               primary_class="cs.LG"), "k")])
    fields = bibtexparser.parse_string(text).entries[0].fields_dict
    names = ("year", "doi", "eprint", "archivePrefix", "eprinttype", "primaryClass", "url")
    assert {name: fields[name].value for name in names} == {
        "year": "2025", "doi": "10.48550/arXiv.2503.10622", "eprint": "2503.10622",
        "archivePrefix": "arXiv", "eprinttype": "arxiv", "primaryClass": "cs.LG",
        "url": "https://arxiv.org/abs/2503.10622"}
    assert "month = mar," in text  # the month macro, unbraced
    unknown = bibtex.write([bibtex.entry(Citation("hep-th/9901001", "Old"), "k")])
    fields = bibtexparser.parse_string(unknown).entries[0].fields_dict
    assert "primaryClass" not in fields  # omitted, not guessed, when the metadata has no category
    assert fields["doi"].value == "10.48550/arXiv.hep-th/9901001"


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


# --- refs.bib in the clients that read it ------------------------------------------------------

@pytest.mark.slow
def test_refs_bib_keeps_doi_and_eprinttype_in_pybtex(seeds_site):
    entries = pybtex.database.parse_file(seeds_site / "refs.bib").entries
    assert len(entries) == 25
    for entry in entries.values():
        arxiv_id = entry.fields["eprint"]
        assert entry.fields["doi"] == f"10.48550/arXiv.{arxiv_id}"
        assert entry.fields["eprinttype"] == "arxiv" and entry.fields["archivePrefix"] == "arXiv"


@pytest.mark.slow
def test_refs_bib_keeps_doi_and_eprinttype_in_biber(tmp_path, seeds_site):
    """biber (biblatex's backend) reads refs.bib as biblatex data and writes it back out."""
    require("biber", "biber")
    shutil.copy(seeds_site / "refs.bib", tmp_path / "refs.bib")
    run = subprocess.run(["biber", "--tool", "--output-format=bibtex", "--output-file=out.bib",
                          "refs.bib"], cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 0 and "WARN" not in run.stdout and "ERROR" not in run.stdout, run.stdout
    entries = pybtex.database.parse_file(tmp_path / "out.bib").entries
    assert len(entries) == 25
    zhu = entries["zhu2025transformers"]
    assert zhu.fields["DOI"] == "10.48550/arXiv.2503.10622"
    assert zhu.fields["EPRINTTYPE"] == "arxiv" and zhu.fields["EPRINT"] == "2503.10622"
    assert zhu.fields["EPRINTCLASS"] == "cs.LG"  # primaryClass, as biblatex names it
    assert all(entry.fields["EPRINTTYPE"] == "arxiv" and entry.fields["DOI"]
               for entry in entries.values())


@pytest.mark.slow
def test_plain_bibtex_keeps_proper_nouns_capitalised(tmp_path, seeds_site):
    """A paper cited from a tiny LaTeX document, typeset with plain.bst (sentence case)."""
    require("pdflatex", "texlive-latex-base")
    require("bibtex", "texlive-binaries")
    require_tex_file("plain.bst", "texlive-base")
    shutil.copy(seeds_site / "refs.bib", tmp_path / "refs.bib")
    keys = {entry.fields["eprint"]: key for key, entry in
            pybtex.database.parse_file(tmp_path / "refs.bib").entries.items()}
    cited = ",".join(keys[arxiv_id] for arxiv_id in ("2503.05500", "2503.10633", "2503.07920"))
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\n\\usepackage[utf8]{inputenc}\n\\begin{document}\n"
        f"\\cite{{{cited}}}\n\\bibliographystyle{{plain}}\n\\bibliography{{refs}}\n\\end{{document}}\n")
    latex = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"]
    assert subprocess.run(latex, cwd=tmp_path, capture_output=True).returncode == 0
    run = subprocess.run(["bibtex", "doc"], cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout
    printed = " ".join(re.sub(r"[{}]", "", (tmp_path / "doc.bbl").read_text()).split())
    assert printed.count("\\bibitem") == 3
    for name in ("European languages", "Hugging Face's model atlas", "Southeast Asia"):
        assert name in printed, printed
    assert "encoders for european" not in printed.lower().replace("european languages", "")
    # Title Case words are not protected: plain still writes the title in sentence case.
    assert "Scaling multilingual encoders" in printed, printed
