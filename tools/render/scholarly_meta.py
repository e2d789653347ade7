"""What a paper page tells reference managers and link previews in its head.

Zotero's connector runs the "Embedded Metadata" translator (zotero/translators)
on a page that no site-specific translator claims.  What it does with our tags,
read from its source (and checked with Zotero's translation server, see
tools/DESIGN.md):

* The item type.  A Highwire tag that names a container wins outright
  (``citation_technical_report_institution`` makes a report, ``citation_journal_title``
  a journal article); without one, the type comes from the page's RDF-like tags
  (Dublin Core, Open Graph), and ``og:type = website`` made every page a webpage.
  ``DC.type = preprint`` (a Zotero item type, which the translator takes as it is)
  makes it a preprint, what Zotero's own arXiv translator saves; so no report
  institution is given, which would turn it back into a report.
* The fields.  ``citation_publisher`` is a preprint's repository (arXiv),
  ``citation_technical_report_number`` its archive id (``arXiv:<id>``),
  ``citation_doi`` its DOI, ``citation_public_url`` its URL (arxiv.org, not this
  site), ``citation_abstract`` its abstract, ``citation_language`` its language,
  ``citation_pdf_url`` the PDF it attaches.  ``citation_arxiv_id``,
  ``citation_online_date`` and ``citation_abstract_html_url`` are for Google
  Scholar and other readers of arXiv's own tags.
* Language.  The abstract given is the digest's Chinese one, so
  ``citation_language`` is ``zh``; the title stays the English one.

JSON-LD (schema.org ``ScholarlyArticle``) says the same for search engines; the
Embedded Metadata translator does not read it.  Everything here is data (lists
and dicts of text); the Sphinx side escapes it where it is written.
"""

from __future__ import annotations

import re
from typing import Any

from .. import arxiv
from ..enrich import EnrichedPaper
from .readable import readable_text

ABSTRACT_LANGUAGE = "zh"  # the digests' abstracts are Chinese
OPENING_LENGTH = 200  # characters of the abstract a link preview shows (Open Graph's usual 200)
# A sentence ends at a Chinese full stop, question or exclamation mark, or at an English one
# followed by a space.
_SENTENCE_END = re.compile(r"[。！？]|[.!?](?=\s)")


def abstract_text(item: EnrichedPaper) -> str:
    """The abstract as plain text, paragraphs separated by a blank line, formulas as text."""
    return "\n\n".join(" ".join(readable_text(paragraph).split()) for paragraph in item.abstract)


def opening(text: str, length: int = OPENING_LENGTH) -> str:
    """The text's opening: whole sentences within ``length`` characters, else a cut with "…"."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    ends = [match.end() for match in _SENTENCE_END.finditer(text, 0, length)]
    if ends and ends[-1] >= length // 3:
        return text[:ends[-1]]
    return text[:length - 1].rstrip() + "…"


def highwire(item: EnrichedPaper) -> list[list[str]]:
    """Highwire Press ``citation_*`` meta tags (name, content), as Zotero and Google Scholar read them."""
    citation = item.citation
    arxiv_id = citation.arxiv_id
    tags = [["citation_title", citation.title]]
    tags += [["citation_author", f"{family}, {given}" if given else family]
             for family, given in citation.authors]
    date = citation.date
    tags.append(["citation_publication_date",
                 f"{date:%Y/%m/%d}" if date else f"{citation.year:04d}/{citation.month:02d}"])
    if date:
        tags.append(["citation_online_date", f"{date:%Y/%m/%d}"])  # v1 appeared on arXiv
    abstract = abstract_text(item)
    if abstract:
        tags.append(["citation_abstract", abstract])
    tags += [["citation_language", ABSTRACT_LANGUAGE],
             ["citation_publisher", "arXiv"],
             ["citation_technical_report_number", f"arXiv:{arxiv_id}"],
             ["citation_arxiv_id", arxiv_id],
             ["citation_doi", arxiv.doi(arxiv_id)],
             ["citation_public_url", arxiv.abs_url(arxiv_id)],
             ["citation_abstract_html_url", arxiv.abs_url(arxiv_id)],
             ["citation_pdf_url", arxiv.pdf_url(arxiv_id)]]
    return tags


def dublin_core(item: EnrichedPaper) -> list[list[str]]:
    """Dublin Core meta tags: the type, which the translator reads as a Zotero item type."""
    return [["DC.type", "preprint"]]


def open_graph(item: EnrichedPaper) -> dict[str, str]:
    """The page's own Open Graph tags, replacing sphinxext-opengraph's (front matter ``og:*``)."""
    tags = {"og:type": "article"}
    abstract = abstract_text(item)
    if abstract:
        tags["og:description"] = opening(abstract)
    return tags


def json_ld(item: EnrichedPaper) -> dict[str, Any]:
    """schema.org ``ScholarlyArticle`` of the paper (JSON-LD), as Google Scholar's guidelines list."""
    citation = item.citation
    arxiv_id = citation.arxiv_id
    doi = arxiv.doi(arxiv_id)
    article: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "ScholarlyArticle",
        "headline": citation.title, "name": citation.title,
        "alternativeHeadline": item.paper.title_zh}
    if citation.authors:
        article["author"] = [
            {"@type": "Person", "name": f"{given} {family}", "givenName": given, "familyName": family}
            if given else {"@type": "Person", "name": family} for family, given in citation.authors]
    date = citation.date
    article["datePublished"] = date.isoformat() if date else f"{citation.year:04d}-{citation.month:02d}"
    abstract = abstract_text(item)
    if abstract:
        article["abstract"] = abstract
    article.update({
        "identifier": [{"@type": "PropertyValue", "propertyID": "arXiv", "value": arxiv_id},
                       {"@type": "PropertyValue", "propertyID": "DOI", "value": doi}],
        "url": arxiv.abs_url(arxiv_id),
        "sameAs": [f"https://doi.org/{doi}"],
        "publisher": {"@type": "Organization", "name": "arXiv", "url": "https://arxiv.org/"},
        "encoding": {"@type": "MediaObject", "encodingFormat": "application/pdf",
                     "contentUrl": arxiv.pdf_url(arxiv_id)}})
    return article
