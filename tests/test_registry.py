"""Tests of the schema registry itself (after PUDL's metadata tests): every field defined and
used, every vocabulary value defined, naming conventions kept, every table compiles to every
target, and the committed generated files equal what the registry generates."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import REPO

from nkcp.problems import InputError
from nkcp.schema.export import arrow_schema, codebook_markdown, frictionless_schema, pandera_schema
from nkcp.schema.model import load_schema

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
def test_a_primary_key_must_be_one_field_of_its_table(mini_repo: Path, key: list[str]) -> None:
    repo = mini_repo
    text = (repo / "schema" / "tables.yaml").read_text(encoding="utf-8")
    (repo / "schema" / "tables.yaml").write_text(
        text.replace("primary_key: [event_id]", f"primary_key: {json.dumps(key)}"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_schema(repo)
    [problem] = list(caught.value.problems)
    assert (problem.path, problem.code) == ("schema/tables.yaml", "schema-invalid")
    assert problem.message.startswith("tables.events.primary_key: the primary key must be one field")
    assert text.splitlines()[problem.line - 1].strip().startswith("primary_key: [event_id]")


def test_an_unknown_key_in_a_schema_file_is_refused_with_file_line_and_key_path(mini_repo: Path) -> None:
    repo = mini_repo
    path = repo / "schema" / "fields.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = lines.index("    pattern: '^E[0-9]{4,}$'\n")
    lines.insert(at + 1, "    primry: x\n")
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_schema(repo)
    [problem] = list(caught.value.problems)
    assert problem.path == "schema/fields.yaml" and problem.line == at + 2
    assert problem.message == "fields.event_id.primry: unknown key"
    assert "primary_key" not in problem.hint and "required" in problem.hint  # a field's keys, not a table's

    result = subprocess.run([sys.executable, "-m", "nkcp", "validate", "--root", str(repo)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert f"schema/fields.yaml:{at + 2}: [schema-invalid] fields.event_id.primry: unknown key" in result.stderr
    assert "Traceback" not in result.stderr


def test_every_problem_in_the_schema_files_is_reported_at_once(mini_repo: Path) -> None:
    repo = mini_repo
    for name, old, new in [("fields.yaml", "    type: string\n", "    type: text\n"),
                           ("vocabularies.yaml", "  description: Where a curated", "  descripton: Where a curated"),
                           ("tables.yaml", "    records: sources\n", "    records: sources\n    key: x\n")]:
        path = repo / "schema" / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_schema(repo)
    found = {(p.path, p.message.split(":")[0]) for p in caught.value.problems}
    assert {("schema/fields.yaml", "fields.event_id.type"), ("schema/tables.yaml", "tables.sources.key"),
            ("schema/vocabularies.yaml", "record_status.descripton")} <= found


def test_committed_package_schemas_equal_the_registry() -> None:
    package = json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))
    tables = {r["name"]: r for r in package["resources"] if r.get("type") == "table"}
    assert set(tables) == set(REG.tables)
    for name in REG.tables:
        assert tables[name]["schema"] == frictionless_schema(name, REG), name


def test_committed_codebook_equals_the_registry() -> None:
    assert (REPO / "build" / "CODEBOOK.md").read_text(encoding="utf-8") == codebook_markdown(REG)
