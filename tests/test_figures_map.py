"""The incident map: ISO 3166-2:KZ regions, a small committed outline with its licence."""

from __future__ import annotations

import csv
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

from kzlib import maps

GEO = Path(__file__).resolve().parent.parent / "kzlib" / "_geo"
REGIONS = Path(__file__).resolve().parent.parent / "data" / "regions.csv"


def test_map_draws_a_sized_circle_and_a_label_per_counted_region() -> None:
    fig = maps.incident_map({"KZ-75": 12, "KZ-47": 3, "KZ-71": 0})
    ax = fig.get_axes()[0]
    labels = {t.get_text() for t in ax.texts}
    assert {"Almaty 12", "Mangystau 3"} <= labels and "Astana 0" not in labels
    sizes = sorted(float(c.get_sizes()[0]) for c in ax.collections)
    assert sizes[-1] == pytest.approx(900) and 900 * 3 / 12 in [pytest.approx(s) for s in sizes]
    assert len(ax.patches) == len(maps.outline())
    plt.close(fig)


def test_map_refuses_codes_that_are_not_iso_3166_2_kz() -> None:
    with pytest.raises(ValueError, match="'KZ-ALA' not an ISO 3166-2:KZ code"):
        maps.incident_map({"KZ-ALA": 1})


def test_geo_files_are_small_licensed_and_cover_the_20_subdivisions() -> None:
    assert sum(p.stat().st_size for p in GEO.iterdir()) < 300_000
    assert {"SOURCE.md", "LICENSE", "kazakhstan.geojson", "region_points.csv"} <= {
        p.name for p in GEO.iterdir()
    }
    codes = set(maps.regions())
    assert len(codes) == 20
    for region in maps.regions().values():  # every point lies in Kazakhstan's bounding box
        assert 46 < region.lon < 88 and 40 < region.lat < 56
    if REGIONS.is_file():  # the data package's reference table names the same codes
        with REGIONS.open(encoding="utf-8", newline="") as fh:
            assert {r["region_code"] for r in csv.DictReader(fh)} == codes
