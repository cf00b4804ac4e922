"""Shared fixtures: a private copy of the data package that a test may break."""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest

import kzlib

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"


@pytest.fixture(autouse=True, scope="session")
def private_verdict_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Validation verdicts go to a fresh folder, never the user's cache (subprocesses too)."""
    os.environ["KZLIB_CACHE"] = str(tmp_path_factory.mktemp("kzlib-cache"))


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of data/ in a temporary folder."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def write_rows(path: Path, table: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(table)


def edit(directory: Path, table: str, row: int, column: str, value: str) -> int:
    """Set one cell of ``table`` (row 0 = first record) and return that record's line."""
    path = directory / f"{table}.csv"
    data = rows(path)
    data[row + 1][data[0].index(column)] = value
    write_rows(path, data)
    return row + 2  # header is line 1; the data files hold no quoted newlines


def problems(directory: Path) -> list[str]:
    """Every problem validate() reports for ``directory``, as text lines."""
    try:
        kzlib.validate(directory)
    except kzlib.DataError as err:
        return [str(p) for p in err.problems]
    return []
