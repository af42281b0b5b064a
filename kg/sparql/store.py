"""The embedded SPARQL store: an Oxigraph (RocksDB) directory beside the build's files.

`kg build` writes OUT_DIR/store/ with `write()`; `kg query`, `kg serve` and `kg push` read it
with `open()`. Layout of OUT_DIR/store/: `db/` (the Oxigraph store) and `source.json` (which
file it was loaded from, its size, mtime and SHA-256, and the number of quads), so that a store
older than civic.trig is noticed and rebuilt instead of answering from stale data.

Oxigraph was chosen over rdflib's memory store by measurement (bench/sparql_bench.py). Every
triple lives in an article's named graph and the store's own default graph is empty, so `query()`
makes the default graph the union of the named graphs (as Oxigraph's `--union-default-graph` and
Fuseki's `unionDefaultGraph` do; a triple stated in two articles is then matched twice), unless
`union=False`. `GRAPH ?g { … }` still names the article; the shipped examples use it, so they give
the same rows in any SPARQL 1.1 store. Queries may use the prefixes of `kg.sparql.prefixes`
without declaring them.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import re
import shutil
import tempfile
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError, QueryError
from kg.sparql import prefixes

STORE_DIR = "store"
DB_DIR = "db"
STAMP = "source.json"
SOURCES = ("civic.trig", "civic.nq")
FORMATS = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS, ".ttl": ox.RdfFormat.TURTLE,
           ".nt": ox.RdfFormat.N_TRIPLES}


class QuerySyntaxError(QueryError):
    """A SPARQL query does not parse: carries the 1-based line and column."""

    def __init__(self, message: str, line: int, column: int, text: str) -> None:
        super().__init__(f"SPARQL syntax error at line {line}, column {column}: {message}")
        self.message, self.line, self.column, self.text = message, line, column, text

    def context(self) -> str:
        """The message, the offending line of the query and a caret under the column (CJK-aware)."""
        from kg.sparql.results import width

        lines = self.text.splitlines() or [""]
        line = lines[min(self.line, len(lines)) - 1]
        caret = " " * width(line[: max(0, self.column - 1)]) + "^"
        return f"{self}\n{self.line:>4} | {line}\n     | {caret}"


def _digest(data: bytes | Path) -> str:
    h = hashlib.sha256()
    if isinstance(data, bytes):
        h.update(data)
    else:
        with data.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()


def _source(out_dir: Path) -> Path | None:
    return next((out_dir / n for n in SOURCES if (out_dir / n).is_file()), None)


def write(source: Path | bytes, out_dir: Path, *, fmt: ox.RdfFormat | None = None) -> Path:
    """Load `source` (a civic.trig / civic.nq path, or TriG bytes) into OUT_DIR/store, atomically.

    The store is built in a temporary folder inside `out_dir` and renamed into place, so a reader
    sees the old store or the new one, never half of one. Returns the store's path.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    if fmt is None:
        fmt = FORMATS.get(source.suffix, ox.RdfFormat.TRIG) if isinstance(source, Path) else ox.RdfFormat.TRIG
    tmp = Path(tempfile.mkdtemp(prefix=".store-", dir=out_dir))
    try:
        db = ox.Store(str(tmp / DB_DIR))
        try:
            if isinstance(source, Path):
                db.bulk_load(path=str(source), format=fmt)
            else:
                db.bulk_load(source, format=fmt)
        except SyntaxError as e:
            raise KgError(f"{source if isinstance(source, Path) else '<bytes>'}: {e}") from e
        db.flush()
        stamp: dict[str, object] = {"source": None, "size": len(source) if isinstance(source, bytes) else None,
                                    "mtime_ns": None, "sha256": _digest(source), "quads": len(db),
                                    "pyoxigraph": ox.__version__}
        if isinstance(source, Path):
            st = source.stat()
            stamp |= {"source": source.name, "size": st.st_size, "mtime_ns": st.st_mtime_ns}
        del db  # closes RocksDB before the rename
        (tmp / STAMP).write_text(json.dumps(stamp, indent=1) + "\n", encoding="utf-8")
        final = out_dir / STORE_DIR
        old = None
        if final.exists():
            old = Path(tempfile.mkdtemp(prefix=".store-old-", dir=out_dir))
            final.replace(old / STORE_DIR)
        tmp.replace(final)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        return final
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def is_fresh(out_dir: Path) -> bool:
    """True when OUT_DIR/store exists and holds what civic.trig (or civic.nq) beside it holds."""
    stamp_path = out_dir / STORE_DIR / STAMP
    try:
        stamp = json.loads(stamp_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not (out_dir / STORE_DIR / DB_DIR).is_dir():
        return False
    src = out_dir / (stamp.get("source") or SOURCES[0])
    if not src.is_file():
        other = _source(out_dir)
        if other is None:
            return True  # no file beside it to be older than: the store stands alone
        src = other
    st = src.stat()
    if (st.st_size, st.st_mtime_ns) == (stamp.get("size"), stamp.get("mtime_ns")):
        return True
    if st.st_size != stamp.get("size") or _digest(src) != stamp.get("sha256"):
        return False
    with contextlib.suppress(OSError):  # same content, new mtime (a copy, a checkout): remember it
        stamp |= {"source": src.name, "mtime_ns": st.st_mtime_ns}
        stamp_path.write_text(json.dumps(stamp, indent=1) + "\n", encoding="utf-8")
    return True


def open(out_dir: Path, *, rebuild: bool = True) -> ox.Store:
    """Open the build in `out_dir` for queries.

    A fresh OUT_DIR/store is opened read-only. Otherwise, with `rebuild`, it is (re)written from
    civic.trig; if that is impossible (no write access) civic.trig is loaded into memory.
    Raises KgError when `out_dir` holds neither.
    """
    if is_fresh(out_dir):
        return ox.Store.read_only(str(out_dir / STORE_DIR / DB_DIR))
    src = _source(out_dir)
    if src is None:
        raise KgError(f"{out_dir}: no {' or '.join(SOURCES)} and no store; run `kg build RAW --out {out_dir}`")
    if rebuild:
        with contextlib.suppress(OSError):
            write(src, out_dir)
            return ox.Store.read_only(str(out_dir / STORE_DIR / DB_DIR))
    mem = ox.Store()
    mem.bulk_load(path=str(src), format=FORMATS[src.suffix])
    return mem


_ERROR_AT = re.compile(r"error at (\d+):(\d+): (.*)", re.S)
_FOUND = re.compile(r"found (.*?)\s+\(at char")


def _clause_start(text: str) -> tuple[int, int, str] | None:
    """Where rdflib's parser sees the failing clause begin: (line, column, what it found), or None."""
    if "\t" in text:  # pyparsing counts columns in tab-expanded text
        return None
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql import parser

    try:
        parser.parseQuery(text)
    except ParseBaseException as e:
        found = _FOUND.search(str(e))
        return e.lineno, e.col, found.group(1) if found else ""
    except Exception:  # rdflib's parser fails in other ways on some inputs: no second opinion then
        return None
    return None


def parse_error(e: SyntaxError, text: str) -> QuerySyntaxError:
    """Turn pyoxigraph's `error at L:C: …` into a QuerySyntaxError with line and column.

    Oxigraph reports the furthest point its parser reached, often the end of the query; rdflib's
    parser reports where the clause that fails begins. The error lies between the two, so the
    earlier one is shown when they differ.
    """
    m = _ERROR_AT.match(str(e))
    if not m:
        return QuerySyntaxError(str(e), 1, 1, text)
    line, column = int(m.group(1)), int(m.group(2))
    message = m.group(3).split("\n")[0]
    if len(message) > 120:
        message = message[:120] + "…"
    near = _clause_start(text)
    if near and near[:2] < (line, column):
        found = f" (found {near[2]})" if near[2] else ""
        message = f"the clause starting here does not parse{found}; Oxigraph stopped at {line}:{column}: {message}"
        line, column = near[0], near[1]
    return QuerySyntaxError(message, line, column, text)


def _undeclared_prefix(text: str) -> QuerySyntaxError | None:
    """The error for the first prefix `text` uses without declaring it, or None."""
    found = prefixes.undeclared(text)
    if not found:
        return None
    name, offset = found[0]
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    known = ", ".join(prefixes.DECLARED)
    message = (f"prefix {name}: is not declared; add PREFIX {name}: <…> (declared for every query: {known})")
    return QuerySyntaxError(message, line, column, text)


def query(db: ox.Store, text: str, *, union: bool = True,
          **options: object) -> ox.QuerySolutions | ox.QueryTriples | ox.QueryBoolean:
    """Run SPARQL `text` on `db`, its default graph the union of the named graphs unless `union` is
    False or `options` name a default graph; a syntax error becomes a QuerySyntaxError with line and column.
    """
    if not options.get("default_graph"):
        options.pop("default_graph", None)
        options["use_default_graph_as_union"] = union
    try:
        return db.query(text, prefixes=prefixes.DECLARED, **options)  # type: ignore[arg-type]
    except SyntaxError as e:
        error = _undeclared_prefix(text) if "Prefix not found" in str(e) else None
        raise error or parse_error(e, text) from e
    except OSError as e:
        raise QueryError(str(e)) from e
