"""The error type every data problem is reported through, and how values are shown."""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass

#: Characters that are invisible or control a terminal: C0/C1 controls (tab and line ends
#: excepted), soft hyphen, zero-width characters, bidirectional controls, the word joiner,
#: the byte order mark, interlinear annotation marks and tag characters.
INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
)
_SHOWN_ESCAPED = re.compile(INVISIBLE.pattern[:-1] + "\n\r\t]")


def visible(text: str) -> str:
    """``text`` with invisible, control and line-break characters written as escapes.

    Example:
        >>> visible("a\\u200bb\\nc")
        'a\\\\u200bb\\\\nc'
    """

    def escape(m: re.Match[str]) -> str:
        c = m.group()
        return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(c) or (
            f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}"
        )

    return _SHOWN_ESCAPED.sub(escape, text)


@dataclass(frozen=True, order=True)
class Problem:
    """One broken rule, located: ``FILE:LINE: column COLUMN: value 'VALUE': RULE``.

    ``line`` counts physical lines of the file from 1 (the header is line 1); a record
    spanning several lines (a quoted newline) is reported at its first line. Problems in
    the descriptor name a ``key`` (``resources[2].path``) instead of a column. Values are
    shortened to 80 characters and invisible characters are shown escaped (``\\u200b``).
    ``more`` > 0 marks a summary: that many further problems of the same rule and column.
    """

    file: str
    line: int
    column: str
    value: str
    rule: str
    where: str = "column"
    more: int = 0

    def __str__(self) -> str:
        place = f"{self.file}:{self.line}: {self.where} {visible(self.column)}"
        if self.more:
            return f"{place}: ... and {self.more:,} more: {self.rule}"
        value = self.value if len(self.value) <= 80 else self.value[:77] + "..."
        return f"{place}: value '{visible(value)}': {self.rule}"


class Capped:
    """Collects problems, keeping at most ``limit`` per rule and column, then a count.

    Example:
        >>> c = Capped(limit=1)
        >>> for line in (2, 3, 4):
        ...     c.add("x", Problem("t.csv", line, "a", "v", "bad"))
        >>> [str(p) for p in c.problems]
        ["t.csv:2: column a: value 'v': bad", 't.csv:3: column a: ... and 2 more: bad']
    """

    def __init__(self, limit: int = 20):
        self.limit = limit
        self._kept: list[Problem] = []
        self._extra: dict[Hashable, tuple[Problem, int]] = {}
        self._count: dict[Hashable, int] = {}

    def add(self, key: Hashable, problem: Problem) -> None:
        """Record ``problem``; ``key`` names its rule (problems of one key share a cap)."""
        full = (problem.file, problem.column, key)
        n = self._count.get(full, 0) + 1
        self._count[full] = n
        if n <= self.limit:
            self._kept.append(problem)
        elif n == self.limit + 1:
            self._extra[full] = (problem, 1)
        else:
            first, count = self._extra[full]
            self._extra[full] = (first, count + 1)

    def extend(self, problems: list[Problem]) -> None:
        """Keep problems that were already capped (or are few by nature)."""
        self._kept.extend(problems)

    def __bool__(self) -> bool:
        return bool(self._kept)

    @property
    def problems(self) -> list[Problem]:
        summaries = [
            Problem(p.file, p.line, p.column, "", p.rule, p.where, more=n) for p, n in self._extra.values()
        ]
        return self._kept + summaries


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
        count = len(self.problems) + sum(p.more - 1 for p in self.problems if p.more)
        head = f"{count:,} problem{'s' if count != 1 else ''} in the data package"
        super().__init__("\n".join([head, *map(str, self.problems)]))
