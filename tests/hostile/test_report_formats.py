"""The machine-readable problem reports CI relies on: `--format json` and `--format github`.

The real `nkcp` command is run as a subprocess on a broken copy of the miniature fixture, so that
standard output (the report) and standard error (messages for people) are seen apart, as a CI
step sees them. The repository is broken in three ways chosen to stress the formats: a value
with `%`, a problem with a hint, and a file whose name holds `,`, `:` and `%` (which, unescaped,
would end GitHub's property list and forge a `line=`).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from nkcp.problems import Problems

EVENT = "records/events/E0001.yaml"
FORGED = "records/events/E0002,line=9:x%25.yaml"

EXPECTED = [
    {"file": EVENT, "line": 5, "code": "unknown-value",
     "message": "'event_type': '50% exile' is not in the vocabulary 'event_type'", "hint": ""},
    {"file": EVENT, "line": 26, "code": "formula-like-text",
     "message": "'notes' begins with '=', which spreadsheets run as a formula",
     "hint": "rephrase so the text does not begin with = + - or @"},
    {"file": FORGED, "line": 1, "code": "file-name",
     "message": "file name holds characters other than A-Z a-z 0-9 . _ -", "hint": "name the file after its id"},
]

ANNOTATION = re.compile(r"::error file=(?P<file>[^,:]+),line=(?P<line>[1-9][0-9]*),title=(?P<title>[^,:]+)::(?P<msg>.*)")


@pytest.fixture
def broken(mini_repo: Path) -> Path:
    event = mini_repo / EVENT
    text = event.read_text(encoding="utf-8")
    text = text.replace("event_type: banishment", "event_type: '50% exile'").replace("notes: Year", "notes: =Year")
    event.write_text(text, encoding="utf-8")
    (mini_repo / FORGED).write_text("x: 1\n", encoding="utf-8")
    return mini_repo


def nkcp(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nkcp", *args, "--root", str(root)], capture_output=True,
                          text=True, encoding="utf-8", timeout=120)


def unescape(text: str) -> str:
    """The inverse of GitHub's escaping (actions/toolkit core/src/command.ts)."""
    return re.sub(r"%(25|0D|0A|3A|2C)", lambda m: {"25": "%", "0D": "\r", "0A": "\n", "3A": ":", "2C": ","}[m[1]],
                  text)


def parse_github(stdout: str) -> list[dict[str, Any]]:
    found = []
    for line in stdout.splitlines():
        match = ANNOTATION.fullmatch(line)
        assert match, f"not a GitHub annotation: {line!r}"
        message, _, hint = unescape(match["msg"]).partition(" (hint: ")
        found.append({"file": unescape(match["file"]), "line": int(match["line"]), "code": unescape(match["title"]),
                      "message": message, "hint": hint.removesuffix(")")})
    return found


@pytest.mark.parametrize("verb", ["validate", "build"])
def test_json_report(broken: Path, verb: str) -> None:
    result = nkcp(broken, verb, "--format", "json")
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout) == EXPECTED  # the whole of stdout is one JSON document
    assert "[unknown-value]" not in result.stderr  # the problems are not printed twice


@pytest.mark.parametrize("verb", ["validate", "build"])
def test_github_report(broken: Path, verb: str) -> None:
    result = nkcp(broken, verb, "--format", "github")
    assert result.returncode == 1, result.stderr
    assert parse_github(result.stdout) == EXPECTED
    lines = result.stdout.splitlines()
    assert lines[0] == ("::error file=records/events/E0001.yaml,line=5,title=unknown-value::"
                        "'event_type': '50%25 exile' is not in the vocabulary 'event_type'")
    assert lines[2] == ("::error file=records/events/E0002%2Cline=9%3Ax%2525.yaml,line=1,title=file-name::"
                        "file name holds characters other than A-Z a-z 0-9 . _ - (hint: name the file after its id)")


def test_text_report_goes_to_stderr(broken: Path) -> None:
    result = nkcp(broken, "validate")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{p['file']}:{p['line']}: [{p['code']}] {p['message']}" + (f" (hint: {p['hint']})" if p["hint"] else "")
        for p in EXPECTED] + ["3 problem(s) found"]


def test_clean_repository_reports_empty(mini_repo: Path) -> None:
    json_result, github_result = nkcp(mini_repo, "validate", "--format", "json"), nkcp(mini_repo, "validate",
                                                                                       "--format", "github")
    assert (json_result.returncode, json.loads(json_result.stdout)) == (0, [])
    assert (github_result.returncode, github_result.stdout) == (0, "")


def test_github_escapes_line_breaks_and_percent() -> None:
    """No message can hold a raw line break today (values are shown with repr, file names
    escaped), but the format must not depend on that: CR and LF would end the command."""
    problems = Problems()
    problems.add("a,b:c.yaml", 3, "some-code", "first\r\nsecond 100%", "a: b, c")
    assert problems.as_github() == "::error file=a%2Cb%3Ac.yaml,line=3,title=some-code::first%0D%0Asecond 100%25 (hint: a: b, c)"
    assert parse_github(problems.as_github()) == json.loads(problems.as_json())
