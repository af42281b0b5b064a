"""A read-only SPARQL 1.1 Protocol endpoint over a build's store, with a query page: the HTTP side.

Built on the standard library's ThreadingHTTPServer: the endpoint serves one analyst on
loopback, so a framework would add a dependency and nothing we need. What a query gets as
answer (refusals, formats, the worker processes and their time limit) is `kg.sparql.endpoint`.

Routes: `/` the query page (`/?query=…` opens and runs a query), `/static/…` its assets (served
from kg/sparql/static only), `/views/…` the build's views (each node linked to its item page),
`/examples` the shipped example queries as JSON, `/prefixes` the
prefixes every query may use undeclared, the terms the editor completes and whether the default
graph is the union, `/id/X` the item page of the entity `cid:X` (`kg.sparql.entity`), `/sparql`
the endpoint (GET, or POST as form or as `application/sparql-query`). Updates, LOAD and SERVICE
are refused with 403. Answers to GET carry `Access-Control-Allow-Origin: *`, so that other tools'
pages may query the endpoint.
The default graph is the union of the named graphs unless the server runs with `union=False`
or a request names its default graph (`default-graph-uri`).
"""
from __future__ import annotations

import errno
import ipaddress
import json
import logging
import mimetypes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from kg.errors import KgError
from kg.graph.vocab import CIV
from kg.sparql import entity, prefixes, queries, store
from kg.sparql.endpoint import Pool, Reply, refusal, text_reply
from kg.views.gallery import LIB_FILES

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
VENDORED = frozenset({"vis-network.min.js", "vis-network.css"})
MAX_BODY = 1 << 20
DEFAULT_PORT = 7800
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                                "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"),
}
COMMON_TERMS = ("rdf:type", "rdf:subject", "rdf:predicate", "rdf:object", "rdfs:label", "skos:altLabel")
"""Besides the civ: vocabulary, the terms the query page's editor completes."""
CORS_HEADERS = {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "X-Kg-Row-Cap, X-Kg-Truncated"}


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"


def views_file(views: Path, url_path: str) -> Path | None:
    """The file under the build's views/ that `url_path` (after /views/) names, or None: nothing outside it."""
    rel = unquote(url_path) or "index.html"
    if "\x00" in rel or "\\" in rel:
        return None
    root = views.resolve()
    path = (root / rel).resolve()
    return path if path.is_relative_to(root) and path.is_file() else None


