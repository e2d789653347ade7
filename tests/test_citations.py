"""Citations on the built site, checked with the clients people cite with."""

from __future__ import annotations

import json
import shutil
import subprocess

import bibtexparser
import pybtex.database
import pytest

from tools.read import metadata
from tools.read.names import split_name

from .conftest import (
    SEEDS,
    copy_project,
    paper_page,
    paper_pages,
    require,
    require_tex_file,
    run_bibtex,
    soup,
    sphinx_build,
)

pytestmark = pytest.mark.slow

METADATA = metadata.load(SEEDS / metadata.FILENAME)


def test_every_shipped_paper_has_metadata():
    assert len(METADATA) == 25
    assert all(meta.authors and meta.published for meta in METADATA.values())


def test_refs_bib_round_trips_keys_authors_titles(seeds_site):
    text = (seeds_site / "refs.bib").read_text(encoding="utf-8")
    pybtex_data = pybtex.database.parse_string(text, "bibtex")
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    assert [e.key for e in library.entries] == list(pybtex_data.entries)
    assert len(set(pybtex_data.entries)) == 25
    by_eprint = {entry.fields["eprint"]: entry for entry in pybtex_data.entries.values()}
    for arxiv_id, meta in METADATA.items():
        entry = by_eprint[arxiv_id]
        assert len(entry.persons["author"]) == len(meta.authors)
        fields = {name.lower(): value for name, value in entry.fields.items()}
        assert fields.get("primaryclass") == meta.primary_category  # only where known
        assert fields["year"] == str(meta.published.year)
    zhu = pybtex_data.entries["zhu2025transformers"]
    assert [str(p) for p in zhu.persons["author"]] == [
        "Zhu, Jiachen", "Chen, Xinlei", "He, Kaiming", "LeCun, Yann", "Liu, Zhuang"]
    assert pybtex_data.entries["gupta2025costa"].fields["title"].startswith("{CoSTA*}:")


def test_bibtex_run_has_no_error_and_no_warning(tmp_path, seeds_site):
    run, log, bbl = run_bibtex(seeds_site / "refs.bib", tmp_path)
    assert run.returncode == 0, run.stdout
    assert "error message" not in log and "Warning--" not in log, log
    assert bbl.count("\\bibitem") == 25


def test_biber_with_biblatex(tmp_path, seeds_site):
    require("pdflatex", "texlive-latex-base")
    require("biber", "biber")
    require_tex_file("biblatex.sty", "texlive-bibtex-extra")
    require_tex_file("etoolbox.sty", "texlive-latex-recommended")
    shutil.copy(seeds_site / "refs.bib", tmp_path / "refs.bib")
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\n\\usepackage[utf8]{inputenc}\n"
        "\\usepackage[backend=biber,style=authoryear]{biblatex}\n\\addbibresource{refs.bib}\n"
        "\\begin{document}\n\\nocite{*}\n\\printbibliography\n\\end{document}\n")
    latex = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"]
    assert subprocess.run(latex, cwd=tmp_path, capture_output=True).returncode == 0
    biber = subprocess.run(["biber", "doc"], cwd=tmp_path, capture_output=True, text=True)
    assert biber.returncode == 0, biber.stdout
    assert "ERROR" not in biber.stdout and "WARN" not in biber.stdout, biber.stdout
    second = subprocess.run(latex, cwd=tmp_path, capture_output=True, text=True)
    assert second.returncode == 0, second.stdout[-3000:]
    assert (tmp_path / "doc.bbl").read_text().count("\\entry{") == 25


