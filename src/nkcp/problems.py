"""Located problems: one record per thing wrong with the inputs, collected and reported together.

Validation never stops at the first error: every check appends to a `Problems` list, and the CLI
prints them all as `file:line: [code] message` before exiting 1 (the congress-legislators and
pandera lazy-validation style). Codes are stable slugs so that tests, CI annotations and
contributors can rely on them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong, located in a file (path relative to the repository) and line (1-based)."""

    path: str
    line: int
    code: str
    message: str
    hint: str = ""

    def format(self) -> str:
        text = f"{self.path}:{self.line}: [{self.code}] {self.message}"
        return f"{text} (hint: {self.hint})" if self.hint else text


@dataclass
class Problems:
    """An append-only collection of problems, kept in a stable, sorted order for reporting."""

    items: list[Problem] = field(default_factory=list)

    def add(self, path: str, line: int, code: str, message: str, hint: str = "") -> None:
        self.items.append(Problem(path, max(line, 1), code, message, hint))

    def extend(self, other: Problems) -> None:
        self.items.extend(other.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Problem]:
        return iter(sorted(set(self.items)))

    def codes(self) -> set[str]:
        return {p.code for p in self.items}

    def as_text(self) -> str:
        return "\n".join(p.format() for p in self)

    def as_json(self) -> str:
        """A JSON list of {file, line, code, message, hint}, one object per problem."""
        return json.dumps([{"file": p.path, "line": p.line, "code": p.code, "message": p.message, "hint": p.hint}
                           for p in self], ensure_ascii=False, indent=2)

    def as_github(self) -> str:
        """GitHub Actions workflow commands, one `::error` annotation per line, escaped as the
        Actions toolkit does (core/src/command.ts): `%`, CR and LF everywhere, and also `:` and
        `,` in the properties, so a file name cannot end the property list or forge a line."""
        out = []
        for p in self:
            msg = _escape_data(p.message + (f" (hint: {p.hint})" if p.hint else ""))
            out.append(f"::error file={_escape_property(p.path)},line={p.line},title={_escape_property(p.code)}::{msg}")
        return "\n".join(out)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


class InputError(Exception):
    """Raised when inputs have problems; carries all of them."""

    def __init__(self, problems: Problems):
        super().__init__(f"{len(problems)} problem(s) in the inputs")
        self.problems = problems


def suggest(value: str, choices: Sequence[str], lead: str = "nearest", limit: int = 3) -> str:
    """A hint naming the closest known names to an unknown one (rapidfuzz), or "" when none is close."""
    if not choices or not value:
        return ""
    from rapidfuzz import fuzz, process, utils

    found = process.extract(value, list(choices), scorer=fuzz.WRatio, processor=utils.default_process,
                            limit=limit, score_cutoff=60)
    names = [str(match[0]) for match in found]
    return f"{lead}: {', '.join(names)}" if names else ""
