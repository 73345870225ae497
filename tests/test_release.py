"""Releases: the smallest allowed bump, refused releases, CHANGELOG, deterministic archives, citation files."""

from __future__ import annotations

import json
import shutil
import tarfile
from pathlib import Path

import jsonschema
import pytest
import yaml
from tests.conftest import REPO, run_cli

from nkcp.problems import InputError
from nkcp.release.citation import citation_cff, package_metadata, zenodo_json
from nkcp.release.package import DataPackage
from nkcp.release.registry import load_release_index, unpack
from nkcp.release.release import ReleaseError, cut_release, make_archive

SCHEMAS = Path(__file__).parent / "schemas"
EVENT = "records/events/E0001.yaml"


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _release_documents(root: Path) -> None:
    """The code licence and the R loader, which every release archive carries."""
    shutil.copy(REPO / "LICENSE", root / "LICENSE")
    (root / "R").mkdir(exist_ok=True)
    shutil.copy(REPO / "R" / "nkcp.R", root / "R" / "nkcp.R")


@pytest.fixture
def released(mini_repo: Path) -> Path:
    (mini_repo / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n\n- First records.\n", encoding="utf-8")
    (mini_repo / "LICENSE-DATA").write_text("CC BY 4.0\n", encoding="utf-8")
    _release_documents(mini_repo)
    cut_release(mini_repo, date="2026-01-02")
    return mini_repo


def test_first_release(released: Path) -> None:
    registry = load_release_index(released)
    assert list(registry["releases"]) == ["0.1.0"]
    archive = released / "releases" / "nk-collective-punishment-0.1.0.tar.gz"
    assert registry["releases"]["0.1.0"]["bytes"] == archive.stat().st_size
    assert json.loads((released / "datapackage.json").read_text())["version"] == "0.1.0"
    assert "version: 0.1.0" in (released / "CITATION.cff").read_text()
    changelog = (released / "CHANGELOG.md").read_text()
    assert "## [0.1.0] - 2026-01-02" in changelog and "Rows: sources 1, locations 3, quotes 2, events 1" in changelog
    assert "- First records." in changelog


def test_archive_contents_and_determinism(released: Path, tmp_path: Path) -> None:
    archive = released / "releases" / "nk-collective-punishment-0.1.0.tar.gz"
    with tarfile.open(archive) as tar:
        names = sorted(m.name.split("/", 1)[1] for m in tar.getmembers())
    assert names == sorted(["datapackage.json", "README.md", "CODEBOOK.md", "R/nkcp.R", "CITATION.cff", "CHANGELOG.md",
                            "LICENSE", "LICENSE-DATA", "SHA256SUMS", "data/nkcp.db", "data/datasette.json"]
                           + [f"data/{t}.{e}" for e in ("csv", "parquet")
                              for t in ("sources", "locations", "quotes", "events", "evidence")]
                           + ["card/index.html", "card/map.svg", "card/timeline.svg", "card/events/E0001.html"])
    assert not any("captures" in n or n.endswith(".txt") for n in names)
    assert make_archive(released, "0.1.0") == archive.read_bytes()
    root = unpack(archive, tmp_path)
    descriptor = json.loads((root / "datapackage.json").read_text())
    assert [r["path"] for r in descriptor["resources"]] == [f"data/{r['name']}.csv" for r in descriptor["resources"]]
    assert all((root / r["parquet"]["path"]).is_file() for r in descriptor["resources"])
    card = (root / "README.md").read_text()
    for needle in ("version 0.1.0", "pd.read_parquet", "pl.read_parquet", "DuckDB", "nkcp_read", "Known biases",
                   "Version 0.1.0"):
        assert needle in card, needle
    for line in (root / "SHA256SUMS").read_text().splitlines():
        digest, rel = line.split("  ")
        import hashlib

        assert hashlib.sha256((root / rel).read_bytes()).hexdigest() == digest


def test_nothing_changed_is_refused(released: Path) -> None:
    with pytest.raises(ReleaseError, match="nothing changed"):
        cut_release(released, date="2026-01-03")


def test_added_record_needs_minor_and_patch_is_refused(released: Path) -> None:
    quotes = released / "records/quotes/mini-source.yaml"
    text = quotes.read_text(encoding="utf-8")
    extra = text.split("- quote_id: Q0002")[1].replace("quote_id", "x")
    quotes.write_text(text + "- quote_id: Q0003" + extra.replace("start_offset: 190", "start_offset: 195")
                      .replace("text: They were told nothing,", "text: were told nothing,"), encoding="utf-8")
    code, output = run_cli("release", "--root", str(released), "--bump", "patch", "--date", "2026-01-03")
    assert code == 1
    assert "a patch release is too small: the changes since 0.1.0 need at least minor" in output
    code, output = run_cli("release", "--root", str(released), "--date", "2026-01-03")
    assert code == 0, output
    assert "released 0.2.0" in output and "added: Q0003" in output
    assert "0.1.0 -> 0.2.0: smallest allowed bump minor" in output


def test_corrected_value_is_a_patch(released: Path) -> None:
    _edit(released, EVENT, "notes: Year taken from the publication date.", "notes: The year is taken from the publication date.")
    result = cut_release(released, date="2026-01-04")
    assert result.version == "0.1.1"
    assert result.diff is not None and result.diff.tables["events"].changed == {
        "E0001": {"notes": ["Year taken from the publication date.", "The year is taken from the publication date."]}}
    assert ("  - changed E0001: notes 'Year taken from the publication date.' -> "
            "'The year is taken from the publication date.'") in (released / "CHANGELOG.md").read_text()


def test_retraction_keeps_the_row(released: Path) -> None:
    _edit(released, EVENT, "record_status: reviewed", "record_status: retracted")
    result = cut_release(released, date="2026-01-04")
    assert result.version == "0.1.1"
    assert result.diff is not None and result.diff.tables["events"].retracted == ["E0001"]
    assert "retracted: E0001" in (released / "CHANGELOG.md").read_text()


def test_deleted_record_is_refused(released: Path) -> None:
    quotes = released / "records/quotes/mini-source.yaml"
    text = quotes.read_text(encoding="utf-8")
    quotes.write_text(text.split("- quote_id: Q0002")[0], encoding="utf-8")
    with pytest.raises(InputError) as refused:  # validation refuses it before the release compares IDs
        cut_release(released, date="2026-01-04")
    assert [p.format() for p in refused.value.problems] == [
        "records/quotes:1: [published-record-missing] quotes Q0002 was published (build/quotes.csv, release 0.1.0) "
        "but no record holds it (hint: a published record is never deleted: restore its file and set "
        "record_status: retracted)"]


def test_removed_vocabulary_value_needs_major(released: Path) -> None:
    _edit(released, "schema/vocabularies.yaml",
          "    military:\n      definition: The Korean People's Army or another military body.\n", "")
    with pytest.raises(ReleaseError, match="need at least major"):
        cut_release(released, "minor", date="2026-01-04")
    assert cut_release(released, date="2026-01-04").version == "1.0.0"


@pytest.mark.parametrize(("length", "level", "words"), [
    (500, "major", "constraint tightened on summary: maxLength 600 -> 500"),
    (700, "minor", "constraint loosened on summary: maxLength 600 -> 700"),
])
def test_a_changed_constraint_is_versioned_by_the_frictionless_recipe(released: Path, length: int, level: str,
                                                                      words: str) -> None:
    """Data Package Version: a more restrictive constraint is major, a less restrictive one minor."""
    _edit(released, "schema/fields.yaml", "in the coder's words.\n    required: true\n    max_length: 600\n",
          f"in the coder's words.\n    required: true\n    max_length: {length}\n")
    with pytest.raises(ReleaseError, match=f"need at least {level}"):
        cut_release(released, "patch", date="2026-01-04")
    result = cut_release(released, date="2026-01-04")
    assert result.version == {"major": "1.0.0", "minor": "0.2.0"}[level]
    assert words in (released / "CHANGELOG.md").read_text()


def test_a_changed_pattern_counts_as_tightened() -> None:
    from nkcp.release.diff import constraint_changes

    old = {"constraints": {"pattern": "^E[0-9]{4}$", "required": True}}
    assert constraint_changes(old, {"constraints": {"pattern": "^E[0-9]{4,}$", "required": True}}, False) == (
        ["pattern '^E[0-9]{4}$' -> '^E[0-9]{4,}$'"], [])
    assert constraint_changes(old, {"constraints": {"pattern": "^E[0-9]{4}$"}}, False) == ([], ["required True -> None"])
    assert constraint_changes(old, {"constraints": {"required": True}}, False) == ([], ["pattern '^E[0-9]{4}$' -> None"])


def test_diff_command_text_and_json(released: Path) -> None:
    _edit(released, EVENT, "count_best: 12", "count_best: 13")
    from nkcp.outputs.run import build

    build(released)
    archive = released / "releases" / "nk-collective-punishment-0.1.0.tar.gz"
    code, output = run_cli("diff", str(archive), str(released))
    assert code == 0 and "changed E0001: count_best 12 -> 13" in output and "smallest allowed bump patch" in output
    code, output = run_cli("diff", str(archive), str(released), "--format", "json")
    data = json.loads(output)
    assert data["tables"]["events"]["changed"] == {"E0001": {"count_best": [12, 13]}} and data["required_bump"] == "patch"


def test_citation_files_validate_against_their_schemas() -> None:
    meta = package_metadata(REPO)
    cff_schema = json.loads((SCHEMAS / "cff-1.2.0.schema.json").read_text())
    jsonschema.validate(citation_cff(meta), cff_schema)
    jsonschema.validate(yaml.safe_load((REPO / "CITATION.cff").read_text()), cff_schema)
    zenodo_schema = json.loads((SCHEMAS / "zenodo-deposit.schema.json").read_text())
    jsonschema.validate(zenodo_json(meta), zenodo_schema)
    assert json.loads((REPO / ".zenodo.json").read_text()) == zenodo_json(meta)
    assert citation_cff(meta)["type"] == "dataset" and zenodo_json(meta)["upload_type"] == "dataset"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**zenodo_json(meta), "upload_type": "data"}, zenodo_schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**citation_cff(meta), "type": "database"}, cff_schema)


