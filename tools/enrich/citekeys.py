"""Citation keys (tools/DESIGN.md, "Citations: encoding, styles and keys").

* with authors: ``<family name of the first author><year><first significant
  title word>``, lower case, ASCII-folded (anyascii), punctuation dropped, e.g.
  ``zhu2025transformers``, ``xu2025qwen25omni``; the skipped words are Better
  BibTeX's defaults (articles, prepositions, conjunctions);
* without authors: ``arxiv`` + the id, e.g. ``arxiv2503.18878`` (old-style ids
  lose their slash: ``arxivhep-th9901001``).

Keys depend only on the paper's own data.  Should two papers get the same
key, the one with the older arXiv id keeps it and each newer one gets its
arXiv id appended (``zhu2025transformers2503.10623``).  Digests announce new
papers, so adding a digest does not change an existing key.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from anyascii import anyascii

from .. import arxiv
from ..model import Citation

# Words a key skips: Better BibTeX's default skip-words (function words of English,
# French, German, Italian and Spanish titles).
_STOPWORDS = frozenset("""
a ab aboard about above across after against al along amid among an and anti around as at before
behind below beneath beside besides between beyond but by d da das de del dell dello dei degli
della delle dem den der des despite die do down du during ein eine einem einen einer eines el en
et except for from gli i il in inside into is l la las le les like lo los near nor of off on onto
or over past per plus round save since so some sur than the through to toward towards un una unas
under underneath une unlike uno unos until up upon versus via von while with within without yet zu
zum""".split())
def base_key(citation: Citation) -> str:
    if not citation.authors:
        return "arxiv" + citation.arxiv_id.replace("/", "")
    family = _ascii_word(citation.authors[0][0]) or "anon"
    year = citation.year
    words = [_ascii_word(word) for word in re.split(r"[\s:/]+", citation.title)]
    significant = next((w for w in words if w and w not in _STOPWORDS), "")
    return f"{family}{year}{significant}"


def assign_keys(citations: Iterable[Citation]) -> dict[str, str]:
    """arXiv id -> citation key, unique, collisions resolved by id age."""
    by_key: dict[str, list[str]] = {}
    for citation in citations:
        by_key.setdefault(base_key(citation), []).append(citation.arxiv_id)
    keys: dict[str, str] = {}
    for key, ids in by_key.items():
        oldest, *newer = sorted(ids, key=_id_age)
        keys[oldest] = key
        for arxiv_id in newer:
            keys[arxiv_id] = key + arxiv_id.replace("/", "")
    return keys


def _ascii_word(text: str) -> str:
    """ASCII-folded, lower case, letters and digits only: "Müller" -> "muller", "张" -> "zhang"."""
    return re.sub(r"[^a-z0-9]", "", anyascii(text).lower())


def _id_age(arxiv_id: str) -> tuple[int, int, str]:
    year, month = arxiv.year_month(arxiv_id)
    return year, month, arxiv_id
