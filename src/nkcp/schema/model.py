"""The one schema source: `schema/fields.yaml`, `schema/tables.yaml`, `schema/vocabularies.yaml`.

Everything that constrains a column (type, vocabulary, pattern, bounds, keys) is read from these
three files and nowhere else; pandera, Frictionless, pyarrow and the Markdown codebook are
generated from the models here (see `export.py`). The models refuse unknown keys, so a typo in
a schema file is an error with its file, line and key path, never a constraint silently dropped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import pydantic

from nkcp.io.yaml_nodes import key_path_line as _line_of
from nkcp.io.yaml_nodes import load_yaml_plain
from nkcp.paths import schema_dir
from nkcp.problems import InputError, Problems, suggest

SCHEMA_FILES = ("fields.yaml", "tables.yaml", "vocabularies.yaml")


class _Model(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class _Named(_Model):
    """A model whose name is its key in the file (filled in by `load_schema`, never written in the value)."""

    name: str = ""

    @pydantic.field_validator("name", mode="before")
    @classmethod
    def _not_written(cls, value: Any) -> Any:
        raise ValueError("the name is the entry's key; do not write it in the value")


class VocabularyValue(_Model):
    """One coded value: its definition, its severity rank and its crosswalks to the anchor datasets."""

    definition: str
    severity: int | None = None
    huridocs: str | None = None
    acled_time_precision: int | None = None
    ged_date_prec: int | None = None
    ged_where_prec: int | None = None
    max_span_days: int | None = None
    fact: str | None = None
    words: str | None = None


class Vocabulary(_Named):
    description: str
    values: dict[str, dict[str, Any]]
    ordered: bool = False  # the values are listed in an order that means something (severity)

    @pydantic.field_validator("values", mode="before")
    @classmethod
    def _check_values(cls, values: Any) -> Any:
        if isinstance(values, dict):
            for spec in values.values():
                VocabularyValue.model_validate(spec)
        return values

    def definition(self, value: str) -> str:
        return str(self.values[value]["definition"])


class Field(_Named):
    type: Literal["string", "integer", "number", "date", "boolean"]
    description: str
    required: bool = False
    vocabulary: str | None = None
    is_list: bool = pydantic.Field(default=False, alias="list")
    pattern: str | None = None
    minimum: int | float | None = None  # as written: 1 stays 1 in the descriptor, 90.0 stays 90.0
    maximum: int | float | None = None
    max_length: int | None = None
    reason_if_empty: bool = False
    derived: bool = False
    yaml_form: Literal["mapping", "mapping_of_lists"] | None = None

    @pydantic.field_validator("description")
    @classmethod
    def _strip(cls, text: str) -> str:
        return text.strip()


class ForeignKey(_Model):
    fields: tuple[str, ...]
    table: str
    reference: tuple[str, ...]


class Table(_Named):
    description: str
    records: str
    primary_key: tuple[str, ...]
    field_names: tuple[str, ...] = pydantic.Field(alias="fields")
    foreign_keys: tuple[ForeignKey, ...] = ()
    grouped_by: str | None = None


class _FieldsFile(_Model):
    fields: dict[str, Field]


class _TablesFile(_Model):
    tables: dict[str, Table]


class _VocabulariesFile(pydantic.RootModel[dict[str, Vocabulary]]):
    pass


class Schema(_Model):
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


def load_schema(root: Path | None = None) -> Schema:
    """The schema of a repository (or the bundled one), or InputError listing every problem in it."""
    d = schema_dir(root)
    rel = {name: _display(d / name, root) for name in SCHEMA_FILES}
    problems = Problems()
    docs = {name: load_yaml_plain(d / name) for name in SCHEMA_FILES}
    models: dict[str, Any] = {}
    files: dict[str, type[pydantic.BaseModel]] = {
        "fields.yaml": _FieldsFile, "tables.yaml": _TablesFile, "vocabularies.yaml": _VocabulariesFile}
    for name, model in files.items():
        try:
            models[name] = model.model_validate(docs[name])
        except pydantic.ValidationError as exc:
            for error in exc.errors():
                _report(d / name, rel[name], error, problems)
    if problems:
        raise InputError(problems)
    fields = {n: _named(f, n) for n, f in models["fields.yaml"].fields.items()}
    tables = {n: _named(t, n) for n, t in models["tables.yaml"].tables.items()}
    vocabularies = {n: _named(v, n) for n, v in models["vocabularies.yaml"].root.items()}
    _check_references(fields, tables, vocabularies, d, rel, problems)
    if problems:
        raise InputError(problems)
    return Schema(fields=fields, tables=tables, vocabularies=vocabularies)


def _named(model: Any, name: str) -> Any:
    return model.model_copy(update={"name": name})


def _check_references(fields: dict[str, Field], tables: dict[str, Table], vocabularies: dict[str, Vocabulary],
                      d: Path, rel: dict[str, str], problems: Problems) -> None:
    """What a model cannot see alone: names that must exist in another schema file."""
    for name, f in fields.items():
        if f.vocabulary and f.vocabulary not in vocabularies:
            problems.add(rel["fields.yaml"], _line_of(d / "fields.yaml", ("fields", name, "vocabulary")),
                         "schema-unknown-name", f"fields.{name}.vocabulary: no vocabulary {f.vocabulary!r} in vocabularies.yaml",
                         suggest(f.vocabulary, list(vocabularies)))
    for name, t in tables.items():
        for i, fname in enumerate(t.field_names):
            if fname not in fields:
                problems.add(rel["tables.yaml"], _line_of(d / "tables.yaml", ("tables", name, "fields", i)),
                             "schema-unknown-name",
                             f"tables.{name}.fields: no field {fname!r} in fields.yaml", suggest(fname, list(fields)))
        if len(t.primary_key) != 1 or t.primary_key[0] not in t.field_names:
            # the checks, the tables and the file names all take a record's ID as one value
            problems.add(rel["tables.yaml"], _line_of(d / "tables.yaml", ("tables", name, "primary_key")),
                         "schema-invalid",
                         f"tables.{name}.primary_key: the primary key must be one field of the table")


def _report(path: Path, rel: str, error: Any, problems: Problems) -> None:
    """One pydantic error as a located problem: the key path, what is wrong, the keys allowed."""
    loc = tuple(error["loc"])
    where = ".".join(str(part) for part in loc) or "(top level)"
    hint = ""
    if error["type"] == "extra_forbidden":
        known = _known_keys(loc)
        hint = suggest(str(loc[-1]), known, lead="did you mean") or ("known keys: " + ", ".join(known) if known else "")
        message = f"{where}: unknown key"
    else:
        message = f"{where}: {error['msg']}"
    problems.add(rel, _line_of(path, loc), "schema-invalid", message, hint)


def _known_keys(loc: tuple[Any, ...]) -> list[str]:
    """The keys a mapping at this key path may hold, for the hint of an unknown one."""
    model: Any = {"fields": Field, "tables": Table}.get(str(loc[0])) if len(loc) == 3 else None
    if len(loc) == 2:
        model = Vocabulary
    if len(loc) == 4 and loc[2] == "values":
        model = VocabularyValue
    if model is None:
        return []
    return sorted(f.alias or n for n, f in model.model_fields.items() if n != "name")


def _display(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()
