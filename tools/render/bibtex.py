"""BibTeX entries, written with bibtexparser (keys come from ``citekeys``).

Entries follow arXiv's own "Export BibTeX citation" (``@misc`` with title,
year, eprint, archivePrefix, primaryClass, url), plus the month of the id.
Field values are LaTeX: every character that is special to (La)TeX
(``% & # $ _ { } ~ ^ \\``) is encoded, other characters stay UTF-8, and words with inner capitals or digits
are braced (``{DyT}``, ``{Qwen2.5-Omni}``) so that styles that change case
keep them.  bibtexparser adds the enclosing braces and writes the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from bibtexparser.entrypoint import write_string
from bibtexparser.library import Library
from bibtexparser.model import Entry as BibEntry
from bibtexparser.model import Field
from bibtexparser.writer import BibtexFormat

from .. import arxiv
from ..model import Citation

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_WORD_EDGES = re.compile(r"""([("'\[]*)(.*?)([.,:;!?)"'\]]*)""", re.DOTALL)
# Only the ten characters (La)TeX treats specially are encoded; everything else
# stays UTF-8, which BibTeX, biber, pandoc and reference managers read as it is
# (mapping all of Unicode to LaTeX macros, as pylatexenc can, is lossy: "·" came
# back as "˙"). With such a fixed table a library adds nothing but time (pylatexenc
# took 70 % of rendering 1,000 papers). BibTeX counts braces without regard to
# backslashes ("\{" opens a group), so literal braces are text commands; each
# replacement is braced so that it cannot run into the next letter.
_LATEX_SPECIAL = {
    "\\": r"{\textbackslash}", "{": r"{\textbraceleft}", "}": r"{\textbraceright}",
    "%": r"{\%}", "&": r"{\&}", "#": r"{\#}", "$": r"{\$}", "_": r"{\_}",
    "~": r"{\textasciitilde}", "^": r"{\textasciicircum}"}
_LATEX_SPECIALS = str.maketrans(_LATEX_SPECIAL)
# Each encoding, and a lone brace (a protective group), back to text: field_text().
_ENCODED = re.compile("|".join(re.escape(code) for code in sorted(_LATEX_SPECIAL.values(), key=len,
                                                                  reverse=True)) + r"|[{}]")
_DECODED = {code: char for char, code in _LATEX_SPECIAL.items()}


def latex_text(text: str) -> str:
    """Text as LaTeX text: the special characters encoded, all others kept."""
    return text.translate(_LATEX_SPECIALS)


def field_text(value: str) -> str:
    """A field this module wrote, back to its text: encodings decoded, protective braces dropped."""
    return _ENCODED.sub(lambda match: _DECODED.get(match.group(0), ""), value)


def latex_title(title: str) -> str:
    """A title as BibTeX title text: special characters encoded, capitals protected."""
    out = []
    for word in re.split(r"(\s+)", title):
        edges = _WORD_EDGES.fullmatch(word)
        assert edges is not None  # every part of the pattern is optional, and . matches newlines
        lead, core, trail = edges.groups()
        encoded = latex_text(core)
        if core and _needs_protection(core):
            encoded = "{" + encoded + "}"
        out.append(latex_text(lead) + encoded + latex_text(trail))
    return "".join(out)


def entry(citation: Citation, key: str) -> BibEntry:
    fields = [Field("title", latex_title(citation.title))]
    if citation.authors:
        # A name without a given name is braced so BibTeX reads it as one family name.
        names = " and ".join(f"{_name_part(family)}, {_name_part(given)}" if given
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
        # Curated text like the title: encoded the same way, so that no value can close the field.
        fields.append(Field("primaryClass", latex_text(citation.primary_class)))
    fields.append(Field("url", arxiv.abs_url(citation.arxiv_id)))
    return BibEntry("misc", key, fields)


_AND = re.compile(r"\sand\s", re.IGNORECASE)


def _name_part(text: str) -> str:
    """A family or given name: encoded, and braced when it holds an " and " (which would split it)."""
    encoded = latex_text(text)
    return "{" + encoded + "}" if _AND.search(text) else encoded


def write(entries: Sequence[BibEntry]) -> str:
    text = write_string(Library(list(entries)), bibtex_format=_FORMAT)
    return text.strip() + "\n"


def concatenate(written: Iterable[str]) -> str:
    """Entries each written by :func:`write`, as one file: what ``write`` gives for them all.

    bibtexparser copies every entry through its middlewares on each call, so a
    site writes each entry once and joins the texts for refs.bib and the topic files.
    """
    return "\n\n".join(written)


def _format() -> BibtexFormat:
    fmt = BibtexFormat()  # type: ignore[no-untyped-call]  # bibtexparser leaves __init__ unannotated
    fmt.indent = "  "
    fmt.block_separator = "\n\n"
    fmt.trailing_comma = True
    return fmt


_FORMAT = _format()


def _needs_protection(word: str) -> bool:
    """Acronyms and names a style must not lower-case: DyT, Qwen2.5-Omni, LLMs, SEA-VL."""
    return any(char.isupper() for char in word[1:]) or (
        any(char.isupper() for char in word) and any(char.isdigit() for char in word))


