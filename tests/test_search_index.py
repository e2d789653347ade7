"""What the search index holds (searchindex.js of the seeds site), without a browser."""

from __future__ import annotations

import json
import re

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def index(seeds_site):
    text = (seeds_site / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(re.search(r"Search\.setIndex\((.*)\)", text, re.DOTALL).group(1))


def docs(index, mapping: str, term: str) -> set[str]:
    value = index[mapping].get(term, [])
    return {index["docnames"][i] for i in ([value] if isinstance(value, int) else value)}


def test_chinese_titles_are_title_terms(index, seed_entries):
    # 稀疏自编码器 is in the Chinese titles of two papers (and is one term: the domain dictionary).
    expected = {f"papers/{e.arxiv.id}" for e in seed_entries if "稀疏自编码器" in e.title_zh}
    # ...and the glossary term's own page ("Sparse Autoencoder · 稀疏自编码器")
    assert expected and docs(index, "titleterms", "稀疏自编码器") == expected | {"terms/sparse-autoencoder"}


@pytest.mark.parametrize("term", ["稀疏自编码器", "视频生成", "grpo", "dyt"])
def test_pages_are_indexed_on_their_own_text(index, seed_entries, term):
    own = {f"papers/{e.arxiv.id}" for e in seed_entries
           if term in " ".join([e.title, e.title_zh, *e.abstract]).lower()}
    found = docs(index, "terms", term) | docs(index, "titleterms", term)
    # Not the paper pages that list a related paper's title, nor topic and digest listings.
    assert {d for d in found if d.startswith("papers/")} == own
    assert not {d for d in found if d.startswith(("topics/", "digests/", "bibliography"))}


def test_arxiv_ids_are_terms(index, seed_entries):
    for entry in seed_entries:
        assert f"papers/{entry.arxiv.id}" in docs(index, "terms", entry.arxiv.id)


def test_authors_are_terms_of_their_papers_only(index):
    # Yann LeCun is an author of 2503.10622 only; his name is on no other page's own text.
    assert docs(index, "terms", "lecun") == {"papers/2503.10622"}


def test_the_last_prune_is_given_the_page_names_as_a_set():
    from types import SimpleNamespace

    from tools.sphinxext.search import prune_with_a_set

    given: list[object] = []
    indexer = SimpleNamespace(prune=given.append)
    prune_with_a_set(SimpleNamespace(builder=SimpleNamespace(indexer=indexer)))
    indexer.prune({"papers/a": 1, "index": 2})  # what dump_search_index passes: env.all_docs
    assert given == [{"papers/a", "index"}] and isinstance(given[0], set)
    prune_with_a_set(SimpleNamespace(builder=SimpleNamespace()))  # a builder without a search index
