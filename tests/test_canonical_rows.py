"""Rows read a field at a time (canonical_rows.py) against the three passes they replace.

The three passes: parse the text (libyaml, io.parse_yaml), type the nodes into rows, and write the
rows back to prove the text canonical (formatting.check_file_format). canonical_rows must
- never accept what the three passes refuse, and when it accepts give the same rows, lines and
  all (checked on every curated, hostile and synthetic file, and on random edits of them);
- accept every file the three passes accept (else the fast path silently stops being used: the
  build stays right, but slow).
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import MINI, REPO
from tests.hostile.test_hostile_corpus import CASES as HOSTILE
from tests.test_bad_inputs import CASES as BAD

from nkcp import io, synthetic
from nkcp.canonical_rows import canonical_rows
from nkcp.formatting import check_file_format
from nkcp.problems import Problems
from nkcp.records import Row, parse_file_text
from nkcp.registry import Table, load_registry

REG = load_registry(REPO)
TABLES = {table.records: table for table in REG.tables.values()}


def _table(root: Path, path: Path) -> Table:
    return TABLES[path.parent.relative_to(root).as_posix()]


def _files(root: Path) -> list[Path]:
    return sorted([*root.glob("records/*/*.yaml"), *root.glob("sources/*.yaml")])


def _plain(rows: list[Row]) -> list[tuple[object, ...]]:
    return [(r.table, r.path, r.line, r.values, r.lines) for r in rows]


def _three_passes(text: str, stem: str, table: Table) -> tuple[list[Row], Problems]:
    problems = Problems()
    rows = parse_file_text(text, "x.yaml", stem, table, REG, problems)
    if not problems:
        check_file_format("x.yaml", text, rows, REG, problems)
    return rows, problems


def _agree(text: str, stem: str, table: Table) -> bool:
    """Assert the contract on one text; True when the three passes accept it. (A text whose
    characters are refused before it is read, as incremental.py does, is not read either way.)"""
    if io.check_text_file(text.encode("utf-8", "surrogatepass"), "x.yaml", Problems()) is None:
        return False
    fast = canonical_rows(text, "x.yaml", stem, table, REG)
    rows, problems = _three_passes(text, stem, table)
    if fast is not None:
        assert not problems, f"accepted what the three passes refuse: {problems.as_text()}"
        assert _plain(fast) == _plain(rows)
    else:
        assert problems, "refused a file the three passes accept"
    return not problems


@pytest.fixture(scope="module")
def synthetic_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthetic.generate(tmp_path_factory.mktemp("synthetic") / "repo", 150, seed=7, template=REPO)


def test_every_curated_and_synthetic_file_is_read_the_same(synthetic_repo: Path) -> None:
    checked = 0
    for root in (REPO, MINI, synthetic_repo):
        for path in _files(root):
            assert _agree(path.read_text(encoding="utf-8"), path.stem, _table(root, path)), path
            checked += 1
    assert checked > 250


def test_hostile_and_bad_inputs_are_refused_or_read_the_same(tmp_path: Path) -> None:
    """Every case of the two corpora of refused inputs, on a copy of the miniature fixture."""
    refused = 0
    for i, mutate in enumerate([c.mutate for c in HOSTILE] + [_substitution(*c[1:4]) for c in BAD]):
        root = tmp_path / str(i)
        shutil.copytree(MINI, root, ignore=shutil.ignore_patterns("golden"))
        mutate(root)
        for path in _files(root):
            if not path.is_file() or path.is_symlink():
                continue
            try:
                text = path.read_bytes().decode("utf-8")
            except UnicodeDecodeError:
                continue
            refused += not _agree(text, path.stem, _table(root, path))
    assert refused >= 40  # the cases do reach the records


def _substitution(file: str, old: str, new: str):  # type: ignore[no-untyped-def]
    def mutate(root: Path) -> None:
        path = root / file
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    return mutate


_WORDS = st.sampled_from(["no", "on", "010", "2020-06", "1:20", ".inf", "~", "null", "a: b", "x #y", "'q'",
                          "it's", "- x", "@x", "[a]", "[act]", "[act, date]", "{}", "{b}", "*ref", "!tag", "ok",
                          "reviewed", "retracted", "Sinŭiju", "신의주", "", " ", ",", "\"", "true", "false",
                          "0x1F", "1e3", "2020-06-07", "2020-02-30", "12", "-3", "Q0001", "E0001"])
_TEXT = st.lists(_WORDS, min_size=1, max_size=3).map("".join)
_CORPUS = [(root, path) for root in (REPO, MINI) for path in _files(root)]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), pick=st.sampled_from(_CORPUS))
def test_random_edits_are_refused_or_read_the_same(data: st.DataObject, pick: tuple[Path, Path]) -> None:
    root, path = pick
    lines = path.read_text(encoding="utf-8").split("\n")[:-1]
    for _ in range(data.draw(st.integers(1, 2))):
        i = data.draw(st.integers(0, len(lines) - 1))
        j = data.draw(st.integers(0, len(lines) - 1))
        key, sep, _ = lines[i].partition(": ")
        edit = data.draw(st.sampled_from(["value", "swap", "repeat", "drop", "indent", "dedent", "dash", "key"]))
        if edit == "value" and sep:
            lines[i] = key + sep + data.draw(_TEXT)
        elif edit == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif edit == "repeat":
            lines.insert(j, lines[i])
        elif edit == "drop" and len(lines) > 1:
            del lines[i]
        elif edit == "indent":
            lines[i] = "  " + lines[i]
        elif edit == "dedent":
            lines[i] = lines[i].removeprefix("  ")
        elif edit == "dash":  # an item's dash added or taken away
            lines[i] = "  " + lines[i][2:] if lines[i].startswith("- ") else "- " + lines[i].removeprefix("  ")
        elif edit == "key" and sep:
            other = data.draw(st.sampled_from(["source_ids", "notes", "quote_id", "source_id", "latitude",
                                               "unknown_reasons", "evidence", "aliases", "date_end"]))
            lines[i] = other + sep + lines[i].partition(": ")[2]
    _agree("\n".join(lines) + "\n", path.stem, _table(root, path))


def test_seeded_edits_of_synthetic_files(synthetic_repo: Path) -> None:
    """Thousands of single-line edits (a value swapped for another record's value of the same
    key), where the memo of recurring lines is full of what came before."""
    rng = random.Random(3)
    files = _files(synthetic_repo)
    values: dict[str, list[str]] = {}
    for path in files:
        for line in path.read_text(encoding="utf-8").split("\n"):
            key, sep, value = line.strip().removeprefix("- ").partition(": ")
            if sep:
                values.setdefault(key, []).append(value)
    accepted = 0
    for _ in range(3000):
        path = rng.choice(files)
        lines = path.read_text(encoding="utf-8").split("\n")
        i = rng.randrange(len(lines) - 1)
        head, sep, _ = lines[i].partition(": ")
        if sep:
            lines[i] = head + sep + rng.choice(values[head.strip().removeprefix("- ")])
        accepted += _agree("\n".join(lines), path.stem, _table(synthetic_repo, path))
    assert 300 < accepted < 3000  # both kinds of outcome were met


def test_the_memo_is_emptied_only_between_files() -> None:
    kept = REG.kept("canonical fields")
    path = REPO / "records" / "events" / "E0001.yaml"
    text = path.read_text(encoding="utf-8")
    kept.clear()
    kept.update({f"x{i}": i for i in range((1 << 16) - 1)})
    assert canonical_rows(text, "x.yaml", path.stem, TABLES["records/events"], REG) is not None
    assert len(kept) >= 1 << 16  # filled past the bound while reading the file, not emptied midway
    assert canonical_rows(text, "x.yaml", path.stem, TABLES["records/events"], REG) is not None
    assert "x0" not in kept and len(kept) < 1 << 16  # emptied before the next file


EVENT = REPO / "records" / "events" / "E0001.yaml"
QUOTES = REPO / "records" / "quotes" / "amn-2020-07-12-pyongyang-exile.yaml"
PLACE = REPO / "records" / "places" / "pyongyang.yaml"


@pytest.mark.parametrize(("path", "old", "new"), [
    (EVENT, "other_event_types: [eviction]", "other_event_types: [eviction, eviction]"),  # typed, but reported
    (EVENT, "other_event_types: [eviction]", "other_event_types: []"),
    (EVENT, "record_status: reviewed", "record_status: 'reviewed'"),  # reads the same, written otherwise
    (EVENT, "event_id: E0001", "event_id: E0002"),  # not the file's name
    (EVENT, "other_event_types: [eviction]", "other_event_types: [evic:?tion]"),  # libyaml cannot read it
])
def test_listed_edits_are_refused(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    assert not _agree(text.replace(old, new), path.stem, TABLES[path.parent.relative_to(REPO).as_posix()])


@pytest.mark.parametrize("stem", ["true", "2020", "null", "0x1F", "2020-06-07", "1_000"])
def test_a_group_value_yaml_reads_as_no_string_is_refused(stem: str) -> None:
    """A quotes file named so that its group value, written plain, would read as a boolean,
    number, null or date: the canonical writer quotes it, so the plain form is not canonical."""
    text = QUOTES.read_text(encoding="utf-8").replace(QUOTES.stem, stem)
    assert not _agree(text, stem, TABLES["records/quotes"])


def test_rows_share_no_list_or_mapping() -> None:
    """A list or mapping typed once is never handed to a second row: a change to one row's list
    would change the other's."""
    text = EVENT.read_text(encoding="utf-8")
    first = canonical_rows(text, "x.yaml", EVENT.stem, TABLES["records/events"], REG)
    second = canonical_rows(text, "x.yaml", EVENT.stem, TABLES["records/events"], REG)
    assert first is not None and second is not None
    for name in ("other_event_types", "evidence"):
        assert first[0].values[name] == second[0].values[name]
        assert first[0].values[name] is not second[0].values[name]


@pytest.mark.parametrize(("path", "old", "new", "stem"), [
    (PLACE, "aliases: [Phyeongyang, Pyeongyang]",
     "aliases: [Phyeongyang, P'yŏngyang, a#b, 'Pyongyang, the capital', 'a:b']", "pyongyang"),
    (QUOTES, f"source_id: {QUOTES.stem}", "source_id: '2020'", "2020"),  # a file name the writer quotes
])
def test_canonical_files_with_quoting_are_read_fast(path: Path, old: str, new: str, stem: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    text = text.replace(old, new)
    assert _agree(text, stem, TABLES[path.parent.relative_to(REPO).as_posix()])
    assert canonical_rows(text, "x.yaml", stem, TABLES[path.parent.relative_to(REPO).as_posix()], REG) is not None
