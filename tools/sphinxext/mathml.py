"""Formulas rendered at build time: TeX -> MathML (latex2mathml), no CDN, no script.

Registered as the HTML math renderer ``mathml`` (Sphinx's public
``add_html_math_renderer``; ``conf.py`` selects it with ``html_math_renderer``).
MathML Core renders natively in current Chromium, Firefox and Safari, so a page
shows its formulas offline, from ``file://`` and behind a firewall.

Only formulas the markup normalizer accepted reach here (``markup._safe_math``:
balanced braces, a fixed list of harmless commands).  Even so, latex2mathml's
output is markup from a library, never pasted into a page: it copies the
argument of ``\\text``, ``\\textbf``, ``\\mbox``... into ``<mtext>`` unescaped
(``\\text{<script>…}`` would be a script) and emits ``&`` raw.  So its output is
parsed as XML and re-serialised by lxml; an element or attribute outside the
MathML allow-list below, or output that is not well-formed XML, makes the formula
fall back to its TeX source, escaped as text.  The TeX source is kept in the
``alttext`` attribute (for screen readers and copy), never as text, so a snippet
or ``textContent`` shows the formula's symbols, not its source.
"""

from __future__ import annotations

from docutils import nodes
from latex2mathml.converter import convert
from lxml import etree
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator

NAME = "mathml"
MATHML_NAMESPACE = "http://www.w3.org/1998/Math/MathML"
# MathML Core's presentation elements (and semantics/annotation): none of them
# loads anything or runs script.  https://www.w3.org/TR/mathml-core/
ELEMENTS = frozenset("""
math mrow mi mn mo ms mtext mspace msub msup msubsup munder mover munderover mfrac msqrt
mroot mstyle merror mpadded mphantom mtable mtr mtd mmultiscripts mprescripts none
semantics annotation menclose
""".split())
# Presentation attributes only: no href, no event handlers, no style.
ATTRIBUTES = frozenset("""
xmlns display alttext mathvariant stretchy fence separator lspace rspace accent accentunder
linethickness displaystyle scriptlevel movablelimits largeop symmetric minsize maxsize form
width height depth voffset columnalign columnspacing columnlines rowalign rowspacing rowlines
frame framespacing notation encoding columnspan rowspan
""".split())
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          remove_comments=False, remove_pis=False, huge_tree=False)


def to_mathml(tex: str, *, display: bool = False) -> str | None:
    """MathML for ``tex``, with the source as ``alttext``; None when it cannot be converted
    or when latex2mathml's output is not MathML of the allow-list."""
    try:
        markup = convert(tex, display="block" if display else "inline")
    except Exception:  # latex2mathml raises many kinds of errors on malformed TeX
        return None
    return sanitised(markup, tex)


def sanitised(markup: str, tex: str) -> str | None:
    """latex2mathml's output parsed, checked against the allow-list and serialised anew."""
    try:
        root = etree.fromstring(markup, _PARSER)
    except etree.XMLSyntaxError:
        return None  # a raw "&" or "<" copied from the TeX: not MathML
    for element in root.iter():
        if not isinstance(element.tag, str):
            return None  # a comment, processing instruction or entity reference
        namespace, _, local = element.tag.rpartition("}")
        if namespace.lstrip("{") != MATHML_NAMESPACE or local not in ELEMENTS:
            return None
        if any(name not in ATTRIBUTES for name in element.attrib):
            return None
    if etree.QName(root).localname != "math":
        return None
    attributes = dict(root.attrib)
    root.attrib.clear()
    root.set("alttext", tex)
    for name, value in attributes.items():
        root.set(name, value)
    serialised: str = etree.tostring(root, encoding="unicode")
    return serialised


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
