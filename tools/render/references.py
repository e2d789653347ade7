"""A paper's CSL record -> its formatted references (APA, GB/T 7714, ...), with citeproc-py.

The references of a paper's Cite box come from the CSL processor and the
official styles (``docs/_data/csl``), never from strings formatted here.  They
are plain text (citeproc-py's ``plain`` formatter): its HTML formatter copies
the record's text into the markup unescaped, and the page escapes plain text at
one place, like every other value from a digest.

citeproc-py walks the style's XML for every reference and, on the way, evaluates
the same XPath lookups again and again (a macro by name, whether a branch calls a
variable): 16 ms a paper for APA and 2.6 ms for GB/T 7714 on an idle core, 305 s
of a first conversion of 10,000 papers.  Those lookups depend on the style alone,
so :func:`memoize_style_lookups` keeps their results (4.3 and 1.6 ms, the same
text; ``tests/test_citation_exports.py``).  A reference is also cached under the
digest of its style and its record: a build formats only the papers that are new
or changed.  The cache is a generated file
(``layout.REFERENCES_CACHE``) that the pipeline reads back; each run keeps the
entries of the papers it still has.
"""

from __future__ import annotations

import functools
import hashlib
import json
import multiprocessing
import os
import queue
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter, model
from citeproc.source.json import CiteProcJSON

from ..read.csl_styles import CslStyle

CACHE_VERSION = 1  # bump when what a cached reference holds changes
POOL_MIN_JOBS = 500  # fewer references than this per core are formatted in this process
WORKER_TIMEOUT = 10  # seconds a worker that has sent its result may take to exit
STYLE_LOOKUPS = 1 << 16  # memoized (element, expression) pairs: a style has a few thousand


@functools.lru_cache(maxsize=STYLE_LOOKUPS)
def style_search(node: Any, expression: str) -> tuple[Any, ...]:
    """An XPath search in a style's or locale's tree, evaluated once per element and expression."""
    return tuple(node.xpath(expression, namespaces=node.nsmap))


def _xpath_search(self: Any, expression: str) -> tuple[Any, ...]:
    return style_search(self, expression)


def memoize_style_lookups() -> None:
    """Keep the results of citeproc-py's lookups in a style's own tree (an override, compat.py).

    ``CitationStylesElement.xpath_search`` only ever searches the style's and its
    locales' elements, which citeproc-py never changes once parsed, and
    ``calls_variable`` of a branch (``Parent``) or a ``cs:text`` follows from its
    children and macro.  Holding an element in the cache also keeps lxml from
    making a new proxy for it, so an element stays the same key.
    """
    if model.CitationStylesElement.xpath_search is _xpath_search:
        return
    model.CitationStylesElement.xpath_search = _xpath_search
    for branch in (model.Parent, model.Text):
        branch.calls_variable = functools.lru_cache(maxsize=STYLE_LOOKUPS)(
            branch.calls_variable)


memoize_style_lookups()


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
    keys = {}
    for record in records:
        record_json = json.dumps(record, ensure_ascii=False, sort_keys=True)
        keys[record["id"]] = [hashlib.sha256(f"{style.digest}\n{record_json}".encode()).hexdigest()
                              for style in styles]
    missing = [(key, index, record) for record in records
               for index, key in enumerate(keys[record["id"]]) if key not in cache]
    new = dict(zip((key for key, _, _ in missing),
                   _format_all([(index, record) for _, index, record in missing], styles), strict=True))
    references: dict[str, tuple[Reference, ...]] = {}
    kept: dict[str, str] = {}
    for record in records:
        formatted = []
        for style, key in zip(styles, keys[record["id"]], strict=True):
            kept[key] = text = cache[key] if key in cache else new[key]
            formatted.append(Reference(style.key, style.name, text))
        references[record["id"]] = tuple(formatted)
    return Formatted(references, kept)


def _format_slice(jobs: Sequence[tuple[int, Mapping[str, Any]]], styles: Sequence[CslStyle],
                  results: Any, slot: int) -> None:
    """A forked worker: its share of the references, sent back with its slot (or what went wrong)."""
    try:
        results.put((slot, [format_reference(record, styles[index]) for index, record in jobs]))
    except Exception as error:  # handed to the parent, which raises it
        results.put((slot, f"{type(error).__name__}: {error}"))


def _format_all(jobs: Sequence[tuple[int, Mapping[str, Any]]], styles: Sequence[CslStyle]) -> list[str]:
    """``format_reference`` for each (style index, record), on every core when there are many.

    A first build formats every paper (about 6 ms each): at 10,000 papers that is a
    minute on one core.  The workers are forked with their share of the jobs and
    the parsed styles as arguments, which a fork hands over without pickling (a
    style cannot be pickled); only the formatted text comes back.
    """
    workers = min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1,
                  len(jobs) // POOL_MIN_JOBS)
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [format_reference(record, styles[index]) for index, record in jobs]
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    share = -(-len(jobs) // workers)
    processes = [context.Process(target=_format_slice, args=(jobs[slot * share:(slot + 1) * share], styles,
                                                             results, slot))
                 for slot in range(workers)]
    for process in processes:
        process.start()
    done: dict[int, list[str]] = {}
    try:
        # Read before joining: a worker whose result fills the pipe does not exit until it is read.
        while len(done) < workers:
            try:
                slot, texts = results.get(timeout=1)
            except queue.Empty:
                if any(process.exitcode not in (None, 0) for process in processes):
                    raise RuntimeError("a worker formatting references died") from None
                continue
            if isinstance(texts, str):
                raise RuntimeError(f"formatting references: {texts}")
            done[slot] = texts
    finally:
        for process in processes:
            process.join(timeout=WORKER_TIMEOUT)
            if process.is_alive():
                process.kill()
    return [text for slot in range(workers) for text in done[slot]]


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
