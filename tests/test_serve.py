"""`nkcp serve` on the committed build: a real Datasette on 127.0.0.1, fetched over HTTP and
loaded in headless Chromium; its answers are checked against the CSV tables, read apart."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from tests.browser import open_page
from tests.conftest import REPO, run_cli

from nkcp.outputs.datasette import QUERIES
from nkcp.schema.model import load_schema

DB = REPO / "build" / "nkcp.db"


def _csv(table: str) -> pd.DataFrame:
    return pd.read_csv(REPO / "build" / f"{table}.csv", dtype=str, keep_default_na=False)


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`nkcp serve` in its own process on a free port of 127.0.0.1; its console is checked at the end."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tmp_path_factory.mktemp("serve") / "console.txt"
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "nkcp", "serve", "--root", str(REPO), "--port", str(port)],
                                   stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _get(f"{base}/-/versions.json")[0] == 200:
                    break
            except OSError:
                pass
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the server did not answer in 60 s"
            time.sleep(0.2)
        before = DB.read_bytes()
        yield base
        assert DB.read_bytes() == before  # nothing a request did changed the database
    finally:
        process.terminate()
        process.wait(timeout=30)
    console = log.read_text()
    assert "serving build/nkcp.db read-only at " + base in console
    assert "Traceback" not in console, console


def _json(base: str, path: str, **params: str) -> Any:
    status, body = _get(f"{base}{path}?{urllib.parse.urlencode({**params, '_shape': 'array', '_size': 'max'})}")
    assert status == 200, body[:500]
    return json.loads(body)


def _live(table: str) -> pd.DataFrame:
    frame = _csv(table)
    return frame[frame.record_status != "retracted"]


def test_events_by_year_and_type_agrees_with_the_csv(server: str) -> None:
    got = Counter({(r["year"], r["event_type"]): r["events"] for r in _json(server, "/nkcp/events_by_year_and_type.json")})
    events = _live("events")
    expected = Counter((d[:4] or None, t) for d, t in zip(events.date_start, events.event_type, strict=True))
    assert got == expected and sum(got.values()) == len(events)


def test_quotations_of_each_event_agree_with_its_evidence_column(server: str) -> None:
    quotes = _csv("quotes").set_index("quote_id")
    for event in _csv("events").itertuples():
        expected = sorted((item.split("=")[0], item.split("=")[1]) for item in event.evidence.split(";") if item)
        rows = _json(server, "/nkcp/quotations_of_event.json", event_id=event.event_id)
        assert sorted((r["quote_id"], r["facts"]) for r in rows) == expected, event.event_id
        for row in rows:
            assert row["text"] == quotes.loc[row["quote_id"], "text"]
            assert row["source_id"] == quotes.loc[row["quote_id"], "source_id"]
    assert _json(server, "/nkcp/quotations_of_event.json", event_id="E9999") == []


def test_corroborated_events_agree_with_the_csv(server: str) -> None:
    events = _live("events")
    expected = sorted(events[events.independent_group_count.replace("", "0").astype(int) >= 2].event_id)
    assert [r["event_id"] for r in _json(server, "/nkcp/corroborated_events.json")] == expected


def test_the_corroboration_query_finds_an_event_of_two_groups(tmp_path: Path) -> None:
    # Today no event has two independent groups; a copy where one has shows the query can answer yes.
    copy = tmp_path / "copy.db"
    copy.write_bytes(DB.read_bytes())
    with sqlite3.connect(copy) as conn:
        conn.execute("UPDATE events SET independent_group_count = 2 WHERE event_id = 'E0002'")
        rows = conn.execute(QUERIES["corroborated_events"]["sql"]).fetchall()
    assert [r[0] for r in rows] == ["E0002"]


def test_the_database_holds_the_csv_tables_with_the_schema_types_and_keys() -> None:
    reg = load_schema(REPO)
    affinity = {"string": "TEXT", "date": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "INTEGER"}
    with sqlite3.connect(f"file:{DB}?mode=ro", uri=True) as conn:
        for name, table in reg.tables.items():
            info = conn.execute(f"PRAGMA table_info({name})").fetchall()
            assert [(c[1], c[2]) for c in info] == [(f.name, affinity[f.type]) for f in reg.table_fields(name)]
            assert [c[1] for c in info if c[5]] == list(table.primary_key)
            keys = {(k[3], k[2], k[4]) for k in conn.execute(f"PRAGMA foreign_key_list({name})")}
            assert keys == {(fk.fields[0], fk.table, fk.reference[0]) for fk in table.foreign_keys}
            cells = [["" if v is None else ("true" if v == 1 else "false") if f.type == "boolean" else
                      repr(v) if isinstance(v, float) else str(v) for v, f in zip(row, reg.table_fields(name), strict=True)]
                     for row in conn.execute(f"SELECT * FROM {name} ORDER BY rowid")]
            assert cells == _csv(name).to_numpy().tolist(), name
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_full_text_search_finds_a_quotation_and_an_event_by_a_word(server: str) -> None:
    for table, key, searched in (("quotes", "quote_id", ("text", "speaker_words")), ("events", "event_id", ("summary",))):
        first = _csv(table).iloc[0]
        word = max(first[searched[0]].replace(",", " ").replace(".", " ").split(), key=len)
        rows = _json(server, f"/nkcp/{table}.json", _search=word)
        assert first[key] in [r[key] for r in rows], (table, word)
        assert all(any(word.lower() in (r[c] or "").lower() for c in searched) for r in rows), (table, word)


@pytest.mark.parametrize("sql", ["INSERT INTO events (event_id) VALUES ('E9999')",
                                 "UPDATE events SET summary = 'x'",
                                 "DROP TABLE events",
                                 "SELECT 1; DROP TABLE events",
                                 "PRAGMA writable_schema = 1"])
def test_writes_are_refused(server: str, sql: str) -> None:
    status, body = _get(f"{server}/nkcp.json?{urllib.parse.urlencode({'sql': sql})}")
    assert status == 400 and json.loads(body)["ok"] is False, body[:300]
    status, body = _get(f"{server}/nkcp?{urllib.parse.urlencode({'sql': sql})}")
    assert status == 400 and b"<html" in body.lower()


def test_a_malformed_query_is_an_error_not_a_crash(server: str) -> None:
    status, body = _get(f"{server}/nkcp.json?{urllib.parse.urlencode({'sql': 'SELECT FROM WHERE events'})}")
    error = json.loads(body)
    assert status == 400 and error["ok"] is False and "syntax error" in error["error"]
    assert _get(f"{server}/nkcp/no_such_table.json")[0] == 404
    assert _get(f"{server}/-/versions.json")[0] == 200  # still serving


def test_each_event_links_to_its_page_in_the_card(server: str) -> None:
    for event_id in _csv("events").event_id:
        status, page = _get(f"{server}/nkcp/events/{event_id}")
        assert status == 200 and f'href="/card/events/{event_id}.html"'.encode() in page, event_id
    status, page = _get(f"{server}/nkcp/located_events")
    for event_id in _json(server, "/nkcp/located_events.json"):
        assert f'href="/card/events/{event_id["event_id"]}.html"'.encode() in page


def test_the_card_is_served_beside_the_database(tmp_path: Path) -> None:
    import asyncio

    from nkcp.outputs.serve import card_page, datasette_app

    (tmp_path / "build" / "card" / "events").mkdir(parents=True)
    for name in ("nkcp.db", "datasette.json"):
        (tmp_path / "build" / name).write_bytes((REPO / "build" / name).read_bytes())
    (tmp_path / "build" / "card" / "events" / "E0001.html").write_text("<p>the card of E0001</p>", encoding="utf-8")

    async def fetch() -> tuple[int, str]:
        response = await datasette_app(tmp_path).client.get(card_page("E0001"))
        return response.status_code, response.text

    assert asyncio.run(fetch()) == (200, "<p>the card of E0001</p>")


def test_metadata_carries_the_codebook_licence_and_source(server: str) -> None:
    meta = json.loads(_get(f"{server}/-/metadata.json")[1])
    reg = load_schema(REPO)
    assert meta["license"] == "Creative Commons Attribution 4.0 International"
    assert meta["license_url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert meta["source"].startswith("nk-collective-punishment ")
    tables = meta["databases"]["nkcp"]["tables"]
    assert tables["events"]["columns"]["event_type"] == reg.fields["event_type"].description
    assert set(meta["databases"]["nkcp"]["queries"]) == set(QUERIES)
    page = _get(f"{server}/nkcp/events")[1].decode()
    assert reg.tables["events"].description in page
    assert 'href="https://creativecommons.org/licenses/by/4.0/">Creative Commons Attribution 4.0 International</a>' in page


def test_the_map_draws_every_located_event_with_no_request_leaving_the_machine(server: str) -> None:
    located = _json(server, "/nkcp/located_events.json")
    assert located  # today: the events whose place has coordinates
    with open_page(f"{server}/nkcp/located_events") as visit:
        page: Any = visit.page
        page.wait_for_selector(".leaflet-marker-icon", timeout=20_000)
        markers = page.eval_on_selector_all(
            ".leaflet-marker-icon", "els => els.map(e => e.classList.contains('marker-cluster') ? +e.innerText : 1)")
        tiles = page.eval_on_selector_all(".leaflet-tile-loaded", "els => els.length")
        assert sum(markers) == len(located)
        assert tiles > 0 and any("/-/tiles/basemap/" in url for url in visit.requests)
        assert visit.outside_requests() == []
        assert visit.console_errors == []


def test_serve_says_what_to_install_when_datasette_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name.startswith("datasette") else find_spec(name, *a))
    code, output = run_cli("serve", "--root", str(REPO))
    assert code == 1
    assert "pip install 'nk-collective-punishment[serve]'" in output and "datasette, datasette-cluster-map" in output


def test_serve_without_a_build_says_to_build_first(mini_repo: Path) -> None:
    code, output = run_cli("serve", "--root", str(mini_repo))
    assert code == 1 and "build/nkcp.db and build/datasette.json not found: run 'nkcp build' first" in output
