"""The figure catalogue ``figures/figures.csv``: one row per published chart.

Each SVG that :func:`kzlib.save_figure` writes carries its own catalogue record (Dublin Core
metadata: title, description = alt text, source = credit, relation = notebook), so a figure
and its record travel together: staged, moved or deleted as one file. ``figures.csv`` is
derived from the SVGs present, sorted by figure, and rewritten under a lock on the folder
after every save, so notebooks saving in parallel (threads or processes) never lose a row.

Example:
    >>> from kzlib import catalogue
    >>> catalogue.write_catalogue()            # doctest: +SKIP
    >>> catalogue.check_catalogue()  # doctest: +SKIP
    (raises CatalogueError listing every broken rule)
"""

from __future__ import annotations

import csv
import fcntl
import io
import os
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import figurerules
from .atomic import write_text_atomic
from .problems import Problem

CATALOGUE = "figures.csv"
COLUMNS = ("figure", "notebook", "title", "alt_text", "credit")
_DC = "{http://purl.org/dc/elements/1.1/}"
#: SVG metadata element -> catalogue column
_FIELDS = {
    "identifier": "figure",
    "relation": "notebook",
    "title": "title",
    "description": "alt_text",
    "source": "credit",
}


def _default_dir(directory: str | os.PathLike[str] | None) -> Path:
    from .figures import figures_dir

    return Path(directory) if directory is not None else figures_dir()


def svg_record(path: Path) -> dict[str, str]:
    """The catalogue row an SVG carries; fields it lacks are empty."""
    row = dict.fromkeys(COLUMNS, "")
    row["figure"] = path.stem
    for _, element in ET.iterparse(path, events=("end",)):
        tag = element.tag
        if tag.startswith(_DC) and tag[len(_DC) :] in _FIELDS and element.text:
            row[_FIELDS[tag[len(_DC) :]]] = element.text
        if tag.endswith("}metadata"):
            break
    row["figure"] = path.stem  # the file name wins over a stale identifier
    return row


def catalogue_rows(directory: str | os.PathLike[str] | None = None) -> list[dict[str, str]]:
    """One row per SVG in ``directory``, sorted by figure."""
    folder = _default_dir(directory)
    return [svg_record(p) for p in sorted(folder.glob("*.svg"))]


def catalogue_text(rows: list[dict[str, str]]) -> str:
    """``rows`` as the CSV text of ``figures.csv`` (RFC 4180, ``\\n`` line ends)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` itself (no lock file is left behind)."""
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def write_catalogue(directory: str | os.PathLike[str] | None = None) -> Path:
    """Rewrite ``figures.csv`` in ``directory`` from the SVGs there; return its path."""
    folder = _default_dir(directory)
    with _locked(folder):
        path = folder / CATALOGUE
        text = catalogue_text(catalogue_rows(folder))
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            write_text_atomic(path, text)
    return path


def read_catalogue(directory: str | os.PathLike[str] | None = None) -> list[dict[str, str]]:
    """The rows of ``figures.csv`` as written."""
    path = _default_dir(directory) / CATALOGUE
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def catalogue_problems(directory: str | os.PathLike[str] | None = None) -> list[Problem]:
    """Every broken rule of the catalogue and the figures in ``directory``:
    each PNG/SVG pair has a row and each row its two files; the file is current and sorted;
    every row has a title, notebook, credit naming a producer, alt text of 60+ characters;
    every SVG keeps its text as ``<text>``; no row and no SVG text shows a record id."""
    folder = _default_dir(directory)
    shown = f"{folder.name}/{CATALOGUE}"
    if not (folder / CATALOGUE).is_file():
        return [
            Problem(shown, 1, "figure", "", "missing: run kzlib.catalogue.write_catalogue()", where="file")
        ]
    rows = read_catalogue(folder)
    problems: list[Problem] = []
    names = [r.get("figure", "") for r in rows]
    on_disk = {p.stem for p in folder.iterdir() if p.suffix in (".png", ".svg")}
    for line, row in enumerate(rows, start=2):
        name = row.get("figure", "")
        for ext in ("png", "svg"):
            if not (folder / f"{name}.{ext}").is_file():
                problems.append(Problem(shown, line, "figure", name, f"no file {name}.{ext}"))
        for column in ("notebook", "title", "alt_text", "credit"):
            field = "credit" if column == "credit" else column
            value = row.get(column, "")
            if column == "credit":  # as drawn: 'Data: ... kz-internet data vX, CC BY 4.0'
                value = value.split(". kz-internet data v")[0]
            problems += [
                Problem(shown, line, column, row.get(column, ""), rule)
                for rule in figurerules.text_problems(field, value)
            ]
    for stem in sorted(on_disk - set(names)):
        problems.append(Problem(shown, 1, "figure", stem, "figure file has no catalogue row", where="file"))
    if names != sorted(names):
        problems.append(Problem(shown, 1, "figure", "", "rows are not sorted by figure", where="file"))
    if catalogue_text(rows) != catalogue_text(catalogue_rows(folder)):
        problems.append(
            Problem(shown, 1, "figure", "", "out of date with the SVGs: run write_catalogue()", where="file")
        )
    for svg in sorted(folder.glob("*.svg")):
        texts = svg_texts(svg)
        if not texts:
            problems.append(
                Problem(
                    f"{folder.name}/{svg.name}",
                    1,
                    "text",
                    "",
                    "no <text>: its text was drawn as paths; re-save it with save_figure",
                    where="svg",
                )
            )
        for text in texts:
            problems += [
                Problem(
                    f"{folder.name}/{svg.name}",
                    1,
                    "text",
                    text,
                    f"names a record id {i!r}: label it by its short_title",
                    where="svg",
                )
                for i in figurerules.ids_in(text)
            ]
    return problems


def svg_texts(path: Path) -> list[str]:
    """The text of every ``<text>`` element of an SVG (charts keep their text as text)."""
    return ["".join(el.itertext()) for el in ET.parse(path).iter("{http://www.w3.org/2000/svg}text")]


class CatalogueError(ValueError):
    """The figure catalogue breaks its rules; ``problems`` lists every one."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        n = len(self.problems)
        super().__init__(
            "\n".join(
                [f"{n} problem{'s' if n != 1 else ''} in the figure catalogue", *map(str, self.problems)]
            )
        )


def check_catalogue(directory: str | os.PathLike[str] | None = None) -> None:
    """Raise :class:`CatalogueError` listing every problem of :func:`catalogue_problems`."""
    problems = catalogue_problems(directory)
    if problems:
        raise CatalogueError(problems)
