"""The import graph follows src/nkcp/README.md: each stage package imports only the packages
below it, the io layer alone touches file formats, and nothing imports the CLI. Read from the
source's syntax tree, so a function-level import counts too."""

from __future__ import annotations

import ast

from tests.conftest import REPO

SRC = REPO / "src" / "nkcp"

# What each part of nkcp may import (besides itself). The base (io, problems, paths, gazetteer,
# schema) is shared by every stage; a stage may use the stages it reads the output of.
BASE = {"io", "problems", "paths", "gazetteer"}
ALLOWED = {
    "paths": set(),
    "problems": set(),
    "io": {"problems", "paths"},
    "gazetteer": {"io", "paths"},
    "schema": BASE,
    "rules": BASE | {"schema"},
    "records": BASE | {"schema", "rules"},
    "extract": BASE | {"schema", "records", "rules"},
    "outputs": BASE | {"schema", "records", "rules"},
    "release": BASE | {"schema", "records", "outputs", "__init__"},  # __init__: the version numbers
    "__init__": {"release", "paths"},
    "__main__": {"cli"},
    "cli": BASE | {"schema", "rules", "records", "extract", "outputs", "release", "__init__"},
}


def _part(path: str) -> str:
    """The part of nkcp a module belongs to: its package, or its own name at the top level."""
    rel = path.removeprefix("nkcp.")
    return rel.split(".")[0] if rel != "nkcp" else "__init__"


def imports() -> dict[str, set[str]]:
    """For each module (dotted name), the nkcp modules it imports."""
    graph: dict[str, set[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        module = ".".join(("nkcp", *path.relative_to(SRC).with_suffix("").parts)).removesuffix(".__init__")
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "nkcp":  # from nkcp import gazetteer
                found.update(f"nkcp.{alias.name}" if (SRC / alias.name).is_dir() or (SRC / f"{alias.name}.py").is_file()
                             else "nkcp" for alias in node.names)  # else a name of nkcp/__init__.py
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
        graph[module] = {m for m in found if m == "nkcp" or m.startswith("nkcp.")}
    return graph


def test_each_part_imports_only_what_the_readme_allows() -> None:
    wrong = []
    for module, targets in imports().items():
        part = module.split(".")[1] if module.count(".") else "__init__"
        for target in targets:
            other = _part(target)
            if other != part and other not in ALLOWED[part]:
                wrong.append(f"{module} imports {target}")
    assert wrong == []


def test_nothing_imports_the_cli() -> None:
    outside = [m for m, targets in imports().items() if m not in ("nkcp.__main__", "nkcp.cli") and not m.startswith("nkcp.cli.")
               and any(t == "nkcp.cli" or t.startswith("nkcp.cli.") for t in targets)]
    assert outside == []


def test_every_part_is_in_the_rule_and_in_the_readme() -> None:
    parts = {path.stem if path.is_file() else path.name for path in SRC.iterdir()
             if path.suffix == ".py" or (path / "__init__.py").is_file()}
    assert parts == set(ALLOWED)
    readme = (SRC / "README.md").read_text(encoding="utf-8")
    for part in parts - {"__init__", "__main__"}:
        assert f"`{part}" in readme, part


def test_no_module_is_over_400_lines() -> None:
    long = {p.relative_to(SRC).as_posix(): n for p in SRC.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}


FILE_CALLS = {"open", "read_text", "read_bytes", "write_text", "write_bytes"}


def test_only_io_opens_files() -> None:
    """ruff bans the format modules outside io (pyproject.toml); this holds the file calls ruff cannot see."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if path.relative_to(SRC).parts[0] == "io":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                imported = isinstance(node.func, ast.Name) and name != "open"  # io's own read_text etc.
                if name in FILE_CALLS and not imported:
                    found.append(f"{path.relative_to(SRC)}:{node.lineno}: {name}")
    assert found == []
