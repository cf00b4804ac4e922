"""The charts the chapters share. Each returns a matplotlib Figure with a title, labelled
axes and a source line naming the datasets and the data package version.

Example:
    >>> import kzlib
    >>> fig = kzlib.plots.category_by_year(kzlib.load_incidents(), "start_date", "category",
    ...     title="Incidents per year, by category", datasets=["incidents"])
    >>> kzlib.save_figure(fig, "incidents-by-year")       # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from . import style
from .loading import package


def source_line(fig: Figure, datasets: Iterable[str], note: str | None = None) -> None:
    """Write 'Source: kz-internet data package vX (tables). note' under the chart.

    Call it last: the line is placed below everything the axes draw (tick labels, axis
    labels), so it never overlaps them."""
    text = f"Source: kz-internet data package v{package().version} ({', '.join(datasets)})."
    if note:
        text += f" {note}"
    renderer = fig.canvas.get_renderer()
    boxes = [ax.get_tightbbox(renderer) for ax in fig.get_axes() if ax.get_visible()]
    pad = 4 * fig.dpi / 72  # 4 points
    x = min((b.x0 for b in boxes), default=0.0) / fig.bbox.width
    y = (min((b.y0 for b in boxes), default=0.0) - pad) / fig.bbox.height
    fig.text(max(x, 0.0), y, text, ha="left", va="top", fontsize=8, color="#555555", wrap=True)


def unknown_as_label(values: pd.Series) -> pd.Series:
    """Category labels as plain strings, with missing values shown as 'unknown'."""
    return values.astype("object").where(values.notna(), "unknown").astype("str")


def _vertical_grid(ax: plt.Axes) -> None:
    """Grid lines along x only: for charts whose categories run down the y axis."""
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)


def _legend(ax: plt.Axes, values: Sequence[str], title: str | None = None, **kw: object) -> None:
    handles = [Patch(color=style.colour(v), label=v.replace("_", " ")) for v in values]
    ax.legend(handles=handles, title=title, fontsize=8.5, title_fontsize=9, **kw)


def category_by_year(
    df: pd.DataFrame,
    date: str,
    category: str,
    *,
    title: str,
    datasets: Iterable[str],
    ylabel: str = "Number of incidents",
    note: str | None = None,
) -> Figure:
    """Stacked bars: how many rows fall in each year, split by ``category``."""
    style.use()
    years = df[date].dt.year.rename("year")
    counts = pd.crosstab(years, df[category].astype("str"))
    counts = counts.reindex(range(int(years.min()), int(years.max()) + 1), fill_value=0)
    order = [
        c
        for c in (df[category].cat.categories if hasattr(df[category], "cat") else counts.columns)
        if c in counts.columns and counts[c].sum() > 0
    ]
    fig, ax = plt.subplots()
    bottom = pd.Series(0, index=counts.index)
    for c in order:
        ax.bar(counts.index, counts[c], bottom=bottom, color=style.colour(c), width=0.8, label=c)
        bottom += counts[c]
    ax.set(title=title, xlabel="Year", ylabel=ylabel)
    ax.yaxis.get_major_locator().set_params(integer=True)
    _legend(ax, order, title=category.replace("_", " "), loc="upper left", ncols=2)
    source_line(fig, datasets, note)
    return fig


def timeline(
    df: pd.DataFrame,
    date: str,
    lane: str,
    *,
    colour_by: str,
    title: str,
    datasets: Iterable[str],
    label: str | None = None,
    lane_order: Sequence[str] | None = None,
    xlabel: str = "Date",
    note: str | None = None,
) -> Figure:
    """Events as dots on horizontal lanes (one per value of ``lane``), coloured by ``colour_by``;
    with ``label``, each dot is annotated."""
    style.use()
    data = df.dropna(subset=[date]).copy()
    data[lane] = unknown_as_label(data[lane])
    data[colour_by] = unknown_as_label(data[colour_by])
    lanes = list(lane_order) if lane_order else sorted(data[lane].unique())
    pos = {v: i for i, v in enumerate(lanes)}
    fig, ax = plt.subplots(figsize=(10, 0.45 * len(lanes) + 2.2))
    _vertical_grid(ax)
    y = data[lane].map(pos)
    ax.scatter(
        data[date],
        y,
        c=[style.colour(str(v)) for v in data[colour_by]],
        s=46,
        edgecolor="white",
        linewidth=0.6,
        zorder=3,
    )
    if label:
        for (_, row), yy in zip(data.iterrows(), y, strict=True):
            ax.annotate(
                str(row[label]),
                (row[date], yy),
                xytext=(4, 5),
                textcoords="offset points",
                fontsize=7,
                color="#333333",
                rotation=20,
            )
    ax.set_yticks(range(len(lanes)), [v.replace("_", " ") for v in lanes])
    ax.set_ylim(-0.7, len(lanes) - 0.3)
    ax.invert_yaxis()
    ax.set(title=title, xlabel=xlabel)
    present = list(dict.fromkeys(data[colour_by]))
    _legend(
        ax, sorted(present), title=colour_by.replace("_", " "), loc="upper left", bbox_to_anchor=(1.0, 1.0)
    )
    source_line(fig, datasets, note)
    return fig


def durations(
    df: pd.DataFrame,
    start: str,
    end: str,
    label: str,
    *,
    colour_by: str,
    title: str,
    datasets: Iterable[str],
    open_until: pd.Timestamp | None = None,
    xlabel: str = "Date",
    note: str | None = None,
) -> Figure:
    """Gantt chart: one bar per row from ``start`` to ``end``. Rows without an end are drawn
    to ``open_until`` (default: the latest date shown) with a hatched bar, marking them open."""
    style.use()
    data = df.dropna(subset=[start]).sort_values(start).reset_index(drop=True)
    data[colour_by] = unknown_as_label(data[colour_by])
    limit = open_until if open_until is not None else max(data[start].max(), data[end].max())
    fig, ax = plt.subplots(figsize=(10, 0.32 * len(data) + 2))
    _vertical_grid(ax)
    for i, row in data.iterrows():
        is_open = pd.isna(row[end])
        stop = limit if is_open else row[end]
        width = max(stop - row[start], pd.Timedelta(hours=6))
        ax.barh(
            i,
            width,
            left=row[start],
            color=style.colour(str(row[colour_by])),
            height=0.6,
            hatch="///" if is_open else None,
            edgecolor="white" if is_open else None,
        )
    ax.set_yticks(range(len(data)), data[label].astype("str"), fontsize=8)
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    ax.set(title=title, xlabel=xlabel)
    present = sorted(dict.fromkeys(data[colour_by]))
    handles = [Patch(color=style.colour(v), label=v.replace("_", " ")) for v in present]
    handles.append(
        Patch(
            facecolor="white",
            edgecolor="#555555",
            hatch="///",
            label="no end date in sources (drawn to the chart's end)",
        )
    )
    ax.legend(handles=handles, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    source_line(fig, datasets, note)
    return fig


def indicator_lines(
    ind: pd.DataFrame,
    indicator: str,
    *,
    title: str,
    ylabel: str,
    datasets: Iterable[str] = ("indicators",),
    countries: Sequence[str] | None = None,
    events: Mapping[int, str] | None = None,
    invert_y: bool = False,
    note: str | None = None,
) -> Figure:
    """One line per country for ``indicator`` over years, with ``events`` marked ({year: label}).

    Lines break at missing years instead of bridging them. ``invert_y`` puts low values on
    top (for ranks, where 1 is best).

    When the rows use more than one scale direction (Freedom on the Net reversed its scale),
    each direction gets its own panel: values on different scales never share an axis or a
    line. Several sources for one country-year are averaged (their spread is in the data)."""
    style.use()
    rows = ind[ind["indicator"] == indicator]
    if countries is not None:
        rows = rows[rows["country"].isin(countries)]
    rows = rows.groupby(["direction", "country", "year"], observed=True, as_index=False)["value"].mean()
    directions = [
        d
        for d in ("higher_is_less_free", "higher_is_freer", "neutral")
        if d in set(rows["direction"].astype("str"))
    ]
    fig, axes = plt.subplots(
        len(directions), 1, figsize=(9, 3.2 * len(directions) + 1.3), sharex=True, squeeze=False
    )
    for ax, direction in zip(axes[:, 0], directions, strict=True):
        part = rows[rows["direction"] == direction]
        for country, line in part.groupby("country", observed=True, sort=True):
            years = range(int(line["year"].min()), int(line["year"].max()) + 1)
            line = line.set_index("year")[["value"]].astype("float64").reindex(years).reset_index()
            ax.plot(
                line["year"],
                line["value"],
                marker="o",
                markersize=4,
                color=style.colour(str(country)),
                label=str(country),
            )
        for year, text in (events or {}).items():
            ax.axvline(year, color="#999999", linewidth=0.8, linestyle=":")
            ax.annotate(
                text,
                (year, 1.0),
                xycoords=("data", "axes fraction"),
                xytext=(3, -3),
                textcoords="offset points",
                fontsize=7.5,
                color="#444444",
                va="top",
                rotation=90,
            )
        scale = direction.replace("_", " ")
        ax.set_ylabel(f"{ylabel}\n({scale})" if direction != "neutral" else ylabel)
        ax.legend(fontsize=8.5, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        ax.xaxis.get_major_locator().set_params(integer=True)
        if invert_y:
            ax.invert_yaxis()
    axes[-1, 0].set_xlabel("Year")
    if len(directions) > 1:
        fig.suptitle(title, x=0.01, ha="left", fontweight="bold", fontsize=13)
    else:
        axes[0, 0].set_title(title)
    source_line(fig, datasets, note)
    return fig


def estimates(
    df: pd.DataFrame,
    value: str,
    label: str,
    *,
    title: str,
    xlabel: str,
    datasets: Iterable[str],
    value_format: str = "{:,.1f}",
    note: str | None = None,
) -> Figure:
    """Estimates side by side: one bar per row, labelled by ``label`` (e.g. the source) and
    annotated with its value. Estimates from different sources are never averaged."""
    style.use()
    data = df.reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(data) + 1.8))
    values = data[value].astype("float64")
    ax.barh(range(len(data)), values, color=style.PALETTE["indigo"], height=0.6)
    for i, v in enumerate(values):
        ax.annotate(
            value_format.format(v),
            (v, i),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8.5,
        )
    ax.set_yticks(range(len(data)), data[label].astype("str"), fontsize=8.5)
    ax.invert_yaxis()
    _vertical_grid(ax)
    ax.set_xlim(0, values.max() * 1.18)
    ax.set(title=title, xlabel=xlabel)
    source_line(fig, datasets, note)
    return fig


def counts_bar(
    counts: pd.Series,
    *,
    title: str,
    xlabel: str,
    datasets: Iterable[str],
    colour_by_index: bool = True,
    note: str | None = None,
) -> Figure:
    """Horizontal bars for a Series of counts (index = labels), largest on top."""
    style.use()
    counts = counts.sort_values()
    fig, ax = plt.subplots(figsize=(9, 0.35 * len(counts) + 1.8))
    colours = [style.colour(str(i)) for i in counts.index] if colour_by_index else style.PALETTE["indigo"]
    ax.barh([str(i).replace("_", " ") for i in counts.index], counts.to_numpy(), color=colours)
    _vertical_grid(ax)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set(title=title, xlabel=xlabel)
    source_line(fig, datasets, note)
    return fig
