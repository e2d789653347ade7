"""Digest text -> :class:`Entry` records and :class:`Problem` records.

The format (README.md, "Adding a digest")::

    ## <English title>
    [<Chinese title>](<arXiv URL>)

    <Chinese abstract: paragraphs until the next "## " line or EOF>

The parser never raises on bad input: every deviation becomes a Problem with
the file and line, and parsing goes on with the next entry, so that one run
reports every problem of every file.  It knows nothing about Sphinx or MyST.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

import charset_normalizer

from .. import arxiv
from ..memo import Memo
from ..model import Entry, Problem, SourceRef
from . import markup
from .characters import control_characters, remove_control_characters

HEADING_PREFIX = "## "
# arXiv's longest titles are about 300 characters; a longer one is cut (and noted), so
# that one entry cannot make every page that lists it heavy.
MAX_TITLE = 500
# A digest is read whole; a file larger than this is not a digest (a device, a log).
MAX_DIGEST_BYTES = 32 * 1024 * 1024
# Only these three line endings; str.splitlines() would also split on form
# feeds and U+2028, and line numbers would no longer match an editor's.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# The Chinese title may itself hold brackets, so the title runs to the last "](".
# Encodings that Chinese digests mis-saved by other tools are likely to be in.
_LIKELY_ENCODINGS = ("gb18030", "big5", "utf_16", "utf_32", "cp1252")
_LINK_LINE = re.compile(r"\[(?P<title>.*)\]\((?P<url>[^()]*)\)")


class ParseResult(NamedTuple):
    entries: tuple[Entry, ...]
    problems: tuple[Problem, ...]
    notices: tuple[Problem, ...] = ()  # worth telling, never an error (control characters removed)


# The naming rule, stated once: a digest is a file directly in the seeds folder
# named NNN_<name>.txt: three or more digits (they order the digests), an
# underscore, a name, the lower-case extension .txt.  Generated page names cannot
# collide with a digest's (digests/<stem>: a stem starts with digits; index is not one).
DIGEST_NAME = re.compile(r"[0-9]{3,}_[^/]+\.txt")
# Files of the seeds folder that are input but not digests.
OTHER_INPUTS = frozenset({"metadata.toml", "digests.toml"})
# Folders of the team's own pages (read/writings.py, read/reading_lists.py).
OTHER_FOLDERS = frozenset({"notes", "lists", "articles"})


def is_digest_name(name: str) -> bool:
    return DIGEST_NAME.fullmatch(name) is not None


def digest_files(folder: Path) -> list[Path]:
    """The digests of a folder, in the order their file names give.

    A path with a digest's name that is not a folder is a digest, even when it
    cannot be read (a dangling link): parse_file then reports it.
    """
    return sorted((p for p in folder.iterdir() if is_digest_name(p.name) and not p.is_dir()),
                  key=lambda p: p.name)


def ignored_files(folder: Path) -> list[Problem]:
    """Every entry of the seeds folder that is neither a digest nor another input, and why."""
    ignored: list[Problem] = []
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if path.name in OTHER_INPUTS or (path.name in OTHER_FOLDERS and path.is_dir()):
            continue
        if path.is_dir():
            reason = "a folder: digests are files directly in the seeds folder"
        elif is_digest_name(path.name):
            continue
        elif is_digest_name(path.name[:-4] + ".txt") and path.suffix.lower() == ".txt":
            reason = "the extension must be lower-case .txt"
        else:
            reason = "not named NNN_<name>.txt (digits, an underscore, a name, .txt)"
        ignored.append(Problem(SourceRef(path, 0), "ignored", f"ignored, not a digest: {reason}"))
    return ignored


def parse_folder(folder: Path, memo: Memo | None = None) -> ParseResult:
    """Every digest in ``folder``; ``memo``: digests parsed before, by path and bytes."""
    entries: list[Entry] = []
    problems: list[Problem] = []
    notices: list[Problem] = ignored_files(folder)
    for path in digest_files(folder):
        result = parse_file(path, memo)
        entries.extend(result.entries)
        problems.extend(result.problems)
        notices.extend(result.notices)
    return ParseResult(tuple(entries), tuple(problems), tuple(notices))


def parse_file(path: Path, memo: Memo | None = None) -> ParseResult:
    try:
        data = read_input(path, MAX_DIGEST_BYTES)
    except OSError as error:
        reason = f"cannot be read: {error.strerror or error}"
        return ParseResult((), (Problem(SourceRef(path, 1), "unreadable", reason),))
    return (memo or Memo()).get("digest", (str(path), data), lambda: parse_bytes(data, path))


def parse_bytes(data: bytes, path: Path) -> ParseResult:
    try:
        text = data.decode("utf-8-sig")  # a BOM is dropped, not kept in the title
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        reason = f"not UTF-8 (byte 0x{data[error.start]:02x}); {_guess_encoding(data)}"
        return ParseResult((), (Problem(SourceRef(path, line), "not-utf8", reason),))
    return parse_text(text, path)


def read_input(path: Path, limit: int) -> bytes:
    """The bytes of a regular file (or of a link to one), at most ``limit`` of them.

    Anything else (a FIFO, a device such as /dev/zero, a socket) would block or
    never end; it raises an OSError whose ``strerror`` says what it is.
    """
    with open(path, "rb", buffering=0, opener=_open_nonblocking) as handle:
        kind = stat.S_IFMT(os.fstat(handle.fileno()).st_mode)
        if kind != stat.S_IFREG:
            raise OSError(errno.EINVAL, f"not a regular file ({_FILE_KINDS.get(kind, 'special file')})")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise OSError(errno.EFBIG, f"larger than {limit // (1024 * 1024)} MiB")
    return data


_FILE_KINDS = {stat.S_IFIFO: "a FIFO", stat.S_IFCHR: "a character device",
               stat.S_IFBLK: "a block device", stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder"}


def _open_nonblocking(path: str, flags: int) -> int:
    # O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever
    # (it is only used to open; a regular file is read as usual).
    return os.open(path, flags | os.O_NONBLOCK)


def parse_text(text: str, path: Path) -> ParseResult:
    lines = [line.rstrip() for line in _LINE_BREAK.split(text.removeprefix("\ufeff"))]
    entries: list[Entry] = []
    problems: list[Problem] = []
    notices: list[Problem] = []
    for number, line in enumerate(lines):
        found = control_characters(line)
        if found:
            lines[number] = remove_control_characters(line).rstrip()
            notices.append(Problem(SourceRef(path, number + 1), "control-characters",
                                   f"removed control character(s) {', '.join(found)}"))
    for block in _blocks(lines):
        if block.heading is None:
            first = next(n for n, line in block.body if line.strip())
            problems.append(
                Problem(SourceRef(path, first), "text-before-entry",
                        "text before the first '## ' entry heading")
            )
            continue
        entry_or_problem = _read_entry(block, path)
        if isinstance(entry_or_problem, Problem):
            problems.append(entry_or_problem)
        else:
            entry, limited = _within_limits(entry_or_problem)
            entries.append(entry)
            notices.extend(limited)
    return ParseResult(tuple(entries), tuple(problems), tuple(notices))


def _within_limits(entry: Entry) -> tuple[Entry, list[Problem]]:
    """The entry with over-long titles cut and its markup as tokens, and what the
    limits kept as written.  Tokenizing here, once, is what lets ``check`` name what
    the build would otherwise meet first."""
    found: list[str] = []
    titles: list[str] = []
    for what, title in (("title", entry.title), ("Chinese title", entry.title_zh)):
        if len(title) > MAX_TITLE:
            found.append(f"the {what} has {len(title):,} characters; cut to {MAX_TITLE}")
            title = title[:MAX_TITLE - 1].rstrip() + "…"
        titles.append(title)
    title_tokens, title_notes = markup.tokens(titles[0])
    title_zh_tokens, title_zh_notes = markup.tokens(titles[1])
    found += title_notes + title_zh_notes
    abstract_tokens = []
    for paragraph in entry.abstract:
        paragraph_tokens, paragraph_notes = markup.tokens(paragraph)
        abstract_tokens.append(paragraph_tokens)
        found += paragraph_notes
    limited = entry._replace(title=titles[0], title_zh=titles[1], title_tokens=title_tokens,
                             title_zh_tokens=title_zh_tokens, abstract_tokens=tuple(abstract_tokens))
    return limited, [Problem(entry.source, "limit", f"{entry.arxiv.id}: {note}")
                     for note in dict.fromkeys(found)]


class _Block(NamedTuple):
    heading: tuple[int, str] | None  # (line number, title) or None for a preamble
    body: list[tuple[int, str]]  # numbered lines up to the next heading


def _blocks(lines: list[str]) -> Iterator[_Block]:
    """Split numbered lines into a preamble (if it holds text) and entry blocks."""
    current = _Block(None, [])
    for number, line in enumerate(lines, start=1):
        if line.startswith(HEADING_PREFIX) or line == HEADING_PREFIX.rstrip():
            if current.heading is not None or any(text.strip() for _, text in current.body):
                yield current
            current = _Block((number, line[len(HEADING_PREFIX):].strip()), [])
        else:
            current.body.append((number, line))
    if current.heading is not None or any(text.strip() for _, text in current.body):
        yield current


def _read_entry(block: _Block, path: Path) -> Entry | Problem:
    assert block.heading is not None
    heading_line, title = block.heading
    where = SourceRef(path, heading_line)
    if not title:
        return Problem(where, "empty-title", "entry heading '## ' has no title")
    body = _strip_blank_edges(block.body)
    if not body:
        return Problem(where, "missing-link",
                       "entry has no link line '[中文标题](https://arxiv.org/abs/ID)' and no abstract")
    link_number, link_line = body[0]
    link = _LINK_LINE.fullmatch(link_line.strip())
    if not link:
        return Problem(SourceRef(path, link_number), "missing-link",
                       f"expected the link line '[中文标题](https://arxiv.org/abs/ID)' "
                       f"after the heading, found {_clip(link_line)!r}")
    url = link.group("url")
    try:
        ref = arxiv.parse_url(url)
    except arxiv.NotArxiv as error:
        return Problem(SourceRef(path, link_number), "bad-link", str(error))
    title_zh = link.group("title").strip()
    if not title_zh:
        return Problem(SourceRef(path, link_number), "empty-title-zh", "the Chinese title is empty")
    abstract = tuple(_paragraphs(body[1:]))
    if not abstract:
        return Problem(where, "empty-abstract", f"entry {ref.id} has an empty abstract")
    return Entry(title=title, title_zh=title_zh, url=url, arxiv=ref,
                 abstract=abstract, source=where)


def _strip_blank_edges(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    start, end = 0, len(lines)
    while start < end and not lines[start][1].strip():
        start += 1
    while end > start and not lines[end - 1][1].strip():
        end -= 1
    return lines[start:end]


def _paragraphs(lines: Iterable[tuple[int, str]]) -> Iterator[str]:
    """Blank-line separated paragraphs, each paragraph's lines joined by a space."""
    paragraph: list[str] = []
    for _, line in lines:
        if line.strip():
            paragraph.append(line.strip())
        elif paragraph:
            yield " ".join(paragraph)
            paragraph = []
    if paragraph:
        yield " ".join(paragraph)


def _clip(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _guess_encoding(data: bytes) -> str:
    """A hint for the error message: charset-normalizer's best guess, if it has one.

    Digests are Chinese text (and English), so the guess is made among the
    encodings such files are mis-saved in; on a few short lines, an unrestricted
    guess often lands on a Korean or Japanese code page instead.
    """
    best = charset_normalizer.from_bytes(data, cp_isolation=list(_LIKELY_ENCODINGS)).best()
    if best is None:
        return "save it as UTF-8"
    return f"it is likely {best.encoding.upper().replace('_', '-')}; save it as UTF-8"
