"""Paper pages as reference managers and link previews read them.

Zotero saves a page that no site-specific translator claims with its "Embedded
Metadata" translator (zotero/translators, ``Embedded Metadata.js``, and ``RDF.js``
for the type).  ``zotero_item`` below applies that translator's rules, for the tags
a paper page has, to a built page's ``<head>``; the first tests pin those rules on
small heads, so that a rule copied wrong fails here.  What a real translation
server returned for a built page is recorded in tools/DESIGN.md.
"""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup

from tools import arxiv
from tools.read import metadata

from .conftest import SEEDS, paper_page, paper_pages, soup

pytestmark = pytest.mark.slow

METADATA = metadata.load(SEEDS / metadata.FILENAME)

# Highwire tags that name a container: the translator takes the type from them before
# anything else ("hwType", Embedded Metadata.js init()).
HIGHWIRE_TYPES = {
    "citation_journal_title": "journalArticle",
    "citation_technical_report_institution": "report",
    "citation_conference_title": "conferencePaper", "citation_conference": "conferencePaper",
    "citation_book_title": "bookSection", "citation_inbook_title": "bookSection",
    "citation_dissertation_institution": "thesis",
}
# Open Graph types that decide (RDF.js detectType: t.og); "article" is only a guess.
OPEN_GRAPH_TYPES = {"website": "webpage", "book": "book", "video.movie": "videoRecording",
                    "music.song": "audioRecording"}
# Zotero item types a DC.type may name as they are (zotero-schema), those a paper could be.
ZOTERO_TYPES = {"preprint", "report", "journalArticle", "conferencePaper", "thesis", "webpage",
                "book", "bookSection", "manuscript", "document"}
# HIGHWIRE_MAPPINGS, the part a paper page uses: meta name -> Zotero base field.
HIGHWIRE_FIELDS = {"citation_title": "title", "citation_publication_date": "date",
                   "citation_technical_report_number": "number", "citation_publisher": "publisher",
                   "citation_abstract": "abstractNote", "citation_doi": "DOI",
                   "citation_public_url": "url", "citation_language": "language"}
# zotero-schema: the fields of a type under their base names (preprint: archiveID is
# "number", repository is "publisher"); a field a type lacks, such as a report's DOI,
# ends up in "extra".
TYPE_FIELDS = {
    "preprint": {"title", "abstractNote", "publisher", "number", "date", "DOI", "url", "language"},
    "report": {"title", "abstractNote", "number", "publisher", "date", "url", "language"},
    "journalArticle": {"title", "abstractNote", "date", "DOI", "url", "language"},
    "webpage": {"title", "abstractNote", "date", "url", "language"},
}


def zotero_item(head: BeautifulSoup) -> dict[str, str]:
    """The item type and fields the Embedded Metadata translator makes of these head tags."""
    tags: list[tuple[str, str]] = []
    for meta in head.find_all("meta"):
        name = meta.get("name") or meta.get("property")
        if name and meta.get("content"):
            tags += [(one, meta["content"]) for one in name.split()]
    hw_type = hw_guess = None
    rdf: dict[str, str] = {}
    for name, content in tags:
        prefix, _, prop = name.partition(":") if ":" in name else name.partition(".")
        if prefix.lower() in ("og", "dc", "dcterms", "z") and prop:
            rdf.setdefault(f"{prefix.lower()}:{prop[0].lower() + prop[1:]}", content)
            continue
        short = name[name.rfind("citation_"):] if "citation_" in name else name
        hw_type = HIGHWIRE_TYPES.get(short, hw_type)
        if short in ("citation_title", "citation_series_title"):
            hw_guess = hw_guess or "journalArticle"
    item_type = hw_type
    if item_type is None and rdf:
        dc_type = rdf.get("dc:type") or rdf.get("dcterms:type")
        item_type = (rdf.get("z:itemType") or OPEN_GRAPH_TYPES.get(rdf.get("og:type", ""))
                     or (dc_type if dc_type in ZOTERO_TYPES else None)
                     or hw_guess or "webpage")
    item_type = item_type or hw_guess or "webpage"
    item = {"itemType": item_type}
    for name, field_name in HIGHWIRE_FIELDS.items():
        # getContentText: the first meta whose name ends with the Highwire name
        value = next((content for tag, content in tags if tag.endswith(name) and content.strip()), None)
        if value:
            item[field_name] = " ".join(value.split())
    pdf = next((content for tag, content in tags if tag.endswith("citation_pdf_url")), None)
    if pdf:
        item["attachment"] = pdf
    if "url" not in item:
        abstract_url = next((c for t, c in tags if t.endswith("citation_abstract_html_url")), None)
        canonical = head.find("link", rel="canonical")
        item["url"] = abstract_url or (canonical["href"] if canonical else "")
    if "DOI" in item and "DOI" not in TYPE_FIELDS.get(item_type, set()):
        item["extra"] = f"DOI: {item.pop('DOI')}"
    return item


def _head(*tags: tuple[str, str, str]) -> BeautifulSoup:
    metas = "".join(f'<meta {kind}="{name}" content="{content}">' for kind, name, content in tags)
    return BeautifulSoup(f"<html><head>{metas}</head><body></body></html>", "lxml").head


