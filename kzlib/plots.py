"""The charts the chapters share, drawn the way Our World in Data and FiveThirtyEight do:
labels written next to the data instead of legends, key events annotated where they
happened, human labels only (pass ``short_title`` columns, never ids), durations in hours
where the sources give clock times and in days otherwise, with the precision visible.

Each helper returns a matplotlib Figure with no title: :func:`kzlib.save_figure` draws the
finding, the subtitle and the credit. Every chart is 7 inches wide (a book page).

Example:
    >>> import kzlib
    >>> inc = kzlib.load_incidents()                                    # doctest: +SKIP
    >>> fig = kzlib.plots.counts_bar(inc["category"].value_counts(), xlabel="Incidents")  # doctest: +SKIP
    >>> kzlib.save_figure(fig, "03-categories", title="...", subtitle="...",
    ...                   credit="Data: ...", alt_text="...")        # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from . import style

WIDTH = 7.0  # inches
TEXT = "#333333"
MUTED = "#777777"


def unknown_as_label(values: pd.Series) -> pd.Series:
    """Category labels as plain strings, with missing values shown as 'unknown'."""
    return values.astype("object").where(values.notna(), "unknown").astype("str")


def spread(positions: Sequence[float], min_gap: float) -> list[float]:
    """Move label positions apart so neighbours are at least ``min_gap`` apart, keeping
    their order and staying as close as possible to where they were (for direct labels).

    Example:
        >>> spread([1.0, 1.1, 5.0], 0.5)
        [0.8, 1.3, 5.0]
    """
    order = sorted(range(len(positions)), key=lambda i: positions[i])
    placed = [float(positions[i]) for i in order]
    for _ in range(len(placed)):  # relax: push overlapping clusters apart around their centre
        moved = False
        i = 0
        while i < len(placed) - 1:
            j = i
            while j < len(placed) - 1 and placed[j + 1] - placed[j] < min_gap - 1e-9:
                j += 1
            if j > i:
                centre = sum(positions[order[k]] for k in range(i, j + 1)) / (j - i + 1)
                start = centre - min_gap * (j - i) / 2
                for k in range(i, j + 1):
                    placed[k] = start + min_gap * (k - i)
                moved = True
            i = j + 1
        if not moved:
            break
    out = [0.0] * len(placed)
    for rank, i in enumerate(order):
        out[i] = round(placed[rank], 9)
    return out


def _x_grid(ax: Axes) -> None:
    """Grid lines along x only: for charts whose categories run down the y axis."""
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)


def _figure(height: float) -> tuple[Figure, Axes]:
    style.use()
    fig, ax = plt.subplots(figsize=(WIDTH, height))
    return fig, ax


def annotate_events(ax: Axes, events: Mapping[object, str], *, fontsize: float = 7.5) -> None:
    """Mark each key event ``{x: label}`` with a dotted vertical line and its label along the
    top of ``ax``; labels close together are staggered on two rows."""
    xs = sorted(events, key=lambda v: mdates.date2num(v) if isinstance(v, pd.Timestamp) else float(v))
    low, high = ax.get_ylim()
    ax.set_ylim(low, high + (high - low) * 0.14)  # headroom: labels sit above the data
    for i, x in enumerate(xs):
        ax.axvline(x, color="#999999", linewidth=0.8, linestyle=":", zorder=1)
        ax.annotate(
            events[x],
            (x, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(3, -3 - 11 * (i % 2)),
            textcoords="offset points",
            fontsize=fontsize,
            color="#444444",
            va="top",
            ha="left",
            bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"},
        )


def line_ends(ax: Axes, ends: Mapping[str, tuple[float, float, str]], *, fontsize: float = 8.5) -> None:
    """Direct labels: write each ``label -> (x, y, colour)`` just right of its line's last
    point, spread vertically so no two overlap."""
    if not ends:
        return
    names = list(ends)
    fig = ax.get_figure()
    # minimum gap in data units: one line of text
    y0, y1 = ax.get_ylim()
    height_pt = ax.get_position().height * fig.get_size_inches()[1] * 72  # type: ignore[union-attr]
    gap = abs(y1 - y0) * (fontsize * 1.25) / height_pt
    sign = -1 if y1 < y0 else 1  # inverted axis
    ys = spread([sign * ends[n][1] for n in names], gap)
    for name, y in zip(names, ys, strict=True):
        x, _, colour = ends[name]
        ax.annotate(
            name,
            (x, sign * y),
            xytext=(6, 0),
            textcoords="offset points",
            fontsize=fontsize,
            color=style.text_colour(colour),
            fontweight="bold",
            va="center",
            ha="left",
            annotation_clip=False,
        )


def _draw_lines(
    ax: Axes,
    frame: pd.DataFrame,
    x: str,
    y: str,
    series: str,
    labels: Mapping[str, str] | None,
    colours: Mapping[str, str] | None,
    value_format: str | None,
) -> dict[str, tuple[float, float, str]]:
    ends: dict[str, tuple[float, float, str]] = {}
    for key, line in frame.groupby(series, observed=True, sort=True):
        line = line.sort_values(x)
        colour = (colours or {}).get(str(key)) or style.colour(str(key))
        ax.plot(line[x], line[y], marker="o", markersize=3.5, color=colour, linewidth=1.8)
        last = line.dropna(subset=[y]).iloc[-1]
        name = (labels or {}).get(str(key)) or style.label(key)
        if value_format:
            name = f"{name} {value_format.format(last[y])}"
        xe = mdates.date2num(last[x]) if isinstance(last[x], pd.Timestamp) else float(last[x])
        ends[name] = (xe, float(last[y]), colour)
    return ends


def line_chart(
    df: pd.DataFrame,
    x: str,
    y: str,
    series: str,
    *,
    ylabel: str,
    labels: Mapping[str, str] | None = None,
    colours: Mapping[str, str] | None = None,
    events: Mapping[object, str] | None = None,
    invert_y: bool = False,
    value_format: str | None = None,
    height: float = 3.8,
) -> Figure:
    """One line per value of ``series``, labelled at its end (no legend).

    ``labels`` maps series values to human names (default: :func:`kzlib.style.label`);
    ``value_format`` (e.g. ``"{:.0f}"``) adds the last value to each label; ``events``
    ({x: label}) marks key events; ``invert_y`` puts low values on top (ranks).
    Missing years break the line instead of bridging it.

    Example:
        >>> fig = line_chart(df, "year", "value", "country", ylabel="Score",
        ...                  events={2022: "January unrest"})     # doctest: +SKIP
    """
    fig, ax = _figure(height)
    ends = _draw_lines(ax, df, x, y, series, labels, colours, value_format)
    ax.set_ylabel(ylabel)
    if invert_y:
        ax.invert_yaxis()
    if events:
        annotate_events(ax, events)
    if not pd.api.types.is_datetime64_any_dtype(df[x]):
        ax.xaxis.get_major_locator().set_params(integer=True)
    line_ends(ax, ends)
    return fig


def indicator_lines(
    ind: pd.DataFrame,
    indicator: str,
    *,
    ylabel: str,
    countries: Sequence[str] | None = None,
    events: Mapping[int, str] | None = None,
    invert_y: bool = False,
    value_format: str | None = "{:.0f}",
) -> Figure:
    """One line per country for ``indicator`` over years, labelled at its end with its last
    value, with ``events`` ({year: label}) annotated at the edition they concern.

    When the rows use more than one scale direction (Freedom on the Net reversed its scale),
    each direction gets its own panel: values on different scales never share an axis.
    Several sources for one country-year are averaged (their spread is in the data)."""
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
        len(directions), 1, figsize=(WIDTH, 2.6 * len(directions) + 0.6), sharex=True, squeeze=False
    )
    for ax, direction in zip(axes[:, 0], directions, strict=True):
        part = rows[rows["direction"] == direction].copy()
        filled = []
        for country, line in part.groupby("country", observed=True, sort=True):
            years = range(int(line["year"].min()), int(line["year"].max()) + 1)
            line = line.set_index("year")[["value"]].astype("float64").reindex(years).reset_index()
            line["country"] = str(country)
            filled.append(line)
        ends = _draw_lines(ax, pd.concat(filled), "year", "value", "country", None, None, value_format)
        scale = direction.replace("_", " ")
        ax.set_ylabel(f"{ylabel}\n({scale})" if direction != "neutral" else ylabel)
        ax.xaxis.get_major_locator().set_params(integer=True)
        if invert_y:
            ax.invert_yaxis()
        if events:
            annotate_events(ax, events)
        line_ends(ax, ends)
    return fig


def category_by_year(
    df: pd.DataFrame,
    date: str,
    category: str,
    *,
    ylabel: str = "Incidents",
    labels: Mapping[str, str] | None = None,
) -> Figure:
    """Stacked bars: how many rows fall in each year, split by ``category``; the key reads
    across the top in stacking order (bottom first)."""
    years = df[date].dt.year.rename("year")
    counts = pd.crosstab(years, df[category].astype("str"))
    counts = counts.reindex(range(int(years.min()), int(years.max()) + 1), fill_value=0)
    cats = df[category].cat.categories if hasattr(df[category], "cat") else counts.columns
    order = [c for c in cats if c in counts.columns and counts[c].sum() > 0]
    fig, ax = _figure(3.8)
    bottom = pd.Series(0, index=counts.index)
    for c in order:
        ax.bar(counts.index, counts[c], bottom=bottom, color=style.colour(c), width=0.8, label=c)
        bottom += counts[c]
    ax.set_ylabel(ylabel)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.xaxis.get_major_locator().set_params(integer=True)
    handles = [Patch(color=style.colour(c), label=(labels or {}).get(c) or style.label(c)) for c in order]
    ax.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncols=min(4, len(order)),
        fontsize=7.5,
        handlelength=1,
        columnspacing=1,
        borderaxespad=0.2,
    )
    return fig


def counts_bar(
    counts: pd.Series,
    *,
    xlabel: str,
    labels: Mapping[str, str] | None = None,
    colour_by_index: bool = True,
    highlight: Sequence[str] = (),
) -> Figure:
    """Horizontal bars for a Series of counts (index = labels), largest on top, each bar
    labelled with its count (no axis needed to read it). ``highlight`` draws the named bars
    in the accent colour and the rest in grey (use it to point at the finding)."""
    counts = counts.sort_values()
    fig, ax = _figure(0.28 * len(counts) + 1.0)
    names = [(labels or {}).get(str(i)) or style.label(i) for i in counts.index]
    if highlight:
        colours = [
            style.PALETTE["wine"] if str(i) in highlight else style.PALETTE["light_grey"]
            for i in counts.index
        ]
    elif colour_by_index:
        colours = [style.colour(str(i)) for i in counts.index]
    else:
        colours = [style.PALETTE["indigo"]] * len(counts)
    bars = ax.barh(names, counts.to_numpy(), color=colours, height=0.7)
    ax.bar_label(bars, padding=3, fontsize=8, color=TEXT)
    _x_grid(ax)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlim(0, counts.max() * 1.12)
    ax.set_xlabel(xlabel)
    ax.tick_params(axis="y", length=0)
    return fig


def estimates(
    df: pd.DataFrame,
    value: str,
    label: str,
    *,
    xlabel: str,
    value_format: str = "{:,.1f}",
) -> Figure:
    """Estimates side by side: one bar per row, labelled by ``label`` (e.g. the source) and
    annotated with its value. Estimates from different sources are never averaged."""
    data = df.reset_index(drop=True)
    fig, ax = _figure(0.4 * len(data) + 1.0)
    values = data[value].astype("float64")
    bars = ax.barh(range(len(data)), values, color=style.PALETTE["indigo"], height=0.6)
    ax.bar_label(bars, [value_format.format(v) for v in values], padding=3, fontsize=8, color=TEXT)
    ax.set_yticks(range(len(data)), data[label].astype("str"))
    ax.invert_yaxis()
    _x_grid(ax)
    ax.set_xlim(0, values.max() * 1.18)
    ax.set_xlabel(xlabel)
    ax.tick_params(axis="y", length=0)
    return fig


# ---------------------------------------------------------------------------- durations

_UNIT = {"day": pd.Timedelta(days=1), "hour": pd.Timedelta(hours=1), "minute": pd.Timedelta(minutes=1)}


def _interval(date: object, precision: object) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The span of time a date of the given precision (day, month, year) stands for."""
    start = pd.Timestamp(date)
    if precision == "year":
        return start, start + pd.DateOffset(years=1)
    if precision == "month":
        return start, start + pd.DateOffset(months=1)
    return start, start + _UNIT.get(str(precision), pd.Timedelta(days=1))


