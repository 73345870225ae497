"""The curated inputs (`records/`, `sources/`, `captures/`): read, typed, checked and written canonically."""
