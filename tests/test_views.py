"""views: the HTML network pages, checked on disk and in headless Chromium (Debian's package)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import networkx as nx
import pytest
from click.testing import CliRunner
from views_support import DATA, launch, real_build

from kg.cli import main as cli
from kg.graph import network
from kg.views import gallery, plan, render

STABLE = "() => window.kgView && window.kgView.stable"
LEAVES_MACHINE = re.compile(r"^(?!file:|https?://127\.0\.0\.1(?::\d+)?/)")
OUTSIDE_REF = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


@dataclass
class Site:
    """A written views/ folder and the graph it shows."""

    root: Path
    graph: nx.MultiDiGraph
    infos: list[plan.ViewInfo]

    def info(self, section: str) -> list[plan.ViewInfo]:
        return [i for i in self.infos if i.section == section]


def make_site(out: Path, target: Path) -> Site:
    """The views of the build in `out`: the ones `kg build` wrote, else written into `target`."""
    G = network.project(network.read(out / "civic.trig"), posts=True)
    if (out / "views" / "index.html").exists():
        return Site(out / "views", G, [v.info for v in plan.plan(G)])
    return Site(target / "views", G, gallery.write_all(G, target))


@pytest.fixture(scope="session")
def site(request, tmp_path_factory) -> Site:
    return make_site(real_build(request, tmp_path_factory), tmp_path_factory.mktemp("views"))


@pytest.fixture(scope="session")
def hostile_sites(tmp_path_factory) -> list[Site]:
    """Views of a raw page full of markup, built by the pipeline, and of a hand-written hostile graph."""
    from kg import pipeline

    built = tmp_path_factory.mktemp("hostile-build")
    report = pipeline.build(DATA / "hostile", built)
    assert not report.failed and (built / "civic.trig").exists()
    written = tmp_path_factory.mktemp("hostile-trig")
    G = network.project(network.read(DATA / "hostile.trig"), posts=True)
    return [make_site(built, built), Site(written / "views", G, gallery.write_all(G, written))]


# ── on disk ──────────────────────────────────────────────────────────────────────────────────


def test_every_view_is_written(site):
    G = site.graph
    kinds = nx.get_node_attributes(G, "kind")
    expected = {"whole.html", *(f"family/{f.slug}.html" for f in plan.FAMILIES)}
    expected |= {plan.page_of(G, n) for n, k in kinds.items() if k in ("Person", "Organization", "Event", "Agreement",
                                                                       "Article")}
    assert {i.path for i in site.infos} == expected
    for kind, section in plan.EGO_SECTIONS.items():
        assert len(site.info(section)) == sum(k == kind for k in kinds.values()) > 0, section
    for path in expected | {"index.html"}:
        assert (site.root / path).is_file(), path


def test_vis_network_ships_once_beside_the_pages(site):
    from importlib import resources

    shipped = resources.files("pyvis").joinpath("templates/lib/vis-9.1.2/vis-network.min.js").read_bytes()
    assert (site.root / "lib" / "vis-network.min.js").read_bytes() == shipped
    for page in site.root.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert len(text) < len(shipped) / 4, f"{page} inlines a library?"
        assert not OUTSIDE_REF.search(text), f"{page} refers outside"
        assert "Content-Security-Policy" in text
        if page.name != "index.html":
            depth = len(page.relative_to(site.root).parts) - 1
            assert f'src="{"../" * depth}lib/vis-network.min.js"' in text


def test_gallery_lists_every_view_with_counts(site):
    text = (site.root / "index.html").read_text(encoding="utf-8")
    row = r'<tr data-search="[^"]*"><td><a href="([^"]+)">.*?</a></td><td class="n">(\d+)</td><td class="n">(\d+)</td></tr>'
    rows = re.findall(row, text)
    from urllib.parse import unquote

    assert [(unquote(p), int(n), int(e)) for p, n, e in rows] == [(i.path, i.nodes, i.edges) for i in site.infos]
    whole = site.info("whole")[0]
    assert (whole.nodes, whole.edges) == (site.graph.number_of_nodes(), site.graph.number_of_edges())


def test_pages_are_byte_identical_across_builds(site, tmp_path):
    again = gallery.write_all(site.graph, tmp_path)
    assert again == site.infos
    for page in site.root.rglob("*"):
        if page.is_file():
            assert (tmp_path / "views" / page.relative_to(site.root)).read_bytes() == page.read_bytes(), page


def test_write_all_replaces_the_old_views(tmp_path):
    stale = tmp_path / "views" / "person" / "stale.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("old", encoding="utf-8")
    gallery.write_all(network.read(DATA / "civic-small.trig"), tmp_path)
    assert not stale.exists()
    assert (tmp_path / "views" / "index.html").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".views")]


def test_embedded_json_cannot_end_its_script():
    text = render._json({"a": "</script><!--<script>&\u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    import json

    assert json.loads(text) == {"a": "</script><!--<script>&\u2028"}


def test_large_views_get_positions_and_no_physics():
    G = nx.MultiDiGraph()
    for i in range(60):
        G.add_node(f"n{i}", kind="Person", label=f"人{i}")
        G.add_edge(f"n{i}", f"n{(i * 7) % 60}", key="attended", relation="attended", verb="出席")
    small = render.page_data(plan.View("whole.html", "t", "whole", G))
    large = render.page_data(plan.View("whole.html", "t", "whole", G), physics_limit=50)
    assert small["physics"] and not any("x" in n for n in small["nodes"])
    assert not large["physics"]
    points = {(n["x"], n["y"]) for n in large["nodes"]}
    assert len(points) == len(G)


def test_cli_view_rebuilds_views_from_the_trig(site, tmp_path):
    (tmp_path / "civic.trig").write_bytes((DATA / "civic-small.trig").read_bytes())
    result = CliRunner().invoke(cli, ["view", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "21 views" in result.output  # whole, 3 families, 3 articles, 5 persons, 5 orgs, 3 events, 1 agreement
    assert (tmp_path / "views" / "person" / "曹慧泉.html").exists()
    missing = CliRunner().invoke(cli, ["view", str(tmp_path / "nothing")])
    assert missing.exit_code == 1 and "run `kg build` first" in missing.output


# ── in the browser ───────────────────────────────────────────────────────────────────────────


@dataclass
class Visit:
    """One page opened in its own browser context, with what it logged and asked for."""

    page: object
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def check_clean(self) -> None:
        assert not self.errors, self.errors
        assert not self.blocked, f"left the machine: {self.blocked}"
        assert not self.dialogs, f"script ran: {self.dialogs}"
        assert all(urlparse(u).scheme == "file" or urlparse(u).hostname == "127.0.0.1" for u in self.requests)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = launch(pw)
        yield b
        b.close()


@pytest.fixture
def visit(browser):
    """Open a page in this test's browser context; later calls navigate the same tab."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    v = Visit(page=None)

    def block(r):
        v.blocked.append(r.request.url)
        r.abort()

    ctx.route(LEAVES_MACHINE, block)  # file:// and 127.0.0.1 pass untouched (routing them is slow)

    def open_page(path: Path, *, wait: bool = True) -> Visit:
        if v.page is None:
            page = ctx.new_page()
            page.on("console", lambda m: m.type == "error" and v.errors.append(m.text))
            page.on("pageerror", lambda e: v.errors.append(str(e)))
            page.on("request", lambda r: v.requests.append(r.url))
            page.on("dialog", lambda d: (v.dialogs.append(d.message), d.dismiss()))
            v.page = page
        v.page.goto(path.as_uri())
        if wait:
            v.page.wait_for_function(STABLE, timeout=30_000)
        return v

    yield open_page
    ctx.close()


