"""Our check of a written package (package_check.py) rejects every package Frictionless rejects.

Each test copies the committed package (datapackage.json and build/, real data with Korean text),
breaks it, and, unless the test is about the descriptor's bytes and hashes, writes the new bytes
and hash into the descriptor so that only the content can give the break away. Then both
validators run: the real Frictionless, and ours. Where Frictionless finds an error, ours must
find one, at the row's line; on pristine or merely unusual packages both must pass. Random
breaks (seeded) make the same demand on cases nobody listed.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import REPO, run_cli

from nkcp.io import csv_bytes, parquet_bytes, read_parquet
from nkcp.package_check import SHOWN_PER_CHECK, check_package
from nkcp.problems import Problem

TABLES = ("sources", "locations", "quotes", "events")


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A copy of the committed package; returns its datapackage.json."""
    shutil.copy(REPO / "datapackage.json", tmp_path / "datapackage.json")
    shutil.copytree(REPO / "build", tmp_path / "build")
    return tmp_path / "datapackage.json"


def frictionless_errors(descriptor: Path) -> list[str]:
    """The error types the official validator reports for the whole package."""
    from frictionless import Package, system

    with system.use_context(trusted=True):
        report = Package(str(descriptor)).validate()
    return [e.type for task in report.tasks for e in task.errors] + [e.type for e in report.errors]


def ours(descriptor: Path) -> list[Problem]:
    return check_package(descriptor).items


