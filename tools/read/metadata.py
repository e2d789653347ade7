"""Bibliographic metadata kept beside the digests: ``<seeds>/metadata.toml``.

Digests carry titles and abstracts but no authors or dates; this file holds,
per arXiv id, what a citation needs (authors in order, the v1 date, the
primary category and the categories).  It is curated data: people may edit it,
and ``python -m tools metadata`` fills in the papers it lacks from the arXiv
API (see ``arxiv_api.py``).

An entry the tool wrote carries ``origin = "arxiv-api"`` and a ``checksum`` of
its fields as fetched.  An entry whose fields no longer match its checksum, or
that has no checksum (imported or written by hand), counts as edited by a
person and is never overwritten unless asked (``--force``).

The file is read with ``tomllib`` and updated with tomlkit, which keeps the
comments and layout of the entries it does not change; entries are kept in
arXiv id order, so that a refresh gives a small, deterministic diff.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import tomlkit

from .. import arxiv
from ..files.write import write_if_changed
from ..memo import Memo
from .characters import control_characters
from .names import name_problem, read_name
from .parse import read_input

FILENAME = "metadata.toml"
MAX_BYTES = 64 * 1024 * 1024  # the seeds' file holds ~850 bytes a paper: room for ~75,000 papers
ORIGIN_API = "arxiv-api"
ORIGIN_CURATED = "curated"

HEADER = """\
Bibliographic metadata of the papers in this folder's digests, one table per arXiv id.
Digests have no authors or dates; citations (refs.bib, refs.json, meta tags) take them from here.

Fields: title (as on arXiv), authors (in order, "Given Family"), published (v1 date),
primary_category, categories, complete (false: the author list may be incomplete),
sources (where the data was checked), origin ("curated" or "arxiv-api"), checksum.
Edit freely: an entry you edit is never overwritten by `make metadata` unless forced.
`make metadata` adds the papers that lack an entry, from the arXiv API."""


class MetadataError(ValueError):
    """The metadata file is malformed (a usage error, not a digest problem)."""


@dataclass(frozen=True)
class PaperMeta:
    arxiv_id: str
    title: str
    authors: tuple[str, ...]
    published: dt.date | None = None
    primary_category: str | None = None
    categories: tuple[str, ...] = ()
    complete: bool = True
    sources: tuple[str, ...] = ()
    origin: str = ORIGIN_CURATED
    checksum: str | None = None
    # The authors as (family, given) pairs, as BibTeX splits them: derived, never written.
    names: tuple[tuple[str, str], ...] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        # load() refuses a name BibTeX cannot split; a record made otherwise keeps it whole.
        object.__setattr__(self, "names", tuple(
            read_name(name) or (name, "") for name in self.authors))

    def fields_checksum(self) -> str:
        data = [self.title, list(self.authors), self.published.isoformat() if self.published else None,
                self.primary_category, list(self.categories)]
        return "sha256:" + hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()[:16]

    @property
    def edited(self) -> bool:
        """True unless the tool wrote this entry and nobody changed it since."""
        return self.origin != ORIGIN_API or self.checksum != self.fields_checksum()


FIELDS = ("title", "authors", "published", "primary_category", "categories", "complete", "sources",
          "origin", "checksum")


def load(path: Path, memo: Memo | None = None) -> dict[str, PaperMeta]:
    """All entries of a metadata file; an absent file is an empty one.

    ``memo``: entries checked before, by their id and fields (an entry is checked
    alone, so an unchanged one need not be checked again).

    Raises :class:`MetadataError` naming the file, the line and the field
    (``seeds/metadata.toml:12: authors: expected a list of strings``).
    """
    try:
        data = read_input(path, MAX_BYTES)
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise MetadataError(f"{path}: cannot be read: {error.strerror or error}") from error
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise MetadataError(f"{path}:{line}: not UTF-8 (byte 0x{data[error.start]:02x}); "
                            "save it as UTF-8") from error
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise MetadataError(f"{path}: {error}") from error
    locate = _Locator(path, text)
    memo = memo or Memo()
    return {arxiv_id: memo.get("metadata", (arxiv_id, raw), partial(_entry, arxiv_id, raw, locate))
            for arxiv_id, raw in document.items()}


class _Locator:
    """``file:line`` of a table or of a field in it (tomllib gives no positions)."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def _header(self, arxiv_id: str) -> int | None:
        quoted = "|".join(re.escape(form) for form in (f'"{arxiv_id}"', f"'{arxiv_id}'", arxiv_id))
        # [id], ["id"], ['id'], or a dotted header that starts with it ([2503.18878] is 2503's)
        header = re.compile(rf"\s*\[\s*(?:{quoted})\s*[\].]")
        return next((n for n, line in enumerate(self.lines, 1) if header.match(line)), None)

    def error(self, arxiv_id: str, field: str | None, message: str,
              near: str | None = None) -> MetadataError:
        """The error at the field's line, or at the line of the item ``near`` (quoted as
        written, in a list spread over several lines) if one holds it before the next table."""
        line = self._header(arxiv_id)
        if line is not None and field is not None:
            assignment = re.compile(rf"\s*(?:{re.escape(field)}|\"{re.escape(field)}\")\s*=")
            found = False
            for number in range(line + 1, len(self.lines) + 1):
                text = self.lines[number - 1]
                if text.lstrip().startswith("[") and not text.startswith((" ", "\t")):
                    break  # the next table
                if not found and assignment.match(text):
                    line, found = number, True
                    if near is None:
                        break
                if found and near is not None and (f'"{near}"' in text or f"'{near}'" in text):
                    line = number
                    break
        where = f"{self.path}:{line}" if line is not None else f"{self.path}"
        what = f"{field}: " if field else f"[{arxiv_id!r}]: "
        return MetadataError(f"{where}: {what}{message}")


