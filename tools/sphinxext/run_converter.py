"""Run the converter before Sphinx looks for source files.

``config-inited`` is the last event before Sphinx lists the source folder, so
the generated pages exist whichever way Sphinx is started: ``make html``, a
plain ``sphinx-build``, or Read the Docs' ``python -m sphinx ... .``.

Configuration (``conf.py`` or ``-D``):

* ``paperkb_seeds``: the folder of digests (default ``seeds``, relative to
  the folder of ``conf.py``);
* ``paperkb_strict``: with input problems, stop before writing anything
  (default); ``0`` builds every valid entry and still reports the problems;
* ``paperkb_docs``: the folder of Sphinx sources (default ``docs``). Read the
  Docs runs Sphinx with the folder of ``conf.py`` as source folder; pages live
  in ``docs/`` and are served from the site root (``papers/<id>.html``), so the
  source folder is moved there before Sphinx reads it.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import SphinxError
from sphinx.util import logging

from .. import layout
from ..layout import BIBFILE
from ..pipeline import convert
from ..read.curated import KnowledgeError
from ..read.metadata import MetadataError
from . import integrity
from .report import record_conversion

logger = logging.getLogger(__name__)


class DigestProblems(SphinxError):
    """Input problems in a strict build: each was logged as a warning with its file:line."""

    category = "paper-kb: problems in the digests"


class CannotConvert(SphinxError):
    """A missing seeds folder, a malformed taxonomy, glossary or metadata file."""

    category = "paper-kb: cannot convert the digests"


def on_config_inited(app: Sphinx, config: Config) -> None:
    confdir = Path(app.confdir)
    docs = (confdir / config.paperkb_docs).resolve()
    if Path(app.srcdir).resolve() == confdir.resolve():
        app.srcdir = docs  # see the module docstring; an override (compat.py)
    seeds = (confdir / config.paperkb_seeds).resolve()
    strict = _as_bool(config.paperkb_strict)
    started = time.perf_counter()
    try:
        result = convert(seeds, docs, strict=strict)
    except (KnowledgeError, MetadataError, FileNotFoundError) as error:
        # A SphinxError, not SystemExit: a host that runs builds in its own process
        # (sphinx-autobuild) reports it and goes on; sphinx-build exits with status 2.
        # Sphinx emits no build-finished for a build that stops here: release the lock now.
        integrity.release_lock(app)
        raise CannotConvert(str(error)) from error
    for problem in result.problems:
        if strict:
            logger.warning(problem.reason, location=str(problem.source),
                           type="paperkb", subtype=problem.kind)
        else:
            # Not a Sphinx warning (it would fail the -W build STRICT=0 asks for), and
            # not an info message (-q would hide it): straight to stderr.
            print(f"{problem.source}: problem: {problem.reason} [paperkb.{problem.kind}]",
                  file=sys.stderr)
    for notice in result.notices:
        print(f"{notice.source}: note: {notice.reason}", file=sys.stderr)
    if result.problems and strict:
        integrity.release_lock(app)
        raise DigestProblems(
            f"{len(result.problems)} problem(s) in the digests, notes, lists or articles of {seeds} "
            "(listed above); "
            "nothing was converted and the previous pages are unchanged. Fix them, or build "
            "the valid entries with STRICT=0 (make html STRICT=0, or -D paperkb_strict=0).")
    report = result.report
    assert report is not None
    record_conversion(app, report)
    summary = result.summary
    logger.info(
        f"paper-kb: {summary.papers} papers from {summary.digests} digests; "
        + (f"{len(report.written)} files written, {len(report.removed)} removed, "
           f"{report.unchanged} unchanged" if result.knowledge else
           f"the {report.unchanged} files of the same inputs' conversion already there")
        + f" ({time.perf_counter() - started:.2f} s)")
    # sphinxcontrib-bibtex reads the exported refs.bib (site_files.py copies it to the site root).
    config.bibtex_bibfiles = [str((docs / BIBFILE).relative_to(confdir))]
    # The sidebar names the team's index pages that exist (docs/_templates/sitenav.html). Every
    # page shows it: in html_context, a change is a change of the configuration's "html" part,
    # and Sphinx writes every page again (the first note, list or article of a site).
    config.html_context = {**config.html_context,
                           "paperkb_team_pages": team_pages(summary.team_pages)}


_TEAM_PAGES = {"notes": (layout.NOTES, "笔记 · Notes"),
               "lists": (f"{layout.LISTS}/index", "阅读清单 · Lists"),
               "articles": (f"{layout.ARTICLES}/index", "文章 · Articles")}


def team_pages(kinds: tuple[str, ...]) -> list[tuple[str, str]]:
    """(docname, label) of the index pages of the team's notes, lists and articles there are."""
    return [_TEAM_PAGES[kind] for kind in kinds]


def _as_bool(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() not in ("0", "false", "no", "off", "")
    return bool(value)

def setup_convert(app: Sphinx) -> None:
    app.add_config_value("paperkb_seeds", "seeds", "env", types=[str])
    app.add_config_value("paperkb_docs", "docs", "env", types=[str])
    app.add_config_value("paperkb_strict", True, "", types=[bool, str, int])
