"""A read-only SPARQL 1.1 Protocol endpoint over a build's store, with a query page.

Built on the standard library's ThreadingHTTPServer: the endpoint serves one analyst on
loopback, so a framework would add a dependency and nothing we need. Queries do not run in the
HTTP threads but in a small pool of worker processes, each holding the store open read-only:
a query past the time limit is stopped by killing its worker (a thread cannot be stopped), the
client gets 503 and a fresh worker takes its place; the server stays up.

Routes: `/` the query page, `/static/…` its assets (served from kg/static only), `/examples`
the shipped example queries as JSON, `/sparql` the endpoint (GET, or POST as form or as
`application/sparql-query`). Updates, LOAD and SERVICE are refused with 403.
"""
from __future__ import annotations

import ipaddress
import json
import logging
import mimetypes
import multiprocessing as mp
import queue
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pyoxigraph as ox

from kg.errors import KgError, QueryError
from kg.sparql import queries, results, store
from kg.views.gallery import LIB_FILES

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
VENDORED = frozenset({"vis-network.min.js", "vis-network.css"})
MAX_BODY = 1 << 20
DEFAULT_PORT = 7800
GRAPH_MEDIA = {"text/turtle": "turtle", "application/ld+json": "jsonld", "application/n-triples": "nt"}
SELECT_MEDIA = {v: k for k, v in results.SELECT_FORMATS.items()} | {"application/json": "json"}
FORMAT_ALIASES = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", "turtle": "turtle", "ttl": "turtle",
                  "jsonld": "jsonld", "json-ld": "jsonld", "nt": "nt", "ntriples": "nt", "n-triples": "nt"}
CONTENT_TYPE = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8",
                "turtle": "text/turtle; charset=utf-8", "jsonld": "application/ld+json", "nt": "application/n-triples"}
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                                "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"),
}
UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")


# ── what is refused ──────────────────────────────────────────────────────────────────────────

_UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_SKIP = re.compile("|".join((  # what cannot hold a keyword: strings, IRIs, comments
    r"'''.*?'''", r'""".*?"""', r"'(?:[^'\\\n]|\\.)*'", r'"(?:[^"\\\n]|\\.)*"',
    r'<[^<>"{}|^`\\\x00-\x20]*>', r"#[^\n]*")), re.S)


def _keywords(text: str) -> set[str]:
    """Upper-cased bare words of a query outside strings, IRIs and comments (not prefixed names or variables)."""
    text = _UNICODE_ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)
    text = _SKIP.sub(" ", text)
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


def _text(status: int, message: str, **headers: str) -> Reply:
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
        result = store.query(db, text, **options)
        if isinstance(result, ox.QueryTriples):
            name = negotiate(job.get("accept"), job.get("format"), GRAPH_MEDIA)
            if name is None:
                return _text(406, f"CONSTRUCT/DESCRIBE results come as {', '.join(GRAPH_MEDIA)}")
            items, cut = results.triples(result, cap)
            body = results.graph(items, name)
        else:
            name = negotiate(job.get("accept"), job.get("format"), SELECT_MEDIA)
            if name is None:
                return _text(406, f"SELECT/ASK results come as {', '.join(results.SELECT_FORMATS.values())}")
            if isinstance(result, ox.QueryBoolean):
                body, cut = results.boolean(bool(result), name), False
            else:
                table = results.table(result, cap)
                body, cut = results.WRITERS[name](table), table.truncated
    except store.QuerySyntaxError as e:
        return _text(400, e.context())
    except (QueryError, ValueError, TypeError) as e:
        return _text(400, f"query failed: {e}")
    headers = {"X-Kg-Row-Cap": str(cap)}
    if cut:
        headers["X-Kg-Truncated"] = "true"
    return Reply(200, CONTENT_TYPE[name], body, headers)


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
            reply = answer(db, job)
        except Exception as e:  # a bug must not kill the worker silently
            reply = _text(500, f"internal error: {type(e).__name__}: {e}")
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
        """Answer `job` in a free worker; 503 when none frees up in time or the query runs too long."""
        job = {**job, "row_cap": self.row_cap}
        started = time.monotonic()
        try:
            w = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            return _text(503, "all query workers are busy; try again", **{"Retry-After": "5"})
        left = max(0.1, self.timeout - (time.monotonic() - started))
        try:
            reply = w.ask(job, left)
        except (OSError, EOFError):
            threading.Thread(target=self._replace, args=(w,), daemon=True).start()
            return _text(500, "the query worker died; it is being replaced")
        if reply is None:
            threading.Thread(target=self._replace, args=(w,), daemon=True).start()
            return _text(503, f"query stopped: it ran longer than the time limit of {self.timeout:g} s")
        self._idle.put(w)
        return reply

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            self._closed = True
            workers, self._all = list(self._all), set()
        for w in workers:
            w.kill()


# ── HTTP ─────────────────────────────────────────────────────────────────────────────────────

def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"


def static_file(url_path: str) -> Path | None:
    """The file under kg/static that `url_path` (after /static/) names, or None: nothing outside it."""
    rel = unquote(url_path)
    if "\x00" in rel or "\\" in rel:
        return None
    if rel in VENDORED:  # vis-network is served from the installed pyvis package: one copy, not two
        package, path = LIB_FILES[rel]
        return Path(str(resources.files(package).joinpath(path)))
    root = STATIC.resolve()
    path = (root / rel).resolve()
    return path if path.is_relative_to(root) and path.is_file() else None


