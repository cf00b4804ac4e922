"""Check the data package against its descriptor and the project's own rules.

Rules checked: the descriptor itself (:mod:`kzlib.descriptor`); header matches the
descriptor; required values; types exactly as Table Schema writes them (ASCII digits,
integers within 64 bits, finite numbers, real calendar dates, UTC datetimes, booleans);
enums; patterns; lengths and ranges; unique columns; no stray whitespace; no invisible or
control characters; dates not after today unless the field has ``kz:allowFuture``
("today" is the latest calendar date anywhere on Earth, UTC+14, so no time zone is
wrong); primary keys; foreign keys (link tables included); date order and precision;
every record cited; record links; exactly-one column groups.

A malformed CSV record is reported once, at the line it starts on; the table's keys are
then unknown, so references into it are not checked (they would only repeat the cause).
Each rule reports at most 20 problems per column, then a count of the rest.
"""

from __future__ import annotations

import gc
import math
import os
import re
from collections.abc import Callable, Iterable, Iterator, Set
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from functools import cache
from itertools import filterfalse
from pathlib import Path

from . import verdicts
from .csvread import Origin, RawTable, UnsafeFile, parse, read_raw, read_source, resolved
from .descriptor import Field, Package, Resource, read_package
from .paths import data_dir, shown
from .problems import INVISIBLE, Capped, DataError, Problem, visible

Check = Callable[[str], str | None]  # returns the broken rule, or None

_INT = re.compile(r"-?[0-9]+")
_NUMBER = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_NOT_FINITE = re.compile(r"[-+]?(?:nan|inf|infinity)", re.IGNORECASE)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
_INT64 = (-(2**63), 2**63 - 1)

#: precision -> (how the stored value must end, what that means)
_STORED = {
    "month": ("-01", "a month-precise date must be stored as the month's first day"),
    "year": ("-01-01", "a year-precise date must be stored as 1 January"),
    "hour": (":00:00Z", "an hour-precise time must be stored with minutes and seconds 00"),
    "minute": (":00Z", "a minute-precise time must be stored with seconds 00"),
}


def today() -> str:
    """The latest calendar date anywhere on Earth now (UTC+14), as YYYY-MM-DD."""
    return (datetime.now(UTC) + timedelta(hours=14)).date().isoformat()


def _type_check(f: Field, now: str) -> Check | None:
    if f.type == "integer":

        def is_int(v: str) -> str | None:
            if not _INT.fullmatch(v):
                return "not an integer (ASCII digits, optional leading -)"
            if len(v) > 18 and not _INT64[0] <= int(v) <= _INT64[1]:
                return "integer outside the 64-bit range"
            return None

        return is_int
    if f.type == "number":

        def is_number(v: str) -> str | None:
            if _NOT_FINITE.fullmatch(v):
                return "not a finite number (NaN and INF are not used)"
            if not _NUMBER.fullmatch(v):
                return "not a number (ASCII digits, optional - . and exponent)"
            x = float(v)
            return None if abs(x) != float("inf") else "not a finite number (too large)"

        return is_number
    if f.type in ("date", "datetime"):
        form, kind = (
            (_DATE, "a date in YYYY-MM-DD form")
            if f.type == "date"
            else (_DATETIME, "a UTC datetime in YYYY-MM-DDThh:mm:ssZ form")
        )
        parse_ = date.fromisoformat if f.type == "date" else datetime.fromisoformat

        def is_date(v: str) -> str | None:
            if not form.fullmatch(v):
                return f"not {kind}"
            try:
                parse_(v)
            except ValueError:
                return "not a real calendar date" if f.type == "date" else "not a real date and time"
            if not f.allow_future and v[:10] > now:
                return f"is after today ({now}); only fields marked kz:allowFuture may be"
            return None

        return is_date
    if f.type == "boolean":
        allowed = set(f.true_values) | set(f.false_values)
        text = " or ".join(sorted(allowed)) + (" (or empty for unknown)" if not f.required else "")

        def is_bool(v: str) -> str | None:
            return None if v in allowed else f"not a boolean: use {text}"

        return is_bool
    return None


