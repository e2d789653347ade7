"""Enrichment: related papers."""

from __future__ import annotations

import math
import random
from collections import Counter

from tools import arxiv
from tools.enrich import related as related_module
from tools.enrich.related import RELATED_LIMIT, related_papers


def test_related_papers_keep_their_lists_when_tied_newer_papers_arrive():
    topics = {"2501.00001": ("a",), "2501.00002": ("a",), "2501.00003": ("a",)}
    terms = dict.fromkeys(topics, ("x",))
    before = related_papers(topics, terms)
    grown = related_papers({**topics, "2502.00001": ("a",), "2502.00002": ("a", "b")},
                           {**terms, "2502.00001": ("x",), "2502.00002": ("x",)})
    # Equally related newer papers go after the older ones; less related ones after those.
    assert all(grown[pid][:2] == before[pid] for pid in topics)
    assert grown["2501.00001"] == ("2501.00002", "2501.00003", "2502.00001", "2502.00002")
    # A new paper's own list: the older of the equally related papers first.
    assert grown["2502.00001"][:3] == ("2501.00001", "2501.00002", "2501.00003")


def _crowd(count: int) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """``count`` papers over 12 months that all share a topic and a term (as every paper shares the
    fallback topic ``other``), each also in a small topic of 12 papers."""
    ids = [f"25{i * 12 // count + 1:02d}.{i + 1:05d}" for i in range(count)]
    return ({pid: ("everyone", f"small-{i % (count // 12)}") for i, pid in enumerate(ids)},
            dict.fromkeys(ids, ("common term",)))


def _scores_counted(monkeypatch, topics, terms) -> tuple[int, dict[str, tuple[str, ...]]]:
    calls = 0
    score = related_module._similarity

    def counting(*args):
        nonlocal calls
        calls += 1
        return score(*args)

    monkeypatch.setattr(related_module, "_similarity", counting)
    related = related_papers(topics, terms)
    monkeypatch.setattr(related_module, "_similarity", score)
    return calls, related


def test_related_papers_do_bounded_work_per_paper_when_a_feature_is_held_by_all(monkeypatch):
    """Scores computed at n and 4n papers (n above HOLDERS_CAP): linear growth, not quadratic (16x)."""
    n = 600
    small, small_related = _scores_counted(monkeypatch, *_crowd(n))
    large, large_related = _scores_counted(monkeypatch, *_crowd(4 * n))
    assert large <= 5 * small, (small, large)
    assert n > related_module.HOLDERS_CAP
    # The cap costs nothing here: the most related papers share the small topic too, and that
    # feature has few holders, so each list is the exact one (the oldest of its small topic).
    for count, related in ((n, small_related), (4 * n, large_related)):
        groups: dict[tuple[str, ...], list[str]] = {}
        for pid, features in _crowd(count)[0].items():
            groups.setdefault(features, []).append(pid)  # in id order, which is oldest first here
        for group in groups.values():
            for pid in group:
                assert related[pid] == tuple(other for other in group if other != pid)[:RELATED_LIMIT]


def test_papers_with_the_same_features_share_one_ranking(monkeypatch):
    """Each paper given a twin with its features: twice the candidates to score for each set of
    features, but no more rankings (scored paper by paper, it would be four times the scores)."""
    topics, terms = _random_corpus(random.Random(5), 200, 6, 12)
    twin = {pid: f"{pid[:5]}9{pid[6:]}" for pid in topics}  # the same month, no id taken twice
    assert not set(twin.values()) & set(topics)
    doubled = ({**topics, **{twin[pid]: topics[pid] for pid in topics}},
               {**terms, **{twin[pid]: terms[pid] for pid in terms}})
    single_calls, _ = _scores_counted(monkeypatch, topics, terms)
    doubled_calls, with_twins = _scores_counted(monkeypatch, *doubled)
    assert doubled_calls == 2 * single_calls
    # Each paper leaves itself out of the ranking it shares with its twin.
    assert with_twins == _exact(*doubled)
    assert all(pid not in listed for pid, listed in with_twins.items())


def _exact(topics, terms):
    """Every pair scored: the reference the inverted index and the cap must agree with below the cap."""
    features = {pid: {f"topic:{t}" for t in topics[pid]} | {f"term:{t}" for t in terms[pid]}
                for pid in topics}
    related = {}
    for pid, mine in features.items():
        scored = sorted((-round(len(mine & theirs) / math.sqrt(len(mine) * len(theirs)), 9),
                         arxiv.year_month(other), other)
                        for other, theirs in features.items() if other != pid and mine & theirs)
        related[pid] = tuple(other for *_, other in scored[:RELATED_LIMIT])
    return related


def _random_corpus(rng: random.Random, count: int, topics_from: int, terms_from: int):
    ids = rng.sample([f"{yy:02d}{mm:02d}.{k:05d}" for yy in (24, 25) for mm in range(1, 13)
                      for k in range(1, 400)], count)
    topic_names, term_names = [f"t{i}" for i in range(topics_from)], [f"w{i}" for i in range(terms_from)]
    topics = {pid: tuple(rng.sample(topic_names, rng.randint(1, min(3, topics_from)))) for pid in ids}
    terms = {pid: tuple(rng.sample(term_names, rng.randint(0, min(4, terms_from)))) for pid in ids}
    return topics, terms


def test_related_papers_below_the_cap_are_the_exact_ones():
    rng = random.Random(16)
    for _ in range(5):
        topics, terms = _random_corpus(rng, 300, 12, 30)
        assert related_papers(topics, terms) == _exact(topics, terms)


def test_related_papers_above_the_cap_are_the_exact_ones_while_common_features_bring_few(monkeypatch):
    """Every feature held by more than HOLDERS_CAP papers, but in few combinations: each common
    feature brings the oldest papers of each combination, and those are the ones listed."""
    monkeypatch.setattr(related_module, "HOLDERS_CAP", 100)  # the same mechanism as at 512, on fewer papers
    topics, terms = _random_corpus(random.Random(3), 500, 2, 2)  # 15 combinations at most
    assert min(Counter(f for held in (*topics.values(), *terms.values()) for f in held).values()) > 100
    assert related_papers(topics, terms) == _exact(topics, terms)


def test_related_papers_do_not_depend_on_the_order_papers_are_given_in(monkeypatch):
    rng = random.Random(7)
    # Features held by many more papers than HOLDERS_CAP, in many combinations (so the cap keeps only
    # some of them: the lists are no longer the exact ones), and many equal scores: ties everywhere.
    monkeypatch.setattr(related_module, "HOLDERS_CAP", 40)
    crowd, varied = _crowd(600), _random_corpus(rng, 500, 4, 8)
    assert related_papers(*varied) != _exact(*varied)
    for topics, terms in (crowd, varied):
        expected = related_papers(topics, terms)
        for _ in range(2):
            order = list(topics)
            rng.shuffle(order)
            shuffled = related_papers({pid: topics[pid] for pid in order},
                                      {pid: terms[pid] for pid in reversed(order)})
            assert shuffled == expected
