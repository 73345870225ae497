"""Counts: any counted noun, numbers in digits and words, qualifiers coded as the bound their
words give (never an invented range or midpoint), and the numbers that count nothing."""

from __future__ import annotations

import pytest
from tests.extract.conftest import run_on

from nkcp.extract.counts import number
from nkcp.extract.engine import Context

BOUNDS = ("count_low", "count_best", "count_high")


def _counts(ctx: Context, text: str) -> dict[str, dict[str, object]]:
    return {c.text: {k: c.value[k] for k in (*BOUNDS, "count_unit", "noun") if k in c.value}
            for c in run_on(ctx, text).counts}


@pytest.mark.parametrize(("text", "words", "bounds"), [
    ("Police questioned three cases last week.", "three cases", {"count_best": 3, "noun": "cases"}),
    ("Seven officers arrived at dawn.", "Seven officers", {"count_best": 7, "noun": "officers"}),
    ("Seven traders were fined.", "Seven traders", {"count_best": 7, "count_unit": "individuals"}),
    ("Dozens of households were moved.", "Dozens of households", {"count_low": 24, "count_high": 99,
                                                                  "count_unit": "families"}),
    ("More than 30 families were listed.", "More than 30 families", {"count_low": 31}),
    ("About 30 families were listed.", "About 30 families", {"count_best": 30}),
    ("At least seven people fled.", "At least seven people", {"count_low": 7}),
    ("As many as 50 people were held.", "As many as 50 people", {"count_high": 50}),
    ("Fewer than ten officers came.", "Fewer than ten officers", {"count_high": 9}),
    ("Up to 200 traders were fined.", "Up to 200 traders", {"count_high": 200}),
    ("Some twenty-five workers left.", "Some twenty-five workers", {"count_best": 25}),
    ("A dozen brokers were caught.", "A dozen brokers", {"count_best": 12}),
    ("Hundreds of soldiers searched the hills.", "Hundreds of soldiers", {"count_low": 200, "count_high": 999}),
    ("Twenty-five thousand people attended.", "Twenty-five thousand people", {"count_best": 25_000}),
    ("Between 20 and 30 smugglers were caught.", "Between 20 and 30 smugglers", {"count_low": 20, "count_high": 30}),
    ("Two or three cases a week are heard.", "Two or three cases", {"count_low": 2, "count_high": 3}),
])
def test_counted_nouns_and_their_bounds(ctx: Context, text: str, words: str, bounds: dict[str, object]) -> None:
    found = _counts(ctx, text)
    assert words in found, found
    got = found[words]
    assert {k: got[k] for k in bounds} == bounds and not set(BOUNDS) - set(bounds) & set(got), got


def test_those_who_acted_or_told_are_counted_but_are_no_targets(ctx: Context) -> None:
    found = _counts(ctx, "Seven officers and two sources said 30 families were moved.")
    assert "count_unit" not in found["Seven officers"] and "count_unit" not in found["two sources"]
    assert found["30 families"]["count_unit"] == "families"


@pytest.mark.parametrize("text", [
    "In 2019 officials said nothing.",
    "A 45-year-old trader was held.",
    "She was 45 years old.",
    "On March 12 officials came.",
    "He paid 500 yuan in bribes.",
    "They paid $300 fines each.",
    "Call +82-2-1234-5678 officers.",
    "The third family left first.",
    "He was held for three days.",
    "Prisoners of Camp 15 inmates.",
    "dozens of times",
])
def test_numbers_that_count_nothing(ctx: Context, text: str) -> None:
    assert _counts(ctx, text) == {}


@pytest.mark.parametrize(("words", "value"), [("twenty-five", 25), ("a dozen", 12), ("a thousand", 1000),
                                              ("three hundred", 300), ("1,200", 1200), ("2.5 million", 2_500_000),
                                              ("ninety-nine", 99), ("five twenty", None)])
def test_numbers_in_words_and_digits(words: str, value: int | None) -> None:
    assert number(words) == value
