"""Suggestions for error messages: the nearest known name to an unknown one (rapidfuzz)."""

from __future__ import annotations

from collections.abc import Sequence


def nearest(value: str, choices: Sequence[str], lead: str = "nearest", limit: int = 3) -> str:
    """A hint naming the closest choices, or "" when nothing is close."""
    if not choices or not value:
        return ""
    from rapidfuzz import fuzz, process, utils

    found = process.extract(value, list(choices), scorer=fuzz.WRatio, processor=utils.default_process,
                            limit=limit, score_cutoff=60)
    names = [str(match[0]) for match in found]
    return f"{lead}: {', '.join(names)}" if names else ""
