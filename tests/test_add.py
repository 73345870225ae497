"""`nkcp add`: a new article becomes a capture named by its SHA-256 and a draft sidecar that
validates, through the real CLI on the miniature repository; what is not an article's text is
refused with the reason, and nothing is written."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
import yaml
from tests.conftest import REPO, run_cli

# Written for this test in the style of the genre; not a real article, never a capture of the dataset.
ARTICLE = ("Authorities in Hyesan have ordered the families of three residents who crossed into China this spring\r\n"
           "to leave the city, a source in Ryanggang province told reporters on Monday.\r\n\r\n"
           "\u201cThey were given ten days to pack,\u201d the source said.\r\n")


def _add(repo: Path, path: Path, *extra: str) -> tuple[int, str]:
    return run_cli("add", str(path), "--root", str(repo), "--source-id", "test-2021-hyesan-families",
                   "--url", "https://example.org/news/hyesan-families", "--publisher", "Example News",
                   "--derivation", "original", "--not-truncated", "--not-machine-paraphrase", *extra)


def _listing(repo: Path) -> list[str]:
    return sorted(p.relative_to(repo).as_posix() for d in ("captures", "sources") for p in (repo / d).iterdir())


def test_an_article_becomes_a_capture_and_a_draft_sidecar(mini_repo: Path, tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_bytes(ARTICLE.encode("utf-8"))
    code, output = _add(mini_repo, article, "--title", "Families ordered out of Hyesan", "--date", "2021-05-03")
    assert code == 0, output
    text = ARTICLE.replace("\r\n", "\n").encode("utf-8")  # line ends normalised, nothing else
    digest = hashlib.sha256(text).hexdigest()
    (capture,) = [p for p in (mini_repo / "captures").iterdir() if p.read_bytes() == text]
    assert re.fullmatch(rf"[0-9]{{3}}_{digest[:16]}\.txt", capture.name)
    sidecar = mini_repo / "sources" / "test-2021-hyesan-families.yaml"
    assert f"wrote captures/{capture.name} and sources/{sidecar.name} (record_status: draft)" in output
    values = yaml.safe_load(sidecar.read_text(encoding="utf-8"))
    assert values["capture_sha256"] == digest and values["record_status"] == "draft"
    assert str(values["publication_date_start"]) == "2021-05-03" and values["title"] == "Families ordered out of Hyesan"
    assert "credits" not in values and "Not given when the capture was added" in values["unknown_reasons"]["credits"]
    assert "original_url" in values["unknown_reasons"]
    code, output = run_cli("validate", "--root", str(mini_repo))  # only the review is left to do
    assert code == 1
    assert re.findall(r"\[([a-z-]+)\]", output) == ["draft-record"], output
    assert run_cli("format", "--check", "--root", str(mini_repo))[0] == 0  # written canonically
    shutil.copytree(REPO / "rules", mini_repo / "rules")  # the reviewed rules, for the next step
    code, output = run_cli("extract", f"captures/{capture.name}", "--root", str(mini_repo))
    assert code == 0, output
    assert "relative dates resolved against the publication date, 2021-05-03" in output


@pytest.mark.parametrize(("content", "code_"), [
    (b"", "capture-empty"),
    (b"  \n\n", "capture-empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "capture-not-text"),
    (b"caf\xe9 au lait", "capture-not-text"),
    (b"<!DOCTYPE html>\n<html><body><p>Families were sent away.</p></body></html>", "capture-is-html"),
])
def test_what_is_not_an_article_is_refused_and_nothing_written(mini_repo: Path, tmp_path: Path, content: bytes,
                                                               code_: str) -> None:
    before = _listing(mini_repo)
    article = tmp_path / "article.txt"
    article.write_bytes(content)
    code, output = _add(mini_repo, article)
    assert code == 1
    assert f"{article}:1: [{code_}]" in output, output
    assert _listing(mini_repo) == before


def test_a_text_already_captured_a_taken_id_and_bad_options_are_refused(mini_repo: Path, tmp_path: Path) -> None:
    before = _listing(mini_repo)
    existing = mini_repo / "captures" / "mini.txt"
    code, output = _add(mini_repo, existing)
    assert code == 1 and "[capture-exists] this text is already captured as captures/mini.txt" in output
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    code, output = run_cli("add", str(article), "--root", str(mini_repo), "--source-id", "mini-source", "--url",
                           "https://example.org/x", "--publisher", "Example News", "--derivation", "original",
                           "--not-truncated", "--not-machine-paraphrase")
    assert code == 1 and "sources/mini-source.yaml:1: [sidecar-exists]" in output
    code, output = _add(mini_repo, article, "--date", "3 May 2021")
    assert code == 1 and "--date:1: [bad-date]" in output
    code, output = run_cli("add", str(article), "--root", str(mini_repo), "--source-id", "test-x", "--url",
                           "https://example.org/x", "--publisher", "Example News", "--derivation", "reprint",
                           "--not-truncated", "--not-machine-paraphrase")
    assert code == 1 and "[unknown-value] 'derivation': 'reprint' is not in the vocabulary" in output, output
    assert _listing(mini_repo) == before
