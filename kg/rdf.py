"""Extractions to RDF: one named graph per article, labels, reified evidence."""
from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable

from rdflib import RDF, RDFS, XSD, Dataset, Literal, URIRef
from rdflib.namespace import SKOS

from kg import lexicon
from kg.model import Entity, Evidence, Extraction, Triple, Value
from kg.textnorm import norm_key
from kg.vocab import CID, CIV, iri

SYMMETRIC = frozenset({"agreementWith"})


def _zh(text: str) -> Literal:
    return Literal(text, lang="zh")


class Names:
    """One label per entity across the corpus; the other written forms become altLabels."""

    def __init__(self, extractions: Iterable[Extraction]) -> None:
        labels: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        self.aliases: dict[tuple[str, str], set[str]] = defaultdict(set)
        for x in extractions:
            for t in x.triples:
                for e in (t.subject, t.object):
                    if isinstance(e, Entity):
                        labels[e.kind, e.key][e.label] += 1
                        self.aliases[e.kind, e.key] |= e.aliases
            for a in x.attributes:
                labels[a.entity.kind, a.entity.key][a.entity.label] += 1
        self.label = {k: min(c, key=lambda s: (-c[s], len(s), s)) for k, c in labels.items()}
        for k, c in labels.items():
            self.aliases[k] |= set(c)

    def alt_labels(self, kind: str, key: str) -> list[str]:
        label = self.label[kind, key]
        seen = {norm_key(label)}
        out = []
        for a in sorted(self.aliases[kind, key]):
            if a and norm_key(a) not in seen:
                seen.add(norm_key(a))
                out.append(a)
        return out


def node(e: Entity) -> URIRef:
    return iri(e.kind, e.key)


def obj(o: Entity | Value) -> URIRef | Literal:
    if isinstance(o, Value):
        return Literal(o.text, datatype=XSD.date) if o.datatype == "date" else _zh(o.text)
    return node(o)


def article_iri(article_id: str) -> URIRef:
    return iri("Article", article_id)


def _evidence_iri(graph: URIRef, s: URIRef, p: URIRef, o: URIRef | Literal, ev: Evidence) -> URIRef:
    digest = hashlib.sha1("\x1f".join(map(str, (graph, s, p, o, ev.sentence.start, ev.rule, ev.role)))
                          .encode("utf-8")).hexdigest()[:16]
    return CID[f"evidence/{digest}"]


def _canonical(t: Triple) -> Triple:
    """agreementWith is symmetric: state it once, in a fixed direction."""
    if t.predicate in SYMMETRIC and isinstance(t.object, Entity) and t.object.key < t.subject.key:
        return Triple(t.object, t.predicate, t.subject, t.evidence)
    return t


def to_dataset(extractions: list[Extraction]) -> Dataset:
    """Every article's statements in its own named graph, with evidence for each."""
    ds = Dataset()
    for prefix, ns in (("civ", str(CIV)), ("cid", str(CID)), ("skos", str(SKOS)), ("schema", "https://schema.org/"),
                       ("prov", "http://www.w3.org/ns/prov#"), ("org", "http://www.w3.org/ns/org#")):
        ds.bind(prefix, ns)
    names = Names(extractions)
    for x in sorted(extractions, key=lambda x: x.article.id):
        a = x.article
        g_iri = article_iri(a.id)
        g = ds.graph(g_iri)
        g.add((g_iri, RDF.type, CIV.Article))
        g.add((g_iri, RDFS.label, _zh(a.headline)))
        g.add((g_iri, CIV.sourceFile, Literal(a.source)))
        g.add((g_iri, CIV.sourceLine, Literal(a.line)))
        if a.paper:
            g.add((g_iri, CIV.paper, _zh(a.paper)))
        if a.date:
            g.add((g_iri, CIV.published, Literal(a.date.isoformat(), datatype=XSD.date)))
        if a.url:
            g.add((g_iri, CIV.url, Literal(a.url)))
        described: set[tuple[str, str]] = set()
        def describe(e: Entity) -> None:
            k = (e.kind, e.key)
            if k in described or e.kind == "Article":
                return
            described.add(k)
            n = node(e)
            g.add((n, RDF.type, CIV[e.kind]))
            g.add((n, RDFS.label, _zh(names.label.get(k, e.label))))
            for alt in names.alt_labels(*k) if k in names.label else ():
                g.add((n, SKOS.altLabel, _zh(alt)))
            if e.adcode:
                g.add((n, CIV.adminCode, Literal(e.adcode)))

        city = lexicon.gazetteer().lookup(a.city) if a.city else None
        if city is not None:
            describe(Entity("Place", city.adcode, city.name, adcode=city.adcode))
            g.add((g_iri, CIV.city, iri("Place", city.adcode)))
        for t in sorted({_canonical(t) for t in x.triples}, key=_sort_key):
            describe(t.subject)
            if isinstance(t.object, Entity):
                describe(t.object)
            s, p, o = node(t.subject), CIV[t.predicate], obj(t.object)
            g.add((s, p, o))
            e_iri = _evidence_iri(g_iri, s, p, o, t.evidence)
            g.add((e_iri, RDF.type, CIV.Evidence))
            g.add((e_iri, RDF.type, RDF.Statement))
            g.add((e_iri, RDF.subject, s))
            g.add((e_iri, RDF.predicate, p))
            g.add((e_iri, RDF.object, o))
            g.add((e_iri, CIV.sentence, _zh(t.evidence.sentence.text)))
            g.add((e_iri, CIV.charStart, Literal(t.evidence.sentence.start)))
            g.add((e_iri, CIV.charEnd, Literal(t.evidence.sentence.end)))
            g.add((e_iri, CIV.rule, Literal(t.evidence.rule)))
            g.add((e_iri, CIV.inArticle, g_iri))
            if t.evidence.role:
                g.add((e_iri, CIV.role, _zh(t.evidence.role)))
            if t.predicate == "author" and t.evidence.role:
                g.add((e_iri, CIV.authorRole, _zh(t.evidence.role)))
        for at in x.attributes:
            describe(at.entity)
            g.add((node(at.entity), CIV[at.predicate], _zh(at.value)))
    return ds


def _sort_key(t: Triple) -> tuple[str, ...]:
    o = t.object
    return (t.subject.kind, t.subject.key, t.predicate, o.text if isinstance(o, Value) else f"{o.kind}/{o.key}",
            str(t.evidence.sentence.start), t.evidence.rule, t.evidence.role or "")
