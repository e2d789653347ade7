"""Files served beside the pages, and pages that are gone.

The converter writes the citation exports (``refs.bib``, ``refs.json``,
``papers/<id>.bib``, ``topics/<slug>.bib``) under ``docs/_generated/export``;
after a successful build they are copied into the site root: only those whose
size or modification time changed, removed when their paper or topic is gone (a manifest in
the output folder says which files are ours).

The HTML pages of documents that are gone are removed by ``integrity.py``.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

from ..files.write import mirror
from ..layout import EXPORT_DIR
from .book import is_site_build

MANIFEST = ".paperkb-exports.json"

def on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or not is_site_build(app):
        return
    mirror(Path(app.srcdir) / EXPORT_DIR, Path(app.outdir), manifest=MANIFEST)
