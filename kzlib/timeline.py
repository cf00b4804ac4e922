"""A one-page timeline: key laws and incidents, 1999-2026, labelled in words, coloured by
kind, readable at a book page's width (7 inches). Labels never overlap: each takes the lowest
lane above the time axis where it fits (a greedy interval stacking).

Example:
    >>> import pandas as pd
    >>> from kzlib.timeline import timeline
    >>> events = pd.DataFrame({
    ...     "date": pd.to_datetime(["2009-07-10", "2022-01-05"]),
    ...     "label": ["Internet law amendments", "Nationwide blackout"],
    ...     "kind": ["legal_measure", "network_shutdown"]})
    >>> fig = timeline(events)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D

from . import style
from .plots import WIDTH

LANE_HEIGHT = 0.25  # inches per lane of labels
FONT_SIZE = 7.5
GAP_PT = 6.0  # horizontal space between two labels in one lane, points


def assign_lanes(spans: Sequence[tuple[float, float]], gap: float = 0.0) -> list[int]:
    """Greedy lane stacking: each span (start, end), in the given order, goes to the lowest
    lane whose last span ends at least ``gap`` before it starts.

    Example:
        >>> assign_lanes([(0, 5), (1, 3), (4, 8), (6, 9)])
        [0, 1, 1, 0]
    """
    ends: list[float] = []
    lanes = []
    for start, end in spans:
        for lane, last in enumerate(ends):
            if last + gap <= start:
                ends[lane] = end
                lanes.append(lane)
                break
        else:
            ends.append(end)
            lanes.append(len(ends) - 1)
    return lanes


def timeline(
    events: pd.DataFrame,
    *,
    date: str = "date",
    label: str = "label",
    kind: str = "kind",
    precision: str | None = None,
    above: Sequence[str] = ("legal_measure",),
    start: int = 1999,
    end: int = 2026,
    kind_labels: Mapping[str, str] | None = None,
    width: float = WIDTH,
) -> Figure:
    """Events on a time axis from ``start`` to ``end`` (years, inclusive): a dot on the axis
    and a stem to the event's label, coloured by ``kind`` (house colours, see
    :mod:`kzlib.style`), with a key of the kinds across the top. Kinds in ``above`` (by
    default laws and regulations) are drawn above the axis, all others below it, so what
    the law allowed and what happened read as two bands.

    Args:
        events: one row per event; ``label`` is a human label (``short_title``), never an id.
        precision: optional column (day, month, year): month- and year-precise events get an
            open dot, so a reader sees which dates are approximate.
        kind_labels: human names for the kinds (default :func:`kzlib.style.label`).

    Labels that would run past the right edge are written leftwards from their stem; each
    label sits on a white box, so a stem passing behind it never strikes through its text.
    Keep it to the key events (20-30 with short titles) for a one-page figure.
    """
    style.use()
    data = events.dropna(subset=[date]).sort_values(date, kind="stable").reset_index(drop=True)
    x0 = mdates.date2num(pd.Timestamp(f"{start}-01-01"))
    x1 = mdates.date2num(pd.Timestamp(f"{end}-12-31"))
    margin = 0.15  # inches each side
    per_inch = (x1 - x0) / (width - 2 * margin)
    fig = plt.figure(figsize=(width, 2.0))
    renderer = fig.canvas.get_renderer()
    font = FontProperties(size=FONT_SIZE)
    xs = [mdates.date2num(pd.Timestamp(d)) for d in data[date]]
    up = [str(k) in above for k in data[kind]]
    spans, leftwards = [], []
    for x, text in zip(xs, data[label].astype("str"), strict=True):
        # 8% spare: glyph widths vary with resolution (hinting) and with the SVG viewer's font
        w = 1.08 * renderer.get_text_width_height_descent(text, font, ismath=False)[0] / fig.dpi * per_inch
        pad = 4 / 72 * per_inch
        towards_left = x + pad + w > x1
        leftwards.append(towards_left)
        spans.append((x - pad - w, x) if towards_left else (x, x + pad + w))
    gap = GAP_PT / 72 * per_inch
    lanes = [0] * len(xs)
    for side in (True, False):
        idx = [i for i in range(len(xs)) if up[i] == side]
        for i, lane in zip(idx, assign_lanes([spans[i] for i in idx], gap=gap), strict=True):
            lanes[i] = lane
    n_up = max([lanes[i] + 1 for i in range(len(xs)) if up[i]], default=0)
    n_down = max([lanes[i] + 1 for i in range(len(xs)) if not up[i]], default=0)
    height = (n_up + n_down + 0.5) * LANE_HEIGHT + 0.75  # half a lane for the years
    fig.set_size_inches(width, height)
    ax = fig.add_axes((margin / width, 0.1 / height, 1 - 2 * margin / width, (height - 0.6) / height))
    ax.set_xlim(x0, x1)
    ax.set_ylim(-n_down - 1.0, n_up + 0.2)
    for i, (x, (_, row)) in enumerate(zip(xs, data.iterrows(), strict=True)):
        colour = style.colour(str(row[kind]))
        approximate = precision is not None and str(row[precision]) in ("month", "year")
        y = lanes[i] + 0.6 if up[i] else -(lanes[i] + 1.1)  # below: clear of the years
        ax.plot([x, x], [0, y], color=colour, linewidth=0.8, alpha=0.7, zorder=1)
        ax.plot(
            x,
            0,
            "o",
            color=colour,
            markersize=5,
            markerfacecolor="white" if approximate else colour,
            markeredgewidth=1.2,
            zorder=4,
        )
        ax.annotate(
            str(row[label]),
            (x, y),
            xytext=(-2 if leftwards[i] else 2, 0),
            textcoords="offset points",
            ha="right" if leftwards[i] else "left",
            va="center",
            fontsize=FONT_SIZE,
            color="#222222",
            zorder=3,
            bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"},
        )
    ax.axhline(0, color="#888888", linewidth=0.8, zorder=2)
    for year in range(start, end + 1):
        ax.annotate(
            str(year) if year % 3 == 0 else "",
            (mdates.date2num(pd.Timestamp(f"{year}-01-01")), 0),
            xytext=(0, -2),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize=7,
            color="#666666",
            zorder=2,
            bbox={"boxstyle": "square,pad=0.05", "facecolor": "white", "edgecolor": "none"},
        )
        ax.plot(
            mdates.date2num(pd.Timestamp(f"{year}-01-01")), 0, "|", color="#888888", markersize=4, zorder=2
        )
    ax.set_axis_off()
    kinds = list(dict.fromkeys(str(k) for k in data[kind]))
    kinds = [k for k in kinds if k in above] + [k for k in kinds if k not in above]
    handles = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            color=style.colour(k),
            label=(kind_labels or {}).get(k) or style.label(k),
        )
        for k in kinds
    ]
    if precision is not None and data[precision].astype("str").isin(["month", "year"]).any():
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                color=style.PALETTE["grey"],
                markerfacecolor="white",
                label="month or year only",
            )
        )
    ax.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncols=min(len(handles), 4),
        fontsize=7.5,
        handletextpad=0.2,
        columnspacing=1.0,
        borderaxespad=0.1,
    )
    return fig


def events_from_tables(
    legal_measures: pd.DataFrame | None = None,
    incidents: pd.DataFrame | None = None,
    *,
    label: str = "short_title",
    measure_kind: str = "legal_measure",
) -> pd.DataFrame:
    """The event table :func:`timeline` draws, from rows of ``legal_measures`` (dated by
    ``adopted_date``, kind ``measure_kind``) and ``incidents`` (dated by ``start_date``,
    kind = their ``category``), labelled by their ``label`` column. Select the rows first:
    the timeline shows what you pass."""
    parts = []
    if legal_measures is not None:
        parts.append(
            pd.DataFrame(
                {
                    "date": legal_measures["adopted_date"],
                    "label": legal_measures[label],
                    "kind": measure_kind,
                    "precision": legal_measures["adopted_precision"],
                }
            )
        )
    if incidents is not None:
        parts.append(
            pd.DataFrame(
                {
                    "date": incidents["start_date"],
                    "label": incidents[label],
                    "kind": incidents["category"].astype("str"),
                    "precision": incidents["start_precision"],
                }
            )
        )
    if not parts:
        raise ValueError("events_from_tables: pass legal_measures, incidents or both")
    return pd.concat(parts, ignore_index=True).astype({"label": "str", "precision": "str"})
