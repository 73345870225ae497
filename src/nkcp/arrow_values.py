"""Arrow arrays and scalars of a few Python values, built from their buffers.

Why not `pa.array` and `pa.scalar`: pyarrow imports pandas (0.15-0.2 s on our machine, as long
as the rest of `nkcp check-package` on 10k events) the first time it converts any Python value,
to ask whether the value is a pandas object. A check of a clean package needs a handful of
constants (the empty string, a bound, a placeholder) and masks from numpy, and nothing else of
pandas. Built here from their bytes with `pa.Array.from_buffers`, they cost nothing at start-up;
tests hold each to what `pa.array` makes of the same values (tests/test_arrow_values.py).
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from typing import Any

# Arrow buffers hold numbers in the machine's byte order (struct's "="); bits are numbered from
# the least significant bit of each byte whatever the machine (numpy's bitorder="little").


def strings(values: Sequence[str]) -> Any:
    """A string array of `values` (no nulls)."""
    import pyarrow as pa

    encoded = [value.encode("utf-8") for value in values]
    ends = [0]
    for item in encoded:
        ends.append(ends[-1] + len(item))
    if ends[-1] >= 2**31:
        raise ValueError("strings: more than 2 GiB of text; use pa.array with pa.large_string()")
    offsets = struct.pack(f"={len(ends)}i", *ends)
    return pa.Array.from_buffers(pa.string(), len(encoded), [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))])


def booleans(values: Any) -> Any:
    """A boolean array of a numpy array or sequence of truth values (no nulls)."""
    import numpy as np
    import pyarrow as pa

    flags = np.asarray(values, dtype=bool)
    return pa.Array.from_buffers(pa.bool_(), len(flags), [None, pa.py_buffer(np.packbits(flags, bitorder="little"))])


def falses(length: int) -> Any:
    """A boolean array of `length` false values."""
    import pyarrow as pa

    return pa.Array.from_buffers(pa.bool_(), length, [None, pa.py_buffer(bytes((length + 7) // 8))])


def scalar(value: str | bool | int | float) -> Any:
    """An Arrow scalar of a string (utf8), a bool, an int (int64) or a float (float64), as `pa.scalar` types them."""
    import pyarrow as pa

    if isinstance(value, str):
        return strings([value])[0]
    if isinstance(value, bool):  # before int: a bool is an int to Python
        return booleans([value])[0]
    if isinstance(value, int):
        return pa.Array.from_buffers(pa.int64(), 1, [None, pa.py_buffer(struct.pack("=q", value))])[0]
    if isinstance(value, float):
        return pa.Array.from_buffers(pa.float64(), 1, [None, pa.py_buffer(struct.pack("=d", value))])[0]
    raise TypeError(f"scalar: {type(value).__name__} values are not built here")


def true_indices(rows: Any) -> Any:
    """The positions (a numpy int64 array) where a boolean Arrow array (or chunked array) is
    true; null counts as false.

    Read from the buffer of `pc.indices_nonzero`, because `np.asarray` and `to_numpy` of an
    Arrow array import pandas too."""
    import numpy as np
    import pyarrow.compute as pc

    found = pc.indices_nonzero(rows)
    if len(found) == 0:
        return np.zeros(0, dtype=np.int64)
    return np.frombuffer(found.buffers()[1], dtype=np.uint64, count=len(found),
                         offset=found.offset * 8).astype(np.int64)
