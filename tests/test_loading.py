"""Loaders: typed from the descriptor, cached, independent copies, any working directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import kzlib
from kzlib.csvread import Origin
from kzlib.descriptor import read_package


def test_list_datasets_matches_descriptor() -> None:
    names = kzlib.list_datasets()
    assert names[0] == "sources"
    assert {"incidents", "legal_measures", "operator_asns", "incident_targets", "indicators"} <= set(names)


@pytest.mark.parametrize("name", read_package(kzlib.data_dir()).names)
def test_types_follow_the_descriptor(name: str) -> None:
    res = read_package(kzlib.data_dir()).resource(name)
    df = kzlib.load(name)
    assert list(df.columns) == res.field_names
    for f in res.fields:
        dtype = df[f.name].dtype
        if f.enum:
            assert isinstance(dtype, pd.CategoricalDtype), f.name
            assert list(dtype.categories) == list(f.enum)
        elif f.type == "date":
            assert str(dtype) == "datetime64[us]", f.name
        elif f.type == "datetime":
            assert str(dtype) == "datetime64[us, UTC]", f.name
        elif f.type == "boolean":
            assert str(dtype) == "boolean", f.name
        elif f.type == "integer":
            assert str(dtype) == "Int64", f.name
        elif f.type == "number":
            assert str(dtype) == "Float64", f.name
        else:
            assert dtype == "str", f.name


@pytest.mark.parametrize("name", read_package(kzlib.data_dir()).names)
def test_typed_frame_is_what_the_public_constructor_builds(name: str) -> None:
    """load() assembles frames with pandas' unchecked fast path: the result must equal the
    checked public constructor's, column by column, with the same dtypes and index."""
    from kzlib import loading

    df = kzlib.load(name)
    res = kzlib.package().resource(name)
    raw = loading._loaded(None).raw[name]
    arrays = raw.arrays or [None] * len(res.fields)
    columns = {
        f.name: loading._column(f, values, cells)
        for f, values, cells in zip(res.fields, raw.columns, arrays, strict=True)
    }
    pd.testing.assert_frame_equal(df, pd.DataFrame(columns), check_exact=True)
    assert isinstance(df.index, pd.RangeIndex)
    assert df.columns.dtype == "str"


def test_unchecked_categories_and_strings_equal_the_checked_ones() -> None:
    """Enum dtypes and str columns skip pandas' own checks (the descriptor and the cell
    rules already hold): they must equal what the checked constructors build."""
    from kzlib import loading

    enums = {f.enum for r in kzlib.package().resources for f in r.fields if f.enum is not None}
    assert enums
    for values in enums:
        fast, _, _ = loading._categories(values)
        assert fast == pd.CategoricalDtype(pd.Index(list(values), dtype="str"))
        pd.testing.assert_index_equal(fast.categories, pd.Index(list(values), dtype="str"))
    cells = np.array(["a", np.nan, "ü", ""], dtype=object)
    pd.testing.assert_extension_array_equal(loading._strings(cells), pd.array(cells, dtype="str"))


def test_every_dataset_has_a_documented_loader() -> None:
    for name in kzlib.list_datasets():
        loader = getattr(kzlib, f"load_{name}")
        assert loader is kzlib.LOADERS[name]
        for column in read_package(kzlib.data_dir()).resource(name).field_names:
            assert f"    {column} [" in loader.__doc__
        pd.testing.assert_frame_equal(loader(), kzlib.load(name))


def test_tristate_keeps_unknown_apart_from_false() -> None:
    inc = kzlib.load_incidents()
    raw = pd.read_csv(kzlib.data_dir() / "incidents.csv", dtype=str, keep_default_na=False)
    for col in ("election_related", "protest_related", "gov_acknowledged"):
        assert inc[col].isna().sum() == (raw[col] == "").sum()
        assert (inc[col] == False).sum() == (raw[col] == "false").sum()  # noqa: E712


def test_unknown_name_is_refused() -> None:
    with pytest.raises(KeyError, match=r"unknown dataset 'incident'.*known datasets: sources"):
        kzlib.load("incident")


def test_callers_get_their_own_copy() -> None:
    first = kzlib.load("operators")
    first.loc[:, "name"] = "changed"
    first.pop("notes")
    again = kzlib.load("operators")
    assert "changed" not in set(again["name"])
    assert "notes" in again.columns


def test_cache_refreshes_when_a_file_changes(data_copy: Path) -> None:
    before = kzlib.load("operator_aliases", data_copy)
    path = data_copy / "operator_aliases.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    assert len(kzlib.load("operator_aliases", data_copy)) == len(before) - 1


def test_independent_of_working_directory(tmp_path: Path) -> None:
    code = "import kzlib; print(len(kzlib.load('incidents')), kzlib.data_dir())"
    here = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": ""},
    )
    assert here.returncode == 0, here.stderr
    assert here.stdout.split()[0] == str(len(kzlib.load("incidents")))


def test_cite_formats_sources_and_records() -> None:
    inc = kzlib.load_incident_citations().iloc[0]
    text = kzlib.cite(inc["incident_id"])
    src = kzlib.load_sources().set_index("source_id").loc[inc["source_id"]]
    assert text.startswith(f"{inc['incident_id']}:")
    assert src["url"] in text and inc["locator"] in text
    assert kzlib.cite(inc["source_id"]).startswith(
        src["authors"] if pd.notna(src["authors"]) else src["title"]
    )
    assert f"version {kzlib.package().version}" in kzlib.cite()
    with pytest.raises(KeyError, match="no citation"):
        kzlib.cite("inc-0000-none")


