"""`kg serve`: the SPARQL 1.1 Protocol endpoint, over real HTTP on loopback, and its query page."""
from __future__ import annotations

import csv
import http.client
import io
import json
import re
import shutil
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox
import pytest

from kg.sparql import queries, server, store

TIMEOUT = 1.5
ROW_CAP = 100
ALL_QUADS = "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"
SLOW = ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?a { ?s ?p ?o } GRAPH ?b { ?s2 ?p2 ?o2 } "
        "GRAPH ?c { ?s3 ?p3 ?o3 } }")  # 2,200³ combinations


@pytest.fixture(scope="module")
def srv(seed_build: Path) -> Iterator[server.Server]:
    s = server.make_server(seed_build, port=0, timeout=TIMEOUT, row_cap=ROW_CAP, workers=2)
    thread = threading.Thread(target=s.serve_forever, daemon=True)
    thread.start()
    yield s
    s.shutdown()
    s.server_close()


def request(srv: server.Server, method: str, path: str, body: bytes | None = None,
            headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """One raw HTTP request (the path is sent exactly as given)."""
    host, port = srv.server_address[:2]
    conn = http.client.HTTPConnection(str(host), port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def get(srv: server.Server, query: str, accept: str | None = None, **params: str):
    return request(srv, "GET", "/sparql?" + urlencode({"query": query, **params}),
                   headers={"Accept": accept} if accept else {})


def json_rows(body: bytes) -> list[dict[str, str]]:
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(body)["results"]["bindings"]]


def test_bound_to_loopback_by_default(seed_build: Path) -> None:
    s = server.make_server(seed_build, port=0, workers=1)
    try:
        assert s.server_address[0] == "127.0.0.1"
    finally:
        s.server_close()


def test_get_post_form_and_body_agree(srv: server.Server) -> None:
    q = queries.load("presided")
    a = get(srv, q)
    b = request(srv, "POST", "/sparql", urlencode({"query": q}).encode(),
                {"Content-Type": "application/x-www-form-urlencoded"})
    c = request(srv, "POST", "/sparql", q.encode(), {"Content-Type": "application/sparql-query"})
    assert a[0] == b[0] == c[0] == 200
    assert a[1]["content-type"] == "application/sparql-results+json"
    assert a[2] == b[2] == c[2]
    assert json_rows(a[2])[0]["person"] == "陈恢清"


def test_endpoint_rows_equal_the_embedded_store(srv: server.Server, seed_build: Path) -> None:
    db = store.open(seed_build)
    for name in ("co_attendance", "organizers", "agreement_network"):
        status, _, body = get(srv, queries.load(name))
        assert status == 200
        local = queries.run(db, name)
        assert json.loads(body) == json.loads(local.serialize(format=ox.QueryResultsFormat.JSON))


@pytest.mark.parametrize(("accept", "fmt", "ctype"), [
    ("application/sparql-results+xml", None, "application/sparql-results+xml"),
    ("text/csv", None, "text/csv; charset=utf-8"),
    ("text/tab-separated-values", None, "text/tab-separated-values; charset=utf-8"),
    ("text/csv;q=0.2, application/sparql-results+json", None, "application/sparql-results+json"),
    ("*/*", None, "application/sparql-results+json"),
    ("text/html", "csv", "text/csv; charset=utf-8"),  # the format parameter wins
])
def test_select_formats(srv: server.Server, accept: str, fmt: str | None, ctype: str) -> None:
    status, headers, body = get(srv, queries.load("presided"), accept, **({"format": fmt} if fmt else {}))
    assert status == 200 and headers["content-type"] == ctype
    text = body.decode()
    if "xml" in ctype:
        ns = "{http://www.w3.org/2005/sparql-results#}"
        assert ET.fromstring(body).find(f".//{ns}binding[@name='person']/{ns}literal").text == "陈恢清"
    elif "csv" in ctype:
        assert list(csv.reader(io.StringIO(text)))[1][0] == "陈恢清"
    elif "tab" in ctype:
        assert text.splitlines()[1].startswith('"陈恢清"@zh\t')
    else:
        assert json_rows(body)[0]["person"] == "陈恢清"


@pytest.mark.parametrize(("accept", "ctype"), [
    (None, "text/turtle; charset=utf-8"),
    ("application/ld+json", "application/ld+json"),
    ("application/n-triples", "application/n-triples"),
])
def test_construct_formats(srv: server.Server, accept: str | None, ctype: str) -> None:
    status, headers, body = get(srv, queries.load("neighbourhood"), accept)
    assert status == 200 and headers["content-type"] == ctype
    fmt = {"text/turtle": ox.RdfFormat.TURTLE, "application/ld+json": ox.RdfFormat.JSON_LD,
           "application/n-triples": ox.RdfFormat.N_TRIPLES}[ctype.split(";")[0]]
    triples = list(ox.parse(body, format=fmt))
    assert len(triples) == 17
    assert ox.Literal("曹慧泉", language="zh") in {t.object for t in triples}


def test_ask_and_unacceptable(srv: server.Server) -> None:
    status, _, body = get(srv, "ASK { GRAPH ?g { ?s ?p ?o } }")
    assert status == 200 and json.loads(body) == {"head": {}, "boolean": True}
    assert get(srv, "ASK {}", "image/png")[0] == 406
    assert get(srv, queries.load("neighbourhood"), "text/csv")[0] == 406


def test_syntax_error_is_400_with_line_and_column(srv: server.Server) -> None:
    status, _, body = get(srv, 'SELECT ?x WHERE {\n  GRAPH ?g { ?x <a:b> "曹慧泉" ) }\n}')
    assert status == 400
    assert "line 2, column 3" in body.decode()


@pytest.mark.parametrize(("method", "path", "body", "ctype"), [
    ("POST", "/sparql", b"update=INSERT+DATA+%7B%3Ca%3Ab%3E+%3Ca%3Ab%3E+%3Ca%3Ac%3E%7D",
     "application/x-www-form-urlencoded"),
    ("POST", "/sparql", b"INSERT DATA { <a:b> <a:b> <a:c> }", "application/sparql-update"),
    ("POST", "/sparql", b"DROP ALL", "application/sparql-query"),
    ("GET", "/sparql?" + urlencode({"query": "LOAD <http://example.org/data.ttl>"}), None, None),
    ("GET", "/sparql?" + urlencode({"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}),
     None, None),
    ("GET", "/sparql?" + urlencode({"query": "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}),
     None, None),
])
def test_updates_load_and_service_are_refused(srv: server.Server, method: str, path: str, body: bytes | None,
                                               ctype: str | None) -> None:
    status, _, text = request(srv, method, path, body, {"Content-Type": ctype} if ctype else {})
    assert status == 403
    assert any(w in text.decode() for w in ("read-only", "SERVICE"))
    assert get(srv, "ASK { GRAPH ?g { <a:b> ?p ?o } }")[2] == b'{"head":{},"boolean":false}'


def test_write_methods_are_refused(srv: server.Server) -> None:
    assert request(srv, "PUT", "/sparql?graph=x:g", b"<a:b> <a:b> <a:c> .", {"Content-Type": "text/turtle"})[0] == 405
    assert request(srv, "DELETE", "/sparql?graph=x:g")[0] == 405


def test_row_cap(srv: server.Server) -> None:
    status, headers, body = get(srv, ALL_QUADS)
    assert status == 200
    assert len(json_rows(body)) == ROW_CAP
    assert headers["x-kg-truncated"] == "true" and headers["x-kg-row-cap"] == str(ROW_CAP)
    status, headers, body = get(srv, ALL_QUADS, "text/csv")
    assert len(body.decode().splitlines()) == ROW_CAP + 1


def test_timeout_answers_503_and_server_stays_up(srv: server.Server) -> None:
    started = time.monotonic()
    status, _, body = get(srv, SLOW)
    assert status == 503 and b"time limit" in body
    assert time.monotonic() - started < TIMEOUT + 3
    assert get(srv, "ASK { GRAPH ?g { ?s ?p ?o } }")[0] == 200
    deadline = time.monotonic() + 20  # the killed worker is replaced
    while srv.pool._idle.qsize() < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert srv.pool._idle.qsize() == 2


@pytest.mark.parametrize("path", [
    "/static/../store.py", "/static/%2e%2e%2fstore.py", "/static/%2e%2e/%2e%2e/pyproject.toml",
    "/static/..%2f..%2fpyproject.toml", "/static/%2E%2E%5Cstore.py", "/static//etc/passwd",
    "/static/%00app.js", "/../kg/store.py", "/static/../../../../../../etc/passwd",
])
def test_static_files_stay_in_their_folder(srv: server.Server, path: str) -> None:
    status, _, body = request(srv, "GET", path)
    assert status == 404, path
    assert b"import" not in body and b"root:" not in body and b"[project]" not in body


def test_page_assets_and_examples(srv: server.Server) -> None:
    status, headers, body = request(srv, "GET", "/")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in headers["content-security-policy"]
    for src in ("/static/app.js", "/static/app.css", "/static/vis-network.min.js", "/static/yasqe.min.js",
                "/static/yasqe.min.css"):
        assert src.encode() in body
        assert request(srv, "GET", src)[0] == 200
    status, _, body = request(srv, "GET", "/examples")
    assert [e["name"] for e in json.loads(body)] == queries.names()


def test_foreign_host_header_is_refused(srv: server.Server) -> None:
    assert request(srv, "GET", "/", headers={"Host": "attacker.example"})[0] == 403
    assert request(srv, "GET", "/", headers={"Host": f"localhost:{srv.server_address[1]}"})[0] == 200


@pytest.mark.browser
def test_query_page_in_headless_chromium(srv: server.Server) -> None:
    """The page loads without console errors or outside requests; an example runs into a table."""
    if not shutil.which("chromium") and not Path("/usr/bin/chromium").exists():
        pytest.skip("Debian's chromium is not installed")
    playwright = pytest.importorskip("playwright.sync_api")
    base = srv.url.rstrip("/")
    errors: list[str] = []
    outside: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            page = browser.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: None if r.url.startswith(base) or r.url.startswith("data:")
                    else outside.append(r.url))
            page.goto(srv.url, wait_until="networkidle")
            page.wait_for_selector("body[data-ready=true]")
            page.click("button[data-name='co_attendance']")
            assert page.evaluate("kgEditor.getValue()") == queries.load("co_attendance")
            page.click("#run")
            page.wait_for_selector("#results tbody tr")
            assert page.locator("#results tbody tr").count() == 29
            assert page.locator("#results th").all_inner_texts() == list(queries.info("co_attendance").columns)
            page.click("#show-graph")
            page.wait_for_selector("#graph-view canvas")
            page.click("button[data-name='neighbourhood']")
            page.click("#run")
            playwright.expect(page.locator("#status")).to_have_text(re.compile(r"^17 个三元组"))
        finally:
            browser.close()
    assert errors == []
    assert outside == []
    assert urlsplit(base).hostname == "127.0.0.1"


def test_a_rebuilt_store_is_picked_up(tmp_path: Path) -> None:
    """After `kg build` renames a new store into place, the running server answers from it."""
    (tmp_path / "civic.trig").write_bytes(b"<urn:x:g> { <urn:x:a> <urn:x:p> 1 . }")
    s = server.make_server(tmp_path, port=0, workers=1)
    threading.Thread(target=s.serve_forever, daemon=True).start()
    try:
        count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
        assert json_rows(get(s, count)[2]) == [{"n": "1"}]
        (tmp_path / "civic.trig").write_bytes(b"<urn:x:g> { <urn:x:a> <urn:x:p> 1, 2, 3 . }")
        store.write(tmp_path / "civic.trig", tmp_path)
        assert json_rows(get(s, count)[2]) == [{"n": "3"}]
    finally:
        s.shutdown()
        s.server_close()
