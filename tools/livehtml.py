"""``make livehtml``: serve the site and rebuild it once per saved change (sphinx-autobuild).

sphinx-autobuild watches folders and, for each batch of changes, runs ``sphinx-build`` and
reloads the browser.  Changes made while a build runs are the next batch, so whatever a
build writes into a watched folder starts another build: the build lock used to be in
``docs/`` (now beside it, ``files/lock.py``) and each build started the next, forever.
So this module gives sphinx-autobuild:

* Sphinx's source folder as ``docs/``, with ``conf.py``'s folder as ``-c`` (the same build
  as ``make html``'s, which starts on the checkout and is moved to ``docs/`` by
  ``sphinxext/run_converter.py``): watching the checkout would also watch ``tools/``'s
  ``__pycache__``, the lock and every other build folder;
* the seeds folder, watched too: the digests and everything beside them are what the site
  is built from, and the converter runs inside each build;
* the converter's output in ``docs/`` as ignored (``layout.GENERATED_IN_DOCS``, the
  manifest, the conversion's record and memo, ``files/write.py``'s temporary files): the running
  build writes it, so it is never an edit.  The converter leaves unchanged files untouched
  (``files/write.py``), and a page it does rewrite is part of the build that rewrote it.

The build folder (pages and doctrees) is ignored by sphinx-autobuild itself.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from .files.write import CONVERTER_STATE, MANIFEST, TEMPORARY_PREFIX, TEMPORARY_SUFFIX
from .layout import GENERATED_IN_DOCS

ROOT = Path(__file__).resolve().parent.parent  # the checkout: conf.py's folder
DOCS = "docs"  # conf.py's paperkb_docs


def ignored_patterns(docs: Path) -> list[str]:
    """Regular expressions (sphinx-autobuild's ``--re-ignore``) for what the converter writes.

    sphinx-autobuild matches them against resolved absolute paths, so ``docs`` is resolved;
    regular expressions rather than its globs, whose ``[`` and ``*`` a folder name may hold.
    """
    folder = re.escape(docs.resolve().as_posix())
    names = "|".join(re.escape(name) for name in (*GENERATED_IN_DOCS, MANIFEST, *CONVERTER_STATE))
    temporary = f"{re.escape(TEMPORARY_PREFIX)}[^/]*{re.escape(TEMPORARY_SUFFIX)}"
    return [f"^{folder}/(?:{names})(?:/|$)", f"^{folder}/(?:[^/]+/)*{temporary}$"]


def command(seeds: Path, builddir: Path, options: Sequence[str]) -> list[str]:
    """The sphinx-autobuild command line; ``options`` are Sphinx's and sphinx-autobuild's."""
    docs = ROOT / DOCS
    ignores = [argument for pattern in ignored_patterns(docs)
               for argument in ("--re-ignore", pattern)]
    # A relative seeds folder is taken from the checkout, as Sphinx takes paperkb_seeds.
    return [sys.executable, "-m", "sphinx_autobuild", "-b", "html", *options,
            "-c", str(ROOT), "-d", str(builddir / "doctrees"),
            "--watch", str(ROOT / seeds), *ignores, str(docs), str(builddir / "html")]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tools.livehtml", description=__doc__)
    parser.add_argument("seeds", type=Path)
    parser.add_argument("builddir", type=Path)
    parser.add_argument("options", nargs=argparse.REMAINDER,
                        help="options for sphinx-build and sphinx-autobuild (--port, --open-browser)")
    args = parser.parse_args(argv)
    line = command(args.seeds, args.builddir, args.options)
    # exec, not a child process: Ctrl-C and a kill reach sphinx-autobuild itself.
    os.execv(line[0], line)


if __name__ == "__main__":
    main()
