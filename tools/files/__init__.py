"""Stage 5, files: generated files put in place, and what keeps builds whole.

``write`` writes only what changed and removes what is gone, atomically;
``lock`` keeps two builds of a checkout apart; ``uptodate`` tells ``make html``
when nothing changed since the last build, ``converted`` the converter when the docs
folder already holds the conversion of its inputs.
"""
