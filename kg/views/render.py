"""Render one view as an HTML page drawn by vis-network: its nodes, edges, tooltips, legend and filters.

Why not pyvis: pyvis only wraps vis-network in a Jinja page, and its traps cost more than
that saves (docs TRAPS.md): `add_node`/`add_edge` are quadratic, every page either inlines
470 kB of vis-network or fetches it (and Bootstrap) from a CDN, the heading is inserted as raw
HTML and titles become raw HTML once one contains "href", `write_html` uses the locale
encoding, and `from_nx` mutates its input. So the pages are a small template
(`kg/views/static/views-page.html`) plus a shared script (`kg/views/static/views.js`); pyvis is
used only for what it does well, shipping a vis-network build, which `gallery.write_lib` copies
from the installed pyvis package into `views/lib/` once.

Safety: each page embeds its graph as JSON in a `<script type="application/json">` block
with `<`, `>` and `&` written as `\\u003c`, `\\u003e`, `\\u0026` (so no `</script>` can end
it); the script puts article text into the DOM only with `textContent`, and tooltips are plain
strings, which vis-network 9 sets with `innerText` (its 9.0 XSS fix; the shipped build is
9.1.2); the template's own HTML is escaped with `html.escape`; and a Content-Security-Policy
allows only the scripts in `lib/`, no inline code and no network access.

Layout: graphs of up to `PHYSICS_LIMIT` nodes are laid out in the browser by vis-network's
ForceAtlas2 physics, which stops once stabilised; larger graphs get positions from
`kg.views.layout` (pivot MDS + grid Fruchterman–Reingold in numpy) and physics off. Once physics
has stopped, `views.js` pushes apart the nodes whose boxes (shape and label) overlap, so no label
covers another or a node (0.8 s at 500 nodes). Measured in headless Chromium
(bench/views_bench.py): physics takes 1.6 s to settle at 500 nodes, 3.5 s at 1,000, 9 s at
2,000 and over 20 s at 5,000; with positions precomputed every size is drawn in under 2 s.
"""
from __future__ import annotations

import html
import json
import math
import posixpath
from collections import Counter, defaultdict
from dataclasses import dataclass
from importlib import resources
from string import Template
from urllib.parse import quote

import networkx as nx

from kg.graph import network
from kg.graph.vocab import CID
from kg.views import layout
from kg.views.plan import View, page_of

PHYSICS_LIMIT = 500
"""Largest view laid out by physics in the browser; larger ones get positions from `kg.views.layout`."""

SHORT = 12
"""Node labels longer than this are cut on the canvas (the tooltip and search keep them whole)."""

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; base-uri 'none'; form-action 'none'")


@dataclass(frozen=True, slots=True)
class Style:
    """How one class is drawn: Chinese name, fill colour, vis-network shape."""

    name: str
    color: str
    shape: str


STYLES = {
    "Person": Style("人物", "#e15759", "dot"),
    "Organization": Style("机构", "#4e79a7", "square"),
    "Place": Style("地点", "#59a14f", "triangle"),
    "Event": Style("活动", "#f28e2b", "diamond"),
    "Agreement": Style("协议", "#b07aa1", "star"),
    "Article": Style("文章", "#8c8c8c", "hexagon"),
    "Post": Style("职务", "#76b7b2", "triangleDown"),
    "Thing": Style("其他", "#bab0ac", "dot"),
}


def node_tip(d: dict) -> str:
    """The plain-text tooltip of a node: type, posts, adcode and the like.

    >>> print(node_tip({"kind": "Place", "label": "石峰区", "adcode": "430204", "articles": "a;b"}))
    石峰区
    类型：地点
    行政区划代码：430204
    见于 2 篇文章
    """
    lines = [d.get("label", ""), f"类型：{STYLES.get(d.get('kind', ''), STYLES['Thing']).name}"]
    for key, name in (("posts", "职务"), ("adcode", "行政区划代码"), ("heldOn", "日期"), ("amount", "金额"),
                      ("published", "发表"), ("aliases", "别名")):
        if d.get(key):
            lines.append(f"{name}：{d[key].replace(';', '；')}")
    n = len([a for a in d.get("articles", "").split(";") if a])
    if n and d.get("kind") != "Article":
        lines.append(f"见于 {n} 篇文章")
    return "\n".join(lines)


def edge_tip(G: nx.MultiDiGraph, u: str, v: str, d: dict) -> str:
    """The plain-text tooltip of an edge: the statement, its evidence sentence, headline and date."""
    verb = d.get("verb", d.get("relation", ""))
    lines = [f"{G.nodes[u].get('label', u)} —{verb}→ {G.nodes[v].get('label', v)}"]
    if d.get("role"):
        lines.append(f"角色：{d['role'].replace(';', '；')}")
    if d.get("evidence"):
        more = d.get("evidence_count", 1) - 1
        lines.append(f"“{d['evidence']}”" + (f"（另有 {more} 句）" if more > 0 else ""))
    source = [f"《{d['headline']}》" if d.get("headline") else "", d.get("date", "")]
    if any(source):
        lines.append("——" + " ".join(x for x in source if x))
    return "\n".join(lines)