def rows_of(descriptor: Path, table: str) -> list[list[str]]:
    with open(descriptor.parent / "build" / f"{table}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def write_table(descriptor: Path, table: str, rows: list[list[str]]) -> None:
    rewrite(descriptor, f"build/{table}.csv", csv_bytes(rows[0], rows[1:]))


def rewrite(descriptor: Path, path: str, data: bytes) -> None:
    """Write a package file and give the descriptor its new bytes and hash."""
    (descriptor.parent / path).write_bytes(data)
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    for resource in package["resources"]:
        if resource["path"] == path:
            resource["bytes"], resource["hash"] = len(data), "sha256:" + hashlib.sha256(data).hexdigest()
    descriptor.write_text(json.dumps(package), encoding="utf-8")


def set_cell(table: str, row: int, field: str, value: str) -> Callable[[Path], None]:
    def apply(descriptor: Path) -> None:
        rows = rows_of(descriptor, table)
        rows[row + 1][rows[0].index(field)] = value
        write_table(descriptor, table, rows)

    return apply


def change_row(table: str, row: int, change: Callable[[list[str]], list[str]]) -> Callable[[Path], None]:
    """Change row `row` of a table (0 is the header), written back by the csv module."""
    def apply(descriptor: Path) -> None:
        rows = rows_of(descriptor, table)
        rows[row] = change(rows[row])
        write_table(descriptor, table, rows)

    return apply


def edit_bytes(table: str, change: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def apply(descriptor: Path) -> None:
        path = f"build/{table}.csv"
        rewrite(descriptor, path, change((descriptor.parent / path).read_bytes()))

    return apply


def edit_descriptor(descriptor: Path, change: Callable[[dict[str, Any]], object]) -> None:
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    change(package)
    descriptor.write_text(json.dumps(package), encoding="utf-8")


def resource(package: dict[str, Any], name: str) -> dict[str, Any]:
    return next(r for r in package["resources"] if r["name"] == name)


def field(package: dict[str, Any], table: str, name: str) -> dict[str, Any]:
    return next(f for f in resource(package, table)["schema"]["fields"] if f["name"] == name)


def on_line(line: int, change: Callable[[bytes], bytes]) -> Callable[[bytes], bytes]:
    """Change one line (1 is the header) of a CSV whose cells hold no line breaks."""
    def apply(data: bytes) -> bytes:
        lines = data.split(b"\r\n")
        lines[line - 1] = change(lines[line - 1])
        return b"\r\n".join(lines)

    return apply


# (name, break, table whose file must be named, our code, line)
BREAKS = [
    ("integer", set_cell("quotes", 0, "start_offset", "12x"), "quotes", "package-type", 2),
    ("number", set_cell("locations", 3, "latitude", "north"), "locations", "package-type", 5),
    ("boolean", set_cell("quotes", 1, "is_speaker_inferred", "yes"), "quotes", "package-type", 3),
    ("no such day", set_cell("events", 0, "date_start", "2021-02-30"), "events", "package-type", 2),
    ("no such month", set_cell("events", 2, "date_end", "2021-13-01"), "events", "package-type", 4),
    ("year zero", set_cell("events", 2, "date_end", "0000-01-01"), "events", "package-type", 4),
    ("required", set_cell("events", 1, "summary", ""), "events", "package-required", 3),
    ("pattern", set_cell("quotes", 0, "informant_id", "Not An Id"), "quotes", "package-pattern", 2),
    ("enum", set_cell("events", 0, "record_kind", "bogus"), "events", "package-enum", 2),
    ("maxLength", set_cell("events", 0, "summary", "x" * 601), "events", "package-maxLength", 2),
    ("maxLength in Korean characters", set_cell("events", 0, "summary", "가" * 601), "events", "package-maxLength", 2),
    ("minimum", set_cell("quotes", 2, "start_offset", "-1"), "quotes", "package-minimum", 4),
    ("maximum by less than a float can tell", set_cell("locations", 0, "latitude", "90.00000000000000001"),
     "locations", "package-maximum", 2),
    ("pattern of POSIX class, which RE2 reads otherwise", lambda d: (edit_descriptor(
        d, lambda p: field(p, "events", "record_status")["constraints"].update(pattern="[[:alpha:]]+"))),
     "events", "package-pattern", 2),
    ("maximum", set_cell("locations", 0, "latitude", "90.5"), "locations", "package-maximum", 2),
    ("maximum written 90.0 on an integer beyond 2**53, which a float cannot hold", lambda d: (
        edit_descriptor(d, lambda p: field(p, "events", "count_best").setdefault("constraints", {}).update(
            maximum=90.0)), set_cell("events", 1, "count_best", "9007199254740993")(d)),
     "events", "package-maximum", 3),
    ("pattern: vertical tab, which RE2's \\S accepts", set_cell("sources", 0, "capture_url", "https://a\x0bb"),
     "sources", "package-pattern", 2),
    ("pattern: ideographic space, which RE2's \\S accepts",
     set_cell("sources", 1, "capture_url", "https://a\u3000b"), "sources", "package-pattern", 3),
    ("primary key repeated", lambda d: set_cell("quotes", 1, "quote_id", rows_of(d, "quotes")[1][0])(d),
     "quotes", "package-unique", 3),
    ("foreign key to another table", set_cell("quotes", 0, "source_id", "no-such-source"), "quotes",
     "package-foreign-key", 2),
    ("foreign key to the same table", set_cell("quotes", 3, "continues_quote_id", "Q9999"), "quotes",
     "package-foreign-key", 5),
    ("foreign key of locations", set_cell("locations", 1, "parent_place_id", "atlantis"), "locations",
     "package-foreign-key", 3),
    ("foreign key of events", set_cell("events", 1, "place_id", "atlantis"), "events", "package-foreign-key", 3),
    ("header label renamed", edit_bytes("events", lambda b: b.replace(b"event_id,", b"eventid,", 1)), "events",
     "package-label", 1),
    ("header label missing", change_row("sources", 0, lambda row: row[:-1]), "sources", "package-label", 1),
    ("header label added", change_row("sources", 0, lambda row: [*row, "extra"]), "sources", "package-label", 1),
    ("header label opening a quote", edit_bytes("sources", lambda b: b.replace(b",unknown_reasons\r\n",
                                                                                  b',"unknown_reasons\r\n', 1)),
     "sources", "package-label", 1),
    ("header label twice", edit_bytes("quotes", lambda b: b.replace(b"record_status,", b"quote_id,", 1)), "quotes",
     "package-label", 1),
    ("extra cell", change_row("locations", 2, lambda row: [*row, "x"]), "locations", "package-extra-cell", 3),
    ("missing cell", change_row("locations", 3, lambda row: row[:-1]), "locations", "package-missing-cell", 4),
    ("blank row", edit_bytes("quotes", on_line(3, lambda line: b"," * 16 + b"\r\n" + line)), "quotes",
     "package-blank-row", 3),
    ("empty line", edit_bytes("quotes", on_line(3, lambda line: b"\r\n" + line)), "quotes", "package-blank-row", 3),
    ("not UTF-8", edit_bytes("events", on_line(5, lambda line: line.replace(b"E0004", b"E\xff004", 1))), "events",
     "package-encoding", 5),
]


@pytest.mark.filterwarnings("ignore:Possible nested set:FutureWarning")  # Frictionless's re, on "[[:alpha:]]+"
@pytest.mark.parametrize(("name", "breaker", "table", "code", "line"), BREAKS, ids=[b[0] for b in BREAKS])
def test_every_break_frictionless_finds_is_found_and_located(package: Path, name: str,
                                                             breaker: Callable[[Path], None], table: str,
                                                             code: str, line: int) -> None:
    breaker(package)
    assert frictionless_errors(package), f"{name}: Frictionless should reject this break too"
    found = ours(package)
    assert any(p.code == code and p.path == f"build/{table}.csv" and p.line == line for p in found), \
        (name, [p.format() for p in found])


def test_the_committed_package_passes_both(package: Path) -> None:
    assert ours(package) == []
    assert frictionless_errors(package) == []


def test_unusual_but_valid_cells_pass_both(package: Path) -> None:
    """Exactly 600 Korean characters (the limit counts characters, not bytes), a quoted comma and
    quote, a date in a leap year, a latitude in exponent form: nothing false is reported."""
    set_cell("events", 0, "summary", "가" * 600)(package)
    set_cell("events", 1, "summary", 'a "quoted", summary')(package)
    set_cell("events", 2, "date_end", "2020-02-29")(package)
    set_cell("locations", 0, "latitude", "3.9e1")(package)
    assert frictionless_errors(package) == []
    # Only the Parquet files, left as they were, now differ from the CSV files (and ours says so).
    assert {(p.path, p.code) for p in ours(package)} == {("build/events.parquet", "package-parquet"),
                                                         ("build/locations.parquet", "package-parquet")}


@pytest.mark.parametrize("line_break", ["\r\n", "\r"])
def test_a_line_break_inside_a_cell_keeps_lines_right(package: Path, line_break: str) -> None:
    """Rows then span lines: the csv module's reading says on which line each row starts (a lone
    carriage return counts as a line, as the csv module counts it)."""
    set_cell("events", 0, "notes", f"first line{line_break}second line")(package)
    set_cell("events", 3, "summary", "")(package)
    found = ours(package)
    assert [(p.code, p.line) for p in found] == [("package-required", 6)]


@pytest.mark.parametrize(("after_cr", "fast"), [(b"\n", True), (b"x", False)])
def test_a_crlf_split_between_pieces_is_read_fast_and_a_lone_cr_is_not(monkeypatch: pytest.MonkeyPatch,
                                                                      after_cr: bytes, fast: bool) -> None:
    """The fast reader counts line ends in pieces. A CR LF split between two pieces is still one
    row end (it had sent every large file to the slow reader, 6 s instead of 1 s at 100k
    events); a CR followed by anything else is a lone CR, which only the slow reader reads
    right."""
    import pyarrow as pa

    from nkcp import package_check
    from nkcp.package_check import _read_fast

    piece = 1 << 16
    monkeypatch.setattr(package_check, "_PIECE", piece)
    head = b"a,b\r\n"
    row = b"1,x\r\n"
    body = head + row * ((piece - len(head)) // len(row) - 1)
    body += b"2," + b"y" * (piece - len(body) - 3) + b"\r"  # the piece ends on the CR
    assert len(body) == piece and body.endswith(b"\r")
    data = body + after_cr + b"3,z\r\n"
    read = _read_fast(pa.py_buffer(data), 2, {"delimiter": ",", "quoteChar": '"'})
    assert (read is not None) == fast
    if read is not None:
        header, columns, lines = read
        assert header == ["a", "b"] and columns[0].to_pylist()[-2:] == ["2", "3"]
        assert list(lines[-2:]) == [len(columns[0]), len(columns[0]) + 1]


@pytest.mark.parametrize("piece", [1, 2, 3, 5])
def test_the_fast_reader_reads_the_same_whatever_the_pieces(monkeypatch: pytest.MonkeyPatch, piece: int) -> None:
    """Line ends counted in pieces of a few bytes (CR LF split at many boundaries, a CR ending
    the data) give what one piece gives, on 400 small random files."""
    import pyarrow as pa

    from nkcp import package_check
    from nkcp.package_check import _read_fast

    def read(data: bytes) -> object:
        found = _read_fast(pa.py_buffer(data), 2, {"delimiter": ",", "quoteChar": '"'})
        return None if found is None else (found[0], [c.to_pylist() for c in found[1]], list(found[2]))

    rng = random.Random(piece)
    bodies = [b"a,b\r\n" + bytes(rng.choice(b"x,\r\n") for _ in range(rng.randrange(12))) for _ in range(400)]
    whole = [read(body) for body in bodies]
    monkeypatch.setattr(package_check, "_PIECE", piece)
    assert [read(body) for body in bodies] == whole
    assert sum(r is not None for r in whole) > 50  # many were read the fast way


def test_changed_bytes_without_a_new_hash_are_found(package: Path) -> None:
    path = package.parent / "build" / "locations.csv"
    path.write_bytes(path.read_bytes().replace(b"Pyongyang", b"Pyongyanf", 1))
    assert "hash-count" in frictionless_errors(package)
    assert [p.code for p in ours(package)] == ["package-hash"]
    path.write_bytes(path.read_bytes() + b"\r\n")
    assert {"package-hash", "package-bytes"} <= {p.code for p in ours(package)}


def test_a_missing_file_is_found(package: Path) -> None:
    (package.parent / "build" / "sources.csv").unlink()
    found = ours(package)
    assert [(p.path, p.code) for p in found if p.path == "build/sources.csv"] == [("build/sources.csv", "package-file")]


def test_a_parquet_file_unlike_its_csv_is_found(package: Path) -> None:
    """More than Frictionless checks: it reads a Parquet file only for its bytes and hash."""
    import pyarrow.compute as pc

    table = read_parquet(package.parent / "build" / "events.parquet")
    column = table.column_names.index("count_best")
    changed = table.set_column(column, "count_best", pc.add(table.column(column), 1))
    rewrite(package, "build/events.parquet", parquet_bytes(changed))
    assert frictionless_errors(package) == []
    found = ours(package)
    assert found and {(p.path, p.code) for p in found} == {("build/events.parquet", "package-parquet")}
    assert "count_best" in found[0].message


def test_what_it_cannot_check_is_refused_not_passed(package: Path) -> None:
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    descriptor["resources"][0]["schema"]["fields"][0]["type"] = "datetime"
    descriptor["resources"][1]["schema"]["fields"][1]["constraints"]["minimum"] = 1  # a string with a minimum
    descriptor["resources"][2]["dialect"]["skipInitialSpace"] = True
    package.write_text(json.dumps(descriptor), encoding="utf-8")
    found = ours(package)
    assert [p.code for p in found] == ["package-unsupported"] * 3
    assert 'type "datetime"' in found[0].message and "skipInitialSpace" in found[2].message


# Descriptors that would make Frictionless read or check a file otherwise than this check can:
# each is refused (or, for a descriptor of the wrong shape, reported), never passed or raised.
DESCRIPTORS = [
    ("no dialect: Frictionless guesses the delimiter", lambda p: resource(p, "events").pop("dialect"),
     "package-unsupported"),
    ("dialect given as a path", lambda p: resource(p, "events").update(dialect="dialect.json"), "package-unsupported"),
    ("decimalChar", lambda p: field(p, "locations", "latitude").update(decimalChar=","), "package-unsupported"),
    ("a field's own missingValues", lambda p: field(p, "events", "date_start").update(missingValues=["-"]),
     "package-unsupported"),
    ("rows", lambda p: resource(p, "events").update(rows=999), "package-unsupported"),
    ("extrapaths", lambda p: resource(p, "events").update(extrapaths=["build/x.csv"]), "package-unsupported"),
    ("a CSV without a schema", lambda p: (resource(p, "events").pop("schema"), resource(p, "events").pop("type")),
     "package-unsupported"),
    ("a string field's enum of numbers", lambda p: field(p, "events", "count_unit")["constraints"].update(enum=[1, 2]),
     "package-unsupported"),
    ("missingValues not strings", lambda p: resource(p, "events")["schema"].update(missingValues=[1]),
     "package-descriptor"),
    ("primaryKey a number", lambda p: resource(p, "events")["schema"].update(primaryKey=7), "package-descriptor"),
    ("constraints null", lambda p: field(p, "events", "event_id").update(constraints=None), "package-descriptor"),
    ("pattern not a regular expression", lambda p: field(p, "events", "event_id")["constraints"].update(pattern="["),
     "package-descriptor"),
    ("maxLength a string", lambda p: field(p, "events", "event_id")["constraints"].update(maxLength="5"),
     "package-descriptor"),
]


@pytest.mark.parametrize(("name", "change", "code"), DESCRIPTORS, ids=[d[0] for d in DESCRIPTORS])
def test_descriptors_it_cannot_follow_are_reported_not_passed(package: Path, name: str,
                                                              change: Callable[[dict[str, Any]], object],
                                                              code: str) -> None:
    edit_descriptor(package, change)
    assert [(p.path, p.code) for p in ours(package)] == [("datapackage.json", code)], name


def test_a_row_of_missing_values_is_a_blank_row(package: Path) -> None:
    edit_descriptor(package, lambda p: resource(p, "locations")["schema"].update(missingValues=["", "NA"]))
    change_row("locations", 2, lambda row: ["NA"] * len(row))(package)
    assert frictionless_errors(package)
    assert ("package-blank-row", 3) in [(p.code, p.line) for p in ours(package)]


@pytest.mark.parametrize("change", [{"maximum": 10**20}, {"minimum": -(10**20)}, {"maxLength": 10**20}])
def test_bounds_too_large_to_compare_are_refused_not_raised(package: Path, change: dict[str, int]) -> None:
    name = "count_best" if "maxLength" not in change else "summary"
    edit_descriptor(package, lambda p: field(p, "events", name).setdefault("constraints", {}).update(change))
    assert [p.code for p in ours(package)] == ["package-unsupported"]


def test_without_skip_initial_space_stated_a_leading_space_is_reported(package: Path) -> None:
    """Frictionless guesses skipInitialSpace from the data when the dialect leaves it out, and may
    then read " " as an empty cell: a required cell that ours would have passed."""
    edit_descriptor(package, lambda p: resource(p, "sources")["dialect"].pop("skipInitialSpace"))
    set_cell("sources", 1, "publisher", " ")(package)
    assert [(p.code, p.line) for p in ours(package) if p.path == "build/sources.csv"] == [("package-initial-space", 3)]


def test_a_header_ended_by_a_lone_carriage_return_is_read_not_raised(package: Path) -> None:
    edit_bytes("sources", lambda b: b.replace(b",unknown_reasons\r\n", b",unknown_reasons\r", 1))(package)
    assert frictionless_errors(package) == []
    assert [p for p in ours(package) if p.code != "package-parquet"] == []


def test_a_path_outside_the_package_is_refused(package: Path) -> None:
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    descriptor["resources"][0]["path"] = "../elsewhere.csv"
    package.write_text(json.dumps(descriptor), encoding="utf-8")
    assert [p.code for p in ours(package)] == ["package-unsupported"]


def test_many_failures_are_counted_beyond_those_listed(package: Path) -> None:
    rows = rows_of(package, "quotes")
    for row in rows[1:]:
        row[rows[0].index("informant_type")] = "ghost"
    write_table(package, "quotes", rows)
    found = [p for p in ours(package) if p.code == "package-enum"]
    assert len(found) == SHOWN_PER_CHECK + 1
    assert found[-1].message.startswith(f"{len(rows) - 1 - SHOWN_PER_CHECK} more rows")


TRICKY = ["", " ", "x", "-1", "0", "1.5", "1e400", "NaN", "true", "TRUE", "yes", "2021-02-29", "2020-2-3",
          "Q1", "Q0001", "E0001", "\x0b", "a;b", ";", "가", "https://x", "x" * 700, '"', "\u3000", "+5", "1_000"]


def _csv_problems(descriptor: Path) -> list[Problem]:
    """Ours, without the Parquet comparison: a changed CSV no longer equals its Parquet file, and
    that alone must not let a random break pass for caught."""
    return [p for p in ours(descriptor) if p.code != "package-parquet"]


def _random_cells(descriptor: Path, rng: random.Random) -> None:
    for _ in range(rng.randint(1, 3)):
        table = rng.choice(TABLES)
        rows = rows_of(descriptor, table)
        rows[rng.randrange(1, len(rows))][rng.randrange(len(rows[0]))] = rng.choice(TRICKY)
        write_table(descriptor, table, rows)


def _random_bytes(descriptor: Path, rng: random.Random) -> None:
    table = rng.choice(TABLES)
    data = bytearray((descriptor.parent / "build" / f"{table}.csv").read_bytes())
    for _ in range(rng.randint(1, 4)):
        data[rng.randrange(len(data))] = rng.choice(b',"\r\n;x9-\x00\xff ')
    rewrite(descriptor, f"build/{table}.csv", bytes(data))


@pytest.mark.parametrize(("breaker", "seeds", "at_least"), [(_random_cells, range(30), 15),
                                                           (_random_bytes, range(1000, 1030), 10)])
def test_random_breaks_frictionless_rejects_ours_rejects(tmp_path: Path, breaker: Callable[..., None],
                                                         seeds: range, at_least: int) -> None:
    """Each seed breaks a fresh copy; of 30, Frictionless rejected 24 broken by cells and 17 by
    bytes when this was written (`at_least` keeps the test from passing on breaks that break
    nothing)."""
    rejected = 0
    for seed in seeds:
        copy = tmp_path / str(seed)
        copy.mkdir()
        shutil.copy(REPO / "datapackage.json", copy / "datapackage.json")
        shutil.copytree(REPO / "build", copy / "build")
        breaker(copy / "datapackage.json", random.Random(seed))
        if frictionless_errors(copy / "datapackage.json"):
            rejected += 1
            assert _csv_problems(copy / "datapackage.json"), f"seed {seed}: Frictionless rejects, ours passes"
    assert rejected >= at_least


def test_cli_reports_file_and_line_and_exits_1(package: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(package.parent)
    assert run_cli("check-package", "datapackage.json")[0] == 0
    set_cell("events", 1, "record_kind", "bogus")(package)
    code, output = run_cli("check-package", str(package))
    assert code == 1
    assert "build/events.csv:3: [package-enum]" in output


def test_build_refuses_a_written_package_its_check_rejects(mini_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file changed between writing and publishing (a bug of the writer, a disk fault) is caught
    by the package check, and the previous build stays as it was."""
    from nkcp import build as build_module
    from nkcp.problems import InputError

    build_module.build(mini_repo)
    before = {p: p.read_bytes() for p in (mini_repo / "build").iterdir()}
    write = build_module._write_outputs

    def write_then_damage(staging: Path, *args: object, **kwargs: object) -> dict[str, str]:
        files = write(staging, *args, **kwargs)  # type: ignore[arg-type]
        path = staging / "build" / "events.csv"
        path.write_bytes(path.read_bytes().replace(b"reviewed", b"reviewer", 1))
        return files

    monkeypatch.setattr(build_module, "_write_outputs", write_then_damage)
    with pytest.raises(InputError) as refused:
        build_module.build(mini_repo)
    # Both the hash and the content give it away ("reviewer" is not a record status).
    assert sorted((p.path, p.code) for p in refused.value.problems) == [("build/events.csv", "package-enum"),
                                                                        ("build/events.csv", "package-hash")]
    assert {p: p.read_bytes() for p in (mini_repo / "build").iterdir()} == before


def test_frictionless_runs_when_asked_and_in_releases(mini_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from nkcp import conformance
    from nkcp.release.release import cut_release

    calls: list[str] = []
    real = conformance.frictionless_problems

    def counted(*args: object) -> object:
        calls.append("frictionless")
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(conformance, "frictionless_problems", counted)
    code, _ = run_cli("build", "--root", str(mini_repo))
    assert (code, calls) == (0, [])
    code, _ = run_cli("build", "--root", str(mini_repo), "--frictionless")
    assert (code, calls) == (0, ["frictionless"])
    (mini_repo / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n\n- First records.\n", encoding="utf-8")
    (mini_repo / "LICENSE-DATA").write_text("CC BY 4.0\n", encoding="utf-8")
    cut_release(mini_repo, date="2026-01-02")
    assert calls == ["frictionless", "frictionless"]


def test_a_row_blank_only_in_its_first_cells_is_not_a_blank_row(package: Path) -> None:
    rows = rows_of(package, "quotes")
    rows[1][:3] = ["", "", ""]
    write_table(package, "quotes", rows)
    codes = {p.code for p in ours(package) if p.path == "build/quotes.csv"}
    assert "package-required" in codes and "package-blank-row" not in codes


@pytest.mark.parametrize("piece", [1, 2, 3, 7, 1 << 22])
def test_line_ends_and_control_characters_as_python_counts_them(monkeypatch: pytest.MonkeyPatch, piece: int) -> None:
    """The numpy scans give what plain Python says of the same bytes, in pieces of any size, on
    600 random byte strings rich in the bytes they look for."""
    import pyarrow as pa

    from nkcp import package_check

    monkeypatch.setattr(package_check, "_PIECE", piece)
    allowed = {0x09, 0x0A, 0x0D}
    rng = random.Random(piece)
    for _ in range(600):
        data = bytes(rng.choice(b"\r\n\t\x00\x1f\x7f\x0b a\xc3\xa9,") for _ in range(rng.randrange(20)))
        lone = any(b == 0x0D and data[i + 1:i + 2] != b"\n" for i, b in enumerate(data))
        assert package_check._line_ends(pa.py_buffer(data)) == (data.count(b"\n"), lone), data
        control = any((b < 0x20 and b not in allowed) or b == 0x7F for b in data)
        assert package_check._has_control(pa.py_buffer(data)) == control, data
