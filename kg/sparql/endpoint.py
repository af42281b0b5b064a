"""What the SPARQL endpoint does with a query, apart from HTTP: refuse it, choose the format, answer it.

Updates, LOAD and SERVICE are refused before Oxigraph sees the query. Queries do not run in the
HTTP threads but in a small pool of worker processes, each holding the store open read-only:
a query past the time limit is stopped by killing its worker (a thread cannot be stopped), the
client gets 503 and a fresh worker takes its place; the server stays up.
"""
from __future__ import annotations

import logging
import multiprocessing as mp
import queue
import re
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import KgError, QueryError
from kg.sparql import entity, prefixes, results, store

log = logging.getLogger(__name__)

GRAPH_MEDIA = {"text/turtle": "turtle", "application/ld+json": "jsonld", "application/n-triples": "nt"}
SELECT_MEDIA = {v: k for k, v in results.SELECT_FORMATS.items()} | {"application/json": "json"}
FORMAT_ALIASES = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", "turtle": "turtle", "ttl": "turtle",
                  "jsonld": "jsonld", "json-ld": "jsonld", "nt": "nt", "ntriples": "nt", "n-triples": "nt"}
CONTENT_TYPE = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8",
                "turtle": "text/turtle; charset=utf-8", "jsonld": "application/ld+json", "nt": "application/n-triples"}
UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")


# ── what is refused ──────────────────────────────────────────────────────────────────────────

_UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _keywords(text: str) -> set[str]:
    """Upper-cased bare words of a query outside strings, IRIs and comments (not prefixed names or variables)."""
    text = _UNICODE_ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)
    text = prefixes.SKIP.sub(" ", text)
    return {m.group(0).upper() for m in re.finditer(r"(?<![\w:?$.@-])[A-Za-z]+(?![\w:])", text)}


def refusal(text: str) -> str | None:
    """Why the endpoint refuses `text` (an update, LOAD or SERVICE), or None when it may run.

    >>> refusal("SELECT * WHERE { ?s ?p 'INSERT' }") is None
    True
    >>> refusal("PREFIX x: <y:> INSERT DATA { x:a x:b x:c }")
    'updates are refused: this endpoint is read-only (found INSERT)'
    >>> refusal("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    'SERVICE (federated query) is refused: this endpoint queries only its own store'
    """
    words = _keywords(text)
    if "SERVICE" in words:
        return "SERVICE (federated query) is refused: this endpoint queries only its own store"
    if "LOAD" in words:
        return "LOAD is refused: this endpoint is read-only"
    found = [w for w in UPDATE_WORDS if w in words]  # none of these words is part of the query grammar
    if found:
        return f"updates are refused: this endpoint is read-only (found {found[0]})"
    return None


# ── content negotiation ──────────────────────────────────────────────────────────────────────

def negotiate(accept: str | None, fmt: str | None, offered: dict[str, str]) -> str | None:
    """The format to answer in: the `format` parameter wins, then the Accept header by q-value.

    `offered` maps media types to format names, the first being the default.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", None, SELECT_MEDIA)
    'xml'
    >>> negotiate(None, "tsv", SELECT_MEDIA)
    'tsv'
    >>> negotiate("image/png", None, SELECT_MEDIA) is None
    True
    """
    names = set(offered.values())
    if fmt:
        name = FORMAT_ALIASES.get(fmt.lower()) or offered.get(fmt.lower())
        return name if name in names else None
    if not accept:
        return next(iter(offered.values()))
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(accept.split(",")):
        media, *opts = (p.strip() for p in part.split(";"))
        q = 1.0
        for opt in opts:
            if opt.startswith("q="):
                try:
                    q = float(opt[2:])
                except ValueError:
                    q = 0.0
        ranked.append((-q, i, media.lower()))
    for negq, _, media in sorted(ranked):
        if negq == 0:
            break
        if media in offered:
            return offered[media]
        if media in ("*/*", "application/*", "text/*"):
            first = next((n for m, n in offered.items() if media == "*/*" or m.startswith(media[:-1])), None)
            if first:
                return first
    return None


# ── the query worker (a child process) ───────────────────────────────────────────────────────

@dataclass(frozen=True, slots=True)
class Reply:
    """What the endpoint answers: status, content type, body and extra headers."""

    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def text_reply(status: int, message: str, **headers: str) -> Reply:
    return Reply(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode(), headers)


