"""The error type every data problem is reported through."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One broken rule, located: ``FILE:LINE: column COLUMN: value 'VALUE': RULE``.

    ``line`` counts physical lines of the file from 1 (the header is line 1); a record
    spanning several lines (a quoted newline) is reported at its first line.
    """

    file: str
    line: int
    column: str
    value: str
    rule: str

    def __str__(self) -> str:
        value = self.value if len(self.value) <= 80 else self.value[:77] + "..."
        return f"{self.file}:{self.line}: column {self.column}: value '{value}': {self.rule}"


class DataError(ValueError):
    """Raised when the data package breaks its rules; ``problems`` lists every one.

    Example:
        >>> import kzlib
        >>> try:
        ...     kzlib.validate("/path/to/broken/data")
        ... except kzlib.DataError as err:
        ...     print(err.problems[0])          # doctest: +SKIP
        data/incidents.csv:7: column category: value 'shutdown': not one of ...
    """

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the data package"
        super().__init__("\n".join([head, *map(str, self.problems)]))
