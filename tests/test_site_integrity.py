"""Offline link check: every internal link and #anchor of a built site resolves."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from .conftest import soup

pytestmark = pytest.mark.slow


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


def test_seeds_site_has_no_broken_internal_link(seeds_site):
    assert broken_links(seeds_site) == []


def test_hostile_site_has_no_broken_internal_link(hostile_site):
    assert broken_links(hostile_site) == []


def test_the_check_finds_broken_links(tmp_path):
    (tmp_path / "index.html").write_text(
        '<a href="missing.html">x</a><a href="index.html#nowhere">y</a><a id="here" href="#here">z</a>'
        '<a href="https://example.org/">external</a>')
    assert broken_links(tmp_path) == ["index.html: missing.html (no file missing.html)",
                                      "index.html: index.html#nowhere (no #nowhere in index.html)"]
