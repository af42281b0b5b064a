"""The query page in headless Chromium (issue 14, item 4): highlighting and completion, `/?query=`
links, downloads, the graph tab, the row-cap notice, item links; no outside requests, no errors."""
from __future__ import annotations

import csv
import io
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from views_support import launch

from kg.sparql import queries, results, server, store

pytestmark = pytest.mark.browser
ROW_CAP = 100


@pytest.fixture(scope="module")
def srv(seed_build: Path) -> Iterator[server.Server]:
    s = server.make_server(seed_build, port=0, row_cap=ROW_CAP, workers=1)
    threading.Thread(target=s.serve_forever, daemon=True).start()
    yield s
    s.shutdown()
    s.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, srv: server.Server) -> Iterator[Any]:
    """A fresh page; at the end, no console error and no request outside the server."""
    context = browser.new_context(accept_downloads=True)
    pg = context.new_page()
    errors: list[str] = []
    outside: list[str] = []
    bad_query = "the server responded with a status of 400"  # what Chromium logs for a query that does not parse
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" and bad_query not in m.text else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("request", lambda r: None if r.url.startswith((srv.url, "data:")) else outside.append(r.url))
    yield pg
    context.close()
    assert errors == []
    assert outside == []


def open_page(page: Any, srv: server.Server, query: str | None = None) -> None:
    page.goto(srv.url + (f"?query={quote(query)}" if query else ""))
    page.wait_for_selector("body[data-ready=true]")


def column(rows_csv: bytes, name: str) -> list[str]:
    table = list(csv.reader(io.StringIO(rows_csv.decode())))
    i = table[0].index(name)
    return [r[i] for r in table[1:]]


def expected(srv_build: Path, text: str) -> bytes:
    return results.render(store.query(store.open(srv_build), text), "csv")


def test_highlighting(page: Any, srv: server.Server) -> None:
    open_page(page, srv)
    assert page.inner_text("#default-graph") == "默认图为全部文章命名图的并集"
    page.click("button[data-name='officials_events']")
    keywords = page.locator(".CodeMirror .cm-keyword").all_inner_texts()
    assert {"SELECT", "DISTINCT", "WHERE", "GRAPH", "OPTIONAL"} <= set(keywords)
    assert "?person" in page.locator(".CodeMirror .cm-variable-3, .CodeMirror .cm-atom").all_inner_texts()
    assert page.locator(".CodeMirror .cm-string-2, .CodeMirror .cm-variable-2").count() > 0  # IRIs
    assert page.evaluate("kgEditor.getValue()") == queries.load("officials_events")


def test_completion_of_keywords_prefixes_and_terms(page: Any, srv: server.Server) -> None:
    open_page(page, srv)
    page.evaluate("kgEditor.setValue('')")
    page.click(".CodeMirror-code")
    page.keyboard.type("sel")
    page.keyboard.press("Control+Space")
    assert "SELECT" in page.locator(".CodeMirror-hint").all_inner_texts()
    page.keyboard.press("Escape")
    page.evaluate("kgEditor.setValue('SELECT * WHERE { ?p ')")
    page.evaluate("kgEditor.setCursor(kgEditor.lineCount(), 0)")
    page.keyboard.type("civ:att")
    page.keyboard.press("Control+Space")
    assert "civ:attended" in page.locator(".CodeMirror-hint").all_inner_texts()


def test_a_query_link_opens_and_runs(page: Any, srv: server.Server, seed_build: Path) -> None:
    text = queries.bind(queries.load("officials_events"), day="2023-06-04")
    text = text.replace("ORDER BY ?person", "ORDER BY DESC(?person)")  # not the example as shipped
    open_page(page, srv, text)
    assert page.evaluate("kgEditor.getValue()") == text
    page.wait_for_selector("#results tbody tr")
    cells = page.locator("#results tbody tr td:first-child").all_inner_texts()
    assert cells == column(expected(seed_build, text), "person") and len(cells) == 11
    # running from the page makes the address a link to the query
    page.click("button[data-name='presided']")
    page.click("#run")
    # a function: an expression would be eval'd in the page, which its CSP refuses
    page.wait_for_function("() => document.querySelector('#status').textContent.startsWith('1 行')")
    assert parse_qs(urlsplit(page.url).query)["query"] == [queries.load("presided")]
    share = page.get_attribute("#share", "href")
    assert parse_qs(urlsplit(share).query)["query"] == [queries.load("presided")]
    page.goto(srv.url.rstrip("/") + share)  # the link opens the query and runs it
    page.wait_for_selector("#results tbody tr")
    assert page.evaluate("kgEditor.getValue()") == queries.load("presided")
    assert page.locator("#results tbody tr td:first-child").all_inner_texts() == ["陈恢清"]


