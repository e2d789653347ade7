"""Reading lists: ``seeds/lists/<slug>.toml``, papers in the order the team reads them.

```toml
title = "Where to start on agents"
description = "Five papers, in reading order."

[[papers]]
id = "2503.10622"
why = "The survey: read it first."
```

``why`` is optional.  Problems (``file:line: reason``): malformed TOML (the line
tomllib names), a missing title, an entry without an ``id`` or with one that is
not an arXiv id.  Whether the site holds each paper is ``enrich.writings``'s to say.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from .. import arxiv
from ..model import ListItem, Problem, ReadingList, SourceRef
from .writings import LISTS, SLUG, read_text

_FIELDS = {"title", "description", "papers"}
_ENTRY_FIELDS = {"id", "why"}
_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")
_ENTRY_HEADER = re.compile(r"\s*\[\[\s*papers\s*\]\]")


def read_lists(seeds: Path) -> tuple[tuple[ReadingList, ...], tuple[Problem, ...]]:
    folder = seeds / LISTS
    lists: list[ReadingList] = []
    problems: list[Problem] = []
    if not folder.is_dir():
        return (), ()
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if path.name.startswith("."):
            continue
        if path.suffix != ".toml" or path.is_dir() or not SLUG.fullmatch(path.stem):
            problems.append(Problem(SourceRef(path, 0), "list-name",
                                    "a reading list is <slug>.toml: lower-case letters, digits and '-'"))
            continue
        reading_list = _read(path, problems)
        if reading_list is not None:
            lists.append(reading_list)
    return tuple(lists), tuple(problems)


def _read(path: Path, problems: list[Problem]) -> ReadingList | None:
    text = read_text(path, problems)
    if text is None:
        return None
    try:
        raw: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = _TOML_LINE.search(str(error))
        problems.append(Problem(SourceRef(path, int(match.group(1)) if match else 0), "list-toml",
                                f"not valid TOML: {_TOML_LINE.sub('', str(error)).strip()}"))
        return None
    lines = text.split("\n")
    found: list[Problem] = []
    for name in sorted(set(raw) - _FIELDS):
        found.append(Problem(SourceRef(path, _key_line(lines, name)), "list-field",
                             f"unknown field {name!r} (a list has title, description, [[papers]])"))
    title, description = raw.get("title"), raw.get("description", "")
    if not isinstance(title, str) or not title.strip():
        found.append(Problem(SourceRef(path, _key_line(lines, "title")), "list-title",
                             "a reading list needs a 'title' (text)"))
    if not isinstance(description, str):
        found.append(Problem(SourceRef(path, _key_line(lines, "description")), "list-field",
                             "'description' is text"))
    entries = raw.get("papers", [])
    if not isinstance(entries, list):
        entries = []
        found.append(Problem(SourceRef(path, _key_line(lines, "papers")), "list-field",
                             "'papers' is an array of tables: [[papers]] with an id and a why"))
    # tomllib keeps no positions: the n-th [[papers]] header is the n-th entry's line.
    headers = [number for number, line in enumerate(lines, 1) if _ENTRY_HEADER.match(line)]
    items: list[ListItem] = []
    for index, entry in enumerate(entries):
        where = SourceRef(path, headers[index] if len(headers) == len(entries) else 0)
        item = _item(entry, where, found)
        if item is not None:
            items.append(item)
    problems.extend(found)
    if not isinstance(title, str) or not title.strip() or not isinstance(description, str):
        return None
    return ReadingList(slug=path.stem, path=path, title=" ".join(title.split()),
                       description=" ".join(description.split()), items=tuple(items))


def _item(entry: object, where: SourceRef, problems: list[Problem]) -> ListItem | None:
    if not isinstance(entry, dict):
        problems.append(Problem(where, "list-entry", "an entry is a [[papers]] table"))
        return None
    unknown = sorted(set(entry) - _ENTRY_FIELDS)
    if unknown:
        problems.append(Problem(where, "list-entry",
                                f"unknown field {unknown[0]!r} (an entry has id and why)"))
    arxiv_id, why = entry.get("id"), entry.get("why", "")
    if not isinstance(arxiv_id, str) or not arxiv_id.strip():
        problems.append(Problem(where, "list-entry", "an entry without an 'id' (the paper's arXiv id)"))
        return None
    reason = arxiv.id_problem(arxiv_id.strip())
    if reason:
        problems.append(Problem(where, "list-entry", f"{reason}: {arxiv_id!r}"))
        return None
    if not isinstance(why, str):
        problems.append(Problem(where, "list-entry", "'why' is text"))
        why = ""
    return ListItem(arxiv_id.strip(), " ".join(why.split()), where)


def _key_line(lines: list[str], key: str) -> int:
    return next((number for number, line in enumerate(lines, 1)
                 if re.match(rf"\s*{re.escape(key)}\s*=", line)), 0)
