"""Wheel build hook: the wheel carries the data of the release whose number it has.

The tables, descriptor and codebook are unpacked from that release's archive in `releases/`
(its SHA-256 checked against `releases/registry.json`), never taken from the working tree's
`build/`, which between releases holds data no version names. A version with no release archive
cannot be built into a wheel.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class ReleaseDataHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "release-data"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return  # an editable install reads the checkout's releases/ itself
        root = Path(self.root)
        number = self.metadata.version
        registry = json.loads((root / "releases" / "registry.json").read_text(encoding="utf-8"))
        entry = registry["releases"].get(number)
        if entry is None:
            raise RuntimeError(f"{number} is not a release in releases/registry.json: cut it with 'nkcp release' "
                               "before building a wheel, so the wheel's data is the release's")
        data = (root / "releases" / entry["file"]).read_bytes()
        if hashlib.sha256(data).hexdigest() != entry["sha256"]:
            raise RuntimeError(f"releases/{entry['file']} does not match its SHA-256 in releases/registry.json")
        self._unpacked = Path(tempfile.mkdtemp(prefix="nkcp-wheel-"))
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:  # the bytes whose hash was checked
            tar.extractall(self._unpacked, filter="data")
        tops = list(self._unpacked.iterdir())
        if len(tops) != 1:
            raise RuntimeError(f"releases/{entry['file']} does not hold exactly one top-level folder")
        build_data["force_include"][str(tops[0])] = "nkcp/data/release"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        if getattr(self, "_unpacked", None) is not None:
            shutil.rmtree(self._unpacked, ignore_errors=True)
