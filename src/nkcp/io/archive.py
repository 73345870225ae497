"""Release archives as bytes: a deterministic .tar.gz in, a safely unpacked folder out.

Sorted members, fixed times, owners and modes, and a gzip header without a timestamp, so the
same files always give the same bytes; unpacking uses tarfile's "data" filter, which refuses
absolute paths, links and escapes from the destination.
"""

from __future__ import annotations

import gzip
import io
import tarfile
from pathlib import Path


def tar_gz_bytes(files: dict[str, bytes], top: str) -> bytes:
    """A .tar.gz holding `files` (relative path -> bytes) under the folder `top`."""
    tar_buf = io.BytesIO()
    with tarfile.open(fileobj=tar_buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for rel in sorted(files):
            info = tarfile.TarInfo(f"{top}/{rel}")
            info.size, info.mtime, info.mode = len(files[rel]), 0, 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(files[rel]))
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0, compresslevel=9) as gz:
        gz.write(tar_buf.getvalue())
    return out.getvalue()


def unpack_tar_gz(archive: Path, dest: Path) -> list[str]:
    """Unpack an archive into dest; return the names of its top-level folders (sorted)."""
    with tarfile.open(archive, "r:gz") as tar:
        tops = sorted({m.name.split("/", 1)[0] for m in tar.getmembers()})
        if len(tops) == 1:
            tar.extractall(dest, filter="data")
    return tops


def read_member(archive: Path, suffix: str) -> bytes | None:
    """The bytes of the archive's one member whose name ends with `suffix` (None when there is none)."""
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar.getmembers():
            if member.isfile() and member.name.endswith(suffix):
                fh = tar.extractfile(member)
                return fh.read() if fh is not None else None
    return None
