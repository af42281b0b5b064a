"""Exports for researchers: GEXF (Gephi), GraphML (networkx, igraph, yEd), CSV tables, JSON-LD, N-Quads.

One table feeds the graph formats. `table(G)` turns the `network.project` graph, measured once by
`kg.analytics`, into rows: nodes (IRI id, label, class, adcode, posts, …, degree, centrality,
community, first and last date, colour and size) and edges (a unique id `e0`, `e1`, … in the
projection's sorted order, relation and Chinese verb, role, article, date, evidence, …), so
GEXF, GraphML and CSV hold the same values under the same names. Lists are `;`-joined strings
(GraphML and CSV have no list type), and characters XML 1.0 forbids (C0 controls) become U+FFFD.

An edge's `date` is when it happened: the `heldOn` date of the event it touches when the
event has one (the source first), else its article's publication date (`published`). A node's
`start`/`end` are its first and last date (its edges', its own `heldOn` or `published`).

`generate_*` return bytes; `write_all` and `export` write files, each to a temporary file in
the target folder moved into place with `os.replace`. Same input, same bytes: rows are sorted,
the only date written is the corpus's (its latest article), and no library stamps anything.

Why GEXF is written here and not by `networkx.write_gexf`: networkx writes a `name` attribute
on `<graph>` that the schema refuses, stamps today's date in `<meta>`, cannot write an edge's
`kind` (how Gephi keeps parallel edges of different relations apart), nor a graph-level
time span, and declares a wrong XSI namespace for 1.3. The format is small, so `generate_gexf`
writes GEXF 1.3 line by line with explicit escaping, which also streams large graphs.
The viz elements are in the `http://gexf.net/1.3/viz` namespace, as the GEXF 1.3 spec, its
RelaxNG schema, Gephi and networkx have them. The official 1.3 XSD (a conversion of that
RelaxNG) declares them in the main GEXF namespace instead, so tests validate the file against
the RelaxNG as written, and against the XSD with the viz prefix mapped onto the GEXF namespace.

Gephi keeps parallel edges apart only when their `kind` differs; two statements of the same
relation between the same nodes from different articles stay two edges here (networkx, CSV)
but Gephi merges them on import, adding their weights (1 each) by default.
"""
from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
from rdflib import Graph

from kg.errors import KgError
from kg.exports import analytics
from kg.graph import network

GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"
CREATOR = "civic-kg"

NODE_COLUMNS = (("class", "string"), ("adcode", "string"), ("posts", "string"), ("aliases", "string"),
                ("heldOn", "string"), ("published", "string"), ("amount", "string"), ("article_count", "integer"),
                ("degree", "integer"), ("centrality", "double"), ("community", "integer"))
"""Node attributes of every export, with their GEXF type, in column order."""

EDGE_COLUMNS = (("relation", "string"), ("verb", "string"), ("role", "string"), ("article", "string"),
                ("headline", "string"), ("date", "string"), ("published", "string"), ("evidence", "string"),
                ("evidence_count", "integer"))
"""Edge attributes of every export, with their GEXF type, in column order."""

FORMATS = {"gexf": ("civic.gexf",), "graphml": ("civic.graphml",), "csv": ("nodes.csv", "edges.csv"),
           "jsonld": ("civic.jsonld",), "nquads": ("civic.nq",)}
"""Each export format and the file names it writes by default."""

DEFAULT_FORMATS = ("gexf", "graphml", "csv")
"""What `write_all` writes unless told otherwise (the RDF formats are already in the build)."""

JSONLD_CONTEXT = {"civ": "https://w3id.org/civic-kg/ontology#", "cid": "https://w3id.org/civic-kg/id/",
                  "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
                  "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
                  "skos": "http://www.w3.org/2004/02/skos/core#", "xsd": "http://www.w3.org/2001/XMLSchema#"}

Value = str | int | float

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """`text` with the characters XML 1.0 cannot hold (NUL, other C0 controls, lone surrogates) as U+FFFD.

    >>> xml_safe("a\\x01b\\nc")
    'a\ufffdb\\nc'
    """
    return _NOT_XML.sub("\ufffd", text)


def node_size(degree: int) -> float:
    """Size of a node of this degree, as the views draw it (kg/views.py `page_data`).

    >>> node_size(0), node_size(4)
    (10.0, 20.0)
    """
    return round(10 + 5 * math.sqrt(degree), 1)


