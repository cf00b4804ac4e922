"""Read the Frictionless descriptor (``data/datapackage.json``), check it, then trust it.

The descriptor is checked before anything it names is opened:

1. it is a regular file inside the data folder, UTF-8 JSON, with no key repeated in an object
   (a second ``"pattern"`` must not silently replace the first);
2. it meets the Data Package / Table Schema v1 profile (:mod:`kzlib.profile`);
3. it meets the project's rules: resource paths are relative, stay inside the data folder
   (symbolic links resolved) and name one file; resource names and field names are unique;
   every field has a type kzlib checks; constraints suit the field's type and patterns
   compile; keys and the ``kz:`` extensions name existing fields and resources.

Every problem is reported as ``datapackage.json:LINE: key resources[2].path: ...``.
Parsed descriptors are cached by the hash of their bytes.

Extensions (``kz:``) to the standard descriptor:

- resource ``kz:precision`` ``{date column: precision column}``;
- resource ``kz:dateOrder`` ``[[earlier, later], ...]`` (date or datetime columns);
- resource ``kz:citations`` ``{"resource": citation table, "field": key column}``;
- resource ``kz:recordLinks`` ``{"table": column, "id": column}``: the row names a record
  by its table and id (a composite primary key joined with ``/``, or its leading columns to
  name every row that shares them, e.g. an indicator, country and year across sources);
- resource ``kz:exactlyOne`` ``[[column, column, ...], ...]``: exactly one is non-empty;
- field ``kz:allowFuture`` ``true``: dates after today are allowed (an announced date).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from .csvread import UnsafeFile, digest, inside, read_file, resolved
from .paths import data_dir, shown
from .problems import DataError, Problem
from .profile import Path_, dotted, key_lines, line_of, profile_error

#: Field types whose values kzlib checks (the other Table Schema types are refused).
CHECKED_TYPES = ("string", "integer", "number", "boolean", "date", "datetime")
_CONSTRAINTS = {"required", "unique", "enum", "pattern", "minimum", "maximum", "minLength", "maxLength"}
_RESOURCE_EXTENSIONS = {"kz:precision", "kz:dateOrder", "kz:citations", "kz:recordLinks", "kz:exactlyOne"}
_FIELD_EXTENSIONS = {"kz:allowFuture"}
_DATED = ("date", "datetime")


@dataclass(frozen=True)
class Field:
    """One column of a table, as the descriptor declares it."""

    name: str
    type: str
    description: str
    required: bool = False
    enum: tuple[str, ...] | None = None
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    unique: bool = False
    true_values: tuple[str, ...] = ("true",)
    false_values: tuple[str, ...] = ("false",)
    #: dates after today are allowed ("kz:allowFuture")
    allow_future: bool = False

    @property
    def is_tristate(self) -> bool:
        """Booleans that are not required: true, false or empty (unknown)."""
        return self.type == "boolean" and not self.required


@dataclass(frozen=True)
class ForeignKey:
    """Columns of one table that must match a key of another (or the same) table."""

    fields: tuple[str, ...]
    resource: str
    reference_fields: tuple[str, ...]


@dataclass(frozen=True)
class Resource:
    """One table of the package: its file, columns, keys and the project's own rules."""

    name: str
    path: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    #: date column -> its precision column ("kz:precision")
    precision: dict[str, str] = field(default_factory=dict)
    #: (earlier, later) date column pairs ("kz:dateOrder")
    date_order: tuple[tuple[str, str], ...] = ()
    #: (citation table, key column) when every row must be cited ("kz:citations")
    citations: tuple[str, str] | None = None
    #: (table column, id column) when each row names a record of another table ("kz:recordLinks")
    record_links: tuple[str, str] | None = None
    #: groups of columns of which exactly one is filled in each row ("kz:exactlyOne")
    exactly_one: tuple[tuple[str, ...], ...] = ()

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no column {name!r}")


