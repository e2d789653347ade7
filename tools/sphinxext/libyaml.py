"""MyST parses YAML with libyaml (PyYAML's C loader) while it reads a page.

MyST reads every page's front matter twice (``read_topmatter`` for the page's
``myst`` settings, ``render_front_matter`` for its fields) and a directive's
options block, each with ``yaml.safe_load``: PyYAML's pure-Python loader.  A paper
page's front matter holds its head tags (Highwire, Open Graph, JSON-LD: about
2.4 KB), so that loader took 80 s of a 446 s profiled clean build of 2,000 papers,
the largest single cost of reading (3.5 ms a load unprofiled: over a minute of a
clean build of 10,000 papers).  ``yaml.CSafeLoader`` builds the same Python values
with the same safe constructors, ten times faster (0.35 ms), and raises the same
``yaml.YAMLError`` classes on malformed input.

The swap lasts while ``MystParser.parse`` runs (includes and nested parses happen
inside it), so code outside MyST keeps PyYAML as it is.  Without libyaml (a
PyYAML built without it) nothing changes.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from typing import Any

import yaml
from myst_parser.parsers.sphinx_ import MystParser
from sphinx.application import Sphinx


def c_safe_load(stream: Any) -> Any:
    return yaml.load(stream, Loader=yaml.CSafeLoader)


@contextlib.contextmanager
def libyaml_loading() -> Iterator[None]:
    pure = yaml.safe_load
    yaml.safe_load = c_safe_load
    try:
        yield
    finally:
        yaml.safe_load = pure


def _with_libyaml(parse: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(parse)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with libyaml_loading():
            return parse(*args, **kwargs)

    wrapper.paperkb_libyaml = True  # type: ignore[attr-defined]
    return wrapper


def setup_libyaml(app: Sphinx) -> None:
    # Once per process: two builds in one process (sphinx.testing, sphinx-autobuild) share it.
    if getattr(yaml, "__with_libyaml__", False) and not getattr(MystParser.parse, "paperkb_libyaml", False):
        MystParser.parse = _with_libyaml(MystParser.parse)  # type: ignore[method-assign]