@cache
def _value_checks(f: Field, now: str) -> list[Check]:
    """The per-value rules of one column, after the cleanliness rules, in reporting order."""
    checks: list[Check] = []
    typed = _type_check(f, now)
    if typed is not None and f.type != "boolean":
        checks.append(typed)
    if f.minimum is not None or f.maximum is not None:
        lo, hi = f.minimum, f.maximum

        def in_range(v: str) -> str | None:
            x = int(v) if f.type == "integer" else float(v)
            if lo is not None and x < lo:
                return f"below the minimum {lo:g}"
            if hi is not None and x > hi:
                return f"above the maximum {hi:g}"
            return None

        checks.append(in_range)
    return checks


def _surely_typed(f: Field, values: set[str], now: str) -> bool:
    """True when every value certainly keeps the type and range rules of ``f``, found by
    whole-list passes in C; False means "check value by value" (:func:`_value_checks`)."""
    if not values:
        return True
    numbers: list[float] | list[int]
    if f.type == "integer":
        if not all(map(_INT.fullmatch, values)) or max(map(len, values)) > 18:
            return False
        numbers = list(map(int, values))
    elif f.type == "number":
        # _NUMBER has no letters but the exponent's, so no NaN or INF passes it
        if not all(map(_NUMBER.fullmatch, values)):
            return False
        numbers = list(map(float, values))
        if not all(map(math.isfinite, numbers)):
            return False
    elif f.minimum is not None or f.maximum is not None:
        return False
    elif f.type in ("date", "datetime"):
        form, read = (_DATE, date.fromisoformat) if f.type == "date" else (_DATETIME, datetime.fromisoformat)
        if not all(map(form.fullmatch, values)):
            return False
        try:
            list(map(read, values))
        except ValueError:
            return False
        return f.allow_future or max(values)[:10] <= now
    else:
        return True  # text; booleans are checked as a set difference
    low, high = f.minimum, f.maximum
    return (low is None or min(numbers) >= low) and (high is None or max(numbers) <= high)


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


class Seen:
    """Values already found to keep a rule during one validation, by rule: a column of ids
    that another column holds too (a foreign key) then costs a set lookup per value, not a
    regex. Only rules that depend on nothing but the value and the rule are kept, and only
    for large columns (a small one costs less to check again than to look up)."""

    #: columns with fewer distinct values are neither remembered nor looked up
    SMALLEST = 1000

    def __init__(self) -> None:
        self._kept: dict[tuple[str, ...], set[str]] = {}

    def unchecked(self, rule: tuple[str, ...], values: list[str]) -> list[str]:
        """The ``values`` not yet known to keep ``rule``, in their order."""
        kept = self._kept.get(rule)
        if not kept or len(values) < self.SMALLEST:
            return values
        return list(filterfalse(kept.__contains__, values))

    def passed(self, rule: tuple[str, ...], values: list[str]) -> None:
        """Record that every one of ``values`` keeps ``rule``."""
        if len(values) >= self.SMALLEST:
            self._kept.setdefault(rule, set()).update(values)


#: the ASCII characters INVISIBLE does not match (bytes.translate deletes them: what is left
#: of ASCII text is its invisible characters)
_SHOWN_ASCII = bytes(c for c in range(128) if not INVISIBLE.match(chr(c)))


def _has_invisible(text: str) -> bool:
    """True when ``text`` holds a character INVISIBLE matches. The regex runs only on text
    that may: ASCII text is checked byte-wise, other text by str.isprintable first, since
    every INVISIBLE character is a control, format or unassigned one (Unicode categories
    Cc, Cf and Cn), all of which isprintable rejects."""
    if text.isascii():
        return bool(text.encode("ascii").translate(None, _SHOWN_ASCII))
    return not text.isprintable() and INVISIBLE.search(text) is not None


