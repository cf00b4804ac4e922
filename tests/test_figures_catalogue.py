"""The figure catalogue figures/figures.csv and the README gallery generated from it."""

from __future__ import annotations

import csv
import subprocess
import sys
import threading
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

import kzlib
from kzlib import catalogue, gallery

FIELDS = {
    "subtitle": "Incidents per year, 2015-2024",
    "credit": "Data: Freedom House; NetBlocks",
    "alt_text": "Bar chart of incidents per year: the count rises from 1 in 2015 to 3 in 2017.",
}


def _save(folder: Path, name: str, title: str = "Shutdowns cluster around protests") -> None:
    fig, ax = plt.subplots()
    ax.bar(["2015", "2016", "2017"], [1, 2, 3])
    kzlib.save_figure(
        fig, name, title=title, notebook=f"{name[:2]}-chapter.ipynb", directory=folder, **FIELDS
    )


def test_save_figure_writes_one_sorted_row_per_figure(tmp_path: Path) -> None:
    _save(tmp_path, "05-b")
    _save(tmp_path, "01-a", title="First")
    _save(tmp_path, "05-b", title="Second version")  # re-saving replaces the row
    rows = catalogue.read_catalogue(tmp_path)
    assert [r["figure"] for r in rows] == ["01-a", "05-b"]
    assert rows[1] == {
        "figure": "05-b",
        "notebook": "05-chapter.ipynb",
        "title": "Second version",
        "alt_text": FIELDS["alt_text"],
        "credit": kzlib.figures.credit_line("Data: Freedom House; NetBlocks"),
    }
    catalogue.check_catalogue(tmp_path)
    text = (tmp_path / "figures.csv").read_bytes()
    catalogue.write_catalogue(tmp_path)
    assert (tmp_path / "figures.csv").read_bytes() == text  # deterministic


def test_parallel_processes_never_lose_a_row(tmp_path: Path) -> None:
    code = (
        "import sys, matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot as plt, kzlib\n"
        "for i in range(3):\n"
        "    fig, ax = plt.subplots(); ax.plot([1, 2])\n"
        f"    kzlib.save_figure(fig, f'0{{sys.argv[1]}}-fig-{{i}}', title='A finding', notebook='x.ipynb',"
        f" directory={str(tmp_path)!r}, subtitle='s', credit='Data: OONI', alt_text='{'a' * 60}')\n"
    )
    procs = [subprocess.Popen([sys.executable, "-c", code, str(n)]) for n in range(3)]
    assert [p.wait() for p in procs] == [0, 0, 0]
    assert len(catalogue.read_catalogue(tmp_path)) == 9
    catalogue.check_catalogue(tmp_path)


def test_catalogue_writers_wait_for_each_other(tmp_path: Path) -> None:
    _save(tmp_path, "01-a")
    writer = threading.Thread(target=catalogue.write_catalogue, args=(tmp_path,))
    with catalogue._locked(tmp_path):  # another writer holds the lock
        writer.start()
        writer.join(timeout=0.5)
        assert writer.is_alive()  # waits instead of writing
    writer.join(timeout=10)
    assert not writer.is_alive()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no lock file left


def _rules(folder: Path) -> list[str]:
    return [str(p) for p in catalogue.catalogue_problems(folder)]


def test_check_catalogue_finds_every_broken_rule(tmp_path: Path) -> None:
    _save(tmp_path, "01-a")
    _save(tmp_path, "02-b")
    assert _rules(tmp_path) == []
    (tmp_path / "03-orphan.png").write_bytes(b"")
    (tmp_path / "02-b.png").unlink()
    path = tmp_path / "figures.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows[0]["alt_text"] = "Too short."
    rows[0]["title"] = "See op-kcell"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=catalogue.COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    found = "\n".join(_rules(tmp_path))
    assert "figures.csv:2: column alt_text: value 'Too short.': alt_text has 10 characters" in found
    assert "column title: value 'See op-kcell': title names a record id 'op-kcell'" in found
    assert "value '02-b': no file 02-b.png" in found
    assert "value '03-orphan': figure file has no catalogue row" in found
    assert "out of date with the SVGs" in found
    with pytest.raises(catalogue.CatalogueError, match="problems in the figure catalogue"):
        catalogue.check_catalogue(tmp_path)


def test_an_id_in_svg_text_is_found(tmp_path: Path) -> None:
    _save(tmp_path, "01-a")
    svg = tmp_path / "01-a.svg"
    svg.write_text(svg.read_text(encoding="utf-8").replace(">2016<", ">inc-2016-example<"), encoding="utf-8")
    assert any("names a record id 'inc-2016-example'" in r for r in _rules(tmp_path))


def test_gallery_is_written_between_the_markers(tmp_path: Path) -> None:
    figures = tmp_path / "figures"
    _save(figures, "03-b", title="Second [chart]")
    _save(figures, "01-a", title="First chart")
    readme = tmp_path / "README.md"
    readme.write_text(
        f"# Project\n\n## Gallery\n{gallery.START}\nold\n{gallery.END}\n\n## After\n", encoding="utf-8"
    )
    gallery.write_gallery(readme, figures)
    text = readme.read_text(encoding="utf-8")
    assert "old" not in text and text.endswith(f"{gallery.END}\n\n## After\n")
    assert text.index("### [01-chapter](") < text.index("**First chart**") < text.index("### [03-chapter](")
    assert f"![{FIELDS['alt_text']}](figures/01-a.png)" in text
    assert "**Second (chart)**" in text
    before = readme.stat().st_mtime_ns
    gallery.write_gallery(readme, figures)
    assert readme.read_text(encoding="utf-8") == text and readme.stat().st_mtime_ns == before
    readme.write_text("# No markers\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no '<!-- gallery:start -->'"):
        gallery.write_gallery(readme, figures)
