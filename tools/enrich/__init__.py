"""Stage 3, enrich: papers -> papers with topics, glossary terms, related papers, citation keys.

``enriched`` puts together ``classify`` (topics, terms), ``related``,
``citekeys`` and ``digest_names``; ``crossrefs`` joins the team's notes, lists and
articles to the papers; :class:`Knowledge` is what the renderer gets.
"""

from .crossrefs import Backlink, Writings, link_writings
from .enriched import EnrichedPaper, Knowledge, enrich

__all__ = ["Backlink", "EnrichedPaper", "Knowledge", "Writings", "enrich", "link_writings"]
