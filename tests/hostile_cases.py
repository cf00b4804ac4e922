"""A small, valid data package with every rule kzlib checks, and ways to break it.

``build(folder)`` writes the package; each :class:`Case` changes one thing and says what
``kzlib`` must answer (exit code and a piece of the message). The package is independent
of the project's own data, so these cases test the rules, not today's records.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ID = r"^[a-z]+-[a-z0-9]+(-[a-z0-9]+)*$"
PRECISION = {"type": "string", "constraints": {"enum": ["day", "month", "year"]}}
TAGS = [f"tag-{i:03d}" for i in range(200)]  # an enum longer than an int8 category code


def _f(name: str, type_: str = "string", **constraints: Any) -> dict[str, Any]:
    field: dict[str, Any] = {"name": name, "type": type_, "description": f"The {name}."}
    if constraints:
        field["constraints"] = constraints
    return field


def _p(name: str) -> dict[str, Any]:
    return {"name": name, **PRECISION, "description": f"Precision of {name}."}


def _res(name: str, fields: list[dict[str, Any]], pk: list[str], **extra: Any) -> dict[str, Any]:
    fks = extra.pop("foreignKeys", [])
    schema: dict[str, Any] = {"fields": fields, "primaryKey": pk}
    if fks:
        schema["foreignKeys"] = [
            {"fields": local, "reference": {"resource": res, "fields": remote}} for local, res, remote in fks
        ]
    return {
        "name": name,
        "path": f"{name}.csv",
        "profile": "tabular-data-resource",
        "title": name,
        "description": f"The {name} table.",
        "schema": schema,
        **extra,
    }


def descriptor() -> dict[str, Any]:
    return {
        "profile": "tabular-data-package",
        "name": "kz-mini",
        "title": "A small package for testing the validator",
        "version": "1.0.0",
        "resources": [
            _res(
                "sources",
                [
                    _f("source_id", required=True, pattern=ID),
                    _f("title", required=True, maxLength=200),
                    _f("url", pattern=r"^https?://\S+$"),
                    _f("published_date", "date"),
                    _p("published_precision"),
                    _f("accessed_date", "date", required=True),
                    _f("language", enum=["en", "ru", "kk"]),
                ],
                ["source_id"],
                **{"kz:precision": {"published_date": "published_precision"}},
            ),
            _res(
                "operators",
                [
                    _f("operator_id", required=True, pattern=ID),
                    _f("name", required=True, maxLength=80),
                    _f("founded_year", "integer", minimum=1850, maximum=2100),
                    _f("share_pct", "number", minimum=0, maximum=100),
                    _f("segment", required=True, enum=["mobile", "fixed", "backbone"]),
                    _f("state_owned", "boolean"),
                    _f("code", unique=True),
                    _f("notes"),
                ],
                ["operator_id"],
                **{"kz:citations": {"resource": "operator_citations", "field": "operator_id"}},
            ),
            _res(
                "operator_citations",
                [
                    _f("operator_id", required=True),
                    _f("source_id", required=True),
                    _f("locator", maxLength=200),
                ],
                ["operator_id", "source_id"],
                foreignKeys=[
                    ("operator_id", "operators", "operator_id"),
                    ("source_id", "sources", "source_id"),
                ],
            ),
            _res(
                "legal_measures",
                [
                    _f("measure_id", required=True, pattern=ID),
                    _f("title", required=True),
                    _f("adopted_date", "date"),
                    _p("adopted_precision"),
                    {**_f("effective_date", "date"), "kz:allowFuture": True},
                    _p("effective_precision"),
                ],
                ["measure_id"],
                **{
                    "kz:precision": {
                        "adopted_date": "adopted_precision",
                        "effective_date": "effective_precision",
                    },
                    "kz:dateOrder": [["adopted_date", "effective_date"]],
                },
            ),
            _res(
                "incidents",
                [
                    _f("incident_id", required=True, pattern=ID),
                    _f("title", required=True),
                    _f("category", required=True, enum=["network_shutdown", "throttling", "website_block"]),
                    _f("start_date", "date", required=True),
                    _p("start_precision"),
                    _f("end_date", "date"),
                    _p("end_precision"),
                    _f("start_utc", "datetime"),
                    {
                        "name": "start_utc_precision",
                        "type": "string",
                        "constraints": {"enum": ["hour", "minute"]},
                    },
                    _f("end_utc", "datetime"),
                    {
                        "name": "end_utc_precision",
                        "type": "string",
                        "constraints": {"enum": ["hour", "minute"]},
                    },
                    {**_f("election_related", "boolean"), "trueValues": ["true"], "falseValues": ["false"]},
                    _f("measure_id"),
                    _f("tag", enum=TAGS),
                    _f("summary"),
                ],
                ["incident_id"],
                foreignKeys=[("measure_id", "legal_measures", "measure_id")],
                **{
                    "kz:precision": {
                        "start_date": "start_precision",
                        "end_date": "end_precision",
                        "start_utc": "start_utc_precision",
                        "end_utc": "end_utc_precision",
                    },
                    "kz:dateOrder": [["start_date", "end_date"], ["start_utc", "end_utc"]],
                    "kz:citations": {"resource": "incident_citations", "field": "incident_id"},
                },
            ),
            _res(
                "incident_citations",
                [_f("incident_id", required=True), _f("source_id", required=True), _f("locator")],
                ["incident_id", "source_id"],
                foreignKeys=[
                    ("incident_id", "incidents", "incident_id"),
                    ("source_id", "sources", "source_id"),
                ],
            ),
            _res(
                "indicators",
                [
                    _f("indicator", required=True),
                    _f("country", required=True, pattern="^[A-Z]{3}$"),
                    _f("year", "integer", required=True),
                    _f("value", "number", required=True),
                    _f("source_id", required=True),
                ],
                ["indicator", "country", "year"],
                foreignKeys=[("source_id", "sources", "source_id")],
            ),
            _res(
                "coverage_anchors",
                [
                    _f("anchor_id", required=True, pattern=ID),
                    _f("record_table", enum=["incidents", "legal_measures", "operators", "indicators"]),
                    _f("record_id"),
                    _f("reason"),
                ],
                ["anchor_id"],
                **{
                    "kz:recordLinks": {"table": "record_table", "id": "record_id"},
                    "kz:exactlyOne": [["record_id", "reason"]],
                },
            ),
        ],
    }


TABLES: dict[str, list[list[str]]] = {
    "sources": [
        ["source_id", "title", "url", "published_date", "published_precision", "accessed_date", "language"],
        [
            "src-report-2021",
            "Annual report",
            "https://example.org/report",
            "2021-09-01",
            "month",
            "2026-11-30",
            "en",
        ],
        ["src-news-2022", "News story", "https://example.org/news", "2022-01-06", "day", "2026-11-30", "ru"],
        ["src-law-text", "Law text", "https://example.org/law", "", "", "2026-11-30", "kk"],
    ],
    "operators": [
        ["operator_id", "name", "founded_year", "share_pct", "segment", "state_owned", "code", "notes"],
        ["op-alpha", "Alpha Telecom", "1994", "55.5", "fixed", "true", "A1", ""],
        ["op-beta", "Beta Mobile", "1998", "30", "mobile", "false", "B2", "Second operator."],
        ["op-gamma", "Gamma Backbone", "", "", "backbone", "", "", ""],
    ],
    "operator_citations": [
        ["operator_id", "source_id", "locator"],
        ["op-alpha", "src-report-2021", "Market shares table"],
        ["op-beta", "src-report-2021", "Market shares table"],
        ["op-gamma", "src-news-2022", "Backbone owner named"],
    ],
    "legal_measures": [
        ["measure_id", "title", "adopted_date", "adopted_precision", "effective_date", "effective_precision"],
        ["lm-2016-rules", "Domain rules", "2016-01-01", "year", "2016-03-01", "month"],
        ["lm-2022-law", "Communications law", "2022-05-12", "day", "2099-01-01", "year"],
    ],
    "incidents": [
        [
            "incident_id",
            "title",
            "category",
            "start_date",
            "start_precision",
            "end_date",
            "end_precision",
            "start_utc",
            "start_utc_precision",
            "end_utc",
            "end_utc_precision",
            "election_related",
            "measure_id",
            "tag",
            "summary",
        ],
        [
            "inc-2022-01-05-blackout",
            "Nationwide blackout",
            "network_shutdown",
            "2022-01-05",
            "day",
            "2022-01-10",
            "day",
            "2022-01-05T11:00:00Z",
            "hour",
            "2022-01-10T08:30:00Z",
            "minute",
            "false",
            "lm-2022-law",
            "tag-150",
            "Mobile and fixed access cut.",
        ],
        [
            "inc-2011-12-16-cut",
            "Regional cut",
            "network_shutdown",
            "2011-12-16",
            "day",
            "2011-12-20",
            "day",
            "",
            "",
            "",
            "",
            "",
            "",
            "tag-001",
            "Mobile service cut in one town.",
        ],
        [
            "inc-2016-throttle",
            "Throttling",
            "throttling",
            "2016-05-01",
            "month",
            "",
            "",
            "",
            "",
            "",
            "",
            "true",
            "lm-2016-rules",
            "",
            "Slow access to social media.",
        ],
    ],
    "incident_citations": [
        ["incident_id", "source_id", "locator"],
        ["inc-2022-01-05-blackout", "src-news-2022", "Access cut on 5 January"],
        ["inc-2011-12-16-cut", "src-report-2021", "Cut in December 2011"],
        ["inc-2016-throttle", "src-report-2021", "Throttling reported"],
    ],
    "indicators": [
        ["indicator", "country", "year", "value", "source_id"],
        ["internet_users_pct", "KAZ", "2021", "90.9", "src-report-2021"],
        ["internet_users_pct", "KAZ", "2022", "92.3", "src-report-2021"],
    ],
    "coverage_anchors": [
        ["anchor_id", "record_table", "record_id", "reason"],
        ["fotn-2022-01", "incidents", "inc-2022-01-05-blackout", ""],
        ["fotn-2022-02", "indicators", "internet_users_pct/KAZ/2022", ""],
        ["fotn-2022-03", "", "", "Out of scope: a neighbouring country"],
    ],
}


def csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def build(folder: Path) -> Path:
    """Write the valid package into ``folder`` (created) and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "datapackage.json").write_text(json.dumps(descriptor(), indent=2) + "\n", encoding="utf-8")
    for name, rows in TABLES.items():
        (folder / f"{name}.csv").write_text(csv_text(rows), encoding="utf-8")
    return folder


