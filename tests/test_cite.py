"""Citation export: BibTeX and CSL-JSON that parse back, keep date precision, and never change."""

from __future__ import annotations

import codecs
import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import latexcodec  # noqa: F401  (registers the "ulatex" codec)
import pytest
import yaml
from conftest import REPO
from pybtex.database import parse_string

import kzlib
from kzlib.references import package_reference

DAY_PARTS = {"day": 3, "month": 2, "year": 1}


@pytest.fixture(scope="module")
def sources():  # type: ignore[no-untyped-def]
    return kzlib.load("sources").set_index("source_id")


def _kzlib(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kzlib", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def _latex(text: str) -> str:
    return codecs.decode(text, "ulatex")


def test_bibtex_parses_back_with_every_source_once(sources) -> None:  # type: ignore[no-untyped-def]
    text = kzlib.bibliography("bibtex")
    parsed = parse_string(text, "bibtex")
    keys = list(parsed.entries)
    assert keys[0] == kzlib.package().name
    assert sorted(keys[1:]) == keys[1:] == sorted(sources.index)
    assert text.count("\n@") + 1 == len(keys)  # no entry lost to a duplicate key
    for sid, entry in list(parsed.entries.items())[1:]:
        src = sources.loc[sid]
        title = entry.fields["title"]
        assert title.startswith("{") and title.endswith("}"), sid
        assert _latex(title[1:-1]) == src["title"], sid
        assert entry.fields["url"] == src["url"], sid  # verbatim, not LaTeX-escaped
        assert entry.fields["urldate"] == src["accessed_date"].strftime("%Y-%m-%d")
        publisher = {"article": "journal", "techreport": "institution"}.get(entry.type, "howpublished")
        assert _latex(entry.fields[publisher]) == src["publisher"], sid
        names = [str(p).strip("{}") for p in entry.persons.get("author", [])]
        expected = (
            [] if not isinstance(src["authors"], str) else [a.strip() for a in src["authors"].split(";")]
        )
        assert [_latex(n) for n in names] == expected, sid


def test_bibtex_dates_keep_their_precision(sources) -> None:  # type: ignore[no-untyped-def]
    parsed = parse_string(kzlib.bibliography("bibtex"), "bibtex")
    seen = set()
    for sid, src in sources.iterrows():
        date = parsed.entries[sid].fields.get("date")
        if not isinstance(src["published_precision"], str):
            assert date is None, sid
            continue
        parts = date.split("-")
        assert len(parts) == DAY_PARTS[src["published_precision"]], sid
        assert date == src["published_date"].strftime("%Y-%m-%d")[: len(date)], sid
        seen.add(src["published_precision"])
    assert seen == {"day", "month", "year"}  # the data has all three; each is exercised


def test_csl_json_items_have_the_schema_keys(sources) -> None:  # type: ignore[no-untyped-def]
    items = json.loads(kzlib.bibliography("csl-json"))
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids)) == len(sources) + 1
    assert set(ids[1:]) == set(sources.index)
    csl_types = {"article-newspaper", "report", "document", "legislation", "article", "dataset",
                 "entry-encyclopedia"}  # fmt: skip
    for item in items[1:]:
        src = sources.loc[item["id"]]
        assert item["type"] in csl_types
        assert {"id", "type", "title", "URL", "accessed", "publisher", "language"} <= set(item)
        assert item["title"] == src["title"] and item["URL"] == src["url"]
        assert item["language"] == src["language"]
        accessed = src["accessed_date"]
        assert item["accessed"] == {"date-parts": [[accessed.year, accessed.month, accessed.day]]}
        if isinstance(src["published_precision"], str):
            (parts,) = item["issued"]["date-parts"]
            date = src["published_date"]
            assert parts == [date.year, date.month, date.day][: DAY_PARTS[src["published_precision"]]]
        else:
            assert "issued" not in item
        for author in item.get("author", []):
            assert set(author) == {"literal"} and author["literal"]
        if item["type"] == "article-newspaper":
            assert item["container-title"] == src["publisher"]


def test_source_types_map_to_distinct_sensible_types(sources) -> None:  # type: ignore[no-untyped-def]
    items = {i["id"]: i for i in json.loads(kzlib.bibliography("csl-json"))}
    parsed = parse_string(kzlib.bibliography("bibtex"), "bibtex").entries
    by_type = {"news": ("article", "article-newspaper"), "ngo_report": ("techreport", "report"),
               "legal_text": ("misc", "legislation"), "encyclopedia": ("misc", "entry-encyclopedia"),
               "measurement": ("misc", "dataset")}  # fmt: skip
    for sid, src in sources.iterrows():
        if src["source_type"] in by_type:
            assert (parsed[sid].type, items[sid]["type"]) == by_type[src["source_type"]], sid


