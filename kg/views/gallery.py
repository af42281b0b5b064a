"""Interactive network views for editors: static HTML pages drawn by vis-network.

`write_all(ds_or_graph, out_dir)` writes `out_dir/views/`: `index.html` (a gallery of every
view with its node and edge counts), `whole.html`, one page per article (`article/`), a
two-hop ego page per person (`person/`) and organisation (`org/`; the second hop does not go
through hubs with more than `EGO_HUB_DEGREE` links), one page per relation
family (`family/`), and `lib/` holding vis-network and the pages' own JS and CSS once.

Why not pyvis: pyvis only wraps vis-network in a Jinja page, and its traps cost more than
that saves (docs TRAPS.md): `add_node`/`add_edge` are quadratic, every page either inlines
470 kB of vis-network or fetches it (and Bootstrap) from a CDN, the heading is inserted as raw
HTML and titles become raw HTML once one contains "href", `write_html` uses the locale
encoding, and `from_nx` mutates its input. So the pages are a small template
(`kg/static/views-page.html`) plus a shared script (`kg/static/views.js`); pyvis is used only for
what it does well, shipping a vis-network build, which `write_lib` copies from the installed
pyvis package into `views/lib/` once.

Safety: each page embeds its graph as JSON in a `<script type="application/json">` block
with `<`, `>` and `&` written as `\\u003c`, `\\u003e`, `\\u0026` (so no `</script>` can end
it); the script puts article text into the DOM only with `textContent`, and tooltips are plain
strings, which vis-network 9 sets with `innerText` (its 9.0 XSS fix; the shipped build is
9.1.2); the template's own HTML is escaped with `html.escape`; and a Content-Security-Policy
allows only the scripts in `lib/`, no inline code and no network access.

Layout: graphs of up to `PHYSICS_LIMIT` nodes are laid out in the browser by vis-network's
ForceAtlas2 physics, which stops once stabilised; larger graphs get positions from
`kg.layout` (pivot MDS + grid Fruchterman–Reingold in numpy) and physics off. Measured in
headless Chromium (bench/views_bench.py): physics takes 1.6 s to settle at 500 nodes, 3.5 s
at 1,000, 9 s at 2,000 and over 20 s at 5,000; with positions precomputed every size is drawn
in under 2 s.
"""
from __future__ import annotations

import html
import json
import math
import os
import posixpath
import re
import shutil
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from hashlib import sha1
from importlib import resources
from pathlib import Path
from string import Template
from urllib.parse import quote, unquote

import networkx as nx
from rdflib import Graph

from kg.graph import network
from kg.views import layout

EGO_HUB_DEGREE = 30
"""An ego view's second hop does not go through neighbours with more links than this."""

PHYSICS_LIMIT = 500
"""Largest view laid out by physics in the browser; larger ones get positions from `kg.layout`."""

SHORT = 14
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
    "Thing": Style("其他", "#bab0ac", "dot"),
}


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

SECTIONS = {"whole": "全图", "family": "关系族", "article": "文章", "person": "人物", "org": "机构"}


@dataclass(frozen=True, slots=True)
class ViewInfo:
    """One written view: its path under `views/`, title, section and size."""

    path: str
    title: str
    section: str
    nodes: int
    edges: int


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
        return ViewInfo(self.path, self.title, self.section, self.graph.number_of_nodes(),
                        self.graph.number_of_edges())


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


def _ego_dir(kind: str) -> str | None:
    return {"Person": "person", "Organization": "org", "Article": "article"}.get(kind)


def page_of(G: nx.MultiDiGraph, node: str) -> str | None:
    """The path under `views/` of a node's own view (persons, organisations, articles)."""
    folder = _ego_dir(G.nodes[node].get("kind", ""))
    return f"{folder}/{file_name(node)}" if folder else None


def plan(G: nx.MultiDiGraph) -> list[View]:
    """Every view of a projected graph, in gallery order."""
    index = {n: i for i, n in enumerate(G)}
    views = [View("whole.html", "全图", "whole", G)]
    for fam in FAMILIES:
        keep = {(u, v, k) for u, v, k, rel in G.edges(keys=True, data="relation") if rel in fam.relations}
        nodes = {n for u, v, _ in keep for n in (u, v)}
        if "holdsPost" in fam.relations:
            nodes |= {n for n, posts in G.nodes(data="posts") if posts}
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
    for kind, section in (("Person", "person"), ("Organization", "org")):
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


def _template(name: str) -> Template:
    return Template(resources.files("kg.views").joinpath("static", name).read_text(encoding="utf-8"))