def static_file(url_path: str) -> Path | None:
    """The file under kg/sparql/static that `url_path` (after /static/) names, or None: nothing outside it."""
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
            return self._send(text_reply(403, "unexpected Host header (this server answers on loopback only)"))
        url = urlsplit(self.path)
        if url.path == "/sparql":
            return self._query(parse_qs(url.query, keep_blank_values=True))
        if url.path in ("/", "/index.html"):
            return self._static("index.html")
        if url.path == "/examples":
            return self._send(Reply(200, "application/json", self.server.examples))
        if url.path == "/prefixes":
            return self._send(Reply(200, "application/json", self.server.vocabulary))
        if url.path.startswith(entity.ITEM_PATH):
            iri = prefixes.CID + unquote(url.path[len(entity.ITEM_PATH):])
            return self._send(self.server.pool.run({"item": iri}))
        if url.path.startswith("/static/"):
            return self._static(url.path[len("/static/"):])
        if url.path.startswith("/views/"):
            return self._file(views_file(self.server.out_dir / "views", url.path[len("/views/"):]))
        return self._send(text_reply(404, "not found"))

    do_HEAD = do_GET

    def do_POST(self) -> None:
        if not self._host_ok():
            return self._send(text_reply(403, "unexpected Host header (this server answers on loopback only)"))
        url = urlsplit(self.path)
        if url.path != "/sparql":
            return self._send(text_reply(404, "not found"))
        length = self.headers.get("Content-Length")
        if length is None:
            return self._send(text_reply(411, "a POST needs a Content-Length"))
        try:
            size = int(length)
        except ValueError:
            return self._send(text_reply(400, "bad Content-Length"))
        if size > MAX_BODY:
            self.close_connection = True
            return self._send(text_reply(413, f"request body over {MAX_BODY} bytes"))
        body = self.rfile.read(size)
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = parse_qs(url.query, keep_blank_values=True)
        if ctype == "application/sparql-update":
            return self._send(text_reply(403, "updates are refused: this endpoint is read-only"))
        if ctype == "application/sparql-query":
            params["query"] = [body.decode("utf-8", "replace")]
        elif ctype == "application/x-www-form-urlencoded":
            for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items():
                params.setdefault(k, []).extend(v)
        else:
            return self._send(text_reply(415, "POST a query as application/sparql-query or "
                                         "application/x-www-form-urlencoded (query=…)"))
        return self._query(params)

    def _refuse_method(self) -> None:
        self._send(text_reply(405, "this endpoint is read-only: GET or POST a query", Allow="GET, HEAD, POST"))

    do_PUT = do_DELETE = do_PATCH = _refuse_method

    def _query(self, params: dict[str, list[str]]) -> None:
        if "update" in params:
            return self._send(text_reply(403, "updates are refused: this endpoint is read-only"))
        texts = params.get("query", [])
        if len(texts) != 1 or not texts[0].strip():
            return self._send(text_reply(400, "give exactly one query: ?query=… or a POST body"))
        why = refusal(texts[0])
        if why:
            return self._send(text_reply(403, why))
        job = {"query": texts[0], "accept": self.headers.get("Accept"), "format": (params.get("format") or [None])[0],
               "default_graph": params.get("default-graph-uri", []), "named_graphs": params.get("named-graph-uri", []),
               "union": self.server.union}
        reply = self.server.pool.run(job)
        if self.command in ("GET", "HEAD"):
            reply = Reply(reply.status, reply.content_type, reply.body, reply.headers | CORS_HEADERS)
        self._send(reply)

    def _static(self, rel: str) -> None:
        self._file(static_file(rel))

    def _file(self, path: Path | None) -> None:
        if path is None:
            return self._send(text_reply(404, "not found"))
        ctype = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
                 ".html": "text/html; charset=utf-8"}.get(path.suffix) or mimetypes.guess_type(path.name)[0]
        self._send(Reply(200, ctype or "application/octet-stream", path.read_bytes(),
                         {"Cache-Control": "no-cache"}))


class Server(ThreadingHTTPServer):
    """The HTTP server, its worker pool (set by `make_server` once the port is bound) and the examples it offers."""

    daemon_threads = True
    pool: Pool

    def __init__(self, out_dir: Path, host: str, port: int, *, union: bool = True) -> None:
        super().__init__((host, port), Handler)
        self.out_dir = out_dir
        self.union = union
        self.loopback_only = _is_loopback(host)
        self.examples = json.dumps(
            [{"name": e.name, "question": e.question, "columns": list(e.columns), "params": e.params,
              "query": e.text} for e in map(queries.info, queries.names())], ensure_ascii=False).encode()
        terms = [f"civ:{name}" for name in CIV.__annotations__] + list(COMMON_TERMS)
        self.vocabulary = json.dumps({"prefixes": prefixes.DECLARED, "terms": terms, "union": union}).encode()

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
        if hasattr(self, "pool"):
            self.pool.close()


def make_server(out_dir: Path, host: str = "127.0.0.1", port: int = DEFAULT_PORT, *, timeout: float = 10.0,
                row_cap: int = 10_000, workers: int = 2, union: bool = True) -> Server:
    """A ready server on (host, port) over the build in `out_dir` (port 0: any free port).

    The store is (re)built first when it is missing or older than civic.trig, so that the
    workers can open it read-only. The port is bound before the workers start; KgError when it
    is taken or cannot be bound.
    """
    store.open(out_dir)  # rebuild on demand (the handle is dropped at once), then the workers open it
    try:
        srv = Server(out_dir, host, port, union=union)
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            raise KgError(f"port {port} on {host} is taken (another kg serve?); choose another with --port") from e
        raise KgError(f"cannot listen on {host}:{port}: {e.strerror or e}") from e
    try:
        srv.pool = Pool(out_dir, size=workers, timeout=timeout, row_cap=row_cap)
    except BaseException:
        srv.server_close()
        raise
    return srv
