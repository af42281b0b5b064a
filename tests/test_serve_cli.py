"""`kg serve` as a process, over HTTP (issue 14): the union default graph, undeclared prefixes,
CORS on GET, --no-union, a port that is taken."""
from __future__ import annotations

import html
import json
import os
import re
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

from kg.sparql import entity, store

ROOT = Path(__file__).resolve().parent.parent


def serve(build: Path, *args: str) -> tuple[subprocess.Popen[str], str]:
    """Start `kg serve BUILD --port 0 ARGS`; the process and the URL it prints."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", str(build), "--port", "0", "--workers", "1", *args],
                            stderr=subprocess.PIPE, text=True, env=env)
    assert proc.stderr is not None
    line = proc.stderr.readline()
    m = re.search(r"query page (http://\S+/)", line)
    if not m:
        proc.kill()
        pytest.fail(f"kg serve did not start: {line}{proc.stderr.read()}")
    return proc, m.group(1)


@pytest.fixture(scope="module")
def url(seed_build: Path) -> Iterator[str]:
    proc, base = serve(seed_build)
    yield base
    proc.terminate()
    proc.wait(10)


def get(base: str, query: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(f"{base}sparql?{urlencode({'query': query})}", headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


def values(body: bytes) -> list[dict[str, str]]:
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(body)["results"]["bindings"]]


def test_the_first_query_finds_triples(url: str, seed_build: Path) -> None:
    status, _, body = get(url, "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10")
    assert status == 200 and len(values(body)) == 10
    status, _, body = get(url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert values(body) == [{"n": str(len(store.open(seed_build)))}]


def test_describe_and_graph_over_http(url: str) -> None:
    status, _, body = get(url, "DESCRIBE person:曹慧泉-株洲市", Accept="application/n-triples")
    assert status == 200
    lines = body.decode().splitlines()
    assert len(lines) == len(set(lines)) > 5
    assert ("<https://w3id.org/civic-kg/id/person/曹慧泉-株洲市> <https://w3id.org/civic-kg/ontology#holdsPost> "
            "<https://w3id.org/civic-kg/id/post/株洲市委书记> .") in lines
    status, _, body = get(url, "SELECT DISTINCT ?g WHERE { GRAPH ?g { person:曹慧泉-株洲市 civ:inspected ?x } }")
    assert values(body) == [{"g": "https://w3id.org/civic-kg/id/article/zhuzhou-daily-2023-06-04-03"}]


def test_prefixes_over_http(url: str) -> None:
    status, _, body = get(url, "SELECT DISTINCT ?n WHERE { person:曹慧泉-株洲市 civ:holdsPost ?post . ?post rdfs:label ?n }")
    assert status == 200 and values(body) == [{"n": "市委书记"}]
    status, _, body = get(url, "SELECT * WHERE {\n  ?s civ:attended ?e .\n  ?e dc:title ?t\n}")
    assert status == 400
    assert "prefix dc: is not declared" in body.decode() and "line 3, column 6" in body.decode()


def test_cors_on_get(url: str) -> None:
    status, headers, _ = get(url, "ASK { ?s ?p ?o }", Origin="http://other.example")
    assert status == 200 and headers["access-control-allow-origin"] == "*"
    assert "X-Kg-Truncated" in headers["access-control-expose-headers"]


def test_no_union_is_strict(seed_build: Path) -> None:
    proc, base = serve(seed_build, "--no-union")
    try:
        assert values(get(base, "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10")[2]) == []
        assert values(get(base, "SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1")[2])
    finally:
        proc.terminate()
        proc.wait(10)


def test_a_taken_port_is_named(seed_build: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        done = subprocess.run([sys.executable, "-m", "kg", "serve", str(seed_build), "--port", str(port)],
                              capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip() == f"Error: port {port} on 127.0.0.1 is taken (another kg serve?); choose another with --port"
    assert "Traceback" not in done.stderr + done.stdout


def page(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def test_item_page(url: str, seed_build: Path) -> None:
    status, body = page(f"{url}id/person/{quote('曹慧泉-株洲市')}")
    assert status == 200
    assert "<title>曹慧泉 · civic-kg</title>" in body and "株洲市委书记" in body
    db = store.open(seed_build)
    described = entity.describe(db, "https://w3id.org/civic-kg/id/person/曹慧泉-株洲市")
    assert described is not None
    assert body.count("<tr><td>") == len(described.relations) == 7
    links = re.findall(r'<a href="(/id/[^"]+)">', body)
    assert "/id/article/zhuzhou-daily-2023-06-04-03" in links
    for link in sorted(set(links)):  # every entity and article linked has its page
        assert page(url.rstrip("/") + html.unescape(link))[0] == 200, link
    assert page(f"{url}id/person/nobody")[0] == 404


def test_item_page_of_a_percent_encoded_iri(url: str) -> None:
    iri = "https://w3id.org/civic-kg/id/post/%E4%B8%AD%E9%83%BD%28%E6%A0%AA%E6%B4%B2%29%E7%89%A9%E6%B5%81%E6%9C%89%E9%99%90%E5%85%AC%E5%8F%B8%E6%80%BB%E7%BB%8F%E7%90%86"
    path = entity.item_url(iri)
    assert path is not None
    status, body = page(url.rstrip("/") + path)
    assert status == 200 and f"<code>{iri}</code>" in body


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read()


def test_views_are_served_and_link_their_item_pages(url: str) -> None:
    """/views/ serves the build's views; every node of a person's page names an item page that exists."""
    status, ctype, body = fetch(url + "views/")
    assert status == 200 and ctype.startswith("text/html") and "kg-data" not in body.decode()  # the gallery
    status, _, body = fetch(url + "views/" + quote("person/曹慧泉-株洲市.html"))
    assert status == 200
    data = json.loads(re.search(r'id="kg-data">(.*?)</script>', body.decode(), re.S).group(1))
    items = [n["item"] for n in data["nodes"]]
    assert len(items) == len(data["nodes"]) > 3 and entity.item_url(entity.prefixes.CID + "person/曹慧泉-株洲市") in items
    for item in items:
        assert fetch(url + item.lstrip("/"))[0] == 200, item
    for bad in ("views/../civic.trig", "views/%2e%2e/civic.trig", "views/nothing.html"):
        assert fetch(url + bad)[0] == 404, bad
