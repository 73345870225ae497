"""Our own check of a written data package against its descriptor, a whole column at a time.

Frictionless is the conformance check of what we publish: releases and CI run it. But it reads
every cell in Python, and took 25 s on the tables of 100k events. So `nkcp build` runs this
check on the package it has just written, and `nkcp check-package` runs it on any package (a
build, a release, a download). It makes the checks Frictionless makes on the fields and
constraints our descriptors use: the bytes and hash of every file, UTF-8, the header against the
fields, the number of cells in every row, blank rows, each field's type and constraints
(column_checks.py), unique fields, and primary and foreign keys. It also checks what
Frictionless cannot: that each Parquet file holds the same table as the CSV beside it.

Anything else in a descriptor (a type, format, constraint or dialect option these checks do not
make, a key of several fields, a remote path) is reported as unsupported, never passed. Not
checked here: the descriptor's own conformance to the Data Package profile, which Frictionless
checks in CI and releases.

The CSV is read by pyarrow as text. A file that pyarrow cannot read that way (a row with too few
or too many cells), or that has a line break inside a cell or a lone carriage return (row and line
numbers then differ), is read again with the csv module to say where. Tests break packages in each of these ways and by
random bytes, and require this check to reject every package Frictionless rejects
(tests/test_package_check.py).

Start-up counts at small sizes: this check gives pyarrow no Python value to convert (constants
and masks come from arrow_values.py) and reads no YAML, so it imports neither pandas nor PyYAML
(tests/test_arrow_values.py runs it in a fresh interpreter to hold it to that).
"""

from __future__ import annotations

import csv
import hashlib
import io as text_io
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nkcp import arrow_values, io, parallel
from nkcp.column_checks import check_column, empty_cells
from nkcp.descriptor_checks import descriptor_problems
from nkcp.descriptor_checks import names_of as _names
from nkcp.problems import Problems

SHOWN_PER_CHECK = 50  # problems listed per file, field and check; the rest are counted in one more
_PIECE = 1 << 22  # bytes scanned at once by numpy: bounds its temporary arrays
_HINT = ("a package written by `nkcp build` passes; rebuild it, and download a release again if one "
         "fails (its files were changed after it was made)")


@dataclass
class _Table:
    """A tabular resource as read: its fields, each row's first line, and the typed columns."""

    shown: str
    fields: list[dict[str, Any]]
    lines: Any  # numpy array: the line each data row starts on
    typed: dict[str, Any]  # field name -> Arrow array of the field's type, null where empty or mistyped
    clean: bool  # no problem found in the file


def check_package(package: Path, prefix: str = "") -> Problems:
    """Every problem of the package described by `package` (its datapackage.json); paths in the
    problems are the descriptor's own, after `prefix`."""
    problems = Problems()
    descriptor = _descriptor(package, prefix + package.name, problems)
    if descriptor is None:
        return problems
    resources = descriptor["resources"]
    sizes = [_size(package.parent / r["path"]) for r in resources]
    order = sorted(range(len(resources)), key=lambda i: -sizes[i])  # the largest first, for an even share
    with ThreadPoolExecutor(max_workers=parallel.jobs()) as pool:  # pyarrow, hashlib and zstd release the GIL
        done = dict(zip(order, pool.map(lambda i: _check_resource(package.parent, resources[i], prefix),
                                        order), strict=True))
    tables: dict[str, _Table] = {}
    parquet: list[tuple[dict[str, Any], Any]] = []
    for i, resource in enumerate(resources):  # problems in the descriptor's order, whatever finished first
        found, read = done[i]
        problems.extend(found)
        if isinstance(read, _Table):
            tables[resource["name"]] = read
        elif read is not None:
            parquet.append((resource, read))
    for resource in resources:
        if resource["name"] in tables:
            _check_foreign_keys(tables[resource["name"]], resource, tables, prefix + package.name, problems)
    for resource, read in parquet:
        _check_parquet(read, resource, prefix, tables, problems)
    return problems


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _check_resource(base: Path, resource: dict[str, Any], prefix: str) -> tuple[Problems, Any]:
    """One file's problems, and what the later checks need of it: a CSV's table as read, a
    Parquet file's table (or the error reading it), else None."""
    problems = Problems()
    shown = prefix + str(resource["path"])
    data = _resource_data(base, resource, shown, problems)
    if data is None:
        return problems, None
    if "schema" in resource:
        table = _check_table(data, resource, shown, problems)
        if table is not None:
            table.clean = not problems
        return problems, table
    if str(resource["path"]).endswith(".parquet"):
        import pyarrow as pa

        try:
            return problems, io.parquet_table(data)
        except (pa.ArrowException, OSError) as exc:
            return problems, exc
    return problems, None


