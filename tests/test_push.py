"""`kg push` into a real Oxigraph server (the `oxigraph` CLI of the PyPI package `oxigraph`).

The server runs on loopback; after the push every example query is asked of it through the
SPARQL 1.1 Protocol and must give the rows the embedded store gives.
"""
from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlencode

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import KgError
from kg.sparql import push, queries, results, store

OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
ARTICLE = "https://w3id.org/civic-kg/id/article/zhuzhou-daily-2023-06-04-03"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(OXIGRAPH).exists():
        pytest.skip("the oxigraph CLI is not installed (pip install oxigraph)")
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    proc = subprocess.Popen([OXIGRAPH, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1).read()
                break
            except (urllib.error.URLError, ConnectionError) as e:
                if proc.poll() is not None or time.monotonic() > deadline:
                    err = proc.stderr.read() if proc.stderr else b""
                    raise RuntimeError(f"oxigraph serve did not start: {err!r}") from e
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(10)


def ask_remote(base: str, query: str, accept: str) -> bytes:
    req = urllib.request.Request(f"{base}/query", data=urlencode({"query": query}).encode(),
                                 headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return resp.read()


def remote_count(base: str) -> int:
    body = ask_remote(base, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                      "application/sparql-results+json")
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


@pytest.fixture(scope="module")
def pushed(oxigraph_server: str, seed_build: Path) -> str:
    # a stale graph for one article: pushing must replace it, not add to it
    stale = b'<urn:x:stale> <urn:x:p> "left over from an older build" .\n'
    req = urllib.request.Request(f"{oxigraph_server}/store?graph={quote(ARTICLE, safe='')}", data=stale,
                                 method="PUT", headers={"Content-Type": "application/n-triples"})
    urllib.request.urlopen(req, timeout=10).read()
    report = push.push(seed_build, f"{oxigraph_server}/store")
    assert report.graphs == 10  # nine articles and the entity index
    return oxigraph_server


def test_push_loads_every_article_graph(pushed: str, seed_build: Path) -> None:
    db = store.open(seed_build)
    assert remote_count(pushed) == len(db)
    body = ask_remote(pushed, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "application/sparql-results+json")
    assert {b["g"]["value"] for b in json.loads(body)["results"]["bindings"]} == {
        g.value for g in db.named_graphs()}
    assert ask_remote(pushed, "ASK { GRAPH ?g { <urn:x:stale> ?p ?o } }", "application/sparql-results+json") \
        == b'{"head":{},"boolean":false}'


def test_push_again_is_idempotent(pushed: str, seed_build: Path) -> None:
    before = remote_count(pushed)
    result = CliRunner().invoke(main, ["push", "--endpoint", f"{pushed}/store", "--graph", str(seed_build),
                                       "--format", "turtle"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("pushed 10 graphs")
    assert remote_count(pushed) == before


@pytest.mark.parametrize("name", queries.names())
def test_examples_give_the_same_rows_remotely(pushed: str, seed_build: Path, name: str) -> None:
    db = store.open(seed_build)
    local = queries.run(db, name)
    text = queries.load(name)
    if isinstance(local, ox.QueryTriples):
        remote = ox.parse(ask_remote(pushed, text, "application/n-triples"), format=ox.RdfFormat.N_TRIPLES)
        assert {q.triple for q in remote} == set(local)
        return
    remote_json = json.loads(ask_remote(pushed, text, "application/sparql-results+json"))
    local_json = json.loads(results.to_json(results.table(local)))
    assert remote_json["head"] == local_json["head"]
    key = lambda b: json.dumps(b, sort_keys=True, ensure_ascii=False)  # noqa: E731
    assert sorted(map(key, remote_json["results"]["bindings"])) == sorted(
        map(key, local_json["results"]["bindings"]))


def test_push_errors_are_reported(seed_build: Path, oxigraph_server: str) -> None:
    with pytest.raises(KgError, match="Graph Store URL"):
        push.push(seed_build, "ftp://example.org/store")
    with pytest.raises(KgError, match="answered 4"):
        push.push(seed_build, f"{oxigraph_server}/no-such-service")
    with pytest.raises(KgError, match="Connection refused"):
        push.push(seed_build, f"http://127.0.0.1:{free_port()}/store")
