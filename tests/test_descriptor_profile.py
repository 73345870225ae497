"""Every `datapackage.json` we write conforms to the official Data Package v2 JSON Schema.

The profiles in tests/schemas/datapackage-v2/ are copies of the Data Package v2 standard's
(`datapackage.json`, `dataresource.json`, `tableschema.json`, `tabledialect.json`). Frictionless
alone is not enough: it passed descriptors that the profile refuses (`type: file`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from tests.conftest import REPO, run_cli

PROFILE = json.loads((REPO / "tests" / "schemas" / "datapackage-v2" / "datapackage.json").read_text(encoding="utf-8"))


def profile_errors(descriptor: dict[str, Any]) -> list[str]:
    validator = jsonschema.validators.validator_for(PROFILE)(PROFILE)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(descriptor)]


def test_the_committed_descriptor_conforms_to_the_v2_profile() -> None:
    descriptor = json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))
    assert profile_errors(descriptor) == []
    assert descriptor["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"


def test_a_fresh_build_of_the_fixture_conforms(mini_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(mini_repo)
    code, output = run_cli("build")
    assert code == 0, output
    assert profile_errors(json.loads((mini_repo / "datapackage.json").read_text(encoding="utf-8"))) == []


def test_every_table_is_a_tabular_data_resource_with_its_parquet_file() -> None:
    """R's frictionless package reads a table only with this profile (read_resource refuses others)."""
    descriptor = json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        assert resource["type"] == "table"
        assert resource["profile"] == "tabular-data-resource"
        assert (REPO / resource["parquet"]["path"]).is_file()
    assert {"id", "sources", "contributors", "licenses", "version"} <= descriptor.keys()
    assert all(s["path"].startswith("https://") for s in descriptor["sources"])


def test_the_profile_check_is_live() -> None:
    """The descriptor of release 0.1.0 listed its Parquet files as `type: file`, which v2 refuses."""
    descriptor = json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"].append({"name": "events-parquet", "type": "file", "path": "build/events.parquet"})
    assert any("resources/5/type" in e for e in profile_errors(descriptor))


def test_an_ordered_vocabulary_is_ordered_in_the_descriptor_and_in_pandas() -> None:
    """event_type is ordered by severity (schema/vocabularies.yaml): v2 `categoriesOrdered`, and
    an ordered pandas categorical, so `max()` gives the most severe type."""
    import nkcp

    descriptor = json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))
    events = next(r for r in descriptor["resources"] if r["name"] == "events")
    field = next(f for f in events["schema"]["fields"] if f["name"] == "event_type")
    assert field["categoriesOrdered"] is True
    assert field["categories"] == field["constraints"]["enum"]
    frame = nkcp.load("events", package=REPO)
    assert frame["event_type"].cat.ordered
    assert list(frame["event_type"].cat.categories) == field["categories"]
    assert not frame["record_status"].cat.ordered


def test_parquet_files_are_typed_for_arrow_readers() -> None:
    """Vocabularies are dictionaries, lists list<string>, each field described; the CSV keeps text."""
    import polars as pl
    import pyarrow.parquet as pq

    from nkcp.outputs.tables import LIST_SEPARATOR
    from nkcp.schema.model import load_schema

    reg = load_schema(REPO)
    assert reg.list_separator == LIST_SEPARATOR
    events = pq.read_table(REPO / "build" / "events.parquet")
    assert str(events.schema.field("event_type").type).startswith("dictionary<values=string")
    assert str(events.schema.field("other_event_types").type) == "list<element: string>"
    assert events.schema.field("event_id").metadata[b"description"].decode() == reg.fields["event_id"].description
    assert pl.read_parquet(REPO / "build" / "events.parquet").schema["event_type"] == pl.Categorical
    listed = [v for v in events.column("other_event_types").to_pylist() if v]
    assert listed and all(isinstance(v, list) for v in listed)
    csv = (REPO / "build" / "events.csv").read_text(encoding="utf-8")
    assert LIST_SEPARATOR.join(listed[0]) in csv
