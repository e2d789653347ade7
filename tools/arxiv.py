"""arXiv identifiers: recognising them in links, naming pages after them.

Two id schemes exist (https://info.arxiv.org/help/arxiv_identifier.html):
new-style ``YYMM.NNNN`` / ``YYMM.NNNNN`` (since 2007) and old-style
``archive(.SUBJ)/YYMMNNN`` such as ``hep-th/9901001`` or ``math.GT/0309136``.
"""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import urlsplit

_NEW_ID = r"\d{4}\.\d{4,5}"
_OLD_ID = r"[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7}"
_ID_WITH_VERSION = re.compile(rf"(?P<id>{_NEW_ID}|{_OLD_ID})(?:v(?P<version>\d+))?")
_HOSTS = {"arxiv.org", "www.arxiv.org", "export.arxiv.org"}
_PATH = re.compile(rf"/(?:abs|pdf|html)/{_ID_WITH_VERSION.pattern}(?:\.pdf)?/?")


class ArxivRef(NamedTuple):
    """An arXiv identifier split into the bare id and its version (if any)."""

    id: str
    version: int | None


class NotArxiv(ValueError):
    """The link is not one this knowledge base can key a paper on."""


def parse_url(url: str) -> ArxivRef:
    """Return the arXiv id a link points to, or raise :class:`NotArxiv` saying why.

    Accepts ``abs``, ``pdf`` (with or without ``.pdf``) and ``html`` links over
    http or https, with an optional version suffix.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise NotArxiv(f"not a web URL: {url!r}")
    if parts.hostname not in _HOSTS:
        raise NotArxiv(f"not an arXiv URL (host {parts.hostname!r}): {url!r}")
    match = _PATH.fullmatch(parts.path)
    if not match:
        raise NotArxiv(f"no arXiv identifier in the link: {url!r}")
    arxiv_id, version = match.group("id"), match.group("version")
    reason = id_problem(arxiv_id)
    if reason:
        raise NotArxiv(f"{reason}: {url!r}")
    return ArxivRef(arxiv_id, int(version) if version else None)


def id_problem(arxiv_id: str) -> str | None:
    """Why ``arxiv_id`` is not an id of arXiv's grammar, or None when it is one.

    Old-style ids (``archive(.SUBJ)/YYMMNNN``) run from 9108 (August 1991) to
    0703; new-style ``YYMM.NNNN`` from 0704 to 1412 and ``YYMM.NNNNN`` from
    1501; in both the month is 01 to 12.
    """
    if not _ID_WITH_VERSION.fullmatch(arxiv_id) or "v" in arxiv_id.rsplit("/", 1)[-1]:
        return "not an arXiv identifier"
    old_style = "/" in arxiv_id
    digits = arxiv_id.rsplit("/", 1)[-1]
    yymm, month = digits[:4], int(digits[2:4])
    if not 1 <= month <= 12:
        return f"no month {digits[2:4]} in the arXiv identifier {arxiv_id}"
    # Order yymm through the century break: old-style 91..99 come before 00..07.
    ordered = ("19" if yymm >= "9108" else "20") + yymm
    if old_style and not "199108" <= ordered <= "200703":
        return f"old-style arXiv ids (archive/YYMMNNN) run from 9108 to 0703, not {yymm}: {arxiv_id}"
    if not old_style:
        number = digits.split(".", 1)[1]
        if yymm < "0704":
            return f"new-style arXiv ids (YYMM.NNNN) start in 0704, not {yymm}: {arxiv_id}"
        if yymm < "1501" and len(number) != 4:
            return f"arXiv ids before 2015 have four digits after the dot: {arxiv_id}"
        if yymm >= "1501" and len(number) != 5:
            return f"arXiv ids from 2015 on have five digits after the dot: {arxiv_id}"
    return None


def abs_url(arxiv_id: str) -> str:
    return f"https://arxiv.org/abs/{arxiv_id}"


def doi(arxiv_id: str) -> str:
    """The DOI arXiv registers (with DataCite) for every paper, old-style ids included."""
    return f"10.48550/arXiv.{arxiv_id}"


def pdf_url(arxiv_id: str) -> str:
    return f"https://arxiv.org/pdf/{arxiv_id}"


def html_url(arxiv_id: str) -> str:
    return f"https://arxiv.org/html/{arxiv_id}"


def page_name(arxiv_id: str) -> str:
    """A file-system and URL safe page name: ``hep-th/9901001`` -> ``hep-th_9901001``.

    New-style ids are their own page name (``2503.18878``).  ``_`` never occurs
    in an arXiv id, so the mapping cannot collide.
    """
    return arxiv_id.replace("/", "_")


def year_month(arxiv_id: str) -> tuple[int, int]:
    """The submission month encoded in the id (``2503.x`` -> 2025-03)."""
    digits = arxiv_id.rsplit("/", 1)[-1][:4]
    yy, mm = int(digits[:2]), int(digits[2:4])
    # Old-style ids run from 1991 to 2007; new-style ids start in 2007 (0704).
    year = 1900 + yy if "/" in arxiv_id and yy >= 91 else 2000 + yy
    return year, mm