def test_verdict_cache_skips_checks_only_for_bytes_already_validated(data_copy: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from kzlib import validation, verdicts
    from kzlib.loading import clear_cache

    kzlib.load("incidents", data_copy)  # validates and remembers these bytes
    assert len(list(verdicts.cache_dir().iterdir())) >= 1

    def no_checks(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("checks ran for bytes already validated")

    monkeypatch.setattr(validation, "check_table", no_checks)
    clear_cache()
    assert len(kzlib.load("incidents", data_copy)) == len(kzlib.load("incidents"))
    with pytest.raises(AssertionError, match="checks ran"):
        kzlib.validate(data_copy)  # explicit validation always checks
    monkeypatch.undo()

    path = data_copy / "incidents.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("network_shutdown", "shutdown", 1), encoding="utf-8"
    )
    with pytest.raises(kzlib.DataError, match="value 'shutdown'"):
        kzlib.load("incidents", data_copy)


@pytest.mark.parametrize("name", read_package(kzlib.data_dir()).names)
def test_fast_parser_gives_the_csv_modules_cells(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Large files go through pandas' tokenizer; it must give exactly the csv module's cells."""
    from kzlib import csvread

    data = (kzlib.data_dir() / f"{name}.csv").read_bytes()
    slow, _ = csvread.parse(data, name)
    monkeypatch.setattr(csvread, "FAST_PARSE_BYTES", 0)
    fast, _ = csvread.parse(data, name)
    assert slow is not None and fast is not None
    assert (fast.header, fast.columns, fast.lines) == (slow.header, slow.columns, slow.lines)


@pytest.mark.parametrize(
    "text",
    [
        'a,b\n"x,""y""",z\n',  # doubled quotes inside a quoted cell
        'a,b\n"one\ntwo",z\n',  # a quoted line break: line numbers need the csv module
        'a,b\n"x"y,z\n',  # text after a closing quote: malformed
        'a,b\n"a,"b"\n',  # a closing quote inside a cell
        "a,b\n1,2\n\n3,4\n",  # a blank line
        "a,b\n1\n",  # a short record
        "a,b\n1,2,3\n",  # a long record
        "a,b\r\n1,2\r\n",  # CRLF
        'a,b\n1,"2\n',  # a quote never closed
    ],
)
def test_fast_parser_falls_back_or_agrees(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from kzlib import csvread

    data = text.encode()
    slow = csvread.parse(data, "t.csv")
    monkeypatch.setattr(csvread, "FAST_PARSE_BYTES", 0)
    fast = csvread.parse(data, "t.csv")
    assert [str(p) for p in fast[1]] == [str(p) for p in slow[1]]
    if slow[0] is None:
        assert fast[0] is None
    else:
        assert fast[0] is not None
        assert (fast[0].columns, fast[0].lines, fast[0].ragged) == (
            slow[0].columns,
            slow[0].lines,
            slow[0].ragged,
        )


@pytest.mark.parametrize("scan", [1, 2, 7, 4096, 1 << 20])
def test_scanning_in_parts_finds_every_byte_once(scan: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast parser's layout checks scan a large file part by part: the parts' edges must
    not lose or double a newline, quote or comma."""
    from kzlib import csvread

    monkeypatch.setattr(csvread, "SCAN_BYTES", scan)
    for data in (b"", b'"', b'a,"b\n""c"",d"\n', (kzlib.data_dir() / "incidents.csv").read_bytes()[:20_000]):
        raw = np.frombuffer(data, dtype=np.uint8)
        newlines, quotes = csvread._positions(raw, ord('"'), count=ord("\n"))
        assert newlines == data.count(b"\n")
        assert quotes.tolist() == [i for i, b in enumerate(data) if b == ord('"')]
        commas = csvread._positions(raw, ord(","))[1]
        assert commas.tolist() == [i for i, b in enumerate(data) if b == ord(",")]


def _settled(origin: Origin) -> Origin:
    """``origin`` as if read long after the file last changed (a test cannot set a change
    time back, so the reading time moves forward instead)."""
    import dataclasses

    return dataclasses.replace(origin, read_at=origin.read_at + 60)


def test_a_large_file_is_parsed_from_disk_only_while_it_holds_the_bytes_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pandas may read a large file itself (faster than a copy of its bytes), but what is
    parsed must be the bytes that were read and hashed: a file written to since, changed
    just before it was read, or replaced by a symbolic link is parsed from those bytes."""
    from kzlib import csvread

    monkeypatch.setattr(csvread, "FAST_PARSE_BYTES", 0)
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    data, origin = csvread.read_source(path, tmp_path)
    options = {"header": None, "skiprows": 1, "dtype": object}

    assert csvread._read_unchanged(pd, origin, options) is None  # changed just now: racy
    settled = _settled(origin)
    assert csvread._read_unchanged(pd, settled, options).values.tolist() == [["1", "2"]]

    path.write_text("a,b\n7,8\n", encoding="utf-8")  # same size, new bytes
    assert csvread._read_unchanged(pd, settled, options) is None
    table, problems = csvread.parse(data, "t.csv", None, settled)
    assert table is not None and not problems
    assert table.columns == [["1"], ["2"]]  # the bytes read, not the file as it is now

    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    path.unlink()
    path.symlink_to(other)
    assert csvread._read_unchanged(pd, settled, options) is None
