"""paper-kb: turn plain-text arXiv digests into a Sphinx knowledge base.

The pipeline, one module per stage: ``parse`` (digest text -> entries and
problems) -> ``model`` (papers, digests) -> ``enrich`` (topics, glossary terms,
related papers, citation keys) -> ``render`` (MyST pages from templates,
BibTeX) -> ``write`` (files, only what changed).  ``pipeline.convert`` runs them
in order; ``sphinxext`` runs it inside Sphinx; ``cli`` runs it from the shell.
"""

__version__ = "0.1.0"