def sample(site: Site) -> list[plan.ViewInfo]:
    """A few views of each section: whole, families, the largest article, person, org, event and agreement views."""
    picked = site.info("whole") + site.info("family")
    for section in ("article", *plan.EGO_SECTIONS.values()):
        picked += sorted(site.info(section), key=lambda i: -i.nodes)[:1]
    return picked


@pytest.mark.browser
def test_views_draw_every_node_and_edge_offline(site, visit):
    for info in sample(site):
        v = visit(site.root / info.path)
        assert v.page.evaluate("() => window.kgView.rendered()") == {"nodes": info.nodes, "edges": info.edges}, info
        assert v.page.locator("h1").text_content() == info.title
        v.check_clean()
    v = visit(site.root / "index.html", wait=False)
    assert v.page.locator("a").count() == len(site.infos)
    v.check_clean()
    v.page.goto("about:blank")  # the harness itself: a request to the outside is caught
    v.page.evaluate("() => fetch('https://cdn.example.org/vis.js').catch(() => null)")
    assert v.blocked == ["https://cdn.example.org/vis.js"]


@pytest.mark.browser
def test_physics_stops_once_stable(site, visit):
    v = visit(site.root / "whole.html")
    before = v.page.evaluate("() => JSON.stringify(window.kgView.network.getPositions())")
    v.page.wait_for_timeout(400)
    assert v.page.evaluate("() => JSON.stringify(window.kgView.network.getPositions())") == before
    assert v.page.evaluate("() => window.kgView.network.physics.options.enabled") is False


