"""Positions for graphs too large for vis-network's in-browser physics.

networkx has no layout that fits here: `spring_layout` needs SciPy from 500 nodes on and is
O(n²) per iteration either way (≈ 25 s for 5,000 nodes), `forceatlas2_layout` and
`arf_layout` build n×n arrays. So this module does what large-graph tools do, in numpy:

1. Pivot MDS (Brandes & Pich 2006) for the global shape: breadth-first distances from
   up to 40 far-apart pivots, double-centred, projected on their two main axes.
2. Fruchterman–Reingold refinement with the grid variant of the repulsion (only nodes in
   neighbouring cells of side 2k push each other), so an iteration costs O(n + m).

Components are laid out one by one and packed on shelves, largest first; isolated nodes
go on a grid below. Everything is seeded, so the same graph gets the same positions.
"""
from __future__ import annotations

import math

import networkx as nx
import numpy as np

K = 1.0  # ideal edge length in layout units


def positions(G: nx.Graph | nx.MultiDiGraph, unit: float = 60.0) -> dict[str, tuple[float, float]]:
    """Pixel positions for every node of G (edges taken as undirected), rounded to 0.1.

    >>> pos = positions(nx.path_graph(["a", "b", "c"]))
    >>> sorted(pos) == ["a", "b", "c"] and len(set(pos.values())) == 3
    True
    """
    U = nx.Graph(G.to_undirected(as_view=True)) if G.is_directed() else nx.Graph(G)
    comps = sorted((sorted(c, key=str) for c in nx.connected_components(U)),
                   key=lambda c: (-len(c), str(c[0])))
    width = unit * math.sqrt(max(len(U), 1)) * 2.0
    out: dict[str, tuple[float, float]] = {}
    x = y = shelf = 0.0
    singles = []
    for comp in comps:
        if len(comp) == 1:
            singles.append(comp[0])
            continue
        xy = component(U.subgraph(comp), comp) * unit
        xy -= xy.min(axis=0)
        w, h = xy.max(axis=0)
        if x and x + w > width:
            x, y, shelf = 0.0, y + shelf + unit, 0.0
        for n, (px, py) in zip(comp, xy, strict=True):
            out[n] = (x + px, y + py)
        x, shelf = x + w + unit, max(shelf, h)
    y += shelf + unit if out else 0.0
    cols = max(1, int(width // unit))
    for i, n in enumerate(singles):
        out[n] = ((i % cols) * unit, y + (i // cols) * unit)
    return {n: (round(float(px), 1), round(float(py), 1)) for n, (px, py) in out.items()}


def component(U: nx.Graph, order: list) -> np.ndarray:
    """Layout of one connected component: an array of (x, y) in units of K, rows in `order`."""
    n = len(order)
    if n <= 2:
        return np.array([[float(i) * K, 0.0] for i in range(n)])
    index = {v: i for i, v in enumerate(order)}
    edges = np.array([(index[u], index[v]) for u, v in U.edges() if u != v], dtype=np.int64).reshape(-1, 2)
    rng = np.random.default_rng(7)
    pos = pivot_mds(edges, n, rng)
    pos += rng.normal(scale=0.05 * K, size=pos.shape)  # separate nodes with equal distances
    pos = refine(pos, edges, rng, iterations=40 if n > 1000 else 50)  # pivot MDS has the shape already
    lengths = np.sqrt(((pos[edges[:, 0]] - pos[edges[:, 1]]) ** 2).sum(axis=1)) if len(edges) else [K]
    return pos * (2 * K / max(float(np.median(lengths)), 1e-9))  # median edge: 2K


def pivot_mds(edges: np.ndarray, n: int, rng: np.random.Generator, pivots: int = 40) -> np.ndarray:
    """Initial positions from graph distances to far-apart pivots, scaled so edges are ~K long."""
    src = np.concatenate([edges[:, 0], edges[:, 1]])
    dst = np.concatenate([edges[:, 1], edges[:, 0]])
    order = np.argsort(src, kind="stable")
    indptr = np.concatenate([[0], np.cumsum(np.bincount(src, minlength=n))])
    indices = dst[order]
    k = min(pivots, n)
    dist = np.empty((n, k))
    far = np.full(n, np.inf)
    p = int(rng.integers(n))
    for j in range(k):
        dist[:, j] = _bfs(indptr, indices, p, n)
        far = np.minimum(far, dist[:, j])
        p = int(np.argmax(far))
    d2 = dist**2
    c = d2 - d2.mean(axis=0) - d2.mean(axis=1, keepdims=True) + d2.mean()
    u, s, _ = np.linalg.svd(-0.5 * c, full_matrices=False)
    pos = u[:, :2] * s[:2]
    spread = np.sqrt((pos**2).sum(axis=1)).max()
    return pos / max(spread, 1e-9) * math.sqrt(n) * K * 0.9


def _bfs(indptr: np.ndarray, indices: np.ndarray, source: int, n: int) -> np.ndarray:
    """Hop distances from `source` in a connected graph given in CSR form."""
    dist = np.full(n, -1.0)
    dist[source] = 0
    frontier = np.array([source])
    level = 0
    while frontier.size:
        level += 1
        starts, counts = indptr[frontier], indptr[frontier + 1] - indptr[frontier]
        offset = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        nb = indices[np.repeat(starts, counts) + offset]
        nb = np.unique(nb[dist[nb] < 0])
        dist[nb] = level
        frontier = nb
    return dist


def refine(pos: np.ndarray, edges: np.ndarray, rng: np.random.Generator, iterations: int = 60) -> np.ndarray:
    """Fruchterman–Reingold with linear cooling; repulsion from a density grid (far) plus pairs (near)."""
    n = len(pos)
    temp = math.sqrt(n) * K * 0.1
    grid = int(min(192, max(16, 2 * math.sqrt(n))))
    for t in np.linspace(temp, 0.02 * K, iterations):
        disp, h = _grid_repulsion(pos, grid)
        near = max(K, h)  # the grid cannot see inside its cells: pairs closer than a cell push directly
        i, j = _near_pairs(pos, near)
        if len(i) <= 60 * n:  # skip the near term while nodes are still piled up
            d = pos[i] - pos[j]
            dist2 = np.maximum((d**2).sum(axis=1), 1e-4)
            keep = dist2 < near**2
            f = d[keep] * (K**2 / dist2[keep])[:, None]
            for dim in (0, 1):
                disp[:, dim] += np.bincount(i[keep], weights=f[:, dim], minlength=n)
        if len(edges):
            a, b = edges[:, 0], edges[:, 1]
            d = pos[a] - pos[b]
            f = d * (np.sqrt((d**2).sum(axis=1)) / K)[:, None]
            for dim in (0, 1):
                disp[:, dim] -= np.bincount(a, weights=f[:, dim], minlength=n)
                disp[:, dim] += np.bincount(b, weights=f[:, dim], minlength=n)
        length = np.maximum(np.sqrt((disp**2).sum(axis=1)), 1e-9)
        pos = pos + disp * (np.minimum(length, t) / length)[:, None]
    return pos


def _grid_repulsion(pos: np.ndarray, size: int) -> tuple[np.ndarray, float]:
    """FR repulsion K²/d from all nodes, through counts on a grid convolved by FFT (particle-mesh)."""
    lo = pos.min(axis=0)
    h = max(float((pos.max(axis=0) - lo).max()), K) / (size - 1)
    cell = np.minimum(np.floor((pos - lo) / h).astype(np.int64), size - 1)
    rho = np.bincount(cell[:, 0] * size + cell[:, 1], minlength=size * size).reshape(size, size)
    kx, ky = _kernel(size)
    shape = (2 * size, 2 * size)
    f_rho = np.fft.rfft2(rho, shape)
    scale = K**2 / h
    fx = np.fft.irfft2(f_rho * kx, shape)[:size, :size] * scale
    fy = np.fft.irfft2(f_rho * ky, shape)[:size, :size] * scale
    return np.stack([fx[cell[:, 0], cell[:, 1]], fy[cell[:, 0], cell[:, 1]]], axis=1), h


_KERNELS: dict[int, tuple[np.ndarray, np.ndarray]] = {}


def _kernel(size: int) -> tuple[np.ndarray, np.ndarray]:
    """FFT of the unit repulsion field (dx, dy) / (dx² + dy²) on a (2·size)² wrapped grid."""
    if size not in _KERNELS:
        r = np.fft.fftfreq(2 * size, 1 / (2 * size))  # 0, 1, …, size-1, -size, …, -1
        dx, dy = np.meshgrid(r, r, indexing="ij")
        d2 = dx**2 + dy**2
        d2[0, 0] = np.inf
        shape = (2 * size, 2 * size)
        _KERNELS[size] = (np.fft.rfft2(dx / d2, shape), np.fft.rfft2(dy / d2, shape))
    return _KERNELS[size]


def _near_pairs(pos: np.ndarray, cell: float) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (i, j), i != j, of nodes in the same or adjacent grid cells."""
    n = len(pos)
    c = np.floor((pos - pos.min(axis=0)) / cell).astype(np.int64)
    width = int(c[:, 1].max()) + 3
    key = (c[:, 0] + 1) * width + (c[:, 1] + 1)
    order = np.argsort(key, kind="stable")
    skey = key[order]
    out_i, out_j = [], []
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            target = key + dx * width + dy
            lo = np.searchsorted(skey, target, "left")
            hi = np.searchsorted(skey, target, "right")
            counts = hi - lo
            total = int(counts.sum())
            if not total:
                continue
            i = np.repeat(np.arange(n), counts)
            offset = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
            j = order[np.repeat(lo, counts) + offset]
            mask = i != j
            out_i.append(i[mask])
            out_j.append(j[mask])
    if not out_i:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    return np.concatenate(out_i), np.concatenate(out_j)
