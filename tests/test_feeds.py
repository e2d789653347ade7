"""Feeds and data: the Atom feed in a real feed parser, papers.json, sitemap, link previews,
favicon; digests named for readers; no developer paths on reader-facing pages."""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.parse

import feedparser
import jsonschema
import pytest
from lxml import etree

from tools import layout
from tools.enrich.digest_names import describe
from tools.model import Digest
from tools.read import digest_titles
from tools.read.curated import KnowledgeError
from tools.read.metadata import PaperMeta

from .conftest import ROOT, SEEDS, body_text, paper_page, soup

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
SCHEMA = ROOT / "docs" / "_data" / "papers.schema.json"

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


def _rfc4287_problems(feed: etree._Element) -> list[str]:
    """What RFC 4287 (4.1.1, 4.1.2) requires of a feed and its entries, that is missing or wrong.

    feedparser, which reads the feeds above, checks none of it; the W3C feed validator does
    (its output on these feeds is in tools/DESIGN.md, "Feeds, papers.json and the sitemap").
    """
    problems = []

    def check(element: etree._Element, where: str) -> None:
        for name in ("id", "title", "updated"):
            found = element.findall(ATOM + name)
            if len(found) != 1 or not (found[0].text or "").strip():
                problems.append(f"{where}: exactly one non-empty atom:{name} is required")
        (id_text,) = [e.text for e in element.findall(ATOM + "id")] or [""]
        if not urllib.parse.urlsplit(id_text or "").scheme:
            problems.append(f"{where}: atom:id {id_text!r} is not an absolute IRI")
        updated = element.findtext(ATOM + "updated") or ""
        if not RFC3339.fullmatch(updated):
            problems.append(f"{where}: atom:updated {updated!r} is not an RFC 3339 date-time")
        for author in element.findall(ATOM + "author"):
            if not (author.findtext(ATOM + "name") or "").strip():
                problems.append(f"{where}: an atom:author without atom:name")

    check(feed, "feed")
    feed_has_author = bool(feed.findall(ATOM + "author"))
    entries = feed.findall(ATOM + "entry")
    ids = [entry.findtext(ATOM + "id") for entry in entries]
    if len(set(ids)) != len(ids):
        problems.append("two entries have the same atom:id")
    for index, entry in enumerate(entries):
        check(entry, f"entry {index}")
        if not feed_has_author and not entry.findall(ATOM + "author"):
            problems.append(f"entry {index}: no atom:author, and the feed has none to inherit")
        if not entry.findall(ATOM + "content") and not any(
                link.get("rel", "alternate") == "alternate" for link in entry.findall(ATOM + "link")):
            problems.append(f"entry {index}: neither atom:content nor an alternate link")
    if not any(link.get("rel") == "self" for link in feed.findall(ATOM + "link")):
        problems.append("feed: no rel=self link")  # a SHOULD of RFC 4287, a warning of the validator
    return problems


@pytest.mark.slow
def test_every_feed_has_what_rfc_4287_requires(seeds_site):
    feeds = [seeds_site / layout.FEED, *sorted((seeds_site / layout.TOPICS).glob("*.xml"))]
    assert len(feeds) > 5
    for path in feeds:
        feed = etree.parse(str(path)).getroot()
        assert feed.tag == ATOM + "feed"
        assert _rfc4287_problems(feed) == [], path
        author = feed.find(ATOM + "author")
        assert author.findtext(ATOM + "name") == "paper-kb contributors"  # conf.py's author
        assert author.findtext(ATOM + "uri").startswith("https://")
    topic = etree.parse(str(seeds_site / layout.topic_feed("video"))).getroot()
    entry = next(e for e in topic.findall(ATOM + "entry")
                 if e.findtext(ATOM + "id").endswith("/papers/2503.18942.html"))
    assert [a.findtext(ATOM + "name") for a in entry.findall(ATOM + "author")][:2] == [
        "Fangfu Liu", "Hanyang Wang"]  # a paper's entry names its authors


def test_the_rfc_4287_check_finds_what_the_feed_validator_found():
    """The check above on feed.xml as it was before it had an author (the W3C validator:
    'Missing entry element: author')."""
    feed = etree.fromstring(
        b'<feed xmlns="http://www.w3.org/2005/Atom"><id>https://example.org/</id><title>T</title>'
        b'<updated>2025-03-27T00:00:00+00:00</updated><link rel="self" href="https://example.org/feed.xml"/>'
        b'<entry><id>https://example.org/a.html</id><title>A</title><updated>2025-03-27</updated>'
        b'<link href="https://example.org/a.html"/></entry><entry><id>a.html</id><title>B</title>'
        b'<updated>2025-03-27T00:00:00Z</updated><author><name></name></author><content>x</content>'
        b'</entry></feed>')
    assert _rfc4287_problems(feed) == [
        "entry 0: atom:updated '2025-03-27' is not an RFC 3339 date-time",
        "entry 0: no atom:author, and the feed has none to inherit",
        "entry 1: atom:id 'a.html' is not an absolute IRI",
        "entry 1: an atom:author without atom:name",
    ]


@pytest.mark.slow
def test_papers_json_follows_its_schema_with_csl_names(seeds_site):
    data = json.loads((seeds_site / layout.PAPERS_JSON).read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(data)
    assert data["version"] == 2
    (dyt,) = [p for p in data["papers"] if p["id"] == "2503.10622"]
    assert dyt["authors"][:2] == [{"family": "Zhu", "given": "Jiachen"},
                                  {"family": "Chen", "given": "Xinlei"}]
    refs = {record["number"]: record for record in
            json.loads((seeds_site / layout.REFS_JSON).read_text(encoding="utf-8"))}
    assert all(paper["authors"] == refs[f"arXiv:{paper['id']}"]["author"] for paper in data["papers"])
    # the schema can fail: the old shape of authors, a missing version
    old = {**data, "papers": [{**dyt, "authors": ["Jiachen Zhu"]}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(old, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({k: v for k, v in data.items() if k != "version"}, schema)


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
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    lastmod = {url.findtext(namespace + "loc").split("/en/latest/", 1)[1]: url.findtext(namespace + "lastmod")
               for url in etree.parse(str(seeds_site / "sitemap.xml")).getroot()}
    assert all(re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", day or "") for day in lastmod.values()), lastmod
    assert lastmod["papers/2503.10622.html"] == "2025-03-13"  # the date of its digest (第 4 期)
    assert lastmod["papers/2503.18878.html"] == "2025-03-27"  # 第 0 期
    assert lastmod["digests/004_ad890f935f0d4d32.html"] == "2025-03-13"
    assert lastmod["index.html"] == lastmod["glossary.html"] == "2025-03-27"  # the newest digest
    robots = (seeds_site / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://paper-kb.readthedocs.io/en/latest/sitemap.xml" in robots.splitlines()
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
