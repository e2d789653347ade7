"""Abstract markup -> inline tokens (data, not MyST; the token records are in ``model``).

Digest abstracts carry LaTeX-ish and Markdown-ish markup written by
translation tools.  :func:`tokenize` recognises a small, fixed set of it and
returns tokens; everything it does not recognise stays :class:`Text`, which the
renderer escapes.  So the only markup that can reach a page is markup this
module recognised and the renderer emitted itself.

Recognised:

* ``$...$`` and ``$$...$$``: math, only when the dollars pair up and the TeX
  inside is balanced and uses known, harmless commands; otherwise the text is
  kept as written.  Garbled math such as ``$DyT($x$) = \\tanh(\\alpha $x$)$``
  (a translator wrapped the inner variables in dollars too) is repaired into
  one formula when that gives balanced parentheses.
* ``\\textbf{}``, ``**...**`` (strong); ``\\textit{}``, ``\\emph{}``,
  ``\\textsl{}`` (emphasis); ``\\texttt{}``, ``\\text{}``... (plain text).
* ``\\href{url}{text}``, ``\\url{url}`` and bare ``http(s)://`` URLs (links).
* ``\\%``, ``\\&``, ``\\#``, ``\\_``, ``\\$``, ``\\{``, ``\\}`` (the character).
* ``\\color``, ``\\textcolor`` and font-size switches (presentation only: dropped,
  their text kept).

Every input costs time linear in its length: brace groups are matched in one
pass before scanning, and the URL and ``**`` look-aheads never rescan text they
have passed.  Two limits keep hostile text from costing more: markup nested
deeper than :data:`MAX_NESTING` groups is kept as written, and a formula longer
than :data:`MAX_FORMULA` characters is kept as text; :func:`notes` names both, so
that the parser can say so with the entry's ``file:line``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from ..model import Emph, Inline, Link, Math, Strong, Text, plain_text

_STRONG_COMMANDS = {"textbf", "bf", "mathbf"}
_EMPH_COMMANDS = {"textit", "emph", "textsl", "it"}
_PLAIN_COMMANDS = {"texttt", "textrm", "textsf", "textsc", "text", "mbox", "underline", "textnormal"}
# Presentation-only commands: the first brace group(s) are arguments to drop.
_COLOUR_COMMANDS = {"color": 1, "textcolor": 1, "colorbox": 1}
_SWITCHES = {"tiny", "scriptsize", "footnotesize", "small", "normalsize", "large", "Large",
             "LARGE", "huge", "Huge", "bfseries", "itshape", "ttfamily", "centering", "noindent"}
_GROUP_COMMANDS = _STRONG_COMMANDS | _EMPH_COMMANDS | _PLAIN_COMMANDS
_ESCAPED_CHARS = set("%&#_${}")

# Commands MathJax renders without extensions that fetch code or build links.
# Anything else (\href, \class, \style, \require, \def, \unicode...) makes the
# "math" plain text: a formula in a digest never needs them.
_MATH_COMMANDS = frozenset("""
alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi
pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta
Lambda Xi Pi Sigma Upsilon Phi Psi Omega
sin cos tan cot sec csc sinh cosh tanh coth arcsin arccos arctan exp log ln lg max min sup inf
arg argmax argmin lim det dim ker Pr gcd deg mod bmod pmod operatorname
frac dfrac tfrac sqrt binom tbinom dbinom sum prod int iint oint partial nabla infty
cdot cdots ldots dots vdots ddots times div pm mp ast star circ bullet oplus otimes odot
leq geq le ge neq ne approx sim simeq cong equiv propto ll gg prec succ preceq succeq
subset subseteq supset supseteq in notin ni cup cap setminus emptyset varnothing forall exists
neg land lor wedge vee to rightarrow leftarrow Rightarrow Leftarrow leftrightarrow Leftrightarrow
mapsto implies iff uparrow downarrow gets longrightarrow longleftarrow
left right big Big bigg Bigg middle langle rangle lfloor rfloor lceil rceil lvert rvert lVert rVert
mid parallel perp top bot angle triangle square ell hbar Re Im aleph prime
mathbf mathrm mathit mathcal mathbb mathsf mathtt mathfrak boldsymbol bm text textbf textit
textrm mbox hat bar tilde vec dot ddot widehat widetilde overline underline overbrace underbrace
quad qquad displaystyle textstyle scriptstyle limits nolimits top intercal
""".split())
_MATH_COMMAND = re.compile(r"\\([A-Za-z]+)")
# The characters where a rule of _Scanner._rule can start, besides a formula: the scanner
# jumps from one to the next instead of stepping through the text between them.
_RULE_START = re.compile(r"[\\*hH]")
_COMMAND_NAME = re.compile(r"[A-Za-z]+")
# A URL starts anywhere but right after a Latin letter or digit, "{" or "/" (inside a
# word or another URL); after Chinese text it starts ("代码见https://..."). It ends at
# white space, quotes and the CJK punctuation that never appears raw in a URL.
_URL = re.compile(r"(?<![A-Za-z0-9{/])https?://[^\s<>\"'`，。；：！？、（）【】《》「」“”‘’…—]+")
_URL_TRAILING = ".,;:!?'\"*"

MAX_NESTING = 10  # groups inside groups: real digests nest 3 (\href{}{\color[]{}{text}})
MAX_FORMULA = 1000  # characters of TeX in one formula: real ones are under 200


def tokenize(paragraph: str) -> list[Inline]:
    """Tokens for one paragraph of abstract text; adjacent text merged."""
    return _merge_text(_Scanner(paragraph, 0, []).tokens())


def tokens(text: str) -> tuple[tuple[Inline, ...], list[str]]:
    """The tokens of ``text`` and what a limit kept as written (one scan for both)."""
    found: list[str] = []
    return tuple(_merge_text(_Scanner(text, 0, found).tokens())), list(dict.fromkeys(found))


def notes(text: str) -> list[str]:
    """What :func:`tokenize` kept as written because of a limit, for the build log."""
    return tokens(text)[1]


def _merge_text(tokens: Iterator[Inline]) -> list[Inline]:
    """Adjacent text tokens joined once (pairwise concatenation would be quadratic)."""
    merged: list[Inline] = []
    run: list[str] = []
    for token in tokens:
        if isinstance(token, Text):
            run.append(token.text)
            continue
        if any(run):
            merged.append(Text("".join(run)))
        run = []
        merged.append(token)
    if any(run):
        merged.append(Text("".join(run)))
    return merged


class _Scanner:
    """One left-to-right pass; each ``_at_*`` rule consumes input or declines."""

    def __init__(self, source: str, depth: int, notes: list[str]) -> None:
        self.source = source
        self.pos = 0
        self.depth = depth  # groups this text is nested in
        self.notes = notes  # what a limit kept as written, shared with nested scanners
        self.math_spans = dict(_math_spans(source, notes))  # start -> (end, tex)
        self.group_ends = _group_ends(source)  # "{" position -> position after its "}"
        self._next_found: dict[str, int] = {}  # look-ahead -> where it was last found
        self._rule_start = -1  # where _RULE_START was last found (see _next_rule_start)

    def _find(self, needle: str, start: int) -> int:
        """``source.find(needle, start)``, remembered: ``start`` only grows, so the
        scanner never searches the same text twice for one needle (linear time)."""
        found = self._next_found.get(needle)
        if found is None or (0 <= found < start):
            found = self.source.find(needle, start)
            self._next_found[needle] = found
        return found

    def _group(self, pos: int) -> tuple[str | None, int]:
        """The content of the balanced ``{...}`` group at ``pos`` (None if there is none)."""
        end = self.group_ends.get(pos)
        if end is None:
            return None, pos
        return self.source[pos + 1: end - 1], end

    def _skip_optional(self, pos: int) -> int:
        """Skip a ``[...]`` optional argument, if there is one."""
        if pos < len(self.source) and self.source[pos] == "[":
            end = self._find("]", pos)
            if end > 0:
                return end + 1
        return pos

    def _plain(self, text: str | None) -> str:
        """Nested markup reduced to its readable text (used inside links and emphasis);
        past :data:`MAX_NESTING` groups, the text as written."""
        if not text:
            return ""
        if self.depth + 1 > MAX_NESTING:
            self.notes.append(f"markup nested deeper than {MAX_NESTING} groups is kept as written")
            return text
        return plain_text(_merge_text(_Scanner(text, self.depth + 1, self.notes).tokens()))

    def tokens(self) -> Iterator[Inline]:
        source = self.source
        text_start = self.pos
        formulas = sorted(self.math_spans)
        while self.pos < len(source):
            token = self._rule()
            if token is None:
                self.pos = self._next_rule_start(self.pos + 1, formulas)
                continue
            start, produced = token
            yield Text(source[text_start:start])
            yield from produced
            text_start = self.pos
        yield Text(source[text_start:])

    def _next_rule_start(self, pos: int, formulas: list[int]) -> int:
        """The first position from ``pos`` on where :meth:`_rule` may produce a token."""
        candidate = self._rule_start
        if candidate < pos:  # remembered, as in _find: the text is searched once, not once per formula
            found = _RULE_START.search(self.source, pos)
            candidate = self._rule_start = found.start() if found else len(self.source)
        index = bisect.bisect_left(formulas, pos)
        return min(candidate, formulas[index]) if index < len(formulas) else candidate

    def _rule(self) -> tuple[int, list[Inline]] | None:
        start = self.pos
        char = self.source[start]
        if start in self.math_spans:
            end, tex = self.math_spans[start]
            self.pos = end
            return start, [Math(tex)]
        if char == "\\":
            return self._at_command(start)
        if char == "*" and self.source.startswith("**", start):
            return self._at_double_star(start)
        if char in "hH" and _URL.match(self.source, start):
            return self._at_url(start)
        return None

    def _at_command(self, start: int) -> tuple[int, list[Inline]] | None:
        source = self.source
        nxt = source[start + 1: start + 2]
        if nxt and nxt in _ESCAPED_CHARS:
            self.pos = start + 2
            return start, [Text(nxt)]
        if nxt == "\\":  # a LaTeX line break
            self.pos = start + 2
            return start, [Text(" ")]
        match = _COMMAND_NAME.match(source, start + 1)
        if not match:
            return None
        name, pos = match.group(), match.end()
        if name in _SWITCHES:
            self.pos = _skip_space(source, pos)
            return start, []
        if name == "href":
            url, pos = self._group(pos)
            text, pos2 = self._group(pos) if url is not None else (None, pos)
            if url is None or text is None or not _is_web_url(url.strip()):
                return None
            self.pos = pos2
            return start, [Link(url.strip(), self._plain(text) or url.strip())]
        if name == "url":
            url, pos = self._group(pos)
            if url is None or not _is_web_url(url.strip()):
                return None
            self.pos = pos
            return start, [Link(url.strip(), url.strip())]
        if name in _COLOUR_COMMANDS:
            pos = self._skip_optional(pos)
            spec, pos = self._group(pos)
            if spec is None:
                return None
            body, after = self._group(pos)
            self.pos = after if body is not None else pos
            return start, [Text(self._plain(body))] if body else []
        if name in _GROUP_COMMANDS:
            body, pos = self._group(pos)
            if body is None:
                return None
            self.pos = pos
            text = self._plain(body)
            if name in _STRONG_COMMANDS:
                return start, [Strong(text)] if text.strip() else [Text(text)]
            if name in _EMPH_COMMANDS:
                return start, [Emph(text)] if text.strip() else [Text(text)]
            return start, [Text(text)]
        return None  # unknown command: kept as written

    def _at_double_star(self, start: int) -> tuple[int, list[Inline]] | None:
        end = self._find("**", start + 2)
        if end < 0:
            return None
        inner = self.source[start + 2: end]
        if not inner.strip() or inner != inner.strip():
            return None
        self.pos = end + 2
        return start, [Strong(self._plain(inner))]

    def _at_url(self, start: int) -> tuple[int, list[Inline]] | None:
        match = _URL.match(self.source, start)
        assert match
        url = _trim_url(match.group())
        self.pos = start + len(url)
        return start, [Link(url, url)]


def _is_web_url(url: str) -> bool:
    return bool(re.fullmatch(r"https?://[^\s<>\"'`]+", url))


def _trim_url(url: str) -> str:
    """Trailing punctuation is the sentence's; brackets are counted once (linear)."""
    end = len(url)
    while end and url[end - 1] in _URL_TRAILING:
        end -= 1
    # A closing bracket belongs to the URL only if the URL opened it.
    for opening, closing in ("()", "[]", "{}"):
        excess = url.count(closing, 0, end) - url.count(opening, 0, end)
        while excess > 0 and end and url[end - 1] == closing:
            end -= 1
            excess -= 1
    return url[:end]


