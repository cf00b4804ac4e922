"""Read one file of the package safely, and one CSV file as text cells with line numbers.

Safety: a file is opened only when it is a regular file inside the data folder once
symbolic links are resolved (never a device, FIFO, socket or directory), and it is opened
non-blocking, so a hostile descriptor can neither read elsewhere nor hang the reader.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .problems import Problem

# A cell's length is limited only by the descriptor's maxLength, not by the csv module.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class UnsafeFile(OSError):
    """A file the package names cannot be read safely; ``args[0]`` says why."""


def _kind(mode: int) -> str:
    return next((text for test, text in _KINDS if test(mode)), "not a regular file")


def inside(path: Path, root: Path) -> Path:
    """``path`` with symbolic links resolved, if it stays inside ``root``; else UnsafeFile.

    Example:
        >>> inside(Path("/tmp/x/../y"), Path("/srv"))
        Traceback (most recent call last):
        kzlib.csvread.UnsafeFile: path leads outside the data folder
    """
    try:
        real = path.resolve()
        base = root.resolve()
    except (OSError, RuntimeError) as err:  # a symbolic link loop
        raise UnsafeFile(f"path cannot be resolved ({err.__class__.__name__})") from None
    if real != base and base not in real.parents:
        raise UnsafeFile("path leads outside the data folder")
    return real


def read_file(path: Path, root: Path) -> bytes:
    """The bytes of ``path``, a regular file inside ``root`` (checked before opening).

    Raises FileNotFoundError when it does not exist and UnsafeFile when it must not be read.
    """
    real = inside(path, root)
    try:
        before = os.stat(real)
    except FileNotFoundError:
        raise
    except OSError as err:
        raise UnsafeFile(f"cannot be read ({err.strerror or err.__class__.__name__})") from None
    if not stat.S_ISREG(before.st_mode):
        raise UnsafeFile(f"is {_kind(before.st_mode)}, not a regular file")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(real, flags)
    except OSError as err:
        raise UnsafeFile(f"cannot be read ({err.strerror or err.__class__.__name__})") from None
    with os.fdopen(fd, "rb") as fh:
        now = os.fstat(fd)
        if (now.st_dev, now.st_ino) != (before.st_dev, before.st_ino) or not stat.S_ISREG(now.st_mode):
            raise UnsafeFile("changed while it was being opened")
        try:
            return fh.read()
        except OSError as err:
            raise UnsafeFile(f"cannot be read ({err.strerror or err.__class__.__name__})") from None


@dataclass
class RawTable:
    """A CSV file's header and cells as strings, column by column, with each record's line.

    ``columns`` hold the records that have the header's width; ``ragged`` lists the others
    as (line, cells). ``complete`` is False when a record was malformed or ragged: the table's
    keys are then unknown, so other tables are not checked against it.
    """

    header: list[str]
    columns: list[list[str]]
    lines: list[int]
    digest: bytes  # of the file's bytes, for verdicts.fingerprint
    complete: bool = True
    ragged: list[tuple[int, list[str]]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.lines)


def digest(data: bytes) -> bytes:
    """The content key of a file's bytes (caches and verdicts use it)."""
    return hashlib.sha256(data).digest()[:16]


#: Files at least this large are parsed by pandas' C tokenizer when they are plain
#: (see :func:`_fast_columns`); smaller ones never import pandas.
FAST_PARSE_BYTES = 2_000_000


def read_raw(path: Path, shown_as: str, root: Path | None = None) -> tuple[RawTable | None, list[Problem]]:
    """Parse ``path``; a UTF-8 BOM, CRLF line ends and quoted newlines are all accepted.

    ``root`` is the data folder the file must lie in (default: its own folder). Returns the
    table (None when the file cannot be read at all) and the problems met.
    """
    try:
        data = read_file(path, root if root is not None else path.parent)
    except FileNotFoundError:
        return None, [Problem(shown_as, 0, "-", "", "file is missing")]
    except UnsafeFile as err:
        return None, [Problem(shown_as, 0, "-", "", f"not read: {err.args[0]}")]
    return parse(data, shown_as)


