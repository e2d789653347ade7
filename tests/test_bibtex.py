"""BibTeX export: keys, LaTeX safety, and round trips through real clients."""

from __future__ import annotations

import shutil
import subprocess

import bibtexparser
import pybtex.database
import pytest
from pylatexenc import latex2text

from tools import bibtex
from tools.bibtex import Citation

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
                 Citation("2503.10623", "Transformers", authors=(("Zhu", "Jiachen"),), year=2025),
                 Citation("2503.10624", "The Transformers again", authors=(("Zhu", "J."),), year=2025),
                 Citation("hep-th/9901001", "Old")]
    keys = bibtex.assign_keys(citations)
    assert keys == {"2503.10622": "arxiv2503.10622", "2503.10623": "zhu2025transformers",
                    "2503.10624": "zhu2025transformers2503.10624",
                    "hep-th/9901001": "arxivhep-th9901001"}


def test_keys_do_not_depend_on_other_papers_read_order():
    a = [Citation(f"2503.{n:05d}", f"Paper {n}") for n in range(10)]
    assert bibtex.assign_keys(a) == bibtex.assign_keys(list(reversed(a)))


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
    text = bibtex.write_one(Citation("2503.10622", "Transformers without Normalization"), "k")
    fields = bibtexparser.parse_string(text).entries[0].fields_dict
    assert {name: fields[name].value for name in ("year", "eprint", "archivePrefix", "url")} == {
        "year": "2025", "eprint": "2503.10622", "archivePrefix": "arXiv",
        "url": "https://arxiv.org/abs/2503.10622"}
    assert "month = mar," in text  # the month macro, unbraced


def test_real_bibtex_run(tmp_path, seeds_site):
    """`bibtex` on the site's refs.bib: every entry formatted, no error, no warning."""
    if shutil.which("bibtex") is None:
        pytest.fail("bibtex is not installed (Debian: texlive-binaries texlive-base); .ci/run installs it")
    shutil.copy(seeds_site / "refs.bib", tmp_path / "refs.bib")
    (tmp_path / "job.aux").write_text("\\relax\n\\citation{*}\n\\bibstyle{plain}\n\\bibdata{refs}\n")
    run = subprocess.run(["bibtex", "job"], cwd=tmp_path, capture_output=True, text=True)
    log = (tmp_path / "job.blg").read_text()
    assert run.returncode == 0, run.stdout
    assert "error" not in log.lower() and "Warning--" not in log, log
    assert (tmp_path / "job.bbl").read_text().count("\\bibitem") == 25


def test_site_refs_bib_loads_in_both_libraries(seeds_site):
    text = (seeds_site / "refs.bib").read_text(encoding="utf-8")
    pybtex_data = pybtex.database.parse_string(text, "bibtex")
    library = bibtexparser.parse_string(text)
    assert len(pybtex_data.entries) == 25
    assert not library.failed_blocks
    keys = [entry.key for entry in library.entries]
    assert len(set(keys)) == 25
    assert sorted(keys) == sorted(pybtex_data.entries)
