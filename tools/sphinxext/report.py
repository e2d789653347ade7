"""A machine-readable account of each build: ``<doctrees>/paperkb-build.json``.

What Sphinx re-read and re-wrote is otherwise only in its console output,
which it translates (``LC_ALL=zh_CN.UTF-8``) and which ``-q`` hides.  Tests
and the benchmark read this file instead:

* ``converter``: the generated files written and removed, and how many were unchanged;
* ``read``: the documents Sphinx read (``env-before-read-docs``);
* ``written``: the documents it wrote (``doctree-resolved``, which runs in the
  main process for every page written, serially or in parallel).

It is written at the end of a build that succeeded; a failed build removes it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..files.write import WriteReport, write_if_changed
from .buildstate import of_build

FILENAME = "paperkb-build.json"


@dataclass
class BuildReport:
    converter: dict[str, object] = field(default_factory=dict)
    read: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)


def report_of(app: Sphinx) -> BuildReport:
    return of_build(app, BuildReport)


def record_conversion(app: Sphinx, report: WriteReport) -> None:
    report_of(app).converter = {"written": list(report.written), "removed": list(report.removed),
                                "unchanged": report.unchanged}


def on_read_docs(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    report_of(app).read.extend(docnames)


def on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    report_of(app).written.append(docname)


def on_build_finished(app: Sphinx, exception: BaseException | None) -> None:
    path = Path(app.doctreedir) / FILENAME
    if exception is not None:
        path.unlink(missing_ok=True)
        return
    report = report_of(app)
    data = {**asdict(report), "read": sorted(report.read), "written": sorted(set(report.written))}
    write_if_changed(path, json.dumps(data, indent=1) + "\n")
