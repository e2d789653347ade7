"""Warnings inside a note or an article name that file and its line.

A paper page includes its note, an article page its article (MyST ``{include}``,
``tools/render/templates``).  Docutils' own messages then name the included
file, since MyST points the reporter at it, but MyST's own warnings (an unknown
role or directive, a skipped heading level) are logged with the *including*
page and the included file's line: ``docs/papers/2503.18878.md:14`` for line 14
of ``seeds/notes/2503.18878.md``.  While MyST renders an included file, the
document's ``source`` is that file: a wrapper around MyST's
``DocutilsRenderer.create_warning`` hands it to a filter on MyST's logger, which
puts it in the warning's location (Sphinx keeps a ``path:line`` location as it is).
"""

from __future__ import annotations

import contextvars
import functools
import logging
from pathlib import Path
from typing import Any

from myst_parser.mdit_to_docutils.base import DocutilsRenderer
from sphinx.application import Sphinx

# The logger MyST's warnings go through (sphinx.util.logging.getLogger prefixes "sphinx.").
MYST_LOGGER = "sphinx.myst_parser.warnings_"
_INCLUDED_AT: contextvars.ContextVar[str | None] = contextvars.ContextVar("paperkb_included_at",
                                                                         default=None)


def _with_included_source(create_warning: Any) -> Any:
    @functools.wraps(create_warning)
    def wrapper(self: DocutilsRenderer, *args: Any, **kwargs: Any) -> Any:
        env = getattr(self.document.settings, "env", None)
        source, line = self.document.get("source"), kwargs.get("line")
        included = (env is not None and env.docname and source and line is not None
                    and Path(source) != Path(env.doc2path(env.docname)))
        token = _INCLUDED_AT.set(f"{source}:{line}" if included else None)
        try:
            return create_warning(self, *args, **kwargs)
        finally:
            _INCLUDED_AT.reset(token)

    wrapper.paperkb_included = True  # type: ignore[attr-defined]
    return wrapper


class IncludedLocation(logging.Filter):
    """Names the included file in a MyST warning logged while it is rendered."""

    def filter(self, record: logging.LogRecord) -> bool:
        located = _INCLUDED_AT.get()
        if located is not None:
            record.location = located
        return True


def setup_included(app: Sphinx) -> None:
    # Once per process: two builds in one process (sphinx.testing, sphinx-autobuild) share both.
    if not getattr(DocutilsRenderer.create_warning, "paperkb_included", False):
        DocutilsRenderer.create_warning = _with_included_source(  # type: ignore[method-assign]
            DocutilsRenderer.create_warning)
    logger = logging.getLogger(MYST_LOGGER)
    if not any(isinstance(existing, IncludedLocation) for existing in logger.filters):
        logger.addFilter(IncludedLocation())