def answer(db: ox.Store, job: dict[str, Any]) -> Reply:
    """Run one query job in the worker and serialize its result; never raises."""
    text, cap = job["query"], job["row_cap"]
    options: dict[str, Any] = {}
    if job.get("default_graph"):
        options["default_graph"] = [ox.NamedNode(u) for u in job["default_graph"]]
    if job.get("named_graphs"):
        options["named_graphs"] = [ox.NamedNode(u) for u in job["named_graphs"]]
    try:
        result = store.query(db, text, union=job.get("union", True), **options)
        if isinstance(result, ox.QueryTriples):
            name = negotiate(job.get("accept"), job.get("format"), GRAPH_MEDIA)
            if name is None:
                return text_reply(406, f"CONSTRUCT/DESCRIBE results come as {', '.join(GRAPH_MEDIA)}")
            items, cut = results.triples(result, cap)
            body = results.graph(items, name)
        else:
            name = negotiate(job.get("accept"), job.get("format"), SELECT_MEDIA)
            if name is None:
                return text_reply(406, f"SELECT/ASK results come as {', '.join(results.SELECT_FORMATS.values())}")
            if isinstance(result, ox.QueryBoolean):
                body, cut = results.boolean(bool(result), name), False
            else:
                table = results.table(result, cap)
                body, cut = results.WRITERS[name](table), table.truncated
    except store.QuerySyntaxError as e:
        return text_reply(400, e.context())
    except (QueryError, ValueError, TypeError) as e:
        return text_reply(400, f"query failed: {e}")
    headers = {"X-Kg-Row-Cap": str(cap)}
    if cut:
        headers["X-Kg-Truncated"] = "true"
    return Reply(200, CONTENT_TYPE[name], body, headers)


def item_page(db: ox.Store, iri: str) -> Reply:
    """The item page of the entity `iri` (kg.sparql.entity), or 404."""
    found = entity.describe(db, iri)
    if found is None:
        return text_reply(404, f"no entity {iri} in this graph")
    return Reply(200, "text/html; charset=utf-8", entity.to_html(found).encode())


def _version(out_dir: Path) -> tuple[int, int] | None:
    """Which store is in place: a rebuild renames a new OUT_DIR/store (and its source.json) in."""
    try:
        st = (out_dir / store.STORE_DIR / store.STAMP).stat()
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns


def _worker(conn: Connection, out_dir: str) -> None:
    """Worker process: open the store, then answer jobs until the pipe closes.

    Before each job it checks whether a rebuild put a new store in place, and reopens it.
    """
    path = Path(out_dir)
    try:
        version, db = _version(path), store.open(path, rebuild=False)
    except KgError as e:
        conn.send(("error", str(e)))
        return
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if _version(path) not in (version, None):
            try:
                version, db = _version(path), store.open(path, rebuild=False)
            except (KgError, OSError):
                log.exception("could not reopen the rebuilt store; answering from the old one")
        try:
            reply = item_page(db, job["item"]) if "item" in job else answer(db, job)
        except Exception as e:  # a bug must not kill the worker silently
            reply = text_reply(500, f"internal error: {type(e).__name__}: {e}")
        conn.send(reply)


class Worker:
    """One query process and the pipe to it."""

    def __init__(self, ctx: Any, out_dir: Path) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child, str(out_dir)), daemon=True, name="kg-query")
        self.proc.start()
        child.close()
        try:
            status, detail = self.conn.recv()
        except EOFError:
            status, detail = "error", f"it exited with code {self.proc.exitcode}"
        if status != "ready":
            self.proc.join()
            raise KgError(f"query worker could not open the store: {detail}")

    def ask(self, job: dict[str, Any], timeout: float) -> Reply | None:
        """The worker's reply, or None when it took longer than `timeout` seconds."""
        self.conn.send(job)
        if self.conn.poll(timeout):
            reply: Reply = self.conn.recv()
            return reply
        return None

    def kill(self) -> None:
        """Stop the process at once (a running query cannot be interrupted otherwise)."""
        self.proc.kill()
        self.proc.join(5)
        self.conn.close()


class Pool:
    """Worker processes answering queries with a time limit and a row cap."""

    def __init__(self, out_dir: Path, *, size: int = 2, timeout: float = 10.0, row_cap: int = 10_000) -> None:
        self.out_dir, self.timeout, self.row_cap = out_dir, timeout, row_cap
        self._ctx = mp.get_context("spawn")
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._all: set[Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(size):
            self._add(Worker(self._ctx, out_dir))

    def _add(self, w: Worker) -> None:
        with self._lock:
            if self._closed:
                w.kill()
                return
            self._all.add(w)
        self._idle.put(w)

    def _replace(self, w: Worker) -> None:
        with self._lock:
            self._all.discard(w)
        w.kill()
        try:
            self._add(Worker(self._ctx, self.out_dir))
        except KgError:
            log.exception("could not start a query worker")

    def run(self, job: dict[str, Any]) -> Reply:
        """Answer `job` (a query, or `{"item": IRI}` for an item page) in a free worker; 503 when none
        frees up in time or the query runs too long."""
        job = {**job, "row_cap": self.row_cap}
        started = time.monotonic()
        try:
            w = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            return text_reply(503, "all query workers are busy; try again", **{"Retry-After": "5"})
        left = max(0.1, self.timeout - (time.monotonic() - started))
        try:
            reply = w.ask(job, left)
        except (OSError, EOFError):
            threading.Thread(target=self._replace, args=(w,), daemon=True).start()
            return text_reply(500, "the query worker died; it is being replaced")
        if reply is None:
            threading.Thread(target=self._replace, args=(w,), daemon=True).start()
            return text_reply(503, f"query stopped: it ran longer than the time limit of {self.timeout:g} s")
        self._idle.put(w)
        return reply

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            self._closed = True
            workers, self._all = list(self._all), set()
        for w in workers:
            w.kill()
