"""Publish a chart: title, subtitle and credit drawn on it; PNG and SVG written to ``figures/``.

One call per chart, as the last line of a notebook cell::

    fig = kzlib.plots.counts_bar(counts, xlabel="Incidents")
    kzlib.save_figure(
        fig, "03-categories",
        title="Website blocks are the most documented restriction",        # the finding
        subtitle="Documented incidents by category, 1999-2026",           # measure, units, period
        credit="Data: Freedom House; OONI; news reports compiled by kz-internet",
        alt_text="Horizontal bars of incidents by category: website blocks lead with 19, ...",
    )

``save_figure`` refuses (``ValueError``, one line per broken rule) a chart without a title,
subtitle, credit naming the producers of the numbers, or alt text of at least 60 characters,
and any chart whose text shows a record id. It draws the title, subtitle and the credit line
(with the data package version and licence), writes ``NAME.png`` (200 dpi) and ``NAME.svg``
(text kept as text, byte-identical on every run), records the figure in the catalogue
``figures/figures.csv``, closes the figure and returns a :class:`SavedFigure`, which Jupyter
shows once as the saved PNG.
"""

from __future__ import annotations

import base64
import io
import json
import os
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure
from matplotlib.text import Text

from . import figurerules
from .atomic import write_bytes_atomic
from .paths import FIGURES_ENV, data_dir, repo_root
from .style import SVG_HASH_SALT

#: Resolution of the PNG files.
DPI = 200

#: What makes the SVG byte-deterministic and keeps its text editable.
SAVE_RC: dict[str, Any] = {
    "svg.hashsalt": SVG_HASH_SALT,
    "svg.fonttype": "none",
    "savefig.dpi": DPI,
}

#: Header and credit typography (points) and colours.
TITLE_SIZE, SUBTITLE_SIZE, CREDIT_SIZE = 12.5, 9.5, 7.5
SUBTITLE_COLOUR, CREDIT_COLOUR = "#4D4D4D", "#666666"


def figures_dir() -> Path:
    """``$KZLIB_FIGURES``, else the clone's ``figures/``, else ``./figures``."""
    if os.environ.get(FIGURES_ENV):
        return Path(os.environ[FIGURES_ENV])
    root = repo_root()
    return (root / "figures") if root is not None else Path.cwd() / "figures"


def data_version() -> str:
    """The data package version, from ``datapackage.json`` (no validation, no pandas)."""
    descriptor = json.loads((data_dir() / "datapackage.json").read_text(encoding="utf-8"))
    return str(descriptor["version"])


def credit_line(credit: str, version: str | None = None) -> str:
    """The credit as drawn: the producers, then the package version and licence.

    Example:
        >>> credit_line("Data: Freedom House; NetBlocks", "2.0.0")
        'Data: Freedom House; NetBlocks. kz-internet data v2.0.0, CC BY 4.0'
    """
    version = version or data_version()
    return f"{credit.strip().rstrip('.')}. kz-internet data v{version}, {figurerules.LICENCE}"


