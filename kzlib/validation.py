"""Check the data package against its descriptor and the project's own rules.

Rules checked: header matches the descriptor; required values; types (integer, number,
date, boolean); enums; patterns (ids, URLs); lengths and ranges; no stray whitespace;
primary keys; foreign keys (link tables included); date order; date precision; every
record cited; seed claims point at records that exist.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import date
from functools import cache
from operator import itemgetter
from pathlib import Path

from . import verdicts
from .csvread import RawTable, read_raw
from .descriptor import Field, Package, Resource, read_package
from .paths import data_dir
from .problems import DataError, Problem

Check = Callable[[str], str | None]  # returns the broken rule, or None

_INT = re.compile(r"-?[0-9]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _shown(path: Path) -> str:
    """A path as the user will recognise it: relative to the working directory if inside."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return str(path)
    return str(path) if rel.startswith("..") else rel


@cache
def _cell_check(f: Field) -> Check | None:
    """Build the check for one column's non-empty cells (None: plain text, nothing to check)."""
    checks: list[Check] = []
    if f.type == "integer":

        def is_int(v: str) -> str | None:
            return None if _INT.fullmatch(v) else "not an integer"

        checks.append(is_int)
    elif f.type == "number":

        def is_number(v: str) -> str | None:
            try:
                x = float(v)
            except ValueError:
                return "not a number"
            return None if x == x and abs(x) != float("inf") else "not a finite number"

        checks.append(is_number)
    elif f.type == "date":

        def is_date(v: str) -> str | None:
            if not _DATE.fullmatch(v):
                return "not a date in YYYY-MM-DD form"
            try:
                date.fromisoformat(v)
            except ValueError:
                return "not a real calendar date"
            return None

        checks.append(is_date)
    elif f.type == "boolean":
        allowed = set(f.true_values) | set(f.false_values)
        text = " or ".join(sorted(allowed)) + (" (or empty for unknown)" if not f.required else "")

        def is_bool(v: str) -> str | None:
            return None if v in allowed else f"not a boolean: use {text}"

        checks.append(is_bool)
    if f.enum is not None:
        allowed_enum = frozenset(f.enum)
        listed = ", ".join(f.enum)

        def in_enum(v: str) -> str | None:
            return None if v in allowed_enum else f"not one of the allowed values: {listed}"

        checks.append(in_enum)
    if f.pattern is not None:
        rx = re.compile(f.pattern)

        def matches(v: str) -> str | None:
            return None if rx.fullmatch(v) else f"does not match the pattern {f.pattern}"

        checks.append(matches)
    if f.max_length is not None:
        n = f.max_length

        def short(v: str) -> str | None:
            return None if len(v) <= n else f"longer than {n} characters ({len(v)})"

        checks.append(short)
    if f.minimum is not None or f.maximum is not None:
        lo, hi = f.minimum, f.maximum

        def in_range(v: str) -> str | None:
            try:
                x = float(v)
            except ValueError:
                return None  # already reported as a type error
            if lo is not None and x < lo:
                return f"below the minimum {lo:g}"
            if hi is not None and x > hi:
                return f"above the maximum {hi:g}"
            return None

        checks.append(in_range)

    if not checks:
        return None

    def run(v: str) -> str | None:
        for c in checks:
            rule = c(v)
            if rule:
                return rule
        return None

    return run


def check_table(res: Resource, raw: RawTable, shown: str) -> list[Problem]:
    """Rules that need only this table: header, cells, primary key, dates."""
    expected = res.field_names
    if raw.header != expected:
        missing = [c for c in expected if c not in raw.header]
        extra = [c for c in raw.header if c not in expected]
        detail = []
        if missing:
            detail.append("missing " + ", ".join(missing))
        if extra:
            detail.append("unexpected " + ", ".join(extra))
        if not detail:
            detail.append("columns out of order")
        rule = f"header does not match the descriptor ({'; '.join(detail)}); expected: " + ",".join(expected)
        return [Problem(shown, 1, "-", ",".join(raw.header), rule)]

    problems: list[Problem] = []
    width = len(expected)
    whole = [len(row) == width for row in raw.rows]
    for row, line, fits in zip(raw.rows, raw.lines, whole, strict=True):
        if not fits:
            rule = f"record has {len(row)} cells; the header has {width}"
            problems.append(Problem(shown, line, "-", ",".join(row), rule))
    if all(whole):
        lines, columns = raw.lines, raw.columns
    else:
        lines = [line for line, fits in zip(raw.lines, whole, strict=True) if fits]
        columns = list(zip(*(row for row, fits in zip(raw.rows, whole, strict=True) if fits), strict=True))
    bad_lines: set[int] = set()
    for f, values in zip(res.fields, columns or [()] * width, strict=True):
        # each distinct value is checked once; rows are revisited only when one fails
        check = _cell_check(f)
        distinct = set(values)
        bad: dict[str, str] = {}
        if "" in distinct:
            distinct.discard("")
            if f.required:
                bad[""] = "required value is missing"
        for v in distinct:
            if v != v.strip():
                bad[v] = "has leading or trailing whitespace"
            elif check is not None and (rule := check(v)):
                bad[v] = rule
        if bad:
            for v, line in zip(values, lines, strict=True):
                if v in bad:
                    problems.append(Problem(shown, line, f.name, v, bad[v]))
                    bad_lines.add(line)
    ok_rows = [fits and line not in bad_lines for line, fits in zip(raw.lines, whole, strict=True)]
    problems += _primary_key(res, raw, shown)
    problems += _dates(res, raw, shown, ok_rows)
    return problems