def test_committed_citation_file_equals_metadata() -> None:
    from nkcp.release.citation import cff_text

    assert (REPO / "CITATION.cff").read_text(encoding="utf-8") == cff_text(package_metadata(REPO))


def test_every_released_id_is_still_in_the_build(tmp_path: Path) -> None:
    """Retraction keeps the row: no ID of any committed release may disappear."""
    registry = load_release_index(REPO)
    assert registry["releases"], "the first release has not been cut"
    current = DataPackage(REPO)
    for version, entry in registry["releases"].items():
        old = DataPackage(unpack(REPO / "releases" / entry["file"], tmp_path / version))
        for table in old.tables():
            key = old.schema(table)["primaryKey"][0]
            old_ids = {r[key] for r in old.rows(table)}
            new_ids = {r[key] for r in current.rows(table)}
            assert old_ids <= new_ids, (version, table, sorted(old_ids - new_ids))


@pytest.mark.parametrize(("fmt", "expected"), [("apa", "[Data set]"), ("bibtex", "@misc{nkcp_"), ("cff", "cff-version: 1.2.0")])
def test_cite_formats(fmt: str, expected: str) -> None:
    code, output = run_cli("cite", "--format", fmt)
    assert code == 0 and expected in output
    import nkcp

    assert nkcp.__version__ in output


