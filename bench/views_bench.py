"""Time the network views on synthetic graphs of 500, 2,000 and 5,000 nodes.

Prints, per size and layout mode: the time to build the whole-graph page (layout included),
its HTML size, and the browser's time from navigation to a stable drawing (physics stopped)
in headless Chromium. `physics` forces in-browser layout; `auto` is what `kg build` does
(physics up to render.PHYSICS_LIMIT nodes, precomputed positions above). Then, per size, the
time `gallery.write_all` takes for every view (whole, families, articles, egos).

Usage: .venv/bin/python bench/views_bench.py [--sizes 500 2000 5000] [--modes auto physics]
"""
from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import networkx as nx

from kg.graph import network
from kg.views import gallery, plan, render

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
SHARES = (("Person", 0.4, "person"), ("Organization", 0.2, "org"), ("Place", 0.08, "place"),
          ("Event", 0.27, "event"), ("Article", 0.05, "article"))
SENTENCE = ("6月3日,第22次“制造名城早餐会”举行,北京交通大学物流工程系主任等7位交通物流领域专家、"
            "企业家应邀与市领导共进早餐。")


def synthetic(n: int, seed: int = 1) -> nx.MultiDiGraph:
    """A graph shaped like civic-kg's: ~2 edges per node, hubs among places and events."""
    rng = random.Random(seed)
    by_kind: dict[str, list[str]] = {}
    G = nx.MultiDiGraph()
    for kind, share, path in SHARES:
        ids = [f"https://w3id.org/civic-kg/id/{path}/{kind}{i:05d}" for i in range(max(2, int(n * share)))]
        by_kind[kind] = ids
    articles = by_kind["Article"]
    for kind, ids in by_kind.items():
        for i, node in enumerate(ids):
            G.add_node(node, kind=kind, label=f"{render.STYLES[kind].name}{i}",
                       articles=rng.choice(articles))

    def link(u: str, v: str, rel: str) -> None:
        art = rng.choice(articles)
        G.add_edge(u, v, key=f"{rel} {art}", relation=rel, verb=network.VERBS[rel], article=art,
                   headline="优化交通物流结构 助推降本增效", date="2023-06-04", evidence=SENTENCE,
                   evidence_count=1)

    def pick(kind: str) -> str:  # preferential: low indices are hubs
        ids = by_kind[kind]
        return ids[min(int(rng.paretovariate(1.2)) - 1, len(ids) - 1)] if rng.random() < 0.5 else rng.choice(ids)

    for p in by_kind["Person"]:
        for _ in range(rng.choice((1, 1, 2, 3))):
            link(p, pick("Event"), rng.choice(("attended", "attended", "presided")))
    for o in by_kind["Organization"]:
        link(o, pick("Event"), "organizes")
    for e in by_kind["Event"]:
        link(e, pick("Place"), "heldAt")
    for pl in by_kind["Place"][1:]:
        link(pl, by_kind["Place"][0], "partOf")
    for a in articles:
        link(a, rng.choice(by_kind["Person"]), "author")
    return G


def time_to_stable(page, url: str) -> float:
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_function("() => window.kgView && window.kgView.stable", timeout=600_000, polling=50)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 5000])
    ap.add_argument("--modes", nargs="+", default=["auto", "physics"],
                    choices=["auto", "physics", "layout"])
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    limits = {"auto": render.PHYSICS_LIMIT, "physics": 10**9, "layout": 0}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        out = Path(tmp)
        gallery.write_lib(out / "lib")
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        for n in args.sizes:
            G = synthetic(n)
            for mode in args.modes:
                t0 = time.perf_counter()
                text = render.render(plan.View("whole.html", "bench", "whole", G), physics_limit=limits[mode])
                build = time.perf_counter() - t0
                path = out / f"bench-{n}-{mode}.html"
                path.write_text(text, encoding="utf-8")
                stable = time_to_stable(page, path.as_uri())
                rendered = page.evaluate("window.kgView.rendered()")
                print(f"{len(G):>6} nodes {G.number_of_edges():>6} edges  {mode:<8} build {build:6.2f} s  "
                      f"html {len(text.encode()) / 1e6:6.2f} MB  browser stable {stable:6.2f} s  "
                      f"(drawn {rendered['nodes']}/{rendered['edges']})", flush=True)
        browser.close()
        lib = sum((out / "lib" / f).stat().st_size for f in gallery.LIB_FILES)
        for n in args.sizes:
            G = synthetic(n)
            t0 = time.perf_counter()
            infos = gallery.write_all(G, out / f"all-{n}")
            took = time.perf_counter() - t0
            size = sum(p.stat().st_size for p in (out / f"all-{n}" / "views").rglob("*.html"))
            print(f"{len(G):>6} nodes  write_all: {len(infos) + 1} pages in {took:5.1f} s, "
                  f"{size / 1e6:.1f} MB of HTML")
    print(f"lib/ (vis-network + view.js/css, shipped once beside the pages): {lib / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
