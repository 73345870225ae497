"""The README of a release archive: a short dataset card, so the archive explains itself.

What the dataset covers, how it was coded, its known biases, how to load the tables in pandas,
polars, DuckDB and R, and how to cite the version: written from the package metadata and the
tables themselves, never by hand.
"""

from __future__ import annotations

from typing import Any

from nkcp.outputs.card.text import BIASES
from nkcp.release.citation import cite

_BIASES = "\n".join(f"- {line}" for line in BIASES)


def dataset_card(meta: dict[str, Any], descriptor: dict[str, Any], rows: dict[str, list[dict[str, Any]]]) -> str:
    """The card's Markdown; `rows` are the tables' rows (from the Parquet files)."""
    version = str(meta["version"])
    events = rows.get("events", [])
    years = sorted({int(str(d)[:4]) for e in events for d in (e.get("date_start"), e.get("date_end")) if d})
    span = f"{years[0]} to {years[-1]}" if years else "no dated events"
    tables = "\n".join(f"| `{r['name']}` | {len(rows.get(r['name'], []))} | {r.get('description', '')} |"
                       for r in descriptor["resources"])
    return f"""# {meta["title"]}, version {version}

{meta['description']}

This archive is a Frictionless data package (`datapackage.json`, Data Package v2). Each table is
in `data/` as CSV (RFC 4180, UTF-8, an empty cell means unknown) and as Parquet, with the same
columns; `SHA256SUMS` lists every file's SHA-256 (`sha256sum -c SHA256SUMS`).

| table | rows | one row per |
|---|---|---|
{tables}

## Coverage and coding

Events reported as dated from {span} (dates are inclusive bounds with a precision, never
invented midpoints), from {len(rows.get('sources', []))} captured articles. Every coded fact of an event
has rows in `evidence`: the verbatim words of a source, located by character offsets in a capture
whose SHA-256 is recorded, stated or inferred with the reasoning. Definitions of every field and
coded value: `CODEBOOK.md`. Counts can nest: sum `count_best` only where `is_count_in_parent` is
not true.

Known biases:
{_BIASES}

## Loading

```python
import pandas as pd
events = pd.read_parquet("data/events.parquet")
```

```python
import polars as pl
events = pl.read_parquet("data/events.parquet")
```

```sql
SELECT event_type, count(*) FROM 'data/events.parquet' GROUP BY event_type;  -- DuckDB
```

```r
source("R/nkcp.R")  # or frictionless::read_resource(frictionless::read_package("datapackage.json"), "events")
events <- nkcp_read("events")
```

With Python, `pip install nk-collective-punishment=={version}` gives `nkcp.load("events")`, typed
from `datapackage.json`.

## Citing

{cite(meta, "apa")}

Data: {', '.join(lic['name'] for lic in meta['licenses'])} (`LICENSE-DATA`); the R loader: MIT
(`LICENSE`). The captured articles are their publishers' copyright and are not in this archive.
"""  # noqa: S608 (Markdown holding an SQL example, no query is run)
