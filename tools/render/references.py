"""A paper's CSL record -> its formatted references (APA, GB/T 7714, ...), with citeproc-py.

The references of a paper's Cite box come from the CSL processor and the
official styles (``docs/_data/csl``), never from strings formatted here.  They
are plain text (citeproc-py's ``plain`` formatter): its HTML formatter copies
the record's text into the markup unescaped, and the page escapes plain text at
one place, like every other value from a digest.

citeproc-py takes 14 ms a paper for APA and 4 ms for GB/T 7714 on an idle core
(a first conversion of 10,000 papers: 305 s instead of 24 s; tools/DESIGN.md), so
a reference is cached under the digest of its style and its record: a build
formats only the papers that are new or changed.  The cache is a generated file
(``layout.REFERENCES_CACHE``) that the pipeline reads back; each run keeps the
entries of the papers it still has.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
from citeproc.source.json import CiteProcJSON

from ..read.csl_styles import CslStyle

CACHE_VERSION = 1  # bump when what a cached reference holds changes


class Reference(NamedTuple):
    style: str  # CslStyle.key
    name: str
    text: str


class Formatted(NamedTuple):
    references: dict[str, tuple[Reference, ...]]  # cite key -> its references, in the styles' order
    cache: dict[str, str]  # what to keep for the next run: cache key -> text


def format_references(records: Sequence[Mapping[str, Any]], styles: Sequence[CslStyle],
                      cache: Mapping[str, str]) -> Formatted:
    """Each CSL record (by its ``id``) formatted in every style, taken from ``cache`` when there."""
    references: dict[str, tuple[Reference, ...]] = {}
    kept: dict[str, str] = {}
    for record in records:
        record_json = json.dumps(record, ensure_ascii=False, sort_keys=True)
        formatted = []
        for style in styles:
            key = hashlib.sha256(f"{style.digest}\n{record_json}".encode()).hexdigest()
            text = cache.get(key)
            if text is None:
                text = format_reference(record, style)
            kept[key] = text
            formatted.append(Reference(style.key, style.name, text))
        references[record["id"]] = tuple(formatted)
    return Formatted(references, kept)


def format_reference(record: Mapping[str, Any], style: CslStyle) -> str:
    """One record's bibliography entry in ``style``, as citeproc-py renders it (plain text)."""
    # A bibliography of one: no other entry to sort against or to disambiguate from
    # (no "2025a"), as the reference is copied into the reader's own list.
    bibliography = CitationStylesBibliography(style.style, CiteProcJSON([dict(record)]), formatter.plain)
    bibliography.register(Citation([CitationItem(record["id"])]))
    return " ".join(str(entry) for entry in bibliography.bibliography())


def load_cache(text: str | None) -> dict[str, str]:
    """The cache file's text (None: there is none yet) -> its entries; an unreadable one is empty."""
    if not text:
        return {}
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return {}
    if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
        return {}
    entries = data.get("references")
    return {k: v for k, v in entries.items() if isinstance(v, str)} if isinstance(entries, dict) else {}


def render_cache(cache: Mapping[str, str]) -> str:
    return json.dumps({"version": CACHE_VERSION, "references": dict(sorted(cache.items()))},
                      ensure_ascii=False, indent=0) + "\n"