def _bad_values(
    f: Field, distinct: set[str], now: str, seen: Seen | None = None, cells: list[str] | None = None
) -> dict[str, str]:
    """The first broken rule of each failing non-empty value of a column.

    Every rule first looks at all the values at once in C (a joined string, ``map``, set
    differences) and goes value by value only when some value fails, so a column of
    100,000 distinct ids costs a few passes rather than 100,000 Python calls per rule.
    When most of the column's ``cells`` differ, the values are walked in row order, which
    reads memory in sequence and is several times faster than the set's order."""
    bad: dict[str, str] = {}
    seen = seen if seen is not None else Seen()

    def fail(values: Iterable[str], rule: Callable[[str], str]) -> None:
        nonlocal rest
        values = list(values)
        for v in values:
            bad[v] = rule(v)
        if values and rest is distinct:  # the caller's set: copied on the first failure
            rest = set(distinct)
        rest.difference_update(values)

    def alive(values: list[str]) -> list[str]:
        return [v for v in values if v in rest] if bad else values

    rest = distinct - {""} if "" in distinct else distinct
    in_order = cells is not None and 2 * len(rest) > len(cells)
    order = list(filter(rest.__contains__, cells)) if in_order else list(rest)  # type: ignore[arg-type]
    todo = seen.unchecked(("clean",), order)
    if _has_invisible("".join(todo)):

        def invisible(v: str) -> str:
            return f"contains an invisible or control character ({visible(INVISIBLE.search(v).group())})"  # type: ignore[union-attr]

        fail({v for v in todo if INVISIBLE.search(v)}, invisible)
    values = alive(todo)
    if list(map(str.strip, values)) != values:
        fail({v for v in values if v != v.strip()}, lambda v: "has leading or trailing whitespace")
    seen.passed(("clean",), alive(todo))
    if f.type == "boolean":
        allowed = set(f.true_values) | set(f.false_values)
        text = " or ".join(sorted(allowed)) + (" (or empty for unknown)" if not f.required else "")
        fail(rest - allowed, lambda v: f"not a boolean: use {text}")
    if not _surely_typed(f, rest, now):
        for check in _value_checks(f, now):
            failing = {v: rule for v in rest if (rule := check(v))}
            fail(list(failing), failing.__getitem__)
    if f.enum is not None:
        listed = ", ".join(f.enum)
        fail(rest - set(f.enum), lambda v: f"not one of the allowed values: {listed}")
    if f.pattern is not None:
        rx = _compiled(f.pattern)
        todo = seen.unchecked(("pattern", f.pattern), alive(order))
        if not all(map(rx.fullmatch, todo)):
            rule = f"does not match the pattern {f.pattern}"
            fail({v for v in todo if not rx.fullmatch(v)}, lambda v: rule)
        seen.passed(("pattern", f.pattern), alive(todo))
    # lengths are read in row order (``order``), several times faster than the set's order
    if f.max_length is not None and rest and max(map(len, order)) > f.max_length:
        n = f.max_length
        fail({v for v in rest if len(v) > n}, lambda v: f"longer than {n} characters ({len(v)})")
    if f.min_length is not None and rest and min(map(len, order)) < f.min_length:
        m = f.min_length
        fail({v for v in rest if len(v) < m}, lambda v: f"shorter than {m} characters ({len(v)})")
    return bad


def _header(res: Resource, raw: RawTable, where: str) -> Problem | None:
    expected = res.field_names
    if raw.header == expected:
        return None
    missing = [c for c in expected if c not in raw.header]
    extra = [c for c in raw.header if c not in expected]
    detail = []
    if missing:
        detail.append("missing " + ", ".join(missing))
    if extra:
        detail.append("unexpected " + ", ".join(extra))
    if not detail:
        detail.append("columns out of order or repeated")
    rule = f"header does not match the descriptor ({'; '.join(detail)}); expected: " + ",".join(expected)
    return Problem(where, 1, "-", ",".join(raw.header), rule)


