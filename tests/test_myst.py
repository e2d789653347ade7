"""The MyST escaper: any text renders as that text, never as markup."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from tools.read.markup import tokenize
from tools.render import myst

from .conftest import MYST_EXTENSIONS

PARSER = create_md_parser(MdParserConfig(enable_extensions=MYST_EXTENSIONS), RendererHTML)
METACHARACTERS = [*"\\`*_{}[]()<>#+-.!|$%&~^:\"'=@\n\t ",
    "<script>", "<img src=x onerror=alert(1)>", "<!--", "-->", "```{raw} html", ":::", "{eval-rst}",
    "{{ sub }}", "$$", "\\href{", "\\textbf{", "http://x.org/", "**", "# ", "1. ", "> ", "{math}`",
    "&amp;", "&#x3c;", "中文", "🚀", "ＡＢＣ"]
hostile = st.lists(st.sampled_from(METACHARACTERS) | st.text(max_size=5), max_size=40).map("".join)


def inline_children(source: str):
    tokens = PARSER.parse(source)
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"] or \
        not source.strip(), [t.type for t in tokens]
    return [child for t in tokens if t.type == "inline" for child in t.children]


def _never_shown(char: str) -> bool:
    """The characters no page shows, from Unicode's own categories (not from the code under
    test): controls but tab and line breaks, surrogates, noncharacters."""
    code = ord(char)
    return (unicodedata.category(char) in ("Cc", "Cs") and char not in "\t\n\r") or \
        0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


@given(hostile)
def test_escaped_text_is_one_paragraph_of_exactly_that_text(text):
    source = myst.escape_text(text)
    children = inline_children(source)
    assert all(child.type in ("text", "softbreak") for child in children), children
    rendered = "".join(child.content for child in children if child.type == "text")
    expected = " ".join("".join(char for char in text if not _never_shown(char)).split())
    assert rendered.strip() == expected


@given(hostile)
def test_abstract_markup_emits_only_the_renderers_own_constructs(text):
    source = myst.inline(tokenize(text))
    allowed = {"text", "softbreak", "myst_role", "link_open", "link_close"}
    for child in inline_children(source):
        assert child.type in allowed, (child.type, source)
        if child.type == "myst_role":
            assert child.meta["name"] in ("math", "strong", "emphasis")
        if child.type == "link_open":
            assert child.attrs["href"].startswith(("http://", "https://"))


def test_role_fence_fits_backticks():
    (child,) = inline_children(myst.role("strong", "a ``b`` `c"))
    assert child.type == "myst_role" and child.content == "a ``b`` `c"
