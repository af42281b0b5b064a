"""Exports for researchers: GEXF (Gephi), GraphML (networkx, igraph, yEd), CSV tables, JSON-LD, N-Quads.

The graph formats are written from one table (`kg.exports.table`), GEXF by `kg.exports.gexf`,
GraphML and CSV here; JSON-LD and N-Quads from the RDF itself.

`generate_*` return bytes; `write_all` and `export` write files, each to a temporary file in
the target folder moved into place with `os.replace`. Same input, same bytes: rows are sorted,
the only date written is the corpus's (its latest article), and no library stamps anything.
"""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

import networkx as nx
from rdflib import Graph

from kg.errors import KgError
from kg.exports.gexf import generate_gexf
from kg.exports.table import EDGE_COLUMNS, NODE_COLUMNS, Table, Value, as_table, as_text, table
from kg.graph import network

FORMATS = {"gexf": ("civic.gexf",), "graphml": ("civic.graphml",), "csv": ("nodes.csv", "edges.csv"),
           "jsonld": ("civic.jsonld",), "nquads": ("civic.nq",)}
"""Each export format and the file names it writes by default."""

DEFAULT_FORMATS = ("gexf", "graphml", "csv")
"""What `write_all` writes unless told otherwise (the RDF formats are already in the build)."""

JSONLD_CONTEXT = {"civ": "https://w3id.org/civic-kg/ontology#", "cid": "https://w3id.org/civic-kg/id/",
                  "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
                  "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
                  "skos": "http://www.w3.org/2004/02/skos/core#", "xsd": "http://www.w3.org/2001/XMLSchema#"}


# ── GraphML, CSV ─────────────────────────────────────────────────────────────

def export_graph(source: nx.MultiDiGraph | Table) -> nx.MultiDiGraph:
    """The table as a MultiDiGraph with scalar attributes only: the graph GraphML is written from.

    Edge keys are the unique edge ids of the other exports; nodes get `label`, their values and
    `start`/`end`; edges get `label` (verb), `kind` (relation) and their values.
    """
    t = as_table(source)
    X = nx.MultiDiGraph()
    for n in t.nodes:
        span = {k: v for k, v in (("start", n.start), ("end", n.end)) if v}
        X.add_node(n.id, label=n.label, **n.values, **span)
    for e in t.edges:
        X.add_edge(e.source, e.target, key=e.id, label=e.label, kind=e.kind, **e.values)
    return X


def generate_graphml(source: nx.MultiDiGraph | Table) -> bytes:
    """GraphML of a projected graph, for networkx, igraph and yEd.

    Written by networkx's pure-Python GraphML writer (`generate_graphml`, never the lxml one,
    so the bytes do not depend on whether lxml is installed). Node ids are the IRIs; edge ids
    are the `e0`, `e1`, … of the other exports. yEd shows no attribute as a label until one is
    mapped with Edit › Properties Mapper (`label`).
    """
    lines = nx.generate_graphml(export_graph(source), encoding="utf-8", prettyprint=True)
    return ("\n".join(lines) + "\n").encode("utf-8")


NODE_HEADER = ("Id", "Label", *(name for name, _ in NODE_COLUMNS), "start", "end")
EDGE_HEADER = ("Source", "Target", "Type", "Id", "Label", "Kind", *(name for name, _ in EDGE_COLUMNS))


