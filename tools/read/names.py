"""Author names as BibTeX reads them: split into family and given names, or why not.

The metadata loader checks every name with :func:`name_problem` and stores the
split names (:func:`split_name`) beside the names as written, so that later
stages take them from the record.
"""

from __future__ import annotations

import functools

import pybtex.errors
from pybtex.database import InvalidNameString, Person
from pybtex.exceptions import PybtexError


def split_name(name: str) -> tuple[str, str]:
    """"Given Family" (or "Family, Given") -> (family, given), with pybtex's BibTeX name rules.

    "von" parts stay with the family name: "Ludwig van Beethoven" -> ("van Beethoven", "Ludwig").
    BibTeX's protective braces are dropped: "{Supryadi}" (a single name) -> ("Supryadi", "").
    """
    return _split(Person(name), name)


# The loader asks of every author whether the name splits, then splits it; and authors recur.
@functools.lru_cache(maxsize=4096)
def read_name(name: str) -> tuple[str, str] | None:
    """:func:`split_name`'s (family, given), or None where :func:`name_problem` names a problem:
    the name parsed once, not once for the question and once for the answer."""
    person, reported = _parsed(name)
    return None if person is None or reported else _split(person, name)


def _parsed(name: str) -> tuple[Person | None, list[Exception]]:
    """The name as pybtex parses it, and what pybtex reported on the way (strict mode or not)."""
    try:
        with pybtex.errors.capture() as reported:
            person = Person(name)
    except PybtexError as error:
        return None, [error]
    return person, list(reported)


def _split(person: Person, name: str) -> tuple[str, str]:
    family = _unbrace(" ".join([*person.prelast_names, *person.last_names]))
    given = _unbrace(" ".join([*person.first_names, *person.middle_names]))
    if person.lineage_names:
        given = f"{given}, {' '.join(person.lineage_names)}" if given else " ".join(person.lineage_names)
    return family or name, given


def name_problem(name: str) -> str | None:
    """Why :func:`split_name` cannot split ``name``, or None if it can.

    pybtex reads at most two commas ("Family, Jr., Given"); with more it
    raises ``InvalidNameString``.  The metadata loader asks this of every
    author, so that such a name is a ``metadata.toml:LINE: authors:`` error
    and never a traceback while citations are built.
    """
    _, reported = _parsed(name)
    if not reported:
        return None
    if isinstance(reported[0], InvalidNameString):
        return (f"{name!r} has too many commas to be split into family and given names "
                '(write "Given Family", "Family, Given" or "Family, Jr., Given")')
    return f"{name!r} cannot be split into family and given names: {reported[0]}"


def _unbrace(text: str) -> str:
    return text.replace("{", "").replace("}", "")


