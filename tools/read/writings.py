"""The team's own pages: notes on papers (``seeds/notes/``) and articles (``seeds/articles/``).

Both are MyST written by the team, with optional YAML front matter (``authors``,
``date``, ``tags``).  They are trusted text, shown as written: the pages include
the files themselves.  What this module reads of them is what the converter
needs around the text: the front matter, where the body starts, an article's
title, and the papers, citations and glossary terms the text names, found in
markdown-it's tokens (the parser MyST itself uses), never by a pattern over the
text: a role inside a code block names nothing.

Problems (``file:line: reason``): a file that is not UTF-8, front matter that is
not closed or not a mapping of the known fields, a note whose file name is not
an arXiv id, an article without a title.  Whether what a text names exists is
for ``enrich.writings`` to say, which knows the papers.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.myst_blocks import myst_block_plugin
from mdit_py_plugins.myst_role import myst_role_plugin

from .. import arxiv
from ..model import Problem, Reference, SourceRef, Writing
from .parse import read_input

NOTES = "notes"  # seeds/notes/<arXiv id, '/' as '_'>.md
ARTICLES = "articles"  # seeds/articles/<slug>.md
LISTS = "lists"  # seeds/lists/<slug>.toml (read.reading_lists)
MAX_BYTES = 4 * 1024 * 1024
_FIELDS = {"authors", "date", "tags", "title"}
SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
# Roles whose target names something of the site; {cite:p}, {cite:t}... are all citations.
_NAMING_ROLES = frozenset({"paper", "term"})
_EXPLICIT_TARGET = re.compile(r"^(?P<title>.*?)\s*<(?P<target>[^<>]+)>$", re.DOTALL)


def note_id(path: Path) -> str | None:
    """The arXiv id a note's file name gives (``hep-th_9901001.md`` -> ``hep-th/9901001``)."""
    if path.suffix != ".md":
        return None
    candidate = path.stem.replace("_", "/")
    return None if arxiv.id_problem(candidate) else candidate


def note_filename(arxiv_id: str) -> str:
    return f"{arxiv_id.replace('/', '_')}.md"


def read_notes(seeds: Path) -> tuple[tuple[Writing, ...], tuple[Problem, ...]]:
    """Every note of ``seeds/notes/``, by file name; none when the folder is absent."""
    notes: list[Writing] = []
    problems: list[Problem] = []
    for path in _files(seeds / NOTES, ".md", problems):
        arxiv_id = note_id(path)
        if arxiv_id is None:
            problems.append(Problem(SourceRef(path, 0), "note-name",
                                    "a note is named after its paper's arXiv id: <id>.md "
                                    "('/' of an old-style id as '_'), e.g. 2503.10622.md"))
            continue
        note = _read(path, "note", arxiv_id, problems)
        if note is not None:
            notes.append(note)
    return tuple(notes), tuple(problems)


def read_articles(seeds: Path) -> tuple[tuple[Writing, ...], tuple[Problem, ...]]:
    """Every article of ``seeds/articles/``: ``<slug>.md`` with a ``# Title`` (or a ``title``)."""
    articles: list[Writing] = []
    problems: list[Problem] = []
    for path in _files(seeds / ARTICLES, ".md", problems):
        if not SLUG.fullmatch(path.stem):
            problems.append(Problem(SourceRef(path, 0), "article-name",
                                    "an article's file name is its page's name: lower-case "
                                    "letters, digits and '-', then .md"))
            continue
        article = _read(path, "article", path.stem, problems)
        if article is None:
            continue
        if not article.title:
            problems.append(Problem(SourceRef(path, article.body_start + 1), "article-title",
                                    "an article needs a title: a '# Title' heading first, "
                                    "or 'title' in its front matter"))
            continue
        articles.append(article)
    return tuple(articles), tuple(problems)


def _files(folder: Path, suffix: str, problems: list[Problem]) -> list[Path]:
    if not folder.is_dir():
        return []
    files = []
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if path.name.startswith("."):
            continue  # an editor's swap or backup file
        if path.suffix != suffix or path.is_dir():
            problems.append(Problem(SourceRef(path, 0), "ignored",
                                    f"ignored: {folder.name}/ holds {suffix} files only"))
            continue
        files.append(path)
    return files


def read_text(path: Path, problems: list[Problem]) -> str | None:
    """A file's text (UTF-8; a BOM and CRLF line ends are accepted), or None with a problem."""
    try:
        data = read_input(path, MAX_BYTES)
    except OSError as error:
        problems.append(Problem(SourceRef(path, 0), "unreadable",
                                f"cannot be read: {error.strerror or error}"))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        problems.append(Problem(SourceRef(path, line), "not-utf8",
                                f"not UTF-8 (byte 0x{data[error.start]:02x}); save it as UTF-8"))
        return None
    return text.replace("\r\n", "\n")


