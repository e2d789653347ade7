"""The questions pages ask of the enriched corpus: papers of a topic, of a month, in order."""

from __future__ import annotations

import re

from ..enrich import EnrichedPaper, Knowledge


def newest_first(items: list[EnrichedPaper]) -> list[EnrichedPaper]:
    """Papers by date, newest first (then by id, newest first)."""
    return sorted(items, key=lambda p: (p.date_text, p.arxiv_id), reverse=True)


def months(knowledge: Knowledge) -> list[str]:
    """Every month that has papers or digests, newest first."""
    digest_months = {d.date[:7] for d in knowledge.digests if re.fullmatch(r"\d{4}-\d{2}", d.date[:7])}
    return sorted({p.month for p in knowledge.papers.values()} | digest_months, reverse=True)


def shared(item: EnrichedPaper, other: EnrichedPaper) -> tuple[list[str], list[str]]:
    """Why two papers are related: the topics (slugs) and glossary terms they share."""
    return ([t for t in item.topics if t in other.topics],
            [t for t in item.terms if t in other.terms])


def papers_of_topic(knowledge: Knowledge, slug: str) -> list[EnrichedPaper]:
    return [p for p in knowledge.papers.values() if slug in p.topics]


def primary_papers_of_topic(knowledge: Knowledge, slug: str) -> list[EnrichedPaper]:
    return [p for p in knowledge.papers.values() if p.topics[0] == slug]