def test_the_translator_rules_as_zotero_applies_them():
    """The cases of Embedded Metadata.js and RDF.js that decide a paper page's type."""
    title = ("name", "citation_title", "T")
    # What main's pages had: og:type website beats the citation_title guess.
    assert zotero_item(_head(("property", "og:type", "website"), title))["itemType"] == "webpage"
    # A decided Open Graph type comes before Dublin Core's, so website would still win.
    assert zotero_item(_head(("property", "og:type", "website"), ("name", "DC.type", "preprint"),
                             title))["itemType"] == "webpage"
    assert zotero_item(_head(("property", "og:type", "article"), ("name", "DC.type", "preprint"),
                             title))["itemType"] == "preprint"
    assert zotero_item(_head(("property", "og:type", "article"), title))["itemType"] == "journalArticle"
    # A report institution wins over everything, and a report has no DOI field.
    report = zotero_item(_head(("name", "DC.type", "preprint"), title,
                               ("name", "citation_technical_report_institution", "arXiv"),
                               ("name", "citation_doi", "10.48550/arXiv.1")))
    assert report["itemType"] == "report" and report["extra"] == "DOI: 10.48550/arXiv.1"


def _abstract_text(page: BeautifulSoup) -> str:
    """The abstract section's paragraphs as text, without whitespace (formulas are MathML there)."""
    section = page.find("section", id="abstract")
    return "".join("".join(p.get_text().split()) for p in section.find_all("p"))


def test_paper_pages_are_saved_as_preprints_with_id_doi_abstract_and_pdf(seeds_site):
    pages = paper_pages(seeds_site)
    assert len(pages) == 25
    for path in pages:
        page = soup(path)
        arxiv_id = page.find("meta", attrs={"name": "citation_arxiv_id"})["content"]
        item = zotero_item(page.head)
        assert item["itemType"] == "preprint", (arxiv_id, item)
        assert item["number"] == f"arXiv:{arxiv_id}"  # the preprint's archive id
        assert item["publisher"] == "arXiv"  # its repository
        assert item["DOI"] == f"10.48550/arXiv.{arxiv_id}" and "extra" not in item
        assert item["url"] == f"https://arxiv.org/abs/{arxiv_id}"
        assert item["attachment"] == arxiv.pdf_url(arxiv_id)
        assert item["title"] == METADATA[arxiv_id].title  # the English title ...
        assert item["language"] == "zh"  # ... and the language of the abstract given
        assert "".join(item["abstractNote"].split()) == _abstract_text(page), arxiv_id


def test_open_graph_says_article_and_opens_the_abstract(seeds_site):
    page = soup(paper_page(seeds_site, "2503.10622"))
    assert page.find("meta", property="og:type")["content"] == "article"
    description = page.find("meta", property="og:description")["content"]
    abstract = page.find("meta", attrs={"name": "citation_abstract"})["content"]
    # The first three sentences: the fourth would pass 200 characters.
    assert description == (
        "归一化层在现代神经网络中广泛应用，并长期被视为不可或缺的组件。"
        "然而，本研究表明，无需归一化的 Transformer 可以通过一种简单的方法实现相同甚至更好的性能。"
        "我们提出了一种称为动态 Tanh (DyT) 的逐元素操作 DyT(x) = tanh(αx)，"
        "作为 Transformer 中归一化层的替代方案。")
    assert abstract.startswith(description)
    for path in paper_pages(seeds_site):
        description = soup(path).find("meta", property="og:description")["content"]
        assert len(description) <= 200 and "Topics" not in description, path
    home = soup(seeds_site / "index.html")
    assert home.find("meta", property="og:type")["content"] == "website"


def _json_ld(page: BeautifulSoup) -> dict:
    (script,) = page.head.find_all("script", type="application/ld+json")
    return json.loads(script.string)


def test_json_ld_is_a_scholarly_article(seeds_site):
    page = soup(paper_page(seeds_site, "2503.10622"))
    record = _json_ld(page)
    assert record["@context"] == "https://schema.org" and record["@type"] == "ScholarlyArticle"
    assert record["headline"] == "Transformers without Normalization"
    assert record["alternativeHeadline"] == "无需归一化的 Transformer"
    assert [a["name"] for a in record["author"]] == [
        "Jiachen Zhu", "Xinlei Chen", "Kaiming He", "Yann LeCun", "Zhuang Liu"]
    assert record["author"][3] == {"@type": "Person", "name": "Yann LeCun", "givenName": "Yann",
                                   "familyName": "LeCun"}
    assert record["datePublished"] == "2025-03-13"
    assert {(i["propertyID"], i["value"]) for i in record["identifier"]} == {
        ("arXiv", "2503.10622"), ("DOI", "10.48550/arXiv.2503.10622")}
    assert record["url"] == "https://arxiv.org/abs/2503.10622"
    assert record["encoding"]["contentUrl"] == "https://arxiv.org/pdf/2503.10622"
    assert "".join(record["abstract"].split()) == _abstract_text(page)
    assert not soup(seeds_site / "index.html").find_all("script", type="application/ld+json")


def test_json_ld_cannot_be_closed_by_digest_text(hostile_site):
    """A title "<script>alert(...)</script> ..." stays a string of the record."""
    path = paper_page(hostile_site, "2503.99001")
    html = path.read_text(encoding="utf-8")
    (raw,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    assert not set(raw) & {"<", ">", "&"}, raw
    record = json.loads(raw)
    assert record["headline"] == '<script>alert("title")</script> Scripted Title'
    page = soup(path)
    assert _json_ld(page) == record  # the parser sees the same single script element
    code = [script for script in page.find_all("script") if script.get("type") != "application/ld+json"]
    assert not [script for script in code if "alert" in (script.string or "")]
    for path in paper_pages(hostile_site):
        _json_ld(soup(path))  # every record parses, whatever its digest holds
