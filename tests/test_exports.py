"""exports and analytics: GEXF checked against the official schemas, round trips through networkx,
igraph and pandas, byte-identical repeats, hostile labels, atomic writes and `kg export`."""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import igraph
import networkx as nx
import pandas as pd
import pytest
import xmlschema
from click.testing import CliRunner
from conftest import ROOT, SHARED
from lxml import etree
from rdflib import Dataset

from kg.cli import main as cli
from kg.exports import analytics, formats, gexf, table
from kg.graph import network
from kg.views import render

DATA = Path(__file__).parent / "data"
SCHEMAS = DATA / "gexf" / "1.3"
SCHEMA_FILES = ("gexf.xsd", "dynamics.xsd", "viz.xsd", "gexf.rng", "dynamics.rng", "viz.rng")
HOSTILE = 'a<b> & "c" \'d\'\nsecond line\x01 </attvalue> ]]>'


@pytest.fixture(scope="session")
def xsd() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMAS / "gexf.xsd"))


@pytest.fixture(scope="session")
def rng() -> etree.RelaxNG:
    return etree.RelaxNG(file=str(SCHEMAS / "gexf.rng"))


@pytest.fixture(scope="session")
def raw_graph(seed_build: Path) -> nx.MultiDiGraph:
    return network.project(network.read(seed_build / "civic.trig"))


