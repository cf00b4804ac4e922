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

import os
import re
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path

from . import verdicts
from .csvread import RawTable, UnsafeFile, parse, read_file, read_raw
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


def _bad_values(f: Field, distinct: set[str], now: str) -> dict[str, str]:
    """The first broken rule of each failing non-empty value of a column.

    Whole-set operations first (one regex over all values, set differences), so a column
    of 100,000 distinct ids costs a few passes in C rather than 100,000 function calls."""
    bad: dict[str, str] = {}

    def fail(values: set[str] | list[str], rule: Callable[[str], str]) -> None:
        for v in values:
            bad[v] = rule(v)
        rest.difference_update(values)

    rest = set(distinct)
    if INVISIBLE.search("".join(rest)):

        def invisible(v: str) -> str:
            return f"contains an invisible or control character ({visible(INVISIBLE.search(v).group())})"  # type: ignore[union-attr]

        fail({v for v in rest if INVISIBLE.search(v)}, invisible)
    fail({v for v in rest if v != v.strip()}, lambda v: "has leading or trailing whitespace")
    if f.type == "boolean":
        allowed = set(f.true_values) | set(f.false_values)
        text = " or ".join(sorted(allowed)) + (" (or empty for unknown)" if not f.required else "")
        fail(rest - allowed, lambda v: f"not a boolean: use {text}")
    for check in _value_checks(f, now):
        failing = {v: rule for v in rest if (rule := check(v))}
        fail(list(failing), failing.__getitem__)
    if f.enum is not None:
        listed = ", ".join(f.enum)
        fail(rest - set(f.enum), lambda v: f"not one of the allowed values: {listed}")
    if f.pattern is not None:
        rx = re.compile(f.pattern)
        fail({v for v in rest if not rx.fullmatch(v)}, lambda v: f"does not match the pattern {f.pattern}")
    if f.max_length is not None:
        n = f.max_length
        fail({v for v in rest if len(v) > n}, lambda v: f"longer than {n} characters ({len(v)})")
    if f.min_length is not None:
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


def check_table(res: Resource, raw: RawTable, where: str, cap: Capped | None = None) -> list[Problem]:
    """Rules that need only this table: header, cells, keys, dates, exactly-one groups.

    Each rule looks at each distinct value (or combination of values) once; rows are
    revisited only to locate the values that fail."""
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
    for f, values in zip(res.fields, raw.columns, strict=True):
        distinct = set(values)
        blank = "" in distinct
        distinct.discard("")
        bad = _bad_values(f, distinct, now)
        if blank and f.required:
            bad[""] = "required value is missing"
        if bad:
            for v, line in zip(values, raw.lines, strict=True):
                if v in bad:
                    out.add(bad[v], Problem(where, line, f.name, v, bad[v]))
                    bad_lines.add(line)
        if f.unique and len(distinct) < len(values) - values.count(""):
            _duplicates(where, f.name, values, raw.lines, out, "in a unique column")
    if res.primary_key:
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
    if len(set(keys)) == len(keys):
        return
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

    def report(
        combos: list[tuple[str, ...]], verdict: dict[tuple[str, ...], tuple[str, str, str] | None]
    ) -> None:
        for n, (key, line) in enumerate(zip(combos, raw.lines, strict=True)):
            hit = verdict[key]
            if hit and (ok is None or ok[n]):
                column, value, rule = hit
                out.add((column, rule[:30]), Problem(where, line, column, value, rule))

    for dcol, pcol in res.precision.items():
        combos = list(zip(col(dcol), col(pcol), strict=True))
        verdict = {(d, p): _precision_rule(dcol, pcol, d, p) for d, p in set(combos)}
        if any(verdict.values()):
            report(combos, verdict)  # type: ignore[arg-type]
    for early, late in res.date_order:
        lp, ep = res.precision.get(late), res.precision.get(early)
        combos = list(zip(col(early), col(late), col(lp), col(ep), strict=True))
        order = {k: _order_rule(early, late, *k) for k in set(combos)}
        if any(order.values()):
            report(combos, {k: (late, k[1], r) if r else None for k, r in order.items()})  # type: ignore[arg-type]


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
        filled = [sum(map(bool, cells)) for cells in zip(*cols, strict=True)]
        if all(n == 1 for n in filled):
            continue
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


