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
it did not finish.  ``make html``'s own no-op check (``uptodate.py``) does not
start Sphinx at all; this one serves every other way a build starts (a plain
``sphinx-build``, sphinx-autobuild, ``python -m tools convert``).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

from .uptodate import files_under, hash_files
from .write import CONVERSION_RECORD as RECORD
from .write import MANIFEST, write_if_changed

VERSION = 1  # bump when what a record holds changes
_TOOLS = Path(__file__).resolve().parent.parent


def fingerprint(seeds: Path, data: Path, options: Iterable[object]) -> str:
    """sha256 over the conversion's inputs and code (see the module docstring)."""
    versions = sorted(f"{dist.metadata['Name']}=={dist.version}" for dist in metadata.distributions())
    digest = hashlib.sha256(json.dumps([VERSION, sys.version, versions, list(options)]).encode())
    hash_files(digest, files_under(_TOOLS, "tools"))
    hash_files(digest, files_under(data, "data"))
    hash_files(digest, files_under(seeds, "seeds"))
    return digest.hexdigest()


def recorded(docs: Path, inputs: str) -> dict[str, Any] | None:
    """The report recorded with ``inputs``, if ``docs`` still holds that conversion's files."""
    try:
        record = json.loads((docs / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("inputs") != inputs:
        return None
    files = record.get("files")
    if not isinstance(files, dict) or not all(_stat(docs / name) == stat for name, stat in files.items()):
        return None
    report = record.get("report")
    return report if isinstance(report, dict) else None


def record(docs: Path, inputs: str, generated: Iterable[str], report: dict[str, Any]) -> None:
    """Record a finished conversion: its fingerprint, its report, its files as they are now."""
    files = {name: _stat(docs / name) for name in sorted({*generated, MANIFEST})}
    write_if_changed(docs / RECORD, json.dumps(
        {"inputs": inputs, "report": report, "files": files}, ensure_ascii=False) + "\n")


def discard(docs: Path) -> None:
    (docs / RECORD).unlink(missing_ok=True)


def _stat(path: Path) -> list[int] | None:
    try:
        result = os.stat(path)
    except OSError:
        return None
    return [result.st_size, result.st_mtime_ns]
