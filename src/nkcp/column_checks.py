"""The type and constraints of one Table Schema field, checked on a whole column of CSV text.

Each check returns the rows that fail it (a boolean Arrow array), so package_check.py can say
where. They follow Frictionless's reading of a cell (frictionless/schema/field.py and
frictionless/fields/): a cell in `missingValues` is empty, an empty cell fails only `required`,
a cell of the wrong type fails only its type, and constraints are checked on the typed value.
Where Frictionless is lenient in ways our packages never need, these checks are stricter, so
that they never pass a cell Frictionless fails:
- integers and numbers are plain decimal text (Frictionless strips spaces and accepts `1_000`),
  integers fit 64 bits, numbers are finite, and dates are `YYYY-MM-DD` (Python's strptime, which
  Frictionless uses, accepts `2021-2-3`);
- a pattern is matched by RE2 (pyarrow) on every cell, and by Python's `re`, exactly as
  Frictionless compiles it (`^pattern$`), on cells with any character outside printable ASCII:
  the only cells on which the two engines can differ (`\\S` and `\\x0b`, `$` before a final newline).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from nkcp import arrow_values

TYPES = ("string", "integer", "number", "boolean", "date")  # the Table Schema types these checks can read
_CONSTRAINTS_OF = {"string": {"required", "pattern", "enum", "minLength", "maxLength", "unique"},
                   "integer": {"required", "enum", "minimum", "maximum", "unique"},
                   "number": {"required", "enum", "minimum", "maximum", "unique"},
                   "boolean": {"required", "unique"},
                   "date": {"required", "unique"}}
_TEXT_FORM = {"integer": r"^[+-]?[0-9]{1,18}$",
              "number": r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?$",
              "date": r"^(?:000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})-[0-9]{2}-[0-9]{2}$"}
_FORM_WORDS = {"integer": "an integer of at most 18 digits (optional sign, no spaces)",
               "number": "a decimal number (optional sign and exponent, no spaces)",
               "date": "a date as YYYY-MM-DD", "boolean": "one of {}"}
_CONTROL = r"[\x00-\x1f\x7f]"
_INT64, _INT32 = 2**63, 2**31
_PLAIN_ESCAPES = set("dDwWsS.\\+*?()[]{}|^$-/ ;:=,&#~@%!'\"<>_`")


@dataclass(frozen=True)
class Failure:
    """Rows of a column failing one check (`rows`: boolean Arrow array), said in words."""

    check: str
    rows: Any
    words: str


def unsupported(field: dict[str, Any]) -> list[str]:
    """What in a field's descriptor these checks cannot make (each said), never silently passed."""
    kind = field.get("type", "string")
    if kind not in TYPES:
        return [f'type "{kind}"']
    said = []
    if field.get("format", "default") != "default":
        said.append(f'format "{field["format"]}"')
    constraints = field.get("constraints", {})
    said += [f'constraint "{name}" on type "{kind}"' for name in constraints if name not in _CONSTRAINTS_OF[kind]]
    if field.get("bareNumber", True) is not True:
        said.append("bareNumber false")
    enum = constraints.get("enum")
    if isinstance(enum, list) and not all(isinstance(v, str) if kind == "string" else
                                          isinstance(v, (int, float, str)) and not isinstance(v, bool) for v in enum):
        said.append(f"enum values {enum} (Frictionless reads them as {kind} values)")
    if kind == "integer" and any(isinstance(constraints.get(b), float) and not constraints[b].is_integer()
                                 for b in ("minimum", "maximum")):
        said.append("a bound that is not a whole number on an integer field")
    for name, limit in (("minimum", _INT64), ("maximum", _INT64), ("minLength", _INT32), ("maxLength", _INT32)):
        bound = constraints.get(name)
        if isinstance(bound, (int, float)) and not -limit <= bound < limit:
            said.append(f"{name} {bound}, beyond what a 64-bit number or 32-bit length can hold")
    return said