@pytest.fixture(scope="session")
def exported(seed_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`formats.write_all` of the build of raw/, in every format, in a folder of its own."""
    out = tmp_path_factory.mktemp("exports")
    for name in ("civic.trig", "civic.nq"):
        shutil.copy(seed_build / name, out / name)
    formats.write_all(out, formats=list(formats.FORMATS))
    return out


def hostile_graph() -> nx.MultiDiGraph:
    """A projected-looking graph whose labels and texts hold markup, quotes, a newline and a control."""
    G = nx.MultiDiGraph()
    G.add_node("https://w3id.org/civic-kg/id/person/x", kind="Person", label=HOSTILE, posts=f"{HOSTILE};书记")
    G.add_node("https://w3id.org/civic-kg/id/event/y", kind="Event", label="活动 & <会>", heldOn="2023-06-03")
    G.add_edge("https://w3id.org/civic-kg/id/person/x", "https://w3id.org/civic-kg/id/event/y",
               key="attended a", relation="attended", verb="出席", role=HOSTILE, evidence=HOSTILE,
               evidence_count=1, date="2023-06-04", article="https://w3id.org/civic-kg/id/article/a")
    return G


def odd_dates() -> nx.MultiDiGraph:
    """Dates that are not ISO days stay attribute text but give no time to the timeline."""
    G = hostile_graph()
    G.nodes["https://w3id.org/civic-kg/id/event/y"]["heldOn"] = "六月初"
    for _, _, d in G.edges(data=True):
        d["date"] = "2023-6-4"
    return G


def sources() -> dict[str, nx.MultiDiGraph]:
    return {"hostile.trig": network.project(network.read(DATA / "hostile.trig")),
            "mini.trig": network.project(network.read(DATA / "mini.trig")),
            "hostile labels": hostile_graph(),
            "odd dates": odd_dates(),
            "empty": network.project(Dataset())}


def xsd_view(data: bytes) -> str:
    """The document as the official 1.3 XSD expects it: viz elements in the main GEXF namespace.

    The XSD (converted from the RelaxNG) declares color/size/position/shape there, unlike the
    spec, its RelaxNG, Gephi and networkx; mapping the prefix is the only change made.
    """
    text = data.decode("utf-8")
    declaration = f'xmlns:viz="{gexf.VIZ_NS}"'
    assert text.count(declaration) == 1
    return text.replace(declaration, f'xmlns:viz="{gexf.GEXF_NS}"')


def assert_valid(data: bytes, xsd: xmlschema.XMLSchema, rng: etree.RelaxNG) -> None:
    errors = list(xsd.iter_errors(xsd_view(data)))
    assert not errors, errors[0]
    doc = etree.fromstring(data)
    assert rng.validate(doc), rng.error_log


# ── schemas ──────────────────────────────────────────────────────────────────

def test_schema_copies_match_shared() -> None:
    shared = SHARED / "schemas" / "gexf" / "1.3"
    if not shared.is_dir():
        pytest.skip(f"{shared} is absent (fresh clone without ../shared): nothing to compare the copies with")
    for name in SCHEMA_FILES:
        assert (SCHEMAS / name).read_bytes() == (shared / name).read_bytes(), name


def test_every_written_gexf_validates(exported: Path, xsd, rng) -> None:
    assert_valid((exported / "civic.gexf").read_bytes(), xsd, rng)


@pytest.mark.parametrize("name", list(sources()))
def test_gexf_of_other_graphs_validates(name: str, xsd, rng) -> None:
    assert_valid(gexf.generate_gexf(sources()[name]), xsd, rng)


def test_xsd_defect_is_why_the_viz_prefix_is_mapped(exported: Path, xsd) -> None:
    """If a fixed XSD accepts viz elements in their own namespace, drop the mapping in xsd_view."""
    errors = list(xsd.iter_errors((exported / "civic.gexf").read_text(encoding="utf-8")))
    assert errors and "viz" in str(errors[0].reason) + str(errors[0].path)


# ── GEXF ─────────────────────────────────────────────────────────────────────

def test_gexf_round_trip(exported: Path, raw_graph: nx.MultiDiGraph) -> None:
    R = nx.read_gexf(exported / "civic.gexf")
    H = analytics.annotate(raw_graph)
    assert isinstance(R, nx.MultiDiGraph)
    assert (R.number_of_nodes(), R.number_of_edges()) == (H.number_of_nodes(), H.number_of_edges())
    for n, d in H.nodes(data=True):
        r = R.nodes[n]
        assert r["label"] == d["label"]
        assert r["class"] == d["kind"]
        assert (r["degree"], r["centrality"], r["community"]) == (d["degree"], d["centrality"], d["community"])
        for key in ("adcode", "posts"):
            assert r.get(key) == d.get(key)
        assert (r["viz"]["color"]["r"], r["viz"]["color"]["g"], r["viz"]["color"]["b"]) == table.node_color(d["kind"])
        assert render.STYLES[d["kind"]].color == "#{:02x}{:02x}{:02x}".format(*table.node_color(d["kind"]))
        assert r["viz"]["size"] == table.node_size(d["degree"])
    back = {(u, v, d["relation"], d["article"]) for u, v, d in R.edges(data=True)}
    assert back == {(u, v, d["relation"], d["article"]) for u, v, d in H.edges(data=True)}
    for _, _, d in R.edges(data=True):
        assert d["label"] == d["verb"] == network.verb(d["relation"], d.get("role"))
        assert d["start"] == d["end"] == d["date"]
        assert d["evidence"]


def test_gexf_is_dynamic_with_event_dates(exported: Path) -> None:
    R = nx.read_gexf(exported / "civic.gexf")
    assert R.graph["mode"] == "dynamic"
    root = etree.parse(str(exported / "civic.gexf")).getroot()
    graph = root.find(f"{{{gexf.GEXF_NS}}}graph")
    assert graph.get("timeformat") == "date"
    assert root.find(f"{{{gexf.GEXF_NS}}}meta").get("lastmodifieddate") == "2023-06-04"
    dates = sorted(d["date"] for _, _, d in R.edges(data=True))
    assert (graph.get("start"), graph.get("end")) == (dates[0], dates[-1])
    breakfast = [d for _, v, d in R.edges(data=True)
                 if d["relation"] == "attended" and R.nodes[v]["label"] == "第22次“制造名城早餐会”"]
    assert breakfast and all((d["date"], d["published"]) == ("2023-06-03", "2023-06-04") for d in breakfast)
    for n, d in R.nodes(data=True):
        own = [e["date"] for _, _, e in R.edges(n, data=True)] + [e["date"] for _, _, e in R.in_edges(n, data=True)]
        if own:
            assert d["start"] <= min(own) and d["end"] >= max(own)


def test_parallel_edges_kept_apart(exported: Path, raw_graph: nx.MultiDiGraph) -> None:
    root = etree.parse(str(exported / "civic.gexf")).getroot()
    edges = root.iter(f"{{{gexf.GEXF_NS}}}edge")
    ids, pairs = [], {}
    for e in edges:
        ids.append(e.get("id"))
        assert e.get("kind") and e.get("label")
        pairs.setdefault((e.get("source"), e.get("target")), []).append(e.get("kind"))
    assert len(ids) == len(set(ids)) == raw_graph.number_of_edges()
    parallel = [kinds for kinds in pairs.values() if len(kinds) > 1]
    assert parallel, "raw/ has parallel edges; they must all be written"


def test_hostile_labels_survive_xml(xsd, rng) -> None:
    G = hostile_graph()
    expected = HOSTILE.replace("\x01", "\ufffd")
    data = gexf.generate_gexf(G)
    assert_valid(data, xsd, rng)
    R = nx.read_gexf(io.BytesIO(data))
    person = R.nodes["https://w3id.org/civic-kg/id/person/x"]
    assert person["label"] == expected
    assert person["posts"] == f"{expected};书记"
    (_, _, d), = R.edges(data=True)
    assert d["evidence"] == d["role"] == expected
    assert R.nodes["https://w3id.org/civic-kg/id/event/y"]["label"] == "活动 & <会>"
    graphml = nx.read_graphml(io.BytesIO(formats.generate_graphml(G)))
    assert graphml.nodes["https://w3id.org/civic-kg/id/person/x"]["label"] == expected
    nodes, _ = formats.generate_csv(G)
    df = pd.read_csv(io.BytesIO(nodes), encoding="utf-8-sig")
    assert df.set_index("Id").loc["https://w3id.org/civic-kg/id/person/x", "Label"] == expected


def test_hostile_fixture_round_trips() -> None:
    G = network.project(network.read(DATA / "hostile.trig"))
    R = nx.read_gexf(io.BytesIO(gexf.generate_gexf(G)))
    assert {n: d["label"] for n, d in R.nodes(data=True)} == {n: table.xml_safe(d["label"])
                                                             for n, d in G.nodes(data=True)}


# ── GraphML, CSV ─────────────────────────────────────────────────────────────

def test_graphml_round_trip(exported: Path, raw_graph: nx.MultiDiGraph) -> None:
    R = nx.read_graphml(exported / "civic.graphml")
    H = analytics.annotate(raw_graph)
    assert isinstance(R, nx.MultiDiGraph)
    assert (R.number_of_nodes(), R.number_of_edges()) == (H.number_of_nodes(), H.number_of_edges())
    G = nx.read_gexf(exported / "civic.gexf")
    for n, d in R.nodes(data=True):
        in_gexf = {k: v for k, v in G.nodes[n].items() if k != "viz"}
        assert d == in_gexf  # the same values under the same names
        assert all(isinstance(v, str | int | float) for v in d.values())
    for u, v, k, d in R.edges(keys=True, data=True):
        in_gexf = G.edges[u, v, k]
        assert d["kind"] == d["relation"] == in_gexf["relation"]
        assert {x: d[x] for x in ("label", "date", "evidence", "article")} == {
            x: in_gexf[x] for x in ("label", "date", "evidence", "article")}
    posts = [d["posts"] for _, d in R.nodes(data=True) if ";" in d.get("posts", "")]
    assert posts, "some official holds several posts, written ;-joined"


def test_graphml_reads_in_igraph(exported: Path, raw_graph: nx.MultiDiGraph) -> None:
    g = igraph.Graph.Read_GraphML(str(exported / "civic.graphml"))
    assert (g.vcount(), g.ecount()) == (raw_graph.number_of_nodes(), raw_graph.number_of_edges())
    assert g.is_directed()
    labels = dict(zip(g.vs["id"], g.vs["label"], strict=True))
    assert labels == {n: d["label"] for n, d in raw_graph.nodes(data=True)}
    assert set(g.es["relation"]) == {d["relation"] for _, _, d in raw_graph.edges(data=True)}


def test_csv_reads_in_pandas(exported: Path, raw_graph: nx.MultiDiGraph) -> None:
    for name in ("nodes.csv", "edges.csv"):
        assert (exported / name).read_bytes().startswith(b"\xef\xbb\xbf"), f"{name}: no BOM, Excel garbles Chinese"
    nodes = pd.read_csv(exported / "nodes.csv", encoding="utf-8-sig", keep_default_na=False)
    edges = pd.read_csv(exported / "edges.csv", encoding="utf-8-sig", keep_default_na=False)
    assert list(nodes.columns[:2]) == ["Id", "Label"]
    assert list(edges.columns[:6]) == ["Source", "Target", "Type", "Id", "Label", "Kind"]
    assert dict(zip(nodes["Id"], nodes["Label"], strict=True)) == {n: d["label"] for n, d in raw_graph.nodes(data=True)}
    assert "曹慧泉" in set(nodes["Label"])
    assert len(edges) == raw_graph.number_of_edges() and edges["Id"].is_unique
    assert set(edges["Source"]) | set(edges["Target"]) <= set(nodes["Id"])
    assert set(edges["Type"]) == {"Directed"}
    assert (edges["Kind"] == edges["relation"]).all() and (edges["Label"] == edges["verb"]).all()
    H = analytics.annotate(raw_graph)
    assert dict(zip(nodes["Id"], nodes["centrality"], strict=True)) == {n: d["centrality"]
                                                                         for n, d in H.nodes(data=True)}


# ── RDF ──────────────────────────────────────────────────────────────────────

def test_jsonld_holds_the_same_quads(exported: Path, seed_build: Path) -> None:
    import json

    data = json.loads((exported / "civic.jsonld").read_text(encoding="utf-8"))
    assert data["@context"]["civ"] == "https://w3id.org/civic-kg/ontology#"
    back, ds = Dataset(), network.read(seed_build / "civic.trig")
    back.parse(exported / "civic.jsonld", format="json-ld")

    def quads(d: Dataset) -> set:
        return {(s, p, o, g.identifier if hasattr(g, "identifier") else g) for s, p, o, g in d.quads()}

    assert quads(back) == quads(ds)


def test_nquads_is_the_build_file(exported: Path, seed_build: Path) -> None:
    assert (exported / "civic.nq").read_bytes() == (seed_build / "civic.nq").read_bytes()
    ds = network.read(seed_build / "civic.trig")
    lines = formats.generate_nquads(ds).decode("utf-8").splitlines()
    assert lines == sorted(lines) and len(lines) == len(set(ds.quads()))


# ── Determinism, atomic writes, CLI ──────────────────────────────────────────

def test_exports_are_byte_identical(exported: Path, tmp_path: Path) -> None:
    """Twice in this process, and once in another with a different hash seed (sets iterate differently)."""
    again = tmp_path / "again"
    other = tmp_path / "other"
    for out in (again, other):
        out.mkdir()
        shutil.copy(exported / "civic.trig", out / "civic.trig")
    formats.write_all(again, formats=["gexf", "graphml", "csv", "jsonld"])
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", "import sys; from kg.exports import formats; "
                    "formats.write_all(sys.argv[1], formats=['gexf', 'graphml', 'csv', 'jsonld'])", str(other)],
                   check=True, env=env, cwd=ROOT, timeout=120)
    for name in ("civic.gexf", "civic.graphml", "nodes.csv", "edges.csv", "civic.jsonld"):
        first = (exported / name).read_bytes()
        assert (again / name).read_bytes() == first, name
        assert (other / name).read_bytes() == first, name
    assert b"lastmodifieddate=\"2023-06-04\"" in (exported / "civic.gexf").read_bytes()


def test_write_all_from_a_graph_or_dataset(exported: Path, raw_graph: nx.MultiDiGraph, seed_build: Path,
                                           tmp_path: Path) -> None:
    from_graph = formats.write_all(tmp_path / "g", raw_graph)
    from_ds = formats.write_all(tmp_path / "d", network.read(seed_build / "civic.trig"))
    assert [p.name for p in from_graph] == [p.name for p in from_ds] == ["civic.gexf", "civic.graphml",
                                                                          "nodes.csv", "edges.csv"]
    for a, b in zip(from_graph, from_ds, strict=True):
        assert a.read_bytes() == b.read_bytes() == (exported / a.name).read_bytes()


def test_writes_are_atomic(exported: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(exported / "civic.trig", tmp_path / "civic.trig")
    (tmp_path / "civic.graphml").write_bytes(b"old")

    def broken(_source: object) -> bytes:
        raise RuntimeError("disk full")

    monkeypatch.setattr(formats, "generate_graphml", broken)
    with pytest.raises(RuntimeError):
        formats.write_all(tmp_path)
    assert (tmp_path / "civic.graphml").read_bytes() == b"old"
    assert (tmp_path / "civic.gexf").read_bytes() == (exported / "civic.gexf").read_bytes()
    assert not list(tmp_path.glob(".*.tmp"))


def test_cli_export(exported: Path, tmp_path: Path) -> None:
    build = tmp_path / "build"
    build.mkdir()
    for name in ("civic.trig", "civic.nq"):
        shutil.copy(exported / name, build / name)
    runner = CliRunner()
    for fmt, out, names in (("gexf", None, ["civic.gexf"]), ("graphml", "x.graphml", ["x.graphml"]),
                            ("csv", "tables", ["tables/nodes.csv", "tables/edges.csv"]),
                            ("jsonld", None, ["civic.jsonld"]), ("nquads", "copy.nq", ["copy.nq"])):
        args = ["export", "--format", fmt, "--graph", str(build)]
        if out:
            args += ["--out", str(tmp_path / out)]
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.output
        base = build if out is None else tmp_path
        for name in names:
            reference = exported / Path(name).name if fmt != "nquads" else exported / "civic.nq"
            if fmt == "graphml":
                reference = exported / "civic.graphml"
            assert (base / name).read_bytes() == reference.read_bytes(), name
            assert f"wrote {base / name}" in result.output
    missing = runner.invoke(cli, ["export", "--graph", str(tmp_path / "nothing")])
    assert missing.exit_code == 1 and "civic.trig: not found" in missing.output


# ── Analytics ────────────────────────────────────────────────────────────────

def test_analytics_annotates_once(raw_graph: nx.MultiDiGraph) -> None:
    H = analytics.annotate(raw_graph)
    assert analytics.annotate(H) is H
    assert "centrality" not in raw_graph.graph  # the projection is left as it was
    assert H.graph["centrality"] == "betweenness (exact)"
    assert all(0.0 <= d["centrality"] <= 1.0 for _, d in H.nodes(data=True))
    sizes = pd.Series(dict(H.nodes(data="community"))).value_counts()
    assert list(sizes.index[:1]) == [0] and sizes.is_monotonic_decreasing
    officials = analytics.ranking(H, officials=True)
    assert officials and all(d["kind"] == "Person" and d["posts"] for _, d in officials)
    assert officials[0][1]["label"] == "曹慧泉"


def test_sampled_betweenness_is_deterministic(raw_graph: nx.MultiDiGraph, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(analytics, "EXACT_LIMIT", 10)
    monkeypatch.setattr(analytics, "SAMPLES", 20)
    first, second = analytics.measure(raw_graph), analytics.measure(raw_graph)
    assert first == second and first.method.startswith("betweenness (estimated from 20 pivots")
