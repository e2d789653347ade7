"""Put a set of generated files in a folder: only what changed, atomically.

* A file whose content is unchanged is not touched, so it keeps its mtime and
  Sphinx does not read it again.
* A changed file is written to a temporary file in the same folder and then
  renamed over the old one, so no reader ever sees half a file.
* A file this module generated before (listed in the manifest) but no longer
  generates is removed; files it never generated are never touched.
* The manifest lists every file before it is written (the union of the old
  and new lists, then the new list once done), so that a run interrupted half
  way leaves no generated file the next run would not know to remove.

It knows nothing about papers: it moves text into files.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

MANIFEST = ".generated.json"
# A file being written is first ``.<name>.<random>.tmp`` in the same folder.
TEMPORARY_PREFIX, TEMPORARY_SUFFIX = ".", ".tmp"


class WriteReport(NamedTuple):
    written: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: int


def sync(folder: Path, files: Mapping[str, str], manifest: str = MANIFEST) -> WriteReport:
    """Make ``folder`` hold exactly ``files`` among the files it generated."""
    folder.mkdir(parents=True, exist_ok=True)
    previous = _read_manifest(folder / manifest)
    if not set(files) <= previous:
        write_if_changed(folder / manifest, json.dumps(sorted(previous | set(files)), indent=1) + "\n")
    written: list[str] = []
    unchanged = 0
    for relative, text in sorted(files.items()):
        if write_if_changed(folder / relative, text):
            written.append(relative)
        else:
            unchanged += 1
    removed = sorted(previous - set(files))
    for relative in removed:
        path = folder / relative
        path.unlink(missing_ok=True)
        _remove_empty_parents(path.parent, folder)
    write_if_changed(folder / manifest, json.dumps(sorted(files), indent=1) + "\n")
    return WriteReport(tuple(written), tuple(removed), unchanged)


def write_if_changed(path: Path, text: str) -> bool:
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f"{TEMPORARY_PREFIX}{path.name}.",
                                      suffix=TEMPORARY_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


def _read_manifest(path: Path) -> set[str]:
    try:
        names = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return set()
    # Only relative paths inside the folder: a damaged manifest must not delete elsewhere.
    return {name for name in names if isinstance(name, str)
            and not Path(name).is_absolute() and ".." not in Path(name).parts}


def _remove_empty_parents(directory: Path, root: Path) -> None:
    while directory != root and directory.is_relative_to(root):
        try:
            directory.rmdir()
        except OSError:
            return
        directory = directory.parent
