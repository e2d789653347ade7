"""A site that stays readable as it grows: every list page bounded, every paper two clicks away.

The corpus is the benchmark's generator (benchmarks/synthetic.py); the pages are
the converter's (MyST, what Sphinx turns into HTML line for line).  Build speed
at 100 to 10,000 papers is measured by `make bench`, never here.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from benchmarks.synthetic import write_corpus, write_knowledge
from tools import layout
from tools.pipeline import convert
from tools.read import csl_styles
from tools.render import listings
from tools.render.pages import render_site

from .conftest import ROOT, build_report, copy_project, sphinx_build

SMALL, LARGE = 1200, 4800  # 4x: list pages may not grow by more than 1.2x
# Pages of fewer papers than the site's, so that most archive pages are full at both sizes
# (at 1,200 papers a topic holds about 40): what is tested is that a page's size is set by
# its page size, never by the corpus.  The corpus grows as a team's does, with time: a month
# per 100 papers (benchmarks/synthetic.py puts every size into 12 months by default).
LATEST, PAGE_SIZE = 10, 10
# Index pages list one line per page of a longer list (bibliography.md: per 100 papers) or
# per month (digests/index.md, months/index.md): they grow, by lines, and stay small.
INDEXES = {"bibliography.md", "digests/index.md", "months/index.md", "topics/index.md"}
INDEX_BUDGET = 16 * 1024
_LINK = re.compile(r"\]\(project:/([^)]+)\.md\)")


def _kind(path: str) -> str:
    """``topics/<slug>.md`` -> "topics/*", ``topics/<slug>/<n>.md`` -> "topics/*/*"."""
    parts = path.removesuffix(".md").split("/")
    if len(parts) == 1 or parts[-1] == "index":
        return path
    return "/".join(parts[:1] + ["*"] * (len(parts) - 1))


def _site(tmp_path: Path, papers: int) -> dict[str, str]:
    seeds, data = tmp_path / f"seeds-{papers}", tmp_path / f"docs-{papers}" / "_data"
    write_corpus(seeds, papers, months=papers // 100)
    write_knowledge(data)
    shutil.copytree(ROOT / "docs" / "_data" / csl_styles.FOLDER, data / csl_styles.FOLDER)
    result = convert(seeds, data.parent, write=False)
    assert result.knowledge is not None and not result.problems
    return {path: text for path, text in render_site(result.knowledge).items() if path.endswith(".md")}


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> tuple[dict[str, str], dict[str, str]]:
    base = tmp_path_factory.mktemp("growth")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(listings, "LATEST", LATEST)
        patch.setattr(listings, "PAGE_SIZE", PAGE_SIZE)
        return _site(base, SMALL), _site(base, LARGE)


@pytest.mark.slow
def test_no_list_page_grows_by_more_than_a_fifth_when_the_corpus_grows_fourfold(sites):
    small, large = sites
    largest: dict[str, dict[str, int]] = {}
    for size, site in (("small", small), ("large", large)):
        for path, text in site.items():
            if not path.startswith(f"{layout.PAPERS}/"):
                kind = largest.setdefault(_kind(path), {})
                kind[size] = max(kind.get(size, 0), len(text.encode()))
    assert {"topics/*", "topics/*/*", "terms/*", "terms/*/*", "months/*", "months/*/*",
            "bibliography/*", "index.md", "glossary.md", "digests/*"} <= set(largest)
    grown = {kind: sizes for kind, sizes in largest.items() if kind not in INDEXES
             and ("small" not in sizes or sizes["large"] > 1.2 * sizes["small"])}
    assert grown == {}
    assert {kind: largest[kind]["large"] for kind in INDEXES if largest[kind]["large"] > INDEX_BUDGET} == {}


@pytest.mark.slow
def test_every_paper_is_two_clicks_from_its_topic_month_and_digest_pages(sites):
    _, site = sites
    links = {path.removesuffix(".md"): set(_LINK.findall(text)) for path, text in site.items()}

    def within_two(head: str) -> set[str]:
        return links[head] | {far for near in links[head] if near in links for far in links[near]}

    papers = [path.removesuffix(".md") for path in site if path.startswith(f"{layout.PAPERS}/")]
    heads = {path.removesuffix(".md") for path in site if _kind(path) in ("topics/*", "months/*")}
    reach = {head: within_two(head) for head in heads}
    for paper in papers:
        text = site[f"{paper}.md"]
        own = {target for target in _LINK.findall(text) if target in heads}
        assert own, paper  # its month and topics, linked from the paper page
        assert all(paper in reach[head] for head in own), paper
    for path, text in site.items():  # no archive page holds more than a page's worth
        if _kind(path) in ("topics/*/*", "terms/*/*", "months/*/*"):
            assert len({t for t in _LINK.findall(text) if t.startswith("papers/")}) <= PAGE_SIZE


@pytest.mark.slow
def test_adding_a_digest_rereads_the_newest_pages_only_and_equals_a_clean_build(tmp_path):
    corpus = tmp_path / "corpus"
    digests = write_corpus(corpus, 650, months=3)  # 26 digests: months of 200 papers or more
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for digest in digests[:-1]:
        shutil.copy2(digest, seeds)
    shutil.copy2(corpus / "metadata.toml", seeds)
    project = copy_project(tmp_path / "project")
    write_knowledge(project / "docs" / "_data")
    sphinx_build(project, seeds, tmp_path / "out")
    before = {p.relative_to(project / "docs").as_posix() for p in (project / "docs").rglob("*.md")}

    shutil.copy2(digests[-1], seeds)
    sphinx_build(project, seeds, tmp_path / "out")
    read = set(build_report(tmp_path / "out")["read"])
    # The archive pages are cut from the oldest paper on: an older page keeps its papers.
    archives = [name for name in before if _kind(name).endswith("/*") and Path(name).stem.isdigit()]
    newest = {}
    for name in archives:
        folder = str(Path(name).parent)
        newest[folder] = max(newest.get(folder, 0), int(Path(name).stem))
    # Only the newest page of a list can gain papers (when it is not full): new papers are newer.
    # That holds for the bibliography's pages too, though a new digest changes refs.bib, which
    # sphinxcontrib-bibtex would make every one of them depend on (citation_styles.py).
    old_archives = {name.removesuffix(".md") for name in archives
                    if int(Path(name).stem) < newest[str(Path(name).parent)]}
    assert any(name.startswith(f"{layout.BIBLIOGRAPHY}/") for name in old_archives)
    assert old_archives and not read & old_archives, sorted(read & old_archives)
    pages = len(list((project / "docs").rglob("*.md")))
    assert len(read) < pages / 3, (len(read), pages)

    clean = copy_project(tmp_path / "clean")
    write_knowledge(clean / "docs" / "_data")
    sphinx_build(clean, seeds, tmp_path / "clean-out")
    incremental, fresh = _tree(tmp_path / "out" / "html"), _tree(tmp_path / "clean-out" / "html")
    assert sorted(incremental) == sorted(fresh)
    assert [name for name in fresh if incremental[name] != fresh[name]] == []


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_newest_archive_page_keeps_its_title_while_it_fills():
    """Each paper page shows its archive page's title: a title that moved with every digest
    rewrote every paper of the newest page (511 pages for one digest at 10,000 papers)."""
    from types import SimpleNamespace

    def papers(count: int) -> list:
        return [SimpleNamespace(date_text=f"2024-{1 + n // 28:02d}-{1 + n % 28:02d}",
                                arxiv_id=f"2401.{n:05d}")
                for n in range(count)]

    size = listings.PAGE_SIZE
    before = listings.listing("topics/t", papers(2 * size + 3)).pages
    after = listings.listing("topics/t", papers(2 * size + 4)).pages
    assert before[0].docname == after[0].docname and before[0].span != after[0].span
    assert before[0].heading == after[0].heading == f"{before[0].papers[-1].date_text} 起 · since " \
        f"{before[0].papers[-1].date_text}"
    # A full page is titled by its span, which no later paper changes.
    assert before[1].heading == before[1].span == after[1].heading
