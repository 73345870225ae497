"""The dataset card (build/card), opened as a person would: in headless Chromium, from disk, with
the network blocked. Every event is listed and has its page, every located event is drawn on the
map where its place's point is, every event has its bar on the timeline, nothing is fetched and
nothing fails; record text is shown as text, never run; the release archive carries the card."""

from __future__ import annotations

import csv
import io
import sys
import tarfile
from pathlib import Path

import pytest
from tests.browser import open_page
from tests.conftest import REPO, run_cli

from nkcp.outputs.card.figures import TIMELINE_ROWS

sys.path.insert(0, str(REPO / "benchmarks"))
import synthetic


def _rows(root: Path, table: str) -> list[dict[str, str]]:
    with (root / "build" / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _located(root: Path) -> tuple[set[str], set[str]]:
    """Events whose place has a coordinate in build/locations.csv, and the other events."""
    points = {r["place_id"] for r in _rows(root, "locations") if r["latitude"] and r["longitude"]}
    events = [r for r in _rows(root, "events") if r["record_status"] != "retracted"]
    located = {e["event_id"] for e in events if e["place_id"] in points}
    return located, {e["event_id"] for e in events} - located


@pytest.fixture(params=["repository", "mini", "synthetic-300"])
def built(request: pytest.FixtureRequest, mini_repo: Path, tmp_path: Path) -> Path:
    """The card of the repository as committed, of the miniature fixture built afresh, and of a
    300-event synthetic repository (past the timeline's row limit, many events at one point)."""
    if request.param == "repository":
        return REPO
    root = mini_repo if request.param == "mini" else synthetic.generate(tmp_path / "syn", 300)
    code, output = run_cli("build", "--root", str(root))
    assert code == 0, output
    return root


def test_the_card_lists_every_event_and_draws_every_located_one(built: Path) -> None:
    events = [r["event_id"] for r in _rows(built, "events")]
    located, unlocated = _located(built)
    assert events and located  # every card has events drawn on the map
    with open_page((built / "build" / "card" / "index.html").as_uri()) as visit:
        page = visit.page
        listed = page.eval_on_selector_all("#event-list tr[data-event]", "rows => rows.map(r => r.dataset.event)")  # type: ignore[attr-defined]
        assert listed == events
        rings = "#map ~ .figure svg g#events a"  # one link per drawn event, to its page
        drawn = page.eval_on_selector_all(rings, "els => els.map(a => a.href.baseVal)")  # type: ignore[attr-defined]
        assert sorted(drawn) == sorted(f"events/{e}.html" for e in located)
        widths = page.eval_on_selector_all(f"{rings} > :is(path, use)", "els => els.map(u => u.getBoundingClientRect().width)")  # type: ignore[attr-defined]
        assert len(widths) == len(located) and all(w > 0 for w in widths)  # each a visible shape in the page
        beside = page.eval_on_selector_all("#unlocated tr[data-event]", "rows => rows.map(r => r.dataset.event)")  # type: ignore[attr-defined]
        assert sorted(beside) == sorted(unlocated)
        spans = page.eval_on_selector_all("#timeline ~ .figure svg [id^='span-']", "els => els.map(e => e.id)")  # type: ignore[attr-defined]
        if len(events) <= TIMELINE_ROWS:
            assert sorted(spans) == sorted(f"span-{e}" for e in events)
        else:  # counted by year instead, and the figure says so
            assert spans == []
            assert f"{len(events)} events by the year of their latest bound" in page.inner_text("#timeline ~ .figure")  # type: ignore[attr-defined]
        assert visit.outside_requests() == []
        assert visit.console_errors == []
        assert page.locator("script").count() == 0  # type: ignore[attr-defined]
    for event_id in events:
        assert (built / "build" / "card" / "events" / f"{event_id}.html").is_file(), event_id


def test_banishments_are_drawn_from_origin_to_destination_where_both_have_a_point() -> None:
    points = {r["place_id"] for r in _rows(REPO, "locations") if r["latitude"]}
    moves: dict[tuple[str, str], list[str]] = {}
    for e in _rows(REPO, "events"):
        if e["event_type"] == "banishment" and e["origin_place_id"] in points and e["destination_place_id"] in points:
            moves.setdefault((e["origin_place_id"], e["destination_place_id"]), []).append(e["event_id"])
    assert moves  # the real data has such banishments (E0002, E0003)
    svg = (REPO / "build" / "card" / "map.svg").read_text(encoding="utf-8")
    for ids in moves.values():  # one arrow per origin and destination, named for its first event
        assert f'id="move-{ids[0]}"' in svg, ids
    assert svg.count('id="move-') == len(moves)
    marks = svg[svg.index('<g id="destinations">'):]
    assert marks[:marks.index("</g>")].count("<a ") == len({destination for _, destination in moves})


def test_each_event_page_shows_its_evidence_sources_and_quotations() -> None:
    evidence = _rows(REPO, "evidence")
    groups = {s["source_id"]: s["independence_group"] for s in _rows(REPO, "sources")}
    events = _rows(REPO, "events")
    pages = REPO / "build" / "card" / "events"
    with open_page((pages / f"{events[0]['event_id']}.html").as_uri()) as visit:
        for event in events:
            event_id = event["event_id"]
            visit.page.goto((pages / f"{event_id}.html").as_uri())  # type: ignore[attr-defined]
            page = visit.page
            shown = set(page.eval_on_selector_all("[data-evidence]", "els => els.map(e => e.dataset.evidence)"))  # type: ignore[attr-defined]
            assert shown == {v["evidence_id"] for v in evidence if v["event_id"] == event_id}, event_id
            first = next(v for v in evidence if v["event_id"] == event_id)
            assert first["text"] in page.inner_text(f"[data-evidence='{first['evidence_id']}']")  # type: ignore[attr-defined]
            sources = page.inner_text("#sources")  # type: ignore[attr-defined]
            for source_id in event["source_ids"].split(";"):
                assert source_id in sources and groups[source_id] in sources, (event_id, source_id)
            quotes = set(page.eval_on_selector_all("[data-quote]", "els => els.map(e => e.dataset.quote)"))  # type: ignore[attr-defined]
            assert quotes == {item.split("=")[0] for item in event["evidence"].split(";") if item}, event_id
        assert visit.outside_requests() == []
        assert visit.console_errors == []


def test_record_text_is_shown_as_text_never_run(mini_repo: Path) -> None:
    event = mini_repo / "records" / "events" / "E0001.yaml"
    hostile = "Twelve families <script>document.title='ran'</script><img src=x onerror=alert(1)> & co."
    event.write_text(event.read_text(encoding="utf-8").replace(
        "summary: Twelve families from Pyongyang were sent to the countryside in May 2021.", f"summary: {hostile}"),
        encoding="utf-8")
    code, output = run_cli("build", "--root", str(mini_repo))
    assert code == 0, output
    for page_path in ("index.html", "events/E0001.html"):
        with open_page((mini_repo / "build" / "card" / page_path).as_uri()) as visit:
            page = visit.page
            assert page.locator("script").count() == 0  # type: ignore[attr-defined]
            assert page.locator("img").count() == 0  # type: ignore[attr-defined]
            assert hostile in page.inner_text("body")  # type: ignore[attr-defined]
            assert visit.console_errors == []


def test_a_page_whose_event_is_gone_is_removed_by_the_next_build(mini_repo: Path) -> None:
    code, output = run_cli("build", "--root", str(mini_repo))
    assert code == 0, output
    stale = mini_repo / "build" / "card" / "events" / "E0999.html"
    stale.write_text("an event that no longer exists", encoding="utf-8")
    code, output = run_cli("build", "--root", str(mini_repo))
    assert code == 0, output
    assert not stale.exists()
    assert (mini_repo / "build" / "card" / "events" / "E0001.html").is_file()


def test_the_release_archive_carries_the_card() -> None:
    from nkcp.release.release import make_archive

    with tarfile.open(fileobj=io.BytesIO(make_archive(REPO, "9.9.9")), mode="r:gz") as tar:
        names = {m.name.split("/", 1)[1] for m in tar.getmembers() if m.isfile()}
        sums = tar.extractfile(next(m for m in tar.getmembers() if m.name.endswith("/SHA256SUMS"))).read().decode()  # type: ignore[union-attr]
    card = {p.relative_to(REPO / "build").as_posix() for p in (REPO / "build" / "card").rglob("*") if p.is_file()}
    assert {"card/index.html", "card/map.svg", "card/timeline.svg"} <= card <= names
    assert {f"card/events/{e['event_id']}.html" for e in _rows(REPO, "events")} <= names
    assert all(f"  {name}\n" in sums for name in card)