def _entry(arxiv_id: str, raw: object, locate: _Locator) -> PaperMeta:
    problem = arxiv.id_problem(arxiv_id)
    if problem:
        raise locate.error(arxiv_id, None, f"{problem} (a table per arXiv id, quoted: [\"2503.18878\"])")
    if not isinstance(raw, dict):
        raise locate.error(arxiv_id, None, "expected a table of fields")
    for key in raw:
        if key not in FIELDS:
            raise locate.error(arxiv_id, key, f"unknown field (the fields are {', '.join(FIELDS)})")
    authors = _strings(raw, "authors", arxiv_id, locate)
    if not all(author.strip() for author in authors):
        raise locate.error(arxiv_id, "authors", "expected a list of strings, none of them empty")
    for author in authors:
        if read_name(author.strip()) is None:
            raise locate.error(arxiv_id, "authors", str(name_problem(author.strip())), near=author)
    published = raw.get("published")
    if published is not None and (not isinstance(published, dt.date) or isinstance(published, dt.datetime)):
        raise locate.error(arxiv_id, "published", "expected a date such as 2025-03-13")
    title = _string(raw, "title", arxiv_id, locate) or ""
    return PaperMeta(
        arxiv_id=arxiv_id, title=" ".join(title.split()), authors=tuple(a.strip() for a in authors),
        published=published, primary_category=_string(raw, "primary_category", arxiv_id, locate),
        categories=_strings(raw, "categories", arxiv_id, locate),
        complete=_boolean(raw, "complete", arxiv_id, locate),
        sources=_strings(raw, "sources", arxiv_id, locate),
        origin=_string(raw, "origin", arxiv_id, locate) or ORIGIN_CURATED,
        checksum=_string(raw, "checksum", arxiv_id, locate))


def _checked_text(value: str, key: str, arxiv_id: str, locate: _Locator) -> str:
    found = control_characters(value)
    if found:
        raise locate.error(arxiv_id, key, f"control character(s) {', '.join(found)} are not allowed")
    return value


def _string(raw: dict[str, Any], key: str, arxiv_id: str, locate: _Locator) -> str | None:
    value = raw.get(key)
    if value is not None and not isinstance(value, str):
        raise locate.error(arxiv_id, key, "expected a string")
    return None if value is None else _checked_text(value, key, arxiv_id, locate)


