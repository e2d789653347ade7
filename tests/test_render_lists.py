"""Generated lists: titles with math are math everywhere; home page, timeline, glossary order."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from tools import layout
from tools.enrich import enrich
from tools.model import build_corpus
from tools.read import curated as knowledge
from tools.read.parse import parse_text
from tools.render.myst import escape_text
from tools.render.pages import render_site

from .conftest import MYST_EXTENSIONS

ROOT = Path(__file__).resolve().parent.parent
TAXONOMY = knowledge.load_taxonomy(ROOT / "docs" / "_data" / "taxonomy.toml")
GLOSSARY = knowledge.load_glossary(ROOT / "docs" / "_data" / "glossary.toml")

DIGEST = """## $O(n^2)$ Attention for Transformer language models
[二次注意力 Transformer 语言模型](https://arxiv.org/abs/2503.00001)

我们研究 Transformer 语言模型的注意力。

## Another Transformer language model
[另一个 Transformer 语言模型](https://arxiv.org/abs/2503.00002)

又一个 Transformer 语言模型。
"""


def _site() -> dict[str, str]:
    parsed = parse_text(DIGEST, Path("007_cafebabecafebabe.txt"))
    return render_site(enrich(build_corpus(parsed.entries), TAXONOMY, GLOSSARY))


def test_a_title_with_math_is_math_in_every_list():
    site = _site()
    lists = ["index.md", "months/2025-03.md", "digests/007_cafebabecafebabe.md",
             "papers/2503.00002.md", "papers/2503.00001.md"]
    lists += [path for path in site if path.startswith("topics/") and path != "topics/index.md"
              and path.endswith(".md") and "2503.00001" in site[path]]
    for path in lists:
        # the citation meta tags and the BibTeX block keep the TeX, as arXiv's export does
        shown = site[path].split("\n---\n", 1)[-1].split("## 引用", 1)[0]
        assert "{math}`O(n^2)`" in shown, path
        assert "$O(n" not in shown, path


def test_home_page_timeline_and_digest_names():
    site = _site()
    home = site["index.md"]
    assert escape_text("第 7 期 · 2025-03 · 2 篇") in home  # derived: number, month (no metadata), count
    assert "cafebabe" not in home.split("](")[0]  # the hash only ever in a link target
    assert "**2** 篇论文" in home
    assert "months/2025-03" in site["months/index.md"]


def test_glossary_is_sorted_with_a_jump_bar():
    page = _site()["glossary.md"]
    terms = [term.term for term in GLOSSARY.terms]
    positions = [page.index(f"\n{escape_text(term)}\n") for term in sorted(terms, key=str.casefold)]
    assert positions == sorted(positions)
    assert "[A](#a)" in page and len(terms) >= 30


def test_home_page_links_to_every_digest_and_month_stand_apart():
    """'全部 N 期' and '全部 N 个月' are paragraphs of their own, not the tail of the list above."""
    entries = []
    for month in range(14):  # more digests and months than the home page lists
        arxiv_month = 2401 + month // 12 * 100 + month % 12  # 2401 … 2412, 2501, 2502
        text = f"## Paper {month}\n[论文 {month}](https://arxiv.org/abs/{arxiv_month}.00001)\n\n摘要。\n"
        entries += parse_text(text, Path(f"{month + 100:03d}_digest.txt")).entries
    home = render_site(enrich(build_corpus(entries), TAXONOMY, GLOSSARY))["index.md"]
    parser = create_md_parser(MdParserConfig(enable_extensions=MYST_EXTENSIONS), RendererHTML)
    page = BeautifulSoup(parser.render(home), "html.parser")
    for text in ("全部 14 期", "全部 14 个月"):
        link = next(a for a in page.find_all("a") if a.get_text().startswith(text))
        assert link.parent.name == "p" and link.parent.parent.name != "li", text
        assert layout.NO_SEARCH in link.parent.get("class", []), text
    assert layout.LATEST_CLASS in home
