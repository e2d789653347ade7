"""Stage 4, render: the enriched corpus -> the text of every generated file, by path.

``pages`` renders the MyST pages from ``templates/`` (``myst`` escapes, ``lookups``
answers the pages' questions), ``citation_formats`` the BibTeX (``bibtex``),
CSL-JSON and Highwire tags, ``papers_json`` the site's data file.  Nothing here
touches the file system.
"""
