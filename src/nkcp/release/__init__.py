"""Releases (`releases/`, `CITATION.cff`, `.zenodo.json`, `CHANGELOG.md`): cut, compared, cited, fetched and loaded."""