def _git(root: Path, *args: str) -> str:
    import subprocess

    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout.strip()


def test_a_release_in_git_records_its_commit_commits_and_tags(mini_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (mini_repo / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n\n- First records.\n", encoding="utf-8")
    (mini_repo / "LICENSE-DATA").write_text("CC BY 4.0\n", encoding="utf-8")
    _release_documents(mini_repo)
    _git(mini_repo, "init", "--quiet")
    _git(mini_repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "--all")
    _git(mini_repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "--quiet", "-m", "records")
    cut_from = _git(mini_repo, "rev-parse", "HEAD")
    (mini_repo / "notes.txt").write_text("not committed")
    monkeypatch.chdir(mini_repo)
    monkeypatch.setenv("GIT_AUTHOR_NAME", "t")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "t@example.org")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "t")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "t@example.org")
    code, output = run_cli("release", "--date", "2026-01-02")
    assert code == 1 and "uncommitted changes: commit them first" in output
    (mini_repo / "notes.txt").unlink()
    code, output = run_cli("release", "--date", "2026-01-02")
    assert code == 0, output
    assert f"cut from commit {cut_from}, committed and tagged v0.1.0" in output
    entry = load_release_index(mini_repo)["releases"]["0.1.0"]
    assert entry["commit"] == cut_from
    import nkcp

    assert entry["tools_version"] == nkcp.TOOLS_VERSION
    assert _git(mini_repo, "describe", "--tags", "--exact-match") == "v0.1.0"
    assert _git(mini_repo, "rev-parse", "HEAD~1") == cut_from
    assert _git(mini_repo, "status", "--porcelain") == ""