def test_downloads(page: Any, srv: server.Server, seed_build: Path) -> None:
    open_page(page, srv, queries.load("officials_events"))
    page.wait_for_selector("#results tbody tr")
    with page.expect_download() as info:
        page.click("#download-csv")
    download = info.value
    assert download.suggested_filename == "result.csv"
    assert Path(download.path()).read_bytes() == expected(seed_build, queries.load("officials_events"))
    with page.expect_download() as info:
        page.click("#download-json")
    assert info.value.suggested_filename == "result.json"
    body = Path(info.value.path()).read_bytes()
    assert body == results.render(store.query(store.open(seed_build), queries.load("officials_events")), "json")


def test_graph_tab_draws_labelled_nodes_for_officials_events(page: Any, srv: server.Server, seed_build: Path) -> None:
    text = queries.load("officials_events")
    open_page(page, srv, text)
    page.wait_for_selector("#results tbody tr")
    page.click("#show-graph")
    page.wait_for_selector("#graph-view canvas")
    labels = page.evaluate("kgNetwork.body.data.nodes.get().map(n => n.label)")
    rows = expected(seed_build, text)
    names = set(column(rows, "person")) | set(column(rows, "event")) | set(column(rows, "headline"))
    assert sorted(labels) == sorted(names)
    assert "曹慧泉" in labels and "第22次“制造名城早餐会”" in labels
    edges = page.evaluate("kgNetwork.body.data.edges.get().length")
    assert edges >= len(set(zip(column(rows, "person"), column(rows, "event"), strict=True)))


def test_row_cap_notice(page: Any, srv: server.Server) -> None:
    open_page(page, srv, "SELECT * WHERE { ?s ?p ?o }")
    page.wait_for_selector("#notice:not([hidden])")
    assert f"只返回前 {ROW_CAP} 行" in page.inner_text("#notice")
    assert page.locator("#results tbody tr").count() == ROW_CAP
    open_page(page, srv, "SELECT * WHERE { ?s ?p ?o } LIMIT 5")
    page.wait_for_selector("#results tbody tr")
    assert page.locator("#notice").is_hidden()


def test_iris_link_to_item_pages(page: Any, srv: server.Server) -> None:
    open_page(page, srv, "SELECT ?p ?post WHERE { ?p civ:holdsPost ?post ; rdfs:label \"曹慧泉\"@zh }")
    link = page.locator("#results tbody a", has_text="person:曹慧泉-株洲市").first
    assert link.inner_text() == "person:曹慧泉-株洲市"
    link.click()
    page.wait_for_selector("#relations")
    assert page.title() == "曹慧泉 · civic-kg"
    assert page.locator("#relations tbody tr").count() == 7


def test_an_error_is_shown(page: Any, srv: server.Server) -> None:
    open_page(page, srv, "SELECT * WHERE { ?s dc:title ?t }")
    page.wait_for_selector("#error:not([hidden])")
    assert "prefix dc: is not declared" in page.inner_text("#error")


def test_the_editor_knows_the_declared_prefixes(page: Any, srv: server.Server) -> None:
    """A query using the project's prefixes undeclared is not marked; an unknown prefix is."""
    open_page(page, srv, "SELECT ?p WHERE { ?p civ:holdsPost post:株洲市委书记 ; rdfs:label ?n }")
    page.wait_for_selector("#results tbody tr")
    assert page.locator(".parseErrorIcon").count() == 0
    page.evaluate("kgEditor.setValue('SELECT ?t WHERE { ?s dc:title ?t }')")
    page.wait_for_selector(".parseErrorIcon")


def test_the_page_says_which_default_graph(browser: Any, seed_build: Path) -> None:
    strict = server.make_server(seed_build, port=0, workers=1, union=False)
    threading.Thread(target=strict.serve_forever, daemon=True).start()
    try:
        pg = browser.new_page()
        open_page(pg, strict, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3")
        pg.wait_for_function("() => document.querySelector('#status').textContent.startsWith('0 行')")
        assert "--no-union" in pg.inner_text("#default-graph")
        pg.close()
    finally:
        strict.shutdown()
        strict.server_close()


def test_a_served_view_links_a_clicked_node_to_its_item_page(page: Any, srv: server.Server) -> None:
    """A view opened from `kg serve` (/views/…): a click on a node shows its item page's link, which opens."""
    page.goto(srv.url + "views/" + quote("person/曹慧泉-株洲市.html"))
    page.wait_for_selector("body[data-stable='1']")
    assert page.locator(".item-link a").count() == 0
    page.evaluate("""() => { const net = window.kgView.network;
        const id = net.body.data.nodes.get().find(n => n.label === '曹慧泉').id;
        net.body.emitter.emit('click', {nodes: [id], edges: [], event: {}, pointer: {}}); }""")
    link = page.locator(".item-link a")
    assert link.count() == 1 and "曹慧泉" in link.inner_text()
    link.click()
    page.wait_for_load_state()
    assert "/id/person/" in page.url and "曹慧泉" in page.content()
