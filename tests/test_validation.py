"""Every kind of bad input gets a located, readable problem; benign variants load."""

from __future__ import annotations

import codecs
import csv
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, edit, problems, rows, write_rows

import kzlib


def test_shipped_data_is_valid() -> None:
    assert kzlib.validate().name == "kz-internet"


def _one(directory: Path, expected: str) -> None:
    """Some reported problem starts with ``expected`` (long enum lists may follow)."""
    found = problems(directory)
    assert any(p.startswith(expected) for p in found), "\n".join(found)


@pytest.mark.parametrize(
    ("table", "column", "value", "rule"),
    [
        ("incidents", "category", "shutdown", "not one of the allowed values: network_shutdown, throttling"),
        ("incidents", "start_date", "2022-13-05", "not a real calendar date"),
        ("incidents", "start_date", "05/01/2022", "not a date in YYYY-MM-DD form"),
        ("incidents", "start_precision", "week", "not one of the allowed values: day, month, year"),
        ("incidents", "election_related", "yes", "not a boolean: use false or true (or empty for unknown)"),
        ("incidents", "incident_id", "INC 2022", "does not match the pattern ^inc-[a-z0-9]+(-[a-z0-9]+)*$"),
        ("incidents", "title", "", "required value is missing"),
        ("incidents", "title", " padded", "has leading or trailing whitespace"),
        ("operators", "founded_year", "nineteen", "not an integer"),
        ("operators", "founded_year", "1200", "below the minimum 1850"),
        ("indicators", "value", "n/a", "not a number"),
        ("sources", "url", "www.example.org/page", "does not match the pattern ^https?://\\S+$"),
    ],
)
def test_cell_rules(data_copy: Path, table: str, column: str, value: str, rule: str) -> None:
    line = edit(data_copy, table, 0, column, value)
    _one(data_copy, f"{data_copy / table}.csv:{line}: column {column}: value '{value}': {rule}")


def test_message_names_file_line_column_value_rule(data_copy: Path) -> None:
    line = edit(data_copy, "incidents", 2, "extent", "total")
    found = [p for p in problems(data_copy) if "column extent" in p]
    allowed = ", ".join(kzlib.package().resource("incidents").field("extent").enum or ())
    assert found == [
        f"{data_copy}/incidents.csv:{line}: column extent: value 'total': "
        f"not one of the allowed values: {allowed}"
    ]


def test_all_problems_reported_at_once(data_copy: Path) -> None:
    edit(data_copy, "incidents", 0, "category", "bad")
    edit(data_copy, "legal_measures", 1, "status", "bad")
    edit(data_copy, "sources", 2, "language", "english")
    found = problems(data_copy)
    assert any("incidents.csv" in p for p in found)
    assert any("legal_measures.csv" in p for p in found)
    assert any("sources.csv" in p and "column language" in p for p in found)


def test_duplicate_primary_key(data_copy: Path) -> None:
    path = data_copy / "legal_measures.csv"
    table = rows(path)
    table.append(table[1])
    write_rows(path, table)
    dup = table[1][0]
    _one(
        data_copy,
        f"{path}:{len(table)}: column measure_id: value '{dup}': duplicate primary key (first at line 2)",
    )


def test_foreign_key_in_link_table(data_copy: Path) -> None:
    line = edit(data_copy, "incident_legal_basis", 0, "measure_id", "lm-1800-no-such-law")
    _one(
        data_copy,
        f"{data_copy}/incident_legal_basis.csv:{line}: column measure_id: "
        "value 'lm-1800-no-such-law': not found in legal_measures.measure_id",
    )


def test_foreign_key_to_sources(data_copy: Path) -> None:
    line = edit(data_copy, "incident_citations", 0, "source_id", "src-nowhere")
    _one(
        data_copy,
        f"{data_copy}/incident_citations.csv:{line}: column source_id: "
        "value 'src-nowhere': not found in sources.source_id",
    )


def test_end_before_start(data_copy: Path) -> None:
    table = rows(data_copy / "incidents.csv")
    header = table[0]
    i = next(n for n, r in enumerate(table[1:]) if r[header.index("start_precision")] == "day")
    edit(data_copy, "incidents", i, "end_date", "1990-01-01")
    line = edit(data_copy, "incidents", i, "end_precision", "day")
    start = table[i + 1][header.index("start_date")]
    _one(
        data_copy,
        f"{data_copy}/incidents.csv:{line}: column end_date: value '1990-01-01': "
        f"is before start_date ({start})",
    )


def test_precision_rules(data_copy: Path) -> None:
    line = edit(data_copy, "incidents", 0, "start_date", "2022-01-05")
    edit(data_copy, "incidents", 0, "start_precision", "month")
    _one(
        data_copy,
        f"{data_copy}/incidents.csv:{line}: column start_date: value '2022-01-05': "
        "a month-precise date must be stored as the month's first day",
    )
    edit(data_copy, "incidents", 0, "start_precision", "year")
    _one(
        data_copy,
        f"{data_copy}/incidents.csv:{line}: column start_date: value '2022-01-05': "
        "a year-precise date must be stored as 1 January",
    )
    edit(data_copy, "incidents", 0, "start_precision", "")
    assert any(f"incidents.csv:{line}: column start_precision" in p for p in problems(data_copy))


def test_precision_without_date(data_copy: Path) -> None:
    table = rows(data_copy / "incidents.csv")
    header = table[0]
    i = next(n for n, r in enumerate(table[1:]) if r[header.index("end_date")] == "")
    line = edit(data_copy, "incidents", i, "end_precision", "day")
    _one(
        data_copy,
        f"{data_copy}/incidents.csv:{line}: column end_precision: value 'day': "
        "precision given but end_date is empty",
    )


