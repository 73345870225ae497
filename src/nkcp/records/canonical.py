"""Canonical form of curated files: one way to write each record, checked and applied.

Canonical files keep reviews readable (a diff shows only what changed) and let the format check
be exact: a file is canonical when writing its parsed rows gives back its text byte for byte.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from nkcp.io.files import write_text
from nkcp.io.yaml_nodes import dump_canonical
from nkcp.problems import Problems
from nkcp.records.parse import Corpus, Row, canonical_record, load_corpus, written_fields
from nkcp.schema.model import Schema, load_schema


def canonical_text_of(rows: list[Row], reg: Schema) -> str | None:
    """The canonical form of the file that holds these rows (all from one file)."""
    if not rows:
        return None
    table = reg.tables[rows[0].table]
    if table.grouped_by is None:
        return dump_canonical(canonical_record(rows[0], reg))
    fields = written_fields(table.name, reg)
    return dump_canonical({table.grouped_by: rows[0].values[table.grouped_by],
                           table.name: [canonical_record(r, reg, fields) for r in rows]})


def rows_by_file(corpus: Corpus) -> dict[str, list[Row]]:
    by_file: dict[str, list[Row]] = {}
    for rows in corpus.rows.values():
        for row in rows:
            by_file.setdefault(row.path, []).append(row)
    return by_file


def load_checked(root: Path, reg: Schema, problems: Problems) -> Corpus:
    """Every record read, each file checked for its canonical form as it is read (no text kept)."""
    return load_corpus(root, reg, problems, lambda rel, text, rows: check_file_format(rel, text, rows, reg, problems))


def check_format(corpus: Corpus, reg: Schema, problems: Problems) -> None:
    """Report files that parse cleanly but are not written canonically."""
    bad_files = {p.path for p in problems.items}
    by_file = rows_by_file(corpus)
    for rel, text in corpus.texts.items():
        if rel not in bad_files:
            check_file_format(rel, text, by_file.get(rel, []), reg, problems)


def check_file_format(rel: str, text: str, rows: list[Row], reg: Schema, problems: Problems) -> None:
    """Report the file if it parsed cleanly (call only then) but is not written canonically."""
    expected = canonical_text_of(rows, reg)
    if expected is not None and expected != text:
        line = next((i for i, (a, b) in enumerate(zip(text.split("\n"), expected.split("\n"), strict=False), 1) if a != b),
                    min(text.count("\n"), expected.count("\n")) + 1)
        problems.add(rel, line, "not-canonical", "file is not in canonical form",
                     "run 'nkcp format' to rewrite it; it changes " + first_hunk(text, expected))


def first_hunk(text: str, expected: str) -> str:
    """The first hunk of the unified diff from the file as written to its canonical form, on one
    line (each line of the hunk quoted), so a report line stays one line."""
    diff = list(difflib.unified_diff(text.split("\n"), expected.split("\n"), n=0, lineterm=""))
    end = next((i for i, line in enumerate(diff[3:], 3) if line.startswith("@@")), len(diff))
    return " ".join(line[0] + repr(line[1:]) for line in diff[3:end])


def format_files(root: Path) -> list[str]:
    """Rewrite every curated file that parses cleanly into canonical form; return those changed."""
    reg = load_schema(root)
    problems = Problems()
    corpus = load_corpus(root, reg, problems)
    broken = {p.path for p in problems.items if p.code not in ("not-canonical", "missing-reason",
                                                                "missing-field")}
    by_file = rows_by_file(corpus)
    changed = []
    for rel, text in sorted(corpus.texts.items()):
        expected = canonical_text_of(by_file.get(rel, []), reg)
        if rel in broken or expected is None or expected == text:
            continue
        write_text(root / rel, expected)
        changed.append(rel)
    return changed


def unformatted_files(root: Path) -> list[str]:
    """The curated files that parse cleanly but are not written canonically."""
    reg = load_schema(root)
    problems = Problems()
    load_checked(root, reg, problems)
    return sorted({p.path for p in problems if p.code == "not-canonical"})