def _naive(value: object) -> pd.Timestamp:
    ts = pd.Timestamp(value)  # type: ignore[arg-type]
    return ts.tz_convert(None) if ts.tzinfo is not None else ts


RANGE = "\u2013"  # en dash, as in "4-6 days" typeset


def _days_or_years(days: float) -> str:
    if days >= 730:
        return f"{days / 365.25:.1f} years"
    return f"{round(days)} day{'s' if round(days) != 1 else ''}"


def duration_text(low_h: float, high_h: float, exact: bool) -> str:
    """How long, as a reader says it: '4 hours', '111 hours (4.6 days)', '4-6 days' (with an en dash); a
    NaN ``high_h`` means no end was recorded ('at least 3.2 years, no end recorded').

    Example:
        >>> duration_text(111, 111, True), duration_text(0, 48, False)
        ('111 hours (4.6 days)', 'up to 2 days')
        >>> duration_text(96, 144, False) == "4\u20136 days"
        True
        >>> duration_text(24 * 400, float("nan"), False)
        'at least 400 days; no end recorded'
    """
    if pd.isna(high_h):
        return f"at least {_days_or_years(low_h / 24)}; no end recorded" if low_h > 0 else "no end recorded"
    if exact:
        hours = round(low_h)
        if hours < 48:
            return f"{hours} hour{'s' if hours != 1 else ''}"
        return f"{hours} hours ({low_h / 24:.1f} days)"
    lo, hi = low_h / 24, high_h / 24
    if round(lo) == 0:
        return f"up to {_days_or_years(hi)}"
    if hi >= 730:
        a, b = f"{lo / 365.25:.1f}", f"{hi / 365.25:.1f}"
        return f"{a}{RANGE}{b} years" if a != b else f"about {a} years"
    return f"{round(lo)}{RANGE}{round(hi)} days" if round(lo) != round(hi) else f"{round(lo)} days"


