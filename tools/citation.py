"""What a citation is made of: the :class:`Citation` record and author-name splitting.

``enrich`` builds one citation per paper (from the metadata file, else from
the digest); ``citekeys`` derives its key, ``bibtex`` and ``exports`` write it.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

from pybtex.database import Person

from . import arxiv


class Citation(NamedTuple):
    """What a citation is made of; ``authors`` as (family, given) pairs."""

    arxiv_id: str
    title: str
    authors: tuple[tuple[str, str], ...] = ()
    date: datetime.date | None = None  # of v1; without it, year and month come from the id
    primary_class: str | None = None

    @property
    def year(self) -> int:
        return self.date.year if self.date else arxiv.year_month(self.arxiv_id)[0]

    @property
    def month(self) -> int:
        return self.date.month if self.date else arxiv.year_month(self.arxiv_id)[1]


def split_name(name: str) -> tuple[str, str]:
    """"Given Family" (or "Family, Given") -> (family, given), with pybtex's BibTeX name rules.

    "von" parts stay with the family name: "Ludwig van Beethoven" -> ("van Beethoven", "Ludwig").
    BibTeX's protective braces are dropped: "{Supryadi}" (a single name) -> ("Supryadi", "").
    """
    person = Person(name)
    family = _unbrace(" ".join([*person.prelast_names, *person.last_names]))
    given = _unbrace(" ".join([*person.first_names, *person.middle_names]))
    if person.lineage_names:
        given = f"{given}, {' '.join(person.lineage_names)}" if given else " ".join(person.lineage_names)
    return family or name, given


def _unbrace(text: str) -> str:
    return text.replace("{", "").replace("}", "")