@dataclass(frozen=True)
class SavedFigure:
    """A published chart: its files and catalogue fields. Jupyter displays it as the PNG
    (at half its pixel size, so 200 dpi looks sharp and not oversized; with the alt text,
    which nbconvert's HTML uses as the image's ``alt``); elsewhere it prints its paths."""

    name: str
    png: Path
    svg: Path
    title: str
    alt_text: str

    @property
    def paths(self) -> list[Path]:
        return [self.png, self.svg]

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> tuple[dict, dict]:  # type: ignore[type-arg]
        data = self.png.read_bytes()
        width, height = struct.unpack(">II", data[16:24])  # IHDR of a PNG
        bundle = {"image/png": base64.b64encode(data).decode("ascii"), "text/plain": repr(self)}
        # nbconvert writes metadata "alt" as the <img> alt attribute (screen readers)
        return bundle, {"image/png": {"width": width // 2, "height": height // 2, "alt": self.alt_text}}

    def __repr__(self) -> str:
        return f"SavedFigure({self.name!r}: {self.png}, {self.svg})"


def _notebook_for(name: str) -> str:
    """The chapter notebook a figure named ``NN-...`` belongs to (``NN-title.ipynb``)."""
    root = repo_root()
    matches = sorted((root / "notebooks").glob(f"{name[:2]}-*.ipynb")) if root and name[:2].isdigit() else []
    if len(matches) != 1:
        raise ValueError(
            f"figure {name!r}: pass notebook='NN-title.ipynb' (the notebook that makes it); "
            "it is inferred only for names starting with a chapter number"
        )
    return matches[0].name


def _visible_texts(fig: Figure) -> list[str]:
    """Every piece of text the figure shows (titles, tick labels, annotations, legends)."""
    fig.canvas.draw()  # fills in tick labels
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]


def check_figure(fig: Figure, name: str, fields: dict[str, str]) -> None:
    """Raise ``ValueError`` listing every rule the chart breaks (see module docstring)."""
    problems = [p for field, value in fields.items() for p in figurerules.text_problems(field, value)]
    if fig.get_suptitle():
        problems.append("has a suptitle: give the finding as save_figure(title=...) instead")
    for text in _visible_texts(fig):
        problems += [
            f"chart text {text!r} names a record id {i!r}: label it by its short_title"
            for i in figurerules.ids_in(text)
        ]
    if problems:
        raise ValueError(f"figure {name!r} not saved:\n  " + "\n  ".join(problems))


def _wrap(text: str, size: float, weight: str, width_px: float, renderer: Any) -> str:
    """``text`` broken into lines no wider than ``width_px`` when drawn at ``size`` points."""
    from matplotlib.font_manager import FontProperties

    font = FontProperties(size=size, weight=weight)
    lines: list[str] = []
    for word in text.split():
        trial = f"{lines[-1]} {word}" if lines else word
        if lines and renderer.get_text_width_height_descent(trial, font, ismath=False)[0] <= width_px:
            lines[-1] = trial
        else:
            lines.append(word)
    return "\n".join(lines)


def _draw_header(fig: Figure, title: str, subtitle: str, credit: str) -> list[Text]:
    """Title and subtitle above everything the figure draws, the credit below; left-aligned
    with the chart and wrapped to its width. Returns the texts (removed after saving)."""
    renderer = fig.canvas.get_renderer()
    box = fig.get_tightbbox(renderer)  # inches
    w_in, h_in = fig.get_size_inches()
    x = box.x0 / w_in
    width_px = max(box.width, 0.6 * w_in) * fig.dpi
    pad = 6 / 72 / h_in  # 6 points, as a fraction of the figure height
    added: list[Text] = []
    sub = fig.text(
        x,
        box.y1 / h_in + pad,
        _wrap(subtitle, SUBTITLE_SIZE, "normal", width_px, renderer),
        ha="left",
        va="bottom",
        fontsize=SUBTITLE_SIZE,
        color=SUBTITLE_COLOUR,
        linespacing=1.3,
    )
    added.append(sub)
    top = sub.get_window_extent(renderer).y1 / fig.bbox.height
    added.append(
        fig.text(
            x,
            top + pad / 2,
            _wrap(title, TITLE_SIZE, "bold", width_px, renderer),
            ha="left",
            va="bottom",
            fontsize=TITLE_SIZE,
            fontweight="bold",
            linespacing=1.2,
        )
    )
    added.append(
        fig.text(
            x,
            box.y0 / h_in - pad,
            _wrap(credit, CREDIT_SIZE, "normal", width_px, renderer),
            ha="left",
            va="top",
            fontsize=CREDIT_SIZE,
            color=CREDIT_COLOUR,
            linespacing=1.3,
        )
    )
    return added


@contextmanager
def _header(fig: Figure, title: str, subtitle: str, credit: str) -> Iterator[None]:
    added = _draw_header(fig, title, subtitle, credit)
    try:
        yield
    finally:
        for text in added:
            text.remove()


def render(fig: Figure, fmt: str, metadata: dict[str, str | None]) -> bytes:
    """``fig`` as PNG or SVG bytes, with the deterministic settings of :data:`SAVE_RC`."""
    import matplotlib as mpl

    buf = io.BytesIO()
    with mpl.rc_context(SAVE_RC):
        fig.savefig(
            buf, format=fmt, metadata=metadata, bbox_inches="tight", pad_inches=0.15, facecolor="white"
        )
    return buf.getvalue()


def save_figure(
    fig: Figure,
    name: str,
    *,
    title: str,
    subtitle: str,
    credit: str,
    alt_text: str,
    notebook: str | None = None,
    directory: str | os.PathLike[str] | None = None,
) -> SavedFigure:
    """Publish ``fig`` as ``NAME.png`` and ``NAME.svg`` and record it in the catalogue.

    Args:
        fig: the chart (from :mod:`kzlib.plots`, :mod:`kzlib.timeline`, :mod:`kzlib.maps` or
            your own), without a title of its own.
        name: file stem, ``NN-what-it-shows`` (``NN`` = chapter number).
        title: the finding, in a sentence ("Shutdowns cluster around protests and elections").
        subtitle: the measure, units and period ("Incidents per year by category, 1999-2026").
        credit: ``"Data: "`` and the organisations that produced the numbers; the package
            version and licence are appended.
        alt_text: for screen readers: what the chart shows and its main number (>= 60 chars).
        notebook: the notebook that makes the chart; inferred from ``NN``.
        directory: where to write; default ``$KZLIB_FIGURES`` or the clone's ``figures/``.

    Returns:
        A :class:`SavedFigure`; as a cell's last value Jupyter shows the saved PNG once.

    Raises:
        ValueError: naming every rule the chart breaks; nothing is written then.

    Example:
        >>> import kzlib, matplotlib.pyplot as plt
        >>> fig, ax = plt.subplots()
        >>> kzlib.save_figure(fig, "03-example", title="...", subtitle="...",
        ...                   credit="Data: OONI", alt_text="...")        # doctest: +SKIP
    """
    from .catalogue import write_catalogue

    if not name or "/" in name or "\\" in name or name.startswith(".") or name != name.strip():
        raise ValueError(f"figure name {name!r} must be a plain file stem such as '03-incidents-by-year'")
    notebook = notebook or _notebook_for(name)
    fields = {
        "title": title,
        "subtitle": subtitle,
        "credit": credit,
        "alt_text": alt_text,
        "notebook": notebook,
    }
    check_figure(fig, name, fields)
    credit_text = credit_line(credit)
    target = Path(directory) if directory is not None else figures_dir()
    png_meta: dict[str, str | None] = {
        "Software": None,
        "Title": title.strip(),
        "Description": alt_text.strip(),
        "Source": credit_text,
    }
    svg_meta: dict[str, str | None] = {
        "Date": None,
        "Creator": None,
        "Title": title.strip(),
        "Description": alt_text.strip(),
        "Source": credit_text,
        "Relation": notebook,
        "Identifier": name,
    }
    with _header(fig, title.strip(), subtitle.strip(), credit_text):
        png = render(fig, "png", png_meta)
        svg = render(fig, "svg", svg_meta)
    import matplotlib.pyplot as plt

    plt.close(fig)
    write_bytes_atomic(target / f"{name}.png", png)
    write_bytes_atomic(target / f"{name}.svg", svg)
    write_catalogue(target)
    return SavedFigure(name, target / f"{name}.png", target / f"{name}.svg", title.strip(), alt_text.strip())