def check_column(text: Any, field: dict[str, Any], missing_values: list[str],
                 control_chars: bool = True) -> tuple[Any, list[Failure]]:
    """The typed column (null where empty or not of the type) and the checks its cells fail.

    `control_chars=False` says that no cell has an ASCII control character other than a tab, a
    carriage return or a line feed (the caller saw the file's bytes), so RE2 and Python's `re` can
    read a cell differently only if it is not ASCII. (Of those three, a line feed at the end of a
    cell is the one difference left: Python's `$` matches before it, RE2's does not, so ours
    rejects the cell. Our build never writes a line break in a cell.)"""
    import pyarrow.compute as pc

    kind = field.get("type", "string")
    constraints = field.get("constraints", {})
    empty = empty_cells(text, missing_values)
    failures = []
    if constraints.get("required") and pc.any(empty).as_py():
        failures.append(Failure("required", empty, "is empty but required"))
    typed, wrong = _typed(text, empty, field)
    if wrong is not None and pc.any(wrong).as_py():
        words = _FORM_WORDS[kind].format(", ".join(_booleans(field)[0] + _booleans(field)[1]))
        failures.append(Failure("type", wrong, f'is not {words} (type "{kind}")'))
    failures += _constraint_failures(text, typed, field, control_chars)
    return typed, failures


def empty_cells(text: Any, missing_values: list[str]) -> Any:
    """Cells that are missing values (`missingValues`, by default only the empty string)."""
    import pyarrow.compute as pc

    if missing_values == [""]:
        return pc.equal(text, arrow_values.scalar(""))
    return pc.is_in(text, value_set=arrow_values.strings(missing_values))


def _typed(text: Any, empty: Any, field: dict[str, Any]) -> tuple[Any, Any]:
    """(typed values, rows whose non-empty text is not of the type: None for strings)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = field.get("type", "string")
    nulls = pa.nulls(len(text))
    if kind == "string":
        if text.offset == 0 and text.type == pa.string():  # the same buffers, with empty cells marked null
            present = pc.invert(empty)
            return pa.Array.from_buffers(pa.string(), len(text), [present.buffers()[1], *text.buffers()[1:]]), None
        return pc.if_else(empty, nulls.cast(pa.string()), text), None
    if kind == "boolean":
        trues, falses = _booleans(field)
        valid = pc.is_in(text, value_set=arrow_values.strings(trues + falses))
        typed = pc.if_else(valid, pc.is_in(text, value_set=arrow_values.strings(trues)), nulls.cast(pa.bool_()))
        return typed, pc.and_not(pc.invert(valid), empty)
    valid = pc.and_not(pc.match_substring_regex(text, _TEXT_FORM[kind]), empty)
    target = {"integer": pa.int64(), "number": pa.float64(), "date": pa.date32()}[kind]
    placeholder = arrow_values.scalar({"integer": "0", "number": "0", "date": "1970-01-01"}[kind])
    filled = pc.if_else(valid, text, placeholder)
    try:
        cast = pc.cast(filled, target)
    except pa.ArrowInvalid:  # a date of the right form but no such day (2021-02-30): each found, then cast
        back = pc.strftime(pc.strptime(filled, "%Y-%m-%d", "s", error_is_null=True), "%Y-%m-%d")
        valid = pc.fill_null(pc.and_(valid, pc.equal(back, text)), arrow_values.scalar(False))
        cast = pc.cast(pc.if_else(valid, text, placeholder), target)
    if kind == "number":  # 1e999 is of the form but not finite
        valid = pc.and_(valid, pc.is_finite(cast))
    return pc.if_else(valid, cast, nulls.cast(target)), pc.and_not(pc.invert(valid), empty)


def _booleans(field: dict[str, Any]) -> tuple[list[str], list[str]]:
    return (list(field.get("trueValues", ["true", "True", "TRUE", "1"])),
            list(field.get("falseValues", ["false", "False", "FALSE", "0"])))


def _constraint_failures(text: Any, typed: Any, field: dict[str, Any], control_chars: bool) -> Iterator[Failure]:
    """The constraints other than `required`, on typed values (empty and mistyped cells pass)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    constraints = field.get("constraints", {})
    present = pc.is_valid(typed)
    for name, bound in constraints.items():
        if name == "pattern":
            rows = _pattern_failures(text, bound, present, control_chars)
            words = f"does not match the pattern {bound}"
        elif name == "enum":
            listed = arrow_values.strings([str(v) for v in bound])  # typed as a cell would be, as Frictionless does
            allowed = listed if typed.type == pa.string() else _typed(listed, arrow_values.falses(len(listed)), field)[0]
            rows = pc.and_(present, pc.invert(pc.is_in(typed, value_set=allowed)))  # is_in gives no nulls
            words = "is not one of the allowed values " + ", ".join(str(v) for v in bound)
        elif name in ("minLength", "maxLength"):
            length = pc.utf8_length(text)
            limit = arrow_values.scalar(bound)
            rows = pc.and_(present, pc.less(length, limit) if name == "minLength" else pc.greater(length, limit))
            words = f"has {'fewer' if name == 'minLength' else 'more'} than {bound} characters"
        elif name in ("minimum", "maximum"):
            rows = _bound_failures(text, typed, bound, name == "minimum")
            words = f"is {'below the minimum' if name == 'minimum' else 'above the maximum'} {bound}"
        else:
            continue  # required, unique: checked by the caller
        if pc.any(rows).as_py():
            yield Failure(name, rows, words)