def test_changed_tools_without_a_new_tools_version_are_refused(mini_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A data release must not carry tool changes unannounced (README, Versions)."""
    import nkcp.release.release as release_module

    (mini_repo / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n\n- First records.\n", encoding="utf-8")
    (mini_repo / "LICENSE-DATA").write_text("CC BY 4.0\n", encoding="utf-8")
    _release_documents(mini_repo)
    (mini_repo / "src" / "nkcp").mkdir(parents=True)
    (mini_repo / "src" / "nkcp" / "tool.py").write_text("VERSION = 1\n")
    (mini_repo / "src" / "nkcp" / "__init__.py").write_text('"""tools"""\n\n__version__ = "0.0.0"\n')
    for name in ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"):
        monkeypatch.setenv(name, "t")
    for name in ("GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"):
        monkeypatch.setenv(name, "t@example.org")
    _git(mini_repo, "init", "--quiet")
    _git(mini_repo, "add", "--all")
    _git(mini_repo, "commit", "--quiet", "-m", "records and tools")
    cut_release(mini_repo, date="2026-01-02")
    assert '__version__ = "0.1.0"' in (mini_repo / "src" / "nkcp" / "__init__.py").read_text()
    _edit(mini_repo, EVENT, "count_best: 12", "count_best: 13")  # a data correction only: the release's own
    _git(mini_repo, "commit", "--quiet", "-am", "a correction")  # __version__ line is no tool change
    assert cut_release(mini_repo, date="2026-01-03").version == "0.1.1"
    (mini_repo / "src" / "nkcp" / "tool.py").write_text("VERSION = 2\n")
    _edit(mini_repo, EVENT, "notes: Year taken from the publication date.", "notes: The year is taken from the publication date.")
    _git(mini_repo, "commit", "--quiet", "-am", "a tool change and a correction")
    with pytest.raises(ReleaseError, match=r"the tools changed since the last release \(1 files in src/nkcp\)"):
        cut_release(mini_repo, date="2026-01-04")
    assert _git(mini_repo, "status", "--porcelain") == ""  # refused before anything was written
    monkeypatch.setattr(release_module, "TOOLS_VERSION", "9.9.9")
    assert cut_release(mini_repo, date="2026-01-04").version == "0.1.2"
    assert load_release_index(mini_repo)["releases"]["0.1.2"]["tools_version"] == "9.9.9"


@pytest.mark.parametrize(("args", "message"), [
    (("--version", "foo"), "'foo' is not a version MAJOR.MINOR.PATCH"),
    (("--version", "1.0.1.5"), "'1.0.1.5' is not a version MAJOR.MINOR.PATCH"),
    (("--date", "not-a-date"), "'not-a-date' is not a date YYYY-MM-DD"),
])
def test_bad_release_options_are_refused_before_anything_is_written(released: Path, args: tuple[str, ...],
                                                                   message: str) -> None:
    _edit(released, EVENT, "count_best: 12", "count_best: 13")
    before = {p: p.read_bytes() for p in released.rglob("*") if p.is_file() and "build" not in p.parts}
    code, output = run_cli("release", "--root", str(released), *args)
    assert code == 1 and f"release refused: {message}" in output, output
    assert {p: p.read_bytes() for p in released.rglob("*") if p.is_file() and "build" not in p.parts} == before


def test_a_parquet_type_change_is_major(tmp_path: Path) -> None:
    """Release 1.0.0 held lists as text in Parquet; list<string> is a retyped column for Parquet readers."""
    from nkcp.release.diff import diff_packages

    old = DataPackage(unpack(REPO / "releases" / "nk-collective-punishment-1.0.0.tar.gz", tmp_path))
    result = diff_packages(old, DataPackage(REPO))
    assert "other_event_types (Parquet string -> list<element: string>)" in result.tables["events"].columns_retyped
    assert result.required_bump() == "major"


def test_a_long_changed_value_shows_its_difference() -> None:
    from nkcp.release.diff import TableDiff, changed_lines

    before = "A long note that says a great deal about the source before it comes to the point: 2014."
    after = before.replace("2014", "2015")
    (line,) = changed_lines(TableDiff(changed={"S1": {"notes": [before, after]}}))
    assert "2014" in line and "2015" in line
