"""The published figures in figures/: every one catalogued, none showing a record id.

These scan the committed figures (written by `kzlib reproduce`), not test charts."""

from __future__ import annotations

from pathlib import Path

from kzlib import catalogue, figurerules

FIGURES = Path(__file__).resolve().parent.parent / "figures"


def test_no_published_figure_shows_a_record_id() -> None:
    found = [
        f"{svg.name}: {text!r}"
        for svg in sorted(FIGURES.glob("*.svg"))
        for text in catalogue.svg_texts(svg)
        if figurerules.ids_in(text)
    ]
    if (FIGURES / catalogue.CATALOGUE).is_file():
        found += [
            f"{catalogue.CATALOGUE}: {row['figure']}: {column} {row[column]!r}"
            for row in catalogue.read_catalogue(FIGURES)
            for column in ("title", "alt_text", "credit")
            if figurerules.ids_in(row[column])
        ]
    assert not found, "record ids in published figures (label them by short_title):\n" + "\n".join(found)


def test_every_published_figure_is_catalogued_with_alt_text_and_credit() -> None:
    problems = catalogue.catalogue_problems(FIGURES)
    assert not problems, "\n".join(map(str, problems))
