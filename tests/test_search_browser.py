"""Search in a real browser: Debian's headless Chromium on the built site, served on 127.0.0.1.

Queries are typed into search.html's box and submitted, as a reader does
(tests/browser.py); the results are the links inside #search-results, in rank
order.  One browser per site serves every test of this module.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from benchmarks.search_recall import evaluate, load_queries, recall_at_5, report

from .browser import search_page
from .conftest import copy_project, sphinx_build

pytestmark = [pytest.mark.slow, pytest.mark.browser]


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


# Papers whose titles and abstracts hold names every JavaScript object has
# (Object.prototype's).  Built alone: a site of one digest takes 3 s, and the hostile
# site's paper count is asserted in test_hostile.py.
PROPERTY_NAMES_DIGEST = """\
## The __proto__ Pollution Benchmark
[原型污染基准](https://arxiv.org/abs/2503.99101)

一篇标题含有 __proto__ 的论文。

## A constructor for hasOwnProperty and toString Tests
[构造器与原型方法测试](https://arxiv.org/abs/2503.99102)

摘要提到 valueOf 与 isPrototypeOf。
"""


@pytest.fixture(scope="module")
def property_names_searcher(tmp_path_factory, chromium_browser):
    base = tmp_path_factory.mktemp("property-names-site")
    seeds = base / "seeds"
    seeds.mkdir()
    (seeds / "105_search.txt").write_text(PROPERTY_NAMES_DIGEST, encoding="utf-8")
    sphinx_build(copy_project(base / "project"), seeds, base / "out")
    with search_page(base / "out" / "html", chromium_browser) as page:
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


@pytest.mark.parametrize(("query", "paper"), [
    ("__proto__", "2503.99101"),
    ("constructor", "2503.99102"),
    ("hasOwnProperty", "2503.99102"),
    ("toString", "2503.99102"),
    ("valueOf", "2503.99102"),
    ("isPrototypeOf", "2503.99102"),
])
def test_words_that_name_object_properties_are_found(property_names_searcher, query, paper):
    # Indexed like any word; an object literal in the search pieces made "__proto__" vanish.
    assert papers(property_names_searcher.open("q=" + quote(query))) == [paper]


# Best of 3 runs of PaperSearch.parse on a query; each run repeats the call for 30 ms at
# least, so that timer resolution does not decide.
_TIME_PARSE = """query => {
  const run = () => {
    const start = performance.now();
    let calls = 0, spent = 0;
    do { PaperSearch.parse(query); calls += 1; spent = performance.now() - start; } while (spent < 30);
    return spent / calls;
  };
  return Math.min(run(), run(), run());
}"""

# Queries a crafted link can hold: a short glossary name repeated; every glossary name, in
# turn; the Chinese names run together without spaces.
_SHAPES = {
    "rl repeated": "() => 'rl '",
    "every glossary name": "() => PAPERKB_SYNONYMS.flat().join(' ') + ' '",
    "Chinese names run together":
        "() => PAPERKB_SYNONYMS.flat().filter(n => /\\p{Script=Han}/u.test(n)).join('')",
}


@pytest.mark.parametrize("shape", list(_SHAPES))
def test_query_parsing_is_linear_in_the_query_length(searcher, shape):
    searcher.open("q=" + quote("DyT"))
    unit = searcher.page.evaluate(_SHAPES[shape])
    assert unit

    def query(size: int) -> str:
        return (unit * (size // len(unit) + 1))[:size]

    # Sizes where a quadratic parser's n² term dominates: 16,000 characters took it 1 s.
    small, large = (searcher.page.evaluate(_TIME_PARSE, query(size)) for size in (16_000, 64_000))
    # Linear growth gives 4 (2.3 to 3.1 measured), quadratic 16 (9 to 16 measured on the
    # parser this one replaced); the margin absorbs timer noise.
    assert large / small < 8, (shape, small, large)


def _summary(searcher) -> str:
    return searcher.page.inner_text("#search-results p.search-summary")


def test_an_over_long_query_is_cut_and_the_summary_says_so(searcher):
    normal = searcher.open("q=" + quote("视频生成"))
    assert "200" not in _summary(searcher)
    # Past the first 200 characters, "DyT" is not searched: the results are 视频生成's.
    long = searcher.open("q=" + quote("视频生成 " + "。" * 300 + " DyT"))
    assert long == normal
    summary = _summary(searcher)
    assert "200" in summary and "查询" in summary and "characters" in summary, summary
    # The link that froze a tab for 8 s: cut, it is one short query.
    searcher.open("q=" + quote("rl " * 8_000))
    assert "200" in _summary(searcher)


def test_a_query_is_cut_at_200_characters_not_inside_a_word(searcher):
    searcher.open("q=" + quote("DyT"))
    shorten = lambda query: searcher.page.evaluate("q => PaperSearch.shorten(q)", query)  # noqa: E731
    assert shorten("视频生成" * 50) is None  # 200 characters: searched whole
    assert shorten("视" * 300) == "视" * 200
    assert shorten("😀" * 300) == "😀" * 200  # characters, not UTF-16 units: no half emoji
    assert shorten("x " * 99 + "reinforcement learning") == "x " * 99  # not "re"
    assert shorten("a" * 300) == "a" * 200  # one word: cut


def test_the_search_page_has_one_search_box(searcher):
    """The top bar's, as on every page: it holds the query, and is ready for typing without one."""
    page = searcher.page
    page.goto(f"{searcher.base_url}/search.html")
    boxes = page.locator('input[name="q"]')
    assert boxes.count() == 1
    assert page.evaluate("document.activeElement.closest('header.paperkb-top form') !== null")
    searcher.open("q=" + quote("DyT"))
    assert boxes.count() == 1 and page.locator('header.paperkb-top input[name="q"]').input_value() == "DyT"


def test_the_count_agrees_with_the_note(searcher):
    """Pages matching every word are counted apart from those matching only some."""
    results = searcher.search("量子计算")
    summary, note = _summary(searcher), searcher.page.inner_text("#paperkb-missing")
    assert "没有找到「量子」" in note and results
    assert "没有页面匹配全部词语" in summary and "no page matches every word" in summary, summary
    assert f"{len(results)} 个页面只匹配其中一部分" in summary, summary
    assert f"{len(results)} pages match only some" in summary, summary
    assert "匹配搜索条件的有" not in summary and "matching the search query" not in summary
    # Some pages match every word, others only some: both counts, adding up to the results.
    results = searcher.search("GRPO 视频推理")
    both = re.search(r"(\d+) 个页面匹配全部词语，另有 (\d+) 个页面只匹配其中一部分", _summary(searcher))
    assert both, _summary(searcher)
    assert int(both[1]) >= 1 and int(both[1]) + int(both[2]) == len(results)
    # Every result matches every word: Sphinx's own sentence says how many.
    results = searcher.search("视频生成")
    assert f"匹配搜索条件的有 {len(results)} 个页面" in _summary(searcher)


def _highlights(page) -> int:
    page.wait_for_load_state("load")
    page.wait_for_timeout(200)  # sphinx_highlight.js highlights 10 ms after DOMContentLoaded
    return page.locator("span.highlighted").count()


def test_search_words_are_highlighted_on_the_result_opened_only(searcher):
    """The result a reader opens shows the words, with a button (or Escape) that hides them;
    no other page does: not the next one, nor one opened from the search page otherwise."""
    page = searcher.page
    note = page.locator("p.paperkb-highlight-note")
    for hide in ("button", "Escape"):
        searcher.search("DyT")
        page.locator("#search-results ul.search li > a").first.click()
        assert _highlights(page) >= 1
        note.wait_for(timeout=5_000)
        assert "DyT" in note.inner_text() or "dyt" in note.inner_text()
        assert "highlight" not in page.url  # a reload or a copied address does not carry them
        if hide == "button":
            note.locator("button").click()
        else:
            page.keyboard.press("Escape")
        assert page.locator("span.highlighted").count() == 0 and note.count() == 0, hide
    page.locator("nav#rellinks a").last.click()
    assert _highlights(page) == 0 and note.count() == 0
    searcher.search("模型")
    page.locator("header.paperkb-top a.paperkb-brand").click()  # the home page says 模型 often
    assert "模型" in page.inner_text("div.body")
    assert _highlights(page) == 0 and note.count() == 0
    searcher.search("DyT")  # and the result itself, opened otherwise than from the results
    page.goto(f"{searcher.base_url}/papers/2503.10622.html")
    assert _highlights(page) == 0 and note.count() == 0
