"""Make docs/view-whole.png and docs/view-ego.png from the real build, in headless Chromium.

Uses graphs/civic.trig when it exists (else builds raw/ into a temporary folder), writes the
views into a temporary folder, and shoots the whole graph and the two-hop view of the person
with the most links, that one with an edge's evidence tooltip open.

Usage: .venv/bin/python scripts/screenshots.py [--graph graphs] [--out docs]
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from kg.graph import network
from kg.views import gallery, plan

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
STABLE = "() => window.kgView && window.kgView.stable"
EDGE_NEAR_FOCUS = """() => {
    const net = window.kgView.network, data = window.kgView.data;
    const box = document.getElementById("net").getBoundingClientRect();
    const inside = p => p.x > 40 && p.y > 40 && p.x < box.width - 460 && p.y < box.height - 160;
    for (const e of data.edges) {
        if (e.curve || (e.from !== data.focus && e.to !== data.focus)) continue;
        const p = net.getPositions([e.from, e.to]);
        const dom = net.canvasToDOM({x: (p[e.from].x + p[e.to].x) / 2, y: (p[e.from].y + p[e.to].y) / 2});
        if (!inside(dom) || net.getNodeAt(dom) !== undefined || net.getEdgeAt(dom) !== e.id) continue;
        return {x: box.left + dom.x, y: box.top + dom.y};
    }
    return null;
}"""


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--graph", type=Path, default=ROOT / "graphs", help="build folder holding civic.trig")
    ap.add_argument("--out", type=Path, default=ROOT / "docs")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        trig = args.graph / "civic.trig"
        if not trig.exists():
            from kg import pipeline

            pipeline.build(ROOT / "raw", Path(tmp))
            trig = Path(tmp) / "civic.trig"
        G = network.project(network.read(trig), posts=True)  # as kg build draws them
        gallery.write_all(G, tmp)
        person = max((n for n, k in G.nodes(data="kind") if k == "Person"), key=lambda n: (G.degree(n), n))
        ego = Path(tmp) / "views" / plan.page_of(G, person)
        args.out.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900}, device_scale_factor=1)
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
            page.goto((Path(tmp) / "views" / "whole.html").as_uri())
            page.wait_for_function(STABLE)
            page.screenshot(path=args.out / "view-whole.png")
            page.goto(ego.as_uri())
            page.wait_for_function(STABLE)
            spot = page.evaluate(EDGE_NEAR_FOCUS)
            if spot:
                page.mouse.move(spot["x"] - 4, spot["y"] - 4)
                page.mouse.move(spot["x"], spot["y"], steps=3)
                page.locator("div.vis-tooltip").wait_for(state="visible")
            page.screenshot(path=args.out / "view-ego.png")
            browser.close()
    label = G.nodes[person]["label"]
    print(f"wrote {args.out / 'view-whole.png'} and {args.out / 'view-ego.png'} (ego: {label})")  # noqa: T201


if __name__ == "__main__":
    main()
