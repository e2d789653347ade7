"""BibTeX entries, written with bibtexparser (keys come from ``citekeys``).

Entries follow arXiv's own "Export BibTeX citation" (``@misc`` with title,
year, eprint, archivePrefix, primaryClass, url), plus the month of the id, the
DOI arXiv registers for every paper (``10.48550/arXiv.<id>``) and biblatex's
``eprinttype = {arxiv}``: without ``doi`` and ``eprinttype``, Zotero's BibTeX
import and citation-js read an entry as a plain document with no identifier.
Field values are LaTeX: every character that is special to (La)TeX
(``% & # $ _ { } ~ ^ \\``) is encoded, other characters stay UTF-8.  Title words
a sentence-case style must not lower-case are braced, as Better BibTeX does: words
with inner capitals or digits (``{DyT}``, ``{Qwen2.5-Omni}``) and the curated proper
nouns (``{Hugging Face}'s``, ``docs/_data/proper_nouns.toml``); the other words of a
Title Case title stay free, so that ``plain`` can lower-case them.  bibtexparser adds
the enclosing braces and writes the file.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

from bibtexparser.entrypoint import write_string
from bibtexparser.library import Library
from bibtexparser.model import Entry as BibEntry
from bibtexparser.model import Field
from bibtexparser.writer import BibtexFormat

from .. import arxiv
from ..model import Citation
from ..read.curated import NO_PROPER_NOUNS, ProperNouns

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


def latex_title(title: str, proper_nouns: ProperNouns = NO_PROPER_NOUNS) -> str:
    """A title as BibTeX title text: special characters encoded, capitals protected."""
    spans = _protected_spans(title, proper_nouns)
    out, position = [], 0
    for start, end in spans:
        out.append(latex_text(title[position:start]))
        out.append("{" + latex_text(title[start:end]) + "}")
        position = end
    out.append(latex_text(title[position:]))
    return "".join(out)


def _protected_spans(title: str, proper_nouns: ProperNouns) -> list[tuple[int, int]]:
    """The (start, end) spans of the title to brace, in order, overlapping ones merged."""
    spans = []
    for word in re.finditer(r"\S+", title):
        edges = _WORD_EDGES.fullmatch(word.group())
        assert edges is not None  # every part of the pattern is optional, and . matches newlines
        lead, core, _ = edges.groups()
        if core and _needs_protection(core):
            start = word.start() + len(lead)
            spans.append((start, start + len(core)))
    pattern = _names_pattern(proper_nouns.names)
    if pattern is not None:
        spans += [match.span() for match in pattern.finditer(title)]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


@functools.lru_cache(maxsize=8)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """Any of the names as a whole word or phrase, as written (the longest first)."""
    if not names:
        return None
    # A name's words may be split by any run of spaces; "\w" does not end a word at "'s" or "-".
    alternatives = (r"\s+".join(map(re.escape, name.split()))
                    for name in sorted(names, key=len, reverse=True))
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")


def protected_groups(value: str) -> ProperNouns:
    """The protective groups of a title this module wrote, as names: what ``latex_title`` braced.

    For a title rewritten from its text (the bibliography's formulas as text), so that the
    rewritten title keeps the protection of the original without the curated list.
    """
    groups, depth, start = [], 0, 0
    for match in _ENCODED.finditer(value):
        code = match.group(0)
        if code in _DECODED:
            continue
        if code == "{":
            depth += 1
            if depth == 1:
                start = match.end()
        elif depth:
            depth -= 1
            if depth == 0:
                groups.append(field_text(value[start:match.start()]))
    return ProperNouns(tuple(dict.fromkeys(group for group in groups if group.strip())))


def entry(citation: Citation, key: str, proper_nouns: ProperNouns = NO_PROPER_NOUNS) -> BibEntry:
    fields = [Field("title", latex_title(citation.title, proper_nouns))]
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
    # An arXiv id is letters, digits, ".", "/" and "-" (tools/arxiv.py): nothing to encode.
    fields += [Field("doi", arxiv.doi(citation.arxiv_id)), Field("eprint", citation.arxiv_id),
               Field("archivePrefix", "arXiv"), Field("eprinttype", "arxiv")]
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


