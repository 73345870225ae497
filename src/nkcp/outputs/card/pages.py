"""The dataset card's files: `card/index.html`, one page per event, and the two figures.

The pages are Jinja2 templates (in `templates/`) with autoescaping on, so every text taken from
the records is escaped; the figures are the only markup put in unescaped, and matplotlib writes
them (record texts in them are escaped by its SVG writer). The card opens from the file system:
relative links, styles in the page, no script and nothing fetched. The templates read a record
row's fields by subscript (`row["summary"]`), not as attributes: on a dict Jinja2 tries the
attribute first and pays a raised exception for every value, which 10,000 pages feel.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from nkcp.io.files import read_text
from nkcp.outputs.card.facts import Card, EventCard, card_facts
from nkcp.outputs.card.figures import bounds_text, map_svg, timeline_svg
from nkcp.outputs.card.text import BIASES, INCLUSION
from nkcp.schema.model import Schema

CARD_DIR = "card"
TEMPLATES = Path(__file__).parent / "templates"


def _environment(reg: Schema) -> Any:
    import jinja2
    from markupsafe import Markup

    templates = {p.name: read_text(p) for p in sorted(TEMPLATES.glob("*.html"))}
    env = jinja2.Environment(loader=jinja2.DictLoader(templates), autoescape=True, undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=True, finalize=lambda v: "" if v is None else v)  # unknown is empty
    represents = reg.vocabularies["coordinate_represents"]
    env.globals.update(bounds=bounds_text, markup=Markup,
                       represents=lambda v: represents.definition(v) if v in represents.values else "")
    return env


def _value(value: Any, reg: Schema) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return reg.list_separator.join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _facts(e: EventCard, reg: Schema) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """Each field of the event in the schema's order, its value (or why it is unknown), its evidence spans."""
    reasons = json.loads(e.row.get("unknown_reasons") or "{}")
    spans: dict[str, list[dict[str, Any]]] = {}
    for v in e.evidence:  # once per event, not once per field
        spans.setdefault(v["coded_field"], []).append(v)
    out = []
    for f in reg.table_fields("events"):
        if f.name in ("unknown_reasons", "event_id"):
            continue
        value = _value(e.row.get(f.name), reg)
        if not value and reasons.get(f.name):
            value = f"unknown: {reasons[f.name]}"
        out.append((f.name, value, spans.get(f.name, [])))
    return out


def _points(card: Card) -> list[tuple[Any, list[tuple[EventCard, str]]]]:
    """Each point drawn on the map with the events drawn there (as the place of the act, or a destination)."""
    points: dict[str, list[tuple[EventCard, str]]] = {}
    for e in card.events:
        if e.drawn and e.place is not None:
            points.setdefault(e.place.place_id, []).append((e, ""))
            if e.destination is not None and e.destination.located and e.row["event_type"] == "banishment":
                points.setdefault(e.destination.place_id, []).append((e, "destination"))
    return [(card.places[p], here) for p, here in sorted(points.items(), key=lambda item: card.places[item[0]].name)]


def _inline(svg: bytes) -> Any:
    from markupsafe import Markup

    text = svg.decode("utf-8")
    return Markup(text[text.index("<svg"):])  # noqa: S704 (matplotlib's own SVG, not record text)


def card_files(rows: dict[str, list[dict[str, Any]]], reg: Schema, meta: dict[str, Any], prefix: str) -> dict[str, bytes]:
    """Every file of the card, by path under `prefix` (the build folder)."""
    card = card_facts(rows, reg, meta)
    event_types = list(reg.vocabularies["event_type"].values)
    figures = {"map.svg": map_svg(card, event_types), "timeline.svg": timeline_svg(card, event_types)}
    env = _environment(reg)
    dates = sorted(str(d) for e in card.events for d in (e.row.get("date_start"), e.row.get("date_end")) if d)
    groups = len({s["independence_group"] for s in card.sources if s.get("independence_group")})
    base = f"{prefix}/{CARD_DIR}"
    out = {f"{base}/{name}": data for name, data in figures.items()}
    index = env.get_template("index.html").render(
        meta=meta, rows=card.rows, counts=card.counts, events=card.events, sources=card.sources,
        span=f"{dates[0]} to {dates[-1]}" if dates else "no dated event", groups=groups,
        inclusion=INCLUSION, biases=BIASES, points=_points(card),
        unlocated=[e for e in card.events if not e.drawn],
        unlocated_destinations=[e for e in card.events if e.drawn and e.destination and not e.destination.located],
        map_svg=_inline(figures["map.svg"]), timeline_svg=_inline(figures["timeline.svg"]))
    out[f"{base}/index.html"] = index.encode("utf-8")
    for e in card.events:
        page = env.get_template("event.html").render(meta=meta, e=e, facts=_facts(e, reg))
        out[f"{base}/events/{e.event_id}.html"] = page.encode("utf-8")
    return out