@pytest.mark.browser
def test_search_focuses_a_named_node(site, visit):
    G = site.graph
    person = max((n for n, k in G.nodes(data="kind") if k == "Person"), key=lambda n: (G.degree(n), n))
    label = G.nodes[person]["label"]
    v = visit(site.root / "whole.html")
    v.page.fill("#search", label)
    v.page.press("#search", "Enter")
    got = v.page.evaluate("""() => {
        const net = window.kgView.network, id = net.getSelectedNodes()[0];
        const p = net.getPositions([id])[id], c = net.getViewPosition();
        return {label: window.kgView.nodes.get(id).label, dx: Math.abs(p.x - c.x), dy: Math.abs(p.y - c.y),
                status: document.getElementById("status").textContent};
    }""")
    assert got["label"] == label
    assert got["dx"] < 1 and got["dy"] < 1
    assert label in got["status"]
    v.check_clean()


FIND_EDGE = """() => {
    const net = window.kgView.network, data = window.kgView.data;
    const box = document.getElementById("net").getBoundingClientRect();
    for (const e of data.edges) {
        if (e.curve) continue;
        const p = net.getPositions([e.from, e.to]);
        const dom = net.canvasToDOM({x: (p[e.from].x + p[e.to].x) / 2, y: (p[e.from].y + p[e.to].y) / 2});
        if (dom.x < 10 || dom.y < 10 || dom.x > box.width - 10 || dom.y > box.height - 10) continue;
        if (net.getNodeAt(dom) !== undefined || net.getEdgeAt(dom) !== e.id) continue;
        const label = id => data.nodes.find(n => n.id === id).label;
        return {x: box.left + dom.x, y: box.top + dom.y, from: label(e.from), to: label(e.to), relation: e.relation};
    }
    return null;
}"""


def hover(page, x: float, y: float) -> str:
    page.mouse.move(x - 3, y - 3)
    page.mouse.move(x, y, steps=3)
    tip = page.locator("div.vis-tooltip")
    tip.wait_for(state="visible", timeout=5_000)
    return tip.inner_text()


@pytest.mark.browser
def test_hovering_an_edge_shows_its_evidence(site, visit):
    article = sorted(site.info("article"), key=lambda i: -i.edges)[0]
    v = visit(site.root / article.path)
    target = v.page.evaluate(FIND_EDGE)
    assert target, "no edge can be hovered alone"
    G = site.graph
    [d] = [d for u, w, d in G.edges(data=True) if d["relation"] == target["relation"]
           and G.nodes[u]["label"] == target["from"] and G.nodes[w]["label"] == target["to"]
           and d.get("headline") == article.title]
    text = hover(v.page, target["x"], target["y"])
    assert d["evidence"] in text
    assert d["headline"] in text and d["date"] in text
    v.check_clean()