def _bound_failures(text: Any, typed: Any, bound: float, minimum: bool) -> Any:
    """Rows below the minimum or above the maximum. Integers are compared as integers, whatever
    the bound's JSON type (a float cast would round those beyond 2**53). Frictionless reads
    numbers as exact decimals, so a number whose float is next to the bound
    (90.00000000000000001 reads as 90.0) is compared again as a decimal."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    compare = pc.less if minimum else pc.greater
    false = arrow_values.scalar(False)
    if pa.types.is_integer(typed.type):  # exactly, as integers: the bound is whole (unsupported() refuses others)
        return pc.fill_null(compare(typed, arrow_values.scalar(int(bound))), false)
    rows = pc.fill_null(compare(typed, arrow_values.scalar(float(bound))), false)
    distance = pc.abs(pc.subtract(typed, arrow_values.scalar(float(bound))))
    near = pc.fill_null(pc.less_equal(distance, arrow_values.scalar(1e-9 * max(1.0, abs(bound)))), false)
    if not pc.any(near).as_py():
        return rows
    exact = np.zeros(len(rows), dtype=bool)
    exact[arrow_values.true_indices(rows)] = True
    decimal_bound = Decimal(str(bound))
    for i in arrow_values.true_indices(near):
        cell = Decimal(text[int(i)].as_py())
        exact[i] = cell < decimal_bound if minimum else cell > decimal_bound
    return arrow_values.booleans(exact)


def _plain(pattern: str) -> bool:
    """Whether RE2 and Python's `re` read `pattern` alike on printable ASCII: only literals,
    classes without POSIX names, `(?:` groups, counted repeats and the escapes listed. Any
    other pattern is matched by Python's `re` on every cell."""
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            if i + 1 >= len(pattern) or pattern[i + 1] not in _PLAIN_ESCAPES:
                return False
            i += 2
            continue
        if pattern.startswith("[:", i) or (pattern.startswith("(?", i) and not pattern.startswith("(?:", i)):
            return False
        if char == "{" and not re.match(r"\{[0-9]+(,[0-9]*)?\}", pattern[i:]):
            return False
        i += 1
    return True


def _pattern_failures(text: Any, pattern: str, present: Any, control_chars: bool) -> Any:
    """Rows whose present text fails `pattern`, as Frictionless anchors it (`^pattern$`)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    anchored = f"^{pattern}$"
    try:
        if not _plain(pattern):
            raise pa.ArrowInvalid("not plain")
        rows = pc.and_(present, pc.invert(pc.match_substring_regex(text, anchored)))
    except pa.ArrowInvalid:  # a pattern RE2 may read otherwise, or cannot compile: Python's re alone
        rows, odd = arrow_values.falses(len(text)), present
    else:
        odd = pc.invert(pc.string_is_ascii(text))
        if control_chars:
            odd = pc.or_(odd, pc.match_substring_regex(text, _CONTROL))
        odd = pc.and_(present, odd)
    if not pc.any(odd).as_py():
        return rows
    compiled = re.compile(anchored)
    by_python = [bool(o) and compiled.match(t) is None for t, o in zip(text.to_pylist(), odd.to_pylist(), strict=True)]
    return pc.or_(rows, arrow_values.booleans(by_python))
