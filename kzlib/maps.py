"""Where incidents happened: a labelled map of Kazakhstan with one circle per region
(ISO 3166-2:KZ code), drawn at the region's administrative centre, sized and coloured by a
count. It is a schematic, not a boundary map: no openly licensed file of the 2022 regional
boundaries could be obtained, so the country outline (Natural Earth, public domain) is drawn
with points at city coordinates (Natural Earth populated places). See ``kzlib/_geo/SOURCE.md``.

Example:
    >>> from kzlib.maps import incident_map
    >>> fig = incident_map({"KZ-75": 12, "KZ-47": 5, "KZ-71": 3})
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Polygon
from matplotlib.transforms import offset_copy

from . import style
from .plots import WIDTH, spread

#: Sequential, colour-blind-safe ramp (Paul Tol's YlOrBr, light to dark).
SEQUENTIAL = ["#FFF7BC", "#FEE391", "#FEC44F", "#FB9A29", "#EC7014", "#CC4C02", "#993404", "#662506"]

EDGE = "#5A2A00"
TEXT = "#222222"

#: Latitude at which a degree of longitude is drawn to scale (the middle of the country).
_MID_LATITUDE = 48.0


@dataclass(frozen=True)
class Region:
    """An ISO 3166-2:KZ region and the point the map draws it at (its administrative centre)."""

    code: str
    name: str
    centre: str
    lon: float
    lat: float


def _radius(area: float) -> float:
    """Radius in points of a scatter marker of size ``area`` (its diameter is sqrt(area))."""
    return float(np.sqrt(area)) / 2


def _geo_file(name: str) -> str:
    return (resources.files("kzlib") / "_geo" / name).read_text(encoding="utf-8")


@cache
def regions() -> dict[str, Region]:
    """The 20 ISO 3166-2:KZ subdivisions (17 regions, 3 cities), by code."""
    rows = csv.DictReader(_geo_file("region_points.csv").splitlines())
    return {
        r["region_code"]: Region(
            r["region_code"], r["name_en"], r["centre"], float(r["lon"]), float(r["lat"])
        )
        for r in rows
    }


@cache
def outline() -> list[np.ndarray]:
    """Kazakhstan's outline as (lon, lat) rings, outer rings only."""
    geo = json.loads(_geo_file("kazakhstan.geojson"))
    return [np.asarray(poly[0]) for f in geo["features"] for poly in f["geometry"]["coordinates"]]


def incident_map(
    counts_by_region: Mapping[str, int],
    *,
    what: str = "incidents",
    label_zero: bool = False,
    width: float = WIDTH,
) -> Figure:
    """Circles at each region's centre, area proportional to its count, coloured on a
    sequential colour-blind-safe ramp, each labelled 'Name 12'. Regions with no count get
    a small grey dot (named too with ``label_zero``). ``what`` names the counted thing in
    the size key. Raises ``ValueError`` for a code that is not ISO 3166-2:KZ."""
    known = regions()
    unknown = sorted(set(counts_by_region) - set(known))
    if unknown:
        raise ValueError(
            f"incident_map: {', '.join(map(repr, unknown))} not an ISO 3166-2:KZ code "
            f"(known: {', '.join(sorted(known))})"
        )
    style.use()
    fig, ax = plt.subplots(figsize=(width, width * 0.56))
    for ring in outline():
        ax.add_patch(Polygon(ring, closed=True, facecolor="#F2F2F2", edgecolor="#9A9A9A", linewidth=0.7))
    counts = {code: int(counts_by_region.get(code, 0)) for code in known}
    top = max(max(counts.values()), 1)
    cmap = LinearSegmentedColormap.from_list("kz_sequential", SEQUENTIAL[2:])
    norm = Normalize(vmin=0, vmax=top)

    def size(n: int) -> float:  # marker area in points^2, proportional to n
        return 900 * n / top

    labelled = []
    for code, region in sorted(known.items(), key=lambda kv: -counts[kv[0]]):
        n = counts[code]
        if n > 0:
            ax.scatter(
                region.lon,
                region.lat,
                s=size(n),
                color=cmap(norm(n)),
                edgecolor=EDGE,
                linewidth=0.6,
                alpha=0.9,
                zorder=3,
            )
            labelled.append((region, f"{region.name} {n}", "#222222"))
        else:
            ax.scatter(region.lon, region.lat, s=8, color="#B0B0B0", zorder=3)
            if label_zero:
                labelled.append((region, region.name, "#888888"))
    # labels to the right of their circle, nudged apart vertically where they crowd (with a
    # leader line back to the circle when nudged)
    ys = spread([r.lat for r, _, _ in labelled], 1.05)
    for (region, text, colour), y in zip(labelled, ys, strict=True):
        radius_pt = _radius(size(counts[region.code])) if counts[region.code] else 2.0
        nudged = abs(y - region.lat) > 0.3
        ax.annotate(
            text,
            (region.lon, region.lat),
            xytext=(region.lon, y),
            textcoords=offset_copy(ax.transData, fig=fig, x=radius_pt + 3, y=0, units="points"),
            va="center",
            ha="left",
            fontsize=7.5,
            color=colour,
            zorder=4,
            arrowprops={
                "arrowstyle": "-",
                "color": "#999999",
                "linewidth": 0.5,
                "shrinkA": 1,
                "shrinkB": radius_pt,
            }
            if nudged
            else None,
        )
    ax.set_xlim(46, 88.5)
    ax.set_ylim(38.2, 55.7)
    ax.set_aspect(1 / np.cos(np.radians(_MID_LATITUDE)))
    ax.set_axis_off()
    # size key below the south-west border: a quarter, half and all of the top count
    steps = sorted({max(1, round(top / 4)), max(1, round(top / 2)), top})
    ax.annotate(
        f"{what.capitalize()}\n(circle area)", (46.5, 39.4), fontsize=7.5, color=TEXT, va="center", ha="left"
    )
    cursor = 0.0  # points right of the key's anchor
    for n in steps:
        radius = _radius(size(n))
        at = offset_copy(ax.transData, fig=fig, x=cursor + radius, y=0, units="points")
        ax.scatter(
            52.0, 39.4, s=size(n), color=cmap(norm(n)), edgecolor=EDGE, linewidth=0.6, zorder=3, transform=at
        )
        ax.annotate(
            str(n),
            (52.0, 39.4),
            xytext=(cursor + 2 * radius + 2, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=7.5,
            color=TEXT,
            annotation_clip=False,
        )
        cursor += 2 * radius + 20
    return fig