@pytest.mark.parametrize("bibliography", ["refs.json", "refs.bib"])
def test_pandoc_citeproc_renders_every_entry_with_authors(tmp_path, seeds_site, bibliography):
    require("pandoc", "pandoc")
    shutil.copy(seeds_site / bibliography, tmp_path / bibliography)
    (tmp_path / "all.md").write_text('---\nnocite: "[@*]"\n---\n')
    run = subprocess.run(["pandoc", "all.md", "--citeproc", "--bibliography", bibliography,
                          "-t", "plain", "--wrap=none"], cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 0 and not run.stderr, run.stderr
    lines = [line for line in run.stdout.splitlines() if line.strip()]
    assert len(lines) == 25
    for meta in METADATA.values():
        family, _ = split_name(meta.authors[0])
        assert any(line.startswith(family) and meta.arxiv_id in line for line in lines), meta.arxiv_id


def test_csl_json(seeds_site):
    items = json.loads((seeds_site / "refs.json").read_text(encoding="utf-8"))
    assert len(items) == 25
    zhu = next(item for item in items if item["id"] == "zhu2025transformers")
    assert zhu["author"][3] == {"family": "LeCun", "given": "Yann"}
    assert zhu["issued"] == {"date-parts": [[2025, 3, 13]]}
    assert zhu["number"] == "arXiv:2503.10622" and zhu["DOI"] == "10.48550/arXiv.2503.10622"


def test_highwire_meta_tags(seeds_site):
    head = soup(paper_page(seeds_site, "2503.10622")).head
    tags = [(m["name"], m["content"]) for m in head.find_all("meta", attrs={"name": True})
            if m["name"].startswith("citation_")]
    assert ("citation_title", "Transformers without Normalization") in tags
    assert [c for n, c in tags if n == "citation_author"] == [
        "Zhu, Jiachen", "Chen, Xinlei", "He, Kaiming", "LeCun, Yann", "Liu, Zhuang"]
    assert ("citation_publication_date", "2025/03/13") in tags
    assert ("citation_arxiv_id", "2503.10622") in tags
    assert ("citation_pdf_url", "https://arxiv.org/pdf/2503.10622") in tags
    for page in paper_pages(seeds_site):
        names = [m["name"] for m in soup(page).head.find_all("meta", attrs={"name": True})]
        assert names.count("citation_author") == len(METADATA[page.stem].authors)


def test_cite_block_and_downloads(seeds_site):
    page = soup(paper_page(seeds_site, "2503.10622"))
    block = page.select_one("div.highlight-bibtex pre").get_text()
    assert block.startswith("@misc{zhu2025transformers,")
    assert (seeds_site / "_static" / "copybutton.js").is_file()  # the copy button
    hrefs = {a["href"] for a in page.select("div.body a[href]")}
    assert {"2503.10622.bib", "../refs.bib", "../refs.json"} <= hrefs
    single = pybtex.database.parse_file(seeds_site / "papers" / "2503.10622.bib")
    assert list(single.entries) == ["zhu2025transformers"]
    for topic in (seeds_site / "topics").glob("*.bib"):
        listed = soup(seeds_site / "topics" / f"{topic.stem}.html").select("div.body div.paperkb-card")
        assert len(pybtex.database.parse_file(topic).entries) == len(listed)


def test_lists_show_authors_as_searches_and_the_full_date(seeds_site):
    """Topic and digest pages show a paper as every list does: authors, date, id; no citation
    label glued to the title."""
    for page in (seeds_site / "topics" / "language-models.html",
                 seeds_site / "digests" / "004_ad890f935f0d4d32.html"):
        (card,) = [card for card in soup(page).select("div.body div.paperkb-card")
                   if "2503.10622" in card.get_text()]
        searches = [(a.get_text(), a["href"]) for a in card.select("a[href*='search.html']")]
        assert searches[0] == ("Jiachen Zhu", "../search.html?q=Jiachen%20Zhu"), searches
        assert len(searches) == 3 and "et al." in card.get_text()
        assert "2025-03-13 · 2503.10622" in " ".join(card.get_text().split())
        assert "Zhu et al. (2025)" not in card.get_text()


def test_bibliography_lists_authors_and_shortens_long_lists(seeds_site):
    entries = [" ".join(c.get_text().split())
               for c in soup(seeds_site / "bibliography.html").select("div.citation")]
    assert len(entries) == 25
    zhu = next(e for e in entries if "Transformers without normalization" in e)
    assert "Jiachen Zhu, Xinlei Chen, Kaiming He, Yann LeCun, and Zhuang Liu" in zhu
    sea = next(e for e in entries if "SEA-VL" in e)  # 92 authors: the first seven, et al.
    assert "Thant Thiri Maung, Frederikus Hudi, et al." in sea and "Anugraha" not in sea


def test_bibliography_keeps_proper_nouns_capitalised(seeds_site):
    """The site's style writes titles in sentence case; names keep their capitals."""
    entries = " ".join(" ".join(c.get_text().split())
                       for c in soup(seeds_site / "bibliography.html").select("div.citation"))
    for name in ("for European languages", "for Southeast Asia", "Hugging Face's model atlas",
                 "ICD coding in Russian", "EuroBERT: scaling multilingual encoders"):
        assert name in entries, name
    for lowered in ("european", "southeast asia", "hugging face", "russian"):
        assert lowered not in entries, lowered


def _entry_links(page_path):
    """(arXiv id, the page each link of an entry leads to, or its URL) per bibliography entry."""
    for entry in soup(page_path).select("div.citation"):
        text = " ".join(entry.get_text().split())
        arxiv_id = text.split("arXiv:", 1)[1].split(",", 1)[0]
        targets = [(page_path.parent / a["href"]).resolve() if "://" not in a["href"] else a["href"]
                   for a in entry.select("a[href]")]
        yield arxiv_id, targets


def test_bibliography_entries_link_to_the_papers_pages(tmp_path, seeds_site):
    """On the one-page bibliography and on the pages of a paged one (another folder depth)."""
    site = seeds_site
    for arxiv_id, targets in _entry_links(site / "bibliography.html"):
        assert targets == [paper_page(site, arxiv_id).resolve()], (arxiv_id, targets)
    project = copy_project(tmp_path / "project")
    listings = project / "tools" / "render" / "listings.py"
    source = listings.read_text(encoding="utf-8")
    assert "BIBLIOGRAPHY_PAGE_SIZE = 100" in source
    listings.write_text(source.replace("BIBLIOGRAPHY_PAGE_SIZE = 100", "BIBLIOGRAPHY_PAGE_SIZE = 10"),
                        encoding="utf-8")
    sphinx_build(project, SEEDS, tmp_path / "out")
    paged = tmp_path / "out" / "html"
    pages = sorted((paged / "bibliography").glob("*.html"))
    seen = []
    for page in pages:
        for arxiv_id, targets in _entry_links(page):
            assert targets == [paper_page(paged, arxiv_id).resolve()], (page, arxiv_id, targets)
            assert targets[0].is_file()
            seen.append(arxiv_id)
    assert len(pages) == 3 and sorted(seen) == sorted(METADATA)


# --- The bibliography as readers read it ------------------------------------------------------

@pytest.mark.slow
def test_the_bibliography_and_tooltips_show_braces_and_dollars_as_characters(hostile_site):
    from .conftest import soup

    shown = 'Title with * _ [ ] < > & " { } % # ~ \\ characters'  # the style's sentence case
    page = soup(hostile_site / "bibliography.html")
    assert any(shown in item.get_text(" ") for item in page.select("div.citation, dd, p")), shown
    assert "textbraceleft" not in page.get_text() and "\\$" not in page.get_text()
    tooltips = [a["title"] for a in soup(paper_page(hostile_site, "2503.99003")).find_all(
        "a", title=True) if "99003" in a["title"]]
    assert tooltips and all(shown in title for title in tooltips), tooltips


@pytest.mark.slow
def test_the_bibliography_and_tooltips_show_formulas_as_text(hostile_site):
    """A bibliography shows no MathML: "$O(n^2)$ ... $\\tanh(\\alpha x)$" reads as O(n^2) ... tanh(αx)."""
    from .conftest import soup

    page = soup(hostile_site / "bibliography.html")
    (entry,) = [item.get_text(" ") for item in page.select("div.citation") if "2503.99006" in item.get_text()]
    assert "O(n^2) attention with tanh(αx) gates" in entry and "$" not in entry and "\\" not in entry
    tooltips = [a["title"] for a in soup(paper_page(hostile_site, "2503.99006")).find_all(
        "a", title=True) if "2503.99006" in a["title"]]
    assert tooltips and all("tanh(αx)" in title and "$" not in title for title in tooltips), tooltips