def check_table(
    res: Resource, raw: RawTable, where: str, cap: Capped | None = None, seen: Seen | None = None
) -> list[Problem]:
    """Rules that need only this table: header, cells, keys, dates, exactly-one groups.

    Each rule looks at each distinct value (or combination of values) once; rows are
    revisited only to locate the values that fail. ``seen`` shares what earlier tables of
    the same validation showed (see :class:`Seen`)."""
    bad_header = _header(res, raw, where)
    if bad_header is not None:
        return [bad_header]
    out = cap if cap is not None else Capped()
    width = len(res.fields)
    for line, row in raw.ragged:
        rule = f"record has {len(row)} cells; the header has {width}"
        out.add("ragged", Problem(where, line, "-", ",".join(row), rule))
    now = today()
    bad_lines: set[int] = set()
    rows = len(raw.lines)
    for i, (f, values) in enumerate(zip(res.fields, raw.columns, strict=True)):
        distinct = raw.distinct(i)
        bad = _bad_values(f, distinct, now, seen, values)
        if f.required and "" in distinct:
            bad[""] = "required value is missing"
        if bad:
            for v, line in zip(values, raw.lines, strict=True):
                if v in bad:
                    out.add(bad[v], Problem(where, line, f.name, v, bad[v]))
                    bad_lines.add(line)
        filled = len(distinct) - ("" in distinct)
        if f.unique and filled < rows - (values.count("") if "" in distinct else 0):
            _duplicates(where, f.name, values, raw.lines, out, "in a unique column")
    if res.primary_key and len(_key_set(res, raw, res.primary_key)) < rows:
        keys = _keys(res, raw, res.primary_key)
        _duplicates(where, "+".join(res.primary_key), keys, raw.lines, out, "primary key")
    ok = [line not in bad_lines for line in raw.lines] if bad_lines else None
    _dates(res, raw, where, ok, out)
    _exactly_one(res, raw, where, out)
    return out.problems if cap is None else []


Key = str | tuple[str, ...]


def _filled(key: Key) -> bool:
    return all(key) if isinstance(key, tuple) else bool(key)


def _shown_key(key: Key) -> str:
    return "|".join(key) if isinstance(key, tuple) else key


def _duplicates(where: str, column: str, keys: list[Key], lines: list[int], out: Capped, what: str) -> None:
    seen: dict[Key, int] = {}
    for key, line in zip(keys, lines, strict=True):
        if not _filled(key):
            continue
        if key in seen:
            rule = f"duplicate {what} (first at line {seen[key]})"
            out.add(what, Problem(where, line, column, _shown_key(key), rule))
        else:
            seen[key] = line


def _period_end(value: str, precision: str) -> str:
    """Last moment a value of this precision may stand for: 2011-12-01 (month) -> 2011-12-31.

    String comparison only: '31' is past every real day, '59:59' past every real time."""
    return {
        "year": value[:4] + "-12-31",
        "month": value[:8] + "31",
        "hour": value[:14] + "59:59Z",
        "minute": value[:17] + "59Z",
    }.get(precision, value)