def _curves(edges: list[tuple[str, str]]) -> list[float]:
    """Roundness per edge so that parallel edges between two nodes fan out (0 = straight)."""
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, (u, v) in enumerate(edges):
        groups[(min(u, v), max(u, v))].append(i)
    out = [0.0] * len(edges)
    for (a, _), idx in groups.items():
        if len(idx) == 1:
            continue
        for rank, i in enumerate(idx):
            mag = 0.2 * ((rank + 1) // 2) + (0.0 if rank == 0 else 0.05)
            sign = 1 if rank % 2 else -1
            flip = 1 if edges[i][0] == a else -1
            out[i] = round(sign * flip * mag, 2) if rank else 0.0
    return out


def _json(data: object) -> str:
    """JSON safe to embed in a <script> element: no `<`, `>` or `&` and no JS line separators."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                    ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def template(name: str) -> Template:
    return Template(resources.files("kg.views").joinpath("static", name).read_text(encoding="utf-8"))


def _timeline(H: nx.MultiDiGraph, person: str) -> list[dict[str, str]]:
    """An official's statements by date (events, inspections, posts): the day each is of (its
    sentence's, else the article's), the verb and what it links to."""
    rows = {(d.get("day") or d.get("date") or "", d.get("verb", ""), H.nodes[v].get("label", v))
            for _, v, d in H.out_edges(person, data=True)}
    return [{"day": day, "verb": verb, "what": what} for day, verb, what in sorted(rows)]


def page_data(view: View, G: nx.MultiDiGraph | None = None, *, physics_limit: int = PHYSICS_LIMIT) -> dict:
    """The JSON a page draws: nodes, edges, legend and filter entries, the dates of its dated nodes, physics.

    `G` is the whole graph, used to link nodes to their own views.
    """
    H = view.graph
    here = posixpath.dirname(view.path) or "."
    ids = {n: i for i, n in enumerate(H.nodes)}
    degree = dict(H.degree())
    physics = len(H) <= physics_limit
    pos = {} if physics else layout.positions(H)
    nodes = []
    for n, d in H.nodes(data=True):
        item = {"id": ids[n], "label": d.get("label", n), "kind": d.get("kind", "Thing"),
                "size": round(7 + 4 * math.sqrt(degree[n]), 1) + (8 if n == view.focus else 0),
                "tip": node_tip(d)}
        if len(item["label"]) > SHORT:
            item["short"] = item["label"][: SHORT - 1] + "…"
        for key in ("aliases", "posts"):
            if d.get(key):
                item[key] = d[key]
        day = d.get("heldOn") or d.get("published")
        if day:
            item["date"] = min(day.split(";"))
        if str(n).startswith(str(CID)):  # its item page where `kg serve` serves the views
            item["item"] = "/id/" + quote(str(n)[len(str(CID)):], safe="/")
        target = page_of(G if G is not None else H, n) if n in (G if G is not None else H) else None
        if target and target != view.path:
            item["href"] = quote(posixpath.relpath(target, here))
        if n in pos:
            item["x"], item["y"] = pos[n]
        nodes.append(item)
    pairs = [(u, v) for u, v in H.edges()]
    curves = _curves(pairs)
    edges = []
    for i, ((u, v, d), curve) in enumerate(zip(H.edges(data=True), curves, strict=True)):
        item = {"id": i, "from": ids[u], "to": ids[v], "relation": d.get("relation", ""),
                "label": d.get("verb", ""), "tip": edge_tip(H, u, v, d)}
        if curve:
            item["curve"] = curve
        edges.append(item)
    dates = sorted({n["date"] for n in nodes if "date" in n})
    timeline = _timeline(H, view.focus) if view.focus in H and H.nodes[view.focus].get("kind") == "Person" else []
    kinds = Counter(d.get("kind", "Thing") for _, d in H.nodes(data=True))
    rels = Counter(d.get("relation", "") for _, _, d in H.edges(data=True))
    verbs = {rel: network.VERBS.get(rel, rel) for rel in rels}
    return {
        "title": view.title,
        "physics": physics,
        "large": not physics,
        "iterations": 600 if len(H) <= 100 else 300,
        "focus": ids.get(view.focus) if view.focus else None,
        "note": view.note,
        "dates": dates,
        "timeline": timeline,
        "kinds": [{"kind": k, "name": s.name, "color": s.color, "border": _darker(s.color), "shape": s.shape,
                   "count": kinds[k]} for k, s in STYLES.items() if kinds[k]],
        "relations": [{"relation": r, "verb": verbs[r], "count": rels[r]}
                      for r in sorted(rels, key=lambda r: (list(network.VERBS).index(r)
                                                           if r in network.VERBS else 99, r))],
        "nodes": nodes,
        "edges": edges,
    }


def _darker(color: str) -> str:
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(int(c * 0.7) for c in (r, g, b)))


def render(view: View, G: nx.MultiDiGraph | None = None, *, physics_limit: int = PHYSICS_LIMIT) -> str:
    """The HTML page of one view (it loads `lib/` relative to its own path)."""
    here = posixpath.dirname(view.path) or "."
    H = view.graph
    return template("views-page.html").substitute(
        csp=CSP,
        title=html.escape(view.title),
        lib=html.escape(posixpath.relpath("lib", here)),
        index=html.escape(quote(posixpath.relpath("index.html", here))),
        counts=f"{H.number_of_nodes()} 个节点 · {H.number_of_edges()} 条边",
        data=_json(page_data(view, G, physics_limit=physics_limit)),
    )
