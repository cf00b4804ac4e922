"""Read one CSV file as text cells, remembering the line each record starts on."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from .problems import Problem


@dataclass
class RawTable:
    """A CSV file's header and records as strings, with each record's first line number."""

    header: list[str]
    rows: list[list[str]]
    lines: list[int]


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
    try:
        while True:
            start = reader.line_num + 1
            try:
                record = next(reader)
            except StopIteration:
                break
            if not record or record == [""]:
                continue  # blank line
            if header is None:
                header = record
                continue
            rows.append(record)
            lines.append(start)
    except csv.Error as err:
        problems.append(Problem(shown_as, reader.line_num, "-", "", f"malformed CSV: {err}"))
    if header is None:
        problems.append(Problem(shown_as, 1, "-", "", "file has no header row"))
        return None, problems
    return RawTable(header, rows, lines), problems
