"""Load a build into any SPARQL 1.1 store through the Graph Store HTTP Protocol.

Each named graph of the build (one per article, and the entity index `cid:entities`) is sent as
`PUT {endpoint}?graph={graph IRI}`, which replaces that graph in the target store: pushing again
after a rebuild replaces every article pushed before and the index, and nothing else in the
store is touched. (Articles dropped from the build stay in the
target until deleted there.) The endpoint is the store's Graph Store URL, e.g.
`http://127.0.0.1:7878/store` for Oxigraph, `http://localhost:3030/ds/data` for Fuseki.
"""
from __future__ import annotations

import http.client
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import pyoxigraph as ox

from kg.errors import KgError
from kg.sparql import results, store

MEDIA = {"nt": "application/n-triples", "turtle": "text/turtle"}


@dataclass(frozen=True, slots=True)
class PushReport:
    """How many graphs and triples were sent."""

    graphs: int
    triples: int

    def summary(self) -> str:
        return f"pushed {self.graphs} graphs, {self.triples} triples"


def article_graphs(db: ox.Store, fmt: str = "nt") -> Iterator[tuple[str, int, bytes]]:
    """(graph IRI, triple count, serialized triples) for each named graph, in IRI order."""
    for g in sorted(db.named_graphs(), key=lambda n: n.value):
        items = [q.triple for q in db.quads_for_pattern(None, None, None, g)]
        yield g.value, len(items), results.graph(items, fmt)


def _target(endpoint: str, graph: str) -> str:
    url = urlsplit(endpoint)
    path = url.path or "/"
    sep = "&" if url.query else ""
    return f"{path}?{url.query}{sep}graph={quote(graph, safe='')}"


def push(out_dir: Path, endpoint: str, *, fmt: str = "nt", timeout: float = 60.0,
         progress: Callable[[int], object] = lambda n: None) -> PushReport:
    """PUT every article graph of the build in `out_dir` to the Graph Store at `endpoint`."""
    url = urlsplit(endpoint)
    if url.scheme not in ("http", "https") or not url.hostname:
        raise KgError(f"{endpoint}: give the store's Graph Store URL, e.g. http://127.0.0.1:7878/store")
    conn_cls = http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
    db = store.open(out_dir)
    graphs = triples = 0
    conn = conn_cls(url.hostname, url.port, timeout=timeout)
    try:
        for iri, count, body in article_graphs(db, fmt):
            status, detail = _put(conn, _target(endpoint, iri), body, MEDIA[fmt])
            if status not in (200, 201, 204):
                raise KgError(f"{endpoint}: PUT graph <{iri}> answered {status}: {detail[:300]}")
            graphs, triples = graphs + 1, triples + count
            progress(1)
    except OSError as e:
        raise KgError(f"{endpoint}: {e}") from e
    finally:
        conn.close()
    return PushReport(graphs, triples)


def _put(conn: http.client.HTTPConnection, target: str, body: bytes, media: str) -> tuple[int, str]:
    """One PUT on a kept-alive connection; reconnects once if the server had closed it."""
    for attempt in (1, 2):
        try:
            conn.request("PUT", target, body=body, headers={"Content-Type": media})
            resp = conn.getresponse()
            return resp.status, resp.read().decode("utf-8", "replace")
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            conn.close()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")
