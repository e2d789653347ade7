"""The one place where digest text becomes MyST source.

Every piece of digest text reaches a page through :func:`escape_text` (via the
template engine's ``finalize`` hook, see ``pages.py``) or through
:func:`inline`, which emits markup only for tokens that ``markup.tokenize``
recognised.  CommonMark lets a backslash escape any ASCII punctuation
character, so escaping all of them (and folding line breaks into spaces)
leaves no way to open HTML, a directive, a role, a fence, a substitution or a
block construct: whatever the text says, it is shown as text.
"""

from __future__ import annotations

import json
import re

from ..model import Emph, Inline, Link, Math, Strong, Text
from ..read.characters import CONTROL

_ASCII_PUNCTUATION = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")
_WHITESPACE = re.compile(r"\s+")
# Control characters and noncharacters (tools/read/characters.py): the parser has removed them from
# digests already; CommonMark would turn NUL into U+FFFD.
_CONTROL = CONTROL
_SAFE_TARGET = re.compile(r"[A-Za-z0-9_./-]+")
_CLASS_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_SAFE_URL = re.compile(r"https?://[^\s<>\\`]+")


class MyST(str):
    """A string that is already MyST: templates print it without escaping."""


def escape_text(text: str) -> MyST:
    """Plain text -> MyST that renders exactly that text, on one line."""
    folded = _WHITESPACE.sub(" ", _CONTROL.sub("", text))
    return MyST(_ASCII_PUNCTUATION.sub(r"\\\1", folded))


def role(name: str, content: str) -> MyST:
    """``{name}`content` ``: role content is literal, only the fence must fit."""
    content = _WHITESPACE.sub(" ", content)
    fence = "`" * (_longest_run(content, "`") + 1)
    if content.startswith("`") or content.endswith("`"):
        content = f" {content} "
    return MyST(f"{{{name}}}{fence}{content}{fence}")


def link(text: str, url: str) -> MyST:
    """A link to a web URL (``http``/``https`` only); anything else is text."""
    if not _SAFE_URL.fullmatch(url):
        return escape_text(text)
    return MyST(f"[{escape_text(text)}](<{url}>)")


def doc_link(text: str, docname: str) -> MyST:
    """A link to another page of the site, by docname (e.g. ``papers/2503.18878``)."""
    return MyST(f"[{escape_text(text)}](project:/{target(docname)}.md)")


def target(name: str) -> MyST:
    """A docname, citation key or label: only characters that need no escaping."""
    if not _SAFE_TARGET.fullmatch(name):
        raise ValueError(f"unsafe reference target: {name!r}")
    return MyST(name)


def block_class(name: str) -> MyST:
    """Block attributes (MyST ``attrs_block``) giving the next block a class: ``{.no-search}``."""
    if not _CLASS_NAME.fullmatch(name):
        raise ValueError(f"unsafe class name: {name!r}")
    return MyST(f"{{.{name}}}")


def classes(names: tuple[str, ...]) -> MyST:
    """Class names for a directive's argument (``{container} a b``), each checked."""
    for name in names:
        if not _CLASS_NAME.fullmatch(name):
            raise ValueError(f"unsafe class name: {name!r}")
    return MyST(" ".join(names))


def inline(tokens: list[Inline]) -> MyST:
    """Recognised abstract markup -> MyST; every text part escaped."""
    parts: list[str] = []
    for token in tokens:
        if isinstance(token, Text):
            parts.append(escape_text(token.text))
        elif isinstance(token, Math):
            parts.append(role("math", token.tex))
        elif isinstance(token, Strong):
            parts.append(role("strong", token.text))
        elif isinstance(token, Emph):
            parts.append(role("emphasis", token.text))
        elif isinstance(token, Link):
            parts.append(link(token.text, token.url))
        else:  # pragma: no cover - the token types are closed
            raise TypeError(token)
    return MyST("".join(parts))


def code_block(code: str, language: str) -> MyST:
    """A fenced block whose fence is longer than any backtick run in ``code``."""
    fence = "`" * max(3, _longest_run(code, "`") + 1)
    return MyST(f"{fence}{target(language)}\n{code.rstrip()}\n{fence}")


def include(path: str, start_line: int, heading_offset: int) -> MyST:
    """A MyST ``{include}`` of a file of the team's (a note, an article), from ``start_line``.

    ``path`` is ``/``-rooted: Sphinx takes it from the source folder.  It comes from
    the seeds folder's location, not from any text: it only has to fit on the line.
    """
    if "\n" in path or "\r" in path or not path.startswith("/"):
        raise ValueError(f"unusable include path: {path!r}")
    fence = "`" * max(3, _longest_run(path, "`") + 1)
    return MyST(f"{fence}{{include}} {path}\n:start-line: {int(start_line)}\n"
                f":heading-offset: {int(heading_offset)}\n{fence}")


def yaml_value(value: object) -> MyST:
    """A front-matter value: JSON is YAML, and JSON strings escape everything."""
    return MyST(json.dumps(value, ensure_ascii=False))


def _longest_run(text: str, char: str) -> int:
    runs = re.findall(f"{re.escape(char)}+", text)
    return max((len(run) for run in runs), default=0)