def _skip_space(source: str, pos: int) -> int:
    while pos < len(source) and source[pos] == " ":
        pos += 1
    return pos


def _escaped_scan(source: str) -> Iterator[tuple[int, str]]:
    """(position, character) of every character no backslash escapes: the one scan
    that brace matching, dollar finding and bracket balancing share."""
    i = 0
    length = len(source)
    while i < length:
        char = source[i]
        if char == "\\":
            i += 2
            continue
        yield i, char
        i += 1


def _group_ends(source: str) -> dict[int, int]:
    """For each balanced ``{`` (not escaped), the position just after its ``}``."""
    ends: dict[int, int] = {}
    opened: list[int] = []
    for i, char in _escaped_scan(source):
        if char == "{":
            opened.append(i)
        elif char == "}" and opened:
            ends[opened.pop()] = i + 1
    return ends


# --- math -------------------------------------------------------------------

def _dollar_positions(source: str) -> list[tuple[int, int]]:
    """(position, width) of each unescaped ``$`` or ``$$`` delimiter."""
    found: list[tuple[int, int]] = []
    after = 0  # the second dollar of a "$$" is not a delimiter of its own
    for i, char in _escaped_scan(source):
        if char == "$" and i >= after:
            width = 2 if source.startswith("$$", i) else 1
            found.append((i, width))
            after = i + width
    return found