def _csv(header: tuple[str, ...], rows: Iterable[Iterable[Value | None]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(["" if v is None else as_text(v) for v in row] for row in rows)
    return buf.getvalue().encode("utf-8-sig")


def generate_csv(source: nx.MultiDiGraph | Table) -> tuple[bytes, bytes]:
    """(nodes.csv, edges.csv) in the columns of Gephi's spreadsheet import, UTF-8 with BOM for Excel.

    Nodes: Id, Label, the node attributes, start, end. Edges: Source, Target, Type
    (`Directed`), Id, Label (the Chinese verb), Kind (the relation, which Gephi uses to keep
    parallel edges apart), the edge attributes. Cells are written as they are, so a cell that
    starts with `=` is a formula to Excel.
    """
    t = as_table(source)
    nodes = ((n.id, n.label, *(n.values.get(c) for c, _ in NODE_COLUMNS), n.start, n.end) for n in t.nodes)
    edges = ((e.source, e.target, "Directed", e.id, e.label, e.kind, *(e.values.get(c) for c, _ in EDGE_COLUMNS))
             for e in t.edges)
    return _csv(NODE_HEADER, nodes), _csv(EDGE_HEADER, edges)


# ── RDF ──────────────────────────────────────────────────────────────────────

def _sorted_jsonld(value: object, key: str = "") -> object:
    """JSON-LD with every node array sorted by `@id` and every value set sorted (lists kept)."""
    if isinstance(value, dict):
        return {k: _sorted_jsonld(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted_jsonld(v) for v in value]
        if key == "@list":
            return items
        return sorted(items, key=lambda v: (str(v.get("@id", "")) if isinstance(v, dict) else "",
                                            json.dumps(v, ensure_ascii=False, sort_keys=True)))
    return value


def generate_jsonld(ds: Graph) -> bytes:
    """JSON-LD of the Dataset (one `@graph` per article) with a compact `@context`, sorted."""
    data = json.loads(ds.serialize(format="json-ld", context=JSONLD_CONTEXT, auto_compact=True))
    return (json.dumps(_sorted_jsonld(data), ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


def generate_nquads(ds: Graph) -> bytes:
    """N-Quads of the Dataset, one quad a line, lines sorted."""
    text = ds.serialize(format="nquads", encoding="utf-8").decode("utf-8")
    return "".join(sorted(line + "\n" for line in text.splitlines() if line.strip())).encode("utf-8")


# ── Files ────────────────────────────────────────────────────────────────────

def write_atomic(path: Path, data: bytes | Path) -> Path:
    """Write `data` (bytes, or a file to copy) to `path` through a temporary file and `os.replace`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            if isinstance(data, Path):
                with data.open("rb") as src:
                    shutil.copyfileobj(src, f, 1 << 20)
            else:
                f.write(data)
        Path(tmp).chmod(0o644)
        Path(tmp).replace(path)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return path


def _dataset(out_dir: Path) -> Graph:
    trig = out_dir / "civic.trig"
    if not trig.is_file():
        raise KgError(f"{trig}: not found; run `kg build RAW --out {out_dir}` first")
    try:
        return network.read(trig)
    except (SyntaxError, ValueError) as e:  # rdflib's parse errors
        raise KgError(f"{trig}: {e}") from e


class _Source:
    """What the exports read, loaded once and only when a format needs it."""

    def __init__(self, out_dir: Path, source: Graph | nx.MultiDiGraph | None) -> None:
        self.out_dir = out_dir
        self.given = source is not None
        self._ds = source if isinstance(source, Graph) else None
        self._graph = source if isinstance(source, nx.MultiDiGraph) else None
        self._table: Table | None = None

    @property
    def ds(self) -> Graph:
        if self._ds is None:
            self._ds = _dataset(self.out_dir)
        return self._ds

    @property
    def table(self) -> Table:
        if self._table is None:
            self._table = table(self._graph if self._graph is not None else network.project(self.ds))
        return self._table

    def files(self, fmt: str) -> list[bytes | Path]:
        if fmt == "gexf":
            return [generate_gexf(self.table)]
        if fmt == "graphml":
            return [generate_graphml(self.table)]
        if fmt == "csv":
            return list(generate_csv(self.table))
        if fmt == "jsonld":
            return [generate_jsonld(self.ds)]
        if fmt == "nquads":
            nq = self.out_dir / "civic.nq"
            return [nq if not self.given and nq.is_file() else generate_nquads(self.ds)]
        raise KgError(f"unknown export format {fmt!r}; one of {', '.join(FORMATS)}")


def _write(src: _Source, fmt: str, targets: list[Path]) -> list[Path]:
    contents = src.files(fmt)
    written = []
    for data, path in zip(contents, targets, strict=True):
        if isinstance(data, Path) and data.resolve() == path.resolve():
            written.append(path)  # civic.nq onto itself: already there
            continue
        written.append(write_atomic(path, data))
    return written


def write_all(out_dir: str | Path, source: Graph | nx.MultiDiGraph | None = None, *,
              formats: Iterable[str] = DEFAULT_FORMATS) -> list[Path]:
    """Write the exports of a build into `out_dir`: civic.gexf, civic.graphml, nodes.csv, edges.csv.

    `source` is the build's Dataset or its `network.project` graph; by default
    `out_dir/civic.trig` is read. The graph is projected and measured once for all formats.
    Returns the paths written.
    """
    out = Path(out_dir)
    src = _Source(out, source)
    return [p for fmt in formats for p in _write(src, fmt, [out / name for name in FORMATS[fmt]])]


def export(out_dir: str | Path, fmt: str, out: str | Path | None = None) -> list[Path]:
    """Export the build in `out_dir` in one format (`kg export`); returns the paths written.

    `out` is the file to write (for `csv`, the folder for nodes.csv and edges.csv); by
    default the format's usual name in `out_dir`.
    """
    if fmt not in FORMATS:
        raise KgError(f"unknown export format {fmt!r}; one of {', '.join(FORMATS)}")
    base = Path(out_dir)
    names = FORMATS[fmt]
    if out is None:
        targets = [base / n for n in names]
    elif fmt == "csv":
        targets = [Path(out) / n for n in names]
    else:
        targets = [Path(out)]
    return _write(_Source(base, None), fmt, targets)
