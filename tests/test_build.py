"""The site built from the shipped seeds, checked on its HTML."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest

from tools.read.markup import Math, plain_text, tokenize

from .conftest import body_text, paper_page, paper_pages, soup

pytestmark = pytest.mark.slow


def _normalise(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _section(html, heading: str):
    """The <section> whose heading ends with ``heading``."""
    for section in html.select("div.body section section"):
        title = section.find(["h2", "h3"])
        if title and title.get_text().rstrip("¶#").strip().endswith(heading):
            return section
    raise AssertionError(f"no section {heading!r}")


def test_one_page_per_paper(seeds_site, seed_entries):
    pages = sorted(p.stem for p in paper_pages(seeds_site))
    assert pages == sorted({e.arxiv.id for e in seed_entries})
    assert len(pages) == 25


def test_paper_page_shows_the_entry(seeds_site, seed_entries):
    for entry in seed_entries:
        page = paper_page(seeds_site, entry.arxiv.id)
        html = soup(page)
        assert html.select_one("div.body h1").get_text().rstrip("¶#") == entry.title
        assert html.title.get_text().startswith(entry.title)
        text = _normalise(body_text(page))
        assert _normalise(entry.title_zh) in text
        abstract = _section(html, "Abstract")
        for formula in abstract.select("span.math"):
            formula.decompose()
        abstract_text = _normalise(abstract.get_text())
        hrefs = {a["href"] for a in html.select("div.body a[href]")}
        assert f"https://arxiv.org/abs/{entry.arxiv.id}" in hrefs
        assert f"https://arxiv.org/pdf/{entry.arxiv.id}" in hrefs
        assert f"https://arxiv.org/html/{entry.arxiv.id}" in hrefs
        for paragraph in entry.abstract:
            tokens = tokenize(paragraph)
            readable = plain_text([t for t in tokens if not isinstance(t, Math)])
            assert _normalise(readable) in abstract_text, entry.arxiv.id


def test_no_raw_markup_in_rendered_text(seeds_site):
    for page in paper_pages(seeds_site):
        body = soup(page).select_one("div.body")
        for node in body.select("div.highlight, span.math"):
            node.decompose()  # the BibTeX block and formulas are meant to hold TeX
        text = body.get_text()
        for raw in (r"\textbf", r"\%", r"\href", r"\color", "**", "$"):
            assert raw not in text, (page.name, raw)


def test_markup_is_rendered(seeds_site):
    lmm = soup(paper_page(seeds_site, "2503.07536"))
    assert "4.83%" in lmm.select_one("div.body").get_text()
    yue = soup(paper_page(seeds_site, "2503.08638"))
    assert [s.get_text() for s in _section(yue, "Abstract").select("strong")] == ["歌词转歌曲"]
    dyt = soup(paper_page(seeds_site, "2503.10622"))
    # MathML rendered at build time, its TeX kept only as alttext
    assert [m.select_one("math")["alttext"] for m in dyt.select("span.math")] == [r"DyT(x) = \tanh(\alpha x)"]
    formula = dyt.select_one("span.math")
    assert "tanh" in formula.get_text() and "\\" not in formula.get_text()
    survey = soup(paper_page(seeds_site, "2503.17407"))
    link = survey.find("a", string="LCLM-Horizon")
    assert link["href"].startswith("https://github.com/LCLM-Horizon/")
    # code and project links are listed in their own section too
    assert _section(survey, "Code and project links").find("a", href=link["href"])


def test_citations_resolve_to_the_bibliography(seeds_site):
    bibliography = soup(seeds_site / "bibliography.html")
    anchors = {tag["id"] for tag in bibliography.select("div.body [id]")}
    cited = 0
    for page in paper_pages(seeds_site):
        for link in soup(page).select("div.body a[href*='bibliography.html#']"):
            assert urlsplit(link["href"]).fragment in anchors, (page.name, link["href"])
            cited += 1
        assert "??" not in soup(page).select_one("div.body").get_text()
    assert cited >= 25  # every paper page cites itself ("Cite as")
    assert len(bibliography.select("div.citation, div[role=list] > div")) >= 25


def test_bibtex_export_linked_from_home_and_every_paper(seeds_site):
    assert (seeds_site / "refs.bib").is_file()
    for page in [seeds_site / "index.html", *paper_pages(seeds_site)]:
        targets = {urljoin(page.relative_to(seeds_site).as_posix(), a["href"])
                   for a in soup(page).select("div.body a[href]")}
        assert "refs.bib" in targets, page.name
    block = soup(paper_page(seeds_site, "2503.10622")).select_one("div.highlight-bibtex pre")
    assert block is not None and "eprint = {2503.10622}" in block.get_text()


def test_every_paper_is_reachable_through_the_toctree(seeds_site):
    """Follow the "next" links Sphinx derives from the toctree, from the root page."""
    seen, page = [], "index.html"
    while page and page not in seen:
        seen.append(page)
        link = soup(seeds_site / page).find("link", rel="next")
        page = urljoin(page, link["href"]) if link else None
    papers = {p for p in seen if p.startswith("papers/")}
    assert len(papers) == 25
    for name in ("topics/index.html", "digests/index.html", "bibliography.html", "glossary.html"):
        assert name in seen


def test_topics_and_digests(seeds_site, seed_entries):
    for entry in seed_entries:
        html = soup(paper_page(seeds_site, entry.arxiv.id))
        topic_links = [a["href"] for a in html.select("div.body a[href*='topics/']")]
        assert topic_links, entry.arxiv.id
        for href in topic_links:
            topic = soup(seeds_site / "papers" / urlsplit(href).path)
            assert any(entry.arxiv.id in a["href"] for a in topic.select("div.body a[href]"))
    for digest in ("000_e56da8a24bb505c2", "004_ad890f935f0d4d32"):
        page = soup(seeds_site / "digests" / f"{digest}.html")
        listed = [urlsplit(a["href"]).path.rsplit("/", 1)[-1].removesuffix(".html")
                  for a in page.select("div.body div.paperkb-card a[href*='papers/']")]
        expected = [e.arxiv.id for e in seed_entries if e.source.path.stem == digest]
        assert listed == expected


def test_paper_pages_stay_small(seeds_site):
    """Bounded navigation: a paper page does not link every other paper."""
    for page in paper_pages(seeds_site):
        links = soup(page).select("a[href*='papers/'], a[href^='2']")
        assert len(links) <= 12, page.name


def test_the_paths_other_tools_rely_on(seeds_site):
    """README.md, "Contracts": written out here on purpose, not taken from tools/layout.py."""
    assert (seeds_site / "papers" / "2503.10622.html").is_file()
    assert (seeds_site / "refs.bib").is_file() and (seeds_site / "search.html").is_file()