def node_color(kind: str) -> tuple[int, int, int]:
    """(r, g, b) of a class in the views' palette (`kg.views.STYLES`).

    >>> node_color("Person")
    (225, 87, 89)
    """
    from kg.views.gallery import STYLES

    hexa = STYLES.get(kind, STYLES["Thing"]).color
    return int(hexa[1:3], 16), int(hexa[3:5], 16), int(hexa[5:7], 16)


@dataclass(frozen=True, slots=True)
class Node:
    """One node row: IRI, label, attribute values (missing ones left out), time span and drawing."""

    id: str
    label: str
    values: dict[str, Value]
    start: str | None
    end: str | None
    color: tuple[int, int, int]
    size: float


@dataclass(frozen=True, slots=True)
class Edge:
    """One edge row: unique id, ends, Chinese verb as label, relation as kind, attribute values."""

    id: str
    source: str
    target: str
    label: str
    kind: str
    values: dict[str, Value]

    @property
    def date(self) -> str | None:
        return self.values.get("date")  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class Table:
    """The rows every graph export is written from, and the graph's dates and methods."""

    nodes: list[Node]
    edges: list[Edge]
    corpus_date: str | None
    start: str | None
    end: str | None
    notes: dict[str, str] = field(default_factory=dict)


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _first(value: object) -> str | None:
    """The earliest of `;`-joined ISO dates (anything else ignored), or None.

    >>> _first("2023-06-04;2023-06-03;June")
    '2023-06-03'
    """
    dates = sorted(v for v in str(value or "").split(";") if _DATE.fullmatch(v))
    return dates[0] if dates else None


def _clean(values: Iterable[tuple[str, object]]) -> dict[str, Value]:
    """Values that are set, strings made XML-safe."""
    out: dict[str, Value] = {}
    for k, v in values:
        if v is None or v == "":
            continue
        out[k] = xml_safe(v) if isinstance(v, str) else v  # type: ignore[assignment]
    return out


def table(G: nx.MultiDiGraph) -> Table:
    """The export rows of a projected graph (measured first with `kg.analytics` if need be)."""
    H = analytics.annotate(G)
    event_date = {n: _first(d.get("heldOn")) for n, d in H.nodes(data=True) if d.get("kind") == "Event"}
    edges: list[Edge] = []
    seen: dict[str, list[str]] = {n: [] for n in H}
    for i, (u, v, d) in enumerate(H.edges(data=True)):
        published = d.get("date")
        when = event_date.get(u) or event_date.get(v) or _first(published)
        values = _clean((name, {"date": when, "published": published}.get(name, d.get(name)))
                        for name, _ in EDGE_COLUMNS)
        edges.append(Edge(f"e{i}", xml_safe(u), xml_safe(v), xml_safe(str(d.get("verb", d.get("relation", "")))),
                          str(d.get("relation", "")), values))
        if when:
            seen[u].append(when)
            seen[v].append(when)
    nodes = []
    for n, d in H.nodes(data=True):
        kind = d.get("kind", "Thing")
        own = [x for x in (_first(d.get("heldOn")), _first(d.get("published"))) if x]
        dates = sorted(seen[n] + own)
        articles = len([a for a in str(d.get("articles", "")).split(";") if a])
        attrs = {"class": kind, "article_count": articles or None}
        values = _clean((name, attrs[name] if name in attrs else d.get(name)) for name, _ in NODE_COLUMNS)
        nodes.append(Node(xml_safe(n), xml_safe(str(d.get("label", n))), values,
                          dates[0] if dates else None, dates[-1] if dates else None,
                          node_color(kind), node_size(int(d.get("degree", 0)))))
    published = sorted(x for _, p in H.nodes(data="published") for x in str(p or "").split(";") if _DATE.fullmatch(x))
    span = sorted(x for row in nodes for x in (row.start, row.end) if x)
    notes = {k: str(H.graph[k]) for k in ("centrality", "community") if k in H.graph}
    return Table(nodes, edges, published[-1] if published else None,
                 span[0] if span else None, span[-1] if span else None, notes)


def _table(source: nx.MultiDiGraph | Table) -> Table:
    return source if isinstance(source, Table) else table(source)


def _text(v: Value) -> str:
    return repr(v) if isinstance(v, float) else str(v)


# ── GEXF ─────────────────────────────────────────────────────────────────────

_ATTR_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\r": "&#13;",
                 "\t": "&#9;"}
_ATTR_SPECIAL = re.compile('[&<>"\n\r\t]')


def _q(value: Value) -> str:
    """An XML attribute value, quoted and escaped (newlines kept as character references).

    >>> print(_q('a<b & "c"\\nd'))
    "a&lt;b &amp; &quot;c&quot;&#10;d"
    """
    return '"' + _ATTR_SPECIAL.sub(lambda m: _ATTR_ESCAPES[m.group()], _text(value)) + '"'