def _primary_key(res: Resource, raw: RawTable, shown: str) -> list[Problem]:
    seen: dict[tuple[str, ...], int] = {}
    problems = []
    for key, line in zip(_column(res, raw, res.primary_key), raw.lines, strict=True):
        if not key:
            continue
        if key in seen:
            problems.append(
                Problem(
                    shown,
                    line,
                    "+".join(res.primary_key),
                    "|".join(key),
                    f"duplicate primary key (first at line {seen[key]})",
                )
            )
        else:
            seen[key] = line
    return problems


def _dates(res: Resource, raw: RawTable, shown: str, ok_rows: list[bool]) -> list[Problem]:
    if not res.precision and not res.date_order:
        return []
    at = {name: i for i, name in enumerate(res.field_names)}
    pairs = [(dcol, pcol, at[dcol], at[pcol]) for dcol, pcol in res.precision.items()]
    orders = [
        (early, late, at[early], at[late], at.get(res.precision.get(late, "")))
        for early, late in res.date_order
    ]
    problems = []
    for row, line, ok in zip(raw.rows, raw.lines, ok_rows, strict=True):
        if not ok:
            continue
        for dcol, pcol, di, pi in pairs:
            d, p = row[di], row[pi]
            if d and not p:
                problems.append(Problem(shown, line, pcol, p, f"precision is required when {dcol} is set"))
            elif p and not d:
                problems.append(Problem(shown, line, pcol, p, f"precision given but {dcol} is empty"))
            elif p == "month" and not d.endswith("-01"):
                rule = "a month-precise date must be stored as the month's first day"
                problems.append(Problem(shown, line, dcol, d, rule))
            elif p == "year" and not d.endswith("-01-01"):
                problems.append(
                    Problem(shown, line, dcol, d, "a year-precise date must be stored as 1 January")
                )
        for early, late, ei, li, pi in orders:
            a, b = row[ei], row[li]
            if a and b and _period_end(b, row[pi] if pi is not None else "day") < a:
                problems.append(Problem(shown, line, late, b, f"is before {early} ({a})"))
    return problems


def _period_end(day: str, precision: str) -> str:
    """Last day a date of this precision may stand for: 2011-12-01 (month) -> 2011-12-31."""
    if precision == "year":
        return day[:4] + "-12-31"
    if precision == "month":
        return day[:8] + "31"  # string comparison only: '31' is past every real day
    return day


