"""Formulas rendered at build time: TeX -> MathML (latex2mathml), no CDN, no script.

Registered as the HTML math renderer ``mathml`` (Sphinx's public
``add_html_math_renderer``; ``conf.py`` selects it with ``html_math_renderer``).
MathML Core renders natively in current Chromium, Firefox and Safari, so a page
shows its formulas offline, from ``file://`` and behind a firewall.

Only formulas the markup normalizer accepted reach here (``markup._safe_math``:
balanced braces, a fixed list of harmless commands).  latex2mathml escapes every
character it emits; the TeX source is kept in the ``alttext`` attribute (for
screen readers and copy), never as text, so a snippet or ``textContent`` shows
the formula's symbols, not its source.  A formula latex2mathml cannot convert is
shown as its TeX source, escaped.
"""

from __future__ import annotations

import html

from docutils import nodes
from latex2mathml.converter import convert
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator

NAME = "mathml"


def to_mathml(tex: str, *, display: bool = False) -> str | None:
    """MathML for ``tex``, with the source as ``alttext``; None when it cannot be converted."""
    try:
        markup = convert(tex, display="block" if display else "inline")
    except Exception:  # latex2mathml raises many kinds of errors on malformed TeX
        return None
    if not markup.startswith("<math "):
        return None
    return markup.replace("<math ", f'<math alttext="{html.escape(tex, quote=True)}" ', 1)


def visit_math(self: HTML5Translator, node: nodes.math) -> None:
    tex = node.astext()
    markup = to_mathml(tex)
    if markup is None:
        self.body.append(f'<span class="math tex-source">{self.encode(tex)}</span>')
    else:
        self.body.append(f'<span class="math">{markup}</span>')
    raise nodes.SkipNode


def visit_displaymath(self: HTML5Translator, node: nodes.math_block) -> None:
    tex = node.astext()
    markup = to_mathml(tex, display=True)
    if markup is None:
        self.body.append(f'<div class="math tex-source">{self.encode(tex)}</div>\n')
    else:
        self.body.append(f'<div class="math">{markup}</div>\n')
    raise nodes.SkipNode


def setup_mathml(app: Sphinx) -> None:
    app.add_html_math_renderer(NAME, (visit_math, None), (visit_displaymath, None))
