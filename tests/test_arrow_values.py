"""arrow_values.py builds the same Arrow values as pyarrow's own conversions, without pandas.

Each builder is held to `pa.array` or `pa.scalar` of the same Python values (type and bytes
alike), on hypothesis's values and on sliced arrays. The last tests run a package check in a
fresh interpreter and require that it never imported pandas: that is what the module is for,
and a later change that converts a Python value with pyarrow would undo it silently.
"""

from __future__ import annotations

import json
import math
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import REPO
from tests.test_package_check import change_row, rewrite

from nkcp import arrow_values


@settings(deadline=None)  # the first example pays for pyarrow's import of pandas
@given(st.lists(st.text()))
def test_strings_are_pa_array_of_the_same_strings(values: list[str]) -> None:
    built = arrow_values.strings(values)
    assert built.type == pa.string()
    assert built.equals(pa.array(values, pa.string()))
    assert built.null_count == 0


@settings(deadline=None)  # the first example pays for pyarrow's import of pandas
@given(st.lists(st.booleans(), max_size=200))
def test_booleans_are_pa_array_of_the_same_truth_values(values: list[bool]) -> None:
    assert arrow_values.booleans(values).equals(pa.array(values, pa.bool_()))
    assert arrow_values.booleans(np.array(values, dtype=bool)).equals(pa.array(values, pa.bool_()))


@pytest.mark.parametrize("length", [0, 1, 7, 8, 9, 64, 1001])
def test_falses(length: int) -> None:
    assert arrow_values.falses(length).equals(pa.array([False] * length, pa.bool_()))


@settings(deadline=None)  # the first example pays for pyarrow's import of pandas
@given(st.one_of(st.text(), st.booleans(), st.integers(-(2**63), 2**63 - 1),
                 st.floats(allow_nan=False), st.just(math.inf), st.just(-0.0)))
def test_scalar_is_pa_scalar(value: str | bool | int | float) -> None:
    built, expected = arrow_values.scalar(value), pa.scalar(value)
    assert built.type == expected.type
    assert built.equals(expected)
    assert repr(built.as_py()) == repr(value)  # -0.0 stays -0.0


def test_scalar_refuses_what_it_does_not_build() -> None:
    with pytest.raises(TypeError):
        arrow_values.scalar(None)  # type: ignore[arg-type]
    with pytest.raises(struct.error):  # beyond int64, which pa.scalar refuses too
        arrow_values.scalar(2**63)


@settings(deadline=None)  # the first example pays for pyarrow's import of pandas
@given(st.lists(st.one_of(st.none(), st.booleans()), max_size=150), st.integers(0, 40), st.integers(0, 40))
def test_true_indices_of_arrays_and_slices(values: list[bool | None], start: int, trim: int) -> None:
    array = pa.array(values, pa.bool_())
    piece = array.slice(min(start, len(values)), max(0, len(values) - start - trim))
    found = arrow_values.true_indices(piece)
    assert found.dtype == np.int64
    assert found.tolist() == [i for i, v in enumerate(piece.to_pylist()) if v]
    chunked = pa.chunked_array([array.slice(0, start), array.slice(start)], pa.bool_())
    assert arrow_values.true_indices(chunked).tolist() == [i for i, v in enumerate(values) if v]


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """A copy of the committed package; its datapackage.json."""
    shutil.copy(REPO / "datapackage.json", tmp_path / "datapackage.json")
    shutil.copytree(REPO / "build", tmp_path / "build")
    return tmp_path / "datapackage.json"


def _imported(code: str, module: str = "pandas") -> bool:
    """Whether `code`, run in a fresh interpreter from the repository, imported `module`."""
    done = subprocess.run([sys.executable, "-c", code + f"\nimport sys\nprint({module!r} in sys.modules)"],
                          cwd=REPO, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1] == "True"


def test_a_package_check_never_imports_pandas_nor_yaml() -> None:
    """Nor PyYAML (0.02 s), which io.py imports only where YAML is read."""
    code = ("from pathlib import Path\nfrom nkcp.package_check import check_package\n"
            "problems = check_package(Path('datapackage.json'))\nassert not problems, problems.items")
    assert _imported("import pyarrow as pa\npa.array([1])")  # the probe sees what pyarrow does
    assert not _imported(code)
    assert _imported("from nkcp import io\nio.implicit_tag('1' * 100)", "yaml")  # the probe again
    assert not _imported(code, "yaml")


def test_a_package_check_with_problems_in_every_column_never_imports_pandas(package_copy: Path) -> None:
    """Bounds (a number next to one, compared as a decimal), enums, patterns, lengths, types and
    keys all find rows here, so the paths that say where run too."""
    tmp_path = package_copy.parent
    descriptor = json.loads(package_copy.read_text(encoding="utf-8"))
    schema = next(r for r in descriptor["resources"] if r["name"] == "locations")["schema"]
    fields = [f["name"] for f in schema["fields"]]
    lines = (tmp_path / "build" / "locations.csv").read_bytes().split(b"\r\n")
    broken = [lines[0]] + [b",".join(b"90.00000000000000001" if f in ("latitude", "longitude") else b"x" * 300
                                      for f in fields)] * 2 + lines[1:]
    rewrite(tmp_path / "datapackage.json", "build/locations.csv", b"\r\n".join(broken))
    code = ("from pathlib import Path\nfrom nkcp.package_check import check_package\n"
            f"problems = check_package(Path({str(tmp_path / 'datapackage.json')!r}))\n"
            "codes = {p.code for p in problems}\n"
            "assert codes == {'package-unique', 'package-maximum', 'package-maxLength', 'package-enum', "
            "'package-pattern', 'package-type'}, codes")
    assert not _imported(code)


def test_a_package_read_by_the_csv_module_never_imports_pandas(package_copy: Path) -> None:
    """A row with a missing cell sends its file to the slow reader (the csv module's)."""
    change_row("locations", 3, lambda row: row[:-1])(package_copy)
    code = ("from pathlib import Path\nfrom nkcp.package_check import check_package\n"
            f"problems = check_package(Path({str(package_copy)!r}))\n"
            "assert 'package-missing-cell' in {p.code for p in problems}, problems.items")
    assert not _imported(code)
