"""Stage 1, read: the seeds folder and the curated data -> records, with problems as ``file:line``.

``parse`` reads digests (``markup`` tokenizes their text, ``characters`` cleans
it), ``metadata`` and ``digest_titles`` the data files beside them (``names``
checks authors, ``arxiv_api`` fetches metadata), ``curated`` the taxonomy and
glossary of ``docs/_data``.
"""