def _descriptor(package: Path, shown: str, problems: Problems) -> dict[str, Any] | None:
    """The descriptor, if it is JSON of the shape and properties this check can read (each said if not)."""
    try:
        descriptor = json.loads(io.read_bytes(package))
    except (OSError, ValueError) as exc:
        problems.add(shown, 1, "package-descriptor", f"cannot be read as JSON: {exc}",
                     "give the path of a package's datapackage.json")
        return None
    wrong, cannot = descriptor_problems(descriptor)
    for said in wrong:
        problems.add(shown, 1, "package-descriptor", said, _HINT)
    for said in cannot:
        problems.add(shown, 1, "package-unsupported", f"this check cannot make {said}",
                     "run `frictionless validate` on this package instead")
    return None if problems else descriptor


def _resource_data(base: Path, resource: dict[str, Any], shown: str, problems: Problems) -> Any:
    """The file's bytes (a pyarrow Buffer), after checking them against the descriptor's `bytes`
    and `hash`; None if it cannot be read."""
    try:
        data = io.map_file(base / resource["path"])
    except OSError as exc:
        problems.add(shown, 1, "package-file", f"cannot be read: {exc.strerror or exc}", _HINT)
        return None
    if "bytes" in resource and resource["bytes"] != data.size:
        problems.add(shown, 1, "package-bytes", f"has {data.size} bytes; the descriptor says {resource['bytes']}", _HINT)
    if "hash" in resource:
        algorithm, _, expected = str(resource["hash"]).rpartition(":")
        try:
            actual = hashlib.new(algorithm or "md5", data).hexdigest()
        except ValueError:
            problems.add(shown, 1, "package-unsupported", f"unknown hash algorithm {algorithm!r}",
                         "run `frictionless validate` on this package instead")
        else:
            if actual != expected:
                problems.add(shown, 1, "package-hash", f"has {algorithm or 'md5'} {actual}; the descriptor says {expected}",
                             _HINT)
    return data


def _check_table(data: Any, resource: dict[str, Any], shown: str, problems: Problems) -> _Table | None:
    """Read a CSV resource and check its header, rows, types, constraints and unique fields."""
    import pyarrow.compute as pc

    schema = resource["schema"]
    fields = schema["fields"]
    dialect = resource["dialect"]
    read = _read_csv(data, len(fields), dialect, shown, problems)
    if read is None:
        return None
    header, columns, lines = read
    for i, field in enumerate(fields):
        label = header[i] if i < len(header) else None
        if label != field["name"]:
            said = "is missing" if label is None else f"is {label!r}"
            problems.add(shown, 1, "package-label", f'column {i + 1} of the header {said}; the schema names it '
                         f'"{field["name"]}"', _HINT)
    for label in header[len(fields):]:
        problems.add(shown, 1, "package-label", f"the header has a column {label!r} that the schema does not name", _HINT)
    missing = schema.get("missingValues", [""])
    blank = None
    for column in columns:  # stops at the first column without an empty cell in the rows left
        blank = empty_cells(column, missing) if blank is None else pc.and_(blank, empty_cells(column, missing))
        if not pc.any(blank).as_py():
            break
    if blank is not None and pc.any(blank).as_py():
        _report(problems, shown, lines, blank, "package-blank-row", lambda i: "the row is blank")
        keep = pc.invert(blank)
        columns, lines = [c.filter(keep) for c in columns], lines[arrow_values.true_indices(keep)]
    if dialect.get("skipInitialSpace") is not False:  # left out: Frictionless guesses it from the data
        for field, column in zip(fields, columns, strict=False):
            _report(problems, shown, lines, pc.starts_with(column, " "), "package-initial-space",
                    lambda i: f'field "{field["name"]}": a cell begins with a space, which Frictionless may '  # noqa: B023
                    "drop (state skipInitialSpace false in the dialect)")
    control_chars = _has_control(data)
    table = _Table(shown, fields, lines, {}, clean=True)
    key = _names(schema.get("primaryKey", []))
    for field, column in zip(fields, columns, strict=False):
        name = field["name"]
        typed, failures = check_column(column, field, missing, control_chars)
        table.typed[name] = typed
        for failure in failures:
            _report(problems, shown, lines, failure.rows, "package-" + failure.check,
                    lambda i: f'field "{name}": {column[i].as_py()!r} {failure.words}')  # noqa: B023 (called at once)
        if field.get("constraints", {}).get("unique") or key == [name]:
            if key == [name]:
                _report(problems, shown, lines, empty_cells(column, missing), "package-primary-key",
                        lambda i: f'field "{name}" is empty but is the primary key')  # noqa: B023
            _report(problems, shown, lines, _repeated(typed), "package-unique",
                    lambda i: f'field "{name}": {column[i].as_py()!r} is in an earlier row too, '  # noqa: B023
                    "but must be unique")
    return table


