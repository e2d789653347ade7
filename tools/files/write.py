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

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Collection, Iterator, Mapping
from pathlib import Path
from typing import NamedTuple

MANIFEST = ".generated.json"
# The record of the conversion a docs folder holds (converted.py), beside the manifest.
CONVERSION_RECORD = ".converted.json"
# What the previous conversion computed, by the content it computed it from (memo.py).
CONVERSION_MEMO = ".converted.pickle"
# Neither is a page nor an input: a build's no-op check, a copy of the project, `make
# livehtml` and `git` leave both out.
CONVERTER_STATE = (CONVERSION_RECORD, CONVERSION_MEMO)
# A file being written is first ``.<name>.<random>.tmp`` in the same folder.
TEMPORARY_PREFIX, TEMPORARY_SUFFIX = ".", ".tmp"


class WriteReport(NamedTuple):
    written: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: int


def sync(folder: Path, files: Mapping[str, str], manifest: str = MANIFEST,
         kept: Collection[str] = ()) -> WriteReport:
    """Make ``folder`` hold exactly ``files`` and ``kept`` among the files it generated.

    ``kept``: files the caller knows to be as they should be (``converted.KeptPages``),
    left as they are.
    """
    def put(relative: str) -> bool:
        return relative in files and write_if_changed(folder / relative, files[relative])

    return _synchronise(folder, {*files, *kept}, put, manifest)


def mirror(source: Path, folder: Path, manifest: str = MANIFEST) -> WriteReport:
    """Make ``folder`` hold a copy of every file under ``source`` among the files it generated.

    A copy has its source's modification time, and a file whose size and modification
    time are its source's is taken to be unchanged (rsync's quick check): a build looks at
    every file's metadata, not at its bytes.  The files of ``source`` are written by
    :func:`sync`, whole and with a new modification time whenever they change (a build
    takes seconds: two cannot write within one tick of the file system's clock).
    """
    names = {path.relative_to(source).as_posix(): path for path in source.rglob("*") if path.is_file()}
    return _synchronise(folder, names, lambda relative: copy_if_changed(names[relative], folder / relative),
                        manifest)


def _synchronise(folder: Path, names: Collection[str], put: Callable[[str], bool],
                 manifest: str) -> WriteReport:
    folder.mkdir(parents=True, exist_ok=True)
    previous = _read_manifest(folder / manifest)
    wanted = sorted(names)
    if not set(wanted) <= previous:
        write_if_changed(folder / manifest, json.dumps(sorted(previous.union(wanted)), indent=1) + "\n")
    written: list[str] = []
    unchanged = 0
    for relative in wanted:
        if put(relative):
            written.append(relative)
        else:
            unchanged += 1
    removed = sorted(previous.difference(wanted))
    for relative in removed:
        path = folder / relative
        path.unlink(missing_ok=True)
        _remove_empty_parents(path.parent, folder)
    write_if_changed(folder / manifest, json.dumps(wanted, indent=1) + "\n")
    return WriteReport(tuple(written), tuple(removed), unchanged)


def copy_if_changed(source: Path, path: Path) -> bool:
    """Copy ``source`` to ``path`` (atomically, with its modification time) unless it has its
    size and modification time already."""
    given = source.stat()
    try:
        there = path.stat()
        if (there.st_size, there.st_mtime_ns) == (given.st_size, given.st_mtime_ns):
            return False
    except FileNotFoundError:
        pass
    with _replacing(path) as temporary:
        shutil.copyfile(source, temporary)
        os.utime(temporary, ns=(given.st_atime_ns, given.st_mtime_ns))
    return True


def write_if_changed(path: Path, text: str) -> bool:
    return write_bytes_if_changed(path, text.encode("utf-8"))


def write_bytes_if_changed(path: Path, data: bytes) -> bool:
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    with _replacing(path) as temporary:
        temporary.write_bytes(data)
    return True


@contextlib.contextmanager
def _replacing(path: Path) -> Iterator[Path]:
    """A temporary file beside ``path`` to write, renamed over ``path`` once written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f"{TEMPORARY_PREFIX}{path.name}.",
                                      suffix=TEMPORARY_SUFFIX)
    os.close(fd)
    try:
        yield Path(temporary)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


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
