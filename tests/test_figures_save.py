"""save_figure: refuses unpublishable charts, draws title/subtitle/credit, writes PNG at 200 dpi
and a byte-deterministic SVG with text kept as text, closes the figure."""

from __future__ import annotations

import struct
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

import kzlib
from kzlib.catalogue import svg_texts
from kzlib.figures import SavedFigure, data_version

FIELDS = {
    "title": "Shutdowns cluster around protests",
    "subtitle": "Incidents per year, 2015-2024",
    "credit": "Data: Freedom House; NetBlocks",
    "alt_text": "Bar chart of incidents per year: the count rises from 1 in 2015 to 3 in 2017.",
    "notebook": "03-incidents.ipynb",
}


def _chart(labels: tuple[str, ...] = ("2015", "2016", "2017")):  # type: ignore[no-untyped-def]
    fig, ax = plt.subplots(figsize=(7, 3))
    ax.bar(list(labels), [1, 2, 3])
    ax.set_ylabel("Incidents")
    return fig


def _save(tmp: Path, name: str = "03-test", fig=None, **changes: str) -> SavedFigure:  # type: ignore[no-untyped-def]
    return kzlib.save_figure(fig or _chart(), name, directory=tmp, **{**FIELDS, **changes})


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "title is missing"),
        ("subtitle", "  ", "subtitle is missing"),
        ("credit", "", "credit is missing"),
        ("credit", "kz-internet data package (incidents)", "credit must start with 'Data: '"),
        ("credit", "Data: kz-internet", "credit must start with 'Data: '"),
        ("alt_text", "Bars.", "alt_text has 5 characters; at least 60"),
        ("title", "The blackout inc-2022-01-05-nationwide-blackout", "title names a record id"),
        (
            "alt_text",
            "A chart of laws: lm-2014-communications-amendments is the first of them all.",
            "alt_text names a record id",
        ),
    ],
)
def test_refuses_charts_that_cannot_be_published(
    tmp_path: Path, field: str, value: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        _save(tmp_path, **{field: value})
    assert not list(tmp_path.glob("*.png")) and not list(tmp_path.glob("*.svg"))


def test_refuses_record_ids_anywhere_in_the_chart(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"chart text 'op-kazakhtelecom' names a record id"):
        _save(tmp_path, fig=_chart(("op-kazakhtelecom", "Beeline", "Kcell")))
    fig = _chart()
    fig.suptitle("A topic")
    with pytest.raises(ValueError, match="suptitle"):
        _save(tmp_path, fig=fig)
    with pytest.raises(ValueError, match="plain file stem"):
        _save(tmp_path, name="../escape")
    with pytest.raises(ValueError, match="pass notebook="):
        kzlib.save_figure(
            _chart(), "no-chapter", directory=tmp_path, **{k: v for k, v in FIELDS.items() if k != "notebook"}
        )


def test_svg_is_byte_deterministic_and_keeps_text_as_text(tmp_path: Path) -> None:
    first = _save(tmp_path / "a")
    second = _save(tmp_path / "b")
    assert first.svg.read_bytes() == second.svg.read_bytes()
    assert first.png.read_bytes() == second.png.read_bytes()
    svg = first.svg.read_text(encoding="utf-8")
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg
    texts = svg_texts(first.svg)
    credit = f"Data: Freedom House; NetBlocks. kz-internet data v{data_version()}, CC BY 4.0"
    assert {FIELDS["title"], FIELDS["subtitle"], credit, "2017"} <= set(texts)
    assert f"<title>{FIELDS['title']}</title>" in svg  # accessible name of the image
    assert not [p for p in (tmp_path / "a").iterdir() if p.name.startswith(".") and p.suffix == ".tmp"]


def test_png_is_200_dpi(tmp_path: Path) -> None:
    data = _save(tmp_path).png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    phys = data.index(b"pHYs")
    x_per_m, y_per_m, unit = struct.unpack(">IIB", data[phys + 4 : phys + 13])
    assert unit == 1 and x_per_m == y_per_m == round(200 / 0.0254)
    width = struct.unpack(">I", data[16:20])[0]
    assert width >= 5 * 200  # the 7-inch chart cropped to its content, at 200 pixels per inch


def test_closes_the_figure_and_displays_the_png_once(tmp_path: Path) -> None:
    fig = _chart()
    saved = _save(tmp_path, fig=fig)
    assert not plt.fignum_exists(fig.number)
    bundle, metadata = saved._repr_mimebundle_()
    assert set(bundle) == {"image/png", "text/plain"}
    width = struct.unpack(">I", saved.png.read_bytes()[16:20])[0]
    assert metadata["image/png"]["width"] == width // 2
    assert metadata["image/png"]["alt"] == FIELDS["alt_text"]


def test_saving_leaves_the_figure_as_it_was(tmp_path: Path) -> None:
    fig = _chart()
    before = len(fig.texts)
    kzlib.figures.render(fig, "png", {})
    with kzlib.figures._header(fig, "t", "s", "c"):
        assert len(fig.texts) == before + 3
    assert len(fig.texts) == before
    plt.close(fig)