def _read_csv(data: Any, width: int, dialect: dict[str, Any], shown: str,
              problems: Problems) -> tuple[list[str], list[Any], Any] | None:
    """(header, text columns of the data rows, the line each row starts on), or None if not UTF-8.

    Cells missing from a short row are read as empty and cells beyond the schema's are dropped,
    each said, so that the other checks go on."""
    fast = _read_fast(data, width, dialect)
    if fast is not None:
        return fast
    raw = data.to_pybytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.add(shown, raw.count(b"\n", 0, exc.start) + 1, "package-encoding",
                     f"byte {exc.start} is not UTF-8 ({exc.reason})", _HINT)
        return None
    return _read_slow(text, width, dialect, shown, problems)


def _read_fast(data: Any, width: int, dialect: dict[str, Any]) -> tuple[list[str], list[Any], Any] | None:
    """pyarrow's reading (which also proves the text UTF-8), if the header has the schema's width,
    every row the header's cells, and no cell a line break; else None."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

    pieces = []  # up to the first line feed, joined once (adding piece to piece was quadratic)
    for chunk in io.chunks(data):
        pieces.append(chunk)
        if b"\n" in chunk:
            break
    try:
        first = b"".join(pieces).split(b"\n", 1)[0].decode("utf-8").rstrip("\r")
    except UnicodeDecodeError:
        return None
    if dialect["quoteChar"] in first or "\r" in first:  # a quoted label may run on past the line
        return None
    try:
        header = next(csv.reader([first], **_csv_dialect(dialect)), [])
    except csv.Error:
        return None
    if len(header) != width:
        return None
    try:
        table = pacsv.read_csv(
            pa.BufferReader(data),
            read_options=pacsv.ReadOptions(column_names=[f"f{i}" for i in range(width)], skip_rows=1,
                                           block_size=1 << 22),
            parse_options=pacsv.ParseOptions(delimiter=dialect["delimiter"], quote_char=dialect["quoteChar"],
                                             double_quote=True, newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types={f"f{i}": pa.string() for i in range(width)},
                                                 strings_can_be_null=False))
    except pa.ArrowInvalid:
        return None
    # Rows end with a line feed (CRLF or LF), one each, and no CR stands alone: so no cell holds a
    # line break and each row's line is its number, counted as the csv module counts lines.
    feeds, lone_return = _line_ends(data)
    if lone_return or feeds + (data.size > 0 and bytes(memoryview(data)[-1:]) != b"\n") != table.num_rows + 1:
        return None
    return header, [column.combine_chunks() for column in table.columns], np.arange(2, table.num_rows + 2)


def _line_ends(data: Any) -> tuple[int, bool]:
    """(the line feeds in the bytes, whether a carriage return stands alone: not followed by a
    line feed). Counted by numpy, which reads the buffer in place, without the GIL, with boolean
    temporaries of one piece; the byte after each CR is read wherever it is (a CR LF split
    between pieces is still a pair)."""
    import numpy as np

    octets = np.frombuffer(data, dtype=np.uint8)
    feeds, lone = 0, False
    for start in range(0, len(octets), _PIECE):
        piece = octets[start:start + _PIECE]
        feeds += int(np.count_nonzero(piece == 0x0A))
        returns = piece == 0x0D
        following = octets[start + 1:start + 1 + len(piece)]  # the byte after each byte of the piece
        if len(following) < len(piece):  # the last piece: its last byte has none after it
            lone = lone or bool(returns[-1])
            returns = returns[:len(following)]
        lone = lone or bool(np.any(returns & (following != 0x0A)))
    return feeds, lone


def _has_control(data: Any) -> bool:
    """Whether the bytes hold an ASCII control character other than a tab, CR or LF (0x00-0x1F,
    0x7F): counted by numpy, as in _line_ends."""
    import numpy as np

    octets = np.frombuffer(data, dtype=np.uint8)
    for start in range(0, len(octets), _PIECE):
        piece = octets[start:start + _PIECE]
        allowed = sum(int(np.count_nonzero(piece == b)) for b in (0x09, 0x0A, 0x0D))
        if int(np.count_nonzero(piece < 0x20)) != allowed or np.any(piece == 0x7F):
            return True
    return False


def _read_slow(text: str, width: int, dialect: dict[str, Any], shown: str,
               problems: Problems) -> tuple[list[str], list[Any], Any]:
    """The csv module's reading (Frictionless's), row by row, saying which rows are short or long."""
    import numpy as np

    reader = csv.reader(text_io.StringIO(text, newline=""), **_csv_dialect(dialect))
    header: list[str] | None = None
    rows: list[list[str]] = []
    lines: list[int] = []
    said = {"package-missing-cell": 0, "package-extra-cell": 0, "package-blank-row": 0}

    def say(code: str, line: int, message: str) -> None:
        said[code] += 1
        if said[code] <= SHOWN_PER_CHECK:
            problems.add(shown, line, code, message, _HINT)

    start = 1
    try:
        for row in reader:
            line, start = start, reader.line_num + 1
            if header is None:
                header = row
            elif not row:  # an empty line; a row of empty cells is found with the columns, as either reader's
                say("package-blank-row", line, "the row is blank")
            else:
                if len(row) < width:
                    say("package-missing-cell", line, f"the row has {len(row)} cells; the header has {width}")
                elif len(row) > width:
                    say("package-extra-cell", line, f"the row has {len(row)} cells; the header has {width}")
                rows.append((row + [""] * width)[:width])
                lines.append(line)
    except csv.Error as exc:
        problems.add(shown, reader.line_num, "package-csv", f"cannot be read as CSV: {exc}", _HINT)
    for code, count in said.items():
        if count > SHOWN_PER_CHECK:
            problems.add(shown, 1, code, f"{count - SHOWN_PER_CHECK} more rows like the {SHOWN_PER_CHECK} above", _HINT)
    columns = [arrow_values.strings([row[i] for row in rows]) for i in range(width)]
    return header or [], columns, np.array(lines, dtype=np.int64)


def _csv_dialect(dialect: dict[str, Any]) -> dict[str, Any]:
    return {"delimiter": dialect["delimiter"], "quotechar": dialect["quoteChar"], "doublequote": True, "strict": False}


def _repeated(typed: Any) -> Any:
    """Rows whose non-empty value is in an earlier row (the first of each value is not marked)."""
    import numpy as np
    import pyarrow.compute as pc

    values = typed.drop_null()
    if len(values) < 2 or pc.all(pc.less(values[:-1], values[1:])).as_py():
        return arrow_values.falses(len(typed))  # strictly increasing (as a table sorted by its key): none repeated
    counts = pc.value_counts(values)
    twice = counts.field("values").filter(pc.greater(counts.field("counts"), arrow_values.scalar(1)))
    marked = np.zeros(len(typed), dtype=bool)
    if len(twice):
        seen = set()
        for i in arrow_values.true_indices(pc.is_in(typed, value_set=twice)):
            value = typed[int(i)].as_py()
            marked[i] = value in seen
            seen.add(value)
    return arrow_values.booleans(marked)


def _check_foreign_keys(table: _Table, resource: dict[str, Any], tables: dict[str, _Table], shown_package: str,
                        problems: Problems) -> None:
    """Every non-empty cell of a foreign key names a row of the table it refers to."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for fk in resource["schema"].get("foreignKeys", []):
        (name,), reference = _names(fk["fields"]), fk.get("reference", {})
        (target_name,) = _names(reference.get("fields", []))
        target = tables.get(reference.get("resource") or resource["name"])
        if target is None or name not in table.typed or target_name not in target.typed:
            problems.add(shown_package, 1, "package-foreign-key", f'resource "{resource["name"]}": the foreign key '
                         f"{name} -> {reference.get('resource') or resource['name']}.{target_name} cannot be checked: "
                         "the table or field it names was not read", _HINT)
            continue
        values, targets = table.typed[name], target.typed[target_name].drop_null()
        if values.type != targets.type:
            values, targets = pc.cast(values, pa.string()), pc.cast(targets, pa.string())
        dangling = pc.and_(pc.is_valid(values), pc.invert(pc.is_in(values, value_set=targets)))
        _report(problems, table.shown, table.lines, dangling, "package-foreign-key",
                lambda i: f'field "{name}": {values[i].as_py()!r} is not a {target_name} in {target.shown}')  # noqa: B023