@pytest.mark.browser
def test_filters_hide_a_class_and_a_relation(site, visit):
    G = site.graph
    v = visit(site.root / "whole.html")
    persons = {n for n, k in G.nodes(data="kind") if k == "Person"}
    v.page.locator("#kinds label", has_text="人物").locator("input").uncheck()
    assert v.page.evaluate("() => window.kgView.rendered()") == {
        "nodes": len(G) - len(persons),
        "edges": sum(1 for u, w in G.edges() if u not in persons and w not in persons)}
    v.page.locator("#kinds label", has_text="人物").locator("input").check()
    relation = max(network.VERBS, key=lambda r: sum(d == r for *_, d in G.edges(data="relation")))
    v.page.locator("#relations label", has_text=network.VERBS[relation]).first.locator("input").uncheck()
    assert v.page.evaluate("() => window.kgView.rendered()") == {
        "nodes": len(G), "edges": sum(1 for *_, d in G.edges(data="relation") if d != relation)}
    v.check_clean()


@pytest.mark.browser
def test_hostile_names_run_no_script_in_any_view(hostile_sites, visit):
    shown = 0
    for site in hostile_sites:
        pages = [site.root / "index.html"] + [site.root / i.path for i in site.infos]
        for path in pages:
            v = visit(path, wait=path.name != "index.html")
            v.page.wait_for_timeout(50)
            assert v.page.evaluate("() => window.__pwned") is None, path
            assert v.page.evaluate("() => document.querySelectorAll('img, iframe, svg, object, embed').length") == 0
            if path.name != "index.html":
                assert v.page.evaluate("() => document.scripts.length") == 3, path
            h1 = v.page.locator("h1")
            assert h1.locator("*").count() == 0, path  # no element was made from a name
            if "<" in h1.text_content():
                shown += 1  # markup shown as text
            v.check_clean()
    assert shown >= 2


@pytest.mark.browser
def test_hostile_tooltips_are_text(hostile_sites, visit):
    site = hostile_sites[1]
    v = visit(site.root / "whole.html")
    point = v.page.evaluate("""() => {
        const net = window.kgView.network, box = document.getElementById("net").getBoundingClientRect();
        const n = window.kgView.data.nodes.find(n => n.label === "<img src=x onerror=alert(3)>");
        const dom = net.canvasToDOM(net.getPositions([n.id])[n.id]);
        return {x: box.left + dom.x, y: box.top + dom.y};
    }""")
    text = hover(v.page, point["x"], point["y"])
    assert "<img src=x onerror=alert(3)>" in text
    assert "<svg onload=alert(4)>市委书记" in text  # the post, as text
    assert v.page.evaluate("() => document.querySelectorAll('div.vis-tooltip *:not(br)').length") == 0
    v.page.wait_for_timeout(200)
    assert v.page.evaluate("() => window.__pwned") is None
    v.check_clean()


# ── posts, readable labels, search, time (issue 14) ─────────────────────────────────────────

DRAWN = """() => {
    const net = window.kgView.network;
    return net.body.edgeIndices.map(id => net.body.edges[id]).map(e => ({
        relation: window.kgView.edges.get(e.id).relation, label: e.options.label,
        from: net.body.nodes[e.fromId].options.label, to: net.body.nodes[e.toId].options.label}));
}"""


def only_posts(G: nx.MultiDiGraph) -> list[str]:
    """Persons whose every link is a post they hold."""
    return sorted(n for n, k in G.nodes(data="kind") if k == "Person" and G.degree(n)
                  and all(d == "holdsPost" for *_, d in G.edges(n, data="relation")) and not G.pred[n])


