"""Digests as readers name them: a number, a title and a date, never a file hash.

A digest file is ``NNN_<anything>.txt``; ``NNN`` is its number.  Its title and
date come from ``digests.toml`` (``read.digest_titles``) and are otherwise
derived: the date is the latest publication date of its papers (from the
metadata file), or their latest arXiv month; the title is
``第 4 期 · 2025-03-24 · 15 篇``.

Digests are in time order, oldest first: by date, then by number (a file's
number says in what order a team wrote digests of one day), then by file stem.
A digest whose date is known only to the month (``2025-03``) sorts before the
days of that month.  So "latest" is always the newest digest, whatever the files
are called.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from .. import arxiv
from ..model import Digest
from ..read.digest_titles import DigestData
from ..read.metadata import PaperMeta

_NUMBER = re.compile(r"(\d+)")


@dataclass(frozen=True)
class DigestInfo:
    name: str  # the file stem: identifies the digest, never shown as a title
    number: int
    label: str  # 第 4 期
    date: str  # 2025-03-24, or 2025-03 when no paper has a known date
    paper_ids: tuple[str, ...]
    title: str  # the data file's title, or "第 4 期 · 2025-03-24 · 15 篇"

    @property
    def summary(self) -> str:
        return f"{self.label} · {self.date} · {len(self.paper_ids)} 篇"


def describe(digests: tuple[Digest, ...], metadata: Mapping[str, PaperMeta],
             data: Mapping[str, DigestData]) -> tuple[DigestInfo, ...]:
    """Every digest with its number, date and title, oldest first (see the module docstring)."""
    infos: list[DigestInfo] = []
    for position, digest in enumerate(digests, start=1):
        match = _NUMBER.match(digest.name)
        number = int(match.group(1)) if match else position
        given = data.get(digest.name, DigestData())
        date = given.date.isoformat() if given.date else _derived_date(digest.paper_ids, metadata)
        label = f"第 {number} 期"
        info = DigestInfo(name=digest.name, number=number, label=label, date=date,
                          paper_ids=digest.paper_ids, title="")
        infos.append(DigestInfo(**{**info.__dict__, "title": given.title or info.summary}))
    return tuple(sorted(infos, key=lambda info: (info.date, info.number, info.name)))


def _derived_date(paper_ids: tuple[str, ...], metadata: Mapping[str, PaperMeta]) -> str:
    dates = [meta.published for pid in paper_ids if (meta := metadata.get(pid)) and meta.published]
    if dates:
        return max(dates).isoformat()
    months = [arxiv.year_month(pid) for pid in paper_ids]
    if not months:
        return ""
    year, month = max(months)
    return f"{year:04d}-{month:02d}"
