"""The one projection from the RDF graph to a networkx MultiDiGraph, shared by views and exports.

`project(ds)` reads the layout of docs/rdf-layout.md (a Dataset with one named graph per
article, or their union in a plain Graph) and returns a `nx.MultiDiGraph`:

- Nodes are the IRIs (as `str`) of persons, organisations, places, events, agreements and
  articles. Attributes: `kind` (class local name), `label`, and where known `adcode`,
  `posts`, `articles`, `aliases`, `heldOn` (events), `amount` (events), `published` (articles).
- Posts are not nodes by default (the exports): a post belongs to one person's description.
  `holdsPost` becomes the person's `posts` attribute (the posts' full names, skos:altLabel,
  else rdfs:label, joined with ";"). `project(ds, posts=True)` (the views) also draws them:
  each post is a node of kind `Post` with a `holdsPost` edge (任职, with its evidence) from
  each holder; `without_posts` takes them out again, giving exactly `project(ds)`.
- Dates are not nodes either: a date node would join unrelated events of the same day.
  `heldOn` becomes the event's `heldOn` attribute; every edge carries its article's `date`.
- Articles are nodes (labelled by their headline) because `author` links them to persons.
- One edge per (subject, relation, object, article): several evidence sentences for the same
  statement in one article make one edge whose `evidence` is the first sentence in the text and
  `evidence_count` their number. Edge attributes: `relation` (civ local name), `verb`
  (Chinese), `role`, `article` (IRI), `headline`, `date`, `evidence`, `evidence_count`, and
  `day` (the day the first evidence says the statement is of: its sentence's, else the article's).
  The key of an edge is `"<relation> <article IRI>"`.

Attributes are scalars only (str or int; lists joined with ";", `None` dropped), and nodes and
edges are added in sorted order, so the same graph always gives the same networkx graph.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
from rdflib import RDF, RDFS, SKOS, BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from kg.graph.vocab import CIV

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

NODE_KINDS = ("Person", "Organization", "Place", "Event", "Agreement", "Article")
"""Classes projected as nodes, in display order."""

VERBS = {"attended": "出席", "presided": "主持", "inspected": "调研", "agreementWith": "合作",
         "signed": "签署", "organizes": "主办", "holdsPost": "任职", "heldOn": "日期", "heldAt": "地点",
         "partOf": "隶属", "subEventOf": "子活动", "author": "作者"}
"""Chinese display verb of each relation."""

ORGANIZER_ROLES = ("主办", "承办", "协办")

_CIV = str(CIV._NS)
_RELATIONS = {CIV[name]: name for name in VERBS}
_EDGE_RELATIONS = frozenset(VERBS) - {"holdsPost", "heldOn"}


def verb(relation: str, role: str | None = None) -> str:
    """The Chinese verb shown on an edge; `organizes` takes the organiser role of its evidence.

    >>> verb("attended"), verb("organizes", "承办"), verb("organizes", "应邀"), verb("organizes")
    ('出席', '承办', '主办', '主办')
    """
    if relation == "organizes" and role in ORGANIZER_ROLES:
        return role
    return VERBS.get(relation, relation)


@dataclass(frozen=True, slots=True, order=True)
class _Evidence:
    """One civ:Evidence node, reduced to what an edge shows."""

    start: int
    sentence: str
    role: str | None
    day: str | None = None  # civ:date: the day the statement is of


def read(path: str | Path) -> Dataset:
    """Parse a civic.trig file into an rdflib Dataset."""
    ds = Dataset()
    ds.parse(str(path), format="trig")
    return ds


Quad = tuple[Node, Node, Node, Node | None]


def quads(path: str | Path) -> list[Quad]:
    """The quads of a civic.trig (or .nq) file as rdflib terms, parsed by Oxigraph: what
    `project` reads, without building a Dataset (three times faster than `read`)."""
    fmt = ox.RdfFormat.N_QUADS if str(path).endswith(".nq") else ox.RdfFormat.TRIG
    terms: dict[object, Node] = {}

    def term(t: object) -> Node:
        if t not in terms:
            if isinstance(t, ox.NamedNode):
                terms[t] = URIRef(t.value)
            elif isinstance(t, ox.Literal):
                lang, dtype = t.language, t.datatype.value
                terms[t] = Literal(t.value, lang=lang, datatype=None if lang or dtype == _XSD_STRING else URIRef(dtype))
            else:
                terms[t] = BNode(t.value)  # type: ignore[attr-defined]
        return terms[t]

    return [(term(q.subject), term(q.predicate), term(q.object),
             None if isinstance(q.graph_name, ox.DefaultGraph) else term(q.graph_name))
            for q in ox.parse(path=str(path), format=fmt)]


def _quads(graph: Graph | list[Quad]) -> Iterator[Quad]:
    """(s, p, o, graph name) of a Dataset, or (s, p, o, None) of a plain Graph; `quads` as they are."""
    if isinstance(graph, list):
        yield from graph
    elif graph.context_aware:
        for s, p, o, ctx in graph.quads((None, None, None, None)):  # type: ignore[attr-defined]
            yield s, p, o, (ctx.identifier if isinstance(ctx, Graph) else ctx)
    else:
        for s, p, o in graph:
            yield s, p, o, None


def _join(values: Iterable[str]) -> str:
    return ";".join(sorted(set(values)))


_SCALARS = {CIV.adminCode: "adcode", SKOS.altLabel: "aliases", CIV.amount: "amount",
            CIV.published: "published", CIV.heldOn: "heldOn"}
_REIFIED = {RDF.subject: "s", RDF.predicate: "p", RDF.object: "o", CIV.sentence: "sentence",
            CIV.charStart: "start", CIV.role: "role", CIV.inArticle: "article", CIV.date: "day"}

Statement = tuple[Node, str, Node, Node | None]  # subject, relation, object, article (or graph)


@dataclass
class _Facts:
    """What `project` reads from the quads, grouped by node."""

    kinds: dict[Node, set[str]] = field(default_factory=lambda: defaultdict(set))
    labels: dict[Node, set[str]] = field(default_factory=lambda: defaultdict(set))
    attrs: dict[Node, dict[str, set[str]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(set)))
    seen_in: dict[Node, set[Node]] = field(default_factory=lambda: defaultdict(set))  # named graphs
    triples: set[Statement] = field(default_factory=set)
    evidence: dict[Node, dict[str, Node]] = field(default_factory=lambda: defaultdict(dict))

    @classmethod
    def read(cls, ds: Graph | list[Quad]) -> _Facts:
        f = cls()
        for s, p, o, g in _quads(ds):
            if p == RDF.type and isinstance(o, URIRef) and str(o).startswith(_CIV):
                f.kinds[s].add(str(o)[len(_CIV):])
                if g is not None:
                    f.seen_in[s].add(g)
            elif p == RDFS.label:
                f.labels[s].add(str(o))
            elif p in _REIFIED:
                f.evidence[s][_REIFIED[p]] = o  # type: ignore[index]
            elif p in _SCALARS:
                f.attrs[s][_SCALARS[p]].add(str(o))  # type: ignore[index]
            elif p in _RELATIONS:
                f.triples.add((s, _RELATIONS[p], o, g))  # type: ignore[index]
        return f

    def kind(self, n: Node) -> str:
        known = [k for k in (*NODE_KINDS, "Post") if k in self.kinds.get(n, ())]
        return known[0] if known else "Thing"

    def label(self, n: Node) -> str:
        return min(self.labels[n]) if self.labels.get(n) else str(n).rsplit("/", 1)[-1]

    def statements(self, articles: set[Node]) -> dict[Statement, list[_Evidence]]:
        """Every asserted statement with its evidence, keyed by the article that gives it.

        A statement without evidence (not in the layout, but tolerated) is keyed by its graph.
        """
        asserted = {t[:3] for t in self.triples}
        found: dict[Statement, list[_Evidence]] = defaultdict(list)
        for node, ev in self.evidence.items():
            if "Evidence" not in self.kinds.get(node, ()) or ev.get("p") not in _RELATIONS:
                continue
            statement = (ev.get("s"), _RELATIONS[ev["p"]], ev.get("o"))  # type: ignore[index]
            if statement in asserted:
                start = ev.get("start")
                found[(*statement, ev.get("article"))].append(_Evidence(  # type: ignore[index]
                    int(start.toPython()) if isinstance(start, Literal) else 0,
                    str(ev.get("sentence", "")), str(ev["role"]) if "role" in ev else None,
                    str(ev["day"]) if "day" in ev else None))
        with_evidence = {k[:3] for k in found}
        for s, rel, o, g in self.triples:
            if g in articles or (s, rel, o) not in with_evidence:
                found.setdefault((s, rel, o, g if g in articles else None), [])
        return found


def project(ds: Graph | list[Quad], *, posts: bool = False) -> nx.MultiDiGraph:
    """Project a civic-kg Dataset (or the union Graph, or its `quads`) onto a MultiDiGraph for views
    and exports.

    With `posts`, posts are nodes too (kind `Post`), linked to their holders by `holdsPost` edges.
    """
    f = _Facts.read(ds)
    articles = {n for n, k in f.kinds.items() if "Article" in k}
    held: dict[Node, set[str]] = defaultdict(set)
    edges: list[tuple[str, str, str, dict[str, str | int]]] = []
    touched: set[Node] = set()
    for (s, rel, o, article), evs in f.statements(articles).items():
        if rel == "holdsPost":
            held[s].update(f.attrs.get(o, {}).get("aliases") or {f.label(o)})
            touched.add(s)
            if not posts:
                continue
        elif rel not in _EDGE_RELATIONS:
            continue
        if isinstance(o, Literal):
            continue
        evs.sort(key=lambda e: (e.start, e.sentence, e.role or "", e.day or ""))
        roles = list(dict.fromkeys(e.role for e in evs if e.role))
        data: dict[str, str | int | None] = {
            "relation": rel,
            "verb": verb(rel, next((r for r in roles if r in ORGANIZER_ROLES), None)),
            "role": ";".join(roles) or None,
            "evidence": evs[0].sentence if evs else None,
            "evidence_count": len(evs),
            "day": evs[0].day if evs else None,
        }
        if article is not None:
            data.update(article=str(article), headline=f.label(article),
                        date=min(f.attrs.get(article, {}).get("published") or {""}) or None)
            if rel != "holdsPost":  # so that without_posts gives the holders' `articles` of project(ds)
                f.seen_in[s].add(article)
            f.seen_in[o].add(article)
        key = f"{rel} {article}" if article is not None else rel
        edges.append((str(s), str(o), key, {k: v for k, v in sorted(data.items()) if v is not None}))
        touched.update((s, o))

    G = nx.MultiDiGraph()
    for n in sorted({n for n in f.kinds if f.kind(n) in NODE_KINDS} | touched, key=str):
        attrs = {k: _join(v) for k, v in f.attrs.get(n, {}).items() if v}
        attrs["posts"] = _join(held.get(n, ()))
        attrs["articles"] = _join({str(a) for a in f.seen_in.get(n, set()) | ({n} if n in articles else set())
                                   if a in articles})
        G.add_node(str(n), kind=f.kind(n), label=f.label(n), **{k: v for k, v in sorted(attrs.items()) if v})
    for u, v, key, d in sorted(edges, key=lambda e: e[:3]):
        G.add_edge(u, v, key=key, **d)
    return G


def without_posts(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of a `project(ds, posts=True)` graph without its Post nodes: the graph `project(ds)` gives."""
    H = G.copy()
    H.remove_nodes_from([n for n, kind in G.nodes(data="kind") if kind == "Post"])
    return H