def _column(res: Resource, raw: RawTable, names: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The values of ``names`` for each record, as tuples (``()`` for a ragged record)."""
    idx = [res.field_names.index(n) for n in names]
    width = len(res.fields)
    if len(idx) == 1:
        i = idx[0]
        return [(r[i],) if len(r) == width else () for r in raw.rows]
    get = itemgetter(*idx)
    return [get(r) if len(r) == width else () for r in raw.rows]


def check_package(pkg: Package, tables: dict[str, RawTable], shown: dict[str, str]) -> list[Problem]:
    """Rules across tables: foreign keys, citations, seed-claim record links."""
    problems: list[Problem] = []
    key_sets: dict[tuple[str, tuple[str, ...]], set[tuple[str, ...]]] = {}

    def keys(name: str, fields: tuple[str, ...]) -> set[tuple[str, ...]]:
        if (name, fields) not in key_sets:
            key_sets[name, fields] = set(_column(pkg.resource(name), tables[name], fields))
        return key_sets[name, fields]

    for res in pkg.resources:
        raw = tables.get(res.name)
        if raw is None:
            continue
        for fk in res.foreign_keys:
            if fk.resource not in tables:
                continue
            known = keys(fk.resource, fk.reference_fields)
            rule = f"not found in {fk.resource}.{'+'.join(fk.reference_fields)}"
            for key, line in zip(_column(res, raw, fk.fields), raw.lines, strict=True):
                if key and all(key) and key not in known:
                    problems.append(Problem(shown[res.name], line, "+".join(fk.fields), "|".join(key), rule))
        if res.citations and res.citations[0] in tables:
            cite_table, field = res.citations
            cited = keys(cite_table, (field,))
            rule = f"record is not cited: add a row to {cite_table}.csv"
            for key, line in zip(_column(res, raw, (field,)), raw.lines, strict=True):
                if key and key[0] and key not in cited:
                    problems.append(Problem(shown[res.name], line, field, key[0], rule))
    problems += _seed_links(pkg, tables, shown)
    return problems


def _record_ids(pkg: Package, tables: dict[str, RawTable]) -> dict[str, set[str]]:
    ids: dict[str, set[str]] = {}
    for name, key in (
        ("operators", ("operator_id",)),
        ("legal_measures", ("measure_id",)),
        ("incidents", ("incident_id",)),
        ("indicators", ("indicator", "country", "year")),
    ):
        raw = tables.get(name)
        if raw is not None:
            ids[name] = {"/".join(k) for k in _column(pkg.resource(name), raw, key) if k}
    return ids


def _seed_links(pkg: Package, tables: dict[str, RawTable], shown: dict[str, str]) -> list[Problem]:
    raw = tables.get("seed_claim_records")
    if raw is None:
        return []
    res = pkg.resource("seed_claim_records")
    ids = _record_ids(pkg, tables)
    problems = []
    for (table, record), line in zip(
        _column(res, raw, ("record_table", "record_id")), raw.lines, strict=True
    ):
        if table in ids and record not in ids[table]:
            problems.append(Problem(shown[res.name], line, "record_id", record, f"no such record in {table}"))
    return problems


def read_and_check(
    directory: Path, trust_verdicts: bool = False
) -> tuple[Package, dict[str, RawTable], list[Problem]]:
    """Read every table of the package at ``directory`` and collect every problem.

    With ``trust_verdicts``, bytes that already passed (see :mod:`kzlib.verdicts`) are not
    checked again."""
    desc = directory / "datapackage.json"
    if not desc.is_file():
        raise DataError([Problem(_shown(desc), 0, "-", "", "no datapackage.json here")])
    try:
        pkg = read_package(directory)
    except (ValueError, KeyError, TypeError) as err:
        raise DataError([Problem(_shown(desc), 0, "-", "", f"unreadable descriptor: {err}")]) from None
    raws: dict[str, RawTable] = {}
    shown: dict[str, str] = {}
    problems: list[Problem] = []
    for res in pkg.resources:
        path = directory / res.path
        shown[res.name] = _shown(path)
        raw, read_problems = read_raw(path, shown[res.name])
        problems += read_problems
        if raw is not None:
            raws[res.name] = raw
    stamp = None
    if not problems:
        stamp = verdicts.fingerprint(
            desc.read_bytes(), ((r.path, raws[r.name].digest) for r in pkg.resources)
        )
        if trust_verdicts and verdicts.known_valid(stamp):
            return pkg, raws, []
    tables: dict[str, RawTable] = {}
    for res in pkg.resources:
        if res.name not in raws:
            continue
        table_problems = check_table(res, raws[res.name], shown[res.name])
        problems += table_problems
        if not (table_problems and table_problems[0].line == 1 and table_problems[0].column == "-"):
            tables[res.name] = raws[res.name]
    problems += check_package(pkg, tables, shown)
    if stamp is not None and not problems:
        verdicts.remember(stamp)
    return pkg, tables, problems


def validate(data: str | os.PathLike[str] | None = None) -> Package:
    """Check the whole data package; raise :class:`DataError` listing every problem.

    Args:
        data: folder holding ``datapackage.json``; default: the project's ``data/``.

    Returns:
        The parsed package descriptor, when everything passes.

    Example:
        >>> import kzlib
        >>> kzlib.validate().version          # doctest: +SKIP
        '1.0.0'
    """
    pkg, _, problems = read_and_check(data_dir(data))
    if problems:
        raise DataError(problems)
    return pkg