# --- ways to change the package ----------------------------------------------------------


Change = Callable[[Path], None]


def cell(table: str, row: int, column: str, value: str) -> Change:
    """Set one cell (row 1 = first record)."""

    def change(folder: Path) -> None:
        path = folder / f"{table}.csv"
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
        rows[row][rows[0].index(column)] = value
        path.write_text(csv_text(rows), encoding="utf-8")

    return change


def cells(table: str, row: int, **values: str) -> Change:
    def change(folder: Path) -> None:
        for column, value in values.items():
            cell(table, row, column, value)(folder)

    return change


def add_rows(table: str, rows: list[list[str]]) -> Change:
    def change(folder: Path) -> None:
        with (folder / f"{table}.csv").open("a", encoding="utf-8", newline="") as fh:
            csv.writer(fh, lineterminator="\n").writerows(rows)

    return change


def raw_text(table: str, text: str, mode: str = "w") -> Change:
    """Write (or append, ``mode="a"``) raw text to a table's file."""

    def change(folder: Path) -> None:
        with (folder / f"{table}.csv").open(mode, encoding="utf-8", newline="") as fh:
            fh.write(text)

    return change


def replace_in(file: str, old: str, new: str) -> Change:
    def change(folder: Path) -> None:
        path = folder / file
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return change


def desc(edit: Callable[[dict[str, Any]], None]) -> Change:
    """Change the descriptor as JSON (``edit`` mutates the parsed object)."""

    def change(folder: Path) -> None:
        path = folder / "datapackage.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        edit(data)
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")

    return change


def desc_text(text: str | bytes) -> Change:
    def change(folder: Path) -> None:
        path = folder / "datapackage.json"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")

    return change


def resource(data: dict[str, Any], name: str) -> dict[str, Any]:
    return next(r for r in data["resources"] if r["name"] == name)


def field(data: dict[str, Any], table: str, name: str) -> dict[str, Any]:
    return next(f for f in resource(data, table)["schema"]["fields"] if f["name"] == name)


def set_key(table: str, key: str, value: Any, column: str | None = None) -> Change:
    """Set a resource key (or a field key when ``column`` is given)."""

    def edit(data: dict[str, Any]) -> None:
        target = field(data, table, column) if column else resource(data, table)
        target[key] = value

    return desc(edit)