def page_data(view: View, G: nx.MultiDiGraph | None = None, *, physics_limit: int = PHYSICS_LIMIT) -> dict:
    """The JSON a page draws: nodes, edges, legend and filter entries, physics settings.

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
                "size": round(10 + 5 * math.sqrt(degree[n]), 1) + (8 if n == view.focus else 0),
                "tip": node_tip(d)}
        if len(item["label"]) > SHORT:
            item["short"] = item["label"][: SHORT - 1] + "…"
        if d.get("aliases"):
            item["aliases"] = d["aliases"]
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
    return _template("views-page.html").substitute(
        csp=CSP,
        title=html.escape(view.title),
        lib=html.escape(posixpath.relpath("lib", here)),
        index=html.escape(quote(posixpath.relpath("index.html", here))),
        counts=f"{H.number_of_nodes()} 个节点 · {H.number_of_edges()} 条边",
        data=_json(page_data(view, G, physics_limit=physics_limit)),
    )


def render_index(infos: Iterable[ViewInfo], title: str = "civic-kg 关系网络视图") -> str:
    """The gallery page: every view with its node and edge counts, by section."""
    by_section: dict[str, list[ViewInfo]] = defaultdict(list)
    for info in infos:
        by_section[info.section].append(info)
    parts = []
    for section, name in SECTIONS.items():
        rows = by_section.get(section)
        if not rows:
            continue
        parts.append(f"<h2>{html.escape(name)}（{len(rows)}）</h2>\n<table>\n"
                     '<tr><th>视图</th><th class="n">节点</th><th class="n">边</th></tr>')
        parts.extend(f'<tr><td><a href="{html.escape(quote(i.path))}">{html.escape(i.title)}</a></td>'
                     f'<td class="n">{i.nodes}</td><td class="n">{i.edges}</td></tr>' for i in rows)
        parts.append("</table>")
    total = sum(len(v) for v in by_section.values())
    whole = by_section.get("whole")
    summary = f"全图 {whole[0].nodes} 个节点、{whole[0].edges} 条边；" if whole else ""
    summary += f"共 {total} 个视图。"
    return _template("views-index.html").substitute(
        csp=CSP, title=html.escape(title), summary=html.escape(summary), sections="\n".join(parts))


def generate_all(G: nx.MultiDiGraph, *, physics_limit: int = PHYSICS_LIMIT) -> Iterator[tuple[ViewInfo, str]]:
    """Every page of a projected graph as (info, HTML); the gallery comes last, path `index.html`."""
    infos = []
    for view in plan(G):
        infos.append(view.info)
        yield view.info, render(view, G, physics_limit=physics_limit)
    yield ViewInfo("index.html", "视图目录", "index", len(infos), 0), render_index(infos)


LIB_FILES = {"vis-network.min.js": ("pyvis", "templates/lib/vis-9.1.2/vis-network.min.js"),
             "vis-network.css": ("pyvis", "templates/lib/vis-9.1.2/vis-network.css"),
             "view.js": ("kg.views", "static/views.js"),
             "view.css": ("kg.views", "static/views.css")}


def write_lib(lib_dir: Path) -> None:
    """Copy vis-network (from the installed pyvis package) and the pages' JS/CSS into `lib_dir`."""
    lib_dir.mkdir(parents=True, exist_ok=True)
    for name, (package, path) in LIB_FILES.items():
        (lib_dir / name).write_bytes(resources.files(package).joinpath(path).read_bytes())


def write_all(source: Graph | nx.MultiDiGraph, out_dir: str | Path, *,
              physics_limit: int = PHYSICS_LIMIT) -> list[ViewInfo]:
    """Write every view of `source` (a Dataset or projected graph) to `out_dir/views/`.

    The pages go to a temporary folder first, which then replaces `views/` whole, so an
    earlier set of views is never left half-overwritten. Returns the views written (not the
    gallery), in gallery order.
    """
    G = source if isinstance(source, nx.MultiDiGraph) else network.project(source)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".views-", dir=out))
    infos = []
    try:
        write_lib(tmp / "lib")
        for info, page in generate_all(G, physics_limit=physics_limit):
            target = tmp / info.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page, encoding="utf-8")
            if info.path != "index.html":
                infos.append(info)
        tmp.chmod(0o755)
        final = out / "views"
        old = out / f".views-old-{os.getpid()}"
        if final.exists():
            final.rename(old)
        tmp.rename(final)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return infos


def write_from_trig(out_dir: str | Path) -> list[ViewInfo]:
    """Rebuild `out_dir/views/` from the `out_dir/civic.trig` of an earlier build."""
    return write_all(network.read(Path(out_dir) / "civic.trig"), out_dir)
