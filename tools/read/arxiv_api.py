"""Metadata from the arXiv API (https://info.arxiv.org/help/api/user-manual.html).

``GET {api}?id_list=ID,ID,...&max_results=N`` answers with an Atom feed, one
``<entry>`` per id.  The API's terms ask for at most one request every three
seconds; requests are batched, spaced, and retried with back-off on network
errors, HTTP 429 and 5xx.  When arXiv cannot be reached, :class:`Unreachable`
says so and nothing is returned, so the caller leaves its file unchanged.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Sequence
from typing import NamedTuple

from ..arxiv import NotArxiv, parse_url
from .metadata import ORIGIN_API, PaperMeta

API_URL = "https://export.arxiv.org/api/query"
_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV = "{http://arxiv.org/schemas/atom}"
USER_AGENT = "paper-kb/0.1 (metadata refresh)"


class Unreachable(RuntimeError):
    """arXiv could not be reached (offline, DNS, refused, repeated server errors)."""


class FetchResult(NamedTuple):
    papers: dict[str, PaperMeta]
    missing: list[str]  # ids the API did not describe (unknown or malformed ids)


def fetch(ids: Sequence[str], *, api: str = API_URL, batch_size: int = 50,
          min_interval: float = 3.0, retries: int = 3, timeout: float = 30.0,
          clock: Callable[[], float] = time.monotonic,
          sleep: Callable[[float], None] = time.sleep) -> FetchResult:
    papers: dict[str, PaperMeta] = {}
    last_request: float | None = None
    for batch in _batches(list(ids), batch_size):
        query = urllib.parse.urlencode({"id_list": ",".join(batch), "max_results": len(batch)})
        url = f"{api}?{query}"
        for attempt in range(retries + 1):
            if last_request is not None:
                wait = min_interval * (2 ** attempt if attempt else 1) - (clock() - last_request)
                if wait > 0:
                    sleep(wait)
            try:
                body = _get(url, timeout)
                break
            except _Retryable as error:
                if attempt == retries:
                    raise Unreachable(f"arXiv API at {api} not reachable after {retries + 1} "
                                      f"attempts: {error}") from error
            finally:
                # Counted from the end of a request, so that the server, too, sees
                # at least min_interval between two of them.
                last_request = clock()
        papers.update(parse_feed(body))
    return FetchResult(papers, [i for i in ids if i not in papers])


class _Retryable(Exception):
    pass


def _get(url: str, timeout: float) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body: bytes = response.read()
            return body
    except urllib.error.HTTPError as error:
        if error.code == 429 or error.code >= 500:
            raise _Retryable(f"HTTP {error.code}") from error
        raise Unreachable(f"arXiv API answered HTTP {error.code} for {url}") from error
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        raise _Retryable(str(getattr(error, "reason", error))) from error


def parse_feed(body: bytes) -> dict[str, PaperMeta]:
    """Atom feed -> metadata by bare arXiv id (error entries are skipped)."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as error:
        raise Unreachable(f"arXiv API sent something that is not Atom XML: {error}") from error
    papers = {}
    for entry in root.iter(f"{_ATOM}entry"):
        meta = _entry(entry)
        if meta is not None:
            papers[meta.arxiv_id] = meta
    return papers


def _entry(entry: ET.Element) -> PaperMeta | None:
    try:
        ref = parse_url(_text(entry, f"{_ATOM}id"))
    except NotArxiv:
        return None  # the API reports a bad id as an entry whose id is an error URL
    published = _text(entry, f"{_ATOM}published")
    primary = entry.find(f"{_ARXIV}primary_category")
    meta = PaperMeta(
        arxiv_id=ref.id,
        title=" ".join(_text(entry, f"{_ATOM}title").split()),
        authors=tuple(" ".join((a.findtext(f"{_ATOM}name") or "").split())
                      for a in entry.findall(f"{_ATOM}author")),
        published=dt.date.fromisoformat(published[:10]) if published else None,
        primary_category=primary.get("term") if primary is not None else None,
        categories=tuple(c.get("term", "") for c in entry.findall(f"{_ATOM}category") if c.get("term")),
        complete=True, sources=(f"https://arxiv.org/abs/{ref.id}",), origin=ORIGIN_API)
    return dataclasses.replace(meta, checksum=meta.fields_checksum())


def _text(element: ET.Element, tag: str) -> str:
    return (element.findtext(tag) or "").strip()


def _batches(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start: start + size]