def set_constraint(table: str, column: str, key: str, value: Any) -> Change:
    def edit(data: dict[str, Any]) -> None:
        field(data, table, column).setdefault("constraints", {})[key] = value

    return desc(edit)


def set_schema(table: str, key: str, value: Any) -> Change:
    def edit(data: dict[str, Any]) -> None:
        resource(data, table)["schema"][key] = value

    return desc(edit)


def both(*changes: Change) -> Change:
    def change(folder: Path) -> None:
        for c in changes:
            c(folder)

    return change


SECRET = "TOP-SECRET-OUTSIDE-THE-DATA-FOLDER"


def outside_file(folder: Path) -> Path:
    """A file beside the data folder whose content must never be read or shown."""
    secret = folder.parent / "outside.csv"
    secret.write_text(f"{SECRET}\n{SECRET}\n", encoding="utf-8")
    return secret


def symlink(name: str, target: Callable[[Path], Path | str]) -> Change:
    """Replace ``name`` in the data folder by a symbolic link to ``target(folder)``."""

    def change(folder: Path) -> None:
        link = folder / name
        goal = target(folder)
        if link.exists() or link.is_symlink():
            link.unlink()
        link.symlink_to(goal)

    return change


def fifo(name: str) -> Change:
    def change(folder: Path) -> None:
        (folder / name).unlink(missing_ok=True)
        os.mkfifo(folder / name)

    return change


def directory(name: str) -> Change:
    def change(folder: Path) -> None:
        (folder / name).unlink(missing_ok=True)
        (folder / name).mkdir()

    return change


def remove(name: str) -> Change:
    def change(folder: Path) -> None:
        (folder / name).unlink()

    return change


@dataclass(frozen=True)
class Case:
    """One hostile (or benign) input and the answer it must get."""

    id: str
    change: Change
    code: int
    message: str = ""  # a piece of the output (stdout + stderr); "" for a clean pass
    command: tuple[str, ...] = ("validate",)
    absent: str = SECRET  # must never appear in the output


# --- the corpus ----------------------------------------------------------------------------

OK = (0, "")
BIG_NOTE = " ".join(["Long note."] * 20_000)  # about 220 kB in one cell: no length limit unless maxLength


def _deep(folder: Path) -> None:
    (folder / "datapackage.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")


def _many_bad(folder: Path) -> None:
    rows = [[f"op-x{i}", "X", "1990", "1", "satellite", "", "", ""] for i in range(100)]
    add_rows("operators", rows)(folder)
    add_rows("operator_citations", [[r[0], "src-news-2022", ""] for r in rows])(folder)


def _descriptor_cases() -> list[Case]:
    dup = '"pattern": ".*",\n          "pattern": "^src-'
    return [
        Case("json-syntax", desc_text('{"name": "x",\n "resources": [}\n'), 1, "datapackage.json:2: key -"),
        Case("json-empty", desc_text(""), 1, "not valid JSON"),
        Case("json-not-utf8", desc_text(b'{"name": "\xff"}'), 1, "bytes are not valid UTF-8"),
        Case("json-top-level-array", desc_text("[]"), 1, "breaks the Data Package v1 profile"),
        Case("json-deep-nesting", _deep, 1, "not valid JSON: RecursionError"),
        Case("json-huge-number", desc_text('{"name": ' + "9" * 5000 + "}"), 1, "not valid JSON"),
        Case(
            "json-repeated-key",
            replace_in("datapackage.json", '"pattern": "^[a-z]+-', dup.replace("src-", "[a-z]+-", 1)),
            1,
            "key resources[0].schema.fields[0].constraints.pattern: value '': key repeated",
        ),
        Case(
            "json-bom-accepted",
            lambda f: (f / "datapackage.json").write_bytes(
                b"\xef\xbb\xbf" + (f / "datapackage.json").read_bytes()
            ),
            *OK,
        ),
        Case("descriptor-missing", remove("datapackage.json"), 2, "no datapackage.json in this folder"),
        Case("descriptor-directory", directory("datapackage.json"), 1, "not read: is a directory"),
        Case("descriptor-fifo", fifo("datapackage.json"), 1, "not read: is a named pipe (FIFO)"),
        Case(
            "descriptor-symlink-outside",
            symlink("datapackage.json", lambda f: outside_file(f)),
            1,
            "not read: path leads outside the data folder",
        ),
        Case(
            "profile-no-resources",
            desc(lambda d: d.pop("resources")),
            1,
            "must contain ['resources'] properties",
        ),
        Case(
            "profile-empty-resources", desc(lambda d: d.update(resources=[])), 1, "key resources: value '[]'"
        ),
        Case("profile-version-number", desc(lambda d: d.update(version=2)), 1, "key version: value '2'"),
        Case(
            "profile-bad-package-name",
            desc(lambda d: d.update(name="KZ Mini")),
            1,
            "key name: value 'KZ Mini'",
        ),
        Case("profile-resource-name", set_key("sources", "name", "Sources!"), 1, "key resources[0].name"),
        Case("profile-path-number", set_key("sources", "path", 7), 1, "key resources[0].path: value '7'"),
        Case(
            "profile-no-schema", desc(lambda d: resource(d, "sources").pop("schema")), 1, "key resources[0]"
        ),
        Case("profile-no-fields", set_schema("sources", "fields", []), 1, "resources[0].schema.fields"),
        Case(
            "profile-field-without-name",
            desc(lambda d: resource(d, "sources")["schema"]["fields"].append({"type": "string"})),
            1,
            "resources[0].schema.fields[7]",
        ),
        Case(
            "profile-misspelt-type",
            set_key("operators", "type", "intger", "founded_year"),
            1,
            "key resources[1].schema.fields[2].type: value 'intger': breaks the Data Package v1 profile",
        ),
        Case(
            "profile-required-not-bool",
            set_constraint("sources", "title", "required", "yes"),
            1,
            "constraints.required: value 'yes'",
        ),
        Case(
            "profile-maxlength-negative",
            set_constraint("sources", "title", "maxLength", -1),
            1,
            "constraints.maxLength: value '-1'",
        ),
        Case(
            "profile-maxlength-string",
            set_constraint("sources", "title", "maxLength", "200"),
            1,
            "constraints.maxLength: value '200'",
        ),
        Case("profile-enum-empty", set_constraint("sources", "language", "enum", []), 1, "constraints.enum"),
        Case(
            "profile-enum-repeated",
            set_constraint("sources", "language", "enum", ["en", "en"]),
            1,
            "constraints.enum",
        ),
        Case(
            "profile-minimum-bool",
            set_constraint("operators", "founded_year", "minimum", True),
            1,
            "a value of the wrong type (bool)",
        ),
        Case("profile-primary-key-number", set_schema("sources", "primaryKey", 3), 1, "schema.primaryKey"),
        Case(
            "profile-foreign-key-no-reference",
            set_schema("operator_citations", "foreignKeys", [{"fields": "operator_id"}]),
            1,
            "schema.foreignKeys[0]",
        ),
        Case(
            "profile-true-values-not-list",
            set_key("operators", "trueValues", "yes", "state_owned"),
            1,
            "trueValues",
        ),
    ]


