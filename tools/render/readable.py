"""Tokens as text, for places that show no markup: a bibliography entry, a tooltip, JSON."""

from __future__ import annotations

from collections.abc import Sequence

from pylatexenc.latex2text import LatexNodes2Text

from ..model import Inline, Math

_TEX_TO_TEXT = LatexNodes2Text()


def readable_text(tokens: Sequence[Inline]) -> str:
    """The text as a reader reads it: formulas as Unicode text, ``tanh(αx)`` for
    ``$\\tanh(\\alpha x)$``."""
    return "".join(_TEX_TO_TEXT.latex_to_text(token.tex) if isinstance(token, Math) else token.text
                   for token in tokens)


def tex_text(tokens: Sequence[Inline]) -> str:
    """The text with recognised markup dropped and formulas as their TeX, without dollars."""
    return "".join(token.tex if isinstance(token, Math) else token.text for token in tokens)