class Handler(BaseHTTPRequestHandler):
    """Routes of the endpoint; the server object carries the pool and settings."""

    server: Server
    server_version = "civic-kg"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        log.info("%s %s", self.address_string(), format % args)

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for k, v in (SECURITY_HEADERS | reply.headers).items():
            self.send_header(k, v)
        if reply.status >= 400:
            self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)

    def _host_ok(self) -> bool:
        if not self.server.loopback_only:
            return True
        host = self.headers.get("Host") or ""
        if host.startswith("["):
            name = host[1:].split("]")[0]
        else:
            name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
        return not host or _is_loopback(name)

    def do_GET(self) -> None:
        if not self._host_ok():
            return self._send(_text(403, "unexpected Host header (this server answers on loopback only)"))
        url = urlsplit(self.path)
        if url.path == "/sparql":
            return self._query(parse_qs(url.query, keep_blank_values=True))
        if url.path in ("/", "/index.html"):
            return self._static("index.html")
        if url.path == "/examples":
            return self._send(Reply(200, "application/json", self.server.examples))
        if url.path.startswith("/static/"):
            return self._static(url.path[len("/static/"):])
        return self._send(_text(404, "not found"))

    do_HEAD = do_GET

    def do_POST(self) -> None:
        if not self._host_ok():
            return self._send(_text(403, "unexpected Host header (this server answers on loopback only)"))
        url = urlsplit(self.path)
        if url.path != "/sparql":
            return self._send(_text(404, "not found"))
        length = self.headers.get("Content-Length")
        if length is None:
            return self._send(_text(411, "a POST needs a Content-Length"))
        try:
            size = int(length)
        except ValueError:
            return self._send(_text(400, "bad Content-Length"))
        if size > MAX_BODY:
            self.close_connection = True
            return self._send(_text(413, f"request body over {MAX_BODY} bytes"))
        body = self.rfile.read(size)
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = parse_qs(url.query, keep_blank_values=True)
        if ctype == "application/sparql-update":
            return self._send(_text(403, "updates are refused: this endpoint is read-only"))
        if ctype == "application/sparql-query":
            params["query"] = [body.decode("utf-8", "replace")]
        elif ctype == "application/x-www-form-urlencoded":
            for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items():
                params.setdefault(k, []).extend(v)
        else:
            return self._send(_text(415, "POST a query as application/sparql-query or "
                                         "application/x-www-form-urlencoded (query=…)"))
        return self._query(params)

    def _refuse_method(self) -> None:
        self._send(_text(405, "this endpoint is read-only: GET or POST a query", Allow="GET, HEAD, POST"))

    do_PUT = do_DELETE = do_PATCH = _refuse_method

    def _query(self, params: dict[str, list[str]]) -> None:
        if "update" in params:
            return self._send(_text(403, "updates are refused: this endpoint is read-only"))
        texts = params.get("query", [])
        if len(texts) != 1 or not texts[0].strip():
            return self._send(_text(400, "give exactly one query: ?query=… or a POST body"))
        why = refusal(texts[0])
        if why:
            return self._send(_text(403, why))
        job = {"query": texts[0], "accept": self.headers.get("Accept"), "format": (params.get("format") or [None])[0],
               "default_graph": params.get("default-graph-uri", []), "named_graphs": params.get("named-graph-uri", [])}
        self._send(self.server.pool.run(job))

    def _static(self, rel: str) -> None:
        path = static_file(rel)
        if path is None:
            return self._send(_text(404, "not found"))
        ctype = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
                 ".html": "text/html; charset=utf-8"}.get(path.suffix) or mimetypes.guess_type(path.name)[0]
        self._send(Reply(200, ctype or "application/octet-stream", path.read_bytes(),
                         {"Cache-Control": "no-cache"}))


class Server(ThreadingHTTPServer):
    """The HTTP server, its worker pool and the examples it offers."""

    daemon_threads = True

    def __init__(self, out_dir: Path, host: str, port: int, pool: Pool) -> None:
        super().__init__((host, port), Handler)
        self.pool = pool
        self.loopback_only = _is_loopback(host)
        self.examples = json.dumps(
            [{"name": e.name, "question": e.question, "columns": list(e.columns), "params": e.params,
              "query": e.text} for e in map(queries.info, queries.names())], ensure_ascii=False).encode()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host if ':' not in str(host) else f'[{host}]'}:{port}/"

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up early is no error of ours; anything else is logged."""
        import sys

        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        log.exception("error while answering %s", client_address)

    def server_close(self) -> None:
        super().server_close()
        self.pool.close()


def make_server(out_dir: Path, host: str = "127.0.0.1", port: int = DEFAULT_PORT, *, timeout: float = 10.0,
                row_cap: int = 10_000, workers: int = 2) -> Server:
    """A ready server on (host, port) over the build in `out_dir` (port 0: any free port).

    The store is (re)built first when it is missing or older than civic.trig, so that the
    workers can open it read-only.
    """
    store.open(out_dir)  # rebuild on demand (the handle is dropped at once), then the workers open it
    pool = Pool(out_dir, size=workers, timeout=timeout, row_cap=row_cap)
    try:
        return Server(out_dir, host, port, pool)
    except OSError:
        pool.close()
        raise
