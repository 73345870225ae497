"""Behaviour baseline: the same cases run with two source trees must give the same results.

A speed change must not change what nkcp reports or writes. For the real repository, the mini
fixture, every hostile case (tests/hostile/test_hostile_corpus.py) and every bad-input case
(tests/test_bad_inputs.py), plus six restated non-parametrised ones, this records on a fresh copy
`nkcp validate --format json` (stdout, exit code), `nkcp build` (exit code) and the SHA-256 of
every file under build/ and of datapackage.json; `compare` then lists every difference.

    python benchmarks/behaviour.py record /tmp/old/src /tmp/old.json   # a tree of the old commit
    python benchmarks/behaviour.py record src /tmp/new.json
    python benchmarks/behaviour.py compare /tmp/old.json /tmp/new.json
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

MAIN = Path(__file__).resolve().parent.parent
PY = sys.executable
TIMEOUT = 900
WORKERS = 2

sys.path.insert(0, str(MAIN))
from tests import test_bad_inputs as bad  # noqa: E402
from tests.hostile import test_hostile_corpus as hostile  # noqa: E402

MINI = MAIN / "tests/fixtures/mini"
REAL_ITEMS = ["records", "sources", "captures", "schema", "rules", "build", "datapackage.json", "releases",
              "pyproject.toml"]


# ------------------------------------------------------------------------------------------
# Case construction
# ------------------------------------------------------------------------------------------
def make_real(root: Path) -> None:
    root.mkdir(parents=True)
    for item in REAL_ITEMS:
        src = MAIN / item
        if src.is_dir():
            shutil.copytree(src, root / item, symlinks=True)
        else:
            shutil.copy2(src, root / item)


def make_mini(root: Path) -> None:
    shutil.copytree(MINI, root, ignore=shutil.ignore_patterns("golden"))
    shutil.copytree(MAIN / "schema", root / "schema")


def bad_input_mutation(file: str, old: str, new: str):
    def mutate(root: Path) -> None:
        path = root / file
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, (file, old)
        path.write_text(text.replace(old, new), encoding="utf-8")
    return mutate


def extra_every_error(root: Path) -> None:
    event = root / bad.EVENT
    event.write_text(event.read_text(encoding="utf-8").replace("event_type: banishment", "event_type: exile")
                     .replace("target: residents", "target: families"), encoding="utf-8")
    quotes = root / bad.QUOTES
    quotes.write_text(quotes.read_text(encoding="utf-8").replace("told nothing,", "told everything,"),
                      encoding="utf-8")


def extra_empty_quotes(root: Path) -> None:
    (root / "records/quotes/other-source.yaml").write_text("source_id: other-source\nquotes: []\n",
                                                          encoding="utf-8")


def extra_unknown_place(root: Path) -> None:
    event = root / bad.EVENT
    event.write_text(event.read_text(encoding="utf-8").replace("place_id: pyongyang\norigin",
                                                               "place_id: phyeongyang\norigin"), encoding="utf-8")


def extra_draft(root: Path) -> None:
    event = root / bad.EVENT
    event.write_text(event.read_text(encoding="utf-8").replace("record_status: reviewed", "record_status: draft"),
                     encoding="utf-8")


# (id, base, mutation)   base: "real" | "mini" (unbuilt copy) | "mini-built" (copy of side's built mini)
def all_cases() -> list[tuple[str, str, object]]:
    cases: list[tuple[str, str, object]] = [("real-repository", "real", None), ("mini", "mini", None)]
    for c in hostile.CASES:
        cases.append((f"hostile:{c.id}", "mini-built", c.mutate))
    for c in bad.CASES:
        cases.append((f"bad-inputs:{c[0]}", "mini", bad_input_mutation(*c[1:4])))
    # non-parametrised tests that are mutations of a copy too (re-stated, see report)
    cases += [
        ("extra:bad-inputs:every-error-at-once", "mini", extra_every_error),
        ("extra:bad-inputs:empty-quotes-file", "mini", extra_empty_quotes),
        ("extra:bad-inputs:unknown-place-hint", "mini", extra_unknown_place),
        ("extra:bad-inputs:draft-record", "mini", extra_draft),
        ("extra:hostile:forged-file-name", "mini-built",
         hostile.put("records/events/E0002\nE0001.yaml:1: [fake] all good.yaml", "x: 1\n")),
        ("extra:hostile:python-tag-build-from-mini-unbuilt", "mini",
         hostile.sub(hostile.EVENT, hostile.NOTES, "notes: !!python/object/apply:os.system ['touch pwned']")),
    ]
    return cases


# ------------------------------------------------------------------------------------------
# Running
# ------------------------------------------------------------------------------------------
def env_for(src: Path, cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NKCP_")}
    env["PYTHONPATH"] = str(src)
    env["NKCP_CACHE"] = str(cache)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> dict:
    try:
        p = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)
        rc, out, err = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as exc:
        rc, out, err = "timeout", exc.stdout or b"", exc.stderr or b""
    return {"rc": rc, "stdout": out.decode("utf-8", "backslashreplace"), "stderr": err.decode("utf-8", "backslashreplace")}


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def outputs(root: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    build = root / "build"
    if build.is_dir():
        for dirpath, dirnames, filenames in os.walk(build):
            for name in filenames + dirnames:
                p = Path(dirpath) / name
                st = os.lstat(p)
                if stat.S_ISREG(st.st_mode):
                    out[p.relative_to(root).as_posix()] = sha(p)
                elif not stat.S_ISDIR(st.st_mode):
                    out[p.relative_to(root).as_posix()] = f"<non-regular mode {oct(st.st_mode)}>"
    elif build.exists() or build.is_symlink():
        out["build"] = "<not a folder>"
    else:
        out["build/"] = "<absent>"
    dp = root / "datapackage.json"
    out["datapackage.json"] = sha(dp) if dp.is_file() else "<absent>"
    return out


def run_case(src: Path, work: Path, index: int, case: tuple[str, str, object], built: Path) -> dict:
    cid, base, mutate = case
    folder = work / f"{index:03d}"
    root = folder / "repo"
    if base == "real":
        make_real(root)
    elif base == "mini":
        make_mini(root)
    else:
        shutil.copytree(built, root, symlinks=True)
    setup_error = None
    if mutate is not None:
        try:
            mutate(root)  # type: ignore[operator]
        except Exception as exc:
            setup_error = repr(exc)
    env = env_for(src, folder / "cache")
    validate = run([PY, "-m", "nkcp", "validate", "--format", "json"], root, env)
    build = run([PY, "-m", "nkcp", "build"], root, env)
    result = {"id": cid, "setup_error": setup_error, "validate_rc": validate["rc"], "validate": validate["stdout"],
              "build_rc": build["rc"], "hashes": outputs(root)}
    shutil.rmtree(folder)
    return result


def record(src: Path, out: Path) -> None:
    src = src.resolve()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        built = work / "built-mini" / "repo"
        make_mini(built)
        assert run([PY, "-m", "nkcp", "build"], built, env_for(src, work / "built-mini" / "cache"))["rc"] == 0
        cases = all_cases()
        with ThreadPoolExecutor(WORKERS) as pool:
            results = list(pool.map(lambda ic: run_case(src, work, ic[0], ic[1], built), enumerate(cases)))
    out.write_text(json.dumps({"src": str(src), "results": results}, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{len(results)} cases recorded in {time.perf_counter() - started:.0f} s -> {out}")


def compare(a: Path, b: Path) -> int:
    old = json.loads(a.read_text(encoding="utf-8"))["results"]
    new = json.loads(b.read_text(encoding="utf-8"))["results"]
    assert [r["id"] for r in old] == [r["id"] for r in new], "not the same cases"
    differing, problems, hashed, codes = [], 0, 0, {}
    for o, n in zip(old, new, strict=True):
        with contextlib.suppress(ValueError):
            problems += len(json.loads(o["validate"]))
        hashed += sum(not h.startswith("<") for h in o["hashes"].values())
        key = f"validate={o['validate_rc']} build={o['build_rc']}"
        codes[key] = codes.get(key, 0) + 1
        for what in ("setup_error", "validate_rc", "validate", "build_rc", "hashes"):
            if o[what] != n[what]:
                differing.append(f"{o['id']}: {what} differs")
    print(f"cases: {len(old)}; validate problems (old side): {problems}; built files hashed per side: {hashed}")
    print(f"exit codes per case: {codes}")
    print(f"differences: {len(differing)}", *differing, sep="\n")
    return 1 if differing else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["record"]:
        record(Path(sys.argv[2]), Path(sys.argv[3]))
    elif sys.argv[1:2] == ["compare"]:
        sys.exit(compare(Path(sys.argv[2]), Path(sys.argv[3])))
    else:
        sys.exit(__doc__)
