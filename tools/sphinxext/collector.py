"""Python's cycle collector run less often during a build: fewer full collections of a large heap.

A build keeps a large heap alive on purpose: the saved environment it loads, and
every page's doctree from its reading until its writing
(``BuildEnvironment._write_doc_doctree_cache``), 3.7 GB at 10,000 papers.  With the
thresholds Python starts with (700, 10, 10) the collector considers a full
(generation 2) collection every 70,000 net allocations, and runs one whenever the
old generation grew by a quarter: each walks that whole heap (about 4.5 s at 10,000
papers) and finds little.  A clean build of 10,000 papers ran 34 of them, 154 s of
its 920; a clean build of 2,000 papers 23, 27 s of its 173.

From the converter's end to the build's end the thresholds are ``THRESHOLDS``: a
young collection every 4,000 net allocations and a full one considered every 4
million.  What the young collections free (most of what parsing a page leaves
behind) is freed as before; what becomes garbage once old (a written page's
doctree) waits longer for a full collection.  A clean build of 2,000 papers (one
run each, this 2-core machine): 151 s instead of 173, peak 943 MB instead of 853;
``tools/DESIGN.md`` ("Build speed") has the other thresholds tried and 10,000 papers.
Then the thresholds are set back (a process may build twice: sphinx-autobuild, the
tests).  Unlike ``gc.freeze`` (tried and reverted: 8bfbe1e), nothing is kept from
being freed: only when it is.

At the interpreter's exit, though, everything is frozen (:func:`freeze_at_exit`).  A
finished build's application stays alive to the end (Sphinx's log handlers and its
event manager refer to it, in cycles with its environment and builder), and the
interpreter's shutdown then collects that whole heap, repeatedly, as it clears the
modules: 8.6 s of a 40.5 s no-op build at 10,000 papers, against 0.2 s with the heap
frozen first (the same build, one run each).  Frozen objects in cycles are left to the
operating system, as any process's memory is at exit; nothing of a build is still
unwritten then (Sphinx writes its files with ``with`` blocks, the log handlers are
flushed by ``logging``'s own exit handler, which runs after this one).
"""

from __future__ import annotations

import atexit
import gc

from sphinx.application import Sphinx
from sphinx.config import Config

from .buildstate import of_build

THRESHOLDS = (4000, 10, 100)


class _Thresholds:
    before: tuple[int, int, int] | None = None


def on_config_inited(app: Sphinx, config: Config) -> None:
    of_build(app, _Thresholds).before = gc.get_threshold()
    gc.set_threshold(*THRESHOLDS)
    # Once per process however many builds it runs: unregister removes an earlier one.
    atexit.unregister(freeze_at_exit)
    atexit.register(freeze_at_exit)


def on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    state = of_build(app, _Thresholds)
    if state.before is not None:
        gc.set_threshold(*state.before)
        state.before = None


def freeze_at_exit() -> None:
    """Spare the interpreter's shutdown the collections of a heap that is about to be freed."""
    gc.freeze()
