"""The rules every published chart follows, shared by ``save_figure`` and the catalogue check.

Example:
    >>> from kzlib.figurerules import text_problems
    >>> text_problems("title", "Blackout in inc-2022-01-05-nationwide")
    ["title names a record id 'inc-2022-01-05-nationwide': use its short_title"]
    >>> text_problems("credit", "kz-internet data package")[0][:40]
    "credit must start with 'Data: ' and name"
"""

from __future__ import annotations

import re

#: A record id of the data package, which a reader cannot decode: use ``short_title``.
ID_PATTERN = re.compile(r"\b(inc|lm|op|src|seed|rx)-[a-z0-9-]+")

#: Alt text shorter than this cannot say what a chart shows and its main number.
MIN_ALT_TEXT = 60

#: The licence of the data and of the charts made from it.
LICENCE = "CC BY 4.0"

CREDIT_PREFIX = "Data: "

_FIELDS = ("title", "subtitle", "credit", "alt_text", "notebook")


def ids_in(text: str) -> list[str]:
    """Every record id in ``text``, in order."""
    return [m.group() for m in ID_PATTERN.finditer(text)]


def text_problems(field: str, value: str) -> list[str]:
    """What is wrong with the ``field`` (one of title, subtitle, credit, alt_text, notebook)
    of a chart; an empty list if nothing is."""
    if field not in _FIELDS:
        raise ValueError(f"unknown chart field {field!r}; expected one of {', '.join(_FIELDS)}")
    value = value.strip() if isinstance(value, str) else ""
    if not value:
        return [f"{field} is missing"]
    problems = [f"{field} names a record id {i!r}: use its short_title" for i in ids_in(value)]
    if field == "alt_text" and len(value) < MIN_ALT_TEXT:
        problems.append(
            f"alt_text has {len(value)} characters; at least {MIN_ALT_TEXT} are needed to say "
            "what the chart shows and its main number"
        )
    if field == "credit":
        producers = value[len(CREDIT_PREFIX) :].strip(" .;")
        if not value.startswith(CREDIT_PREFIX) or not producers or producers.startswith("kz-internet"):
            problems.append(
                f"credit must start with {CREDIT_PREFIX!r} and name who produced the numbers "
                "(e.g. 'Data: Freedom House; NetBlocks')"
            )
    return problems
