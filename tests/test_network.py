"""network.project: RDF (docs/rdf-layout.md) to one networkx MultiDiGraph."""
from __future__ import annotations

import networkx as nx
import pytest
from rdflib import Graph
from views_support import DATA, real_build

from kg.graph import network
from kg.graph.vocab import CIV

CID = "https://w3id.org/civic-kg/id/"


@pytest.fixture(scope="module")
def small() -> nx.MultiDiGraph:
    return network.project(network.read(DATA / "civic-small.trig"))


@pytest.fixture(scope="session")
def real_ds(request, tmp_path_factory):
    return network.read(real_build(request, tmp_path_factory) / "civic.trig")


def edge(G: nx.MultiDiGraph, u: str, rel: str, v: str) -> dict:
    found = [d for _, _, d in G.edges(CID + u, data=True) if d["relation"] == rel and _ == CID + v]
    assert len(found) == 1, (u, rel, v, found)
    return found[0]


def test_small_counts(small):
    kinds = nx.get_node_attributes(small, "kind")
    assert small.number_of_nodes() == 22
    assert small.number_of_edges() == 18
    assert sorted(set(kinds.values())) == ["Agreement", "Article", "Event", "Organization", "Person", "Place"]


def test_posts_and_dates_are_attributes_not_nodes(small):
    assert not any("/post/" in n for n in small)
    assert small.nodes[CID + "person/曹慧泉"]["posts"] == "株洲市委书记"  # the full name (altLabel)
    assert small.nodes[CID + "person/李明"]["posts"] == "荷塘区委书记"  # a person with only a post is kept
    assert small.nodes[CID + "event/第22次制造名城早餐会"]["heldOn"] == "2023-06-03"
    relations = {d["relation"] for _, _, d in small.edges(data=True)}
    assert not relations & {"holdsPost", "heldOn"}


def test_node_attributes(small):
    place = small.nodes[CID + "place/430204"]
    assert place == {"kind": "Place", "label": "石峰区", "adcode": "430204", "aliases": "株洲市石峰区",
                     "articles": CID + "article/zhuzhou-daily-2023-06-04-01"}
    cao = small.nodes[CID + "person/曹慧泉"]
    assert cao["articles"] == ";".join(CID + f"article/zhuzhou-daily-2023-06-04-0{i}" for i in (2, 3))
    assert small.nodes[CID + "article/zhuzhou-daily-2023-06-04-02"]["label"] == "优化交通物流结构 助推降本增效"


def test_edge_attributes(small):
    d = edge(small, "person/王喜富", "attended", "event/第22次制造名城早餐会")
    assert d == {
        "relation": "attended", "verb": "出席", "role": "应邀",
        "article": CID + "article/zhuzhou-daily-2023-06-04-02", "headline": "优化交通物流结构 助推降本增效",
        "date": "2023-06-04", "evidence_count": 1,
        "evidence": "6月3日,第22次“制造名城早餐会”举行,北京交通大学物流工程系主任王喜富等7位交通物流领域专家、"
                    "企业家应邀与市委书记曹慧泉等市领导共进早餐。",
    }


@pytest.mark.parametrize(("org", "verb"),
                         [("株洲市委", "主办"), ("株洲市物流与采购联合会", "承办"), ("荷塘区委", "主办")])
def test_organizes_verb_follows_the_evidence_role(small, org, verb):
    event = "event/荷塘区调研座谈会" if org == "荷塘区委" else "event/第22次制造名城早餐会"
    assert edge(small, f"org/{org}", "organizes", event)["verb"] == verb


def test_one_edge_per_statement_and_article(small):
    d = edge(small, "person/曹慧泉", "inspected", "place/430202")
    assert d["evidence_count"] == 2
    assert d["evidence"].startswith("6月2日,市委书记曹慧泉调研")  # the first sentence in the text


def test_attributes_are_scalars(small, real_ds):
    for G in (small, network.project(real_ds)):
        for _, d in G.nodes(data=True):
            assert all(isinstance(v, str) and v for v in d.values()), d
        for _, _, d in G.edges(data=True):
            assert all(isinstance(v, (str, int)) and v != "" for v in d.values()), d
            assert d["verb"] and d["relation"] in network.VERBS


def test_sorted_and_deterministic(real_ds):
    a, b = network.project(real_ds), network.project(real_ds)
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))
    assert list(a.nodes) == sorted(a.nodes)
    assert [(u, v) for u, v in a.edges()] == sorted((u, v) for u, v in a.edges())


def test_union_graph_gives_the_same_edges(real_ds):
    union = Graph()
    for s, p, o, _ in real_ds.quads((None, None, None, None)):
        union.add((s, p, o))
    a, b = network.project(real_ds), network.project(union)
    assert set(a.edges(keys=True)) == set(b.edges(keys=True))
    assert set(a.nodes) == set(b.nodes)


def test_every_relation_of_the_real_build_is_projected(real_ds):
    G = network.project(real_ds)
    edges = {(u, d["relation"], v) for u, v, d in G.edges(data=True)}
    asserted = {(str(s), str(p).split("#")[1], str(o)) for s, p, o, _ in real_ds.quads((None, None, None, None))
                if p in {CIV[r] for r in network.VERBS} and p not in (CIV.holdsPost, CIV.heldOn)}
    assert asserted and asserted == edges
    for s, *_ in real_ds.quads((None, CIV.holdsPost, None, None)):
        assert G.nodes[str(s)].get("posts"), s
    for _, _, d in G.edges(data=True):
        assert d.get("evidence") and d.get("article"), d  # the layout gives every relation evidence


def test_projection_leaves_the_dataset_alone(real_ds):
    before = len(real_ds)
    network.project(real_ds)
    assert len(real_ds) == before


def test_verbs_cover_the_vocabulary():
    from kg.graph.vocab import RELATIONS

    assert set(network.VERBS) == set(RELATIONS)


def test_posts_become_nodes_for_the_views(real_ds):
    G = network.project(real_ds, posts=True)
    held = {(str(s), str(o)) for s, _, o, _ in real_ds.quads((None, CIV.holdsPost, None, None))}
    drawn = {(u, v) for u, v, d in G.edges(data=True) if d["relation"] == "holdsPost"}
    assert held and drawn == held
    for _, v, d in G.edges(data=True):
        if d["relation"] == "holdsPost":
            assert G.nodes[v]["kind"] == "Post" and d["verb"] == "任职" and d["evidence"] and d["article"]
    lone = CID + "person/廖斌-株洲市"  # holds a post, attends nothing
    assert [(G.nodes[v]["label"], G.nodes[v]["aliases"]) for v in G.succ[lone]] == [
        ("市公安局治安支队八大队大队长", "株洲市公安局治安支队八大队大队长")]


def test_without_posts_is_the_default_projection(real_ds):
    a, b = network.without_posts(network.project(real_ds, posts=True)), network.project(real_ds)
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))


def test_quads_parsed_by_oxigraph_project_the_same_graph(request, tmp_path_factory, real_ds):
    """`quads` (what a build projects) gives the graph the rdflib Dataset gives, nodes, edges and data;
    the N-Quads file the same as the TriG."""
    out = real_build(request, tmp_path_factory)
    want = network.project(real_ds, posts=True)
    for path in (out / "civic.trig", out / "civic.nq"):
        got = network.project(network.quads(path), posts=True)
        assert sorted(got.nodes(data=True)) == sorted(want.nodes(data=True))
        assert sorted(got.edges(keys=True, data=True)) == sorted(want.edges(keys=True, data=True))
    assert want.number_of_edges() > 100
