"""Digest parsing: the quirks of the shipped seeds and every reported problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.arxiv import NotArxiv, page_name, parse_url, year_month
from tools.model import build_corpus
from tools.read.parse import parse_file, parse_text

from .conftest import SEEDS

SEED_000 = SEEDS / "000_e56da8a24bb505c2.txt"  # the frozen copy, not the checkout's seeds/
SEED_004 = SEEDS / "004_ad890f935f0d4d32.txt"

ENTRY = "## Title\n[标题](https://arxiv.org/abs/2503.00001)\n\n摘要。\n"


def parse(text: str, name: str = "d.txt"):
    return parse_text(text, Path(name))


def test_seed_000_entries_in_order_with_lines():
    result = parse_file(SEED_000)
    assert not result.problems
    assert len(result.entries) == 10
    first = result.entries[0]
    assert first.title == ("I Have Covered All the Bases Here: Interpreting Reasoning Features "
                           "in Large Language Models via Sparse Autoencoders")
    assert first.title_zh == "全面解析：基于稀疏自编码器的大语言模型推理特征阐释"
    assert first.arxiv.id == "2503.18878"
    assert first.source.line == 1
    assert [e.source.line for e in result.entries][:3] == [1, 6, 11]


def test_trailing_double_spaces_are_not_part_of_titles_or_ids():
    # Seed 000 line 1-2 end with two spaces (a Markdown hard break).
    raw = SEED_000.read_text(encoding="utf-8").splitlines()
    assert raw[0].endswith("  ") and raw[1].endswith("  ")
    first = parse_file(SEED_000).entries[0]
    assert not first.title.endswith(" ") and not first.title_zh.endswith(" ")
    assert first.url == "https://arxiv.org/abs/2503.18878"


def test_two_paragraph_abstract_is_kept_as_two_paragraphs():
    lmm = next(e for e in parse_file(SEED_004).entries if e.arxiv.id == "2503.07536")
    assert len(lmm.abstract) == 2
    assert lmm.abstract[1].startswith("在 Qwen2.5-VL-Instruct-3B 上的实验表明")


def test_both_seeds_have_25_distinct_papers():
    entries = parse_file(SEED_000).entries + parse_file(SEED_004).entries
    corpus = build_corpus(entries)
    assert len(corpus.papers) == 25
    assert [d.name for d in corpus.digests] == ["000_e56da8a24bb505c2", "004_ad890f935f0d4d32"]


def test_crlf_bom_and_lone_cr_line_endings():
    text = "\ufeff" + ENTRY.replace("\n", "\r\n")
    result = parse(text)
    assert not result.problems
    assert result.entries[0].title == "Title"
    assert parse_text(ENTRY.replace("\n", "\r"), Path("d.txt")).entries[0].abstract == ("摘要。",)


def test_bom_in_file_is_dropped(tmp_path):
    path = tmp_path / "d.txt"
    path.write_bytes(b"\xef\xbb\xbf" + ENTRY.encode())
    assert parse_file(path).entries[0].title == "Title"


@pytest.mark.parametrize("url, expected", [
    ("https://arxiv.org/abs/2503.18878", ("2503.18878", None)),
    ("http://arxiv.org/abs/2503.18878v2", ("2503.18878", 2)),
    ("https://arxiv.org/pdf/2503.18878", ("2503.18878", None)),
    ("https://arxiv.org/pdf/2503.18878v3.pdf", ("2503.18878", 3)),
    ("https://www.arxiv.org/abs/0704.0001", ("0704.0001", None)),
    ("https://arxiv.org/abs/hep-th/9901001", ("hep-th/9901001", None)),
    ("https://arxiv.org/abs/math.GT/0309136v1", ("math.GT/0309136", 1)),
    ("https://arxiv.org/html/2503.18878v1", ("2503.18878", 1)),
])
def test_arxiv_links(url, expected):
    assert tuple(parse_url(url)) == expected


@pytest.mark.parametrize("url", [
    "arxiv.org/abs/2503.18878", "ftp://arxiv.org/abs/2503.18878", "https://example.org/abs/2503.18878",
    "https://arxiv.org/list/cs.CL", "javascript:alert(1)", "https://arxiv.org/abs/2503.1887",
])
def test_not_arxiv_links(url):
    with pytest.raises(NotArxiv):
        parse_url(url)


def test_page_names_and_months():
    assert page_name("2503.18878") == "2503.18878"
    assert page_name("hep-th/9901001") == "hep-th_9901001"
    assert year_month("2503.18878") == (2025, 3)
    assert year_month("hep-th/9901001") == (1999, 1)
    assert year_month("0704.0001") == (2007, 4)


def test_every_problem_is_reported_with_file_and_line():
    text = (
        "stray preamble\n"                                   # 1: text before first entry
        "## No link\n"                                       # 2
        "just an abstract\n"                                 # 3: missing link line
        "## Bad link\n"                                      # 4
        "[标题](https://example.org/paper)\n"                # 5: not arXiv
        "\n摘要\n"
        "## Empty abstract\n"                                # 8
        "[标题](https://arxiv.org/abs/2503.00002)\n"         # 9
        "\n\n"
        "## Fine\n"                                          # 12
        "[标题](https://arxiv.org/abs/2503.00003)\n"
        "\n摘要\n"
        "##\n"                                               # 16: heading without title
    )
    result = parse(text, "broken.txt")
    found = [(p.source.line, p.kind) for p in result.problems]
    assert found == [(1, "text-before-entry"), (3, "missing-link"), (5, "bad-link"),
                     (8, "empty-abstract"), (16, "empty-title")]
    assert all(str(p).startswith(f"broken.txt:{p.source.line}: ") for p in result.problems)
    assert [e.arxiv.id for e in result.entries] == ["2503.00003"]


def test_not_utf8_names_file_line_and_likely_encoding(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes(("## T\n[标题](https://arxiv.org/abs/2503.00001)\n\n摘要\n").encode("gb18030"))
    result = parse_file(path)
    assert not result.entries
    (problem,) = result.problems
    assert problem.kind == "not-utf8"
    assert problem.source.line == 2
    assert "GB18030" in problem.reason


def test_same_paper_twice_is_one_paper_with_variant_noted():
    a = parse(ENTRY, "a.txt").entries
    b = parse(ENTRY.replace("摘要。", "另一个摘要。"), "b.txt").entries
    corpus = build_corpus(a + b)
    (paper,) = corpus.papers.values()
    assert paper.digests == ("a", "b")
    assert paper.abstract == ("摘要。",)
    assert paper.variants[0].abstract == ("另一个摘要。",)
    assert len(corpus.notices) == 1 and corpus.notices[0].kind == "variant"
    assert [d.paper_ids for d in corpus.digests] == [("2503.00001",), ("2503.00001",)]


@pytest.mark.parametrize("encoding, named", [("big5", "BIG5"), ("utf-16", "UTF-16"), ("cp1252", "CP1252")])
def test_likely_encoding_is_named(tmp_path, encoding, named):
    text = "## Title\n[標題](https://arxiv.org/abs/2503.00001)\n\n這是繁體中文的摘要。\n"
    if encoding == "cp1252":
        text = "## Résumé à la française\n[Café](https://arxiv.org/abs/2503.00001)\n\nÉté.\n"
    path = tmp_path / "d.txt"
    path.write_bytes(text.encode(encoding))
    (problem,) = parse_file(path).problems
    assert f"likely {named}" in problem.reason