def test_uncited_record(data_copy: Path) -> None:
    path = data_copy / "incident_citations.csv"
    table = rows(path)
    first = table[1][0]
    write_rows(path, [table[0]] + [r for r in table[1:] if r[0] != first])
    inc = rows(data_copy / "incidents.csv")
    line = next(n for n, r in enumerate(inc) if r[0] == first) + 1
    _one(
        data_copy,
        f"{data_copy}/incidents.csv:{line}: column incident_id: value '{first}': "
        "record is not cited: add a row to incident_citations.csv",
    )


def test_seed_claim_must_point_at_a_record(data_copy: Path) -> None:
    line = edit(data_copy, "seed_claim_records", 0, "record_id", "inc-0000-none")
    table = rows(data_copy / "seed_claim_records.csv")[1]
    _one(
        data_copy,
        f"{data_copy}/seed_claim_records.csv:{line}: column record_id: "
        f"value 'inc-0000-none': no such record in {table[1]}",
    )


@pytest.mark.parametrize(
    ("parts", "known"),
    [(1, True), (3, True), (4, True), (3, False)],
)
def test_record_links_name_a_composite_key_or_its_leading_parts(
    data_copy: Path, parts: int, known: bool
) -> None:
    """An indicator is named by its key joined with '/', or by the key's leading parts."""
    first = rows(data_copy / "indicators.csv")[1]
    key = [*first[:3], first[9]]  # indicator, country, year, source_id
    if not known:
        key[2] = "1800"
    record = "/".join(key[:parts])
    line = edit(data_copy, "seed_claim_records", 0, "record_table", "indicators")
    edit(data_copy, "seed_claim_records", 0, "record_id", record)
    link_problems = [p for p in problems(data_copy) if f"seed_claim_records.csv:{line}:" in p]
    if known:
        assert link_problems == []
    else:
        assert link_problems == [
            f"{data_copy}/seed_claim_records.csv:{line}: column record_id: value '{record}': "
            "no such record in indicators"
        ]


def test_header_mismatch(data_copy: Path) -> None:
    path = data_copy / "operators.csv"
    table = rows(path)
    table[0][table[0].index("name")] = "operator_name"
    write_rows(path, table)
    found = [p for p in problems(data_copy) if p.startswith(f"{path}:1:")]
    assert len(found) == 1
    assert "header does not match the descriptor (missing name; unexpected operator_name)" in found[0]


def test_ragged_record(data_copy: Path) -> None:
    path = data_copy / "measure_domains.csv"
    table = rows(path)
    table[3] = table[3] + ["extra"]
    write_rows(path, table)
    assert any(
        p.startswith(f"{path}:4: column -:") and "record has 3 cells; the header has 2" in p
        for p in problems(data_copy)
    )


def test_ragged_record_in_a_cited_table(data_copy: Path) -> None:
    """A short record in a table with foreign keys and citations is reported, not a crash."""
    path = data_copy / "incidents.csv"
    table = rows(path)
    table[2] = table[2][:5]
    write_rows(path, table)
    found = problems(data_copy)
    assert any(p.startswith(f"{path}:3: column -:") and "record has 5 cells" in p for p in found)


def test_invalid_utf8(data_copy: Path) -> None:
    path = data_copy / "operator_aliases.csv"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\n\xff\xfe", 1))
    _one(data_copy, f"{path}:2: column -: value 'ff': bytes are not valid UTF-8")


def test_missing_file(data_copy: Path) -> None:
    (data_copy / "errata.csv").unlink()
    _one(data_copy, f"{data_copy}/errata.csv:0: column -: value '': file is missing")


def test_benign_variants_load(data_copy: Path) -> None:
    """CRLF line ends, a UTF-8 BOM and a quoted newline inside a cell are all fine."""
    path = data_copy / "incidents.csv"
    table = rows(path)
    col = table[0].index("summary_en")
    table[1][col] = table[1][col] + "\nSecond paragraph."
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, lineterminator="\r\n").writerows(table)
    raw = path.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8) and b"\r\n" in raw
    df = kzlib.load("incidents", data_copy)
    assert df.loc[0, "summary_en"].endswith("\nSecond paragraph.")
    assert df.loc[1, "incident_id"] == table[2][0]
    # the record after the two-line cell is reported at its true line (4, not 3)
    table[2][table[0].index("category")] = "bad"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, lineterminator="\r\n").writerows(table)
    assert any(p.startswith(f"{path}:4: column category: value 'bad'") for p in problems(data_copy))


def test_cli_exit_code_and_no_traceback(data_copy: Path) -> None:
    edit(data_copy, "incidents", 0, "category", "bad")
    edit(data_copy, "operators", 0, "segment", "bad")
    done = subprocess.run(
        [sys.executable, "-m", "kzlib", "validate", "--data", str(data_copy)],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "2 problems in the data package" in done.stderr.splitlines()[0]
    assert "column category: value 'bad'" in done.stderr
    assert "column segment: value 'bad'" in done.stderr


def test_cli_clean_data_exits_zero() -> None:
    done = subprocess.run([sys.executable, "-m", "kzlib", "validate"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert f"{len(kzlib.list_datasets())} tables valid" in done.stdout


def test_load_refuses_broken_data(data_copy: Path) -> None:
    edit(data_copy, "incidents", 0, "category", "bad")
    with pytest.raises(kzlib.DataError, match="column category: value 'bad'"):
        kzlib.load("operators", data_copy)
