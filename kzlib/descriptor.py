"""Read the Frictionless descriptor (``data/datapackage.json``) into small typed objects."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .paths import data_dir


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
    max_length: int | None = None
    true_values: tuple[str, ...] = ("true",)
    false_values: tuple[str, ...] = ("false",)

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

    def resource(self, name: str) -> Resource:
        for r in self.resources:
            if r.name == name:
                return r
        known = ", ".join(r.name for r in self.resources)
        raise KeyError(f"unknown dataset {name!r}; known datasets: {known}")

    @property
    def names(self) -> list[str]:
        return [r.name for r in self.resources]


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
        max_length=c.get("maxLength"),
        true_values=tuple(raw.get("trueValues", ["true"])),
        false_values=tuple(raw.get("falseValues", ["false"])),
    )


def _resource(raw: dict[str, Any]) -> Resource:
    schema = raw["schema"]
    pk = schema.get("primaryKey", [])
    fks = tuple(
        ForeignKey(
            fields=tuple(_as_list(fk["fields"])),
            resource=fk["reference"]["resource"] or raw["name"],
            reference_fields=tuple(_as_list(fk["reference"]["fields"])),
        )
        for fk in schema.get("foreignKeys", [])
    )
    cites = raw.get("kz:citations")
    return Resource(
        name=raw["name"],
        path=raw["path"],
        title=raw.get("title", raw["name"]),
        description=raw.get("description", ""),
        fields=tuple(_field(f) for f in schema["fields"]),
        primary_key=tuple(_as_list(pk)),
        foreign_keys=fks,
        precision=dict(raw.get("kz:precision", {})),
        date_order=tuple((a, b) for a, b in raw.get("kz:dateOrder", [])),
        citations=(cites["resource"], cites["field"]) if cites else None,
    )


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


@cache
def _read(path: Path, mtime_ns: int) -> Package:
    raw = json.loads(path.read_text(encoding="utf-8"))
    return Package(
        name=raw["name"],
        title=raw.get("title", raw["name"]),
        version=raw["version"],
        resources=tuple(_resource(r) for r in raw["resources"]),
        directory=path.parent,
    )


def read_package(directory: Path) -> Package:
    """Parse ``directory/datapackage.json`` (cached until the file changes)."""
    path = directory / "datapackage.json"
    return _read(path, path.stat().st_mtime_ns)


def list_datasets(data: str | os.PathLike[str] | None = None) -> list[str]:
    """Names of the tables in the data package, in descriptor order.

    Example:
        >>> import kzlib
        >>> "incidents" in kzlib.list_datasets()
        True
    """
    return read_package(data_dir(data)).names
