"""Read one file of the package safely, and one CSV file as text cells with line numbers.

Safety: a file is opened only when it is a regular file inside the data folder once
symbolic links are resolved (never a device, FIFO, socket or directory), and it is opened
non-blocking, so a hostile descriptor can neither read elsewhere nor hang the reader.
"""

from __future__ import annotations

import csv
import encodings.utf_8_sig  # noqa: F401  (decoding a table needs it; imported with the module, not mid-load)
import hashlib
import io
import os
import stat
import sys
import time
from collections.abc import Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
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


def inside(path: Path, root: Path, real_root: str | None = None) -> Path:
    """``path`` with symbolic links resolved, if it stays inside ``root``; else UnsafeFile.

    ``real_root`` is ``root`` already resolved (:func:`resolved`), when checking many files.

    Example:
        >>> inside(Path("/tmp/x/../y"), Path("/srv"))
        Traceback (most recent call last):
        kzlib.csvread.UnsafeFile: path leads outside the data folder
    """
    base = real_root if real_root is not None else resolved(root)
    real = _child(path, root, base) or resolved(path)
    if real != base and not real.startswith(base.rstrip(os.sep) + os.sep):
        raise UnsafeFile("path leads outside the data folder")
    return Path(real)


def _child(path: Path, root: Path, real_root: str) -> str | None:
    """The resolved ``path`` when it names an entry of ``root`` directly and that entry is
    not a symbolic link (one ``lstat`` instead of one per folder of the path); else None."""
    name = path.name
    if name in ("", ".", "..") or path.parent != root:
        return None
    real = os.path.join(real_root, name)
    try:
        if stat.S_ISLNK(os.lstat(real).st_mode):
            return None
    except FileNotFoundError:
        return real  # what realpath gives for a missing last part
    except (OSError, ValueError):  # the slow path says why
        return None
    return real


def resolved(path: Path) -> str:
    """``path`` with every symbolic link resolved (a missing file may end it); UnsafeFile
    when it cannot be resolved."""
    try:
        return os.path.realpath(path, strict=True)
    except FileNotFoundError:
        return os.path.realpath(path)
    except OSError as err:  # a symbolic link loop, a component that is not a folder...
        raise UnsafeFile(f"path cannot be resolved ({err.strerror or err.__class__.__name__})") from None


#: A file changed less than this many seconds before it was read may have changed again
#: within the same tick of the file system's clock, unseen (git's "racily clean" rule).
RACY_SECONDS = 2.0


@dataclass(frozen=True)
class Origin:
    """Where bytes were read from: the resolved file, its identity (device, inode, size,
    modification and change times in ns) and when the reading began (``time.time()``)."""

    path: str
    identity: tuple[int, ...]
    read_at: float


def _identity(st: os.stat_result) -> tuple[int, ...]:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def read_file(path: Path, root: Path, real_root: str | None = None) -> bytes:
    """The bytes of ``path``, a regular file inside ``root`` (checked before opening).

    Raises FileNotFoundError when it does not exist and UnsafeFile when it must not be read.
    """
    return read_source(path, root, real_root)[0]


def read_source(path: Path, root: Path, real_root: str | None = None) -> tuple[bytes, Origin]:
    """:func:`read_file`, and the :class:`Origin` of the bytes."""
    real = inside(path, root, real_root)
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
        origin = Origin(str(real), _identity(now), time.time())
        try:
            data = fh.read()
            if _identity(os.fstat(fd)) != origin.identity:  # written to while read
                origin = Origin(str(real), (), origin.read_at)
            return data, origin
        except OSError as err:
            raise UnsafeFile(f"cannot be read ({err.strerror or err.__class__.__name__})") from None