def _path_cases() -> list[Case]:
    return [
        Case(
            "path-dotdot",
            set_key("sources", "path", "../outside.csv"),
            1,
            "key resources[0].path: value '../outside.csv': the path leaves the data folder (..)",
        ),
        Case(
            "path-dotdot-deep",
            set_key("sources", "path", "../../../../etc/passwd"),
            1,
            "leaves the data folder",
        ),
        Case("path-absolute", set_key("sources", "path", "/etc/passwd"), 1, "not absolute"),
        Case("path-dev-zero", set_key("sources", "path", "/dev/zero"), 1, "not absolute"),
        Case("path-home", set_key("sources", "path", "~/x.csv"), 1, "not absolute"),
        Case("path-windows-drive", set_key("sources", "path", "C:/x.csv"), 1, "forward slashes"),
        Case("path-backslash", set_key("sources", "path", "..\\outside.csv"), 1, "forward slashes"),
        Case("path-url", set_key("sources", "path", "https://example.org/x.csv"), 1, "forward slashes"),
        Case("path-nul", set_key("sources", "path", "sources.csv\x00x"), 1, "forward slashes"),
        Case("path-list", set_key("sources", "path", ["sources.csv", "more.csv"]), 1, "one file per table"),
        Case(
            "path-symlink-outside",
            symlink("sources.csv", lambda f: outside_file(f)),
            1,
            "the path leads outside the data folder (through a symbolic link)",
        ),
        Case(
            "path-symlink-dev-zero",
            symlink("sources.csv", lambda f: "/dev/zero"),
            1,
            "leads outside the data folder",
        ),
        Case(
            "path-symlink-loop",
            both(
                symlink("loop-a.csv", lambda f: f / "loop-b.csv"),
                symlink("loop-b.csv", lambda f: f / "loop-a.csv"),
                set_key("sources", "path", "loop-a.csv"),
            ),
            1,
            "resources[0].path",
        ),
        Case(
            "path-symlink-inside",
            both(
                lambda f: (f / "sources.csv").rename(f / "real-sources.csv"),
                symlink("sources.csv", lambda f: f / "real-sources.csv"),
            ),
            *OK,
        ),
        Case(
            "path-subfolder",
            both(
                lambda f: (f / "sub").mkdir(),
                lambda f: (f / "sources.csv").rename(f / "sub" / "sources.csv"),
                set_key("sources", "path", "sub/sources.csv"),
            ),
            *OK,
        ),
        Case(
            "path-directory",
            directory("sources.csv"),
            1,
            "sources.csv:0: column -: value '': not read: is a directory",
        ),
        Case("path-fifo", fifo("sources.csv"), 1, "not read: is a named pipe (FIFO), not a regular file"),
        Case(
            "path-missing-file",
            remove("indicators.csv"),
            1,
            "indicators.csv:0: column -: value '': file is missing",
        ),
        Case(
            "path-dangling-symlink", symlink("sources.csv", lambda f: f / "nowhere.csv"), 1, "file is missing"
        ),
    ]


