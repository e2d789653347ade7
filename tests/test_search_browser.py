"""Search in a real browser: Debian's headless Chromium on the built site, served on 127.0.0.1.

Queries are typed into search.html's box and submitted, as a reader does
(tests/browser.py); the results are the links inside #search-results, in rank
order.  One browser per site serves every test of this module.
"""

from __future__ import annotations

import importlib.util
import re
from urllib.parse import quote

import pytest

from benchmarks.search_recall import evaluate, load_queries, recall_at_5, report

from .browser import MISSING, browser, chromium, search_page

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _require_browser() -> None:
    # Loud, not silent: a missing browser is a failed check, not a pass or a skip.
    if chromium() is None:
        pytest.fail(MISSING)
    if importlib.util.find_spec("playwright") is None:
        pytest.fail("Playwright is not installed: pip install -r requirements-dev.txt")


@pytest.fixture(scope="module")
def chromium_browser():
    _require_browser()
    with browser() as instance:
        yield instance


@pytest.fixture(scope="module")
def searcher(seeds_site, chromium_browser):
    with search_page(seeds_site, chromium_browser) as page:
        yield page


@pytest.fixture(scope="module")
def readthedocs_searcher(readthedocs_site, chromium_browser):
    html, run = readthedocs_site
    assert run.returncode == 0, run.stdout + run.stderr
    with search_page(html, chromium_browser) as page:
        yield page


def papers(results) -> list[str]:
    return [r.paper_id for r in results if r.paper_id]


def _own_text(entry) -> str:
    return " ".join([entry.title, entry.title_zh, *entry.abstract]).lower()


def _titles(entry) -> str:
    return f"{entry.title} {entry.title_zh}".lower()


# The "done when" queries, typed.
DONE_WHEN = [
    ("稀疏自编码器", ["2503.18878", "2503.03601"], False),
    ("视频生成", ["2503.18942", "2503.19325"], False),
    ("DyT", ["2503.10622"], True),
    ("GRPO 视频推理", ["2503.21776"], True),
]


@pytest.mark.parametrize("site", ["searcher", "readthedocs_searcher"])
@pytest.mark.parametrize(("query", "expected", "first"), DONE_WHEN)
def test_done_when_queries(request, site, query, expected, first):
    """On the site `make html` builds and on the one Read the Docs builds (-D language=en)."""
    found = papers(request.getfixturevalue(site).search(query))
    assert set(expected) <= set(found[:5]), found
    if first:
        assert found[0] == expected[0], found


# recall@5 over the query set when the index was first loaded in pieces (issue 12): 0.972.
# It may not drop, on the site make html builds nor on the one Read the Docs builds.
RECALL_AT_5 = 0.97


@pytest.mark.parametrize("site", ["searcher", "readthedocs_searcher"])
def test_recall_over_the_team_query_set(request, site):
    queries = load_queries()
    assert len(queries) >= 30 and {q.lang for q in queries} == {"zh", "en", "mixed"}
    outcomes = evaluate(request.getfixturevalue(site), queries)
    assert recall_at_5(outcomes) >= RECALL_AT_5, report(outcomes)


@pytest.mark.parametrize("word", ["稀疏自编码器", "GRPO", "DyT", "歌词转歌曲"])
def test_a_paper_matches_on_its_own_text_only(searcher, seed_entries, word):
    # Paper pages also list related papers' titles; those must not make a match.
    own = {e.arxiv.id for e in seed_entries if word.lower() in _own_text(e)}
    assert own
    assert set(papers(searcher.search(word))) == own


@pytest.mark.parametrize("query", ["强化学习", "视频生成", "剪枝", "推理"])
def test_title_matches_rank_above_abstract_only_matches(searcher, seed_entries, query):
    in_title = {e.arxiv.id for e in seed_entries if query in _titles(e)}
    abstract_only = {e.arxiv.id for e in seed_entries
                     if query in _own_text(e) and e.arxiv.id not in in_title}
    assert in_title and abstract_only  # the query must tell the two apart
    found = papers(searcher.search(query))
    assert in_title | abstract_only <= set(found)
    last_title = max(found.index(pid) for pid in in_title)
    first_abstract = min(found.index(pid) for pid in abstract_only)
    assert last_title < first_abstract, found


def test_paper_pages_come_before_other_pages(searcher):
    results = searcher.search("稀疏自编码器")
    kinds = [r.paper_id is not None for r in results]
    assert kinds[0] and not kinds[-1]  # papers, then the glossary
    assert kinds == sorted(kinds, reverse=True)


def test_results_show_the_chinese_title_english_title_and_a_snippet(searcher, seed_entries):
    results = searcher.search("DyT")
    entry = next(e for e in seed_entries if e.arxiv.id == "2503.10622")
    assert results[0].text == entry.title_zh
    item = searcher.page.locator("#search-results ul.search li").first
    assert item.locator(".paperkb-title-en").inner_text() == entry.title
    snippet = item.locator("p.context")
    snippet.wait_for()
    assert "DyT" in snippet.inner_text()
    assert snippet.locator("span.highlighted").count() >= 1


def test_a_link_to_a_search_shows_its_results(searcher):
    assert papers(searcher.open("q=" + quote("测试时扩展")))[0] == "2503.18942"


def test_query_splitting(searcher):
    split = lambda query: searcher.page.evaluate("q => PaperSearch.split(q)", query)  # noqa: E731
    searcher.open("q=" + quote("DyT"))
    # A Chinese run becomes index terms, mixed scripts part without spaces,
    # an arXiv id stays whole, a lone unindexed character (的) is dropped.
    assert split("GRPO视频推理") == ["grpo", "视频推理"]
    assert split("稀疏自编码器的推理特征") == ["稀疏自编码器", "推理特征"]
    assert split("2503.18878") == ["2503.18878"]
    assert papers(searcher.search("2503.18878"))[0] == "2503.18878"
    assert re.fullmatch(r"[a-z0-9]+", "".join(split("Sparse Autoencoders")))