def _dates(res: Resource, raw: RawTable, where: str, ok: list[bool] | None, out: Capped) -> None:
    """Precision columns and date order, each checked once per distinct combination of values.

    Rows with a bad cell (``ok`` False) are skipped: their cell is reported already.
    A later date (an end) stored before the earlier one (a start) is an error. When even the
    end of its period is before the start, it is simply before it; otherwise the later date
    is coarser than the start and its stored first day sorts before it (start 2011-12-16 at
    day precision, end 2011-12 at month precision): the later date must be given at least
    as precisely as the earlier one.
    """
    if not res.precision and not res.date_order:
        return
    at = {name: i for i, name in enumerate(res.field_names)}
    empty = [""] * len(raw.lines)

    def col(name: str | None) -> list[str]:
        return raw.columns[at[name]] if name is not None and name in at else empty

    def report(columns: list[list[str]], verdict: dict[tuple[str, ...], tuple[str, str, str] | None]) -> None:
        for n, (key, line) in enumerate(zip(zip(*columns, strict=True), raw.lines, strict=True)):
            hit = verdict[key]
            if hit and (ok is None or ok[n]):
                column, value, rule = hit
                out.add((column, rule[:30]), Problem(where, line, column, value, rule))

    for dcol, pcol in res.precision.items():
        pair = [col(dcol), col(pcol)]
        verdict = {(d, p): _precision_rule(dcol, pcol, d, p) for d, p in set(zip(*pair, strict=True))}
        if any(verdict.values()):
            report(pair, verdict)  # type: ignore[arg-type]
    for early, late in res.date_order:
        if all(not a or not b or b >= a for a, b in set(zip(col(early), col(late), strict=True))):
            continue  # no later date sorts before its earlier one
        lp, ep = res.precision.get(late), res.precision.get(early)
        four = [col(early), col(late), col(lp), col(ep)]
        order = {k: _order_rule(early, late, *k) for k in set(zip(*four, strict=True))}
        if any(order.values()):
            report(four, {k: (late, k[1], r) if r else None for k, r in order.items()})  # type: ignore[arg-type]


def _precision_rule(dcol: str, pcol: str, d: str, p: str) -> tuple[str, str, str] | None:
    if d and not p:
        return pcol, p, f"precision is required when {dcol} is set"
    if p and not d:
        return pcol, p, f"precision given but {dcol} is empty"
    if p in _STORED and not d.endswith(_STORED[p][0]):
        return dcol, d, _STORED[p][1]
    return None


def _order_rule(early: str, late: str, a: str, b: str, bp: str, ap: str) -> str | None:
    if not a or not b or b >= a:
        return None
    if _period_end(b, bp or "day") < a:
        return f"is before {early} ({a})"
    return (
        f"a {bp}-precise {late} is stored as the start of its {bp}, which sorts before "
        f"{early} ({a}{', ' + ap if ap else ''}): give {late} at least as precisely as {early}"
    )


def _exactly_one(res: Resource, raw: RawTable, where: str, out: Capped) -> None:
    for group in res.exactly_one:
        cols = [raw.columns[res.field_names.index(c)] for c in group]
        patterns = set(zip(*(map(bool, c) for c in cols), strict=True))  # which cells are filled
        if all(sum(p) == 1 for p in patterns):
            continue
        filled = [sum(map(bool, cells)) for cells in zip(*cols, strict=True)]
        names = ", ".join(group)
        for n, (count, line) in enumerate(zip(filled, raw.lines, strict=True)):
            if count != 1:
                how = "none is" if not count else f"{count} are"
                rule = f"exactly one of {names} must be filled ({how})"
                value = "|".join(c[n] for c in cols)
                out.add(("exactlyOne", names), Problem(where, line, "+".join(group), value, rule))


def _keys(res: Resource, raw: RawTable, names: Iterable[str]) -> list[Key]:
    """The values of ``names`` for each record: strings for one column, else tuples."""
    idx = [res.field_names.index(n) for n in names]
    if len(idx) == 1:
        return raw.columns[idx[0]]
    return list(zip(*(raw.columns[i] for i in idx), strict=True))


def _key_set(res: Resource, raw: RawTable, names: Iterable[str]) -> Set[Key]:
    """The distinct values of :func:`_keys` (shared for one column: do not change it)."""
    idx = [res.field_names.index(n) for n in names]
    if len(idx) == 1:
        return raw.distinct(idx[0])  # type: ignore[return-value]
    return set(zip(*(raw.columns[i] for i in idx), strict=True))