def _rule_cases() -> list[Case]:
    def ref(fk: list[Any]) -> Change:
        return set_schema("operator_citations", "foreignKeys", fk)

    return [
        Case(
            "rule-resource-name-twice",
            set_key("operators", "name", "sources"),
            1,
            "key resources[1].name: value 'sources': resource name used twice",
        ),
        Case(
            "rule-field-name-twice",
            set_key("sources", "name", "title", "url"),
            1,
            "field name used twice in this resource",
        ),
        Case(
            "rule-type-not-checked",
            set_key("operators", "type", "year", "founded_year"),
            1,
            "type 'year' is not checked by kzlib",
        ),
        Case(
            "rule-type-geojson", set_key("operators", "type", "geojson", "notes"), 1, "not checked by kzlib"
        ),
        Case(
            "rule-unknown-constraint",
            set_constraint("sources", "title", "maxLenght", 10),
            1,
            "constraints.maxLenght: value '10': unknown constraint",
        ),
        Case(
            "rule-enum-on-integer",
            set_constraint("operators", "founded_year", "enum", ["1994"]),
            1,
            "kzlib checks enum on string fields only",
        ),
        Case(
            "rule-enum-not-strings",
            set_constraint("sources", "language", "enum", ["en", 2]),
            1,
            "enum values are non-empty trimmed strings",
        ),
        Case(
            "rule-pattern-invalid",
            set_constraint("sources", "source_id", "pattern", "^src-[a-z"),
            1,
            "pattern does not compile",
        ),
        Case(
            "rule-pattern-on-integer",
            set_constraint("operators", "founded_year", "pattern", "^1"),
            1,
            "pattern applies to strings only",
        ),
        Case(
            "rule-minimum-string",
            set_constraint("operators", "founded_year", "minimum", "1850"),
            1,
            "minimum of a integer field must be a integer",
        ),
        Case(
            "rule-minimum-fraction",
            set_constraint("operators", "founded_year", "minimum", 1850.5),
            1,
            "minimum of a integer field must be a integer",
        ),
        Case(
            "rule-minimum-on-string",
            set_constraint("sources", "title", "minimum", 3),
            1,
            "kzlib checks minimum on numbers only",
        ),
        Case(
            "rule-min-above-max",
            set_constraint("operators", "share_pct", "minimum", 200),
            1,
            "minimum is above maximum",
        ),
        Case(
            "rule-maxlength-on-integer",
            set_constraint("operators", "founded_year", "maxLength", 4),
            1,
            "kzlib checks maxLength on strings only",
        ),
        Case(
            "rule-true-values-on-string",
            set_key("sources", "trueValues", ["y"], "title"),
            1,
            "only boolean fields have trueValues",
        ),
        Case(
            "rule-true-and-false",
            set_key("operators", "falseValues", ["true", "no"], "state_owned"),
            1,
            "a value cannot be both true and false",
        ),
        Case(
            "rule-primary-key-missing-column",
            set_schema("sources", "primaryKey", ["source"]),
            1,
            "key resources[0].schema.primaryKey[0]: value 'source': no column 'source' in sources",
        ),
        Case(
            "rule-foreign-key-local-column",
            ref([{"fields": "op", "reference": {"resource": "operators", "fields": "operator_id"}}]),
            1,
            "no column 'op' in operator_citations",
        ),
        Case(
            "rule-foreign-key-unknown-resource",
            ref([{"fields": "operator_id", "reference": {"resource": "operatorz", "fields": "operator_id"}}]),
            1,
            "value 'operatorz': no such resource",
        ),
        Case(
            "rule-foreign-key-remote-column",
            ref([{"fields": "operator_id", "reference": {"resource": "operators", "fields": "id"}}]),
            1,
            "no column 'id' in operators",
        ),
        Case(
            "rule-foreign-key-count",
            ref(
                [
                    {
                        "fields": ["operator_id", "source_id"],
                        "reference": {"resource": "operators", "fields": "operator_id"},
                    }
                ]
            ),
            1,
            "differ in number",
        ),
        Case(
            "rule-precision-unknown-column",
            set_key("sources", "kz:precision", {"published": "published_precision"}),
            1,
            "no column 'published' in sources",
        ),
        Case(
            "rule-precision-not-date",
            set_key("sources", "kz:precision", {"title": "published_precision"}),
            1,
            "column 'title' is not a date or datetime",
        ),
        Case(
            "rule-precision-shape",
            set_key("sources", "kz:precision", ["published_date"]),
            1,
            "must map date columns to precision columns",
        ),
        Case(
            "rule-date-order-shape",
            set_key("legal_measures", "kz:dateOrder", ["adopted_date"]),
            1,
            "must be a list of [earlier, later] column pairs",
        ),
        Case(
            "rule-date-order-column",
            set_key("legal_measures", "kz:dateOrder", [["adopted_date", "title"]]),
            1,
            "column 'title' is not a date or datetime",
        ),
        Case(
            "rule-citations-resource",
            set_key("operators", "kz:citations", {"resource": "cites", "field": "operator_id"}),
            1,
            "value 'cites': no such resource",
        ),
        Case(
            "rule-citations-shape",
            set_key("operators", "kz:citations", "operator_citations"),
            1,
            "must be an object with exactly resource and field",
        ),
        Case(
            "rule-record-links-column",
            set_key("coverage_anchors", "kz:recordLinks", {"table": "table", "id": "record_id"}),
            1,
            "no column 'table' in coverage_anchors",
        ),
        Case(
            "rule-exactly-one-column",
            set_key("coverage_anchors", "kz:exactlyOne", [["record_id", "why"]]),
            1,
            "no column 'why' in coverage_anchors",
        ),
        Case(
            "rule-exactly-one-shape",
            set_key("coverage_anchors", "kz:exactlyOne", ["record_id"]),
            1,
            "must be a list of column groups",
        ),
        Case(
            "rule-unknown-extension",
            set_key("sources", "kz:precission", {}),
            1,
            "key resources[0].kz:precission: value '{}': unknown kzlib extension",
        ),
        Case(
            "rule-allow-future-not-bool",
            set_key("legal_measures", "kz:allowFuture", "yes", "effective_date"),
            1,
            "must be true or false",
        ),
        Case(
            "rule-allow-future-on-string",
            set_key("legal_measures", "kz:allowFuture", True, "title"),
            1,
            "only date and datetime fields have dates",
        ),
        Case(
            "rule-tabular-profile",
            desc(lambda d: resource(d, "sources").pop("profile")),
            1,
            "needs profile tabular-data-resource",
        ),
        Case(
            "rule-line-number",
            set_key("operators", "type", "year", "founded_year"),
            1,
            "datapackage.json:115: key resources[1].schema.fields[2].type",
        ),
    ]


