"""The Atom feeds, the sitemap (``sitemap.xml``) and ``robots.txt``, at the end of a build.

* The feed: one entry per digest, the newest ``FEED_DIGESTS`` by date, newest
  first, its papers listed; made with feedgen from ``papers.json`` (which the
  converter writes), because links in a feed must be absolute and only Sphinx
  knows the site's address (``html_baseurl``).
* A feed per topic (``topics/<slug>.xml``): one entry per paper, its newest
  ``TOPIC_FEED_PAPERS``.  Every feed stays the same size as the site grows.
* A feed per reading list (``lists/<slug>.xml``): its papers in the list's order, the
  team's "why" as each entry's summary.  Articles are entries of ``feed.xml`` beside
  the digests (the newest ``FEED_ARTICLES``), by date.
  Every feed is Atom as RFC 4287 has it (checked with the W3C feed validator):
  an id, a title and ``updated`` on the feed and each entry, and an author: the
  site's (conf.py's ``author``) on the feed, which entries without their own
  inherit; a topic feed's entries name the paper's authors.
* The sitemap: every page of the site (the sitemaps.org format), each with a
  ``lastmod`` from the data, so that a clean and an incremental build write the
  same file: a paper's page, the date of the newest digest holding the paper; a
  digest's page, its date; a topic's page, its newest paper's; every other page
  (lists of the whole site), the newest digest's.  ``robots.txt`` names it.  Not
  sphinx-sitemap: it lists the pages written by the current build only, so after
  an incremental build the sitemap lost every page that was not rewritten; and
  it forks a multiprocessing manager that outlived a killed build.

All are written only when their text changed.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from feedgen.feed import FeedGenerator
from sphinx.application import Sphinx

from ..files.uptodate import ENVIRONMENT
from ..files.write import write_if_changed
from ..layout import (
    EXPORT_DIR,
    FEED,
    FEED_DIGESTS,
    LISTS,
    PAPERS_JSON,
    ROBOTS,
    SITEMAP,
    TOPIC_FEED_PAPERS,
    TOPICS,
    list_feed,
    topic_docname,
    topic_feed,
)
from .book import is_site_build

FEED_ARTICLES = 10  # feed.xml: the team's newest articles, beside the newest digests


def render_feed(data: dict[str, Any], base_url: str, title: str, author: str) -> str:
    base = base_url.rstrip("/") + "/"
    papers = {paper["id"]: paper for paper in data["papers"]}
    digests = list(reversed(data["digests"]))[:FEED_DIGESTS]  # papers.json lists them oldest first
    articles = [a for a in data.get("articles", ()) if a["date"]][:FEED_ARTICLES]  # newest first
    # Newest first, by date: a digest and an article of the same day, the digest first.
    items = sorted([(d["date"], 1, d) for d in digests] + [(a["date"], 0, a) for a in articles],
                   key=lambda item: (item[0], item[1]), reverse=True)
    feed = _feed(base, base, base + FEED, title, "每期论文摘要 · one entry per digest, with its papers",
                 [_when(date) for date, _, _ in items], author)
    for date, is_digest, item in items:
        entry = feed.add_entry(order="append")
        entry.id(base + item["page"])
        entry.title(item["title"])
        entry.link(href=base + item["page"])
        entry.updated(_when(date))
        entry.published(_when(date))
        if is_digest:
            listed = "".join(_item(papers[pid], base) for pid in item["papers"])
            entry.content(f"<ol>{listed}</ol>", type="html")
            entry.summary(f"{item['title']}: {len(item['papers'])} 篇论文 · papers")
        else:
            for name in item["authors"]:
                entry.author({"name": name})
            byline = ", ".join(item["authors"])
            entry.summary(f"文章 · Article{' · ' + byline if byline else ''} · {date}")
    return str(feed.atom_str(pretty=True), "utf-8")


def render_list_feeds(data: dict[str, Any], base_url: str, title: str,
                      author: str) -> dict[str, str]:
    """``lists/<slug>.xml`` -> the feed of a reading list: its papers in the list's order."""
    base = base_url.rstrip("/") + "/"
    papers = {paper["id"]: paper for paper in data["papers"]}
    feeds: dict[str, str] = {}
    for reading_list in data.get("lists", ()):
        itself = base + list_feed(reading_list["slug"])
        entries = [(papers[entry["id"]], entry["why"]) for entry in reading_list["papers"]]
        feed = _feed(itself, base + reading_list["page"], itself,
                     f"{title} · {reading_list['title']}",
                     reading_list["description"] or "阅读清单 · a reading list",
                     [_when(_paper_date(paper)) for paper, _ in entries], author)
        for paper, why in entries:
            _paper_entry(feed, paper, base, why or _abstract_opening(paper))
        feeds[list_feed(reading_list["slug"])] = str(feed.atom_str(pretty=True), "utf-8")
    return feeds


