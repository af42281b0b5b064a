"""The rows every graph export is written from: one table, so GEXF, GraphML and CSV agree.

`table(G)` turns the `network.project` graph, measured once by `kg.exports.analytics`, into
rows: nodes (IRI id, label, class, adcode, posts, …, degree, centrality, community, first and
last date, colour and size) and edges (a unique id `e0`, `e1`, … in the projection's sorted
order, relation and Chinese verb, role, article, date, evidence, …), so GEXF, GraphML and CSV
hold the same values under the same names. Lists are `;`-joined strings (GraphML and CSV have
no list type), and characters XML 1.0 forbids (C0 controls) become U+FFFD.

An edge's `date` is when it happened: the `heldOn` date of the event it touches when the
event has one (the source first), else its article's publication date (`published`). A node's
`start`/`end` are its first and last date (its edges', its own `heldOn` or `published`).
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from kg.exports import analytics

NODE_COLUMNS = (("class", "string"), ("adcode", "string"), ("posts", "string"), ("aliases", "string"),
                ("heldOn", "string"), ("published", "string"), ("amount", "string"), ("article_count", "integer"),
                ("degree", "integer"), ("centrality", "double"), ("community", "integer"))
"""Node attributes of every export, with their GEXF type, in column order."""

EDGE_COLUMNS = (("relation", "string"), ("verb", "string"), ("role", "string"), ("article", "string"),
                ("headline", "string"), ("date", "string"), ("published", "string"), ("evidence", "string"),
                ("evidence_count", "integer"))
"""Edge attributes of every export, with their GEXF type, in column order."""

Value = str | int | float

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """`text` with the characters XML 1.0 cannot hold (NUL, other C0 controls, lone surrogates) as U+FFFD.

    >>> xml_safe("a\\x01b\\nc")
    'a\ufffdb\\nc'
    """
    return _NOT_XML.sub("\ufffd", text)


def node_size(degree: int) -> float:
    """Size of a node of this degree, as the views draw it (kg/views/render.py `page_data`).

    >>> node_size(0), node_size(4)
    (10.0, 20.0)
    """
    return round(10 + 5 * math.sqrt(degree), 1)


def node_color(kind: str) -> tuple[int, int, int]:
    """(r, g, b) of a class in the views' palette (`kg.views.render.STYLES`).

    >>> node_color("Person")
    (225, 87, 89)
    """
    from kg.views.render import STYLES

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


def as_table(source: nx.MultiDiGraph | Table) -> Table:
    return source if isinstance(source, Table) else table(source)


def as_text(v: Value) -> str:
    return repr(v) if isinstance(v, float) else str(v)