def _value_cases() -> list[Case]:
    def op(column: str, value: str) -> Change:
        return cell("operators", 1, column, value)

    int_bad = "not an integer (ASCII digits"
    num_bad = "not a number (ASCII digits"
    cases = [
        Case(
            f"integer-{label}",
            op("founded_year", v),
            1,
            f"operators.csv:2: column founded_year: value '{v}': {rule}",
        )
        for label, v, rule in [
            ("underscore", "19_94", int_bad),
            ("arabic-indic", "\u0661\u0669\u0669\u0664", int_bad),
            ("fullwidth", "\uff11\uff19\uff19\uff14", int_bad),
            ("plus", "+1994", int_bad),
            ("decimal", "1994.0", int_bad),
            ("exponent", "2e3", int_bad),
            ("word", "nineteen", int_bad),
            ("space-inside", "19 94", int_bad),
            ("twenty-digits", "12345678901234567890", "integer outside the 64-bit range"),
            ("below-minimum", "1200", "below the minimum 1850"),
            ("above-maximum", "2200", "above the maximum 2100"),
        ]
    ]
    cases += [
        Case(f"number-{label}", op("share_pct", v), 1, f"column share_pct: value '{v}': {rule}")
        for label, v, rule in [
            ("underscore", "5_5", num_bad),
            ("arabic-indic", "\u0665\u0665", num_bad),
            ("comma", "55,5", num_bad),
            ("nan", "NaN", "not a finite number"),
            ("inf", "INF", "not a finite number"),
            ("minus-inf", "-inf", "not a finite number"),
            ("infinity", "Infinity", "not a finite number"),
            ("overflow", "1e999", "not a finite number (too large)"),
            ("hex", "0x10", num_bad),
            ("percent", "55%", num_bad),
            ("negative", "-1", "below the minimum 0"),
        ]
    ]
    cases += [
        Case(f"number-ok-{label}", op("share_pct", v), *OK)
        for label, v in [("fraction", ".5"), ("exponent", "5e1"), ("integer", "55"), ("trailing-dot", "55.")]
    ]
    cases += [
        Case(
            "integer-ok-int64-edge",
            both(
                set_constraint("operators", "founded_year", "minimum", -(2**63)),
                set_constraint("operators", "founded_year", "maximum", 2**63 - 1),
                op("founded_year", str(2**63 - 1)),
            ),
            *OK,
        ),
        Case(
            "integer-int64-overflow",
            both(
                set_constraint("operators", "founded_year", "maximum", 2**63 - 1),
                op("founded_year", str(2**63)),
            ),
            1,
            "integer outside the 64-bit range",
        ),
    ]
    date_cases = [
        ("month-13", "2022-13-05", "not a real calendar date"),
        ("february-30", "2022-02-30", "not a real calendar date"),
        ("slashes", "05/01/2022", "not a date in YYYY-MM-DD form"),
        ("short", "2022-1-5", "not a date in YYYY-MM-DD form"),
        ("fullwidth", "\uff12\uff10\uff12\uff12-01-05", "not a date in YYYY-MM-DD form"),
        ("with-time", "2022-01-05T00:00", "not a date in YYYY-MM-DD form"),
        ("far-future", "2999-01-05", "is after today"),
    ]
    cases += [
        Case(
            f"date-{label}",
            cell("incidents", 1, "start_date", v),
            1,
            f"column start_date: value '{v}': {rule}",
        )
        for label, v, rule in date_cases
    ]
    cases += [
        Case(
            "date-future-published",
            cell("sources", 1, "published_date", "2998-01-01"),
            1,
            "sources.csv:2: column published_date: value '2998-01-01': is after today",
        ),
        Case(
            "date-future-accessed",
            cell("sources", 1, "accessed_date", "2998-01-01"),
            1,
            "column accessed_date: value '2998-01-01': is after today",
        ),
        Case("date-future-allowed", cell("legal_measures", 2, "effective_date", "2998-01-01"), *OK),
        Case(
            "datetime-space",
            cell("incidents", 1, "start_utc", "2022-01-05 11:00:00"),
            1,
            "not a UTC datetime in YYYY-MM-DDThh:mm:ssZ form",
        ),
        Case(
            "datetime-no-zone",
            cell("incidents", 1, "start_utc", "2022-01-05T11:00:00"),
            1,
            "not a UTC datetime",
        ),
        Case(
            "datetime-offset",
            cell("incidents", 1, "start_utc", "2022-01-05T11:00:00+06:00"),
            1,
            "not a UTC datetime",
        ),
        Case(
            "datetime-hour-25",
            cell("incidents", 1, "start_utc", "2022-01-05T25:00:00Z"),
            1,
            "not a real date and time",
        ),
        Case("datetime-future", cells("incidents", 1, end_utc="2999-01-01T00:00:00Z"), 1, "is after today"),
        Case(
            "datetime-hour-precision",
            cell("incidents", 1, "start_utc", "2022-01-05T11:30:00Z"),
            1,
            "an hour-precise time must be stored with minutes and seconds 00",
        ),
        Case(
            "datetime-minute-precision",
            cell("incidents", 1, "end_utc", "2022-01-10T08:30:15Z"),
            1,
            "a minute-precise time must be stored with seconds 00",
        ),
        Case(
            "datetime-order",
            cells("incidents", 1, end_utc="2022-01-04T08:30:00Z"),
            1,
            "column end_utc: value '2022-01-04T08:30:00Z': is before start_utc (2022-01-05T11:00:00Z)",
        ),
        Case(
            "datetime-same-hour-coarser-end",
            cells(
                "incidents",
                1,
                end_utc="2022-01-05T11:00:00Z",
                end_utc_precision="hour",
                start_utc="2022-01-05T11:20:00Z",
                start_utc_precision="minute",
            ),
            1,
            "give end_utc at least as precisely as start_utc",
        ),
        Case(
            "boolean-yes",
            cell("operators", 1, "state_owned", "yes"),
            1,
            "value 'yes': not a boolean: use false or true (or empty for unknown)",
        ),
        Case("boolean-capital", cell("operators", 1, "state_owned", "True"), 1, "not a boolean"),
        Case(
            "enum-unknown",
            cell("operators", 1, "segment", "satellite"),
            1,
            "value 'satellite': not one of the allowed values: mobile, fixed, backbone",
        ),
        Case("enum-case", cell("operators", 1, "segment", "Mobile"), 1, "not one of the allowed values"),
        Case("enum-over-127-values-loads", cell("incidents", 2, "tag", "tag-199"), *OK),
        Case("pattern-id", cell("operators", 1, "operator_id", "OP Alpha"), 1, "does not match the pattern"),
        Case(
            "pattern-url",
            cell("sources", 1, "url", "www.example.org"),
            1,
            "value 'www.example.org': does not match the pattern ^https?://\\S+$",
        ),
        Case("max-length", cell("operators", 1, "name", "x" * 81), 1, "longer than 80 characters (81)"),
        Case("required-missing", cell("operators", 1, "name", ""), 1, "value '': required value is missing"),
        Case(
            "whitespace-leading",
            cell("operators", 1, "name", " Alpha"),
            1,
            "has leading or trailing whitespace",
        ),
        Case(
            "whitespace-nbsp",
            cell("operators", 1, "name", "Alpha\u00a0"),
            1,
            "has leading or trailing whitespace",
        ),
        Case(
            "unique-repeated",
            cell("operators", 2, "code", "A1"),
            1,
            "operators.csv:3: column code: value 'A1': duplicate in a unique column (first at line 2)",
        ),
    ]
    invisible = [
        ("nul", "\x00", "\\u0000"),
        ("zero-width-space", "\u200b", "\\u200b"),
        ("bom-inside", "\ufeff", "\\ufeff"),
        ("right-to-left-override", "\u202e", "\\u202e"),
        ("left-to-right-mark", "\u200e", "\\u200e"),
        ("escape", "\x1b", "\\u001b"),
        ("bell", "\x07", "\\u0007"),
        ("word-joiner", "\u2060", "\\u2060"),
        ("soft-hyphen", "\u00ad", "\\u00ad"),
        ("isolate", "\u2066", "\\u2066"),
        ("tag-character", "\U000e0041", "\\U000e0041"),
        ("c1-control", "\x85", "\\u0085"),
        ("delete", "\x7f", "\\u007f"),
    ]
    cases += [
        Case(
            f"invisible-{label}",
            cell("operators", 1, "notes", f"Fine{ch}text"),
            1,
            f"value 'Fine{shown}text': contains an invisible or control character ({shown})",
        )
        for label, ch, shown in invisible
    ]
    cases += [
        Case("text-newline-allowed", cell("operators", 1, "notes", "First.\nSecond."), *OK),
        Case("text-tab-allowed", cell("operators", 1, "notes", "a\tb"), *OK),
        Case("text-kazakh-allowed", cell("operators", 1, "notes", "Қазақстан, Казахстан"), *OK),
        Case("text-emoji-allowed", cell("operators", 1, "notes", "signal 📶"), *OK),
        Case("text-200kb-note", cell("operators", 1, "notes", BIG_NOTE), *OK),
        Case(
            "text-200kb-in-limited-field",
            cell("sources", 1, "title", BIG_NOTE),
            1,
            "longer than 200 characters",
        ),
        Case("errors-capped", _many_bad, 1, "column segment: ... and 80 more: not one of the allowed values"),
    ]
    return cases


