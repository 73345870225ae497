"""Loading a table into pandas with the schema's types.

Types come from the package's own `datapackage.json`, so every version loads with the schema it
was released with: controlled vocabularies become categoricals (all values of the vocabulary as
categories), integers nullable `Int64`, booleans nullable `boolean`, dates `datetime64`, and text
pandas strings. Without a version, the release of `nkcp.__version__` is read (carried by the
wheel, or in a checkout unpacked from `releases/`), with no network.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from nkcp.io.tabular import read_parquet
from nkcp.release.package import DataPackage, vocabulary_values
from nkcp.release.registry import installed_release

# Frictionless field types to nullable pandas dtypes (dates are converted on their own).
PANDAS_TYPES = {"string": "string", "integer": "Int64", "number": "Float64", "boolean": "boolean"}

if TYPE_CHECKING:
    import pandas as pd


def load(table: str, version: str | None = None, *, package: str | Path | None = None,
         **fetch_options: Any) -> pd.DataFrame:
    """Return one table (events, quotes, sources, locations, evidence) as a typed pandas DataFrame.

    Without `version`, the release the package carries (`nkcp.__version__`); with one, that
    release, downloaded once and cached; with `package`, the data package in that folder (a
    checkout's unreleased build, an unpacked release)."""
    return frame(_package(version, package, fetch_options), table)


def parquet_path(table: str, version: str | None = None, **fetch_options: Any) -> Path:
    return _package(version, None, fetch_options).parquet_path(table)


def _package(version: str | None, package: str | Path | None, fetch_options: dict[str, Any]) -> DataPackage:
    if package is not None:
        folder = Path(package)
        return DataPackage(folder.parent if folder.name == "datapackage.json" else folder)
    if version is None:
        return DataPackage(installed_release())
    from nkcp.release.download import fetch

    return fetch(version, **fetch_options)


def frame(package: DataPackage, table: str) -> pd.DataFrame:
    import pandas as pd

    schema = package.schema(table)
    arrow = read_parquet(package.parquet_path(table))
    df = arrow.to_pandas(date_as_object=True)
    for f in schema["fields"]:
        name, kind = f["name"], f["type"]
        values = f.get("constraints", {}).get("enum")
        if str(arrow.schema.field(name).type).startswith("list<"):  # releases after 1.0.0: lists of strings
            df[name] = pd.Series(arrow.column(name).to_pylist(), index=df.index, dtype="object")
        elif values:
            df[name] = pd.Categorical(df[name], categories=vocabulary_values(f), ordered=bool(f.get("categoriesOrdered")))
        elif kind == "date":
            df[name] = pd.to_datetime(df[name])
        else:  # nullable integers, numbers and booleans, and pandas strings
            df[name] = df[name].astype(PANDAS_TYPES.get(kind, "string"))
    df.attrs.update(version=package.version, name=package.descriptor.get("name"),
                    licenses=[lic.get("name") for lic in package.descriptor.get("licenses", [])])
    result: pd.DataFrame = df
    return result
