"""What of a data package descriptor our package check can check as Frictionless would.

package_check.py promises to reject every package Frictionless rejects. That holds only for the
descriptor properties it knows: a property that changes how Frictionless reads or checks a
file (`rows`, `extrapaths`, `decimalChar`, a field's own `missingValues`, a dialect left for
Frictionless to guess from the data...) would otherwise be passed over in silence. So the
descriptor is read against lists of the properties allowed, with their types, and anything else
is reported as unsupported, with the advice to run Frictionless. A value of the wrong type is
reported as a descriptor problem, never raised.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any

from nkcp.column_checks import unsupported as unsupported_field

# Properties that describe, and change nothing in how a file is read or checked.
_WORDS = {"title", "description", "example", "examples", "rdfType", "$schema", "profile", "licenses", "sources",
          "keywords", "homepage", "version", "created", "contributors", "image", "id", "categories",
          "categoriesOrdered"}
RESOURCE_KEYS = {"name", "path", "type", "scheme", "format", "mediatype", "encoding", "bytes", "hash", "schema",
                 "dialect"} | _WORDS
SCHEMA_KEYS = {"fields", "missingValues", "primaryKey", "foreignKeys"} | _WORDS
FIELD_KEYS = {"name", "type", "format", "constraints", "trueValues", "falseValues", "bareNumber"} | _WORDS
# Frictionless guesses from the data each of these that a dialect leaves out (csv.Sniffer).
STATED_DIALECT = ("delimiter", "quoteChar")
_DIALECT_VALUES = {"header": True, "doubleQuote": True, "skipInitialSpace": False}  # the only values allowed
_CONSTRAINT_TYPES: dict[str, tuple[type, ...]] = {
    "required": (bool,), "unique": (bool,), "pattern": (str,), "enum": (list,),
    "minLength": (int,), "maxLength": (int,), "minimum": (int, float), "maximum": (int, float)}


def descriptor_problems(descriptor: Any) -> tuple[list[str], list[str]]:
    """(what is wrong with the descriptor, what in it this check cannot make), each in words."""
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        return ["needs a list of resources"], []
    wrong: list[str] = []
    cannot: list[str] = []
    for n, resource in enumerate(descriptor["resources"]):
        if not (isinstance(resource, dict) and isinstance(resource.get("name"), str)
                and isinstance(resource.get("path"), str)):
            wrong.append(f"resource {n + 1} needs a name and one path")
            continue
        said = f'resource "{resource["name"]}": '
        found = _resource_wrong(resource)
        wrong += [said + w for w in found]
        if not found:  # what cannot be checked is read only from a descriptor of the right shape
            cannot += [said + c for c in _resource_cannot(resource)]
    return wrong, cannot


def _resource_wrong(resource: dict[str, Any]) -> list[str]:
    wrong = []
    if "bytes" in resource and (not isinstance(resource["bytes"], int) or isinstance(resource["bytes"], bool)):
        wrong.append("bytes must be a whole number")
    if "hash" in resource and not isinstance(resource["hash"], str):
        wrong.append("hash must be a string")
    schema = resource.get("schema")
    if schema is None:
        return wrong
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list) or not all(
            isinstance(f, dict) and isinstance(f.get("name"), str) for f in schema["fields"]):
        return [*wrong, "schema needs a list of fields, each with a name"]
    missing = schema.get("missingValues", [""])
    if not isinstance(missing, list) or not all(isinstance(v, str) for v in missing):
        wrong.append("missingValues must be a list of strings")
    for field in schema["fields"]:
        wrong += [f'field "{field["name"]}": {w}' for w in _field_wrong(field)]
    names = {f["name"] for f in schema["fields"]}
    keys = [("primaryKey", schema.get("primaryKey", []))]
    foreign = schema.get("foreignKeys", [])
    if not isinstance(foreign, list) or not all(isinstance(fk, dict) and isinstance(fk.get("reference", {}), dict)
                                                for fk in foreign):
        return [*wrong, "foreignKeys must be a list of objects, each with a reference object"]
    keys += [("foreignKeys fields", fk.get("fields")) for fk in foreign]
    keys += [("foreignKeys reference fields", fk.get("reference", {}).get("fields")) for fk in foreign]
    for what, key in keys:
        if not (isinstance(key, str) or (isinstance(key, list) and all(isinstance(k, str) for k in key))):
            wrong.append(f"{what} must be a field name or a list of them")
        elif what != "foreignKeys reference fields" and not set(names_of(key)) <= names:
            wrong.append(f"{what} names fields the schema does not have: {key}")
    for fk in foreign:
        reference = fk.get("reference", {}).get("resource", "")
        if not isinstance(reference, str):
            wrong.append("a foreign key's reference resource must be a resource name")
    return wrong


def _field_wrong(field: dict[str, Any]) -> list[str]:
    constraints = field.get("constraints", {})
    if not isinstance(constraints, dict):
        return ["constraints must be an object"]
    wrong = []
    for name, value in constraints.items():
        types = _CONSTRAINT_TYPES.get(name)
        if types is not None and (not isinstance(value, types) or (bool not in types and isinstance(value, bool))):
            wrong.append(f"constraint {name} must be {' or '.join(t.__name__ for t in types)}, not {value!r}")
    if isinstance(constraints.get("pattern"), str):
        try:
            re.compile(f"^{constraints['pattern']}$")
        except re.error as exc:
            wrong.append(f"pattern {constraints['pattern']!r} is not a regular expression: {exc}")
    for key in ("trueValues", "falseValues"):
        if key in field and not (isinstance(field[key], list) and all(isinstance(v, str) for v in field[key])):
            wrong.append(f"{key} must be a list of strings")
    return wrong


def _resource_cannot(resource: dict[str, Any]) -> list[str]:
    cannot = [f"property {key!r}" for key in resource if key not in RESOURCE_KEYS]
    path = PurePosixPath(resource["path"])
    if path.is_absolute() or ".." in path.parts or "://" in resource["path"] or "\\" in resource["path"]:
        cannot.append(f"path {resource['path']!r}, which is not a relative path inside the package")
    if resource.get("scheme", "file") != "file":
        cannot.append(f"scheme {resource['scheme']!r}")
    if "schema" not in resource:
        if resource.get("type") != "file":  # Frictionless reads a file without a schema as a table if it can
            cannot.append('a resource without a schema whose type is not "file"')
        return cannot
    schema = resource["schema"]
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
        return cannot
    cannot += [f"schema property {key!r}" for key in schema if key not in SCHEMA_KEYS]
    for field in schema["fields"]:
        if isinstance(field, dict) and isinstance(field.get("name"), str):
            said = [f"property {key!r}" for key in field if key not in FIELD_KEYS]
            if isinstance(field.get("constraints", {}), dict):
                said += unsupported_field(field)
            cannot += [f'field "{field["name"]}": {what}' for what in said]
    if resource.get("format", "csv") != "csv" or str(resource.get("encoding", "utf-8")).lower() not in ("utf-8", "utf8"):
        cannot.append(f"format {resource.get('format')!r}, encoding {resource.get('encoding')!r} (only UTF-8 CSV)")
    if resource.get("type", "table") != "table":
        cannot.append(f"type {resource['type']!r} with a schema")
    cannot += _dialect_cannot(resource.get("dialect"))
    for key in _keys(schema):
        if len(key) != 1:
            cannot.append(f"a key of several fields {key}")
    return cannot


def _dialect_cannot(dialect: Any) -> list[str]:
    if not isinstance(dialect, dict):
        return ["a dialect that is not an object in the descriptor (Frictionless would guess the delimiter)"]
    cannot = [f"a dialect without {key} (Frictionless would guess it from the data)" for key in STATED_DIALECT
              if key not in dialect]
    for key, value in dialect.items():
        if key in STATED_DIALECT:
            if not isinstance(value, str) or len(value) != 1 or value in "\r\n":
                cannot.append(f"dialect {key} {value!r}")
        elif key == "lineTerminator":  # the csv module reads any line ending, as Frictionless does
            continue
        elif key not in _DIALECT_VALUES or _DIALECT_VALUES[key] is not value:
            cannot.append(f"dialect {key} {value!r}")
    return cannot


def _keys(schema: dict[str, Any]) -> list[list[str]]:
    keys = [names_of(schema["primaryKey"])] if schema.get("primaryKey") else []
    for fk in schema.get("foreignKeys", []):
        keys += [names_of(fk.get("fields", [])), names_of(fk.get("reference", {}).get("fields", []))]
    return keys


def names_of(value: Any) -> list[str]:
    """A key's field names (a key may be given as one name)."""
    return [value] if isinstance(value, str) else list(value)
