"""Property: random damage to the real package's files never crashes, hangs or reads outside.

Hypothesis mutates a temporary copy of ``data/`` (bytes and cells of the CSV files, keys and
values of the descriptor, paths pointing elsewhere) and runs ``kzlib validate`` in-process.
Whatever the damage: the exit code is 0 or 1, the output holds no traceback, each run ends
within the deadline (and a SIGALRM guard turns a hang into a failure), and nothing outside
the data folder is opened. Opens are audited with ``sys.addaudithook``: the hook records
the path of every ``open`` event (``open()``, ``os.open``, ``Path.touch``...) while kzlib
runs; allowed are the data folder, the verdict cache and Python's own modules.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import shutil
import signal
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from kzlib.cli import main

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
SECRET = "BAIT-OUTSIDE-THE-DATA-FOLDER"
TABLES = sorted(p.name for p in DATA.glob("*.csv"))

NASTY_TEXT = st.sampled_from(
    [
        "",
        " ",
        '"',
        '""',
        ",",
        "\n",
        "\r\n",
        "\x00",
        "\u200b",
        "\ufeff",
        "\u202e",
        "2_4",
        "١٢",
        "NaN",
        "-INF",
        "1e999",
        "9" * 25,
        "2999-12-31",
        "2011-13-45",
        "../outside.csv",
        "/dev/zero",
        "x" * 3000,
    ]
) | st.text(max_size=40)
NASTY_BYTES = st.sampled_from(
    [b'"', b",", b"\n", b"\r", b"\x00", b"\xff", b"\xef\xbb\xbf", "\u200b".encode(), b'"' * 3, b"," * 50]
) | st.binary(max_size=20)
NASTY_JSON: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    NASTY_TEXT,
    st.sampled_from(["../outside.csv", "/etc/passwd", "/dev/zero", "outside-link.csv", "fifo.csv", "."]),
    st.lists(st.sampled_from(["a", "incident_id", "../outside.csv"]), max_size=3),
    st.dictionaries(st.sampled_from(["resource", "fields", "field", "table", "id"]), NASTY_TEXT, max_size=2),
)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding a pristine copy of data/ and a bait file beside it."""
    root = tmp_path_factory.mktemp("property")
    shutil.copytree(DATA, root / "pristine")
    (root / "outside.csv").write_text(f"{SECRET}\n{SECRET}\n", encoding="utf-8")
    return root


def _walk(data: Any, draw: st.DataObject) -> tuple[Any, Any]:
    """A random (container, key) inside the descriptor."""
    parent, key = None, None
    node = data
    while isinstance(node, dict | list) and node and draw.draw(st.integers(0, 9), label="descend") < 8:
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        parent, key = node, draw.draw(st.sampled_from(keys), label="key")
        node = node[key]
    return parent, key


def _mutate_descriptor(folder: Path, draw: st.DataObject) -> None:
    path = folder / "datapackage.json"
    raw = path.read_bytes()
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except ValueError:  # an earlier mutation broke the JSON: damage the bytes instead
        data = None
    if data is None or draw.draw(st.booleans(), label="as text"):
        at = draw.draw(st.integers(0, len(raw)), label="at")
        cut = draw.draw(st.integers(0, 8), label="cut")
        path.write_bytes(raw[:at] + draw.draw(NASTY_BYTES, label="bytes") + raw[at + cut :])
        return
    parent, key = _walk(data, draw)
    if parent is None:
        return
    if isinstance(parent, dict) and draw.draw(st.booleans(), label="delete"):
        del parent[key]
    else:
        parent[key] = draw.draw(NASTY_JSON, label="value")
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


def _mutate_csv(folder: Path, draw: st.DataObject) -> None:
    path = folder / draw.draw(st.sampled_from(TABLES), label="table")
    if path.is_symlink():  # planted by _plant: may be a FIFO, which would block this test
        return
    if draw.draw(st.booleans(), label="as bytes"):
        raw = path.read_bytes()
        at = draw.draw(st.integers(0, len(raw)), label="at")
        cut = draw.draw(st.integers(0, 8), label="cut")
        path.write_bytes(raw[:at] + draw.draw(NASTY_BYTES, label="bytes") + raw[at + cut :])
        return
    try:
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    except (ValueError, csv.Error):  # an earlier mutation broke the file: leave it so
        return
    if len(rows) < 2:
        return
    row = draw.draw(st.integers(0, len(rows) - 1), label="row")
    col = draw.draw(st.integers(0, len(rows[row]) - 1), label="column")
    rows[row][col] = draw.draw(NASTY_TEXT, label="value")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _plant(folder: Path, draw: st.DataObject) -> None:
    """Files a hostile path may name: a link leaving the folder, a FIFO, a directory."""
    (folder / "outside-link.csv").symlink_to(folder.parent / "outside.csv")
    os.mkfifo(folder / "fifo.csv")
    if draw.draw(st.booleans(), label="swap a table for a link"):
        victim = folder / draw.draw(st.sampled_from(TABLES), label="victim")
        victim.unlink()
        victim.symlink_to(
            draw.draw(st.sampled_from([folder.parent / "outside.csv", folder / "fifo.csv", folder]))
        )


_LOG: list[list[str]] = []


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event == "open" and _LOG and isinstance(args[0], str | bytes | os.PathLike):
        _LOG[-1].append(os.fsdecode(args[0]))


sys.addaudithook(_audit)


@contextlib.contextmanager
def _guard(seconds: int) -> Iterator[None]:
    """Turn a hang into a failure (SIGALRM; the deadline alone cannot stop a blocked call)."""

    def hang(signum: int, frame: object) -> None:
        raise TimeoutError(f"kzlib validate still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _allowed(path: str, folder: Path) -> bool:
    real = Path(os.path.abspath(path))
    roots = [folder, Path(os.environ["KZLIB_CACHE"]), Path(sys.prefix), Path(sys.base_prefix), REPO / "kzlib"]
    return any(real == r or r in real.parents for r in roots)


@settings(
    max_examples=int(os.environ.get("KZ_EXAMPLES", "40")),
    deadline=timedelta(seconds=5),
    database=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(draw=st.data())
def test_random_damage_is_reported_not_crashed(world: Path, draw: st.DataObject) -> None:
    folder = world / "data"
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(world / "pristine", folder)
    _plant(folder, draw)
    for _ in range(draw.draw(st.integers(1, 3), label="mutations")):
        if draw.draw(st.integers(0, 3), label="which") == 0:
            _mutate_descriptor(folder, draw)
        else:
            _mutate_csv(folder, draw)
    out, err = io.StringIO(), io.StringIO()
    opened: list[str] = []
    _LOG.append(opened)
    try:
        with _guard(20), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["validate", "--data", str(folder)])
    finally:
        _LOG.remove(opened)
    text = out.getvalue() + err.getvalue()
    assert code in (0, 1), text
    assert "Traceback" not in text and "internal error" not in text, text
    assert SECRET not in text
    outside = [p for p in opened if not _allowed(p, folder)]
    assert not outside, outside
