"""The citation styles of the Cite box: ``docs/_data/csl/styles.toml`` and its ``.csl`` files.

An editor chooses the styles (official CSL files copied into the folder); this
module reads the list and parses each style once with citeproc-py, checking it
against the CSL schema citeproc-py ships, so that a broken or unknown style stops
the build naming the file instead of printing a wrong reference on every page.
"""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass
from pathlib import Path

from citeproc import CitationStylesStyle

from .curated import KnowledgeError, _load, _required

FOLDER = "csl"  # in docs/_data
FILENAME = "styles.toml"


@dataclass(frozen=True)
class CslStyle:
    key: str  # the file's stem: names the style in the page's classes and the cache
    name: str  # what the reader sees
    locale: str
    digest: str  # sha256 of the style file and the locale: a cached reference is of this exact style
    style: CitationStylesStyle


def load_styles(folder: Path) -> tuple[CslStyle, ...]:
    path = folder / FILENAME
    data = _load(path)
    styles: list[CslStyle] = []
    for index, raw in enumerate(data.get("style", []), start=1):
        where = f"{path}: style #{index}"
        file = folder / _required(raw, "file", where)
        locale = _required(raw, "locale", where)
        try:
            text = file.read_bytes()
        except OSError as error:
            raise KnowledgeError(f"{where}: {error}") from error
        styles.append(CslStyle(key=file.stem, name=_required(raw, "name", where), locale=locale,
                               digest=hashlib.sha256(text + locale.encode()).hexdigest(),
                               style=_parse(file, locale, where)))
    keys = [style.key for style in styles]
    if len(set(keys)) != len(keys):
        raise KnowledgeError(f"{path}: a style file is listed twice")
    return tuple(styles)


def _parse(file: Path, locale: str, where: str) -> CitationStylesStyle:
    # citeproc-py reports a style that fails the CSL schema with warnings.warn; here it is an error.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            style = CitationStylesStyle(str(file), locale=locale, validate=True)
        except (ValueError, OSError, SyntaxError) as error:  # lxml's XMLSyntaxError is a SyntaxError
            raise KnowledgeError(f"{where}: {file.name}: {error}") from error
    if caught:
        raise KnowledgeError(f"{where}: {file.name}: {caught[0].message}")
    if not style.has_bibliography():
        raise KnowledgeError(f"{where}: {file.name} defines no bibliography")
    return style
