"""The closed vocabulary agrees with schemas/civic.ttl; IRIs are safe and injective."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from kg.graph.vocab import CIV, iri, slug
from tests.conftest import ROOT


def test_vocab_matches_ontology():
    onto = Graph().parse(ROOT / "schemas" / "civic.ttl", format="turtle")
    ns = str(CIV._NS)
    declared = {str(s)[len(ns):] for s in onto.subjects(RDF.type, None) if str(s).startswith(ns)}
    in_code = {name for name in CIV.__annotations__}
    assert declared == in_code
    assert {str(s)[len(ns):] for s in onto.subjects(RDF.type, OWL.Class)} >= {
        "Person", "Organization", "Place", "Event", "Agreement", "Post", "Article"}


def test_closed_namespace():
    with pytest.raises(AttributeError):
        _ = CIV.atended


def test_shapes_shipped_equal_schema():
    from importlib.resources import files
    shipped = files("kg.graph").joinpath("shapes.ttl").read_text(encoding="utf-8")
    assert shipped == (ROOT / "schemas" / "shapes.ttl").read_text(encoding="utf-8")


@given(st.text(min_size=1, max_size=30))
def test_iri_always_valid_nt(name):
    node = iri("Person", name)
    g = Graph()
    g.add((node, RDF.type, URIRef("https://w3id.org/civic-kg/ontology#Person")))
    back = Graph().parse(data=g.serialize(format="nt"), format="nt")
    assert set(back) == set(g)
    assert not any(c in str(node) for c in ' <>"{}|\\^`\n')


@given(st.text(max_size=20), st.text(max_size=20))
def test_slug_injective(a, b):
    if a != b and a == a.strip() and b == b.strip():
        import unicodedata
        if unicodedata.normalize("NFKC", a) != unicodedata.normalize("NFKC", b):
            assert slug(a) != slug(b)
