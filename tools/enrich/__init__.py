"""Stage 3, enrich: papers -> papers with topics, glossary terms, related papers, citation keys.

``enriched`` puts together ``classify`` (topics, terms), ``related``,
``citekeys`` and ``digest_names``; :class:`Knowledge` is what the renderer gets.
"""

from .enriched import EnrichedPaper, Knowledge, enrich

__all__ = ["EnrichedPaper", "Knowledge", "enrich"]