@pytest.mark.browser
def test_posts_are_drawn_where_the_title_promises_them(site, visit):
    G = site.graph
    [officials] = [i for i in site.info("family") if "任职" in i.title]
    held = sorted((G.nodes[u]["label"], G.nodes[v]["label"]) for u, v, d in G.edges(data=True)
                  if d["relation"] == "holdsPost")
    drawn = visit(site.root / officials.path).page.evaluate(DRAWN)
    assert sorted((e["from"], e["to"]) for e in drawn if e["relation"] == "holdsPost") == sorted(
        (a, b if len(b) <= render.SHORT else b[: render.SHORT - 1] + "…") for a, b in held)
    assert {e["label"] for e in drawn if e["relation"] == "holdsPost"} == {"任职"}
    lonely = only_posts(G)
    assert {G.nodes[n]["label"] for n in lonely} >= {"廖斌", "邹国良"}  # the seed page's
    for n in lonely:
        v = visit(site.root / plan.page_of(G, n))
        drawn = v.page.evaluate(DRAWN)
        assert len(drawn) == G.out_degree(n) > 0 and all(e["label"] == "任职" for e in drawn), n
        v.check_clean()


LABEL_BOXES = """() => {
    const net = window.kgView.network, body = net.body, scale = net.getScale();
    const nodes = body.nodeIndices.map(id => body.nodes[id]);
    const label = n => ({l: n.labelModule.size.left, r: n.labelModule.size.left + n.labelModule.size.width,
                         t: n.labelModule.size.top, b: n.labelModule.size.top + n.labelModule.size.height});
    const shape = n => ({l: n.x - n.shape.width / 2, r: n.x + n.shape.width / 2,
                         t: n.y - n.shape.height / 2, b: n.y + n.shape.height / 2});
    const meets = (a, b) => a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b;
    const clashes = [];
    nodes.forEach((a, i) => nodes.forEach((b, j) => {
        if (i === j) return;
        if (i < j && meets(label(a), label(b))) clashes.push(a.options.label + " / " + b.options.label);
        if (meets(label(a), shape(b))) clashes.push(a.options.label + " covers " + b.options.label);
    }));
    const box = document.getElementById("net").getBoundingClientRect();
    const inside = nodes.every(n => { const p = net.canvasToDOM({x: n.x, y: n.y});
                                      return p.x >= 0 && p.y >= 0 && p.x <= box.width && p.y <= box.height; });
    const verbs = body.edgeIndices.filter(id => body.edges[id].labelModule.visible()).length;
    return {clashes, inside, px: 14 * scale, verbs, verbPx: 11 * scale,
            unsized: nodes.filter(n => !(n.labelModule.size.width > 0)).length};
}"""


@pytest.mark.browser
def test_labels_never_overlap_at_the_default_zoom(site, visit):
    """Every name is drawn, none covers another name or a node, the view fits the canvas; edge verbs only when legible."""
    for info in site.info("whole") + site.info("family") + sorted(site.info("person"), key=lambda i: -i.nodes)[:1]:
        got = visit(site.root / info.path).page.evaluate(LABEL_BOXES)
        assert got["clashes"] == [] and got["unsized"] == 0, info.path
        assert got["inside"], info.path
        assert got["px"] >= (8.5 if info.section == "whole" else 10), (info.path, got["px"])  # screen pixels
        assert got["verbs"] == 0 or got["verbPx"] >= 8, (info.path, got["verbPx"])


def search(page, text: str) -> dict:
    page.fill("#search", text)
    page.press("#search", "Enter")
    return page.evaluate("""() => ({
        selected: window.kgView.network.getSelectedNodes().map(id => window.kgView.data.nodes[id].label),
        hits: Array.from(document.querySelectorAll("#hits button")).map(b => b.textContent),
        status: document.getElementById("status").textContent})""")


