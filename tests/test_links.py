"""Links: every internal link and #anchor of a built site resolves (an offline check), and
the links and anchors the extension makes (tools/sphinxext/roles.py, anchors.py)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from .conftest import soup


def broken_links(site: Path) -> list[str]:
    pages = {p.relative_to(site).as_posix(): soup(p) for p in site.rglob("*.html")}
    ids = {name: {tag["id"] for tag in page.find_all(id=True)} |
           {tag["name"] for tag in page.find_all("a", attrs={"name": True})}
           for name, page in pages.items()}
    broken = []
    for name, page in pages.items():
        for tag, attribute in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
            for element in page.find_all(tag, attrs={attribute: True}):
                target = urlsplit(urljoin(name, element[attribute]))
                if target.scheme or target.netloc:
                    continue  # external: not checked offline
                path = unquote(target.path) or name
                if not (site / path).is_file():
                    broken.append(f"{name}: {element[attribute]} (no file {path})")
                elif target.fragment and path.endswith(".html") and \
                        unquote(target.fragment) not in ids.get(path, set()):
                    broken.append(f"{name}: {element[attribute]} (no #{target.fragment} in {path})")
    return broken


@pytest.mark.slow
def test_seeds_site_has_no_broken_internal_link(seeds_site):
    assert broken_links(seeds_site) == []


@pytest.mark.slow
def test_hostile_site_has_no_broken_internal_link(hostile_site):
    assert broken_links(hostile_site) == []


def test_the_check_finds_broken_links(tmp_path):
    (tmp_path / "index.html").write_text(
        '<a href="missing.html">x</a><a href="index.html#nowhere">y</a><a id="here" href="#here">z</a>'
        '<a href="https://example.org/">external</a>')
    assert broken_links(tmp_path) == ["index.html: missing.html (no file missing.html)",
                                      "index.html: index.html#nowhere (no #nowhere in index.html)"]


@pytest.mark.sphinx("html", testroot="pagelinks")
def test_site_files_are_linked_from_every_depth_and_sections_keep_their_fixed_ids(app):
    app.build()
    assert not app.warning.getvalue()
    home = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert [a["href"] for a in home.select("div.body a.external")] == ["refs.bib"]
    paper = BeautifulSoup((app.outdir / "papers" / "one.html").read_text(encoding="utf-8"), "html.parser")
    assert [(a["href"], a.get_text()) for a in paper.select("div.body a.external")] == [
        ("one.bib", "BibTeX"), ("../refs.bib", "all")]
    assert paper.select_one("section#title-zh h2").get_text().startswith("一篇论文")
    assert paper.select_one("section#abstract h2").get_text().startswith("摘要")
    assert len(paper.select("section#abstract")) == 1  # the other 摘要 heading has an id of its own

