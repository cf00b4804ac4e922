"""Sources as BibTeX (biblatex) and CSL-JSON entries, for LaTeX, Zotero, pandoc and the like.

Every row of ``sources.csv`` becomes one entry whose key is its ``source_id``; the data
package itself is one more entry, keyed by the package name. Dates keep the precision the
data records (day, month or year): a month-precise source is ``2011-12`` in BibTeX and
``[[2011, 12]]`` in CSL-JSON, never an invented first of the month.

Authors are written as the source prints them, as literal names (``{Katy Pearce}`` in
BibTeX, ``{"literal": "Katy Pearce"}`` in CSL-JSON): the sources name people and
organisations alike, and guessing which word is a family name would mangle the second.

BibTeX follows biblatex conventions (``date`` and ``urldate`` in ISO form, which biber,
Zotero and JabRef read); the entry types are ones classic BibTeX knows too.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: the export formats ``kzlib bib`` and ``kzlib cite --format`` accept
FORMATS = ("bibtex", "csl-json")

#: source_type -> (BibTeX entry type, field that names the publisher, CSL type)
_TYPES: dict[str, tuple[str, str, str]] = {
    "news": ("article", "journal", "article-newspaper"),
    "ngo_report": ("techreport", "institution", "report"),
    "official_document": ("misc", "howpublished", "document"),
    "legal_text": ("misc", "howpublished", "legislation"),
    "academic": ("misc", "howpublished", "article"),
    "dataset": ("misc", "howpublished", "dataset"),
    "measurement": ("misc", "howpublished", "dataset"),
    "encyclopedia": ("misc", "howpublished", "entry-encyclopedia"),
    "package": ("misc", "howpublished", "dataset"),
}
#: CSL types whose publisher is the periodical or work the item appears in
_CONTAINED = {"article-newspaper", "entry-encyclopedia"}
#: BibTeX fields written as they are (biblatex reads them verbatim)
_VERBATIM = {"url", "urldate", "date"}
#: BibTeX fields wrapped in braces so that styles keep their capitals (Kazakhstan, OONI)
_CASE_PROTECTED = {"title"}


@dataclass(frozen=True)
class Reference:
    """One citable item: a source of the data, or the data package itself.

    ``date`` is stored as the data stores it (month-precise as the 1st, year-precise as
    1 January); ``precision`` says how much of it is known.
    """

    key: str
    kind: str
    title: str
    publisher: str | None = None
    authors: tuple[str, ...] = ()
    date: dt.date | None = None
    precision: str | None = None
    url: str | None = None
    accessed: dt.date | None = None
    language: str | None = None
    version: str | None = None

    def date_parts(self) -> list[int]:
        """``[year]``, ``[year, month]`` or ``[year, month, day]``, as precise as known.

        Example:
            >>> Reference("k", "news", "t", date=dt.date(2011, 12, 1), precision="month").date_parts()
            [2011, 12]
        """
        if self.date is None:
            return []
        parts = [self.date.year, self.date.month, self.date.day]
        return parts[: {"year": 1, "month": 2}.get(self.precision or "day", 3)]

    def iso_date(self) -> str | None:
        """The date in ISO form at its precision: ``2019``, ``2019-11`` or ``2019-11-06``."""
        parts = self.date_parts()
        return "-".join(f"{p:04d}" if i == 0 else f"{p:02d}" for i, p in enumerate(parts)) or None


def source_references(sources: Any, ids: Iterable[str] | None = None) -> list[Reference]:
    """References for the rows of the typed ``sources`` table, in ``ids`` order (default: all, by id).

    Raises ``KeyError`` for an id that is not in the table.
    """
    import pandas as pd

    table = sources.set_index("source_id")
    wanted = sorted(table.index) if ids is None else list(dict.fromkeys(ids))
    refs = []
    for sid in wanted:
        if sid not in table.index:
            raise KeyError(f"no source {sid!r} in sources.csv")
        row = table.loc[sid]

        def text(column: str, row: Any = row) -> str | None:
            value = row[column]
            return None if pd.isna(value) else str(value)

        published = row["published_date"]
        refs.append(
            Reference(
                key=str(sid),
                kind=str(row["source_type"]),
                title=str(row["title"]),
                publisher=text("publisher"),
                authors=tuple(a.strip() for a in (text("authors") or "").split(";") if a.strip()),
                date=None if pd.isna(published) else published.date(),
                precision=text("published_precision"),
                url=text("url"),
                accessed=row["accessed_date"].date(),
                language=text("language"),
            )
        )
    return refs


def package_reference(data: str | os.PathLike[str] | None = None) -> Reference:
    """The data package as one reference, from ``datapackage.json`` and ``CITATION.cff``.

    The release date comes from the clone's ``CITATION.cff`` when it describes the same
    version as the descriptor; otherwise the entry carries no date.

    Example:
        >>> ref = package_reference()
        >>> ref.key, ref.kind
        ('kz-internet', 'package')
    """
    from .paths import data_dir

    directory = data_dir(data)
    raw = json.loads((directory / "datapackage.json").read_text(encoding="utf-8"))
    authors = tuple(
        c["title"]
        for c in raw.get("contributors", [])
        if c.get("role", "author") == "author" and c.get("title")
    )
    version = str(raw.get("version", "")) or None
    released = _release_date(directory.parent / "CITATION.cff", version)
    return Reference(
        key=str(raw["name"]),
        kind="package",
        title=str(raw.get("title") or raw["name"]),
        authors=authors,
        date=released,
        precision="day" if released else None,
        version=version,
    )


def _release_date(cff: Path, version: str | None) -> dt.date | None:
    """``date-released`` of ``CITATION.cff`` if the file describes ``version``."""
    if not cff.is_file():
        return None
    import yaml

    meta = yaml.safe_load(cff.read_text(encoding="utf-8")) or {}
    released = meta.get("date-released")
    if str(meta.get("version")) != version or released is None:
        return None
    return released if isinstance(released, dt.date) else dt.date.fromisoformat(str(released))


def csl_item(ref: Reference) -> dict[str, Any]:
    """One CSL-JSON item (https://citationstyles.org, schema csl-data.json).

    Example:
        >>> ref = Reference("src-x", "news", "Title", "24.kg", date=dt.date(2019, 1, 1), precision="year")
        >>> csl_item(ref)["issued"]
        {'date-parts': [[2019]]}
    """
    csl_type = _TYPES[ref.kind][2]
    item: dict[str, Any] = {"id": ref.key, "type": csl_type, "title": ref.title}
    if ref.authors:
        item["author"] = [{"literal": name} for name in ref.authors]
    if ref.date_parts():
        item["issued"] = {"date-parts": [ref.date_parts()]}
    if ref.publisher:
        item["publisher"] = ref.publisher
        if csl_type in _CONTAINED:
            item["container-title"] = ref.publisher
    if ref.url:
        item["URL"] = ref.url
    if ref.accessed:
        item["accessed"] = {"date-parts": [[ref.accessed.year, ref.accessed.month, ref.accessed.day]]}
    if ref.language:
        item["language"] = ref.language
    if ref.version:
        item["version"] = ref.version
    return item


def to_csl_json(refs: Sequence[Reference]) -> str:
    """A CSL-JSON array of ``refs``, in order, as text (UTF-8, two-space indent, final newline)."""
    return json.dumps([csl_item(r) for r in refs], ensure_ascii=False, indent=2) + "\n"


def to_bibtex(refs: Sequence[Reference]) -> str:
    """BibTeX entries for ``refs``, in order, written by pybtex.

    Text fields are LaTeX-escaped (``&`` becomes ``\\&``); ``url``, ``urldate`` and
    ``date`` are written verbatim; titles are braced so that styles keep their capitals.

    Example:
        >>> ref = Reference("src-x", "news", "OONI & Kazakhstan", "24.kg", url="https://x.kz/a_b")
        >>> print(to_bibtex([ref]))
        @article{src-x,
            title = "{OONI \\& Kazakhstan}",
            journal = "24.kg",
            url = "https://x.kz/a_b"
        }
        <BLANKLINE>
    """
    from pybtex.database import BibliographyData, Entry, Person

    entries = []
    for ref in refs:
        entry_type, publisher_field, _ = _TYPES[ref.kind]
        fields = [("title", ref.title)]
        if ref.publisher:
            fields.append((publisher_field, ref.publisher))
        if ref.kind == "ngo_report":
            fields.append(("type", "Report"))
        if ref.kind == "package":
            fields.append(("howpublished", "Data package"))
        for name, value in (
            ("version", ref.version),
            ("date", ref.iso_date()),
            ("url", ref.url),
            ("urldate", ref.accessed.isoformat() if ref.accessed else None),
            ("language", ref.language),
        ):
            if value:
                fields.append((name, value))
        persons = {"author": [Person("{" + name + "}") for name in ref.authors]} if ref.authors else {}
        entries.append((ref.key, Entry(entry_type, fields=fields, persons=persons)))
    return _writer().to_string(BibliographyData(entries=entries))


def _writer() -> Any:
    """pybtex's BibTeX writer, with verbatim URL and date fields and case-protected titles."""
    from pybtex.database.output.bibtex import Writer

    class _Writer(Writer):  # type: ignore[misc]
        def _write_field(self, stream: Any, type: str, value: str) -> None:
            text = value if type in _VERBATIM else self._encode(value)
            if type in _CASE_PROTECTED:
                text = "{" + text + "}"
            stream.write(f",\n    {type} = {self.quote(text)}")

    return _Writer(encoding="UTF-8")


def render(refs: Sequence[Reference], fmt: str) -> str:
    """``refs`` in one of :data:`FORMATS`."""
    if fmt == "bibtex":
        return to_bibtex(refs)
    if fmt == "csl-json":
        return to_csl_json(refs)
    raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")


def bibliography(fmt: str = "bibtex", data: str | os.PathLike[str] | None = None) -> str:
    """Every source of the package, plus the package itself, as BibTeX or CSL-JSON.

    The package entry comes first, then the sources sorted by ``source_id``; the same data
    always give the same bytes.

    Example:
        >>> import kzlib
        >>> text = kzlib.bibliography("bibtex")
        >>> text.startswith("@misc{kz-internet,")
        True
        >>> import json
        >>> items = json.loads(kzlib.bibliography("csl-json"))
        >>> items[0]["type"]
        'dataset'
    """
    from .loading import load

    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    refs = [package_reference(data), *source_references(load("sources", data))]
    return render(refs, fmt)
