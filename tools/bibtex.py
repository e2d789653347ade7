"""Citation keys and BibTeX entries, written with bibtexparser.

Entries follow arXiv's own "Export BibTeX citation" (``@misc`` with title,
year, eprint, archivePrefix, primaryClass, url), plus the month of the id.
Field values are LaTeX: every character that is special to (La)TeX
(``% & # $ _ { } ~ ^ \\``) is encoded, other characters stay UTF-8, and words with inner capitals or digits
are braced (``{DyT}``, ``{Qwen2.5-Omni}``) so that styles that change case
keep them.  bibtexparser adds the enclosing braces and writes the file.

Citation keys (also documented in the README):

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

import datetime
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import bibtexparser
from anyascii import anyascii
from bibtexparser.model import Entry as BibEntry
from bibtexparser.model import Field
from pybtex.database import Person

from . import arxiv

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
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
_WORD_EDGES = re.compile(r"""([("'\[]*)(.*?)([.,:;!?)"'\]]*)""", re.DOTALL)
# Only the ten characters (La)TeX treats specially are encoded; everything else
# stays UTF-8, which BibTeX, biber, pandoc and reference managers read as it is
# (mapping all of Unicode to LaTeX macros, as pylatexenc can, is lossy: "·" came
# back as "˙"). With such a fixed table a library adds nothing but time (pylatexenc
# took 70 % of rendering 1,000 papers). BibTeX counts braces without regard to
# backslashes ("\{" opens a group), so literal braces are text commands; each
# replacement is braced so that it cannot run into the next letter.
_LATEX_SPECIALS = str.maketrans({
    "\\": r"{\textbackslash}", "{": r"{\textbraceleft}", "}": r"{\textbraceright}",
    "%": r"{\%}", "&": r"{\&}", "#": r"{\#}", "$": r"{\$}", "_": r"{\_}",
    "~": r"{\textasciitilde}", "^": r"{\textasciicircum}"})


def latex_text(text: str) -> str:
    """Text as LaTeX text: the special characters encoded, all others kept."""
    return text.translate(_LATEX_SPECIALS)


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


def latex_title(title: str) -> str:
    """A title as BibTeX title text: special characters encoded, capitals protected."""
    out = []
    for word in re.split(r"(\s+)", title):
        lead, core, trail = _WORD_EDGES.fullmatch(word).groups()
        encoded = latex_text(core)
        if core and _needs_protection(core):
            encoded = "{" + encoded + "}"
        out.append(latex_text(lead) + encoded + latex_text(trail))
    return "".join(out)


def entry(citation: Citation, key: str) -> BibEntry:
    fields = [Field("title", latex_title(citation.title))]
    if citation.authors:
        # A name without a given name is braced so BibTeX reads it as one family name.
        names = " and ".join(latex_text(f"{family}, {given}") if given
                             else "{" + latex_text(family) + "}"
                             for family, given in citation.authors)
        fields.append(Field("author", names))
    else:
        # Styles sort and label by author; without one, BibTeX falls back to `key`.
        fields.append(Field("key", citation.arxiv_id))
    fields.append(Field("year", str(citation.year)))
    month_field = Field("month", MONTHS[citation.month - 1])
    month_field.enclosing = "no-enclosing"  # the standard month macro, as in `month = mar`
    fields.append(month_field)
    fields += [Field("eprint", citation.arxiv_id), Field("archivePrefix", "arXiv")]
    if citation.primary_class:
        fields.append(Field("primaryClass", citation.primary_class))
    fields.append(Field("url", arxiv.abs_url(citation.arxiv_id)))
    return BibEntry("misc", key, fields)


def write(entries: Sequence[BibEntry]) -> str:
    library = bibtexparser.Library(list(entries))
    text = bibtexparser.write_string(library, bibtex_format=_FORMAT)
    return text.strip() + "\n"


def _format() -> bibtexparser.BibtexFormat:
    fmt = bibtexparser.BibtexFormat()
    fmt.indent = "  "
    fmt.block_separator = "\n\n"
    fmt.trailing_comma = True
    return fmt


_FORMAT = _format()


def _needs_protection(word: str) -> bool:
    """Acronyms and names a style must not lower-case: DyT, Qwen2.5-Omni, LLMs, SEA-VL."""
    return any(char.isupper() for char in word[1:]) or (
        any(char.isupper() for char in word) and any(char.isdigit() for char in word))


def _ascii_word(text: str) -> str:
    """ASCII-folded, lower case, letters and digits only: "Müller" -> "muller", "张" -> "zhang"."""
    return re.sub(r"[^a-z0-9]", "", anyascii(text).lower())


def _id_age(arxiv_id: str) -> tuple[int, int, str]:
    year, month = arxiv.year_month(arxiv_id)
    return year, month, arxiv_id
