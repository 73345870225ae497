"""The one schema source: `schema/fields.yaml`, `schema/tables.yaml`, `schema/vocabularies.yaml`.

Everything that constrains a column (type, vocabulary, pattern, bounds, keys) is read from these
three files and nowhere else; pandera, Frictionless, pyarrow and the Markdown codebook are
generated from the objects defined here (see `targets.py`). The registry is plain data so a
non-programmer can review a change to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from nkcp.io.yaml_nodes import load_yaml_plain
from nkcp.paths import schema_dir

TYPES = ("string", "integer", "number", "date", "boolean")


@dataclass(frozen=True)
class Vocabulary:
    name: str
    description: str
    values: dict[str, dict[str, Any]]

    def definition(self, value: str) -> str:
        return str(self.values[value]["definition"])


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    description: str
    required: bool = False
    vocabulary: str | None = None
    is_list: bool = False
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None
    reason_if_empty: bool = False
    derived: bool = False
    yaml_form: str | None = None


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    table: str
    reference: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    records: str
    primary_key: tuple[str, ...]
    field_names: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    grouped_by: str | None = None


@dataclass(frozen=True)
class Schema:
    fields: dict[str, Field]
    tables: dict[str, Table]
    vocabularies: dict[str, Vocabulary]
    list_separator: str = ";"

    def table_fields(self, table: str) -> list[Field]:
        """The fields of a table in order."""
        return [self.fields[name] for name in self.tables[table].field_names]

    def allowed(self, f: Field) -> list[str]:
        return list(self.vocabularies[f.vocabulary].values) if f.vocabulary else []

    def is_allowed(self, f: Field, value: str) -> bool:
        return f.vocabulary is not None and value in self.vocabularies[f.vocabulary].values


_FIELD_KEYS = {"type", "description", "required", "vocabulary", "list", "pattern", "minimum",
               "maximum", "max_length", "reason_if_empty", "derived", "yaml_form"}


def parse_schema(fields_doc: dict[str, Any], tables_doc: dict[str, Any],
                   vocab_doc: dict[str, Any]) -> Schema:
    """Build the registry from the three parsed documents, refusing anything malformed."""
    vocabularies = {
        name: Vocabulary(name, str(spec["description"]), dict(spec["values"]))
        for name, spec in vocab_doc.items()
    }
    fields: dict[str, Field] = {}
    for name, spec in fields_doc["fields"].items():
        unknown = set(spec) - _FIELD_KEYS
        if unknown:
            raise ValueError(f"field {name}: unknown keys {sorted(unknown)}")
        if spec["type"] not in TYPES:
            raise ValueError(f"field {name}: unknown type {spec['type']}")
        if spec.get("vocabulary") and spec["vocabulary"] not in vocabularies:
            raise ValueError(f"field {name}: unknown vocabulary {spec['vocabulary']}")
        fields[name] = Field(
            name=name, type=spec["type"], description=str(spec["description"]).strip(),
            required=bool(spec.get("required", False)), vocabulary=spec.get("vocabulary"),
            is_list=bool(spec.get("list", False)), pattern=spec.get("pattern"),
            minimum=spec.get("minimum"), maximum=spec.get("maximum"),
            max_length=spec.get("max_length"), reason_if_empty=bool(spec.get("reason_if_empty", False)),
            derived=bool(spec.get("derived", False)), yaml_form=spec.get("yaml_form"),
        )
    tables: dict[str, Table] = {}
    for name, spec in tables_doc["tables"].items():
        for fname in spec["fields"]:
            if fname not in fields:
                raise ValueError(f"table {name}: field {fname} is not in the registry")
        if len(spec["primary_key"]) != 1 or spec["primary_key"][0] not in spec["fields"]:
            # the checks, the tables and the file names all take a record's ID as one value
            raise ValueError(f"table {name}: the primary key must be one field of the table")
        fks = tuple(
            ForeignKey(tuple(fk["fields"]), fk["table"], tuple(fk["reference"]))
            for fk in spec.get("foreign_keys", [])
        )
        tables[name] = Table(name, str(spec["description"]), spec["records"],
                             tuple(spec["primary_key"]), tuple(spec["fields"]), fks,
                             spec.get("grouped_by"))
    return Schema(fields, tables, vocabularies)


SCHEMA_FILES = ("fields.yaml", "tables.yaml", "vocabularies.yaml")


def load_schema(root: Path | None = None) -> Schema:
    """The schema of a repository (or the bundled one), parsed once per state of its files."""
    d = schema_dir(root)
    stamp = tuple((st.st_mtime_ns, st.st_size) for st in ((d / name).stat() for name in SCHEMA_FILES))
    return _parse_dir(d, stamp)


@lru_cache(maxsize=8)
def _parse_dir(d: Path, stamp: tuple[tuple[int, int], ...]) -> Schema:
    docs = [load_yaml_plain(d / name) for name in SCHEMA_FILES]
    return parse_schema(docs[0], docs[1], docs[2])