@pytest.mark.browser
@pytest.mark.parametrize("text", ["慧泉", "市委书记"])
def test_search_finds_people_by_part_of_a_name_or_a_post(site, visit, text):
    G = site.graph
    people = {d["label"] for _, d in G.nodes(data=True) if d["kind"] == "Person"
              and any(text in d.get(k, "") for k in ("label", "aliases", "posts"))}
    assert "曹慧泉" in people
    named = {d["label"] for _, d in G.nodes(data=True) if d["label"] == text}
    everything = named | {d["label"] for _, d in G.nodes(data=True) if text in d.get("posts", "")} if named else {
        d["label"] for _, d in G.nodes(data=True) if any(text in d.get(k, "") for k in ("label", "aliases", "posts"))}
    v = visit(site.root / "whole.html")
    got = search(v.page, text)
    assert set(got["selected"]) == everything and people <= everything
    if len(everything) > 1:
        assert sorted(got["hits"]) == sorted(everything) and str(len(everything)) in got["status"]
    assert search(v.page, "不存在的名字")["status"] == "未找到"
    v.check_clean()


@pytest.mark.browser
def test_gallery_search_keeps_matching_views(site, visit):
    v = visit(site.root / "index.html", wait=False)

    def shown(text: str) -> list[str]:
        v.page.fill("#filter", text)
        return v.page.evaluate("""() => Array.from(document.querySelectorAll("tr[data-search]"))
            .filter(r => r.offsetParent !== null).map(r => decodeURIComponent(r.querySelector("a").getAttribute("href")))""")

    for text in ("慧泉", "市委书记"):
        expected = [i.path for i in site.infos if text in i.title or text in i.keywords]
        assert shown(text) == expected and expected, text
    cao = plan.page_of(site.graph, "https://w3id.org/civic-kg/id/person/曹慧泉-株洲市")
    assert cao in shown("市委书记")  # by the post, not the title
    assert shown("不存在的名字") == [] and "0 个视图" in v.page.locator("#matches").text_content()
    assert len(shown("")) == len(site.infos)
    v.check_clean()


def node_dates(G: nx.MultiDiGraph) -> dict[str, str]:
    """The date the views give a node: an event's day, an article's publication."""
    return {n: min((d.get("heldOn") or d.get("published")).split(";")) for n, d in G.nodes(data=True)
            if d.get("heldOn") or d.get("published")}


@pytest.mark.browser
def test_time_slider_hides_nodes_outside_the_window(site, visit):
    G = site.graph
    dates = node_dates(G)
    days = sorted(set(dates.values()))
    assert len(days) >= 2
    v = visit(site.root / "whole.html")
    assert v.page.locator("#time").is_visible()
    for lo, hi in ((0, 0), (len(days) - 1, len(days) - 1), (0, len(days) - 1)):
        for box, value in (("#to", hi), ("#from", lo)):
            v.page.locator(box).fill(str(value))
        keep = {n for n in G if n not in dates or days[lo] <= dates[n] <= days[hi]}
        assert v.page.evaluate("() => window.kgView.rendered()") == {
            "nodes": len(keep), "edges": sum(1 for a, b in G.edges() if a in keep and b in keep)}, (lo, hi)
        assert v.page.locator("#span").text_content() == f"{days[lo]} — {days[hi]}"
    v.check_clean()


@pytest.mark.browser
def test_an_officials_page_lists_what_they_did_by_date(site, visit):
    """Issue 15: the official's timeline — events, inspections and posts by the day their sentences give
    (曹慧泉's inspections of 6月2日 before the breakfast of 6月3日)."""
    G = site.graph
    [person] = [n for n, d in G.nodes(data=True) if d.get("label") == "曹慧泉"]
    v = visit(site.root / plan.page_of(G, person))
    items = v.page.locator(".timeline li").all_inner_texts()
    days = [t.split()[0] for t in items]
    assert days == sorted(days) and len(items) >= 5
    inspected = next(i for i, t in enumerate(items) if "调研 荷塘区" in t)
    breakfast = next(i for i, t in enumerate(items) if "出席" in t and "早餐会" in t)
    assert items[inspected].startswith("2023-06-02") and items[breakfast].startswith("2023-06-03")
    assert inspected < breakfast
    v.check_clean()
