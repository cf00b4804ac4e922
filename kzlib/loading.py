"""Typed, validated, cached loaders for the tables of the data package."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from . import verdicts
from .csvread import RACY_SECONDS, Origin, RawTable, digest
from .descriptor import Field, Package, Resource, read_package
from .paths import data_dir
from .problems import DataError
from .validation import gc_paused, read_and_check, read_blobs

Stat = tuple[int, ...] | None


@dataclass
class _Loaded:
    package: Package
    raw: dict[str, RawTable]
    key: str  # content fingerprint of the descriptor and every table
    paths: tuple[str, ...]  # the descriptor, then each table's file
    stats: tuple[Stat, ...]  # their identities just before they were read
    checked: float  # time.time() just before the files were read
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)


#: data folder -> what was loaded from it
_CACHE: dict[Path, _Loaded] = {}


def clear_cache() -> None:
    """Forget every loaded package (the next load reads and validates the files again)."""
    _CACHE.clear()


def _stats(paths: tuple[str, ...]) -> tuple[Stat, ...]:
    out: list[Stat] = []
    for path in paths:
        try:
            s = os.stat(path)
        except (OSError, ValueError):
            out.append(None)
        else:
            out.append((s.st_dev, s.st_ino, s.st_size, s.st_mtime_ns, s.st_ctime_ns))
    return tuple(out)


def _unchanged(hit: _Loaded) -> bool:
    """True when no file can have changed since ``hit`` hashed it: same identities, and each
    was last changed (ctime, which no program can set back) well before it was read."""
    stats = _stats(hit.paths)
    limit = (hit.checked - RACY_SECONDS) * 1e9
    return stats == hit.stats and all(s is not None and s[4] < limit for s in stats)


def _loaded(data: str | os.PathLike[str] | None) -> _Loaded:
    """The package at ``data``, reused only while every file has the same bytes.

    The cache is keyed by content: the files are read and hashed again unless their change
    times prove them untouched since they were hashed (the rule git uses for its index,
    "racily clean" files included). An edit that keeps a file's size and modification time
    is always seen."""
    directory = data_dir(data)
    hit = _CACHE.get(directory)
    if hit is not None and _unchanged(hit):
        return hit
    checked = time.time()
    descriptor = str(directory / "datapackage.json")
    first = _stats((descriptor,))
    pkg = read_package(directory)
    paths = (descriptor, *(str(directory / r.path) for r in pkg.resources))
    stats = first + _stats(paths[1:])
    origins: dict[str, Origin] = {}
    blobs = read_blobs(pkg, origins)
    digests = None
    if hit is not None:  # unchanged bytes need no parsing: hash them first
        digests = {name: digest(b) for name, b in blobs.items()}
        if hit.key == verdicts.fingerprint(pkg.digest, sorted(digests.items())):
            hit.paths, hit.stats, hit.checked = paths, stats, checked
            return hit
    with gc_paused():
        pkg, raw, problems = read_and_check(directory, True, blobs, digests, pkg, origins)
    if problems:
        raise DataError(problems)
    key = verdicts.fingerprint(pkg.digest, sorted((name, table.digest) for name, table in raw.items()))
    loaded = _Loaded(pkg, raw, key, paths, stats, checked)
    _CACHE[directory] = loaded
    return loaded


#: pandas' default string dtype, resolved once (naming it by "str" costs a lookup per column)
_STR = pd.array([], dtype="str").dtype
#: UTC datetimes (the values are stored in UTC, so the wall times are the instants)
_UTC = pd.DatetimeTZDtype(unit="us", tz="UTC")


Codes = tuple[pd.CategoricalDtype, dict[str, int], type[np.signedinteger]]


def _strings(cells: np.ndarray) -> pd.arrays.StringArray:
    """A str array over ``cells``, an object array of validated text (``nan`` for missing),
    without pandas' per-cell type check."""
    return pd.arrays.StringArray._simple_new(cells, _STR)


