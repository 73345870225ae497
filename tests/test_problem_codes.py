"""The catalogue of problem codes (nkcp.problems.CODES) is complete: every code the source reports
has a one-line title there, and every code there is reported somewhere. Codes are read from the
source's syntax tree: the third argument of each `problems.add(...)` call, and the first item of
each (code, message, hint) triple."""

from __future__ import annotations

import ast
import re

from tests.conftest import REPO

from nkcp.problems import CODES, title

CODE = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*-?")


def _codes_in(arg: ast.expr, where: str) -> set[str]:
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return {arg.value}
    if isinstance(arg, ast.IfExp):
        return _codes_in(arg.body, where) | _codes_in(arg.orelse, where)
    if isinstance(arg, ast.BinOp) and isinstance(arg.left, ast.Constant):  # "frictionless-" + error.type
        return {str(arg.left.value)}
    raise AssertionError(f"{where}: write the problem code literally, so the catalogue test can see it")


def reported_codes() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in sorted((REPO / "src" / "nkcp").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # `for code, message, hint in text_hazards(...)`: the codes are the triples' own, read below
        relayed = {id(sub) for loop in ast.walk(tree) if isinstance(loop, ast.For)
                   and isinstance(loop.iter, ast.Call) and getattr(loop.iter.func, "id", "") == "text_hazards"
                   for sub in ast.walk(loop)}
        for node in ast.walk(tree):
            where = f"{path.relative_to(REPO)}:{getattr(node, 'lineno', 0)}"
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "add"
                    and len(node.args) >= 4 and id(node) not in relayed):  # Problems.add(path, line, code, message)
                found.update(dict.fromkeys(_codes_in(node.args[2], where), where))
            elif (isinstance(node, ast.Tuple) and len(node.elts) == 3 and isinstance(node.elts[0], ast.Constant)
                  and isinstance(node.elts[0].value, str) and "-" in node.elts[0].value
                  and CODE.fullmatch(node.elts[0].value)):
                found.setdefault(node.elts[0].value, where)
    return found


def test_every_reported_code_is_in_the_catalogue() -> None:
    missing = {code: where for code, where in reported_codes().items() if code not in CODES}
    assert missing == {}, "add these codes with a one-line title to nkcp.problems.CODES"


def test_every_catalogued_code_is_reported_somewhere() -> None:
    assert set(CODES) - set(reported_codes()) == set()


def test_titles_are_one_sentence_lines_and_codes_are_slugs() -> None:
    for code, text in CODES.items():
        assert CODE.fullmatch(code), code
        assert text[0].isupper() and text.endswith(".") and "\n" not in text and len(text) < 110, code


def test_a_prefix_code_titles_the_codes_it_begins() -> None:
    assert title("frictionless-type-error") == CODES["frictionless-"]
    assert title("duplicate-id") == CODES["duplicate-id"]
    assert title("no-such-code") == ""