def _element(name: str, attrs: Iterable[tuple[str, Value | None]], close: bool = True) -> str:
    body = "".join(f" {k}={_q(v)}" for k, v in attrs if v is not None)
    return f"<{name}{body}{'/' if close else ''}>"


def _gexf_lines(t: Table) -> Iterator[str]:
    yield '<?xml version="1.0" encoding="UTF-8"?>'
    yield f'<gexf xmlns="{GEXF_NS}" xmlns:viz="{VIZ_NS}" version="1.3">'
    yield "  " + _element("meta", [("lastmodifieddate", t.corpus_date)], close=False)
    yield f"    <creator>{CREATOR}</creator>"
    about = "; ".join(f"{k}: {v}" for k, v in sorted(t.notes.items()))
    description = "Civic events from Chinese local newspapers; node ids are the graph's IRIs" + (
        f"; {about}" if about else "")
    yield "    <description>" + _q(description)[1:-1] + "</description>"
    yield "  </meta>"
    dynamic = [("mode", "dynamic"), ("timeformat", "date"), ("start", t.start), ("end", t.end)] if t.start else [
        ("mode", "static")]
    yield "  " + _element("graph", [("defaultedgetype", "directed"), ("idtype", "string"), *dynamic], close=False)
    for cls, columns in (("node", NODE_COLUMNS), ("edge", EDGE_COLUMNS)):
        yield f'    <attributes class="{cls}" mode="static">'
        for name, kind in columns:
            yield "      " + _element("attribute", [("id", name), ("title", name), ("type", kind)])
        yield "    </attributes>"
    yield f'    <nodes count="{len(t.nodes)}">'
    for n in t.nodes:
        yield "      " + _element("node", [("id", n.id), ("label", n.label), ("start", n.start), ("end", n.end)],
                                  close=False)
        yield from _attvalues(n.values, NODE_COLUMNS)
        r, g, b = n.color
        yield f'        <viz:color r="{r}" g="{g}" b="{b}"/>'
        yield f'        <viz:size value="{n.size!r}"/>'
        yield "      </node>"
    yield "    </nodes>"
    yield f'    <edges count="{len(t.edges)}">'
    for e in t.edges:
        attrs = [("id", e.id), ("source", e.source), ("target", e.target), ("label", e.label), ("kind", e.kind),
                 ("start", e.date), ("end", e.date)]
        if not e.values:
            yield "      " + _element("edge", attrs)
            continue
        yield "      " + _element("edge", attrs, close=False)
        yield from _attvalues(e.values, EDGE_COLUMNS)
        yield "      </edge>"
    yield "    </edges>"
    yield "  </graph>"
    yield "</gexf>"


def _attvalues(values: dict[str, Value], columns: tuple[tuple[str, str], ...]) -> Iterator[str]:
    present = [name for name, _ in columns if name in values]
    if not present:
        return
    yield "        <attvalues>"
    for name in present:
        yield "          " + _element("attvalue", [("for", name), ("value", values[name])])
    yield "        </attvalues>"


def generate_gexf(source: nx.MultiDiGraph | Table) -> bytes:
    """GEXF 1.3 of a projected graph: typed attributes, viz colour and size, a dynamic (dated) graph."""
    return ("\n".join(_gexf_lines(_table(source))) + "\n").encode("utf-8")


# ── GraphML, CSV ─────────────────────────────────────────────────────────────

def export_graph(source: nx.MultiDiGraph | Table) -> nx.MultiDiGraph:
    """The table as a MultiDiGraph with scalar attributes only: the graph GraphML is written from.

    Edge keys are the unique edge ids of the other exports; nodes get `label`, their values and
    `start`/`end`; edges get `label` (verb), `kind` (relation) and their values.
    """
    t = _table(source)
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
    w.writerows(["" if v is None else _text(v) for v in row] for row in rows)
    return buf.getvalue().encode("utf-8-sig")


def generate_csv(source: nx.MultiDiGraph | Table) -> tuple[bytes, bytes]:
    """(nodes.csv, edges.csv) in the columns of Gephi's spreadsheet import, UTF-8 with BOM for Excel.

    Nodes: Id, Label, the node attributes, start, end. Edges: Source, Target, Type
    (`Directed`), Id, Label (the Chinese verb), Kind (the relation, which Gephi uses to keep
    parallel edges apart), the edge attributes. Cells are written as they are, so a cell that
    starts with `=` is a formula to Excel.
    """
    t = _table(source)
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