@cache
def _categories(values: tuple[str, ...]) -> Codes:
    """The dtype of an enum column, each value's code ("" is -1, missing) and the code type."""
    codes = {v: i for i, v in enumerate(values)}
    codes[""] = -1
    kind = np.int8 if len(values) < 2**7 else np.int16 if len(values) < 2**15 else np.int32
    # The descriptor check guarantees distinct non-empty strings, so pandas' checks of the
    # categories (a hash table per dtype, the costliest step of typing a small table) are
    # skipped; tests compare the result with the public constructor's.
    categories = pd.Index._simple_new(_strings(np.array(values, dtype=object)))
    return pd.CategoricalDtype._from_fastpath(categories, ordered=False), codes, kind


def _column(f: Field, values: list[str], cells: np.ndarray | None) -> object:
    """One typed column from validated text cells (``cells``: the same as an object array,
    when the parser made one)."""
    if f.enum is not None:
        dtype, code, kind = _categories(f.enum)
        if cells is None:  # a small table: a dict lookup per value beats building an index
            codes = np.fromiter(map(code.__getitem__, values), dtype=kind, count=len(values))
        else:
            codes = dtype.categories.get_indexer(cells).astype(kind)  # "" is not found: -1
        return pd.Categorical.from_codes(codes, dtype=dtype, validate=False)
    if cells is None:
        cells = np.fromiter(values, dtype=object, count=len(values))
    empty = cells == "" if "" in values else None
    missing = empty if empty is not None else np.zeros(len(values), dtype=bool)
    if f.type in ("integer", "number"):
        kind = np.int64 if f.type == "integer" else np.float64
        numbers = np.zeros(len(cells), dtype=kind)
        numbers[~missing] = cells[~missing].astype(kind)
        array = pd.arrays.IntegerArray if f.type == "integer" else pd.arrays.FloatingArray
        return array(numbers, missing)
    if f.type == "date":
        return np.where(missing, "NaT", cells).astype("datetime64[D]").astype("datetime64[us]")
    if f.type == "datetime":
        moments = np.array([v[:-1] if v else "NaT" for v in values], dtype="datetime64[s]")
        return pd.array(moments.astype("datetime64[us]"), dtype=_UTC)
    if f.type == "boolean":
        truth = np.zeros(len(values), dtype=bool)
        for word in f.true_values:
            truth |= cells == word
        return pd.arrays.BooleanArray(truth, missing)
    if empty is not None:
        cells = np.where(empty, np.nan, cells)
    return _strings(cells)


def _typed(res: Resource, raw: RawTable) -> pd.DataFrame:
    """Build the typed DataFrame from validated text cells (vectorised, no re-checking)."""
    arrays = raw.arrays or [None] * len(res.fields)
    columns = [
        _column(f, values, cells) for f, values, cells in zip(res.fields, raw.columns, arrays, strict=True)
    ]
    # Every column is already a 1-D array of the table's length with its final dtype, so
    # pandas' per-column checks and conversions (what makes the DataFrame constructor slow
    # for many small tables) have nothing to do; tests compare the result with it.
    return pd.DataFrame._from_arrays(
        columns,
        columns=pd.Index(res.field_names, dtype=_STR),
        index=pd.RangeIndex(len(raw)),
        verify_integrity=False,
    )


def package(data: str | os.PathLike[str] | None = None) -> Package:
    """The validated package descriptor (name, version, tables, columns)."""
    return _loaded(data).package


def load(name: str, data: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Load one table as a typed DataFrame, after validating the whole package.

    Ids and text are ``str``; columns with allowed values are categoricals; dates are
    ``datetime64``; tri-state flags are nullable ``boolean`` (``<NA>`` = unknown);
    integers are nullable ``Int64``. Each call returns a fresh copy: changing it never
    changes what the next caller gets. Works offline, from any working directory.

    Args:
        name: one of :func:`list_datasets`.
        data: folder holding ``datapackage.json``; default: the project's ``data/``.

    Raises:
        KeyError: ``name`` is not a dataset of the package.
        DataError: the package breaks a rule (every problem is listed).

    Example:
        >>> import kzlib
        >>> incidents = kzlib.load("incidents")
        >>> str(incidents["start_date"].dtype).startswith("datetime64")
        True
    """
    loaded = _loaded(data)
    res = loaded.package.resource(name)  # KeyError names the known datasets
    if name not in loaded.frames:
        with gc_paused():
            loaded.frames[name] = _typed(res, loaded.raw[name])
    return loaded.frames[name].copy(deep=False)  # copy-on-write: changes never reach the cache
