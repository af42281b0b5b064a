"""Which views a projected graph gets, and where each is written under `views/`.

`whole.html`, one page per relation family (`family/`), one per article (`article/`), and a
two-hop ego page per person (`person/`), organisation (`org/`), event (`event/`) and agreement
(`agreement/`; the second hop does not go through hubs with more than `EGO_HUB_DEGREE` links).
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from hashlib import sha1
from urllib.parse import unquote

import networkx as nx

EGO_HUB_DEGREE = 30
"""An ego view's second hop does not go through neighbours with more links than this."""


@dataclass(frozen=True, slots=True)
class Family:
    """A relation family shown as one view."""

    slug: str
    title: str
    relations: tuple[str, ...]


FAMILIES = (
    Family("agreements", "区县合作网络（合作·签署·隶属）", ("agreementWith", "signed", "partOf")),
    Family("organizing", "机构与活动（主办·子活动·地点）", ("organizes", "subEventOf", "heldAt")),
    Family("officials", "官员与活动（出席·主持·调研·任职）",
           ("attended", "presided", "inspected", "holdsPost")),
)


@dataclass(frozen=True, slots=True)
class ViewInfo:
    """One written view: its path under `views/`, title, section, size, and what else finds it in the gallery."""

    path: str
    title: str
    section: str
    nodes: int
    edges: int
    keywords: str = ""


@dataclass(frozen=True, slots=True, eq=False)
class View:
    """A view to render: where it goes, what it shows, and the node to select first."""

    path: str
    title: str
    section: str
    graph: nx.MultiDiGraph
    focus: str | None = None
    note: str = ""

    @property
    def info(self) -> ViewInfo:
        d = self.graph.nodes[self.focus] if self.focus in self.graph else {}
        keywords = " ".join(d[k] for k in ("aliases", "posts") if d.get(k)).replace(";", " ")
        return ViewInfo(self.path, self.title, self.section, self.graph.number_of_nodes(),
                        self.graph.number_of_edges(), keywords)


_SAFE_NAME = re.compile(r"^[^\W_][\w.-]{0,79}$")


def file_name(iri: str) -> str:
    """A file name for an entity's page: its IRI key when that is plain, else a hash.

    >>> file_name("https://w3id.org/civic-kg/id/person/曹慧泉")
    '曹慧泉.html'
    >>> file_name("https://w3id.org/civic-kg/id/person/%3Cscript%3E")
    '_82c4a78e9aa4.html'
    """
    key = unquote(iri.rsplit("/", 1)[-1])
    if _SAFE_NAME.match(key) and key == iri.rsplit("/", 1)[-1]:
        return f"{key}.html"
    return f"_{sha1(iri.encode('utf-8')).hexdigest()[:12]}.html"


EGO_SECTIONS = {"Person": "person", "Organization": "org", "Event": "event", "Agreement": "agreement"}
"""The classes that get a two-hop view of their own, and its folder."""


def _ego_dir(kind: str) -> str | None:
    return "article" if kind == "Article" else EGO_SECTIONS.get(kind)


def page_of(G: nx.MultiDiGraph, node: str) -> str | None:
    """The path under `views/` of a node's own view (persons, organisations, events, agreements, articles)."""
    folder = _ego_dir(G.nodes[node].get("kind", ""))
    return f"{folder}/{file_name(node)}" if folder else None


def plan(G: nx.MultiDiGraph) -> list[View]:
    """Every view of a projected graph, in gallery order."""
    index = {n: i for i, n in enumerate(G)}
    views = [View("whole.html", "全图", "whole", G)]
    for fam in FAMILIES:
        keep = {(u, v, k) for u, v, k, rel in G.edges(keys=True, data="relation") if rel in fam.relations}
        nodes = {n for u, v, _ in keep for n in (u, v)}
        views.append(View(f"family/{fam.slug}.html", fam.title, "family", _restrict(G, nodes, index, keep)))
    by_article: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
    for u, v, k, art in G.edges(keys=True, data="article"):
        if art:
            by_article[art].add((u, v, k))
    in_article: dict[str, set[str]] = defaultdict(set)
    for n, arts in G.nodes(data="articles"):
        for a in (arts or "").split(";"):
            if a:
                in_article[a].add(n)
    for art in sorted(n for n, kind in G.nodes(data="kind") if kind == "Article"):
        sub = _restrict(G, in_article[art] | {art}, index, by_article[art])
        views.append(View(f"article/{file_name(art)}", G.nodes[art].get("label", art), "article", sub, focus=art))
    for kind, section in EGO_SECTIONS.items():
        members = (n for n, k in G.nodes(data="kind") if k == kind)
        for n in sorted(members, key=lambda n: (G.nodes[n]["label"], n)):
            near, hubs = ego(G, n)
            note = "未展开的枢纽（连接过多）：" + "、".join(G.nodes[h]["label"] for h in hubs) if hubs else ""
            views.append(View(f"{section}/{file_name(n)}", f"{G.nodes[n]['label']} · 两跳关系", section,
                              _restrict(G, near, index), n, note))
    return views


def _neighbours(G: nx.MultiDiGraph, n: str) -> set[str]:
    return set(G.pred[n]) | set(G.succ[n])


def ego(G: nx.MultiDiGraph, center: str, hub: int = EGO_HUB_DEGREE) -> tuple[set[str], list[str]]:
    """The nodes within two hops of `center` (edges either way), and the hubs not gone through.

    The second hop does not go through a neighbour with more than `hub` links (a city, a big
    event): it is shown, but its own neighbours are not, or one ego view would hold most of
    the graph.
    """
    first = _neighbours(G, center)
    nodes = {center} | first
    hubs = sorted((m for m in first if G.degree(m) > hub), key=lambda m: (-G.degree(m), m))
    for m in first.difference(hubs):
        nodes |= _neighbours(G, m)
    return nodes, hubs


def _restrict(G: nx.MultiDiGraph, nodes: Iterable[str], index: dict[str, int],
              edges: set[tuple[str, str, str]] | None = None) -> nx.MultiDiGraph:
    """The subgraph on `nodes` (with only `edges`, if given), nodes and edges in G's order."""
    keep = sorted(set(nodes), key=index.__getitem__)
    inside = set(keep)
    H = nx.MultiDiGraph()
    H.add_nodes_from((n, G.nodes[n]) for n in keep)
    for u in keep:
        for v, keyed in G.adj[u].items():
            if v in inside:
                H.add_edges_from((u, v, k, d) for k, d in keyed.items()
                                 if edges is None or (u, v, k) in edges)
    return H
