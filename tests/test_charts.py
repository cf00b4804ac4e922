"""The shared charts: human labels, direct labels, fixed colours, honest durations."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # this test process only; notebooks keep their inline backend

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.text import Text

from kzlib import plots, style, timeline


def _texts(fig) -> list[str]:  # type: ignore[no-untyped-def]
    fig.canvas.draw()
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]


@pytest.fixture
def incidents() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "short_title": ["Nationwide blackout", "Messenger block", "Site block", "Court case"],
            "category": pd.Categorical(
                ["network_shutdown", "platform_block", "website_block", "prosecution"],
                categories=["network_shutdown", "platform_block", "website_block", "prosecution"],
            ),
            "start_date": pd.to_datetime(["2022-01-05", "2022-01-05", "2021-02-28", "2019-06-09"]),
            "start_precision": ["day", "day", "month", "day"],
            "end_date": pd.to_datetime(["2022-01-10", "2022-01-10", None, "2019-06-09"]),
            "end_precision": ["day", "day", None, "day"],
            "start_utc": pd.to_datetime(["2022-01-05T11:00:00Z", None, None, None], utc=True),
            "end_utc": pd.to_datetime(["2022-01-10T02:00:00Z", None, None, None], utc=True),
        }
    )


def test_durations_are_hours_where_clock_times_exist_and_ranges_otherwise(incidents: pd.DataFrame) -> None:
    b = plots.duration_bounds(incidents, until=pd.Timestamp("2026-12-01"))
    assert b.loc[0, "exact"] and b.loc[0, "low_hours"] == b.loc[0, "high_hours"] == 111
    assert b.loc[0, "text"] == "111 hours (4.6 days)"
    # 5 to 10 January at day precision: at least 4 days (6 Jan-9 Jan), at most 6 (5 Jan-10 Jan)
    assert (b.loc[1, "low_hours"], b.loc[1, "high_hours"], b.loc[1, "text"]) == (96, 144, "4\u20136 days")
    assert (
        b.loc[2, "open_ended"]
        and b.loc[2, "text"].startswith("at least 5.")
        and pd.isna(b.loc[2, "high_hours"])
    )
    assert b.loc[3, "text"] == "up to 1 day"
    # a missing end is not proof of an ongoing restriction: only status 'ongoing' gets a lower bound
    unknown = plots.duration_bounds(incidents.assign(status="unknown"), until=pd.Timestamp("2026-12-01"))
    assert (unknown.loc[2, "low_hours"], unknown.loc[2, "text"]) == (0, "no end recorded")


def test_gantt_draws_precision_and_keeps_reactions_apart(incidents: pd.DataFrame) -> None:
    reactions = pd.DataFrame({"date": pd.to_datetime(["2022-01-07"]), "label": ["Minister explains the cut"]})
    fig = plots.durations(incidents.iloc[:2], "short_title", colour_by="category", reactions=reactions)
    restrictions, reacted = fig.get_axes()
    bars = [p for p in restrictions.patches if p.get_width() > 0]
    assert sorted(p.get_hatch() or "" for p in bars) == ["", "////"]  # one exact, one day-precise
    assert "Minister explains the cut" in [t.get_text() for t in reacted.texts]
    assert not any("Minister" in t.get_text() for t in restrictions.texts)
    assert "Nationwide blackout · 111 hours (4.6 days)" in _texts(fig)
    plt.close(fig)


def test_duration_ranges_mark_open_ended_rows(incidents: pd.DataFrame) -> None:
    fig = plots.duration_ranges(
        incidents, "short_title", colour_by="category", until=pd.Timestamp("2026-12-01")
    )
    ax = fig.get_axes()[0]
    assert ax.get_xscale() == "log"
    assert ax.get_yticklabels()[0].get_text() == "Site block"  # longest first
    assert any(t.startswith("at least") and t.endswith("no end recorded") for t in _texts(fig))
    plt.close(fig)


def test_counts_bar_uses_human_labels_and_writes_each_count() -> None:
    counts = pd.Series({"network_shutdown": 10, "tls_interception": 4})
    fig = plots.counts_bar(counts, xlabel="Incidents")
    texts = _texts(fig)
    assert {"Network shutdown", "Certificate interception", "10", "4"} <= set(texts)
    assert not any("_" in t for t in texts)
    bars = fig.get_axes()[0].patches
    assert matplotlib.colors.to_hex(bars[-1].get_facecolor()) == style.colour("network_shutdown").lower()
    plt.close(fig)


def test_category_colours_are_fixed(incidents: pd.DataFrame) -> None:
    fig = plots.category_by_year(incidents, "start_date", "category")
    ax = fig.get_axes()[0]
    bars = {c.get_label(): c for c in ax.containers}
    for category in ("network_shutdown", "prosecution"):
        colour = matplotlib.colors.to_hex(bars[category].patches[0].get_facecolor())
        assert colour == style.colour(category).lower()
    assert "Network shutdown" in [t.get_text() for t in ax.get_legend().get_texts()]
    plt.close(fig)


def _indicators() -> pd.DataFrame:
    rows = [
        ("KAZ", 2015, 61, "higher_is_less_free"),
        ("KAZ", 2016, 63, "higher_is_less_free"),
        ("KAZ", 2020, 32, "higher_is_freer"),
        ("KAZ", 2021, 33, "higher_is_freer"),
        ("UZB", 2020, 27, "higher_is_freer"),
        ("UZB", 2021, 28, "higher_is_freer"),
    ]
    return pd.DataFrame(
        [("fotn", c, y, v, d) for c, y, v, d in rows],
        columns=["indicator", "country", "year", "value", "direction"],
    )


def test_fotn_scales_never_share_a_panel_and_lines_are_labelled_at_their_ends() -> None:
    fig = plots.indicator_lines(_indicators(), "fotn", ylabel="Score", events={2020: "Scale reversed"})
    axes = fig.get_axes()
    assert len(axes) == 2
    assert "higher is less free" in axes[0].get_ylabel() and "higher is freer" in axes[1].get_ylabel()
    assert all(ax.get_legend() is None for ax in axes)
    assert {"Kazakhstan 33", "Uzbekistan 28"} <= {t.get_text() for t in axes[1].texts}
    assert "Scale reversed" in {t.get_text() for t in axes[1].texts}
    plt.close(fig)


def test_direct_labels_never_overlap() -> None:
    assert plots.spread([1.0, 1.05, 1.1, 9.0], 0.5) == [0.55, 1.05, 1.55, 9.0]
    df = pd.DataFrame(
        {
            "year": [2020, 2021] * 3,
            "value": [50, 50.2, 50, 50.1, 50, 50.3],
            "country": ["KAZ", "KAZ", "UZB", "UZB", "KGZ", "KGZ"],
        }
    )
    fig = plots.line_chart(df, "year", "value", "country", ylabel="Score")
    fig.canvas.draw()
    boxes = [t.get_window_extent() for t in fig.get_axes()[0].texts]
    assert len(boxes) == 3
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    plt.close(fig)


def test_timeline_labels_never_overlap_and_keep_laws_above() -> None:
    dates = pd.to_datetime(
        [
            "2009-07-10",
            "2009-09-01",
            "2010-01-01",
            "2014-05-01",
            "2016-01-01",
            "2022-01-05",
            "2022-01-06",
            "2026-06-01",
        ]
    )
    events = pd.DataFrame(
        {
            "date": dates,
            "label": [f"A fairly long human label number {i}" for i in range(len(dates))],
            "kind": [
                "legal_measure",
                "website_block",
                "legal_measure",
                "legal_measure",
                "surveillance",
                "network_shutdown",
                "platform_block",
                "legal_measure",
            ],
            "precision": ["day", "month", "year", "day", "day", "day", "day", "day"],
        }
    )
    fig = timeline.timeline(events, precision="precision")
    ax = fig.get_axes()[0]
    fig.canvas.draw()
    labels = [t for t in ax.texts if t.get_text().startswith("A fairly")]
    boxes = [t.get_window_extent() for t in labels]
    assert len(boxes) == len(events)
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    for t in labels:  # laws above the axis (y > 0), incidents below
        n = int(t.get_text().rsplit(" ", 1)[1])
        assert (t.xy[1] > 0) == (events.loc[n, "kind"] == "legal_measure")
    assert "month or year only" in [t.get_text() for t in ax.get_legend().get_texts()]
    assert max(b.x1 for b in boxes) <= fig.bbox.width  # nothing runs off the right edge
    plt.close(fig)


def test_lane_assignment_is_greedy_and_lowest_first() -> None:
    assert timeline.assign_lanes([(0, 5), (1, 3), (4, 8), (6, 9)]) == [0, 1, 1, 0]
    assert timeline.assign_lanes([(0, 1), (1, 2)], gap=0.5) == [0, 1]


def test_import_stays_light() -> None:
    import subprocess
    import sys

    code = (
        "import sys, kzlib; print(sorted(m for m in ('pandas', 'matplotlib', 'seaborn') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
