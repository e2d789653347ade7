"""Enriched knowledge -> the citation exports: BibTeX, CSL-JSON and RIS files, Highwire tags.

Every format is written for all papers (``refs.bib``, ``refs.json``, ``refs.ris``),
each paper (``papers/<id>.bib``, ``.json``, ``.ris``) and each topic
(``topics/<slug>.bib``, ``.json``, ``.ris``).  One BibTeX entry per paper
(``bibtex.entry``), written once, is shared by its page's Cite block, its own
``.bib``, ``refs.bib`` and its topics' ``.bib`` files; the CSL and RIS records are
made once per paper too.  Paths
are relative to the docs folder; ``sphinxext/site_files.py`` mirrors
``layout.EXPORT_DIR`` into the site root after each build.  Nothing here
touches the file system.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from typing import Any

import rispy

from .. import arxiv, layout
from ..enrich import EnrichedPaper, Knowledge
from ..memo import Memo, fingerprint
from ..model import Citation
from ..read.curated import ProperNouns, Topic
from . import bibtex
from .lookups import papers_of_topic


def bibtex_entries(knowledge: Knowledge, memo: Memo | None = None) -> dict[str, str]:
    """arXiv id -> the paper's BibTeX entry, written (or as ``memo`` holds it written before)."""
    memo, proper_nouns = memo or Memo(), knowledge.proper_nouns
    # bibtexparser writes an entry in 0.6 ms: 6 s of a conversion at 10,000 papers.
    nouns_key = fingerprint(proper_nouns)
    return {pid: memo.get("bibtex", (item.citation, item.cite_key, nouns_key), partial(
                _bibtex_entry, item.citation, item.cite_key, proper_nouns))
            for pid, item in knowledge.papers.items()}


def _bibtex_entry(citation: Citation, cite_key: str, proper_nouns: ProperNouns) -> str:
    return bibtex.write([bibtex.entry(citation, cite_key, proper_nouns)])


def csl_records(knowledge: Knowledge) -> dict[str, dict[str, Any]]:
    """arXiv id -> the paper's CSL-JSON record (also what its formatted references come from)."""
    return {pid: csl_item(item) for pid, item in knowledge.papers.items()}


def render_exports(knowledge: Knowledge, topics: Sequence[Topic], entries: Mapping[str, str],
                   records: Mapping[str, dict[str, Any]], memo: Memo | None = None) -> dict[str, str]:
    """The citation exports: all papers, each paper, each topic; BibTeX, CSL-JSON and RIS.

    ``memo``: records encoded before, by the record (json.dumps with an indent and rispy
    are pure Python: 4 s of a conversion at 10,000 papers; pickling a record to key it, a tenth).
    """
    memo = memo or Memo()
    papers = list(knowledge.papers.values())
    ris = {pid: ris_record(item) for pid, item in knowledge.papers.items()}
    # Each record is in three files at least (all papers, its own, each of its topics): encoded once.
    json_records = {pid: memo.get("csl-json", record, partial(csl_json_record, record))
                    for pid, record in records.items()}
    own_ris = {pid: memo.get("ris", record, partial(render_ris, [record])) for pid, record in ris.items()}
    files = {layout.BIBFILE: bibtex.concatenate(entries.values()),
             f"{layout.EXPORT_DIR}/{layout.REFS_JSON}": csl_json_file(json_records.values()),
             f"{layout.EXPORT_DIR}/{layout.REFS_RIS}": render_ris(ris.values())}
    for item in papers:
        pid, stem = item.arxiv_id, f"{layout.EXPORT_DIR}/{item.page}"
        files[f"{stem}.bib"] = entries[pid]
        files[f"{stem}.json"] = csl_json_file([json_records[pid]])
        files[f"{stem}.ris"] = own_ris[pid]
    groups = [(layout.topic_docname(topic.slug),
               [item.arxiv_id for item in papers_of_topic(knowledge, topic.slug)]) for topic in topics]
    groups += [(layout.list_docname(reading_list.slug),  # in the list's order
                list(dict.fromkeys(entry.arxiv_id for entry in reading_list.items)))
               for reading_list in knowledge.writings.lists]
    for docname, ids in groups:
        stem = f"{layout.EXPORT_DIR}/{docname}"
        files[f"{stem}.bib"] = bibtex.concatenate(entries[pid] for pid in ids)
        files[f"{stem}.json"] = csl_json_file(json_records[pid] for pid in ids)
        files[f"{stem}.ris"] = render_ris([ris[pid] for pid in ids])
    return files


