"""Feeds and data: the Atom feed in a real feed parser, papers.json, sitemap, link previews,
favicon; digests named for readers; no developer paths on reader-facing pages."""

from __future__ import annotations

import datetime as dt
import json
import re

import feedparser
import pytest

from tools import layout
from tools.enrich.digest_names import describe
from tools.model import Digest
from tools.read import digest_titles
from tools.read.curated import KnowledgeError
from tools.read.metadata import PaperMeta

from .conftest import SEEDS, body_text, paper_page, soup

DIGEST_STEMS = sorted(path.stem for path in SEEDS.glob("*.txt"))


@pytest.mark.slow
def test_feed_parses_and_lists_every_digest(seeds_site, seed_entries):
    feed = feedparser.parse((seeds_site / layout.FEED).read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    pages = {entry.link.rsplit("/", 1)[-1] for entry in feed.entries}
    assert pages == {f"{stem}.html" for stem in DIGEST_STEMS}
    for entry in feed.entries:
        assert not re.search(r"[0-9a-f]{16}", entry.title), entry.title  # a human title, never the hash
        assert entry.content[0].value.count("<li>") >= 1
    listed = " ".join(entry.content[0].value for entry in feed.entries)
    for paper in {e.arxiv.id for e in seed_entries}:
        assert f"papers/{paper}.html" in listed


@pytest.mark.slow
def test_papers_json_holds_every_paper(seeds_site, seed_entries):
    data = json.loads((seeds_site / layout.PAPERS_JSON).read_text(encoding="utf-8"))
    assert {p["id"] for p in data["papers"]} == {e.arxiv.id for e in seed_entries}
    assert all((seeds_site / p["page"]).is_file() for p in data["papers"])
    assert sorted(d["name"] for d in data["digests"]) == DIGEST_STEMS
    assert [d["date"] for d in data["digests"]] == sorted(d["date"] for d in data["digests"])  # oldest first


@pytest.mark.slow
def test_sitemap_previews_and_favicon(seeds_site):
    sitemap = (seeds_site / "sitemap.xml").read_text(encoding="utf-8")
    assert sitemap.count("<loc>") >= 25 and "/papers/2503.10622.html</loc>" in sitemap
    page = soup(paper_page(seeds_site, "2503.10622"))
    assert page.find("meta", property="og:title")["content"] == "Transformers without Normalization"
    assert page.find("meta", property="og:url")["content"].endswith("papers/2503.10622.html")
    assert page.find("meta", attrs={"name": "twitter:card"})
    icon = page.find("link", rel="icon")
    assert icon and (seeds_site / "papers" / icon["href"]).resolve().is_file()
    assert page.find("link", rel="alternate", type="application/atom+xml")


@pytest.mark.slow
def test_no_developer_paths_or_hashes_on_reader_pages(seeds_site):
    for page in seeds_site.rglob("*.html"):
        html = soup(page)
        text = body_text(page)
        for path in ("seeds/", "docs/_data"):
            assert path not in text, (page, path)
        headings = [h.get_text() for h in html.select("h1, h2, h3")] + [html.title.get_text()]
        for stem in DIGEST_STEMS:
            assert not any(stem in h for h in headings), (page, stem)
            for link in html.select("a"):
                assert stem not in link.get_text(), (page, stem)


@pytest.mark.slow
def test_the_latest_digest_is_the_newest_on_the_home_page_and_first_in_the_feed(seeds_site):
    """第 0 期 (2025-03-27) is two weeks newer than 第 4 期 (2025-03-13): numbers are not dates."""
    home = soup(seeds_site / "index.html")
    (latest,) = [h2.get_text() for h2 in home.select("div.body h2") if h2.get_text().startswith("最新")]
    assert "第 0 期 · 2025-03-27" in latest, latest
    feed = feedparser.parse((seeds_site / layout.FEED).read_bytes())
    assert [entry.title.split(" · ")[:2] for entry in feed.entries] == [
        ["第 0 期", "2025-03-27"], ["第 4 期", "2025-03-13"]]
    assert feed.entries[0].updated_parsed > feed.entries[1].updated_parsed


def test_digests_are_in_time_order_with_the_number_as_tie_break(tmp_path):
    def digest(name: str, *ids: str) -> Digest:
        return Digest(name, tmp_path / f"{name}.txt", ids)

    dates = {"2503.00001": "2025-03-27", "2503.00002": "2025-03-13", "2503.00003": "2025-03-13"}
    metadata = {pid: PaperMeta(pid, "T", (), published=dt.date.fromisoformat(day))
                for pid, day in dates.items()}
    listed = (digest("000_new", "2503.00001"), digest("007_later_that_day", "2503.00003"),
              digest("004_old", "2503.00002"), digest("002_month_only", "2502.00009"))
    ordered = describe(listed, metadata, {})
    assert [d.name for d in ordered] == ["002_month_only", "004_old", "007_later_that_day", "000_new"]
    # a date from the data file wins over the papers' dates
    data = {"000_new": digest_titles.DigestData(date=dt.date(2025, 1, 2))}
    assert [d.name for d in describe(listed, metadata, data)][:2] == ["000_new", "002_month_only"]


def test_digest_titles_are_derived_or_read_from_the_data_file(tmp_path):
    listed = (Digest("000_aaaa", tmp_path / "000_aaaa.txt", ("2503.10622",)),
              Digest("004_bbbb", tmp_path / "004_bbbb.txt", ("2503.07536", "2503.99999")))
    derived = describe(listed, {}, {})
    assert [d.title for d in derived] == ["第 0 期 · 2025-03 · 1 篇", "第 4 期 · 2025-03 · 2 篇"]
    data_file = tmp_path / digest_titles.FILENAME
    data_file.write_text('["004_bbbb"]\ntitle = "多模态专刊"\ndate = 2025-03-24\n', encoding="utf-8")
    given = describe(listed, {}, digest_titles.load(data_file))
    assert given[1].title == "多模态专刊" and given[1].summary == "第 4 期 · 2025-03-24 · 2 篇"
    assert digest_titles.load(tmp_path / "absent.toml") == {}
    data_file.write_text('["004_bbbb"]\ncolour = "red"\n', encoding="utf-8")
    with pytest.raises(KnowledgeError):
        digest_titles.load(data_file)
    assert dt.date(2025, 3, 24).isoformat() == "2025-03-24"
