"""Rules as reviewable data: load `rules/*.yaml`, check every rule, test its examples. Extraction
drafts records with them, and validation reuses the claim cues to find hedged evidence.

A rule is an id, a kind (which extractor uses it and how), a regular expression, the reason it
exists, examples that must match and examples that must not, a review status and a reviewer
(zavod's lookups and OWID's corrections: rules are data with reasons, not `if` chains). Every
example is a test: `check_rules` runs them all and reports each failure as `file:line: [code]`.
Only `reviewed` rules run unless proposed ones are asked for. Patterns are compiled once here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nkcp.io.files import read_bytes
from nkcp.io.yaml_nodes import YamlList, YamlMap, YamlNode, YamlScalar, decode_curated_text, parse_yaml
from nkcp.problems import Problems
from nkcp.schema.model import Schema

RULES_DIR = "rules"
STATUSES = ("proposed", "reviewed")
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_FIELDS = ("id", "kind", "status", "reviewer", "reason", "pattern", "value", "must_match", "must_not_match",
           "example_names")
_REQUIRED = ("id", "kind", "status", "reason", "pattern", "must_match", "must_not_match")
NAMES_SLOT = "{names}"


@dataclass(frozen=True)
class KindSpec:
    """What a kind of rule must provide: named groups in its pattern, keys of its `value`."""

    description: str
    groups: tuple[str, ...] = ()
    value_keys: tuple[str, ...] = ()
    required_keys: tuple[str, ...] = ()
    template: bool = False


# Value keys whose values must come from a controlled vocabulary of the schema.
VOCAB_KEYS = {"event_type": "event_type", "perpetrator": "perpetrator", "basis": "value_basis",
              "informant_type": "informant_type", "count_unit": "count_unit",
              "evidentiary_basis": "evidentiary_basis", "feature_class": "feature_class",
              "claim_status": "claim_status"}

KINDS: dict[str, KindSpec] = {
    "quote_mark": KindSpec("a quotation mark: opens, closes or toggles a quotation", (), ("open", "close", "toggle")),
    "quote_continuation": KindSpec("a paragraph that reopens a quotation left open by the previous paragraph"),
    "quote_cut": KindSpec("an unclosed quotation that ends mid-sentence: the text was cut"),
    "quote_stray": KindSpec("text after a closing mark that continues the quotation up to a later closing mark"),
    "quote_class": KindSpec("decides whether quoted words are speech, a scare-quoted term or a title",
                            (), ("class", "context", "max_words", "unless_attributed"), ("class", "context")),
    "attribution": KindSpec("a speaker and a speech verb next to a quotation or in a sentence",
                            ("np",), ("context",), ("context",)),
    "speaker_reference": KindSpec("what a speaker phrase refers to (new source, pronoun, ordinal...)",
                                  (), ("ref",), ("ref",)),
    "speech_date": KindSpec("the words between a speaker and the date they spoke (told RFA on, said in an interview on)"),
    "speaker_head": KindSpec("the noun that says what kind of person a speaker is", ("head",), ("generic",)),
    "informant_type": KindSpec("informant type proposed from the speaker's description", (),
                               ("informant_type",), ("informant_type",)),
    "evidentiary_basis": KindSpec("how a speaker knows, proposed from the quotation's words", (),
                                  ("evidentiary_basis",), ("evidentiary_basis",)),
    "place_gazetteer": KindSpec("gazetteer names found in the text ({names} is every name and alias)",
                                (), (), (), template=True),
    "place_admin": KindSpec("an administrative word right after a place name", ("admin",), ("feature_class",)),
    "place_context": KindSpec("the words between a place and the larger place that contains it"),
    "place_unknown": KindSpec("a capitalised place-like name to look up in the gazetteer", ("name",), ("shape",)),
    "place_shape": KindSpec("the shape of a romanized Korean name"),
    "place_stopword": KindSpec("capitalised words that are never place names"),
    "place_not": KindSpec("words before or after a reference name that make it no place (organisation, person)",
                          (), ("context",), ("context",)),
    "place_iso": KindSpec("a candidate name compared with the ISO 3166-2:KP names by romanization key", ("name",)),
    "date": KindSpec("a date expression, resolved to inclusive bounds", (), ("resolve", "part", "direction"),
                     ("resolve",)),
    "date_scope": KindSpec("words before a date that change its meaning (since, until)", (), ("scope",), ("scope",)),
    "count": KindSpec("a count of people or families, as low/best/high", (), ("resolve", "count_unit"), ("resolve",)),
    "count_not": KindSpec("words right before a number that make it no count (a population, a survey's interviewees, ages)"),
    "count_unit": KindSpec("the unit a counted noun stands for", (), ("count_unit",), ("count_unit",)),
    "cue": KindSpec("a phrase that names an act or the organ that carried it out", (),
                    ("event_type", "perpetrator", "basis", "claim_status", "fallback")),
    "cue_scope": KindSpec("words before an act cue that deny it, fear it or hedge it", (),
                          ("scope", "window", "claim_status", "context"), ("scope",)),
    "cue_scope_end": KindSpec("words between a scope trigger and an act cue that end the trigger's scope"),
    "duplicate": KindSpec("how texts are cut into words to compare them", (), ("shingle", "threshold"),
                          ("shingle", "threshold")),
}


@dataclass(frozen=True)
class Rule:
    """One extraction rule, compiled (template rules are compiled with their example names)."""

    id: str
    kind: str
    status: str
    reviewer: str | None
    reason: str
    pattern: str
    value: dict[str, Any]
    must_match: tuple[str, ...]
    must_not_match: tuple[str, ...]
    example_names: tuple[str, ...]
    path: str
    line: int
    regex: re.Pattern[str]

    def compile_names(self, names: Iterable[str]) -> re.Pattern[str]:
        """The pattern with `{names}` replaced by an alternation of the given names, longest first."""
        return re.compile(self.pattern.replace(NAMES_SLOT, names_alternation(names)))

    def get(self, key: str, default: Any = None) -> Any:
        return self.value.get(key, default)


@dataclass
class RuleSet:
    """The rules that run, in file order (files sorted by name), grouped by kind."""

    rules: list[Rule] = field(default_factory=list)
    _by_kind: dict[str, list[Rule]] = field(default_factory=dict, repr=False)

    def of(self, kind: str) -> list[Rule]:
        if len(self._by_kind.get("", [])) != len(self.rules):
            self._by_kind = {"": list(self.rules)}
            for r in self.rules:
                self._by_kind.setdefault(r.kind, []).append(r)
        return self._by_kind.get(kind, [])

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)



def count_hit(hits: dict[str, int], rule: Rule) -> None:
    """Count one match of the rule (`nkcp extract --check-rules` lists rules that never match)."""
    hits[rule.id] = hits.get(rule.id, 0) + 1

def names_alternation(names: Iterable[str]) -> str:
    """A regex alternation of names, longest first; spaces match any run of white space (line breaks
    included) and apostrophes match either form, so a name broken over two lines is still found."""
    buckets: dict[str, list[str]] = {}  # by first letter: a position tries only the names it can start
    for name in sorted(set(names), key=lambda n: (-len(n), n)):
        part = "".join(r"\s+" if c.isspace() else "['’]" if c in "'’" else re.escape(c) for c in name)
        buckets.setdefault(name[:1].casefold(), []).append(part)
    parts = []
    for first, group in sorted(buckets.items()):
        ahead = "".join(sorted({re.escape(c) for c in (first, first.upper(), first.lower()) if len(c) == 1}))
        parts.append(f"(?=[{ahead}])(?:{'|'.join(group)})" if first not in "'’ \t\n" else f"(?:{'|'.join(group)})")
    return "(?:" + "|".join(parts) + ")" if parts else "(?!)"


# Loading
def _plain(node: YamlNode) -> Any:
    if isinstance(node, YamlScalar):
        if not node.plain:
            return node.text
        if node.tag.endswith(":int"):
            return int(node.text)
        if node.tag.endswith(":float"):
            return float(node.text)
        if node.tag.endswith(":bool"):
            return node.text.lower() in ("true", "yes", "on")
        if node.tag.endswith(":null"):
            return None
        return node.text
    if isinstance(node, YamlList):
        return [_plain(n) for n in node.items]
    return {k: _plain(v) for k, (_, v) in node.items.items()}


def rule_files(root: Path) -> list[Path]:
    folder = root / RULES_DIR
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def load_rules(root: Path, reg: Schema, problems: Problems, include_proposed: bool = False) -> RuleSet:
    """Read and check every rule file; return the rules that run (reviewed ones, or all)."""
    everything = load_all_rules(root, reg, problems)
    return RuleSet([r for r in everything if include_proposed or r.status == "reviewed"])


CUES_FILE = "cues.yaml"


def claim_cues(root: Path, reg: Schema, problems: Problems) -> list[Rule]:
    """The reviewed cue rules of `rules/cues.yaml` that bound a claim_status ("rumour", "may be"),
    for the evidence checks; none in a repository without that file."""
    path = root / RULES_DIR / CUES_FILE
    if not path.is_file():
        return []
    rules = load_all_rules(root, reg, problems, [path])
    return [r for r in rules.of("cue") if r.status == "reviewed" and "claim_status" in r.value]


def load_all_rules(root: Path, reg: Schema, problems: Problems, files: list[Path] | None = None) -> RuleSet:
    """Every rule of the rule files (or of the files given), each checked; problems to `problems`."""
    out = RuleSet()
    seen: dict[str, str] = {}
    files = rule_files(root) if files is None else files
    if not files:
        problems.add(RULES_DIR, 1, "no-rules", f"no rule files in {RULES_DIR}/", "add rules/*.yaml")
    for path in files:
        rel = path.relative_to(root).as_posix()
        text = decode_curated_text(read_bytes(path), rel, problems)
        node = parse_yaml(text, rel, problems) if text is not None else None
        if node is None:
            continue
        items = node.items.get("rules") if isinstance(node, YamlMap) else None
        if items is None or not isinstance(items[1], YamlList):
            problems.add(rel, node.line, "rule-file", "a rule file holds one key, 'rules', with a list of rules")
            continue
        for item in items[1].items:
            rule = _parse_rule(item, rel, reg, problems)
            if rule is None:
                continue
            if rule.id in seen:
                problems.add(rel, rule.line, "rule-duplicate-id", f"rule id {rule.id!r} is already used in {seen[rule.id]}")
                continue
            seen[rule.id] = f"{rel}:{rule.line}"
            out.rules.append(rule)
    return out


def _parse_rule(node: YamlNode, rel: str, reg: Schema, problems: Problems) -> Rule | None:
    if not isinstance(node, YamlMap):
        problems.add(rel, node.line, "rule-file", "each rule is a mapping")
        return None
    line = node.line
    data = {k: _plain(v) for k, (_, v) in node.items.items()}
    lines = {k: kl for k, (kl, _) in node.items.items()}
    before = len(problems)
    for key in data:
        if key not in _FIELDS:
            problems.add(rel, lines[key], "rule-unknown-field", f"unknown rule field {key!r}",
                         "fields: " + ", ".join(_FIELDS))
    missing = [key for key in _REQUIRED if key not in data]
    for key in missing:
        problems.add(rel, line, "rule-missing-field", f"rule {data.get('id', '?')!r} has no {key!r}")
    if missing:
        return None
    rid, kind = str(data["id"]), str(data["kind"])
    if not _ID.match(rid):
        problems.add(rel, lines["id"], "rule-bad-id", f"rule id {rid!r} is not lower-case words joined by '-'")
    spec = KINDS.get(kind)
    if spec is None:
        problems.add(rel, lines["kind"], "rule-bad-kind", f"rule {rid}: unknown kind {kind!r}", "kinds: " + ", ".join(KINDS))
        return None
    status, reviewer = str(data["status"]), data.get("reviewer")
    if status not in STATUSES:
        problems.add(rel, lines["status"], "rule-bad-status", f"rule {rid}: status {status!r} is not proposed or reviewed")
    if status == "reviewed" and not reviewer:
        problems.add(rel, lines["status"], "rule-reviewer", f"rule {rid} is reviewed but names no reviewer",
                     "add 'reviewer: <who checked it>'")
    value = data.get("value") or {}
    if not isinstance(value, dict):
        problems.add(rel, lines.get("value", line), "rule-bad-value", f"rule {rid}: value must be a mapping")
        value = {}
    _check_value(rid, spec, value, reg, rel, lines.get("value", line), problems)
    examples: dict[str, tuple[str, ...]] = {}
    for key in ("must_match", "must_not_match", "example_names"):
        items = data.get(key, [])
        if not isinstance(items, list) or not all(isinstance(i, str) and i for i in items):
            problems.add(rel, lines.get(key, line), "rule-examples", f"rule {rid}: {key} must be a list of strings")
            items = []
        examples[key] = tuple(items)
    for key in ("must_match", "must_not_match"):
        if not examples[key]:
            problems.add(rel, lines.get(key, line), "rule-examples", f"rule {rid}: give at least one example in {key}")
    pattern = str(data["pattern"])
    if spec.template and NAMES_SLOT not in pattern:
        problems.add(rel, lines["pattern"], "rule-bad-pattern", f"rule {rid}: a {kind} pattern needs the slot {NAMES_SLOT}")
    if spec.template and not examples["example_names"]:
        problems.add(rel, lines["pattern"], "rule-examples", f"rule {rid}: give example_names to test the template")
    try:
        regex = re.compile(pattern.replace(NAMES_SLOT, names_alternation(examples["example_names"])))
    except re.error as exc:
        problems.add(rel, lines["pattern"], "rule-bad-pattern", f"rule {rid}: pattern does not compile ({exc})")
        return None
    missing = [g for g in spec.groups if g not in regex.groupindex]
    if missing:
        problems.add(rel, lines["pattern"], "rule-bad-pattern",
                     f"rule {rid}: a {kind} pattern needs the named group(s) {', '.join(missing)}")
    if len(problems) > before:
        return None
    return Rule(rid, kind, status, str(reviewer) if reviewer else None, str(data["reason"]).strip(), pattern, value,
                examples["must_match"], examples["must_not_match"], examples["example_names"], rel, line, regex)


def _check_value(rid: str, spec: KindSpec, value: dict[str, Any], reg: Schema, rel: str, line: int,
                 problems: Problems) -> None:
    for key, val in value.items():
        if key not in spec.value_keys:
            problems.add(rel, line, "rule-bad-value", f"rule {rid}: value key {key!r} is not used by this kind",
                         "keys: " + (", ".join(spec.value_keys) or "none"))
        vocab = VOCAB_KEYS.get(key)
        if vocab and val not in reg.vocabularies[vocab].values:
            problems.add(rel, line, "rule-bad-value", f"rule {rid}: {key} {val!r} is not in the vocabulary {vocab!r}")
    for key in spec.required_keys:
        if key not in value:
            problems.add(rel, line, "rule-bad-value", f"rule {rid}: value needs {key!r}")


# Testing the examples
def example_failures(rule: Rule) -> list[str]:
    """Every example of the rule that does not behave as stated, in words."""
    out = []
    for text in rule.must_match:
        if not rule.regex.search(text):
            out.append(f"does not match the must_match example {text!r}")
    for text in rule.must_not_match:
        m = rule.regex.search(text)
        if m:
            out.append(f"matches {m.group()!r} in the must_not_match example {text!r}")
    return out


def check_rules(rules: RuleSet, problems: Problems) -> None:
    """Run every example of every rule; report each failure at the rule's line."""
    for rule in rules:
        for failure in example_failures(rule):
            problems.add(rule.path, rule.line, "rule-example", f"rule {rule.id} {failure}")