def _math_spans(source: str, notes: list[str]) -> Iterator[tuple[int, tuple[int, str]]]:
    """(start, (end, tex)) for each formula that is safe to render as math."""
    delimiters = _dollar_positions(source)

    def within_limit(tex: str) -> bool:
        if len(tex) <= MAX_FORMULA:
            return True
        notes.append(f"a formula of {len(tex):,} characters is kept as text "
                     f"(formulas are at most {MAX_FORMULA:,})")
        return False

    i = 0
    while i + 1 < len(delimiters):
        (start, width), (close, close_width) = delimiters[i], delimiters[i + 1]
        if width != close_width:
            i += 1
            continue
        tex = source[start + width: close]
        if not _balanced(tex, ("(", ")")) and width == 1:
            repaired = _repair(source, delimiters, i)
            if repaired is not None:
                last, tex = repaired
                end = delimiters[last][0] + 1
                if _safe_math(tex) and within_limit(tex):
                    yield start, (end, tex.strip())
                i = last + 1
                continue
        if _safe_math(tex) and (width == 2 or _tight(source, tex, close + 1)):
            if within_limit(tex):
                yield start, (close + close_width, tex.strip())
            i += 2  # a formula over the limit is text, dollars and all
        else:
            i += 1  # this dollar is plain text; try pairing from the next one


