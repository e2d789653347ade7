"""What the previous conversion computed, by the content it was computed from.

Adding a digest to 10,000 papers changes 25 of them, yet a conversion reads every
digest, checks every metadata entry, matches every paper against every topic and
glossary keyword and writes every paper's BibTeX: about half its time (profiled).
Each of these is a pure function of a small input (a digest file's path and bytes,
a metadata entry, a paper's titles and abstract with the taxonomy or glossary, a
citation): :meth:`Memo.get` keeps its result under the sha256 of that input, and the next
conversion takes the result instead of computing it again.

* The code's fingerprint (``converted.code_fingerprint``: the ``tools`` package,
  its templates, the Python and library versions) is kept with the memo: a memo of
  other code is not read.  The curated data a result depends on is part of that
  result's key (the taxonomy's keywords for the topics, say), so editing it
  computes those results again.
* A memo holds the results the last conversion asked for and nothing else, so it
  stays the size of the corpus; it is written whole (a temporary file, renamed) and
  an unreadable one is an empty one.  It never decides what is written: a missing
  or stale entry only costs the time to compute it.
* Only results are kept, never errors: an input that raised is read again and
  raises again.

Every stage may take one (a shared module, like ``model``); ``files/converted.py``
keeps it between conversions in ``docs/.converted.pickle`` (git-ignored; ``python -m
tools clean`` removes it).  Like Sphinx's ``environment.pickle``, it is a build cache
that only the build writes.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from typing import Any, TypeVar, cast

T = TypeVar("T")


class Memo:
    """Results by the hash of what they were computed from; see the module docstring."""

    def __init__(self, code: str = "", previous: dict[bytes, Any] | None = None) -> None:
        self.code = code
        self._previous = previous or {}
        self.results: dict[bytes, Any] = {}  # what this conversion asked for: the next memo
        self.computed = 0  # results not found in the previous memo

    def get(self, kind: str, key: object, compute: Callable[[], T]) -> T:
        """The result of ``compute()``, which follows from ``key`` (picklable) alone."""
        digest = fingerprint((kind, key))
        if digest in self.results:
            return cast(T, self.results[digest])
        if digest in self._previous:
            result = cast(T, self._previous[digest])
        else:
            result = compute()
            self.computed += 1
        self.results[digest] = result
        return result


def fingerprint(value: object) -> bytes:
    """The sha256 of a picklable value: a part of many keys (the taxonomy, say), hashed once."""
    return hashlib.sha256(pickle.dumps(value, protocol=5)).digest()