def csl_json_record(record: dict[str, Any]) -> str:
    """A record as :func:`csl_json_file` places it: the text ``json.dumps`` gives an array's item."""
    return json_at_depth(record, 1)


def json_at_depth(value: object, depth: int) -> str:
    """``value`` as ``json.dumps(..., ensure_ascii=False, indent=1)`` writes it ``depth`` levels deep.

    That is its own indented text ``depth`` spaces further in: JSON strings hold no line break,
    so every line of it is structure, and indenting each line is what a deeper level is.
    """
    pad = " " * depth
    return pad + json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n" + pad)


def csl_json_file(json_records: Iterable[str]) -> str:
    """A CSL-JSON file: an array of records, even for one paper (what citeproc and Zotero read).

    ``json.dumps(records, ensure_ascii=False, indent=1)``, from records encoded once each.
    """
    items = ",\n".join(json_records)
    return f"[\n{items}\n]\n" if items else "[]\n"


def csl_item(item: EnrichedPaper) -> dict[str, Any]:
    """CSL-JSON for Zotero, Pandoc and citation.js: an arXiv preprint as Zotero exports one."""
    citation = item.citation
    arxiv_id = citation.arxiv_id
    date = citation.date
    csl: dict[str, Any] = {"id": item.cite_key, "type": "article", "title": citation.title}
    if citation.authors:
        csl["author"] = [csl_name(family, given) for family, given in citation.authors]
    csl["issued"] = {"date-parts": [[date.year, date.month, date.day] if date
                                    else [citation.year, citation.month]]}
    csl.update({"publisher": "arXiv", "number": f"arXiv:{arxiv_id}", "genre": "Preprint",
                "DOI": arxiv.doi(arxiv_id), "URL": arxiv.abs_url(arxiv_id)})
    return csl


def csl_name(family: str, given: str) -> dict[str, str]:
    """A name as CSL-JSON has it: family and given, or a literal one (a team, a one-word name)."""
    return {"family": family, "given": given} if given else {"literal": family}


class _RisWriter(rispy.RisWriter):  # type: ignore[misc]  # rispy publishes no types
    """rispy's RIS writer without its ``1.`` line before each record (a rispy convention, not RIS)."""

    def set_header(self, count: int) -> str:
        return ""


_LINE_BREAKS = re.compile(r"\s*[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]\s*")


def ris_record(item: EnrichedPaper) -> dict[str, Any]:
    """An arXiv preprint as RIS (EndNote, Mendeley, Zotero): a report with its arXiv number.

    RIS has no preprint type; ``RPRT`` is what EndNote and Zotero read as a report, and
    Zotero's RIS translator takes ``SN`` as a report's number.  Every value is one line: a
    line break in digest text must not start a tag of its own.
    """
    citation = item.citation
    arxiv_id = citation.arxiv_id
    date = citation.date
    record: dict[str, Any] = {
        "type_of_reference": "RPRT",
        "id": item.cite_key,
        "title": citation.title,
        "authors": [f"{family}, {given}" if given else family for family, given in citation.authors],
        "year": str(citation.year),
        "date": f"{date:%Y/%m/%d}" if date else f"{citation.year:04d}/{citation.month:02d}",
        "publisher": "arXiv",
        "issn": f"arXiv:{arxiv_id}",
        "doi": arxiv.doi(arxiv_id),
        "urls": [arxiv.abs_url(arxiv_id)],
        "file_attachments1": arxiv.pdf_url(arxiv_id),
    }
    if not record["authors"]:
        del record["authors"]
    return {key: _one_line(value) for key, value in record.items()}


def _one_line(value: str | list[str]) -> str | list[str]:
    if isinstance(value, list):
        return [_LINE_BREAKS.sub(" ", part).strip() for part in value]
    return _LINE_BREAKS.sub(" ", value).strip()


def render_ris(records: Iterable[dict[str, Any]]) -> str:
    return str(rispy.dumps(list(records), implementation=_RisWriter))