def test_package_entry_comes_from_descriptor_and_citation_file() -> None:
    pkg = kzlib.package()
    (item,) = json.loads(kzlib.cite(format="csl-json"))
    assert item["id"] == pkg.name and item["type"] == "dataset" and item["version"] == pkg.version
    assert item["title"] == json.loads((kzlib.data_dir() / "datapackage.json").read_text())["title"]
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    if kzlib.data_dir() == REPO / "data" and str(cff["version"]) == pkg.version:
        released = dt.date.fromisoformat(str(cff["date-released"]))
        assert item["issued"] == {"date-parts": [[released.year, released.month, released.day]]}
    else:  # CITATION.cff describes another release (or none): no date rather than a wrong one
        assert "issued" not in item


def test_package_entry_has_no_date_when_the_citation_file_is_for_another_version(tmp_path: Path) -> None:
    shutil.copytree(kzlib.data_dir(), tmp_path / "data")
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    cff["version"] = "0.0.1"
    (tmp_path / "CITATION.cff").write_text(yaml.safe_dump(cff), encoding="utf-8")
    assert package_reference(tmp_path / "data").date is None
    cff["version"] = kzlib.package().version
    (tmp_path / "CITATION.cff").write_text(yaml.safe_dump(cff), encoding="utf-8")
    assert package_reference(tmp_path / "data").date == dt.date.fromisoformat(str(cff["date-released"]))


def test_output_is_deterministic_across_processes() -> None:
    for fmt in ("bibtex", "csl-json"):
        first, second = _kzlib("bib", "--format", fmt), _kzlib("bib", "--format", fmt)
        assert first.returncode == 0, first.stderr
        assert first.stdout == second.stdout == kzlib.bibliography(fmt)


def test_cite_a_record_exports_each_of_its_sources_once() -> None:
    citations = kzlib.load("incident_citations")
    counts = citations.incident_id.value_counts()
    record = str(counts.index[0])  # the incident with the most citations
    expected = list(dict.fromkeys(citations[citations.incident_id == record].source_id))
    bib = _kzlib("cite", record, "--format", "bibtex")
    assert bib.returncode == 0, bib.stderr
    assert list(parse_string(bib.stdout, "bibtex").entries) == expected
    csl = json.loads(_kzlib("cite", record, "--format", "csl-json").stdout)
    assert [i["id"] for i in csl] == expected
    text = _kzlib("cite", record)
    assert text.stdout.startswith(f"{record}:\n  [1] ")


def test_cite_one_source_and_errors() -> None:
    sid = str(kzlib.load("sources").source_id.iloc[0])
    one = _kzlib("cite", sid, "--format", "csl-json")
    assert [i["id"] for i in json.loads(one.stdout)] == [sid]
    unknown = _kzlib("cite", "src-no-such-source", "--format", "bibtex")
    assert (
        unknown.returncode == 2
        and unknown.stderr.strip() == "kzlib: no source 'src-no-such-source' in sources.csv"
    )
    bad = _kzlib("cite", sid, "--format", "ris")
    assert bad.returncode == 2 and "invalid choice: 'ris'" in bad.stderr and "Traceback" not in bad.stderr
    with pytest.raises(ValueError, match="unknown format 'ris'"):
        kzlib.cite(sid, format="ris")
    with pytest.raises(ValueError, match="unknown format 'ris'"):
        kzlib.bibliography("ris")


def test_bib_writes_a_file_atomically_and_reports_failures(tmp_path: Path) -> None:
    out = tmp_path / "kz.bib"
    done = _kzlib("bib", "-o", str(out))
    assert done.returncode == 0 and done.stdout == ""
    assert out.read_text(encoding="utf-8") == kzlib.bibliography("bibtex")
    assert oct(out.stat().st_mode & 0o777) == "0o644"
    assert [p.name for p in tmp_path.iterdir()] == ["kz.bib"]  # no temporary file left
    target = out / "inside-a-file.bib"  # fails for every user, root included
    failed = _kzlib("bib", "-o", str(target))
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert failed.stderr.count("\n") == 1 and failed.stderr.startswith(f"kzlib bib: cannot write {target}: ")
