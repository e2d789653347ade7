"""Related papers: for each paper, the papers sharing the most topics and glossary terms."""

from __future__ import annotations

import heapq
import math

from .. import arxiv

RELATED_LIMIT = 5
# The candidates a feature brings to a paper's related list, at most (related_papers): the work
# per paper is at most its features times this.  Far above RELATED_LIMIT, and above every feature
# of the shipped seeds and of the synthetic corpus up to 10,000 papers (385 holders at most), whose
# lists are therefore the exact ones.  Papers that draw each topic and term independently at its
# frequency in the shipped seeds (half of them in language-models) keep exact lists up to about
# 1,000 papers; 0.25 % of the lists differ at 4,000 and 22 % at 8,000 (with 256: 27 % and 64 %).
# Those 8,000 papers' lists took 24 s (256: 10 s; without a cap 87 s, growing as the square).
HOLDERS_CAP = 512



def related_papers(topics: dict[str, tuple[str, ...]],
                   terms: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """For each paper, the papers sharing the most topics and glossary terms.

    Cosine similarity of the feature sets; ties go to the older paper (by the
    month of its id, then its id), so the result does not depend on the order
    papers were read in, and a new digest enters a paper's list only where one
    of its papers is strictly more related than the ones listed: the other
    pages stay as they were and are not rebuilt.  Papers are compared only with
    those they share a feature with (an inverted index), not with every other paper.

    Bounded work, whatever the corpus: a paper scores at most (its features) x
    ``HOLDERS_CAP`` candidates, each by its exact cosine over all features.  A
    feature with at most ``HOLDERS_CAP`` holders brings them all.  A *common*
    one, with more (the fallback topic ``other``, a term most papers use), brings
    instead a few papers of each *group* that holds it, a group being the papers
    with the same common features and as many features in all.  The papers of a
    group that share no rarer feature with this one all score the same (those
    that do score more, and that feature brings them), so only the
    ``RELATED_LIMIT + 1`` oldest of a group can be listed, and the lists are
    still the exact ones: papers that share only ``other`` cost 6 scores each,
    not one per paper of ``other``.

    Only when a common feature's groups bring more than ``HOLDERS_CAP`` papers
    does the cap trade exactness for time: it keeps the first ``HOLDERS_CAP`` of
    them in an order that is the same for every paper (fewest features first, as
    those are the most related to a paper sharing one feature with them; then
    most common features; then oldest).  So a paper past the cap of every common
    feature it shares with this one is not considered, however many it shares,
    and a new digest can then change a list it is not more related to, by
    pushing a listed paper past a cap.  The result is a pure function of the
    corpus either way: a clean build and an incremental build agree.
    """
    features = {pid: frozenset({f"topic:{t}" for t in topics[pid]} | {f"term:{t}" for t in terms[pid]})
                for pid in topics}
    oldest_first = {pid: arxiv.year_month(pid) for pid in features}
    holders: dict[str, list[str]] = {}
    for pid, mine in features.items():
        for feature in mine:
            holders.setdefault(feature, []).append(pid)
    common = {feature for feature, held in holders.items() if len(held) > HOLDERS_CAP}
    if common:
        holders.update(_common_candidates(features, common, oldest_first))
    # A paper's candidates and their scores depend on its features only, so papers with the same
    # features share one ranking (a tenth as many to make in the synthetic corpus at 10,000 papers),
    # with one more paper in it than listed: each paper leaves itself out of it.
    rankings: dict[frozenset[str], list[str]] = {}
    related: dict[str, tuple[str, ...]] = {}
    for pid, mine in features.items():
        ranking = rankings.get(mine)
        if ranking is None:
            shared = {other for feature in mine for other in holders[feature]}
            scored = ((-_similarity(mine, features[other]), oldest_first[other], other) for other in shared)
            ranking = rankings[mine] = [other for *_, other in heapq.nsmallest(RELATED_LIMIT + 1, scored)]
        related[pid] = tuple(other for other in ranking if other != pid)[:RELATED_LIMIT]
    return related


def _common_candidates(features: dict[str, frozenset[str]], common: set[str],
                       oldest_first: dict[str, tuple[int, int]]) -> dict[str, list[str]]:
    """The candidates each common feature brings (see :func:`related_papers`): at most HOLDERS_CAP."""
    groups: dict[tuple[frozenset[str], int], list[str]] = {}
    for pid, mine in features.items():
        if mine & common:
            groups.setdefault((mine & common, len(mine)), []).append(pid)
    brought: dict[str, list[str]] = {feature: [] for feature in common}
    for (held, _), members in groups.items():
        # One more than listed: the paper whose list is made may be one of them.
        oldest = heapq.nsmallest(RELATED_LIMIT + 1, members, key=lambda pid: (oldest_first[pid], pid))
        for feature in held:
            brought[feature].extend(oldest)

    def first(pid: str) -> tuple[int, int, tuple[int, int], str]:
        return len(features[pid]), -len(features[pid] & common), oldest_first[pid], pid

    return {feature: heapq.nsmallest(HOLDERS_CAP, papers, key=first) for feature, papers in brought.items()}


def _similarity(mine: frozenset[str], theirs: frozenset[str]) -> float:
    """Cosine similarity of two feature sets (neither empty)."""
    # Rounded, so that equal similarities computed in another order compare equal.
    return round(len(mine & theirs) / math.sqrt(len(mine) * len(theirs)), 9)
