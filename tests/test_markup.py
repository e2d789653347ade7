"""The abstract markup normalizer: every quirk of the seeds, and what it refuses."""

from __future__ import annotations

import random

import pytest

from tools.read import markup
from tools.read.markup import Emph, Link, Math, Strong, Text, plain_text, tokenize


def links(tokens):
    """The links among tokens."""
    return [token for token in tokens if isinstance(token, Link)]


def test_percent_escapes_become_percent_signs():
    # seed 004, LMM-R1: "分别比基线平均提升了 4.83\% 和 4.5\%"
    assert tokenize(r"提升了 4.83\% 和 4.5\%，") == [Text("提升了 4.83% 和 4.5%，")]


def test_textbf_textit_emph():
    assert tokenize(r"a \textbf{b} c \textit{d} \emph{e}") == [
        Text("a "), Strong("b"), Text(" c "), Emph("d"), Text(" "), Emph("e")]


def test_href_with_color_keeps_url_and_text_only():
    # seed 000, the long-context survey
    source = (r"\href{https://github.com/LCLM-Horizon/A-Comprehensive-Survey-For-Long-Context-"
              r"Language-Modeling}{\color[RGB]{175,36,67}{LCLM-Horizon}}。")
    assert tokenize(source) == [
        Link("https://github.com/LCLM-Horizon/A-Comprehensive-Survey-For-Long-Context-Language-Modeling",
             "LCLM-Horizon"),
        Text("。")]


def test_markdown_bold():
    # seed 004, YuE: "特别是具有挑战性的**歌词转歌曲**问题"
    assert tokenize("挑战性的**歌词转歌曲**问题") == [Text("挑战性的"), Strong("歌词转歌曲"), Text("问题")]


def test_inline_math():
    assert tokenize(r"where $\alpha \leq 1$ holds") == [
        Text("where "), Math(r"\alpha \leq 1"), Text(" holds")]


def test_garbled_math_from_seed_is_repaired_into_one_formula():
    # seed 004, DyT: the translator wrapped the inner x in dollars as well
    source = r"操作 $DyT($x$) = \tanh(\alpha $x$)$，作为"
    assert tokenize(source) == [Text("操作 "), Math(r"DyT(x) = \tanh(\alpha x)"), Text("，作为")]


@pytest.mark.parametrize("source", [
    "costs $5 and $10 today",           # prices, not math
    r"$\href{javascript:alert(1)}{x}$",  # a command that makes links
    r"$\require{html}$",
    "$x^{2$",                           # unbalanced braces
    "an unmatched $ sign",
    "$中文$",
])
def test_what_is_not_math_stays_readable_text(source):
    tokens = tokenize(source)
    assert not any(isinstance(t, Math) for t in tokens)
    assert plain_text(tokens) == source


def test_bare_urls_are_links_without_trailing_punctuation():
    tokens = tokenize("代码发布于 https://github.com/AIRI-Institute/SAE-Reasoning。更多见 (https://x.org/a).")
    assert links(tokens) == [
        Link("https://github.com/AIRI-Institute/SAE-Reasoning", "https://github.com/AIRI-Institute/SAE-Reasoning"),
        Link("https://x.org/a", "https://x.org/a")]


def test_unknown_commands_and_unsafe_links_stay_text():
    assert tokenize(r"\unknown{x} \href{javascript:alert(1)}{y}") == [
        Text(r"\unknown{x} \href{javascript:alert(1)}{y}")]


def test_seed_abstracts_have_no_raw_markup_left(seed_entries):
    for entry in seed_entries:
        for paragraph in entry.abstract:
            text = "".join(t.text for t in tokenize(paragraph) if isinstance(t, (Text, Strong, Emph)))
            for raw in (r"\textbf", r"\%", r"\href", r"\color", "**", "$"):
                assert raw not in text, (entry.arxiv.id, raw)


class _StepByStep(markup._Scanner):
    """The scanner trying its rules at every character instead of jumping to where one can start."""

    def _next_rule_start(self, pos: int, formulas: list[int]) -> int:
        return pos


def test_the_scanner_jumping_to_where_a_rule_can_start_gives_the_tokens_of_one_stepping():
    rng = random.Random(11)
    pieces = [*"ab 中文 hH\\*$%{}[]_^&#:/.", "http://", "https://x.y/a)", "\\textbf{", "\\href{",
              "\\emph{", "\\color[red]{", "$$", "**", "\\\\", "\\%", "\\alpha"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 30))) for _ in range(3000)]
    for text in texts:
        stepping = markup._merge_text(_StepByStep(text, 0, []).tokens())
        assert tokenize(text) == stepping, text