def render_topic_feeds(data: dict[str, Any], base_url: str, title: str, author: str) -> dict[str, str]:
    """``topics/<slug>.xml`` -> the feed of the topic's newest papers, one entry each."""
    by_topic: dict[str, list[dict[str, Any]]] = {}
    for paper in data["papers"]:
        for topic in paper["topics"]:
            by_topic.setdefault(topic["slug"], []).append(paper)
    return {topic_feed(slug): _topic_feed(papers, base_url, title, slug, author)
            for slug, papers in sorted(by_topic.items())}


def _topic_feed(papers: list[dict[str, Any]], base_url: str, title: str, slug: str, author: str) -> str:
    base = base_url.rstrip("/") + "/"
    papers = sorted(papers, key=lambda paper: (_paper_date(paper), paper["id"]),
                    reverse=True)[:TOPIC_FEED_PAPERS]
    name = next(t for t in papers[0]["topics"] if t["slug"] == slug)
    itself = base + topic_feed(slug)
    feed = _feed(itself, base + f"{topic_docname(slug)}.html", itself,
                 f"{title} · {name['name_zh']} · {name['name']}",
                 f"{name['name_zh']}的最新论文 · the newest papers on {name['name']}",
                 [_when(_paper_date(paper)) for paper in papers], author)
    for paper in papers:
        _paper_entry(feed, paper, base, _abstract_opening(paper))
    return str(feed.atom_str(pretty=True), "utf-8")


def _paper_entry(feed: FeedGenerator, paper: dict[str, Any], base: str, summary: str) -> None:
    """A paper as an entry of a topic's or a list's feed: both titles, its authors, its date."""
    entry = feed.add_entry(order="append")
    entry.id(base + paper["page"])
    entry.title(f"{paper['title_zh']} · {paper['title']}")
    for name in paper["authors"]:
        entry.author({"name": author_name(name)})
    entry.link(href=base + paper["page"])
    when = _when(_paper_date(paper))
    entry.updated(when)
    entry.published(when)
    entry.summary(summary)


def _abstract_opening(paper: dict[str, Any]) -> str:
    return " ".join(paper["abstract"])[:500]


def _paper_date(paper: dict[str, Any]) -> str:
    """Its v1 date, else its arXiv month (papers.json)."""
    return str(paper["date"] or paper["month"])


def _feed(feed_id: str, home: str, itself: str, title: str, subtitle: str,
          dates: list[dt.datetime], author: str) -> FeedGenerator:
    feed = FeedGenerator()
    feed.id(feed_id)
    feed.title(title)
    feed.author({"name": author, "uri": home})
    feed.subtitle(subtitle)
    feed.link(href=home, rel="alternate")
    feed.link(href=itself, rel="self")
    feed.language("zh")
    feed.updated(max(dates, default=dt.datetime(1970, 1, 1, tzinfo=dt.UTC)))
    return feed


def author_name(name: Mapping[str, str]) -> str:
    """A CSL name of papers.json as it is read: "Jiachen Zhu", or a literal name."""
    return name.get("literal") or f"{name.get('given', '')} {name.get('family', '')}".strip()


def _item(paper: dict[str, Any], base: str) -> str:
    names = [author_name(name) for name in paper["authors"]]
    authors = ", ".join(names[:3]) + (" et al." if len(names) > 3 else "")
    return (f'<li><a href="{html.escape(base + paper["page"])}">{html.escape(paper["title_zh"])}</a>'
            f" · {html.escape(paper['title'])}"
            f"{' · ' + html.escape(authors) if authors else ''} · {html.escape(paper['id'])}</li>")


