"""Read one CSV file as text cells, remembering the line each record starts on."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .problems import Problem


@dataclass
class RawTable:
    """A CSV file's header and records as strings, with each record's first line number."""

    header: list[str]
    rows: list[list[str]]
    lines: list[int]
    digest: bytes  # of the file's bytes, for verdicts.fingerprint

    @cached_property
    def columns(self) -> list[tuple[str, ...]]:
        """The cells column by column (for a table whose records all have the header's width)."""
        return list(zip(*self.rows, strict=True)) if self.rows else [()] * len(self.header)


def read_raw(path: Path, shown_as: str) -> tuple[RawTable | None, list[Problem]]:
    """Parse ``path``; a UTF-8 BOM, CRLF line ends and quoted newlines are all accepted.

    Returns the table (None when the file cannot be read at all) and the problems met.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, [Problem(shown_as, 0, "-", "", "file is missing")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        bad = data[err.start : err.end].hex()
        return None, [Problem(shown_as, line, "-", bad, "bytes are not valid UTF-8")]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    rows: list[list[str]] = []
    lines: list[int] = []
    problems: list[Problem] = []
    start = 1  # the line the next record starts on
    try:
        for record in reader:
            if record and record != [""]:  # else a blank line
                if header is None:
                    header = record
                else:
                    rows.append(record)
                    lines.append(start)
            start = reader.line_num + 1
    except csv.Error as err:
        problems.append(Problem(shown_as, reader.line_num, "-", "", f"malformed CSV: {err}"))
    if header is None:
        problems.append(Problem(shown_as, 1, "-", "", "file has no header row"))
        return None, problems
    return RawTable(header, rows, lines, hashlib.blake2b(data, digest_size=16).digest()), problems
