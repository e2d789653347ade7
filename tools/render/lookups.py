"""The questions pages ask of the enriched corpus: papers of a topic, of a month, in order."""

from __future__ import annotations

import re

from ..enrich import EnrichedPaper, Knowledge


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


def papers_by_topic(knowledge: Knowledge) -> dict[str, list[EnrichedPaper]]:
    """slug -> its papers, for every topic of the taxonomy that has any, in taxonomy order."""
    found: dict[str, list[EnrichedPaper]] = {topic.slug: [] for topic in knowledge.taxonomy.topics}
    for item in knowledge.papers.values():
        for slug in item.topics:
            if slug in found:
                found[slug].append(item)
    return {slug: items for slug, items in found.items() if items}
