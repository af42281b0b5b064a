"""One entity at a glance: what the graph says about it, for `kg show NAME` and the server's item page.

`find` turns a name (a label or alias), a prefixed name or an IRI into entity IRIs; `describe`
reads the entity's class, labels, posts and every relation it takes part in, each with its date
(the event's day where there is one, else the article's), its article and its sentence.
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from urllib.parse import quote

import pyoxigraph as ox

from kg.graph.network import verb
from kg.sparql import prefixes, store

KIND_NAMES = {"Person": "人物", "Organization": "机构", "Place": "地点", "Event": "活动", "Agreement": "协议",
              "Post": "职务", "Article": "文章", "Evidence": "证据"}
CIV = prefixes.NAMESPACES["civ"]
ITEM_PATH = "/id/"
"""The item page of `cid:X` is served at /id/X, the path of its IRI."""

_BY_NAME = """SELECT DISTINCT ?e ?name WHERE {
  GRAPH cid:entities { { ?e rdfs:label ?name } UNION { ?e skos:altLabel ?name } }
} ORDER BY ?e"""
_CONTAINING = """SELECT DISTINCT ?e ?label ?text WHERE {
  GRAPH cid:entities { ?e rdfs:label ?label } FILTER(CONTAINS(STR(?label), ?text))
} ORDER BY STRLEN(STR(?label)) ?label LIMIT 10"""
_ABOUT = """SELECT ?e ?kind ?label ?alias ?article ?published WHERE {
  { GRAPH cid:entities { ?e a ?kind ; rdfs:label ?label . OPTIONAL { ?e skos:altLabel ?alias } } }
  UNION
  { GRAPH ?e { ?e a ?kind ; rdfs:label ?label . OPTIONAL { ?e civ:published ?published } } }
}"""
_RELATIONS = """SELECT ?e ?out ?p ?other ?otherLabel ?day ?g ?headline ?sentence ?start ?role WHERE {
  { GRAPH ?g { ?ev rdf:subject ?e ; rdf:predicate ?p ; rdf:object ?other } BIND(true AS ?out) }
  UNION
  { GRAPH ?g { ?ev rdf:object ?e ; rdf:predicate ?p ; rdf:subject ?other } BIND(false AS ?out) }
  GRAPH ?g { ?ev civ:sentence ?sentence ; civ:charStart ?start . ?g rdfs:label ?headline }
  # one OPTIONAL per pattern, after the join: inside the group above they would bind ?other alone
  OPTIONAL { GRAPH ?g { ?g civ:published ?published } }
  OPTIONAL { GRAPH ?g { ?ev civ:role ?role } }
  OPTIONAL { GRAPH ?g { ?other civ:heldOn ?otherDay } }
  OPTIONAL { GRAPH ?g { ?e civ:heldOn ?ownDay } }
  OPTIONAL { GRAPH ?g { ?ev civ:date ?evidenceDay } }
  OPTIONAL { GRAPH cid:entities { ?other rdfs:label ?otherLabel } }
  BIND(COALESCE(?otherDay, ?ownDay, ?evidenceDay, ?published) AS ?day)
}"""
_POSTS = """SELECT DISTINCT ?e ?name WHERE {
  GRAPH ?g { ?e civ:holdsPost ?post }
  GRAPH cid:entities { ?post rdfs:label ?label . OPTIONAL { ?post skos:altLabel ?alias } }
  BIND(COALESCE(?alias, ?label) AS ?name)
} ORDER BY ?name"""


@dataclass(frozen=True, slots=True)
class Relation:
    """One statement the entity takes part in, as one evidence sentence states it."""

    relation: str  # civ local name
    outgoing: bool  # the entity is the statement's subject
    other: str  # the other end: an IRI, or a literal's text
    other_label: str
    day: str
    article: str
    headline: str
    sentence: str
    role: str

    @property
    def verb(self) -> str:
        """The Chinese verb with the statement's direction: `出席 →` from the entity, `← 出席` towards it."""
        word = verb(self.relation, self.role or None)
        return f"{word} →" if self.outgoing else f"← {word}"


@dataclass(frozen=True, slots=True)
class Entity:
    """An entity: its IRI, class, label, aliases, posts and relations (sorted by day, then text)."""

    iri: str
    kind: str
    label: str
    aliases: tuple[str, ...]
    posts: tuple[str, ...]
    relations: tuple[Relation, ...]


def _text(term: object) -> str:
    return term.value if isinstance(term, ox.NamedNode | ox.Literal | ox.BlankNode) else ""


def _solutions(db: ox.Store, sparql: str, **terms: ox.NamedNode | ox.Literal) -> list[ox.QuerySolution]:
    """The solutions of `sparql` with its variables named in `terms` bound (each is in the projection)."""
    result = store.query(db, sparql, substitutions={ox.Variable(k): v for k, v in terms.items()})
    assert isinstance(result, ox.QuerySolutions)
    return list(result)


def find(db: ox.Store, name: str) -> list[str]:
    """IRIs of the entities `name` means: an IRI (`<…>` or bare), a prefixed name, or a label or alias."""
    name = name.strip()
    if name.startswith("<") and name.endswith(">"):
        name = name[1:-1]
    if name.startswith(("http://", "https://", "urn:")):
        return [name]
    prefix, _, local = name.partition(":")
    if local and prefix in prefixes.DECLARED:
        return [prefixes.DECLARED[prefix] + local.replace("\\", "")]
    found = _solutions(db, _BY_NAME, name=ox.Literal(name, language="zh"))
    return [s["e"].value for s in found]