def duration_bounds(
    df: pd.DataFrame,
    *,
    start: str = "start_date",
    end: str = "end_date",
    start_utc: str | None = "start_utc",
    end_utc: str | None = "end_utc",
    start_precision: str | None = "start_precision",
    end_precision: str | None = "end_precision",
    status: str | None = "status",
    until: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """For each row: the shortest and longest duration its dates allow, in hours.

    Clock times (``start_utc``/``end_utc``, where present) are exact; a date stands for
    the whole day (or month, year) of its precision, so an incident from 5 to 10 January at
    day precision lasted 4 to 6 days. Rows without an end are ``open_ended``; a missing end
    is not proof of an ongoing restriction, so only rows whose ``status`` is ``ongoing`` get
    a lower bound (from their start to ``until``, e.g. the data's verification date); the
    others read 'no end recorded'. Columns: low_hours, high_hours, exact, open_ended, text.
    Columns named here but absent from ``df`` are ignored (no status column: every open row
    is taken to be ongoing).
    """
    out = []
    for _, row in df.iterrows():

        def get(col: str | None, r: pd.Series = row) -> object:
            return r[col] if col and col in r.index and pd.notna(r[col]) else None

        s_utc, e_utc = get(start_utc), get(end_utc)
        s_lo, s_hi = (
            (_naive(s_utc),) * 2 if s_utc is not None else _interval(get(start), get(start_precision))
        )
        end_value = get(end)
        if e_utc is not None:
            e_lo = e_hi = _naive(e_utc)
        elif end_value is not None:
            e_lo, e_hi = _interval(end_value, get(end_precision))
        else:
            e_lo = e_hi = None
        exact = s_utc is not None and e_utc is not None
        if e_lo is None:
            ongoing = get(status) in (None, "ongoing")
            low = max((until - s_hi) / pd.Timedelta(hours=1), 0.0) if until is not None and ongoing else 0.0
            out.append((low, np.nan, False, True, duration_text(low, np.nan, False)))
            continue
        low = max((e_lo - s_hi) / pd.Timedelta(hours=1), 0.0)
        high = (e_hi - s_lo) / pd.Timedelta(hours=1)
        out.append((low, high, exact, False, duration_text(low, high, exact)))
    return pd.DataFrame(
        out, columns=["low_hours", "high_hours", "exact", "open_ended", "text"], index=df.index
    )


_HOUR_TICKS = {
    1: "1 hour",
    6: "6 hours",
    24: "1 day",
    24 * 30: "1 month",
    24 * 365: "1 year",
    24 * 3650: "10 years",
}


def duration_ranges(
    df: pd.DataFrame,
    label: str,
    *,
    colour_by: str | None = None,
    until: pd.Timestamp | None = None,
    **columns: str | None,
) -> Figure:
    """How long each restriction lasted, on one logarithmic time axis (hours to years).

    A dot is a duration known to the hour (the sources give clock times); a bar spans the
    shortest to the longest duration the dates allow (day, month or year precision); an
    arrow marks an ongoing restriction (at least this long); an open circle at the left a
    restriction with no recorded end and nothing known about its length. Each row is written out ('111 hours
    (4.6 days)', '4-6 days') at its right. ``columns`` override the column names of
    :func:`duration_bounds`. ``label`` is a human label column (``short_title``).
    """
    bounds = duration_bounds(df, until=until, **columns)  # type: ignore[arg-type]
    unknown = bounds["open_ended"] & (bounds["low_hours"] == 0)  # no end, nothing known of length
    data = (
        df.assign(**bounds, _unknown=unknown, _high=bounds["high_hours"].fillna(0))
        .sort_values(["_unknown", "low_hours", "_high"], ascending=[True, False, False], kind="stable")
        .reset_index(drop=True)
    )
    fig, ax = _figure(0.3 * len(data) + 1.0)
    longest = float(np.nanmax([data["low_hours"].max(), data["high_hours"].max(), 48.0]))
    top = longest * 12  # room for the written durations on the log axis
    for i, row in data.iterrows():
        colour = style.colour(str(row[colour_by])) if colour_by else style.PALETTE["wine"]
        low = max(row["low_hours"], 0.5)
        if row["open_ended"] and row["low_hours"] == 0:  # nothing known about its length
            ax.plot(low, i, "o", color=colour, markersize=5, fillstyle="none")
            text_x = low
        elif row["open_ended"]:
            ax.annotate(
                "",
                (low * 3, i),
                xytext=(low, i),
                arrowprops={"arrowstyle": "-|>", "color": colour, "linewidth": 1.4},
            )
            text_x = low * 3
        elif row["exact"]:
            ax.plot(low, i, "o", color=colour, markersize=6)
            text_x = low
        else:
            ax.plot(
                [low, row["high_hours"]], [i, i], color=colour, linewidth=7, alpha=0.6, solid_capstyle="butt"
            )
            text_x = row["high_hours"]
        ax.annotate(
            row["text"],
            (text_x, i),
            xytext=(5, 0),
            textcoords="offset points",
            va="center",
            fontsize=7.5,
            color=TEXT,
        )
    ax.set_xscale("log")
    ax.set_xlim(0.4, top)
    ticks = {h: t for h, t in _HOUR_TICKS.items() if h <= longest * 3}
    ax.set_xticks(list(ticks), list(ticks.values()))
    ax.minorticks_off()
    ax.set_yticks(range(len(data)), data[label].astype("str"))
    ax.set_ylim(len(data) - 0.4, -0.6)
    ax.tick_params(axis="y", length=0)
    _x_grid(ax)
    ax.set_xlabel("Duration (logarithmic scale)")
    shown = {
        "known to the hour": data["exact"].any(),
        "range allowed by the dates": (~data["exact"] & ~data["open_ended"]).any(),
        "ongoing: at least this long": (data["open_ended"] & ~data["_unknown"]).any(),
        "no end recorded": data["_unknown"].any(),
    }
    styles = {
        "known to the hour": {"marker": "o", "linestyle": ""},
        "range allowed by the dates": {"alpha": 0.6, "linewidth": 7},
        "ongoing: at least this long": {"marker": ">", "linestyle": "-"},
        "no end recorded": {"marker": "o", "linestyle": "", "fillstyle": "none"},
    }
    key = [plt.Line2D([], [], color=MUTED, label=name, **styles[name]) for name, on in shown.items() if on]
    ax.legend(
        handles=key,
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncols=len(key),
        fontsize=7.5,
        borderaxespad=0.2,
    )
    return fig


def durations(
    df: pd.DataFrame,
    label: str,
    *,
    start: str = "start_date",
    end: str = "end_date",
    start_utc: str | None = "start_utc",
    end_utc: str | None = "end_utc",
    colour_by: str | None = None,
    reactions: pd.DataFrame | None = None,
    reaction_date: str = "date",
    reaction_label: str = "label",
    until: pd.Timestamp | None = None,
    events: Mapping[object, str] | None = None,
) -> Figure:
    """Restrictions on a calendar (Gantt): one bar per row from start to end, labelled by
    ``label`` (a human label column) and its duration.

    Bars with clock times (``start_utc``/``end_utc``) are solid and span exactly those
    hours; bars known only to the day are lighter and hatched and span whole days; rows
    without an end run hatched to ``until`` (default: the last date shown) with an arrow.
    ``reactions`` (statements, letters, countermeasures: columns ``reaction_date`` and
    ``reaction_label``) are drawn in their own panel below, never as restrictions.
    """
    style.use()
    data = df.dropna(subset=[start]).reset_index(drop=True)
    bounds = duration_bounds(data, start=start, end=end, start_utc=start_utc, end_utc=end_utc)
    rows = []
    for i, row in data.iterrows():
        has = lambda c, r=row: bool(c) and c in r.index and pd.notna(r[c])  # noqa: E731
        s = _naive(row[start_utc]) if has(start_utc) else pd.Timestamp(row[start])
        if has(end_utc):
            e = _naive(row[end_utc])
        elif has(end):
            e = pd.Timestamp(row[end]) + pd.Timedelta(days=1)
        else:
            e = None
        rows.append((s, e, has(start_utc) and has(end_utc), bounds.loc[i, "text"]))
    last = max([e for _, e, _, _ in rows if e is not None] + [s for s, _, _, _ in rows])
    limit = until if until is not None else last
    n_react = 0 if reactions is None else len(reactions)
    heights = [0.3 * len(data) + 0.6] + ([0.22 * n_react + 0.5] if n_react else [])
    fig, axes = plt.subplots(
        len(heights),
        1,
        figsize=(WIDTH, sum(heights) + 0.6),
        sharex=True,
        squeeze=False,
        gridspec_kw={"height_ratios": heights},
    )
    ax = axes[0, 0]
    order = sorted(range(len(rows)), key=lambda k: rows[k][0])
    for pos, k in enumerate(order):
        s, e, exact, text = rows[k]
        colour = style.colour(str(data.loc[k, colour_by])) if colour_by else style.PALETTE["wine"]
        stop = e if e is not None else limit
        ax.barh(
            pos,
            stop - s,
            left=s,
            height=0.62,
            color=colour,
            alpha=1.0 if exact else 0.55,
            hatch=None if exact else "////",
            edgecolor="white",
            linewidth=0,
        )
        if e is None:  # open-ended: an arrowhead at the edge of what is known
            ax.plot(stop, pos, ">", color=colour, markersize=6, clip_on=False)
        ax.annotate(
            f"{data.loc[k, label]} · {text}",
            (stop, pos),
            xytext=(8 if e is None else 4, 0),
            textcoords="offset points",
            va="center",
            fontsize=7.5,
            color=TEXT,
        )
    ax.set_yticks([])
    ax.set_ylim(len(rows) - 0.4, -0.6)
    ax.spines["left"].set_visible(False)
    _x_grid(ax)
    key = [
        Patch(color=MUTED, label="clock times in the sources"),
        Patch(facecolor=MUTED, alpha=0.55, hatch="////", edgecolor="white", label="dates only (whole days)"),
        plt.Line2D([], [], marker=">", linestyle="", color=MUTED, label="no end recorded"),
    ]
    ax.legend(
        handles=key, loc="lower left", bbox_to_anchor=(0, 1.0), ncols=3, fontsize=7.5, borderaxespad=0.2
    )
    if events:
        annotate_events(ax, events)
    if n_react:
        rax = axes[1, 0]
        react = reactions.sort_values(reaction_date).reset_index(drop=True)  # type: ignore[union-attr]
        for pos, r in react.iterrows():
            when = pd.Timestamp(r[reaction_date])
            rax.plot(when, pos, "D", color=style.colour("reaction"), markersize=4.5)
            rax.annotate(
                str(r[reaction_label]),
                (when, pos),
                xytext=(5, 0),
                textcoords="offset points",
                va="center",
                fontsize=7.5,
                color=TEXT,
            )
        rax.set_yticks([])
        rax.set_ylim(len(react) - 0.4, -0.6)
        rax.spines["left"].set_visible(False)
        rax.set_title("Reactions and statements", fontsize=8.5, color=MUTED)
        _x_grid(rax)
    bottom = axes[-1, 0]
    locator = mdates.AutoDateLocator(maxticks=8)
    bottom.xaxis.set_major_locator(locator)
    bottom.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    span = limit - min(s for s, _, _, _ in rows)
    ax.set_xlim(min(s for s, _, _, _ in rows) - span * 0.02, limit + span * 0.45)
    return fig