def _read(path: Path, kind: str, key: str, problems: list[Problem]) -> Writing | None:
    text = read_text(path, problems)
    if text is None:
        return None
    lines = text.split("\n")
    found: list[Problem] = []
    fields, body_start = _front_matter(path, lines, found)
    problems.extend(found)
    if found:
        return None
    tokens = _parser().parse("\n".join(lines[body_start:]))
    references = tuple(_references(tokens, path, body_start))
    title = fields.get("title", "")
    heading = _title_heading(tokens) if kind == "article" else None
    if heading is not None:
        # The page prints the title itself (its byline follows it), then includes the rest.
        title, body_start = heading[0], body_start + heading[1]
    return Writing(kind=kind, key=key, path=path, body_start=body_start, title=title,
                   authors=fields.get("authors", ()), date=fields.get("date"),
                   tags=fields.get("tags", ()), references=references)


def _front_matter(path: Path, lines: list[str], problems: list[Problem]) -> tuple[dict[str, Any], int]:
    """The checked front matter and the number of lines it takes (0 without one)."""
    if not lines or lines[0].rstrip() != "---":
        return {}, 0
    end = next((index for index in range(1, len(lines)) if lines[index].rstrip() in ("---", "...")),
               None)
    if end is None:
        problems.append(Problem(SourceRef(path, 1), "front-matter",
                                "the front matter opened here is never closed by a '---' line"))
        return {}, 0
    try:
        raw = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = 1 + (mark.line + 1 if mark is not None else 0)
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        problems.append(Problem(SourceRef(path, line), "front-matter", f"front matter: {reason}"))
        return {}, end + 1
    if not isinstance(raw, dict):
        problems.append(Problem(SourceRef(path, 2), "front-matter",
                                "front matter: 'authors', 'date' and 'tags' as 'name: value' lines"))
        return {}, end + 1
    fields: dict[str, Any] = {}
    for name, value in raw.items():
        line = 1 + next((i for i in range(1, end) if lines[i].startswith(f"{name}:")), 0)
        where = SourceRef(path, line)
        if name not in _FIELDS:
            problems.append(Problem(where, "front-matter",
                                    f"front matter: unknown field {name!r} "
                                    f"(known: {', '.join(sorted(_FIELDS))})"))
        elif name in ("authors", "tags"):
            names = [value] if isinstance(value, str) else value
            if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
                problems.append(Problem(where, "front-matter",
                                        f"front matter: {name!r} is a name or a list of names"))
            else:
                fields[name] = tuple(" ".join(n.split()) for n in names)
        elif name == "date":
            date = _date(value)
            if date is None:
                problems.append(Problem(where, "front-matter",
                                        f"front matter: 'date' is a date (2025-03-14), not {value!r}"))
            else:
                fields[name] = date
        elif not isinstance(value, str) or not value.strip():
            problems.append(Problem(where, "front-matter", "front matter: 'title' is text"))
        else:
            fields[name] = " ".join(value.split())
    return fields, end + 1


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


@functools.cache  # one parser per process
def _parser() -> MarkdownIt:
    """CommonMark with MyST's roles, ``%`` comments and targets, and ``$`` math (``conf.py``)."""
    return (MarkdownIt("commonmark").use(myst_role_plugin).use(myst_block_plugin)
            .use(dollarmath_plugin))


def _title_heading(tokens: list[Token]) -> tuple[str, int] | None:
    """An article's ``# Title`` when it is the text's first block: its text and the line after it."""
    first = next((token for token in tokens if token.block and token.nesting >= 0), None)
    if first is None or first.type != "heading_open" or first.tag != "h1" or not first.map:
        return None
    inline = tokens[tokens.index(first) + 1]
    return " ".join(inline.content.split()), first.map[1]


def _references(tokens: list[Token], path: Path, offset: int) -> Iterator[Reference]:
    """The roles of the text that name a paper, a citation or a term, with their lines.

    A directive's body (a fence whose info is ``{name}``) is MyST too: parsed again,
    at its own lines.  A plain code block names nothing.
    """
    for token in tokens:
        first = offset + (token.map[0] if token.map else 0)
        if token.type == "inline":
            line = first
            for child in token.children or ():
                if child.type in ("softbreak", "hardbreak"):
                    line += 1
                elif child.type == "myst_role":
                    yield from _role_references(child.meta.get("name", ""), child.content,
                                                SourceRef(path, line + 1))
        elif token.type == "fence" and token.info.strip().startswith("{"):
            body, skipped = _directive_body(token.content)
            yield from _references(_parser().parse(body), path, first + 1 + skipped)


def _role_references(name: str, content: str, where: SourceRef) -> Iterator[Reference]:
    explicit = _EXPLICIT_TARGET.match(content.strip())
    target = (explicit.group("target") if explicit else content).strip()
    if name in _NAMING_ROLES:
        yield Reference(name, target, where)
    elif name == "cite" or name.startswith("cite:"):
        for key in target.split(","):
            if key.strip():
                yield Reference("cite", key.strip(), where)


def _directive_body(content: str) -> tuple[str, int]:
    """A directive's content without its options (``:key: value`` lines or a ``---`` block)."""
    lines = content.split("\n")
    skipped = 0
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is not None:
            skipped = end + 1
    else:
        while skipped < len(lines) and re.match(r"\s*:[\w-]+:", lines[skipped]):
            skipped += 1
    return "\n".join(lines[skipped:]), skipped