def _when(date: str) -> dt.datetime:
    """A digest date (2025-03-24, or 2025-03 when only the month is known) as a UTC datetime."""
    parts = [int(part) for part in date.split("-")] + [1, 1]
    return dt.datetime(parts[0], parts[1], parts[2], tzinfo=dt.UTC)


def page_dates(data: dict[str, Any]) -> tuple[dict[str, str], str | None]:
    """papers.json -> (page -> the date its content last came with, the newest digest's date).

    Pages are paths relative to the site root (``papers/2503.10622.html``); dates are
    W3C dates as the sitemap takes them (``2025-03-24``, or ``2025-03`` when only the
    month is known), so a later one sorts after an earlier one of the same precision.
    """
    dates: dict[str, str] = {}
    digest_dates = {digest["name"]: digest["date"] for digest in data["digests"]}
    for digest in data["digests"]:
        dates[digest["page"]] = digest["date"]
    for paper in data["papers"]:
        when = max((digest_dates[name] for name in paper["digests"] if name in digest_dates),
                   default=None, key=_when)
        if when is None:
            continue
        dates[paper["page"]] = when
        for topic in paper["topics"]:
            page = f"{topic_docname(topic['slug'])}.html"
            dates[page] = max(dates.get(page, when), when, key=_when)
    newest = max(digest_dates.values(), default=None, key=_when)
    return dates, newest


def render_sitemap(urls: Iterable[tuple[str, str | None]]) -> str:
    """(URL, lastmod or None) -> the sitemap."""
    root = ET.Element("urlset", xmlns="http://www.sitemaps.org/schemas/sitemap/0.9")
    for url, lastmod in urls:
        element = ET.SubElement(root, "url")
        ET.SubElement(element, "loc").text = url
        if lastmod:
            ET.SubElement(element, "lastmod").text = lastmod
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def render_robots(sitemap_url: str) -> str:
    """Every page may be crawled; the sitemap lists them (robotstxt.org, sitemaps.org)."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n"


def note_missing_baseurl(app: Sphinx) -> None:
    """Say once, at the start of a site build, that the site's address is a guess.

    Not a warning (the builds are -W) and not an info message (make html's -q hides
    those): one line on stderr, as the converter's notes.
    """
    if not is_site_build(app) or any(os.environ.get(name) for name in ENVIRONMENT):
        return
    print(f"note: no site address given: feed.xml, sitemap.xml, robots.txt and link previews "
          f"point to {app.config.html_baseurl}. Set PAPERKB_BASEURL=https://your.host/kb/ when "
          f"you build (README.md, 'The site's address').", file=sys.stderr)


def on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or not is_site_build(app):
        return
    base = (app.config.html_baseurl or "/").rstrip("/") + "/"
    source = Path(app.srcdir) / EXPORT_DIR / PAPERS_JSON
    data = json.loads(source.read_text(encoding="utf-8")) if source.is_file() else None
    dates, newest = page_dates(data) if data else ({}, None)
    pages = [app.builder.get_target_uri(docname) for docname in sorted(app.env.found_docs)]
    write_if_changed(Path(app.outdir) / SITEMAP,
                     render_sitemap((base + page, dates.get(page, newest)) for page in pages))
    write_if_changed(Path(app.outdir) / ROBOTS, render_robots(base + SITEMAP))
    if data is None:
        return
    title, author = app.config.html_title, app.config.author
    write_if_changed(Path(app.outdir) / FEED, render_feed(data, base, title, author))
    for folder, feeds in ((TOPICS, render_topic_feeds(data, base, title, author)),
                          (LISTS, render_list_feeds(data, base, title, author))):
        for path, text in feeds.items():
            (Path(app.outdir) / path).parent.mkdir(parents=True, exist_ok=True)
            write_if_changed(Path(app.outdir) / path, text)
        for stale in (Path(app.outdir) / folder).glob("*.xml"):  # a topic or list that is gone
            if f"{folder}/{stale.name}" not in feeds:
                stale.unlink()