def check_package(
    pkg: Package, tables: dict[str, RawTable], where: dict[str, str], cap: Capped | None = None
) -> list[Problem]:
    """Rules across tables: foreign keys, citations, record links.

    A table that is missing, has a wrong header or a malformed record is not used as a
    reference: its keys are unknown, and every miss would only repeat that one cause."""
    out = cap if cap is not None else Capped()
    key_sets: dict[tuple[str, tuple[str, ...]], set[Key]] = {}
    usable = {name for name, raw in tables.items() if raw.complete}

    def keys(name: str, fields: tuple[str, ...]) -> set[Key]:
        if (name, fields) not in key_sets:
            key_sets[name, fields] = set(_keys(pkg.resource(name), tables[name], fields))
        return key_sets[name, fields]

    def missing(res: Resource, raw: RawTable, fields: tuple[str, ...], known: set[Key], rule: str) -> None:
        values = _keys(res, raw, fields)
        absent = {k for k in set(values) - known if _filled(k)}
        if not absent:
            return
        for key, line in zip(values, raw.lines, strict=True):
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
    ids: dict[str, set[str] | None] = {}
    table_col, id_col = res.record_links
    for pair in set(pairs):
        table, record = pair
        if not table or not record:
            verdict[pair] = None
            continue
        if table not in ids:
            target = next((r for r in pkg.resources if r.name == table), None)
            if target is None or not target.primary_key:
                ids[table] = None
            elif table in usable:
                ids[table] = _record_ids(_keys(target, tables[table], target.primary_key))
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


def _record_ids(keys: list[Key]) -> set[str]:
    """Ids that name records: the primary key joined by '/', and for a composite key also
    its leading parts (``indicator/country/year`` names the rows of every source)."""
    if keys and isinstance(keys[0], str):
        return set(keys)  # type: ignore[arg-type]
    ids: set[str] = set()
    for key in set(keys):
        if isinstance(key, str):
            ids.add(key)
        else:
            ids.update("/".join(key[:n]) for n in range(1, len(key) + 1))
    return ids


def read_and_check(
    directory: Path,
    trust_verdicts: bool = False,
    blobs: dict[str, bytes] | None = None,
    digests: dict[str, bytes] | None = None,
) -> tuple[Package, dict[str, RawTable], list[Problem]]:
    """Read every table of the package at ``directory`` and collect every problem.

    With ``trust_verdicts``, bytes that already passed (see :mod:`kzlib.verdicts`) are not
    checked again. ``blobs`` are file bytes the caller has already read, by table name
    (``digests``: their content keys, when already computed).
    A broken descriptor raises :class:`DataError` at once: nothing it names is opened."""
    pkg = read_package(directory)
    raws: dict[str, RawTable] = {}
    where: dict[str, str] = {}
    out = Capped()
    for res in pkg.resources:
        path = directory / res.path
        where[res.name] = shown(path)
        if blobs is not None and res.name in blobs:
            raw, read_problems = parse(blobs[res.name], where[res.name], (digests or {}).get(res.name))
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
    for res in pkg.resources:
        raw = raws.get(res.name)
        if raw is None:
            continue
        bad_header = _header(res, raw, where[res.name])
        if bad_header is not None:
            out.extend([bad_header])
            continue
        check_table(res, raw, where[res.name], out)
        tables[res.name] = raw
    check_package(pkg, tables, where, out)
    problems = out.problems
    if stamp is not None and not problems:
        verdicts.remember(stamp)
    return pkg, tables, problems


def read_blobs(pkg: Package) -> dict[str, bytes]:
    """The bytes of every table that can be read safely, by name (the rest are skipped)."""
    blobs = {}
    for res in pkg.resources:
        try:
            blobs[res.name] = read_file(pkg.directory / res.path, pkg.directory)
        except (FileNotFoundError, UnsafeFile):
            continue
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
    _, _, problems = read_and_check(data_dir(data))
    if problems:
        raise DataError(problems)
    return read_package(data_dir(data))
