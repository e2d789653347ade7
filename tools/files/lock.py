"""One build of a checkout at a time: an advisory lock on a file beside the docs folder.

The converter writes the generated pages into ``docs/`` and Sphinx then reads
them: two builds of one checkout at once (different ``SEEDS`` or ``BUILDDIR``)
would mix their pages.  Whoever writes ``docs/`` (a Sphinx build, from its
``config-inited`` to its end; ``python -m tools convert`` and ``clean``) holds
an exclusive lock on ``.paperkb.lock`` beside ``docs/`` (in the checkout's
root); a second one waits, saying for whom.  The lock file is outside
``docs/`` because each build rewrites it (the holder's pid): inside the folder
that ``make livehtml`` (sphinx-autobuild) watches, each build started the
next, forever.  It is not in the build folder either: builds into two
different build folders still share ``docs/``.  The operating system releases
the lock when the process ends, even when it is killed, so a lock can never be
left behind.  It is a POSIX record lock (``lockf``), not ``flock``: a
``flock`` is shared with every process forked while it is held, and
sphinx-sitemap forks a multiprocessing manager that outlives a killed build,
which then kept the checkout locked for good.
"""

from __future__ import annotations

import errno
import fcntl
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

LOCK_FILE = ".paperkb.lock"


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def lock_path(docs: Path) -> Path:
    """The lock file of the docs folder ``docs``: beside it, never inside it."""
    return docs.absolute().parent / LOCK_FILE


class FolderLock:
    """An exclusive lock on the docs folder ``docs`` (:func:`lock_path`), waited for with a message."""

    def __init__(self, docs: Path) -> None:
        self.path = lock_path(docs)
        self._handle: TextIO | None = None

    def acquire(self, say: Callable[[str], None] = _say) -> None:
        if self._handle is not None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle = self.path.open("a+", encoding="utf-8")
        except OSError as error:
            raise OSError(error.errno, f"cannot write the lock file {self.path}: "
                                       f"{error.strerror or error}") from error
        try:
            try:
                fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as error:
                if error.errno not in (errno.EACCES, errno.EAGAIN):
                    raise
                handle.seek(0)
                holder = handle.read().strip() or "?"
                say(f"paper-kb: waiting for another build of this checkout (pid {holder}) "
                    f"to finish ({self.path})…")
                fcntl.lockf(handle, fcntl.LOCK_EX)
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()}\n")
            handle.flush()
        except BaseException:
            handle.close()
            raise
        self._handle = handle

    def release(self) -> None:
        if self._handle is None:
            return
        handle, self._handle = self._handle, None
        try:
            handle.seek(0)
            handle.truncate()
        finally:
            handle.flush()
            fcntl.lockf(handle, fcntl.LOCK_UN)
            handle.close()

    def __enter__(self) -> FolderLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
