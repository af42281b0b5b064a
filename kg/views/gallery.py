"""Every view of a graph written to disk, with the gallery page that lists them.

`write_all(ds_or_graph, out_dir)` writes `out_dir/views/`: `index.html` (a gallery of every
view with its node and edge counts), the pages of every view `plan.plan` lists, and `lib/`
holding vis-network and the pages' own JS and CSS once.
"""
from __future__ import annotations

import html
import os
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path
from urllib.parse import quote

import networkx as nx
from rdflib import Graph

from kg.graph import network
from kg.views.plan import ViewInfo, plan
from kg.views.render import CSP, PHYSICS_LIMIT, render, template

SECTIONS = {"whole": "全图", "family": "关系族", "article": "文章", "person": "人物", "org": "机构",
            "event": "活动", "agreement": "协议"}


def render_index(infos: Iterable[ViewInfo], title: str = "civic-kg 关系网络视图") -> str:
    """The gallery page: every view with its node and edge counts, by section, and a search box (lib/gallery.js)."""
    by_section: dict[str, list[ViewInfo]] = defaultdict(list)
    for info in infos:
        by_section[info.section].append(info)
    parts = []
    for section, name in SECTIONS.items():
        rows = by_section.get(section)
        if not rows:
            continue
        parts.append(f'<section data-section="{section}">\n<h2>{html.escape(name)}（{len(rows)}）</h2>\n<table>\n'
                     '<tr><th>视图</th><th class="n">节点</th><th class="n">边</th></tr>')
        parts.extend(f'<tr data-search="{html.escape(" ".join(filter(None, (i.title, i.keywords))))}">'
                     f'<td><a href="{html.escape(quote(i.path))}">{html.escape(i.title)}</a></td>'
                     f'<td class="n">{i.nodes}</td><td class="n">{i.edges}</td></tr>' for i in rows)
        parts.append("</table>\n</section>")
    total = sum(len(v) for v in by_section.values())
    whole = by_section.get("whole")
    summary = f"全图 {whole[0].nodes} 个节点、{whole[0].edges} 条边；" if whole else ""
    summary += f"共 {total} 个视图。"
    return template("views-index.html").substitute(
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
             "view.css": ("kg.views", "static/views.css"),
             "gallery.js": ("kg.views", "static/gallery.js")}


def write_lib(lib_dir: Path) -> None:
    """Copy vis-network (from the installed pyvis package) and the pages' JS/CSS into `lib_dir`."""
    lib_dir.mkdir(parents=True, exist_ok=True)
    for name, (package, path) in LIB_FILES.items():
        (lib_dir / name).write_bytes(resources.files(package).joinpath(path).read_bytes())


def write_all(source: Graph | nx.MultiDiGraph, out_dir: str | Path, *,
              physics_limit: int = PHYSICS_LIMIT) -> list[ViewInfo]:
    """Write every view of `source` (a Dataset, or its `network.project(ds, posts=True)`) to `out_dir/views/`.

    The pages go to a temporary folder first, which then replaces `views/` whole, so an
    earlier set of views is never left half-overwritten. Returns the views written (not the
    gallery), in gallery order.
    """
    G = source if isinstance(source, nx.MultiDiGraph) else network.project(source, posts=True)
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
