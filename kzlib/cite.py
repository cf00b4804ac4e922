"""Turn record ids into references a reader can follow."""

from __future__ import annotations

import os

import pandas as pd

from .loading import load, package
from .references import FORMATS, Reference, package_reference, render, source_references

#: id prefix -> (citation table, key column)
_CITATION_TABLES = {
    "op-": ("operator_citations", "operator_id"),
    "lm-": ("measure_citations", "measure_id"),
    "inc-": ("incident_citations", "incident_id"),
    "rx-": ("reaction_citations", "reaction_id"),
    "seed-": ("seed_claim_citations", "claim_id"),
}


def _reference(src: pd.Series) -> str:
    date = ""
    if pd.notna(src["published_date"]):
        fmt = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}[src["published_precision"]]
        date = f" ({src['published_date'].strftime(fmt)})"
    authors = f"{src['authors']}. " if pd.notna(src["authors"]) else ""
    accessed = src["accessed_date"].strftime("%Y-%m-%d")
    return f"{authors}{src['title']}{date}. {src['publisher']}. {src['url']} (accessed {accessed})"


def cite(
    record_id: str | int | None = None,
    data: str | os.PathLike[str] | None = None,
    format: str = "text",
) -> str:
    """References for a record, a source, or (with no id) the data package itself.

    Args:
        record_id: ``src-...``, ``op-...``, ``lm-...``, ``inc-...``, ``rx-...``, ``seed-...`` or an
            ASN (int or ``"AS9198"``); ``None`` for the package.
        format: ``"text"`` (readable references, with what each source supports),
            ``"bibtex"`` or ``"csl-json"`` (one entry per source the record cites, for
            LaTeX, Zotero or pandoc; see :mod:`kzlib.references`).

    Raises:
        KeyError: no such record, or it has no citation.
        ValueError: an unknown format.

    Example:
        >>> import kzlib
        >>> print(kzlib.cite())                      # doctest: +ELLIPSIS
        kz-internet contributors. kz-internet: ... data package version ...
        >>> print(kzlib.cite("src-wikipedia-kz", format="bibtex"))   # doctest: +ELLIPSIS
        @misc{src-wikipedia-kz,
            title = "{.kz}",
            howpublished = "Wikipedia",
        ...
    """
    if format not in ("text", *FORMATS):
        raise ValueError(f"unknown format {format!r}: use text, {', '.join(FORMATS)}")
    if format != "text":
        return render(_references(record_id, data), format)
    pkg = package(data)
    if record_id is None:
        return (
            f"kz-internet contributors. {pkg.title}, data package version {pkg.version}. "
            "Data licensed CC BY 4.0; cite the original sources listed in sources.csv too."
        )
    sources = load("sources", data).set_index("source_id")
    rid = str(record_id)
    if rid.startswith("src-"):
        if rid not in sources.index:
            raise KeyError(f"no source {rid!r} in sources.csv")
        return _reference(sources.loc[rid])
    rows = _citations(rid, data)
    lines = [f"{rid}:"]
    for n, row in enumerate(rows.itertuples(index=False), 1):
        lines.append(f"  [{n}] {_reference(sources.loc[row.source_id])}")
        lines.append(f"      supports: {row.locator}")
    return "\n".join(lines)


def _citations(rid: str, data: str | os.PathLike[str] | None) -> pd.DataFrame:
    """The citation rows (``source_id``, ``locator``) of a non-source record id."""
    if rid.upper().removeprefix("AS").isdigit():
        table, key, value = "asn_citations", "asn", int(rid.upper().removeprefix("AS"))
    else:
        prefix = next((p for p in _CITATION_TABLES if rid.startswith(p)), None)
        if prefix is None:
            raise KeyError(f"{rid!r} is not a record id (src-, op-, lm-, inc-, rx-, seed- or an ASN)")
        table, key = _CITATION_TABLES[prefix]
        value = rid
    rows = load(table, data)
    rows = rows[rows[key] == value]
    if rows.empty:
        raise KeyError(f"no citation for {rid!r} in {table}.csv")
    return rows


def _references(record_id: str | int | None, data: str | os.PathLike[str] | None) -> list[Reference]:
    """The package (no id), one source (``src-``), or the sources a record cites, in citation order."""
    if record_id is None:
        return [package_reference(data)]
    rid = str(record_id)
    ids = [rid] if rid.startswith("src-") else list(_citations(rid, data)["source_id"])
    return source_references(load("sources", data), ids)
