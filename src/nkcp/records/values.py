"""One YAML value typed by its field in the registry, or reported and refused.

Values are typed from the raw YAML text, not by YAML's own resolver, so that `no`, `on`, `010`
or `2020-06` are reported instead of silently becoming False, True, 8 or a string where a date
was meant (records/parse.py reads the records around them).
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from typing import Any

from nkcp.io.yaml_nodes import YamlList, YamlMap, YamlNode, YamlScalar
from nkcp.problems import Problems, suggest
from nkcp.schema.model import Field, Schema

_INT = re.compile(r"^-?(0|[1-9][0-9]*)$")
_NUM = re.compile(r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_NULL = "tag:yaml.org,2002:null"
_STR = "tag:yaml.org,2002:str"
FORMULA_START = ("=", "+", "-", "@")
_INT64_MAX = 2**63 - 1
_TAG_WORDS = {"tag:yaml.org,2002:bool": "a boolean", "tag:yaml.org,2002:int": "an integer",
              "tag:yaml.org,2002:float": "a number", "tag:yaml.org,2002:timestamp": "a date",
              _NULL: "null"}


def parse_value(node: YamlNode, spec: Field, reg: Schema, rel: str, problems: Problems) -> Any:
    """Type one value by the registry; report and return None when it is wrong."""
    if spec.yaml_form == "mapping":
        return _parse_mapping(node, spec, rel, problems)
    if spec.is_list:
        if not isinstance(node, YamlList):
            problems.add(rel, node.line, "wrong-type", f"{spec.name!r} must be a list, e.g. [a, b]")
            return None
        items = [parse_scalar(item, spec, reg, rel, problems) for item in node.items]
        if any(i is None for i in items):
            return None
        if not items:
            problems.add(rel, node.line, "empty-value", f"{spec.name!r} is an empty list", "omit the field")
            return None
        if len(set(items)) != len(items):
            problems.add(rel, node.line, "duplicate-value", f"{spec.name!r} lists a value twice")
        for item, item_node in zip(items, node.items, strict=True):
            if reg.list_separator in str(item):
                problems.add(rel, item_node.line, "separator-in-list-item",
                             f"{spec.name!r}: item {item!r} holds {reg.list_separator!r}, which separates list items in the CSV",
                             f"split it into two items, or write it without {reg.list_separator!r}")
                return None
        return items
    return parse_scalar(node, spec, reg, rel, problems)


def parse_scalar(node: YamlNode, spec: Field, reg: Schema, rel: str, problems: Problems) -> Any:
    name = spec.name
    if not isinstance(node, YamlScalar):
        problems.add(rel, node.line, "wrong-type", f"{name!r} must be a single {spec.type} value")
        return None
    text, line = node.text, node.line
    if node.plain and node.tag == _NULL:
        problems.add(rel, line, "empty-value", f"{name!r} is null", "omit an unknown field instead of writing null")
        return None
    if spec.type == "string":
        if node.plain and node.tag != _STR:
            problems.add(rel, line, "yaml-implicit-type",
                         f"{name!r}: unquoted {text!r} is read as {_TAG_WORDS.get(node.tag, node.tag)} by YAML 1.1 parsers",
                         f"quote it: '{text}'")
            return None
        return _check_string(text, spec, reg, rel, line, problems)
    if spec.type == "boolean":
        if node.plain and text in ("true", "false"):
            return text == "true"
        problems.add(rel, line, "wrong-type", f"{name!r} must be true or false, not {text!r}",
                     "yes/no/on/off are YAML 1.1 booleans and are not accepted")
        return None
    if spec.type == "integer":
        if not node.plain or not _INT.match(text):
            problems.add(rel, line, "wrong-type", f"{name!r} must be a whole number, not {text!r}",
                         "no quotes, no leading zeros (010 is octal in YAML 1.1)")
            return None
        if len(text) > 20 or abs(int(text)) > _INT64_MAX:
            problems.add(rel, line, "out-of-range", f"{name!r}: {text[:30]!r} does not fit a 64-bit integer")
            return None
        return _check_range(int(text), spec, rel, line, problems)
    if spec.type == "number":
        if not node.plain or not _NUM.match(text) or len(text) > 40:
            problems.add(rel, line, "wrong-type", f"{name!r} must be a decimal number, not {text[:40]!r}")
            return None
        return _check_range(float(text), spec, rel, line, problems)
    # date
    if not _DATE.match(text):
        problems.add(rel, line, "bad-date", f"{name!r}: {text!r} is not a date YYYY-MM-DD",
                     "a month or year is written as bounds: date_start and date_end with a precision")
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        problems.add(rel, line, "bad-date", f"{name!r}: {text!r} is not a real date ({exc})")
        return None


def _check_string(text: str, spec: Field, reg: Schema, rel: str, line: int, problems: Problems) -> str | None:
    name = spec.name
    if text == "":
        problems.add(rel, line, "empty-value", f"{name!r} is an empty string", "omit an unknown field")
        return None
    if text != text.strip() or "\n" in text or "\r" in text:
        problems.add(rel, line, "whitespace", f"{name!r} has leading or trailing whitespace or a line break",
                     "write it on one line with single spaces")
        return None
    if text.startswith(FORMULA_START):
        problems.add(rel, line, "formula-like-text",
                     f"{name!r} begins with {text[0]!r}, which spreadsheets run as a formula",
                     "rephrase so the text does not begin with = + - or @")
        return None
    if spec.vocabulary and not reg.is_allowed(spec, text):
        problems.add(rel, line, "unknown-value",
                     f"{name!r}: {text!r} is not in the vocabulary {spec.vocabulary!r}",
                     suggest(text, reg.allowed(spec), "did you mean"))
        return None
    if spec.pattern and not re.search(spec.pattern, text):
        problems.add(rel, line, "bad-format", f"{name!r}: {text!r} does not match {spec.pattern}")
        return None
    if spec.max_length and len(text) > spec.max_length:
        problems.add(rel, line, "too-long", f"{name!r} is {len(text)} characters, over {spec.max_length}")
        return None
    return sys.intern(text)  # codes, IDs and sources repeat across records: one object for each


def _check_range(value: float, spec: Field, rel: str, line: int, problems: Problems) -> Any:
    if (spec.minimum is not None and value < spec.minimum) or (spec.maximum is not None and value > spec.maximum):
        problems.add(rel, line, "out-of-range",
                     f"{spec.name!r}: {value} is outside [{spec.minimum}, {spec.maximum}]")
        return None
    return value


def _parse_mapping(node: YamlNode, spec: Field, rel: str, problems: Problems) -> dict[str, str] | None:
    if not isinstance(node, YamlMap):
        problems.add(rel, node.line, "wrong-type", f"{spec.name!r} must be a mapping of field: reason")
        return None
    out: dict[str, str] = {}
    for key, (kline, value) in node.items.items():
        if not isinstance(value, YamlScalar) or value.tag != _STR or not value.text.strip():
            problems.add(rel, kline, "wrong-type", f"{spec.name}.{key} must be a reason in words")
            continue
        if value.text != value.text.strip() or "\n" in value.text:
            problems.add(rel, kline, "whitespace", f"{spec.name}.{key} has leading or trailing whitespace or a line break",
                         "write it on one line with single spaces")
            continue
        out[sys.intern(key)] = sys.intern(value.text)
    return out
