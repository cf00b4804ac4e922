"""The house charts: titled, labelled, sourced, and saved deterministically."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # this test process only; notebooks keep their inline backend

import matplotlib.pyplot as plt
import pytest

import kzlib
from kzlib import plots, style
from kzlib.figures import check_labelled


def _texts(fig) -> list[str]:  # type: ignore[no-untyped-def]
    return [t.get_text() for t in fig.texts]


@pytest.fixture(scope="module")
def charts() -> dict[str, object]:
    inc = kzlib.load_incidents()
    ind = kzlib.load_indicators()
    return {
        "by_year": plots.category_by_year(
            inc.dropna(subset=["start_date"]),
            "start_date",
            "category",
            title="Incidents per year",
            datasets=["incidents"],
        ),
        "timeline": plots.timeline(
            inc, "start_date", "geo_scope", colour_by="category", title="Incidents", datasets=["incidents"]
        ),
        "durations": plots.durations(
            inc[inc.event_label == "January 2022 unrest"],
            "start_date",
            "end_date",
            "title",
            colour_by="category",
            title="January 2022",
            datasets=["incidents"],
        ),
        "fotn": plots.indicator_lines(ind, "fotn_total_score", title="Freedom on the Net", ylabel="Score"),
        "counts": plots.counts_bar(
            inc["category"].value_counts(), title="By category", xlabel="Incidents", datasets=["incidents"]
        ),
    }


def test_every_shared_chart_has_title_labels_and_source_line(charts: dict) -> None:  # type: ignore[type-arg]
    version = kzlib.package().version
    for name, fig in charts.items():
        assert any(t.startswith(f"Source: kz-internet data package v{version}") for t in _texts(fig)), name
        check_labelled(fig, name)  # raises if a title or axis label is missing


def test_fotn_scales_never_share_a_panel(charts: dict) -> None:  # type: ignore[type-arg]
    axes = charts["fotn"].get_axes()
    assert len(axes) == 2
    assert "higher is less free" in axes[0].get_ylabel() and "higher is freer" in axes[1].get_ylabel()


def test_category_colours_are_fixed(charts: dict) -> None:  # type: ignore[type-arg]
    ax = charts["by_year"].get_axes()[0]
    bars = {c.get_label(): c for c in ax.containers}
    for category in ("network_shutdown", "prosecution"):
        colour = matplotlib.colors.to_hex(bars[category].patches[0].get_facecolor())
        assert colour == style.colour(category).lower()


def test_save_figure_is_deterministic_and_atomic(tmp_path: Path, charts: dict) -> None:  # type: ignore[type-arg]
    first = kzlib.save_figure(charts["counts"], "counts", tmp_path / "a")
    second = kzlib.save_figure(charts["counts"], "counts", tmp_path / "b")
    assert [p.name for p in first] == ["counts.png", "counts.svg"]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes()
    svg = first[1].read_text(encoding="utf-8")
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg
    assert not [p for p in (tmp_path / "a").iterdir() if p.name.startswith(".")]  # no temp files left


def test_save_figure_refuses_unlabelled_charts(tmp_path: Path) -> None:
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    with pytest.raises(ValueError, match="lacks a title, axis labels on every panel, a source line"):
        kzlib.save_figure(fig, "bare", tmp_path)
    assert not list(tmp_path.iterdir())
    with pytest.raises(ValueError, match="plain file stem"):
        kzlib.save_figure(fig, "../escape", tmp_path)


def test_import_stays_light() -> None:
    import subprocess
    import sys

    code = (
        "import sys, kzlib; print(sorted(m for m in ('pandas', 'matplotlib', 'seaborn') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
