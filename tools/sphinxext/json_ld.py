"""A paper page's schema.org JSON-LD, written into its ``<head>`` by the layout.

The converter puts the record in the page's front matter (``json_ld``, a JSON
object: tools/render/scholarly_meta.py); here it becomes the text of a
``<script type="application/ld+json">`` element (``docs/_templates/layout.html``).
That text is digest data inside a script, where HTML's escaping does not apply:
the only way out of the element is a ``<`` (``</script>``, ``<!--``), so ``<``,
``>`` and ``&`` are written as JSON's ``\\u003c``, ``\\u003e`` and ``\\u0026``, which
parse back to the same characters.  U+2028 and U+2029 are escaped too, for the
readers that take JSON for JavaScript.
"""

from __future__ import annotations

import json
from typing import Any

from sphinx.application import Sphinx

CONTEXT_NAME = "paperkb_json_ld"
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                              "\u2028": "\\u2028", "\u2029": "\\u2029"})


def script_text(record: object) -> str:
    """``record`` as JSON that a ``<script>`` element holds as it is: no ``<``, ``>`` or ``&``."""
    # Escaping after serialising is safe: JSON has these characters only inside strings.
    return json.dumps(record, ensure_ascii=False, indent=1).translate(_SCRIPT_SAFE)


def add_json_ld(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                doctree: object) -> None:
    raw = (context.get("meta") or {}).get("json_ld")
    if raw:
        context[CONTEXT_NAME] = script_text(json.loads(raw))
