"""Is a build folder already the build of these inputs?  ``make html``'s no-op fast path.

A second ``make html`` with nothing changed used to start Sphinx, which loads
its environment, runs the converter and compares every page: seconds that grow
with the knowledge base.  Instead, after a build that succeeded, ``make``
records a fingerprint of everything the site is built from in
``<builddir>/doctrees/paperkb-inputs.json``; the next ``make html`` computes it
again and, when it is the same, says so and does not start Sphinx.

What the fingerprint covers: every file of the seeds folder (digests,
metadata, anything else), the hand-written sources in ``docs/`` (the generated
ones are the converter's output), ``conf.py``, the ``tools`` package with its
templates, the requirements and the Makefile, by content; the build's
options (``STRICT``, ``SPHINXOPTS``); and the environment variables ``conf.py``
reads (``ENVIRONMENT``).  Any Sphinx build into the folder (``make``
or not, finished or not) deletes the record first (``sphinxext/integrity.py``),
so a record is only ever the fingerprint of the build that is there.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from .write import CONVERTER_STATE, MANIFEST, write_if_changed

STAMP = "paperkb-inputs.json"
_ROOT_FILES = ("conf.py", "Makefile", "requirements.txt")
# What conf.py reads from the environment: the site's address goes into feed.xml, the
# sitemap, canonical and og:url, so another address is another site.
ENVIRONMENT = ("PAPERKB_BASEURL", "READTHEDOCS_CANONICAL_URL")
_SKIPPED = {"__pycache__", MANIFEST, *CONVERTER_STATE}


def stamp_path(builddir: Path) -> Path:
    return builddir / "doctrees" / STAMP


def fingerprint(root: Path, seeds: Path, options: Sequence[str]) -> str:
    """sha256 over the inputs' paths and contents, the options and the environment conf.py reads."""
    environment = {name: os.environ.get(name) for name in ENVIRONMENT}
    digest = hashlib.sha256(json.dumps([list(options), environment], sort_keys=True).encode())
    hash_files(digest, _inputs(root, seeds))
    return digest.hexdigest()


def hash_files(digest: Any, files: Iterable[tuple[str, Path]]) -> None:
    """Add each (label, path) to ``digest``: the label, then the sha256 of the file's bytes."""
    for label, path in files:
        digest.update(f"\0{label}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())


def is_up_to_date(root: Path, seeds: Path, builddir: Path, options: Sequence[str]) -> bool:
    try:
        recorded = json.loads(stamp_path(builddir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (isinstance(recorded, dict) and (builddir / "html" / "index.html").is_file()
            and recorded.get("fingerprint") == fingerprint(root, seeds, options))


def record(root: Path, seeds: Path, builddir: Path, options: Sequence[str]) -> None:
    data = {"fingerprint": fingerprint(root, seeds, options)}
    write_if_changed(stamp_path(builddir), json.dumps(data) + "\n")


def _inputs(root: Path, seeds: Path) -> Iterator[tuple[str, Path]]:
    for name in _ROOT_FILES:
        if (root / name).is_file():
            yield name, root / name
    yield from files_under(root / "tools", "tools")
    docs = root / "docs"
    generated = _generated(docs)
    yield from ((label, path) for label, path in files_under(docs, "docs")
                if path.relative_to(docs).as_posix() not in generated)
    yield from files_under(seeds, "seeds")


def files_under(folder: Path, label: str) -> Iterator[tuple[str, Path]]:
    """Every file under ``folder`` but caches and manifests, sorted, labelled ``label/relative``."""
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not _SKIPPED.intersection(path.relative_to(folder).parts):
            yield f"{label}/{path.relative_to(folder).as_posix()}", path


def _generated(docs: Path) -> set[str]:
    try:
        names = json.loads((docs / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    return {name for name in names if isinstance(name, str)} if isinstance(names, list) else set()