def parse(data: bytes, shown_as: str, known: bytes | None = None) -> tuple[RawTable | None, list[Problem]]:
    """Parse CSV bytes (see :func:`read_raw`); ``known`` is their digest if already computed."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        bad = data[err.start : err.end].hex()
        return None, [Problem(shown_as, line, "-", bad, "bytes are not valid UTF-8")]
    key = known or digest(data)
    if len(data) >= FAST_PARSE_BYTES:
        fast = _fast_columns(data, text)
        if fast is not None:
            header, columns = fast
            return RawTable(header, columns, list(range(2, len(columns[0]) + 2)), key), []
    return _parse_slow(text, key, shown_as)


def _fast_columns(data: bytes, text: str) -> tuple[list[str], list[list[str]]] | None:
    """Cells by pandas' C tokenizer, or None unless the result is certainly what the csv
    module would give: one record per line (no quoted line breaks, no blank lines), no NUL,
    no CR, every record as wide as the header, and quotes as RFC 4180 writes them."""
    if b"\x00" in data or b"\r" in data or b"\n\n" in data or data.startswith(b"\n"):
        return None
    end = text.find("\n")
    first = text if end < 0 else text[:end]
    if '"' in first or not first:
        return None
    header = first.split(",")
    import numpy as np
    import pandas as pd

    if not _plain_quotes(np.frombuffer(data, dtype=np.uint8)):
        return None
    try:
        frame = pd.read_csv(
            io.BytesIO(data[3:] if data.startswith(b"\xef\xbb\xbf") else data),
            header=None,
            skiprows=1,
            dtype=object,  # plain Python strings: no str-dtype conversion to undo
            na_filter=False,
            keep_default_na=False,
            skip_blank_lines=False,
            encoding="utf-8",
            engine="c",
        )
    except (ValueError, pd.errors.ParserError):  # ragged, malformed or empty: the slow path says where
        return None
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if frame.shape != (lines - 1, len(header)) or frame.iloc[:, -1].isna().any():  # short records
        return None
    return header, [frame[c].tolist() for c in frame.columns]


def _plain_quotes(raw: Any) -> bool:
    """True when every quote of every line is where RFC 4180 puts it: counting the quotes
    of a line from 0, an even one opens a cell (after a comma or the line start) or is the
    second of a doubled pair; an odd one closes a cell (before a comma or the line end) or
    is the first of a doubled pair; and each line has an even number of them."""
    import numpy as np

    quote, comma, newline = ord('"'), ord(","), ord("\n")
    quotes = np.flatnonzero(raw == quote)
    if not quotes.size:
        return True
    before = np.where(quotes > 0, raw[np.maximum(quotes - 1, 0)], newline)
    after = np.where(quotes < raw.size - 1, raw[np.minimum(quotes + 1, raw.size - 1)], newline)
    line = np.searchsorted(np.flatnonzero(raw == newline), quotes)
    _, first, count = np.unique(line, return_index=True, return_counts=True)
    if (count % 2).any():
        return False
    odd = (np.arange(quotes.size) - np.repeat(first, count)) % 2 == 1
    opens = (before == comma) | (before == newline) | (before == quote)
    closes = (after == comma) | (after == newline) | (after == quote)
    return bool(np.where(odd, closes, opens).all())


def _parse_slow(text: str, key: bytes, shown_as: str) -> tuple[RawTable | None, list[Problem]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    rows: list[list[str]] = []
    lines: list[int] = []
    problems: list[Problem] = []
    complete = True
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
        complete = False
        cause = str(err)
        if "unexpected end of data" in cause or reader.line_num > start:
            cause = "a quoted cell that starts in this record is never closed"
        rule = f"malformed CSV record ({cause}); records from here on were not read"
        problems.append(Problem(shown_as, start, "-", "", rule))
    except MemoryError:
        complete = False
        problems.append(Problem(shown_as, start, "-", "", "record too large to read"))
    if header is None:
        if not problems:
            problems.append(Problem(shown_as, 1, "-", "", "file has no header row"))
        return None, problems
    width = len(header)
    ragged = [(line, row) for row, line in zip(rows, lines, strict=True) if len(row) != width]
    if ragged:
        complete = False
        kept = [(row, line) for row, line in zip(rows, lines, strict=True) if len(row) == width]
        rows, lines = [r for r, _ in kept], [n for _, n in kept]
    columns = [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in header]
    return RawTable(header, columns, lines, key, complete, ragged), problems