@dataclass
class RawTable:
    """A CSV file's header and cells as strings, column by column, with each record's line.

    ``columns`` hold the records that have the header's width; ``ragged`` lists the others
    as (line, cells). ``complete`` is False when a record was malformed or ragged: the table's
    keys are then unknown, so other tables are not checked against it. ``arrays`` are the
    same columns as NumPy object arrays when the parser made them (large files), so typing
    them needs no copy.
    """

    header: list[str]
    columns: list[list[str]]
    lines: list[int]
    digest: bytes  # of the file's bytes, for verdicts.fingerprint
    complete: bool = True
    ragged: list[tuple[int, list[str]]] = field(default_factory=list)
    arrays: list[Any] | None = field(default=None, repr=False, compare=False)
    _sets: dict[int, set[str]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.lines)

    def distinct(self, column: int) -> set[str]:
        """The distinct values of one column (by position), computed once; do not change it.

        Example:
            >>> RawTable(["a"], [["x", "y", "x"]], [2, 3, 4], b"").distinct(0) == {"x", "y"}
            True
        """
        if column not in self._sets:
            self._sets[column] = set(self.columns[column])
        return self._sets[column]

    def forget_distinct(self) -> None:
        """Free what :meth:`distinct` kept (the checks that needed it are done)."""
        self._sets.clear()


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


