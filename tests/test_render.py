"""rdf.turtle writes the bytes rdflib's Turtle serializer writes, without building a graph."""
from __future__ import annotations

import datetime as dt

import pytest
from rdflib import RDF, RDFS, XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kg.extract import rules
from kg.graph import rdf
from kg.graph.vocab import CID, CIV
from kg.ingest import reader
from tests.conftest import ROOT, SEED


def _rdflib_turtle(triples) -> str:
    g = Graph()
    for prefix, ns in rdf.PREFIXES:
        g.bind(prefix, ns)
    for t in triples:
        g.add(t)
    return g.serialize(format="turtle")


@pytest.fixture(scope="module")
def extractions():
    pages = [SEED, *sorted((ROOT / "tests" / "data" / "hostile").glob("*.md"))]
    return [rules.extract(a) for page in pages for a in reader.read(page)]


def test_article_graphs_as_rdflib_writes_them(extractions):
    names = rdf.Names(extractions)
    for x in extractions:
        triples = list(dict.fromkeys(rdf.article_triples(x, names)))
        assert rdf.turtle(triples) == rdf.article_graph(x, names).serialize(format="turtle"), x.article.id


def test_union_as_rdflib_writes_it(extractions):
    names = rdf.Names(extractions)
    union = Graph()
    for prefix, ns in rdf.PREFIXES:
        union.bind(prefix, ns)
    for x in extractions:
        for t in rdf.article_triples(x, names):
            union.add(t)
    assert rdf.turtle(union) == union.serialize(format="turtle")


def test_awkward_terms():
    e, p = CID["evidence/0a"], CID["person/王某"]
    triples = [
        (e, RDF.type, CIV.Evidence), (e, RDF.type, RDF.Statement), (e, RDF.subject, p),
        (e, CIV.sentence, Literal('他说"你好"\\又说\n第二行', lang="zh")),
        (e, CIV.sentence, Literal("结尾是引号\"", lang="zh")),
        (e, CIV.charStart, Literal(12)), (e, CIV.charEnd, Literal(-3)), (e, CIV.rule, Literal("a.b")),
        (p, RDFS.label, Literal("王某", lang="zh")), (p, SKOS.altLabel, Literal("老王", lang="zh")),
        (p, SKOS.altLabel, Literal("王", lang="zh")), (p, SKOS.altLabel, Literal("Wang")),
        (p, CIV.heldOn, Literal(dt.date(2024, 3, 1))), (p, CIV.heldOn, Literal("2024-03-02", datatype=XSD.date)),
        (p, CIV.url, Literal("https://example.org/a(b)%zz")), (p, CIV.url, URIRef("https://example.org/a(b)")),
        (URIRef(f"{CIV}with(paren)"), RDF.type, RDFS.Resource), (URIRef("https://schema.org/x."), RDF.type, CIV.Event),
        (CID["place/430204"], RDFS.label, Literal("石峰区\u2028", lang="zh")),
    ]
    assert rdf.turtle(triples) == _rdflib_turtle(triples)


@pytest.mark.parametrize("triple", [
    (BNode("b"), RDF.type, CIV.Event),
    (CID["event/x"], URIRef("https://example.org/unbound#p"), Literal("x")),
    (CID["event/x"], RDF.type, RDFS.Class),
    (CID["event/x"], RDF.first, RDF.nil),
])
def test_left_to_rdflib(triple):
    assert rdf.turtle([triple]) is None


def test_line_separators_in_text_stay_inside_their_literal():
    title = "优化交通物流结构\u2028助推\x0b降本\x1c增效"
    page = SEED.read_text(encoding="utf-8").replace("## 优化交通物流结构 助推降本增效", f"## {title}", 1)
    xs = [rules.extract(a) for a in reader.parse(page, "p.md")]
    names = rdf.Names(xs)
    rendered = [rdf.render(x, names) for x in xs]
    trig, nq = Dataset(), Dataset()
    for r in rendered:
        trig.parse(data="\n".join(r.prefixes) + "\n" + r.trig, format="trig")
        nq.parse(data=r.nquads, format="nquads")
    assert set(trig.quads()) == set(nq.quads())
    assert Literal(title, lang="zh") in {q[2] for q in nq.quads()}
