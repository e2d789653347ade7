"""Does a docs folder already hold the conversion of these inputs?  The converter's no-op.

The converter reads every digest, enriches and renders every paper, then compares
its output with the files: about 20 s at 10,000 papers, on every build, even one
with nothing to do.  After a conversion that wrote its files, :func:`record` keeps
in ``docs/.converted.json``

* a fingerprint of everything the output follows from (:func:`fingerprint`): the
  seeds folder (digests, metadata, the team's notes, lists and articles), the
  curated data in ``docs/_data``, the ``tools`` package with its templates, the
  options, the Python and library versions;
* what the conversion reported (counts, problems, notices), to report again;
* the size and modification time of every file it generated.

The next conversion with the same fingerprint, whose files all still have the size
and modification time recorded (none edited, removed or half written), is that
conversion: :func:`recorded` returns its report and nothing is read or rendered.
Anything else runs the converter in full, which first discards the record
(:func:`discard`), so that an interrupted conversion never leaves a record of files
it did not finish.

A full conversion still need not render every page.  The record also keeps, for each
paper page, a key: the sha256 of the code's fingerprint and of a pickle of exactly
what the page shows (``render/pages.py`` makes it).  A paper page whose key is the
recorded one and whose file is as recorded is kept (:class:`KeptPages`): adding a
digest to 10,000 papers renders 37 paper pages, not 10,025.

``make html``'s own no-op check (``uptodate.py``) does not start Sphinx at all; this
one serves every other way a build starts (a plain ``sphinx-build``, sphinx-autobuild,
``python -m tools convert``).  ``python -m tools clean`` removes the record with the
files.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sys
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from ..memo import Memo
from .uptodate import files_under, hash_files
from .write import CONVERSION_MEMO, MANIFEST, write_bytes_if_changed, write_if_changed
from .write import CONVERSION_RECORD as RECORD

VERSION = 1  # bump when what a record holds changes
_TOOLS = Path(__file__).resolve().parent.parent


def code_fingerprint() -> str:
    """sha256 over the converter's code and templates, the Python and library versions."""
    versions = sorted(f"{dist.metadata['Name']}=={dist.version}" for dist in metadata.distributions())
    digest = hashlib.sha256(json.dumps([VERSION, sys.version, versions]).encode())
    hash_files(digest, files_under(_TOOLS, "tools"))
    return digest.hexdigest()


def fingerprint(seeds: Path, data: Path, options: Iterable[object], code: str) -> str:
    """sha256 over the conversion's inputs (see the module docstring); ``code``: :func:`code_fingerprint`."""
    digest = hashlib.sha256(json.dumps([code, list(options)]).encode())
    hash_files(digest, files_under(data, "data"))
    hash_files(digest, files_under(seeds, "seeds"))
    return digest.hexdigest()


def read(docs: Path) -> dict[str, Any] | None:
    """The record in ``docs``, if there is a readable one."""
    try:
        record = json.loads((docs / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) and isinstance(record.get("files"), dict) else None


def recorded(docs: Path, record: dict[str, Any] | None, inputs: str) -> dict[str, Any] | None:
    """The report ``record`` holds for ``inputs``, if ``docs`` still holds that conversion's files."""
    if record is None or record.get("inputs") != inputs:
        return None
    if not all(_as_recorded(docs / name, entry) for name, entry in record["files"].items()):
        return None
    report = record.get("report")
    return report if isinstance(report, dict) else None


class KeptPages:
    """Pages a conversion need not render again: on disk as rendered from what they show.

    The renderer gives, for each page that is costly to render, the bytes of everything
    the page shows (``render/pages.py``); with the code's fingerprint they are the page's
    key.  A page whose key is the one recorded with its file, and whose file still has
    the size and modification time recorded, is kept as it is.
    """

    def __init__(self, docs: Path, record: dict[str, Any] | None, code: str) -> None:
        self._docs = docs
        self._previous: dict[str, Any] = record["files"] if record else {}
        self._code = code.encode()
        self.keys: dict[str, str] = {}  # every page's key, kept or rendered
        self.kept: list[str] = []

    def holds(self, path: str, shown: bytes) -> bool:
        key = self.keys[path] = hashlib.sha256(self._code + shown).hexdigest()
        previous = self._previous.get(path)
        if (isinstance(previous, list) and len(previous) == 3 and previous[2] == key
                and _as_recorded(self._docs / path, previous)):
            self.kept.append(path)
            return True
        return False


def record(docs: Path, inputs: str, generated: Iterable[str], keys: Mapping[str, str],
           report: dict[str, Any]) -> None:
    """Record a finished conversion: its fingerprint, its report, its files as they are now
    with the keys of the pages rendered from one."""
    files: dict[str, list[object]] = {}
    for name in sorted({*generated, MANIFEST}):
        stat: list[object] = list(_stat(docs / name) or (None, None))
        files[name] = [*stat, keys[name]] if name in keys else stat
    write_if_changed(docs / RECORD, json.dumps(
        {"inputs": inputs, "report": report, "files": files}, ensure_ascii=False) + "\n")


def discard(docs: Path) -> None:
    (docs / RECORD).unlink(missing_ok=True)


def load_memo(docs: Path, code: str) -> Memo:
    """The memo the last conversion in ``docs`` kept (``memo.py``), if it is one of this code.

    Any memo that cannot be read, of another version or other code, is an empty one:
    it only ever saves time.
    """
    try:
        with open(docs / CONVERSION_MEMO, "rb") as file:
            version, memo_code, results = pickle.load(file)
    except Exception:  # a damaged pickle raises almost anything
        return Memo(code)
    if version != VERSION or memo_code != code or not isinstance(results, dict):
        return Memo(code)
    return Memo(code, results)


def save_memo(docs: Path, memo: Memo) -> None:
    """Keep what this conversion computed for the next one (atomically: see ``write.py``)."""
    write_bytes_if_changed(docs / CONVERSION_MEMO, pickle.dumps((VERSION, memo.code, memo.results), 5))


def remove_memo(docs: Path) -> None:
    (docs / CONVERSION_MEMO).unlink(missing_ok=True)


def _as_recorded(path: Path, entry: object) -> bool:
    """Whether the file has the size and modification time its record entry starts with."""
    return isinstance(entry, list) and _stat(path) == entry[:2]


def _stat(path: Path) -> list[int] | None:
    try:
        result = os.stat(path)
    except OSError:
        return None
    return [result.st_size, result.st_mtime_ns]
