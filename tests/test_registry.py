"""Tests of the schema registry itself (after PUDL's metadata tests): every field defined and
used, every vocabulary value defined, naming conventions kept, every table compiles to every
target, and the committed generated files equal what the registry generates."""

from __future__ import annotations

import json
import re

import pytest
from tests.conftest import REPO

from nkcp.io.yaml_nodes import load_yaml_plain
from nkcp.schema.export import arrow_schema, codebook_markdown, frictionless_schema, pandera_schema
from nkcp.schema.model import SCHEMA_FILES, load_schema, parse_schema

REG = load_schema(REPO)


def test_every_field_is_used_by_a_table() -> None:
    used = {name for t in REG.tables.values() for name in t.field_names}
    assert set(REG.fields) - used == set()


def test_every_vocabulary_is_used_by_a_field() -> None:
    used = {f.vocabulary for f in REG.fields.values() if f.vocabulary}
    assert set(REG.vocabularies) - used == set()


@pytest.mark.parametrize("vocab", sorted(REG.vocabularies))
def test_every_value_has_a_one_sentence_definition(vocab: str) -> None:
    for value, spec in REG.vocabularies[vocab].values.items():
        assert re.fullmatch(r"[a-z0-9_]+", value), value
        definition = str(spec.get("definition", ""))
        assert definition.endswith("."), (value, definition)
        assert "\n" not in definition and len(definition) < 200, value


def test_event_types_are_ordered_by_severity() -> None:
    severities = [spec["severity"] for spec in REG.vocabularies["event_type"].values.values()]
    assert severities == sorted(severities) == list(range(1, len(severities) + 1))


@pytest.mark.parametrize("name", sorted(REG.fields))
def test_naming_conventions(name: str) -> None:
    f = REG.fields[name]
    if name.endswith("_id") and name != "geonames_id":
        assert f.type == "string" and f.pattern, name
    if name.startswith("is_"):
        assert f.type == "boolean", name
    if name.endswith("_count") or (name.startswith("count_") and name not in ("count_unit", "count_words")):
        assert f.type == "integer", name
    if "date" in name and not name.endswith(("_basis", "_precision", "_words")):
        assert f.type == "date", name
    assert f.description.endswith((".", ")", "'")), name


@pytest.mark.parametrize("table", sorted(REG.tables))
def test_table_compiles_to_every_target(table: str) -> None:
    from frictionless import Schema

    names = list(REG.tables[table].field_names)
    assert arrow_schema(table, REG).names == names
    assert list(pandera_schema(table, REG).columns) == names
    schema = Schema.from_descriptor(frictionless_schema(table, REG))
    assert schema.field_names == names
    assert Schema.validate_descriptor(frictionless_schema(table, REG)).valid


def test_primary_keys_and_foreign_keys_name_real_fields() -> None:
    for t in REG.tables.values():
        assert set(t.primary_key) <= set(t.field_names)
        for fk in t.foreign_keys:
            assert set(fk.fields) <= set(t.field_names)
            assert set(fk.reference) <= set(REG.tables[fk.table].field_names)
            assert REG.tables[fk.table].primary_key == fk.reference


@pytest.mark.parametrize("key", [["event_id", "record_status"], [], ["no_such_field"]])
def test_a_primary_key_must_be_one_field_of_its_table(key: list[str]) -> None:
    docs = [load_yaml_plain(REPO / "schema" / name) for name in SCHEMA_FILES]
    docs[1]["tables"]["events"]["primary_key"] = key
    with pytest.raises(ValueError, match="table events: the primary key must be one field"):
        parse_schema(*docs)


def test_committed_package_schemas_equal_the_registry() -> None:
    package = json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))
    tables = {r["name"]: r for r in package["resources"] if r.get("type") == "table"}
    assert set(tables) == set(REG.tables)
    for name in REG.tables:
        assert tables[name]["schema"] == frictionless_schema(name, REG), name


def test_committed_codebook_equals_the_registry() -> None:
    assert (REPO / "build" / "CODEBOOK.md").read_text(encoding="utf-8") == codebook_markdown(REG)
