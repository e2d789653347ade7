"""Enrichment: related papers."""

from __future__ import annotations

from tools.enrich import related_papers


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
