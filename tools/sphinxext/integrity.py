"""Builds that cannot be left half-done, nor mixed with another build.

* **One build of a checkout at a time.**  From ``config-inited`` (before the
  converter writes ``docs/``) to the end of the build, the build holds the lock
  of ``tools/files/lock.py`` on the docs folder; a second build of the same checkout
  waits for it, saying so, instead of mixing its pages with the first's.

* **An unfinished build is never trusted.**  Sphinx saves its environment
  (``environment.pickle``) after reading, before writing; a build interrupted
  while writing (Ctrl-C, a kill, a crash, a full disk) leaves an environment
  that says every page is done while pages and ``searchindex.js`` are not, and
  Sphinx deletes the environment only on an ``Exception``, not on Ctrl-C or a
  kill.  So a marker (``<doctrees>/paperkb-incomplete``) is written once the
  converter has run and removed only when the build has finished without an
  error and without a warning (a warning fails the build with ``-W``, and a
  later build that re-read nothing would not repeat it and exit 0).  A build
  that finds the marker discards what the unfinished build left (the saved
  environment and ``searchindex.js``), says so, and builds everything again:
  the result is the clean build's.

* **Pages that are gone are removed,** even after such a discarded build, when
  Sphinx no longer knows which documents were removed: the pages a build may
  have written are listed in ``<doctrees>/paperkb-pages.json`` (written before
  the write phase, as the union with the previous list, and after a finished
  build, as the documents of the site); a listed page whose document is gone
  is deleted.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from sphinx.application import ENV_PICKLE_FILENAME, Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.builders.html._build_info import BuildInfo
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.errors import ConfigError

from ..files.lock import FolderLock
from ..files.uptodate import STAMP
from ..files.write import write_if_changed
from .book import is_site_build
from .buildstate import of_build

MARKER = "paperkb-incomplete"
PAGES = "paperkb-pages.json"


class _WarningCounter(logging.Handler):
    """Counts the warnings Sphinx logs (through the standard logging module, logger "sphinx")."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@dataclass
class _Integrity:
    """What this build holds from config-inited to build-finished."""

    lock: FolderLock | None = None
    warnings: _WarningCounter = field(default_factory=_WarningCounter)


def docs_folder(app: Sphinx, config: Config) -> Path:
    return (Path(app.confdir) / str(config.paperkb_docs)).resolve()


def on_config_inited(app: Sphinx, config: Config) -> None:
    """Take the checkout's lock; discard what an unfinished previous build left."""
    docs = docs_folder(app, config)
    state = of_build(app, _Integrity)
    lock = FolderLock(docs)
    try:
        lock.acquire()
    except OSError as error:  # docs/ not writable: one line, not an extension traceback
        raise ConfigError(f"paper-kb: {docs}: {error.strerror or error}; the build writes its "
                          "generated pages there") from error
    state.lock = lock
    logging.getLogger("sphinx").addHandler(state.warnings)
    doctrees = Path(app.doctreedir)
    # Whatever this build does, the folder is no longer the build make recorded.
    (doctrees / STAMP).unlink(missing_ok=True)
    build_info = Path(app.outdir) / ".buildinfo"
    if (doctrees / MARKER).exists() or not _readable_build_info(build_info):
        print(f"paper-kb: the previous build into {app.outdir} did not finish (interrupted or "
              "failed); its saved state is discarded and every page is built again",
              file=sys.stderr, flush=True)
        (doctrees / ENV_PICKLE_FILENAME).unlink(missing_ok=True)
        (Path(app.outdir) / StandaloneHTMLBuilder.searchindex_filename).unlink(missing_ok=True)
        # A full disk leaves it empty: Sphinx then fails on it (IndexError) or warns, every time.
        build_info.unlink(missing_ok=True)


def _readable_build_info(path: Path) -> bool:
    """Whether Sphinx can read the build info file (an absent one is fine: a first build)."""
    if not path.exists():
        return True
    try:
        BuildInfo.load(path)
    except (OSError, ValueError, IndexError, UnicodeDecodeError):
        return False
    return True


def mark_started(app: Sphinx, config: Config) -> None:
    """After the conversion: from here on, an interruption leaves state to discard."""
    doctrees = Path(app.doctreedir)
    doctrees.mkdir(parents=True, exist_ok=True)
    write_if_changed(doctrees / MARKER, f"{os.getpid()}\n")


def _listed_pages(app: Sphinx) -> set[str]:
    try:
        names = json.loads((Path(app.doctreedir) / PAGES).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    return {name for name in names if isinstance(name, str)} if isinstance(names, list) else set()


def _save_pages(app: Sphinx, docnames: set[str]) -> None:
    write_if_changed(Path(app.doctreedir) / PAGES, json.dumps(sorted(docnames), indent=0) + "\n")


def on_env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Before any page is written: every page this build may write is listed."""
    _save_pages(app, _listed_pages(app) | set(env.found_docs))
    return []


def on_build_finished(app: Sphinx, exception: BaseException | None) -> None:
    state = of_build(app, _Integrity)
    logging.getLogger("sphinx").removeHandler(state.warnings)
    try:
        if exception is not None:
            return  # the marker stays: the next build starts afresh
        if state.warnings.count:
            return  # a build with warnings is not finished either: the next one redoes it
        if is_site_build(app) and isinstance(app.builder, StandaloneHTMLBuilder):
            current = set(app.env.all_docs)
            for docname in sorted(_listed_pages(app) - current):
                Path(app.builder.get_outfilename(docname)).unlink(missing_ok=True)
            _save_pages(app, current)
        (Path(app.doctreedir) / MARKER).unlink(missing_ok=True)
    finally:
        release_lock(app)


def release_lock(app: Sphinx) -> None:
    """Release this build's lock (at its end, or when it stops before building: no build-finished)."""
    state = of_build(app, _Integrity)
    if state.lock is not None:
        state.lock.release()
        state.lock = None