def _strings(raw: dict[str, Any], key: str, arxiv_id: str, locate: _Locator) -> tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise locate.error(arxiv_id, key, "expected a list of strings")
    return tuple(_checked_text(item, key, arxiv_id, locate) for item in value)


def _boolean(raw: dict[str, Any], key: str, arxiv_id: str, locate: _Locator) -> bool:
    value = raw.get(key, True)
    if not isinstance(value, bool):
        raise locate.error(arxiv_id, key, "expected true or false")
    return value


def save(path: Path, updates: Mapping[str, PaperMeta]) -> bool:
    """Write ``updates`` into the file, keeping every other entry as it is.

    Returns whether the file changed.  The write is atomic (temporary file,
    then rename).
    """
    try:
        document = tomlkit.parse(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        document = tomlkit.document()
        for line in HEADER.splitlines():
            document.add(tomlkit.comment(line) if line else tomlkit.nl())
        document.add(tomlkit.nl())
    tables = {key: document[key] for key in document}
    for arxiv_id, meta in updates.items():
        tables[arxiv_id] = _table(meta)
    for key in list(document):
        document.remove(key)
    for arxiv_id in sorted(tables, key=_id_order):
        document.add(arxiv_id, tables[arxiv_id])
    return write_if_changed(path, tomlkit.dumps(document))


def _table(meta: PaperMeta) -> tomlkit.items.Table:
    table = tomlkit.table()
    table.add("title", meta.title)
    authors = tomlkit.array()
    authors.multiline(True)
    authors.extend(meta.authors)
    table.add("authors", authors)
    if meta.published:
        table.add("published", meta.published)
    if meta.primary_category:
        table.add("primary_category", meta.primary_category)
    table.add("categories", list(meta.categories))
    table.add("complete", meta.complete)
    if meta.sources:
        sources = tomlkit.array()
        sources.multiline(True)
        sources.extend(meta.sources)
        table.add("sources", sources)
    table.add("origin", meta.origin)
    if meta.checksum:
        table.add("checksum", meta.checksum)
    table.add(tomlkit.nl())
    return table


def from_json(data: Mapping[str, dict[str, Any]]) -> dict[str, PaperMeta]:
    """Entries of the JSON the team gathered from public arXiv listings (curated)."""
    if not isinstance(data, Mapping) or not all(isinstance(raw, Mapping) for raw in data.values()):
        raise MetadataError("expected a JSON object mapping arXiv ids to objects")
    try:
        return {arxiv_id: _from_json_entry(arxiv_id, raw) for arxiv_id, raw in data.items()}
    except (TypeError, ValueError, AttributeError) as error:
        raise MetadataError(f"malformed entry: {error}") from error


def _from_json_entry(arxiv_id: str, raw: Mapping[str, Any]) -> PaperMeta:
    published = raw.get("published")
    return PaperMeta(
        arxiv_id=arxiv_id, title=" ".join(raw.get("title", "").split()),
        authors=tuple(raw.get("authors", ())),
        published=dt.date.fromisoformat(published) if published else None,
        primary_category=raw.get("primary_category"), categories=tuple(raw.get("categories", ())),
        complete=bool(raw.get("complete", True)), sources=tuple(raw.get("sources", ())))


def _id_order(arxiv_id: str) -> tuple[int, str]:
    # New-style ids sort by number; old-style ids (with a slash) before them.
    return (1, arxiv_id) if "/" not in arxiv_id else (0, arxiv_id)


@dataclass
class RefreshPlan:
    """Which ids to fetch, and which entries are kept because a person edited them."""

    fetch: list[str] = field(default_factory=list)
    kept_edited: list[str] = field(default_factory=list)


def plan_refresh(ids: list[str], existing: Mapping[str, PaperMeta], *,
                 refresh: bool = False, force: bool = False) -> RefreshPlan:
    plan = RefreshPlan()
    for arxiv_id in sorted(set(ids), key=_id_order):
        meta = existing.get(arxiv_id)
        if meta is None or force or (refresh and not meta.edited):
            plan.fetch.append(arxiv_id)
        elif refresh and meta.edited:
            plan.kept_edited.append(arxiv_id)
    return plan
