"""An independent RFC 7946 checker for exported GeoJSON files (test helper)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import shapely


def _ring_area(ring: list[list[float]]) -> float:
    """Signed shoelace area of a lon/lat ring: positive when counter-clockwise."""
    xy = np.asarray(ring, dtype=float)
    return 0.5 * float(np.sum(xy[:-1, 0] * xy[1:, 1] - xy[1:, 0] * xy[:-1, 1]))


def _polygons(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    return []


def _positions(coords: Any) -> np.ndarray:
    return np.asarray(coords, dtype=float).reshape(-1, np.asarray(coords, dtype=float).shape[-1])


def check_feature_collection(path: Path, *, max_decimals: int = 6) -> dict[str, Any]:
    """Assert that ``path`` holds an RFC 7946 FeatureCollection; return it parsed.

    Checks: no ``crs`` member; lon in [-180, 180] and lat in [-90, 90]; at most
    ``max_decimals`` decimals; exterior rings counter-clockwise and holes
    clockwise; no edge longer than 180° of longitude (an edge crossing the
    antimeridian); closed rings; valid geometries.
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    assert "crs" not in data
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        geometry = feature["geometry"]
        if geometry is None:
            continue
        text = json.dumps(geometry["coordinates"])
        for token in text.replace("[", " ").replace("]", " ").replace(",", " ").split():
            if "." in token and "e" not in token.lower():
                assert len(token.split(".")[1]) <= max_decimals, token
        for part in _line_parts(geometry):
            xy = _positions(part)
            assert np.all(np.abs(xy[:, 0]) <= 180)
            assert np.all(np.abs(xy[:, 1]) <= 90)
            assert np.all(np.abs(np.diff(xy[:, 0])) <= 180), "an edge crosses the antimeridian"
        for polygon in _polygons(geometry):
            for index, ring in enumerate(polygon):
                assert ring[0] == ring[-1], "ring not closed"
                area = _ring_area(ring)
                if index == 0:
                    assert area > 0, "exterior ring is not counter-clockwise"
                else:
                    assert area < 0, "hole is not clockwise"
        assert shapely.from_geojson(json.dumps(geometry)).is_valid
    return data


def _line_parts(geometry: dict[str, Any]) -> list[Any]:
    kind, coords = geometry["type"], geometry["coordinates"]
    if kind in ("Point", "MultiPoint"):
        return [coords if kind == "MultiPoint" else [coords]]
    if kind in ("LineString",):
        return [coords]
    if kind in ("MultiLineString", "Polygon"):
        return list(coords)
    if kind == "MultiPolygon":
        return [ring for polygon in coords for ring in polygon]
    return []
