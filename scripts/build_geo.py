"""Build kzlib/_geo from Natural Earth GeoJSON (public domain): Kazakhstan's outline and the
points at which the map draws each ISO 3166-2:KZ region (its administrative centre).

Usage:
    python scripts/build_geo.py COUNTRIES.geojson POPULATED_PLACES.geojson

COUNTRIES is Natural Earth's 1:50m ``ne_50m_admin_0_countries``, POPULATED_PLACES its 1:10m
``ne_10m_populated_places_simple`` (GeoJSON conversions; see kzlib/_geo/SOURCE.md). The
outline keeps polygons of at least 0.05 square degrees and coordinates rounded to 0.01
degrees (about 1 km), which is plenty at book-page size.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kzlib.atomic import write_text_atomic

GEO = Path(__file__).resolve().parent.parent / "kzlib" / "_geo"

#: ISO 3166-2:KZ code -> (English name, administrative centre, name of that centre in Natural Earth)
REGIONS: dict[str, tuple[str, str, str]] = {
    "KZ-10": ("Abai", "Semey", "Semey"),
    "KZ-11": ("Akmola", "Kokshetau", "Kokshetau"),
    "KZ-15": ("Aktobe", "Aktobe", "Aqtobe"),
    "KZ-19": ("Almaty Region", "Konaev", "Qapshaghay"),
    "KZ-23": ("Atyrau", "Atyrau", "Atyrau"),
    "KZ-27": ("West Kazakhstan", "Oral", "Oral"),
    "KZ-31": ("Jambyl", "Taraz", "Taraz"),
    "KZ-33": ("Jetisu", "Taldykorgan", "Taldyqorghan"),
    "KZ-35": ("Karaganda", "Karaganda", "Qaraghandy"),
    "KZ-39": ("Kostanay", "Kostanay", "Oostanay"),
    "KZ-43": ("Kyzylorda", "Kyzylorda", "Qyzylorda"),
    "KZ-47": ("Mangystau", "Aktau", "Aqtau"),
    "KZ-55": ("Pavlodar", "Pavlodar", "Pavlodar"),
    "KZ-59": ("North Kazakhstan", "Petropavl", "Petropavlovsk"),
    "KZ-61": ("Turkistan", "Turkistan", "Turkistan"),
    "KZ-62": ("Ulytau", "Zhezkazgan", "Zhezqazghan"),
    "KZ-63": ("East Kazakhstan", "Oskemen", "Oskemen"),
    "KZ-71": ("Astana", "Astana", "Astana"),
    "KZ-75": ("Almaty", "Almaty", "Almaty"),
    "KZ-79": ("Shymkent", "Shymkent", "Shymkent"),
}


def _area(ring: list[list[float]]) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairwise(ring))) / 2


def _round_ring(ring: list[list[float]]) -> list[list[float]]:
    out: list[list[float]] = []
    for x, y in ring:
        point = [round(x, 2), round(y, 2)]
        if not out or out[-1] != point:
            out.append(point)
    return out


def outline(countries: dict) -> dict:  # type: ignore[type-arg]
    """Kazakhstan's polygons, small islands dropped, coordinates rounded."""
    (feature,) = [f for f in countries["features"] if f["properties"]["ADM0_A3"] == "KAZ"]
    geometry = feature["geometry"]
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    kept = [[_round_ring(ring) for ring in poly] for poly in polygons if _area(poly[0]) >= 0.05]
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "Kazakhstan", "source": "Natural Earth 1:50m admin-0 countries"},
                "geometry": {"type": "MultiPolygon", "coordinates": kept},
            }
        ],
    }


def region_points(places: dict) -> str:  # type: ignore[type-arg]
    """CSV of region_code,name_en,centre,lon,lat from Natural Earth's populated places."""
    found = {
        f["properties"]["name"]: f["geometry"]["coordinates"]
        for f in places["features"]
        if f["properties"]["adm0_a3"] == "KAZ"
    }
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["region_code", "name_en", "centre", "lon", "lat"])
    for code, (name, centre, ne_name) in sorted(REGIONS.items()):
        lon, lat = found[ne_name]
        writer.writerow([code, name, centre, f"{lon:.2f}", f"{lat:.2f}"])
    return buf.getvalue()


def main(countries_path: str, places_path: str) -> None:
    countries = json.loads(Path(countries_path).read_text(encoding="utf-8"))
    places = json.loads(Path(places_path).read_text(encoding="utf-8"))
    write_text_atomic(
        GEO / "kazakhstan.geojson", json.dumps(outline(countries), separators=(",", ":")) + "\n"
    )
    write_text_atomic(GEO / "region_points.csv", region_points(places))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2])