def _csv_cases() -> list[Case]:
    head = csv_text(TABLES["sources"][:2])
    return [
        Case(
            "csv-unbalanced-quote",
            raw_text(
                "sources",
                head + 'src-x,"Unclosed title,,,,2026-11-30,en\n' + csv_text(TABLES["sources"][2:]),
                "w",
            ),
            1,
            "sources.csv:3: column -: value '': malformed CSV record (a quoted cell",
        ),
        Case(
            "csv-unbalanced-quote-no-cascade",
            raw_text("sources", head + 'src-x,"Unclosed\n' + csv_text(TABLES["sources"][2:])),
            1,
            "1 problem in the data package",
        ),
        Case(
            "csv-quote-inside-unquoted-cell-is-text",
            raw_text("sources", head + 'src-y,Ti"tle",,,,2026-11-30,en\n' + csv_text(TABLES["sources"][2:])),
            *OK,
        ),
        Case(
            "csv-text-after-quote",
            raw_text("sources", head + 'src-y,"Title"x,,,,2026-11-30,en\n'),
            1,
            "sources.csv:3: column -: value '': malformed CSV record",
        ),
        Case(
            "csv-ragged-long",
            add_rows("operator_citations", [["op-alpha", "src-news-2022", "x", "extra"]]),
            1,
            "operator_citations.csv:5: column -: value 'op-alpha,src-news-2022,x,extra': record has 4 cells",
        ),
        Case(
            "csv-ragged-short",
            add_rows("sources", [["src-short", "Short"]]),
            1,
            "record has 2 cells; the header has 7",
        ),
        Case(
            "csv-ragged-no-cascade",
            raw_text(
                "operators",
                csv_text([TABLES["operators"][0], ["op-alpha", "Alpha"], *TABLES["operators"][2:]]),
            ),
            1,
            "1 problem in the data package",
        ),
        Case(
            "csv-header-renamed",
            replace_in("operators.csv", "founded_year", "founded"),
            1,
            "operators.csv:1: column -: value 'operator_id,name,founded,",
        ),
        Case(
            "csv-header-order",
            replace_in("operator_citations.csv", "operator_id,source_id", "source_id,operator_id"),
            1,
            "columns out of order or repeated",
        ),
        Case(
            "csv-header-no-cascade",
            replace_in("operators.csv", "founded_year", "founded"),
            1,
            "1 problem in the data package",
        ),
        Case(
            "csv-empty-file",
            raw_text("sources", ""),
            1,
            "sources.csv:1: column -: value '': file has no header row",
        ),
        Case("csv-header-only", raw_text("coverage_anchors", csv_text(TABLES["coverage_anchors"][:1])), *OK),
        Case(
            "csv-invalid-utf8",
            lambda f: (f / "operators.csv").write_bytes(
                (f / "operators.csv").read_bytes().replace(b"Alpha", b"Al\xffpha")
            ),
            1,
            "operators.csv:2: column -: value 'ff': bytes are not valid UTF-8",
        ),
        Case(
            "csv-latin1",
            lambda f: (f / "operators.csv").write_bytes(
                (f / "operators.csv").read_bytes().replace(b"Second", "S\u00e9cond".encode("latin-1"))
            ),
            1,
            "bytes are not valid UTF-8",
        ),
        Case(
            "csv-utf16",
            lambda f: (f / "operators.csv").write_bytes(
                (f / "operators.csv").read_text(encoding="utf-8").encode("utf-16")
            ),
            1,
            "bytes are not valid UTF-8",
        ),
        Case(
            "csv-bom-crlf-ok",
            lambda f: (f / "operators.csv").write_bytes(
                b"\xef\xbb\xbf" + (f / "operators.csv").read_bytes().replace(b"\n", b"\r\n")
            ),
            *OK,
        ),
        Case("csv-blank-lines-ok", raw_text("operators", "\n\n", "a"), *OK),
        Case(
            "csv-quoted-newline-line-numbers",
            both(cell("operators", 1, "notes", "one\ntwo\nthree"), cell("operators", 2, "segment", "bad")),
            1,
            "operators.csv:5: column segment: value 'bad'",
        ),
        Case(
            "csv-nul-byte",
            lambda f: (f / "operators.csv").write_bytes(
                (f / "operators.csv").read_bytes().replace(b"Second", b"Sec\x00ond")
            ),
            1,
            "\\u0000",
        ),
        Case(
            "csv-binary-garbage",
            lambda f: (f / "operators.csv").write_bytes(bytes(range(256)) * 10),
            1,
            "bytes are not valid UTF-8",
        ),
        Case("csv-huge-field-no-limit", cell("incidents", 1, "summary", "x" * 300_000), *OK),
    ]


