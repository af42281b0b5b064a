"""Extractions to RDF: one named graph per article, labels, reified evidence."""
from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache

from rdflib import RDF, RDFS, XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import SKOS
from rdflib.plugins.serializers.nt import _nt_row
from rdflib.plugins.serializers.turtle import TurtleSerializer
from rdflib.term import Node

from kg import lexicon
from kg.graph.vocab import CID, CIV, RELATIONS, iri
from kg.ingest.textnorm import norm_key
from kg.model import Entity, Evidence, Extraction, Triple, Value

SYMMETRIC = frozenset({"agreementWith"})
# The entity index: one named graph describing every entity once (class, label, altLabels, code),
# beside the article graphs, so that a query joins one label per entity, not one per article.
INDEX_GRAPH = CID["entities"]
RELATION_NAMES = frozenset(RELATIONS)


def _zh(text: str) -> Literal:
    return Literal(text, lang="zh")


@dataclass
class NameCounts:
    """How often each entity was written in each form: mergeable across partitions."""

    labels: dict[tuple[str, str], Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    aliases: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def of(cls, extractions: Iterable[Extraction]) -> NameCounts:
        counts = cls()
        for x in extractions:
            for t in x.triples:
                for e in (t.subject, t.object):
                    if isinstance(e, Entity):
                        counts.labels[e.kind, e.key][e.label] += 1
                        counts.aliases[e.kind, e.key] |= e.aliases
            for at in x.attributes:
                counts.labels[at.entity.kind, at.entity.key][at.entity.label] += 1
        return counts


def _label(kind: str, forms: Counter[str]) -> str:
    """The most written form (the shortest of those); for a post its fullest written form
    (区人大常委会主任 over the 主任 of 区人大常委会党组书记、主任): every form of one post is its
    title with more or less of its body in front."""
    if kind == "Post":
        return min(forms, key=lambda s: (-len(s), s))
    return min(forms, key=lambda s: (-forms[s], len(s), s))


class Names:
    """One label per entity across the corpus (the most written form); the others become altLabels."""

    def __init__(self, source: Iterable[Extraction] | NameCounts) -> None:
        counts = source if isinstance(source, NameCounts) else NameCounts.of(source)
        self.label = {k: _label(k[0], c) for k, c in counts.labels.items()}
        self.aliases = {k: counts.aliases.get(k, set()) | set(c) for k, c in counts.labels.items()}

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


PREFIXES = (("civ", str(CIV)), ("cid", str(CID)), ("skos", str(SKOS)), ("schema", "https://schema.org/"),
            ("prov", "http://www.w3.org/ns/prov#"), ("org", "http://www.w3.org/ns/org#"))


def to_dataset(extractions: list[Extraction]) -> Dataset:
    """Every article's statements in its own named graph, with evidence for each."""
    ds = Dataset()
    for prefix, ns in PREFIXES:
        ds.bind(prefix, ns)
    names = Names(extractions)
    index = ds.graph(INDEX_GRAPH)
    for x in sorted(extractions, key=lambda x: x.article.id):
        g = ds.graph(article_iri(x.article.id))
        for t in article_triples(x, names):
            g.add(t)
            if is_description(t):
                index.add(t)
    return ds


def is_description(t: tuple[Node, Node, Node]) -> bool:
    """True for a triple that describes an entity (its class, label, altLabel, code): what the
    entity index holds."""
    s, p, o = t
    if p == _TYPE:
        return o in _ENTITY_CLASSES
    return p in _DESCRIBING and str(s).startswith(_ENTITY_PREFIXES)


def article_graph(x: Extraction, names: Names) -> Graph:
    """The named graph of one article (its identifier is the article IRI)."""
    g = Graph(identifier=article_iri(x.article.id))
    for prefix, ns in PREFIXES:
        g.bind(prefix, ns)
    for t in article_triples(x, names):
        g.add(t)
    return g


def article_triples(x: Extraction, names: Names) -> Iterator[tuple[URIRef, URIRef, URIRef | Literal]]:
    """The triples of one article's graph: the article, its entities, statements and evidence."""
    a = x.article
    g_iri = article_iri(a.id)
    yield g_iri, RDF.type, CIV.Article
    yield g_iri, RDFS.label, _zh(a.headline)
    yield g_iri, CIV.sourceFile, Literal(a.source)
    yield g_iri, CIV.sourceLine, Literal(a.line)
    if a.paper:
        yield g_iri, CIV.paper, _zh(a.paper)
    if a.date:
        yield g_iri, CIV.published, Literal(a.date.isoformat(), datatype=XSD.date)
    if a.url:
        yield g_iri, CIV.url, Literal(a.url)
    described: set[tuple[str, str]] = set()

    def describe(e: Entity) -> Iterator[tuple[URIRef, URIRef, URIRef | Literal]]:
        k = (e.kind, e.key)
        if k in described or e.kind == "Article":
            return
        described.add(k)
        n = node(e)
        yield n, RDF.type, CIV[e.kind]
        yield n, RDFS.label, _zh(names.label.get(k, e.label))
        for alt in names.alt_labels(*k) if k in names.label else ():
            yield n, SKOS.altLabel, _zh(alt)
        if e.adcode:
            yield n, CIV.adminCode, Literal(e.adcode)

    city = lexicon.gazetteer().lookup(a.city) if a.city else None
    if city is not None:
        yield from describe(Entity("Place", city.adcode, city.name, adcode=city.adcode))
        yield g_iri, CIV.city, iri("Place", city.adcode)
    for t in sorted({_canonical(t) for t in x.triples}, key=_sort_key):
        yield from describe(t.subject)
        if isinstance(t.object, Entity):
            yield from describe(t.object)
        s, p, o = node(t.subject), CIV[t.predicate], obj(t.object)
        yield s, p, o
        e_iri = _evidence_iri(g_iri, s, p, o, t.evidence)
        yield e_iri, RDF.type, CIV.Evidence
        yield e_iri, RDF.type, RDF.Statement
        yield e_iri, RDF.subject, s
        yield e_iri, RDF.predicate, p
        yield e_iri, RDF.object, o
        yield e_iri, CIV.sentence, _zh(t.evidence.sentence.text)
        yield e_iri, CIV.charStart, Literal(t.evidence.sentence.start)
        yield e_iri, CIV.charEnd, Literal(t.evidence.sentence.end)
        yield e_iri, CIV.rule, Literal(t.evidence.rule)
        yield e_iri, CIV.inArticle, g_iri
        if t.evidence.role:
            yield e_iri, CIV.role, _zh(t.evidence.role)
        if t.evidence.day:
            yield e_iri, CIV.date, Literal(t.evidence.day, datatype=XSD.date)
            yield e_iri, CIV.dateFrom, Literal(t.evidence.day_from)
        if t.predicate == "author" and t.evidence.role:
            yield e_iri, CIV.authorRole, _zh(t.evidence.role)
    for at in x.attributes:
        yield from describe(at.entity)
        yield node(at.entity), CIV[at.predicate], _zh(at.value)


def _sort_key(t: Triple) -> tuple[str, ...]:
    o = t.object
    return (t.subject.kind, t.subject.key, t.predicate, o.text if isinstance(o, Value) else f"{o.kind}/{o.key}",
            str(t.evidence.sentence.start), t.evidence.rule, t.evidence.role or "")


@dataclass(frozen=True, slots=True)
class Rendered:
    """One article's graph in the serialisations a build writes, with what it holds."""

    article_id: str
    trig: str       # a `<graph> { … }` block of TriG
    nquads: str     # sorted N-Quads lines
    relations: tuple[tuple[str, str, str], ...]   # (property, subject IRI, object) of scored relations
    entities: tuple[str, ...]                      # IRIs of the entities described
    descriptions: tuple[tuple[Node, Node, Node], ...]  # their class, label, altLabels, code (for the index)
    prefixes: tuple[str, ...]                      # the @prefix lines the TriG block relies on


def render(x: Extraction, names: Names) -> Rendered:
    """Serialise one article's named graph (deterministic: the same input gives the same text).

    The Turtle is rdflib's layout written by `turtle` (rdflib's own serializer when the
    graph holds something `turtle` does not write); the N-Quads are rdflib's N-Triples rows.
    """
    g_iri = article_iri(x.article.id)
    triples = list(dict.fromkeys(article_triples(x, names)))  # a graph holds each triple once
    trig, nquads, prefixes = _block(g_iri, triples)
    civ = str(CIV)
    relations = tuple(sorted({(p[len(civ):], str(s), str(o)) for s, p, o in triples
                              if p.startswith(civ) and p[len(civ):] in RELATION_NAMES}))
    entities = tuple(sorted({str(s) for s, p, o in triples if o in _ENTITY_CLASSES and p == _TYPE}))
    return Rendered(x.article.id, trig, nquads, relations, entities,
                    tuple(t for t in triples if is_description(t)), prefixes)


def index_graph(descriptions: Iterable[tuple[Node, Node, Node]]) -> tuple[str, str, tuple[str, ...]]:
    """The entity index: its TriG block, its sorted N-Quads lines and the @prefix lines it relies on."""
    return _block(INDEX_GRAPH, sorted(set(descriptions), key=lambda t: tuple(map(str, t))))


def _block(g_iri: URIRef, triples: list[tuple[Node, Node, Node]]) -> tuple[str, str, tuple[str, ...]]:
    """One named graph as a TriG block, sorted N-Quads lines, and the @prefix lines of the block."""
    text = turtle(triples)
    if text is None:
        g = Graph(identifier=g_iri)
        for prefix, ns in PREFIXES:
            g.bind(prefix, ns)
        for t in triples:
            g.add(t)
        text = g.serialize(format="turtle")
    lines = text.split("\n")
    body = "\n".join(f"    {ln}" if ln else "" for ln in lines if not ln.startswith("@prefix"))
    suffix = f" <{g_iri}> .\n"
    nquads = "".join(sorted(_nt_row(t)[:-3].rstrip() + suffix for t in triples))
    return f"<{g_iri}> {{\n{body.strip(chr(10))}\n}}\n", nquads, tuple(ln for ln in lines if ln.startswith("@prefix"))


_ENTITY_KINDS = ("Person", "Organization", "Place", "Event", "Agreement", "Post")
_ENTITY_CLASSES = frozenset(CIV[k] for k in _ENTITY_KINDS)
_ENTITY_PREFIXES = tuple(str(iri(k, "x"))[:-1] for k in _ENTITY_KINDS)
_DESCRIBING = frozenset({RDFS.label, SKOS.altLabel, CIV.adminCode})
_PREDICATE_ORDER = (RDF.type, RDFS.label)          # TurtleSerializer.predicateOrder
_KEYWORDS = {RDF.type: "a"}
_TYPE, _NIL, _CLASS = RDF.type, frozenset({RDF.nil}), frozenset({RDFS.Class})
_ESCAPE_PERCENT = TurtleSerializer.LOCALNAME_PECRENT_CHARACTER_REQUIRING_ESCAPE_REGEX


class _Unsupported(Exception):
    """The graph holds something `turtle` leaves to rdflib (blank nodes, lists, classes, new prefixes)."""


@cache
def _prefixed() -> Graph:
    """An empty graph binding what an article graph binds: the source of prefixed names."""
    g = Graph()
    for prefix, ns in PREFIXES:
        g.bind(prefix, ns)
    return g


@lru_cache(maxsize=1 << 16)
def _pname(uri: URIRef, verb: bool) -> tuple[str, str, str] | None:
    """TurtleSerializer.get_pname on an article graph: (prefix, namespace, prefixed name) or None."""
    g = _prefixed()
    try:
        prefix, namespace, local = g.namespace_manager.compute_qname(uri, generate=False)
    except (KeyError, ValueError) as e:
        if verb and isinstance(e, KeyError):  # rdflib would bind a new prefix (ns1) here
            raise _Unsupported(uri) from e
        pfx = g.store.prefix(uri)
        if pfx is None:
            return None
        prefix, namespace, local = pfx, uri, ""
    local = _ESCAPE_PERCENT.sub("\\%", local.replace("(", r"\(").replace(")", r"\)"))
    if local.endswith("."):
        return None
    if prefix.startswith("_"):  # rdflib would rename the prefix
        raise _Unsupported(prefix)
    return prefix, str(namespace), f"{prefix}:{local}"


def _datatype_pname(uri: URIRef) -> str | None:
    found = _pname(uri, False)
    return found[2] if found else None


def turtle(triples: Iterable[tuple[Node, Node, Node]]) -> str | None:
    """The Turtle rdflib 7 writes for a graph of these (distinct) triples binding PREFIXES, or None.

    Same bytes as `Graph.serialize(format="turtle")`, without building the graph: prefixes
    in use, subjects by (times referenced, IRI), rdf:type and rdfs:label first, objects
    sorted, rdflib's own term order and literal syntax. None when a graph holds blank
    nodes, lists, rdfs:Class members or a predicate without a prefix: serialise those with rdflib.
    """
    props: dict[Node, dict[Node, list[Node]]] = {}
    refs: Counter[Node] = Counter()
    used: dict[str, str] = {}
    try:
        for s, p, o in triples:
            if (not isinstance(s, URIRef) or not isinstance(p, URIRef) or isinstance(o, BNode)
                    or s in _NIL or o in _NIL or (o in _CLASS and p == _TYPE)):
                raise _Unsupported(s)
            props.setdefault(s, {}).setdefault(p, []).append(o)
            refs[o] += 1
            names = [_pname(s, False), None if p in _KEYWORDS else _pname(p, True)]
            if isinstance(o, URIRef):
                names.append(_pname(o, False))
            elif isinstance(o, Literal) and o.datatype:
                names.append(_pname(o.datatype, False))
            for found in names:
                if found is not None and used.setdefault(found[0], found[1]) != found[1]:
                    raise _Unsupported(found[0])
        if any(_pname(p, True) is None for p in {p for by_p in props.values() for p in by_p} - _KEYWORDS.keys()):
            raise _Unsupported("predicate")
    except _Unsupported:
        return None

    def term(node: Node, verb: bool = False) -> str:
        if verb and node in _KEYWORDS:
            return _KEYWORDS[node]
        if isinstance(node, Literal):
            return node._literal_n3(use_plain=True, qname_callback=_datatype_pname)
        found = _pname(node, verb)  # type: ignore[arg-type]
        return found[2] if found else node.n3()

    out = [f"@prefix {prefix}: <{ns}> .\n" for prefix, ns in sorted(used.items())]
    for s in sorted(props, key=lambda s: (refs[s], s)):
        by_p = props[s]
        order = [p for p in _PREDICATE_ORDER if p in by_p]
        order += sorted(p for p in by_p if p not in _PREDICATE_ORDER)
        out.append("\n" + term(s))
        for i, p in enumerate(order):
            objects = sorted(by_p[p])
            out.append((" " if i == 0 else " ;\n    ") + term(p, verb=True) + " " + term(objects[0]))
            out.extend(",\n        " + term(o) for o in objects[1:])
        out.append(" .\n")
    out.append("\n")
    return "".join(out)
