"""The one schema source (`schema/*.yaml`): its model, and the validators and codebook generated from it."""

from nkcp.schema.model import Field, Schema, Table, Vocabulary, load_schema

__all__ = ["Field", "Schema", "Table", "Vocabulary", "load_schema"]