def _table_rule_cases() -> list[Case]:
    return [
        Case(
            "primary-key-duplicate",
            add_rows("operators", [TABLES["operators"][1]]),
            1,
            "operators.csv:5: column operator_id: value 'op-alpha': duplicate primary key (first at line 2)",
        ),
        Case(
            "primary-key-composite-duplicate",
            add_rows("indicators", [TABLES["indicators"][1]]),
            1,
            "column indicator+country+year: value 'internet_users_pct|KAZ|2021': duplicate primary key",
        ),
        Case(
            "foreign-key-missing",
            cell("operator_citations", 1, "source_id", "src-nowhere"),
            1,
            "operator_citations.csv:2: column source_id: value 'src-nowhere': not found in sources.source_id",
        ),
        Case("foreign-key-optional-empty", cell("incidents", 1, "measure_id", ""), *OK),
        Case(
            "foreign-key-missing-measure",
            cell("incidents", 1, "measure_id", "lm-1800-none"),
            1,
            "value 'lm-1800-none': not found in legal_measures.measure_id",
        ),
        Case(
            "citation-missing",
            raw_text("operator_citations", csv_text(TABLES["operator_citations"][:3])),
            1,
            "operators.csv:4: column operator_id: value 'op-gamma': record is not cited: add a row to "
            "operator_citations.csv",
        ),
        Case(
            "record-link-missing",
            cell("coverage_anchors", 1, "record_id", "inc-0000-none"),
            1,
            "coverage_anchors.csv:2: column record_id: value 'inc-0000-none': no such record in incidents",
        ),
        Case(
            "record-link-composite-missing",
            cell("coverage_anchors", 2, "record_id", "internet_users_pct/KAZ/1990"),
            1,
            "no such record in indicators",
        ),
        Case(
            "record-link-unknown-table",
            both(
                set_constraint("coverage_anchors", "record_table", "enum", ["incidents", "nowhere"]),
                cell("coverage_anchors", 1, "record_table", "nowhere"),
            ),
            1,
            "column record_table: value 'nowhere': no such table",
        ),
        Case(
            "exactly-one-both",
            cell("coverage_anchors", 1, "reason", "Also a reason"),
            1,
            "coverage_anchors.csv:2: column record_id+reason: value 'inc-2022-01-05-blackout|Also a reason': "
            "exactly one of record_id, reason must be filled (2 are)",
        ),
        Case(
            "exactly-one-none",
            cell("coverage_anchors", 3, "reason", ""),
            1,
            "exactly one of record_id, reason must be filled (none is)",
        ),
        Case(
            "date-order-end-before-start",
            cells("incidents", 1, end_date="2021-01-01"),
            1,
            "column end_date: value '2021-01-01': is before start_date (2022-01-05)",
        ),
        Case(
            "date-order-month-end-before-day-start",
            cells("incidents", 2, end_date="2011-12-01", end_precision="month"),
            1,
            "incidents.csv:3: column end_date: value '2011-12-01': a month-precise end_date is stored as the "
            "start of its month, which sorts before start_date (2011-12-16, day): give end_date at least as "
            "precisely as start_date",
        ),
        Case(
            "date-order-month-end-before-month",
            cells("incidents", 2, end_date="2011-11-01", end_precision="month"),
            1,
            "is before start_date (2011-12-16)",
        ),
        Case(
            "date-order-year-end-same-year",
            cells("incidents", 2, end_date="2011-01-01", end_precision="year"),
            1,
            "a year-precise end_date is stored as the start of its year",
        ),
        Case(
            "date-order-same-month-ok",
            both(
                cells(
                    "incidents",
                    2,
                    start_date="2011-12-01",
                    start_precision="month",
                    end_date="2011-12-01",
                    end_precision="month",
                )
            ),
            *OK,
        ),
        Case(
            "date-order-coarse-start-ok",
            cells("incidents", 3, end_date="2016-05-20", end_precision="day"),
            *OK,
        ),
        Case(
            "date-order-legal-measures",
            cells("legal_measures", 1, effective_date="2015-01-01", effective_precision="year"),
            1,
            "column effective_date: value '2015-01-01': is before adopted_date (2016-01-01)",
        ),
        Case(
            "precision-month-not-first",
            cells("incidents", 3, start_date="2016-05-07"),
            1,
            "value '2016-05-07': a month-precise date must be stored as the month's first day",
        ),
        Case(
            "precision-year-not-january",
            cells("legal_measures", 1, adopted_date="2016-03-01"),
            1,
            "a year-precise date must be stored as 1 January",
        ),
        Case(
            "precision-missing",
            cell("incidents", 1, "start_precision", ""),
            1,
            "column start_precision: value '': precision is required when start_date is set",
        ),
        Case(
            "precision-without-date",
            cell("incidents", 3, "end_precision", "day"),
            1,
            "column end_precision: value 'day': precision given but end_date is empty",
        ),
        Case(
            "precision-unknown",
            cell("incidents", 1, "start_precision", "week"),
            1,
            "not one of the allowed values: day, month, year",
        ),
        Case(
            "malformed-table-no-foreign-key-cascade",
            raw_text("sources", csv_text(TABLES["sources"][:2]) + '"src-news-2022,"x\n'),
            1,
            "1 problem in the data package",
        ),
        Case("missing-table-no-cascade", remove("sources.csv"), 1, "1 problem in the data package"),
    ]


def _cli_cases() -> list[Case]:
    nothing: Change = lambda f: None  # noqa: E731
    broken = desc_text("{")
    return [
        Case("cli-list", nothing, 0, "operator_citations", ("list",)),
        Case("cli-describe", nothing, 0, "tag [string] one of: tag-000", ("describe", "incidents")),
        Case("cli-describe-unknown", nothing, 2, "unknown dataset 'incident'", ("describe", "incident")),
        Case(
            "cli-list-broken-descriptor",
            broken,
            1,
            "datapackage.json:1: key -: value '': not valid JSON",
            ("list",),
        ),
        Case("cli-describe-broken-descriptor", broken, 1, "not valid JSON", ("describe", "incidents")),
        Case("cli-docs-broken-descriptor", broken, 1, "not valid JSON", ("docs",)),
        Case(
            "cli-list-no-descriptor",
            remove("datapackage.json"),
            2,
            "no datapackage.json in this folder",
            ("list",),
        ),
        Case(
            "cli-docs-no-descriptor",
            remove("datapackage.json"),
            2,
            "no datapackage.json",
            ("docs", "--check"),
        ),
        Case("cli-docs-check-stale", nothing, 1, "is stale: run `kzlib docs`", ("docs", "--check")),
        Case("cli-docs-write", nothing, 0, "wrote", ("docs",)),
        Case("cli-list-unsafe-path", set_key("sources", "path", "/etc/passwd"), 1, "not absolute", ("list",)),
        Case("cli-unknown-option", nothing, 2, "unrecognized arguments: --bogus", ("validate", "--bogus")),
    ]


CASES: list[Case] = [
    *_descriptor_cases(),
    *_path_cases(),
    *_rule_cases(),
    *_value_cases(),
    *_csv_cases(),
    *_table_rule_cases(),
    *_cli_cases(),
]