@dataclass(frozen=True)
class Package:
    """The whole data package: its metadata and its tables, in descriptor order."""

    name: str
    title: str
    version: str
    resources: tuple[Resource, ...]
    directory: Path
    #: content key of the descriptor's bytes
    digest: bytes = b""

    def resource(self, name: str) -> Resource:
        for r in self.resources:
            if r.name == name:
                return r
        known = ", ".join(r.name for r in self.resources)
        raise KeyError(f"unknown dataset {name!r}; known datasets: {known}")

    @property
    def names(self) -> list[str]:
        return [r.name for r in self.resources]


class _RepeatedKey(ValueError):
    pass


def _no_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _RepeatedKey(key)
        out[key] = value
    return out


Issue = tuple[Path_, Any, str]  # (where in the descriptor, the value there, the broken rule)


def _as_list(value: Any) -> list[Any]:
    return [value] if isinstance(value, str) else list(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_field(f: dict[str, Any], at: Path_) -> list[Issue]:
    issues: list[Issue] = []
    kind = f.get("type", "string")
    if kind not in CHECKED_TYPES:
        rule = f"type {kind!r} is not checked by kzlib: use one of {', '.join(CHECKED_TYPES)}"
        issues.append(((*at, "type"), kind, rule))
    c = f.get("constraints", {})
    if not c.keys() <= _CONSTRAINTS:
        for key in sorted(set(c) - _CONSTRAINTS):
            issues.append(((*at, "constraints", key), c[key], "unknown constraint"))
    for key in sorted(k for k in f if k.startswith("kz:") and k not in _FIELD_EXTENSIONS):
        issues.append(((*at, key), f[key], "unknown kzlib extension"))
    if "kz:allowFuture" in f:
        if not isinstance(f["kz:allowFuture"], bool):
            issues.append(((*at, "kz:allowFuture"), f["kz:allowFuture"], "must be true or false"))
        elif kind not in _DATED:
            issues.append(((*at, "kz:allowFuture"), True, "only date and datetime fields have dates"))
    if "enum" in c:
        if kind != "string":
            issues.append(
                ((*at, "constraints", "enum"), c["enum"], "kzlib checks enum on string fields only")
            )
        for i, v in enumerate(c["enum"]):
            if not isinstance(v, str) or not v or v != v.strip():
                issues.append(
                    ((*at, "constraints", "enum", i), v, "enum values are non-empty trimmed strings")
                )
    if "pattern" in c:
        if kind != "string":
            issues.append(((*at, "constraints", "pattern"), c["pattern"], "pattern applies to strings only"))
        try:
            re.compile(c["pattern"])
        except (re.error, RecursionError, OverflowError) as err:
            issues.append(((*at, "constraints", "pattern"), c["pattern"], f"pattern does not compile: {err}"))
    for key in ("minimum", "maximum"):
        if key in c:
            ok = _is_number(c[key]) and (kind != "integer" or float(c[key]).is_integer())
            if kind not in ("integer", "number"):
                issues.append(((*at, "constraints", key), c[key], f"kzlib checks {key} on numbers only"))
            elif not ok or c[key] != c[key] or abs(c[key]) == float("inf"):
                issues.append(
                    ((*at, "constraints", key), c[key], f"{key} of a {kind} field must be a {kind}")
                )
    for lo, hi in (("minimum", "maximum"), ("minLength", "maxLength")):
        if _is_number(c.get(lo)) and _is_number(c.get(hi)) and c[lo] > c[hi]:
            issues.append(((*at, "constraints", lo), c[lo], f"{lo} is above {hi} ({c[hi]})"))
    for key in ("minLength", "maxLength"):
        if key in c and kind != "string":
            issues.append(((*at, "constraints", key), c[key], f"kzlib checks {key} on strings only"))
    for key in ("trueValues", "falseValues"):
        if key in f and kind != "boolean":
            issues.append(((*at, key), f[key], "only boolean fields have trueValues and falseValues"))
    if "trueValues" in f or "falseValues" in f:
        both = set(f.get("trueValues", ["true"])) & set(f.get("falseValues", ["false"]))
        if both:
            issues.append(((*at, "falseValues"), sorted(both), "a value cannot be both true and false"))
        if "" in f.get("trueValues", []) + f.get("falseValues", []):
            issues.append(((*at, "trueValues"), "", "an empty cell means unknown: not a boolean value"))
    return issues


def _check_path(path: Any, at: Path_, directory: Path, real_root: str | None) -> list[Issue]:
    if not isinstance(path, str):
        return [(at, path, "one file per table: the path must be a single relative file path")]
    if "\x00" in path or "\\" in path or "://" in path or re.match(r"[A-Za-z]:", path):
        return [(at, path, "the path must be a relative file path with forward slashes")]
    parts = PurePosixPath(path).parts
    if path.startswith("/") or path.startswith("~"):
        return [(at, path, "the path must be relative to the data folder, not absolute")]
    if ".." in parts:
        return [(at, path, "the path leaves the data folder (..)")]
    try:
        inside(directory / path, directory, real_root)
    except UnsafeFile as err:
        return [(at, path, f"the {err.args[0]} (through a symbolic link)")]
    return []


def _columns(res: dict[str, Any]) -> set[str]:
    return {f["name"] for f in res["schema"]["fields"]}


def _kz(res: dict[str, Any], at: Path_, names: dict[str, dict[str, Any]]) -> list[Issue]:
    """The project's extensions of one resource: shapes, and columns that exist."""
    issues: list[Issue] = []
    cols = _columns(res)
    types = {f["name"]: f.get("type", "string") for f in res["schema"]["fields"]}
    for key in sorted(k for k in res if k.startswith("kz:") and k not in _RESOURCE_EXTENSIONS):
        issues.append(((*at, key), res[key], "unknown kzlib extension"))

    def column(value: Any, where: Path_, dated: bool = False) -> None:
        if not isinstance(value, str) or value not in cols:
            issues.append((where, value, f"no column {value!r} in {res['name']}"))
        elif dated and types[value] not in _DATED:
            issues.append((where, value, f"column {value!r} is not a date or datetime"))

    prec = res.get("kz:precision")
    if prec is not None:
        if not isinstance(prec, dict):
            issues.append(((*at, "kz:precision"), prec, "must map date columns to precision columns"))
        else:
            for d, p in prec.items():
                column(d, (*at, "kz:precision", d), dated=True)
                column(p, (*at, "kz:precision", d))
    order = res.get("kz:dateOrder")
    if order is not None:
        if not isinstance(order, list) or not all(isinstance(x, list) and len(x) == 2 for x in order):
            issues.append(((*at, "kz:dateOrder"), order, "must be a list of [earlier, later] column pairs"))
        else:
            for i, pair in enumerate(order):
                for j, name in enumerate(pair):
                    column(name, (*at, "kz:dateOrder", i, j), dated=True)
    for key, parts in (("kz:citations", ("resource", "field")), ("kz:recordLinks", ("table", "id"))):
        value = res.get(key)
        if value is None:
            continue
        if not isinstance(value, dict) or set(value) != set(parts):
            issues.append(((*at, key), value, f"must be an object with exactly {' and '.join(parts)}"))
            continue
        if key == "kz:citations":
            cited, name = value["resource"], value["field"]
            column(name, (*at, key, "field"))
            if not isinstance(cited, str) or cited not in names:
                issues.append(((*at, key, "resource"), cited, "no such resource"))
            elif name not in _columns(names[cited]):
                issues.append(((*at, key, "field"), name, f"no column {name!r} in {cited}"))
        else:
            column(value["table"], (*at, key, "table"))
            column(value["id"], (*at, key, "id"))
    one = res.get("kz:exactlyOne")
    if one is not None:
        if not isinstance(one, list) or not all(isinstance(g, list) and len(g) >= 2 for g in one):
            issues.append(((*at, "kz:exactlyOne"), one, "must be a list of column groups (two or more each)"))
        else:
            for i, group in enumerate(one):
                for j, name in enumerate(group):
                    column(name, (*at, "kz:exactlyOne", i, j))
    return issues


def _keys(res: dict[str, Any], at: Path_, names: dict[str, dict[str, Any]]) -> list[Issue]:
    issues: list[Issue] = []
    schema = res["schema"]
    cols = _columns(res)
    pk = _as_list(schema.get("primaryKey", []))
    for i, name in enumerate(pk):
        if name not in cols:
            issues.append(((*at, "schema", "primaryKey", i), name, f"no column {name!r} in {res['name']}"))
    if len(set(pk)) != len(pk):
        issues.append(((*at, "schema", "primaryKey"), pk, "a column is named twice"))
    for k, fk in enumerate(schema.get("foreignKeys", [])):
        where = (*at, "schema", "foreignKeys", k)
        local = _as_list(fk["fields"])
        target = fk["reference"]["resource"] or res["name"]
        remote = _as_list(fk["reference"]["fields"])
        for name in local:
            if name not in cols:
                issues.append(((*where, "fields"), name, f"no column {name!r} in {res['name']}"))
        if target not in names:
            issues.append(((*where, "reference", "resource"), target, "no such resource"))
            continue
        for name in remote:
            if name not in _columns(names[target]):
                issues.append(((*where, "reference", "fields"), name, f"no column {name!r} in {target}"))
        if len(local) != len(remote):
            issues.append(((*where, "fields"), local, "fields and reference fields differ in number"))
    return issues


def check_descriptor(raw: dict[str, Any], directory: Path) -> list[Issue]:
    """The project's rules for a descriptor that already meets the v1 profile."""
    issues: list[Issue] = []
    names: dict[str, dict[str, Any]] = {}
    tabular = raw.get("profile") == "tabular-data-package"
    try:
        real_root: str | None = resolved(directory)
    except UnsafeFile:
        real_root = None  # each path then says why it cannot be resolved
    for i, res in enumerate(raw["resources"]):
        at: Path_ = ("resources", i)
        if res["name"] in names:
            issues.append(((*at, "name"), res["name"], "resource name used twice"))
        names.setdefault(res["name"], res)
        if tabular and res.get("profile") != "tabular-data-resource":
            rule = "a tabular-data-package needs profile tabular-data-resource on every resource"
            issues.append(((*at, "profile"), res.get("profile", ""), rule))
        issues += _check_path(res["path"], (*at, "path"), directory, real_root)
        seen: set[str] = set()
        for j, f in enumerate(res["schema"]["fields"]):
            where = (*at, "schema", "fields", j)
            if f["name"] in seen:
                issues.append(((*where, "name"), f["name"], "field name used twice in this resource"))
            seen.add(f["name"])
            issues += _check_field(f, where)
    for i, res in enumerate(raw["resources"]):
        issues += _keys(res, ("resources", i), names)
        issues += _kz(res, ("resources", i), names)
    return issues


def _field(raw: dict[str, Any]) -> Field:
    c = raw.get("constraints", {})
    return Field(
        name=raw["name"],
        type=raw.get("type", "string"),
        description=raw.get("description", ""),
        required=bool(c.get("required", False)),
        enum=tuple(c["enum"]) if "enum" in c else None,
        pattern=c.get("pattern"),
        minimum=c.get("minimum"),
        maximum=c.get("maximum"),
        min_length=c.get("minLength"),
        max_length=c.get("maxLength"),
        unique=bool(c.get("unique", False)),
        true_values=tuple(raw.get("trueValues", ["true"])),
        false_values=tuple(raw.get("falseValues", ["false"])),
        allow_future=raw.get("kz:allowFuture") is True,
    )


def _resource(raw: dict[str, Any]) -> Resource:
    schema = raw["schema"]
    fks = tuple(
        ForeignKey(
            fields=tuple(_as_list(fk["fields"])),
            resource=fk["reference"]["resource"] or raw["name"],
            reference_fields=tuple(_as_list(fk["reference"]["fields"])),
        )
        for fk in schema.get("foreignKeys", [])
    )
    cites = raw.get("kz:citations")
    links = raw.get("kz:recordLinks")
    return Resource(
        name=raw["name"],
        path=raw["path"],
        title=raw.get("title", raw["name"]),
        description=raw.get("description", ""),
        fields=tuple(_field(f) for f in schema["fields"]),
        primary_key=tuple(_as_list(schema.get("primaryKey", []))),
        foreign_keys=fks,
        precision=dict(raw.get("kz:precision", {})),
        date_order=tuple((a, b) for a, b in raw.get("kz:dateOrder", [])),
        citations=(cites["resource"], cites["field"]) if cites else None,
        record_links=(links["table"], links["id"]) if links else None,
        exactly_one=tuple(tuple(g) for g in raw.get("kz:exactlyOne", [])),
    )


def _shown_value(value: Any) -> str:
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


def parse_descriptor(data: bytes, directory: Path, shown_as: str) -> Package:
    """Check the descriptor's bytes (see the module docs) and build the :class:`Package`.

    Raises :class:`DataError` listing every problem, each at its line.
    """

    def fail(line: int, rule: str, key: str = "-", value: str = "") -> DataError:
        return DataError([Problem(shown_as, line, key, value, rule, where="key")])

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise fail(data.count(b"\n", 0, err.start) + 1, "bytes are not valid UTF-8") from None
    try:
        raw = json.loads(text, object_pairs_hook=_no_repeats)
    except _RepeatedKey:
        lines, repeats = key_lines(text)
        path, line = repeats[0]
        raise fail(
            line, "key repeated in the same object (the first value would be lost)", dotted(path)
        ) from None
    except json.JSONDecodeError as err:
        raise fail(err.lineno, f"not valid JSON: {err.msg} (column {err.colno})") from None
    except (ValueError, RecursionError) as err:
        raise fail(1, f"not valid JSON: {err.__class__.__name__}") from None
    bad = profile_error(raw)
    issues: list[Issue] = (
        [] if bad is None else [(bad[0], bad[2], f"breaks the Data Package v1 profile: {bad[1]}")]
    )
    if not issues:
        issues = check_descriptor(raw, directory)
    if issues:
        lines, _ = key_lines(text)
        raise DataError(
            [
                Problem(shown_as, line_of(lines, path), dotted(path), _shown_value(value), rule, where="key")
                for path, value, rule in issues
            ]
        )
    return Package(
        name=raw["name"],
        title=raw.get("title", raw["name"]),
        version=raw["version"],
        resources=tuple(_resource(r) for r in raw["resources"]),
        directory=directory,
        digest=digest(data),
    )


_PARSED: dict[tuple[Path, bytes], Package] = {}


def read_package(directory: Path) -> Package:
    """Read and check ``directory/datapackage.json`` (cached by the hash of its bytes).

    Raises :class:`DataError` when the descriptor is missing, unsafe or breaks a rule.
    """
    path = directory / "datapackage.json"
    where = shown(path)
    try:
        data = read_file(path, directory)
    except FileNotFoundError:
        raise DataError([Problem(where, 0, "-", "", "no datapackage.json here", where="key")]) from None
    except UnsafeFile as err:
        raise DataError([Problem(where, 0, "-", "", f"not read: {err.args[0]}", where="key")]) from None
    key = (directory, digest(data))
    if key not in _PARSED:
        if len(_PARSED) > 64:
            _PARSED.clear()
        _PARSED[key] = parse_descriptor(data, directory, where)
    return _PARSED[key]


def list_datasets(data: str | os.PathLike[str] | None = None) -> list[str]:
    """Names of the tables in the data package, in descriptor order.

    Example:
        >>> import kzlib
        >>> "incidents" in kzlib.list_datasets()
        True
    """
    return read_package(data_dir(data)).names
