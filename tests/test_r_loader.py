"""The R loader reads every table with the schema's types and the same values as pandas."""

from __future__ import annotations

import json
import subprocess

import pandas as pd
import pytest
from tests.conftest import REPO

import nkcp

R_SCRIPT = r"""
source("R/nkcp.R")
out <- list()
for (t in c("events", "quotes", "sources", "locations")) {
  df <- nkcp_read(t)
  out[[t]] <- list(rows = nrow(df), classes = lapply(df, function(c) class(c)[1]))
}
e <- nkcp_read("events")
q <- nkcp_read("quotes")
out$values <- list(
  e0001_count = e$count_best[e$event_id == "E0001"],
  e0001_start = format(e$date_start[e$event_id == "E0001"]),
  e0001_type = as.character(e$event_type[e$event_id == "E0001"]),
  event_type_levels = levels(e$event_type),
  q0101_text = q$text[q$quote_id == "Q0101"],
  paraphrased = sum(q$is_from_paraphrased_copy),
  missing_counts = sum(is.na(e$count_best))
)
cat(jsonlite::toJSON(out, auto_unbox = TRUE))
"""

R_CLASS = {"string": "character", "integer": "integer", "number": "numeric", "date": "Date", "boolean": "logical"}


@pytest.fixture(scope="module")
def r_output() -> dict:
    result = subprocess.run(["Rscript", "-e", R_SCRIPT], cwd=REPO, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("table", ["events", "quotes", "sources", "locations"])
def test_rows_and_types_match_the_schema_and_pandas(r_output: dict, table: str) -> None:
    frame = nkcp.load(table, package=REPO)  # R reads the committed build
    assert r_output[table]["rows"] == len(frame)
    schema = json.loads((REPO / "datapackage.json").read_text())
    fields = next(r for r in schema["resources"] if r["name"] == table)["schema"]["fields"]
    for f in fields:
        expected = "factor" if "enum" in f.get("constraints", {}) else R_CLASS[f["type"]]
        assert r_output[table]["classes"][f["name"]] == expected, f["name"]
        if expected == "factor":
            assert isinstance(frame[f["name"]].dtype, pd.CategoricalDtype)


def test_values_match_pandas(r_output: dict) -> None:
    events, quotes = nkcp.load("events", package=REPO), nkcp.load("quotes", package=REPO)
    e1 = events.set_index("event_id").loc["E0001"]
    values = r_output["values"]
    assert values["e0001_count"] == int(e1["count_best"])
    assert values["e0001_start"] == e1["date_start"].date().isoformat()
    assert values["e0001_type"] == e1["event_type"]
    assert values["event_type_levels"] == list(events["event_type"].cat.categories)
    assert values["q0101_text"] == quotes.set_index("quote_id").loc["Q0101", "text"]
    assert values["paraphrased"] == int(quotes["is_from_paraphrased_copy"].sum())
    assert values["missing_counts"] == int(events["count_best"].isna().sum())


def test_only_the_empty_string_is_missing(tmp_path) -> None:
    """A text value "NA" must survive the R loader (readr's default would read it as missing)."""
    import shutil

    shutil.copy(REPO / "datapackage.json", tmp_path / "datapackage.json")
    (tmp_path / "build").mkdir()
    text = (REPO / "build" / "quotes.csv").read_text(encoding="utf-8")
    text = text.replace(",the source,", ",NA,", 1)
    assert ",NA," in text
    (tmp_path / "build" / "quotes.csv").write_text(text, encoding="utf-8")
    script = (f'source("R/nkcp.R"); q <- nkcp_read("quotes", "{tmp_path}"); '
              'cat(sum(q$speaker_words == "NA", na.rm = TRUE), sum(is.na(q$speaker_words)))')
    result = subprocess.run(["Rscript", "-e", script], cwd=REPO, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1", "0"]