def check_package(
    pkg: Package, tables: dict[str, RawTable], where: dict[str, str], cap: Capped | None = None
) -> list[Problem]:
    """Rules across tables: foreign keys, citations, record links.

    A table that is missing, has a wrong header or a malformed record is not used as a
    reference: its keys are unknown, and every miss would only repeat that one cause."""
    out = cap if cap is not None else Capped()
    key_sets: dict[tuple[str, tuple[str, ...]], Set[Key]] = {}
    usable = {name for name, raw in tables.items() if raw.complete}

    def keys(name: str, fields: tuple[str, ...]) -> Set[Key]:
        if (name, fields) not in key_sets:
            key_sets[name, fields] = _key_set(pkg.resource(name), tables[name], fields)
        return key_sets[name, fields]

    def missing(res: Resource, raw: RawTable, fields: tuple[str, ...], known: Set[Key], rule: str) -> None:
        absent = {k for k in _key_set(res, raw, fields) - known if _filled(k)}
        if not absent:
            return
        for key, line in zip(_keys(res, raw, fields), raw.lines, strict=True):
            if key in absent:
                out.add(rule, Problem(where[res.name], line, "+".join(fields), _shown_key(key), rule))

    for res in pkg.resources:
        raw = tables.get(res.name)
        if raw is None:
            continue
        for fk in res.foreign_keys:
            if fk.resource in usable:
                rule = f"not found in {fk.resource}.{'+'.join(fk.reference_fields)}"
                missing(res, raw, fk.fields, keys(fk.resource, fk.reference_fields), rule)
        if res.citations and res.citations[0] in usable:
            cite_table, col = res.citations
            rule = f"record is not cited: add a row to {cite_table}.csv"
            missing(res, raw, (col,), keys(cite_table, (col,)), rule)
        if res.record_links:
            _record_links(pkg, res, raw, tables, usable, where[res.name], out)
    return out.problems if cap is None else []


def _record_links(
    pkg: Package,
    res: Resource,
    raw: RawTable,
    tables: dict[str, RawTable],
    usable: set[str],
    where: str,
    out: Capped,
) -> None:
    """Each (table, id) names a record of that table (see :func:`_record_ids`)."""
    assert res.record_links is not None
    pairs = _keys(res, raw, res.record_links)
    verdict: dict[Key, tuple[str, str, str] | None] = {}
    ids: dict[str, Set[Key] | None] = {}
    table_col, id_col = res.record_links
    distinct = set(pairs)
    for pair in distinct:
        table, record = pair
        if not table or not record:
            verdict[pair] = None
            continue
        if table not in ids:
            target = next((r for r in pkg.resources if r.name == table), None)
            if target is None or not target.primary_key:
                ids[table] = None
            elif table in usable:
                wanted = {r for t, r in distinct if t == table}
                ids[table] = _record_ids(target, tables[table], wanted)
            else:
                ids[table] = set()
        target = next((r for r in pkg.resources if r.name == table), None)
        if target is None or not target.primary_key:
            rule = "no such table" if target is None else "this table has no primary key to link to"
            verdict[pair] = (table_col, table, rule)
        elif table in usable and record not in (ids[table] or set()):
            verdict[pair] = (id_col, record, f"no such record in {table}")
        else:
            verdict[pair] = None
    if not any(verdict.values()):
        return
    for pair, line in zip(pairs, raw.lines, strict=True):
        hit = verdict[pair]
        if hit:
            column, value, rule = hit
            out.add((column, rule), Problem(where, line, column, value, rule))


def _record_ids(res: Resource, raw: RawTable, wanted: Set[Key]) -> Set[Key]:
    """Ids that name records: the primary key joined by '/', and for a composite key also
    its leading parts (``indicator/country/year`` names the rows of every source). Only the
    leading parts as long as some id in ``wanted`` are built."""
    keys = _key_set(res, raw, res.primary_key)
    if len(res.primary_key) == 1:
        return keys
    every = set(range(1, len(res.primary_key) + 1))
    if any("/" in part for key in keys for part in key):  # then '/' does not count the parts
        lengths = every
    else:
        lengths = {str(w).count("/") + 1 for w in wanted} & every
    ids: set[Key] = set()
    for n in lengths:
        ids.update({"/".join(key[:n]) for key in keys})  # type: ignore[misc]
    return ids


