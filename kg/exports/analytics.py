"""Network measures of the projected graph, computed once and shared by every export and the notebook.

`measure(G)` takes the `network.project` graph and returns, per node, its `degree` (links in
the MultiDiGraph, parallel edges counted, as the views size their nodes), its `centrality`
(betweenness on the undirected simple graph: how often a node lies on the shortest path
between two others, normalised to 0..1) and its `community` (Louvain modularity communities,
numbered by size, 0 the largest). `annotate(G)` returns a copy with those three attributes set.

Deterministic by construction: the graph is relabelled to integers in the projection's sorted
node order before networkx sees it (Louvain and betweenness iterate sets, and sets of integers,
unlike sets of strings, iterate in the same order whatever PYTHONHASHSEED is), Louvain gets a
fixed seed, and centralities are rounded to 6 decimals so the last bits of a float sum never
change an exported byte.

Betweenness is exact up to `EXACT_LIMIT` nodes (about 1 s at 1,000 nodes on one core); above
that it is estimated from pivot nodes drawn with the same fixed seed, as many as fit
`SAMPLE_BUDGET` (pivots × (nodes + edges)) within 50..`SAMPLES`: 500 pivots at 2,000 nodes
(2 s), 100 at 10,000 nodes and 20,000 links (4 s, where 500 would take 17 s). Estimates rank the
most central nodes well and small values roughly; `G.graph["centrality"]` says which was used.
"""
from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

SEED = 20230604
"""Seed of Louvain and of the betweenness pivots: any fixed number gives a reproducible result."""

EXACT_LIMIT = 1000
"""Largest graph (in nodes) whose betweenness is computed exactly."""

SAMPLES = 500
"""Most pivot nodes for the estimated betweenness of larger graphs."""

SAMPLE_BUDGET = 3_000_000
"""Pivots × (nodes + edges) spent on an estimated betweenness (at least 50 pivots)."""

DIGITS = 6


@dataclass(frozen=True, slots=True)
class Measures:
    """Per-node measures of one graph; `method` says how the centrality was computed."""

    degree: dict[str, int]
    centrality: dict[str, float]
    community: dict[str, int]
    method: str


def undirected(G: nx.MultiDiGraph) -> nx.Graph:
    """The simple undirected graph of `G`, on integer nodes in G's order; `weight` counts parallel links.

    >>> G = nx.MultiDiGraph([("a", "b"), ("b", "a"), ("b", "c")])
    >>> sorted(undirected(G).edges(data="weight"))
    [(0, 1, 2), (1, 2, 1)]
    """
    index = {n: i for i, n in enumerate(G)}
    U = nx.Graph()
    U.add_nodes_from(range(len(index)))
    for u, v in G.edges():
        if u == v:
            continue
        a, b = sorted((index[u], index[v]))
        if U.has_edge(a, b):
            U[a][b]["weight"] += 1
        else:
            U.add_edge(a, b, weight=1)
    return U


def communities(U: nx.Graph, seed: int = SEED) -> list[int]:
    """Louvain community of each integer node of `U`, numbered by size (0 the largest), then by first node.

    >>> communities(nx.Graph([(0, 1), (1, 2), (0, 2), (3, 4)]))
    [0, 0, 0, 1, 1]
    """
    found = nx.community.louvain_communities(U, weight="weight", seed=seed) if len(U) else []
    ordered = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
    of = [0] * len(U)
    for number, members in enumerate(ordered):
        for n in members:
            of[n] = number
    return of


def betweenness(U: nx.Graph, seed: int = SEED) -> tuple[list[float], str]:
    """Normalised betweenness of each integer node of `U` (unweighted paths), and how it was computed."""
    if len(U) <= EXACT_LIMIT:
        values, method = nx.betweenness_centrality(U, normalized=True), "betweenness (exact)"
    else:
        k = min(SAMPLES, len(U), max(50, SAMPLE_BUDGET // (len(U) + U.number_of_edges())))
        values = nx.betweenness_centrality(U, k=k, normalized=True, seed=seed)
        method = f"betweenness (estimated from {k} pivots, seed {seed})"
    return [round(values[n], DIGITS) + 0.0 for n in range(len(U))], method


def measure(G: nx.MultiDiGraph) -> Measures:
    """Degree, betweenness centrality and Louvain community of every node of a projected graph."""
    nodes = list(G)
    U = undirected(G)
    central, method = betweenness(U)
    community = communities(U)
    return Measures(
        degree={n: int(G.degree(n)) for n in nodes},
        centrality=dict(zip(nodes, central, strict=True)),
        community=dict(zip(nodes, community, strict=True)),
        method=method,
    )


def annotate(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of `G` whose nodes carry `degree`, `centrality` and `community`.

    Returns `G` itself when it is already annotated (`G.graph["centrality"]` is set), so the
    measures are computed once however many exports read the graph.
    """
    if "centrality" in G.graph:
        return G
    m = measure(G)
    H = G.copy()
    for n, d in H.nodes(data=True):
        d.update(degree=m.degree[n], centrality=m.centrality[n], community=m.community[n])
    H.graph["centrality"] = m.method
    H.graph["community"] = f"louvain (networkx, seed {SEED})"
    return H


def ranking(G: nx.MultiDiGraph, kind: str | None = "Person", *, officials: bool = False) -> list[tuple[str, dict]]:
    """Nodes of one class (all when `kind` is None) by centrality, then degree, then label.

    With `officials`, only persons holding a post. `G` is annotated first if need be.
    """
    H = annotate(G)
    rows = [(n, d) for n, d in H.nodes(data=True)
            if (kind is None or d.get("kind") == kind) and (not officials or d.get("posts"))]
    return sorted(rows, key=lambda r: (-r[1]["centrality"], -r[1]["degree"], r[1].get("label", ""), r[0]))