def _check_parquet(parquet: Any, resource: dict[str, Any], prefix: str, tables: dict[str, _Table],
                   problems: Problems) -> None:
    """A Parquet file beside a CSV of the same name holds the same columns, types and values."""
    import pyarrow.compute as pc

    shown = prefix + resource["path"]
    if isinstance(parquet, Exception):
        problems.add(shown, 1, "package-parquet", f"cannot be read as Parquet: {parquet}", _HINT)
        return
    csv_path = resource["path"][: -len(".parquet")] + ".csv"
    table = next((t for t in tables.values() if t.shown == prefix + csv_path), None)
    if table is None or not table.clean:
        return  # no CSV to compare with, or its own problems come first
    names = [f["name"] for f in table.fields]
    if parquet.column_names != names or parquet.num_rows != len(table.lines):
        problems.add(shown, 1, "package-parquet", f"has columns {parquet.column_names} and {parquet.num_rows} rows; "
                     f"{csv_path} has {names} and {len(table.lines)}", _HINT)
        return
    for name in names:
        ours, theirs = table.typed[name], parquet.column(name).combine_chunks()
        if theirs.type != ours.type:
            problems.add(shown, 1, "package-parquet", f'field "{name}" is {theirs.type}; {csv_path} reads as {ours.type}',
                         _HINT)
            continue
        if ours.equals(theirs):  # compares buffers: the common case, without a comparison per cell
            continue
        same = pc.fill_null(pc.equal(ours, theirs), arrow_values.scalar(False))
        differ = pc.invert(pc.or_(same, pc.and_(pc.is_null(ours), pc.is_null(theirs))))
        _report(problems, shown, table.lines, differ, "package-parquet",
                lambda i: f'row of {csv_path} line {int(table.lines[i])}: field "{name}" is '  # noqa: B023
                f"{ours[i].as_py()!r} in the CSV and {theirs[i].as_py()!r} here", line_of=lambda i: 1)  # noqa: B023


def _report(problems: Problems, shown: str, lines: Any, rows: Any, code: str, say: Callable[[int], str],
            line_of: Callable[[int], int] | None = None) -> None:
    """One problem per marked row (at most SHOWN_PER_CHECK, then one counting the rest)."""
    marked = arrow_values.true_indices(rows)
    for i in marked[:SHOWN_PER_CHECK]:
        problems.add(shown, line_of(int(i)) if line_of else int(lines[i]), code, say(int(i)), _HINT)
    if len(marked) > SHOWN_PER_CHECK:
        first = int(marked[SHOWN_PER_CHECK])
        problems.add(shown, line_of(first) if line_of else int(lines[first]), code,
                     f"{len(marked) - SHOWN_PER_CHECK} more rows like the {SHOWN_PER_CHECK} above", _HINT)
