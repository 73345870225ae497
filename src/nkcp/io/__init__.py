"""The only package that opens files: bytes and atomic writes (files), curated YAML (yaml_nodes), tables (tabular)."""
