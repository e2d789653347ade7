"""``digests.toml``: the titles and dates a team gives its digests (optional).

One table per digest file stem, with ``title`` and/or ``date``; a digest it does
not name is named from its number, date and size (``enrich.digest_names``).
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model import Problem, SourceRef
from .characters import control_characters
from .curated import KnowledgeError
from .parse import MAX_TITLE, read_input

FILENAME = "digests.toml"
_FIELDS = {"title", "date"}
MAX_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class DigestData:
    """What ``digests.toml`` says of one digest."""

    title: str | None = None
    date: dt.date | None = None


def load(path: Path) -> dict[str, DigestData]:
    """The data file, or nothing when there is none (it is optional).

    Its titles follow the digests' rules: no control characters (characters.py), at
    most ``MAX_TITLE`` characters (a title is shown on every page of its papers).
    """
    try:
        data = read_input(path, MAX_BYTES)
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise KnowledgeError(f"{path}: cannot be read: {error.strerror or error}") from error
    try:
        raw: dict[str, Any] = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        byte = data[error.start]
        raise KnowledgeError(f"{path}: not UTF-8 (byte 0x{byte:02x}); save it as UTF-8") from error
    except tomllib.TOMLDecodeError as error:
        raise KnowledgeError(f"{path}: {error}") from error
    tables: dict[str, DigestData] = {}
    for stem, table in raw.items():
        where = f"{path}:{_header_line(data, stem) or 1}: [{stem!r}]"
        if not isinstance(table, dict) or not set(table) <= _FIELDS:
            raise KnowledgeError(f"{where}: a table with only 'title' and 'date'")
        title, date = table.get("title"), table.get("date")
        if title is not None and (not isinstance(title, str) or not title.strip()):
            raise KnowledgeError(f"{where}: 'title' must be a non-empty string")
        if title is not None and control_characters(title):
            raise KnowledgeError(f"{where}: 'title' holds control character(s) "
                                 f"{', '.join(control_characters(title))}, which are not allowed")
        if title is not None and len(title.strip()) > MAX_TITLE:
            raise KnowledgeError(f"{where}: 'title' has {len(title.strip()):,} characters; "
                                 f"at most {MAX_TITLE}")
        if date is not None and (not isinstance(date, dt.date) or isinstance(date, dt.datetime)):
            raise KnowledgeError(f"{where}: 'date' must be a date (2025-03-24)")
        tables[stem] = DigestData(title=" ".join(title.split()) if title else None, date=date)
    return tables


def unknown_names(path: Path, data: Mapping[str, DigestData], digests: Iterable[str]) -> list[Problem]:
    """Notes for the tables of the data file that name no digest (a typo, a renamed file)."""
    known = set(digests)
    unknown = [stem for stem in data if stem not in known]
    if not unknown:
        return []
    raw = path.read_bytes()
    return [Problem(SourceRef(path, _header_line(raw, stem) or 1), "unknown-digest",
                    f"[{stem!r}] names no digest of this folder (digests are named by their file "
                    "stem, e.g. 004_ad890f935f0d4d32); it is not used")
            for stem in unknown]


def _header_line(data: bytes, stem: str) -> int | None:
    """The line of a table's header: tomllib gives no positions."""
    forms = "|".join(re.escape(form) for form in (f'"{stem}"', f"'{stem}'", stem))
    header = re.compile(rf"\s*\[\s*(?:{forms})\s*\]")
    text = data.decode("utf-8", errors="replace")
    return next((n for n, line in enumerate(text.splitlines(), 1) if header.match(line)), None)