def read_and_check(
    directory: Path,
    trust_verdicts: bool = False,
    blobs: dict[str, bytes] | None = None,
    digests: dict[str, bytes] | None = None,
    pkg: Package | None = None,
    origins: dict[str, Origin] | None = None,
) -> tuple[Package, dict[str, RawTable], list[Problem]]:
    """Read every table of the package at ``directory`` and collect every problem.

    With ``trust_verdicts``, bytes that already passed (see :mod:`kzlib.verdicts`) are not
    checked again. ``blobs`` are file bytes the caller has already read, by table name
    (``digests``: their content keys, when already computed; ``pkg``: the descriptor it
    read them by; ``origins``: the files they came from). A broken descriptor raises
    :class:`DataError` at once: nothing it names is opened."""
    pkg = pkg if pkg is not None else read_package(directory)
    raws: dict[str, RawTable] = {}
    where: dict[str, str] = {}
    out = Capped()
    for res in pkg.resources:
        path = directory / res.path
        where[res.name] = shown(path)
        if blobs is not None and res.name in blobs:
            known = (digests or {}).get(res.name)
            raw, read_problems = parse(blobs[res.name], where[res.name], known, (origins or {}).get(res.name))
        else:
            raw, read_problems = read_raw(path, where[res.name], root=directory)
        out.extend(read_problems)
        if raw is not None:
            raws[res.name] = raw
    stamp = None
    if not out:
        stamp = verdicts.fingerprint(pkg.digest, ((r.path, raws[r.name].digest) for r in pkg.resources))
        if trust_verdicts and verdicts.known_valid(stamp):
            return pkg, raws, []
    tables: dict[str, RawTable] = {}
    seen = Seen()
    for res in pkg.resources:
        raw = raws.get(res.name)
        if raw is None:
            continue
        bad_header = _header(res, raw, where[res.name])
        if bad_header is not None:
            out.extend([bad_header])
            continue
        check_table(res, raw, where[res.name], out, seen)
        tables[res.name] = raw
    check_package(pkg, tables, where, out)
    for raw in raws.values():
        raw.forget_distinct()
    problems = out.problems
    if stamp is not None and not problems:
        verdicts.remember(stamp)
    return pkg, tables, problems


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector while tables are built: they allocate millions of
    container objects (records, key tuples) and no reference cycles, and each collection
    would walk all of them again. Left off if it was off already.

    Example:
        >>> import gc
        >>> with gc_paused():
        ...     gc.isenabled()
        False
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_blobs(pkg: Package, origins: dict[str, Origin] | None = None) -> dict[str, bytes]:
    """The bytes of every table that can be read safely, by name (the rest are skipped);
    ``origins`` receives where each was read from."""
    blobs: dict[str, bytes] = {}
    try:
        root = resolved(pkg.directory)
    except UnsafeFile:
        return blobs
    for res in pkg.resources:
        try:
            blobs[res.name], origin = read_source(pkg.directory / res.path, pkg.directory, root)
        except (FileNotFoundError, UnsafeFile):
            continue
        if origins is not None:
            origins[res.name] = origin
    return blobs


def validate(data: str | os.PathLike[str] | None = None) -> Package:
    """Check the whole data package; raise :class:`DataError` listing every problem.

    Args:
        data: folder holding ``datapackage.json``; default: the project's ``data/``.

    Returns:
        The parsed package descriptor, when everything passes.

    Example:
        >>> import kzlib
        >>> kzlib.validate().version          # doctest: +SKIP
        '2.0.0'
    """
    with gc_paused():
        _, _, problems = read_and_check(data_dir(data))
    if problems:
        raise DataError(problems)
    return read_package(data_dir(data))