def parse(
    data: bytes, shown_as: str, known: bytes | None = None, origin: Origin | None = None
) -> tuple[RawTable | None, list[Problem]]:
    """Parse CSV bytes (see :func:`read_raw`); ``known`` is their digest if already computed,
    ``origin`` the file they were read from (a large one may then be parsed from the file).

    Example:
        >>> table, problems = parse(b'id,note\\na,"x, y"\\n', "t.csv")
        >>> table.columns, table.lines, problems
        ([['a'], ['x, y']], [2], [])
    """
    if len(data) >= FAST_PARSE_BYTES:
        # pandas tokenizes while another thread hashes the bytes and checks their layout
        with ThreadPoolExecutor(max_workers=1) as pool:
            hashing = pool.submit(digest, data) if known is None else None
            fast = _fast_columns(data, pool, origin)
            key = known or hashing.result()  # type: ignore[union-attr]
        if fast is not None:
            header, arrays = fast
            columns = [a.tolist() for a in arrays]
            return RawTable(header, columns, list(range(2, len(arrays[0]) + 2)), key, arrays=arrays), []
    else:
        key = known or digest(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        bad = data[err.start : err.end].hex()
        return None, [Problem(shown_as, line, "-", bad, "bytes are not valid UTF-8")]
    return _parse_text(text, key, shown_as)


def _fast_columns(
    data: bytes, pool: Executor, origin: Origin | None = None
) -> tuple[list[str], list[Any]] | None:
    """Cells by pandas' C tokenizer, or None unless the result is certainly what the csv
    module would give: valid UTF-8 (pandas decodes strictly), no NUL, no CR, a header of two
    or more columns without quotes, quotes as RFC 4180 writes them (checked in ``pool``
    while pandas reads), and every line one record exactly as wide as the header."""
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    if b"\x00" in body or b"\r" in body:
        return None
    end = body.find(b"\n")
    if end <= 0 or b'"' in body[:end]:
        return None
    try:
        header = body[:end].decode("utf-8").split(",")
    except UnicodeDecodeError:
        return None
    if len(header) < 2:  # a line holding only "" would be a record here, a blank line there
        return None
    import numpy as np
    import pandas as pd

    raw = np.frombuffer(body, dtype=np.uint8)
    layout = pool.submit(_plain_lines, raw)
    try:
        frame = _read_csv(pd, data, origin)
    except Exception:  # a long record, not UTF-8, no records...: the csv module says what
        frame = None
    plain = layout.result()
    if plain is None or frame is None:
        return None
    lines, quotes = plain
    # A record spanning lines (a quoted line break) or a skipped blank line leaves fewer
    # records than lines; a record wider than the first one raises above.
    if frame.shape != (lines - 1, len(header)):
        return None
    arrays = [frame[c].to_numpy() for c in frame.columns]
    # pandas fills a short record with empty cells, so only a table whose last column has
    # an empty cell can hold one: there, the commas outside quoted cells must be one fewer
    # than the cells of every line.
    if (arrays[-1] == "").any() and _unquoted_commas(raw, quotes) != lines * (len(header) - 1):
        return None
    return header, arrays


def _read_csv(pd: Any, data: bytes, origin: Origin | None = None) -> Any:
    """``data`` as text cells by pandas, the header skipped. pandas reads fastest from a
    path, so on Linux it reads the file ``data`` came from when that file provably still
    holds the same bytes (:func:`_read_unchanged`), else the bytes already read, handed over
    as an anonymous in-memory file (``memfd``)."""
    options = {
        "header": None,
        "skiprows": 1,
        "dtype": object,  # plain Python strings: no str-dtype conversion to undo
        "na_filter": False,
        "keep_default_na": False,
        "encoding": "utf-8-sig",  # strict: an invalid byte raises, and the slow path says where
        "engine": "c",
    }
    if origin is not None:
        frame = _read_unchanged(pd, origin, options)
        if frame is not None:
            return frame
    fd = _memory_file()
    if fd is None:
        return pd.read_csv(io.BytesIO(data), **options)  # one thread
    try:
        with os.fdopen(os.dup(fd), "wb") as fh:  # buffered: writes it all, however large
            fh.write(data)
        return pd.read_csv(f"/proc/self/fd/{fd}", **options)
    finally:
        os.close(fd)


def _read_unchanged(pd: Any, origin: Origin, options: dict[str, Any]) -> Any | None:
    """pandas' reading of the file at ``origin``, or None unless it still holds the bytes
    read then: the same identity before and after pandas reads it (any write changes the
    change time), last changed well before that first reading (:data:`RACY_SECONDS`), and
    opened again as the same regular file, without following a symbolic link."""
    if not origin.identity or origin.identity[4] >= (origin.read_at - RACY_SECONDS) * 1e9:
        return None
    if not os.path.isdir("/proc/self/fd"):
        return None
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(origin.path, flags)
    except OSError:
        return None
    try:
        if _identity(os.fstat(fd)) != origin.identity:
            return None
        frame = pd.read_csv(f"/proc/self/fd/{fd}", **options)
        return frame if _identity(os.fstat(fd)) == origin.identity else None
    finally:
        os.close(fd)


def _memory_file() -> int | None:
    """A new anonymous in-memory file that /proc/self/fd names, or None (not Linux, no /proc)."""
    if not hasattr(os, "memfd_create") or not os.path.isdir("/proc/self/fd"):
        return None
    try:
        return os.memfd_create("kzlib-csv", os.MFD_CLOEXEC)
    except OSError:
        return None


#: Bytes scanned at a time: one reused mask of this size instead of a new one as large as
#: the file for every byte value looked for (fewer page faults, the mask stays in cache).
SCAN_BYTES = 1 << 20


def _positions(raw: Any, byte: int, count: int | None = None) -> tuple[int, Any]:
    """Where ``byte`` occurs in ``raw`` (a NumPy uint8 array), scanned by :data:`SCAN_BYTES`,
    and how often ``count`` (another byte value) occurs, in the same pass."""
    import numpy as np

    mask = np.empty(min(SCAN_BYTES, raw.size), dtype=bool)
    found, counted = [], 0
    for start in range(0, raw.size, SCAN_BYTES):
        part = raw[start : start + SCAN_BYTES]
        hits = mask[: part.size]
        if count is not None:
            np.equal(part, count, out=hits)
            counted += int(np.count_nonzero(hits))
        np.equal(part, byte, out=hits)
        found.append(np.flatnonzero(hits) + start)
    return counted, np.concatenate(found) if found else np.zeros(0, dtype=np.intp)


def _plain_lines(raw: Any) -> tuple[int, Any] | None:
    """The number of lines of the file's bytes ``raw`` (a NumPy uint8 array) and where its
    quotes are, when they are plain (:func:`_plain_quotes`); else None."""
    newlines, quotes = _positions(raw, ord('"'), count=ord("\n"))
    lines = newlines + (raw.size > 0 and raw[-1] != ord("\n"))
    return (lines, quotes) if _plain_quotes(raw, quotes) else None


def _plain_quotes(raw: Any, quotes: Any) -> bool:
    """True when every quote (at positions ``quotes`` of ``raw``) is where RFC 4180 puts
    it. Quotes are counted over the whole file from 0: an even one must open a quoted cell
    (after a comma or a line start) or be the second of a doubled pair; an odd one must
    close the cell (before a comma or a line end) or be the first of a doubled pair. The
    csv module and pandas then read every quoted cell alike."""
    import numpy as np

    quote, comma, newline = ord('"'), ord(","), ord("\n")
    if quotes.size % 2:
        return False
    if not quotes.size:
        return True
    opening, closing = quotes[0::2], quotes[1::2]
    before = raw[np.maximum(opening - 1, 0)]
    if opening[0] == 0:
        before[0] = newline
    after = raw[np.minimum(closing + 1, raw.size - 1)]
    if closing[-1] == raw.size - 1:
        after[-1] = newline
    opens = (before == comma) | (before == newline) | (before == quote)
    closes = (after == comma) | (after == newline) | (after == quote)
    return bool(opens.all() and closes.all())


def _unquoted_commas(raw: Any, quotes: Any) -> int:
    """The number of commas outside quoted cells of plain bytes (:func:`_plain_quotes`),
    whose quotes are at ``quotes``."""
    import numpy as np

    commas = _positions(raw, ord(","))[1]
    quoted = np.searchsorted(commas, quotes[1::2]) - np.searchsorted(commas, quotes[0::2])
    return int(commas.size - quoted.sum())


def _parse_text(text: str, key: bytes, shown_as: str) -> tuple[RawTable | None, list[Problem]]:
    """The csv module's cells when every record takes one line (the common case): a line
    without quotes is split at its commas, the others go through the csv module, and record
    n is on line n. Otherwise :func:`_parse_tracked` follows the lines record by record."""
    records = _one_record_per_line(text)
    if records is None:
        return _parse_tracked(text, key, shown_as)
    kept = [(n, r) for n, r in enumerate(records, 1) if r and r != [""]] if _has_blank(records) else None
    if kept is None:
        if not records:
            return None, [Problem(shown_as, 1, "-", "", "file has no header row")]
        return _table(records[0], records[1:], range(2, len(records) + 1), key, True), []
    if not kept:
        return None, [Problem(shown_as, 1, "-", "", "file has no header row")]
    return _table(kept[0][1], [r for _, r in kept[1:]], [n for n, _ in kept[1:]], key, True), []


def _one_record_per_line(text: str) -> list[list[str]] | None:
    """The records of ``text``, one per line (``[]`` for an empty line), or None when a
    record is malformed or spans lines, or the text holds a CR (the csv module's other
    line end).

    Example:
        >>> _one_record_per_line('a,b\\n"x, y",z\\n\\n')
        [['a', 'b'], ['x, y', 'z'], []]
    """
    if "\r" in text:
        return None
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    quoted = [line for line in lines if '"' in line]
    try:
        parsed = list(csv.reader(quoted, strict=True))
    except (csv.Error, MemoryError):
        return None
    if len(parsed) != len(quoted):  # a quoted cell went on past its line
        return None
    cells = iter(parsed)
    return [next(cells) if '"' in line else line.split(",") if line else [] for line in lines]


def _has_blank(records: list[list[str]]) -> bool:
    return [] in records or [""] in records


def _parse_tracked(text: str, key: bytes, shown_as: str) -> tuple[RawTable | None, list[Problem]]:
    """The csv module's cells, following the line each record starts on (quoted line
    breaks, blank lines); a malformed record is reported once, at that line."""
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
    return _table(header, rows, lines, key, complete), problems


def _table(
    header: list[str],
    rows: list[list[str]],
    lines: Sequence[int],
    key: bytes,
    complete: bool,
) -> RawTable:
    """Columns of the records as wide as the header; the others are kept as ragged."""
    width = len(header)
    ragged: list[tuple[int, list[str]]] = []
    if rows and set(map(len, rows)) != {width}:
        complete = False
        ragged = [(line, row) for row, line in zip(rows, lines, strict=True) if len(row) != width]
        kept = [(row, line) for row, line in zip(rows, lines, strict=True) if len(row) == width]
        rows, lines = [r for r, _ in kept], [n for _, n in kept]
    columns = list(map(list, zip(*rows, strict=True))) if rows else [[] for _ in header]
    return RawTable(header, columns, list(lines), key, complete, ragged)
