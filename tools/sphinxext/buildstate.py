"""What one build hands from one of its handlers to a later one.

The lock taken at ``config-inited`` is released at ``build-finished``; the
warnings counted in between decide whether the build finished; the build
report collects what was read and written.  Such state lives on the Sphinx
application object of the build, one instance of each kind, never in a module
global: two builds in one process (``sphinx.testing``, sphinx-autobuild) each
have their own, and it goes when the application goes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sphinx.application import Sphinx

_ATTRIBUTE = "paperkb_build_state"
State = TypeVar("State")


def of_build(app: Sphinx, kind: Callable[[], State]) -> State:
    """This build's instance of ``kind`` (a class called with no arguments), made on first use."""
    states: dict[object, object] = app.__dict__.setdefault(_ATTRIBUTE, {})
    if kind not in states:
        states[kind] = kind()
    state: State = states[kind]  # type: ignore[assignment]  # stored under its own kind
    return state
