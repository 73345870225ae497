"""Everything generated from the registry: pandera and Frictionless schemas, pyarrow schema, codebook.

One constraint is written once (in `schema/`) and compiled here into each validator's language,
so the validators cannot drift apart; tests check that a table broken in the same way is
rejected by both (style.md principle 1). Lists are ';'-separated strings in every format, and a
vocabulary on a list field becomes a pattern that only admits its values.
"""

from __future__ import annotations

import re
from typing import Any

from nkcp.schema.model import Field, Schema

PANDAS_TYPES = {"string": "string", "integer": "Int64", "number": "Float64", "date": "object", "boolean": "boolean"}


def value_pattern(f: Field, reg: Schema) -> str | None:
    """The regular expression a cell must match, or None (anchored, Python/XSD-compatible)."""
    if f.is_list:
        item = f"(?:{'|'.join(re.escape(v) for v in reg.allowed(f))})" if f.vocabulary else "[^;]+"
        return f"^{item}(?:;{item})*$"
    return f.pattern


def value_constraints(f: Field, reg: Schema) -> dict[str, Any]:
    """The constraints on a column's values, named as Frictionless names them; pandera's checks are
    made from the same dict, so the two validators cannot differ."""
    out: dict[str, Any] = {}
    if f.vocabulary and not f.is_list and not f.yaml_form:
        out["enum"] = reg.allowed(f)
    pattern = value_pattern(f, reg)
    if pattern:
        out["pattern"] = pattern
    for key, value in (("minimum", f.minimum), ("maximum", f.maximum), ("maxLength", f.max_length)):
        if value is not None:
            out[key] = value
    return out


# Frictionless (Data Package v2 table schema)
def frictionless_schema(table: str, reg: Schema) -> dict[str, Any]:
    t = reg.tables[table]
    fields = []
    for f in reg.table_fields(table):
        constraints = value_constraints(f, reg)
        if f.required:
            constraints = {"required": True, **constraints}
        spec: dict[str, Any] = {"name": f.name, "type": f.type, "description": f.description}
        if f.type == "boolean":
            spec["trueValues"], spec["falseValues"] = ["true"], ["false"]
        if constraints:
            spec["constraints"] = constraints
        if f.vocabulary and not f.is_list and reg.vocabularies[f.vocabulary].ordered:
            # Data Package v2: the order of the values means something (pandas: an ordered categorical).
            spec["categories"] = list(reg.vocabularies[f.vocabulary].values)
            spec["categoriesOrdered"] = True
        fields.append(spec)
    schema: dict[str, Any] = {"fields": fields, "missingValues": [""], "primaryKey": list(t.primary_key)}
    fks = []
    for fk in t.foreign_keys:
        ref: dict[str, Any] = {"fields": list(fk.reference)}
        if fk.table != table:
            ref = {"resource": fk.table, **ref}
        fks.append({"fields": list(fk.fields), "reference": ref})
    if fks:
        schema["foreignKeys"] = fks
    return schema


# pyarrow
def arrow_schema(table: str, reg: Schema) -> Any:
    import pyarrow as pa

    types = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "date": pa.date32(),
             "boolean": pa.bool_()}

    def arrow_type(f: Field) -> Any:
        """Typed for Arrow readers: a list is list<string>, a vocabulary a dictionary (polars
        Categorical, DuckDB ENUM-like), as the CSV's `;`-joined text and plain strings are not."""
        if f.is_list or f.yaml_form == "mapping_of_lists":
            return pa.list_(pa.string())
        if f.vocabulary and f.type == "string":
            return pa.dictionary(pa.int32(), pa.string())
        return types[f.type]

    return pa.schema([
        pa.field(f.name, arrow_type(f), nullable=not f.required,
                 metadata={"description": f.description}) for f in reg.table_fields(table)
    ], metadata={"table": table, "description": reg.tables[table].description})


# pandera
def pandera_schema(table: str, reg: Schema) -> Any:
    import pandera.pandas as pa

    t = reg.tables[table]
    make: dict[str, Any] = {"enum": pa.Check.isin, "pattern": pa.Check.str_matches, "minimum": pa.Check.ge,
                            "maximum": pa.Check.le, "maxLength": lambda n: pa.Check.str_length(max_value=n)}
    columns = {}
    for f in reg.table_fields(table):
        checks = [make[kind](value) for kind, value in value_constraints(f, reg).items()]
        if f.type == "date":
            checks.append(pa.Check(_all_dates, element_wise=False, error="values must be dates"))
        columns[f.name] = pa.Column(
            None if f.type == "date" else PANDAS_TYPES[f.type], checks=checks, nullable=not f.required,
            unique=t.primary_key == (f.name,), required=True, description=f.description)
    return pa.DataFrameSchema(columns, strict=True, ordered=True, name=table)


def _all_dates(series: Any) -> Any:
    import datetime as dt

    return series.map(lambda v: v is None or (isinstance(v, dt.date) and not isinstance(v, dt.datetime)))


# Markdown codebook
def codebook_markdown(reg: Schema) -> str:
    out = ["# Codebook", "",
           "Generated from `schema/` by `nkcp build`; do not edit by hand. Empty cells mean unknown;",
           "lists are `;`-separated. Every coded value is defined below.", ""]
    for name, t in reg.tables.items():
        out += [f"## Table `{name}`", "", t.description, "",
                f"Primary key: `{', '.join(t.primary_key)}`. Curated in `{t.records}/`.", "",
                "| field | type | required | values | description |", "|---|---|---|---|---|"]
        for f in reg.table_fields(name):
            values = f"[`{f.vocabulary}`](#vocabulary-{f.vocabulary.replace('_', '-')})" if f.vocabulary else (
                f"`{f.pattern}`" if f.pattern else "")
            kind = f.type + (" list" if f.is_list else "") + (" (derived)" if f.derived else "")
            cells = [f"`{f.name}`", kind, "yes" if f.required else "", values, f.description]
            out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        out.append("")
    out += ["## Vocabularies", ""]
    for name, v in reg.vocabularies.items():
        out += [f"### Vocabulary `{name}`", "", v.description, "", "| value | definition | crosswalk |",
                "|---|---|---|"]
        for value, spec in v.values.items():
            cross = ", ".join(f"{k} {spec[k]}" for k in spec if k not in ("definition",))
            out.append(f"| `{value}` | {spec['definition']} | {cross} |")
        out.append("")
    return "\n".join(out)
