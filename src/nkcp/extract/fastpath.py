"""Speed: let the regex engine skip positions where a rule cannot start.

Most rule patterns begin with a word boundary (`\\b`) or a lookbehind, which stops Python's
regex engine from using its fast scan for the first character, so every rule is tried at every
position of a 5 KB article. The set of characters a match can begin with is known from the
parsed pattern; a lookahead for that set in front of the pattern lets the engine reject most
positions at once. The lookahead only restates what the pattern already requires, so matches
are unchanged; a pattern whose first characters cannot be worked out is left as it is.
"""

from __future__ import annotations

import re
from typing import Any

try:  # the parser behind `re`; private, so any surprise falls back to the plain pattern
    from re import _parser as _sre  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - very old or very new Pythons
    _sre = None

_MAX_CHARS = 60


def _first(items: list[tuple[Any, Any]], ignorecase: bool) -> set[str] | None:
    """Characters a match of the item sequence can start with; None when unknown or anything."""
    if _sre is None:
        return None
    c = _sre
    out: set[str] = set()
    for op, av in items:
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue  # zero-width: look at what follows
        if op is c.LITERAL:
            ch = chr(av)
            return out | ({ch.lower(), ch.upper()} if ignorecase else {ch})
        if op is c.IN:
            chars: set[str] = set()
            for sub_op, sub_av in av:
                if sub_op is c.LITERAL:
                    chars.add(chr(sub_av))
                elif sub_op is c.RANGE and sub_av[1] - sub_av[0] < _MAX_CHARS:
                    chars.update(chr(x) for x in range(sub_av[0], sub_av[1] + 1))
                else:
                    return None
            if ignorecase:
                chars |= {x.lower() for x in chars} | {x.upper() for x in chars}
            return out | chars
        if op is c.BRANCH:
            if all(all(o in (c.AT, c.ASSERT, c.ASSERT_NOT) for o, _ in alt) for alt in av[1]):
                continue  # a choice of lookarounds: zero-width too
            for alt in av[1]:
                found = _first(list(alt), ignorecase)
                if found is None:
                    return None
                out |= found
            return out
        if op is c.SUBPATTERN:
            _, add_flags, del_flags, sub = av
            flag = (ignorecase or bool(add_flags & re.IGNORECASE)) and not del_flags & re.IGNORECASE
            found = _first(list(sub), flag)
            return None if found is None else out | found
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", object())):
            low, _, sub = av
            found = _first(list(sub), ignorecase)
            if found is None:
                return None
            out |= found
            if low > 0:
                return out
            continue  # optional: what follows may start the match too
        return None
    return None  # the pattern can match the empty string


def compile_fast(pattern: str) -> re.Pattern[str]:
    """The pattern, compiled with a first-character lookahead when one can be worked out."""
    plain = re.compile(pattern)
    if _sre is None:
        return plain
    try:
        parsed = _sre.parse(pattern)
        chars = _first(list(parsed), bool(plain.flags & re.IGNORECASE))
    except Exception:
        return plain
    if not chars or len(chars) > _MAX_CHARS:
        return plain
    klass = "[" + "".join(re.escape(ch) for ch in sorted(chars)) + "]"
    m = re.match(r"^\(\?[aiLmsux]+\)", pattern)
    head, body = (pattern[:m.end()], pattern[m.end():]) if m else ("", pattern)
    return re.compile(f"{head}(?={klass}){body}")


def _char(op: Any, av: Any) -> str | None:
    """A single character (either case allowed) that the item requires, lower-cased."""
    c = _sre
    if op is c.LITERAL:
        return chr(av).lower()
    if op is c.IN:
        chars = {chr(sub_av).lower() for sub_op, sub_av in av if sub_op is c.LITERAL}
        if len(chars) == 1 and all(sub_op is c.LITERAL for sub_op, _ in av):
            return chars.pop()
    return None


def _prefixes(items: list[tuple[Any, Any]]) -> set[str] | None:
    """Lower-cased literal strings one of which every match must start with (None: unknown)."""
    c = _sre
    text = ""
    for index, (op, av) in enumerate(items):
        if not text and op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue
        ch = _char(op, av)
        if ch is not None:
            text += ch
            continue
        if text:
            return {text}
        if op is c.BRANCH:
            if all(all(o in (c.AT, c.ASSERT, c.ASSERT_NOT) for o, _ in alt) for alt in av[1]):
                continue
            out: set[str] = set()
            for alt in av[1]:
                found = _prefixes(list(alt) + items[index + 1:])
                if found is None:
                    return None
                out |= found
            return out
        if op is c.SUBPATTERN:
            return _prefixes(list(av[3]) + items[index + 1:])
        if op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] == 0:
            inner = _prefixes(list(av[2]))
            rest = _prefixes(items[index + 1:])
            return None if inner is None or rest is None else inner | rest
        if op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] >= 1:
            return _prefixes(list(av[2]))
        return None
    return {text} if text else None


def literal_prefixes(pattern: str, minimum: int = 2) -> tuple[str, ...] | None:
    """Lower-cased strings of which a match must start with one, when every branch has one of at
    least `minimum` characters: a text containing none of them cannot match (None: no filter)."""
    if _sre is None:
        return None
    try:
        found = _prefixes(list(_sre.parse(pattern)))
    except Exception:
        return None
    if not found or any(len(p) < minimum for p in found):
        return None
    return tuple(sorted(found))


def required_literals(pattern: str, minimum: int = 3) -> tuple[str, ...] | None:
    """Lower-cased strings of which every match must contain one (the longest such choice found
    among the pattern's top-level parts): a text containing none of them cannot match."""
    if _sre is None:
        return None
    try:
        items = list(_sre.parse(pattern))
    except Exception:
        return None
    c = _sre
    candidates: list[set[str]] = []
    run = ""
    for op, av in items:
        ch = _char(op, av)
        if ch is not None:
            run += ch
            continue
        if run:
            candidates.append({run})
            run = ""
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue
        if op in (c.SUBPATTERN, c.BRANCH) or (op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] >= 1):
            try:
                found = _prefixes([(op, av)])
            except Exception:
                found = None
            if found:
                candidates.append(found)
    if run:
        candidates.append({run})
    good = [s for s in candidates if min(len(x) for x in s) >= minimum]
    if not good:
        return None
    best = max(good, key=lambda s: (min(len(x) for x in s), -len(s)))
    return tuple(sorted(best))