def containing(db: ox.Store, text: str) -> list[tuple[str, str]]:
    """Up to ten (IRI, label) of entities whose label contains `text`, shortest first: what to suggest."""
    rows = _solutions(db, _CONTAINING, text=ox.Literal(text))
    return [(s["e"].value, s["label"].value) for s in rows]


def describe(db: ox.Store, iri: str) -> Entity | None:
    """What the graph says about the entity `iri`, or None when it has no class and label there."""
    e = ox.NamedNode(iri)
    about = _solutions(db, _ABOUT, e=e)
    if not about:
        return None
    kind = min(_text(s["kind"]).replace(CIV, " ") for s in about).strip()  # a civ: class first
    aliases = tuple(sorted({_text(s["alias"]) for s in about} - {""}))
    posts = tuple(_text(s["name"]) for s in _solutions(db, _POSTS, e=e))
    relations = sorted({Relation(_text(s["p"]).removeprefix(CIV), s["out"].value == "true", _text(s["other"]),
                                 _text(s["otherLabel"]) or _text(s["other"]), _text(s["day"]), _text(s["g"]),
                                 _text(s["headline"]), _text(s["sentence"]), _text(s["role"]))
                        for s in _solutions(db, _RELATIONS, e=e)},
                       key=lambda r: (r.day, r.relation, r.other_label, r.article, r.sentence))
    return Entity(iri, kind, _text(about[0]["label"]), aliases, posts, tuple(relations))


# ── as text (kg show) ────────────────────────────────────────────────────────────────────────

def to_text(entity: Entity) -> str:
    """The entity for a terminal: a header, then one block per relation with its sentence."""
    lines = [f"{entity.label}  {prefixes.shorten(entity.iri)}  {entity.kind} {KIND_NAMES.get(entity.kind, '')}"]
    if entity.aliases:
        lines.append(f"  别名 aliases: {'、'.join(entity.aliases)}")
    if entity.posts:
        lines.append(f"  职务 posts: {'、'.join(entity.posts)}")
    lines.append(f"  关系 relations: {len(entity.relations)}")
    for r in entity.relations:
        other = prefixes.shorten(r.other) if r.other.startswith("http") else ""
        lines.append(f"  {r.day or '----------'}  {r.verb} {r.relation}  {r.other_label}  {other}".rstrip())
        lines.append(f"      《{r.headline}》 {prefixes.shorten(r.article)}")
        lines.append(f"      {r.sentence}")
    return "\n".join(lines) + "\n"


# ── as HTML (the item page) ──────────────────────────────────────────────────────────────────

def item_url(iri: str) -> str | None:
    """The server path of the item page of `iri` (its path %-encoded once more), or None when it is
    not a civic-kg entity.

    >>> item_url("https://w3id.org/civic-kg/id/person/曹慧泉")
    '/id/person/%E6%9B%B9%E6%85%A7%E6%B3%89'
    >>> item_url("https://w3id.org/civic-kg/id/post/%E4%B8%AD")
    '/id/post/%25E4%25B8%25AD'
    """
    if not iri.startswith(prefixes.CID):
        return None
    return ITEM_PATH + quote(iri[len(prefixes.CID):], safe="/")


def _link(iri: str, text: str) -> str:
    url = item_url(iri)
    return f'<a href="{html.escape(url)}">{html.escape(text)}</a>' if url else html.escape(text)


def to_html(entity: Entity) -> str:
    """The item page: a whole HTML document, every value escaped, no script."""
    e = html.escape
    describe_query = quote(f"DESCRIBE <{entity.iri}>", safe="")
    rows = "".join(
        f"<tr><td>{e(r.day)}</td><td>{e(r.verb)} <small>{e(r.relation)}</small></td>"
        f"<td>{_link(r.other, r.other_label) if r.other.startswith('http') else e(r.other_label)}</td>"
        f"<td>{_link(r.article, r.headline)}</td><td>{e(r.sentence)}</td></tr>" for r in entity.relations)
    facts = [f"<dt>类别 class</dt><dd>{e(KIND_NAMES.get(entity.kind, ''))} {e(entity.kind)}</dd>",
             f"<dt>IRI</dt><dd><code>{e(entity.iri)}</code></dd>"]
    if entity.aliases:
        facts.append(f"<dt>别名 aliases</dt><dd>{e('、'.join(entity.aliases))}</dd>")
    if entity.posts:
        facts.append(f"<dt>职务 posts</dt><dd>{e('、'.join(entity.posts))}</dd>")
    return f"""<!doctype html>
<html lang="zh">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(entity.label)} · civic-kg</title><link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/app.css"></head>
<body class="item">
<header><h1><a href="/">civic-kg SPARQL</a> · {e(entity.label)}</h1>
<a href="/?query={describe_query}">在查询页打开 DESCRIBE</a></header>
<main class="item"><dl>{''.join(facts)}</dl>
<h2>关系 relations ({len(entity.relations)})</h2>
<table id="relations"><thead><tr><th>日期 date</th><th>关系 relation</th><th>对象 object</th><th>文章 article</th>
<th>句子 sentence</th></tr></thead><tbody>{rows}</tbody></table></main>
</body>
</html>
"""