def _repair(source: str, delimiters: list[tuple[int, int]], first: int) -> tuple[int, str] | None:
    """Join ``$a($x$)b$``-style fragments into one formula with balanced brackets.

    The gaps between fragments must be short and hold no CJK text, which keeps
    two real formulas with prose between them apart.
    """
    for last in range(first + 3, min(len(delimiters), first + 12), 2):
        if any(width != 1 for _, width in delimiters[first: last + 1]):
            return None
        gaps = [source[delimiters[k][0] + 1: delimiters[k + 1][0]]
                for k in range(first + 1, last, 2)]
        if any(len(gap) > 12 or _has_cjk(gap) for gap in gaps):
            return None
        tex = source[delimiters[first][0] + 1: delimiters[last][0]].replace("$", "")
        if _balanced(tex, ("(", ")")):
            return last, tex
    return None


def _tight(source: str, tex: str, after: int) -> bool:
    """Pandoc's rule for ``$...$``: no space inside the dollars, no digit after.

    It keeps prices ("$5 and $10") from becoming a formula.
    """
    return tex == tex.strip() and not source[after: after + 1].isdigit()


def _has_cjk(text: str) -> bool:
    return any("\u3000" <= char <= "\u9fff" or "\uff00" <= char <= "\uffef" for char in text)


def _balanced(tex: str, pair: tuple[str, str]) -> bool:
    depth = 0
    opening, closing = pair
    for _, char in _escaped_scan(tex):
        if char == opening:
            depth += 1
        elif char == closing:
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _safe_math(tex: str) -> bool:
    if not tex.strip() or _has_cjk(tex) or "\n" in tex:
        return False
    if not _balanced(tex, ("{", "}")):
        return False
    return all(name in _MATH_COMMANDS for name in _MATH_COMMAND.findall(tex))
