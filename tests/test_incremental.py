"""Incremental builds: nothing re-done without a change, and the same site as a clean build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tools.read.parse import parse_file
from tools.render.lookups import months as months_of

from .conftest import SEEDS, build_report, copy_project, paper_page, sphinx_build

pytestmark = pytest.mark.slow

DIGESTS = sorted(SEEDS.glob("*.txt"))


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
            for p in folder.rglob("*") if p.is_file()}


def test_second_build_without_change_rewrites_and_rereads_nothing(tmp_path):
    project = copy_project(tmp_path / "project")
    sphinx_build(project, SEEDS, tmp_path / "out")
    generated_before = _mtimes(project / "docs")
    html_before = _mtimes(tmp_path / "out" / "html")
    sphinx_build(project, SEEDS, tmp_path / "out")
    report = build_report(tmp_path / "out")
    assert report["converter"]["written"] == [] and report["converter"]["removed"] == []
    assert report["read"] == [] and report["written"] == []
    assert _mtimes(project / "docs") == generated_before
    pages_after = _mtimes(tmp_path / "out" / "html")
    assert {k: v for k, v in pages_after.items() if k.startswith("papers/")} == \
           {k: v for k, v in html_before.items() if k.startswith("papers/")}


def test_adding_a_digest_gives_the_clean_build(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy2(DIGESTS[0], seeds)
    project = copy_project(tmp_path / "project")
    sphinx_build(project, seeds, tmp_path / "incremental")
    first = _tree(tmp_path / "incremental" / "html")
    assert sum(name.startswith("papers/") and name.endswith(".html") for name in first) == 10

    shutil.copy2(DIGESTS[1], seeds)
    sphinx_build(project, seeds, tmp_path / "incremental")
    # Re-read: the 15 new papers, their digest page, the pages listing them (digest
    # index, topics, glossary, bibliography), and the papers whose related list changed.
    report = build_report(tmp_path / "incremental")
    read, written = set(report["read"]), set(report["written"])
    new_papers = {f"papers/{entry.arxiv.id}" for entry in parse_file(DIGESTS[1]).entries}
    assert len(new_papers) == 15
    assert new_papers | {f"digests/{DIGESTS[1].stem}", "digests/index"} <= read <= written
    # Citation anchors are named by key (bibtex_cite_id), so entries added to the
    # bibliography do not move every page's link: some old pages are left as they were.
    old_papers = {name.removesuffix(".html") for name in first if name.startswith("papers/")
                  and name.endswith(".html")}
    assert old_papers - written

    clean_project = copy_project(tmp_path / "clean-project")
    sphinx_build(clean_project, seeds, tmp_path / "clean")
    incremental, clean = _tree(tmp_path / "incremental" / "html"), _tree(tmp_path / "clean" / "html")
    assert sorted(incremental) == sorted(clean)
    differing = [name for name in clean if incremental[name] != clean[name]]
    assert differing == []
    # ...and pages whose own source did not change were rewritten where their context changed.
    assert first["papers/2503.19757.html"] != incremental["papers/2503.19757.html"]


def test_removing_a_digest_removes_its_pages(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    project = copy_project(tmp_path / "project")
    sphinx_build(project, seeds, tmp_path / "out")
    (seeds / DIGESTS[1].name).unlink()
    sphinx_build(project, seeds, tmp_path / "out")
    generated = {p.stem for p in (project / "docs" / "papers").glob("*.md")}
    assert len(generated) == 10 and "2503.10622" not in generated
    html = tmp_path / "out" / "html"
    assert not (paper_page(html, "2503.10622")).exists()
    assert not (html / "papers" / "2503.10622.bib").exists()
    clean_project = copy_project(tmp_path / "clean-project")
    sphinx_build(clean_project, seeds, tmp_path / "clean")
    incremental, clean = _tree(html), _tree(tmp_path / "clean" / "html")
    assert sorted(incremental) == sorted(clean)
    assert [name for name in clean if incremental[name] != clean[name]] == []


def test_adding_a_digest_rereads_only_what_it_changes(tmp_path):
    """A synthetic corpus (32 subfields, benchmarks/synthetic.py) of 200 papers, then a 25-paper digest.

    Sphinx must re-read the new papers, the pages that list them (home, digest
    index, its digest, its months, its topics, the glossary, the bibliography),
    the pages that link to their neighbours (the previous digest, the months
    next to its months) and the old papers whose related list the new ones
    enter, as the converter computes it, and nothing else; and the site must
    equal a clean build's.
    """
    from benchmarks.synthetic import write_corpus, write_knowledge
    from tools import layout
    from tools.pipeline import check
    from tools.render.pages import term_docnames

    digests = write_corpus(tmp_path / "corpus", 225, per_digest=25)
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for digest in digests[:-1]:
        shutil.copy2(digest, seeds)
    project = copy_project(tmp_path / "project")
    write_knowledge(project / "docs" / "_data")
    sphinx_build(project, seeds, tmp_path / "incremental")
    before = check(seeds, project / "docs").knowledge

    shutil.copy2(digests[-1], seeds)
    after = check(seeds, project / "docs").knowledge
    assert before and after
    sphinx_build(project, seeds, tmp_path / "incremental")
    read = set(build_report(tmp_path / "incremental")["read"])

    new = after.papers.keys() - before.papers.keys()
    assert len(new) == 25
    entered = {pid for pid in before.papers if after.papers[pid].related != before.papers[pid].related}
    months = months_of(after)
    new_months = {months.index(after.papers[pid].month) for pid in new}
    term_pages = term_docnames(after.glossary)
    listing = {"index", "glossary", "bibliography", f"{layout.DIGESTS}/index", f"{layout.MONTHS}/index",
               f"{layout.TOPICS}/index", f"{layout.DIGESTS}/{digests[-1].stem}",
               f"{layout.DIGESTS}/{digests[-2].stem}",
               *(layout.month_docname(month) for at in new_months for month in months[max(at - 1, 0):at + 2]),
               *(layout.topic_docname(slug) for pid in new for slug in after.papers[pid].topics),
               *(term_pages[term] for pid in new for term in after.papers[pid].terms)}
    # ...and the archive pages of those lists (render/listings.py), when they have any
    listing |= {name for name in read if name.rpartition("/")[0] in listing}
    papers_read = {name for name in read if name.startswith(f"{layout.PAPERS}/")}
    assert papers_read == {after.papers[pid].page for pid in new | entered}
    assert read - papers_read <= listing
    # Lists change only where a new paper enters them (ties go to the older paper, so
    # old papers never swap places).  With 200 papers over 32 subfields a subfield has
    # a few papers and a new one often enters their top 5 (here about 40 % of the lists);
    # at 1,000 papers a digest enters about 6 % of them, at 10,000 0.2 % (make bench).
    for pid in entered:
        assert set(after.papers[pid].related) - set(before.papers[pid].related) <= new

    clean_project = copy_project(tmp_path / "clean-project")
    write_knowledge(clean_project / "docs" / "_data")
    sphinx_build(clean_project, seeds, tmp_path / "clean")
    assert len(read) < len(build_report(tmp_path / "clean")["read"]) / 2  # of the site's documents
    incremental, clean = _tree(tmp_path / "incremental" / "html"), _tree(tmp_path / "clean" / "html")
    assert sorted(incremental) == sorted(clean)
    assert [name for name in clean if incremental[name] != clean[name]] == []


def test_an_entry_changed_in_the_metadata_is_formatted_anew_on_the_pages_showing_it(tmp_path):
    """Formatted bibliography entries are kept between builds (citation_styles.py), and the
    bibliography page does not depend on refs.bib: an edited author must still reach it."""
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    project = copy_project(tmp_path / "project")
    sphinx_build(project, seeds, tmp_path / "incremental")
    metadata = seeds / "metadata.toml"
    text = metadata.read_text(encoding="utf-8")
    assert text.count('"Andrey Sakhovskiy"') == 1  # not the first author: the cite key stays
    metadata.write_text(text.replace('"Andrey Sakhovskiy"', '"Andrei Sakhovskiy"'), encoding="utf-8")
    sphinx_build(project, seeds, tmp_path / "incremental")
    report = build_report(tmp_path / "incremental")
    # Its source did not change (it lists keys), so it is not re-read, but it is rewritten.
    assert "bibliography" not in report["read"] and "bibliography" in report["written"]
    page = (tmp_path / "incremental" / "html" / "bibliography.html").read_text(encoding="utf-8")
    assert "Andrei Sakhovskiy" in page and "Andrey Sakhovskiy" not in page

    clean_project = copy_project(tmp_path / "clean-project")
    sphinx_build(clean_project, seeds, tmp_path / "clean")
    incremental, clean = _tree(tmp_path / "incremental" / "html"), _tree(tmp_path / "clean" / "html")
    assert sorted(incremental) == sorted(clean)
    assert [name for name in clean if incremental[name] != clean[name]] == []
