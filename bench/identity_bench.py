"""Who is who at archive scale (issue 15): persons told apart and merged, tenures, and the cost.

    python bench/identity_bench.py [--limit N] [--time-limit 3000] [--workers 2] [--top 20]

Converts the first --limit articles of the benchmark corpus (all of it by default) into raw
pages under /tmp, builds them (`pipeline.build`, RDF and store, --workers processes) and
prints, from the store:
- person names that resolve to more than one person (the same name in places or bodies with
  nothing shared), and the persons a name-only key would have fused;
- persons stated in more than one article (the mentions resolution merged into one node);
- the top --top officials by the articles stating their posts, with each post's first and last
  dated statement;
and the cost: on --time-limit articles built in this process with one worker, the time spent
in resolution (`identity.identify` and the short references of `article._short_references`)
as a share of the whole build's. Target: at most 15%.
"""
from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

import _corpus
import pyoxigraph as ox

import kg.extract.article as article_mod
import kg.extract.rules as rules_mod
from kg.sparql import store

PREFIXES = """PREFIX civ: <https://w3id.org/civic-kg/ontology#>
PREFIX cid: <https://w3id.org/civic-kg/id/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
SPLIT = PREFIXES + """SELECT ?name (COUNT(DISTINCT ?p) AS ?n) WHERE {
  GRAPH cid:entities { ?p a civ:Person ; rdfs:label ?name } } GROUP BY ?name HAVING (COUNT(DISTINCT ?p) > 1)
ORDER BY DESC(?n) ?name"""
PERSONS = PREFIXES + """SELECT (COUNT(DISTINCT ?p) AS ?persons) (COUNT(DISTINCT ?name) AS ?names) WHERE {
  GRAPH cid:entities { ?p a civ:Person ; rdfs:label ?name } }"""
ARTICLES = PREFIXES + """SELECT ?p (COUNT(DISTINCT ?g) AS ?n) WHERE {
  GRAPH cid:entities { ?p a civ:Person }
  GRAPH ?g { { ?p ?x ?y } UNION { ?y ?x ?p } } FILTER(?g != cid:entities) } GROUP BY ?p"""
TENURES = PREFIXES + """SELECT ?p ?name ?post (MIN(?d) AS ?first) (MAX(?d) AS ?last) (COUNT(DISTINCT ?g) AS ?n)
WHERE {
  GRAPH ?g { ?e rdf:subject ?p ; rdf:predicate civ:holdsPost ; rdf:object ?po ; civ:date ?d . }
  GRAPH cid:entities { ?p rdfs:label ?name . ?po rdfs:label ?post } }
GROUP BY ?p ?name ?post"""


def _rows(db: ox.Store, sparql: str) -> list[list[str]]:
    return [[s[i].value if s[i] is not None else "" for i in range(len(s))]
            for s in db.query(sparql, use_default_graph_as_union=False)]


def _timed(module: Any, name: str, spent: list[float]) -> Callable[[], None]:
    """Wrap `module.name` to add its time to `spent[0]`; returns the undo."""
    fn = getattr(module, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - start

    setattr(module, name, wrapper)
    return lambda: setattr(module, name, fn)


def figures(db: ox.Store, top: int) -> None:
    ((persons, names),) = _rows(db, PERSONS)
    split = _rows(db, SPLIT)
    extra = sum(int(n) - 1 for _, n in split)
    print(f"persons: {int(persons):,} under {int(names):,} names; {len(split):,} names resolve to more than one "
          f"person ({extra:,} persons a name-only key would have fused)")
    print("  most split: " + ", ".join(f"{name} {n}" for name, n in split[:10]))
    counts = [int(n) for _, n in _rows(db, ARTICLES)]
    several = [n for n in counts if n > 1]
    print(f"persons stated in more than one article: {len(several):,} of {len(counts):,}; their mentions in "
          f"{sum(several):,} articles merged into {len(several):,} nodes ({sum(several) - len(several):,} merges)")
    tenures = _rows(db, TENURES)
    by_person: dict[str, list[list[str]]] = {}
    for row in tenures:
        by_person.setdefault(row[0], []).append(row)
    ranked = sorted(by_person.values(), key=lambda rs: (-sum(int(r[5]) for r in rs), rs[0][0]))[:top]
    print(f"top {top} officials by articles stating their posts (post: first .. last, articles):")
    for rs in ranked:
        key = unquote(rs[0][0].rsplit("/", 1)[-1])
        posts = "; ".join(f"{r[2]} {r[3]}..{r[4]} ({r[5]})" for r in sorted(rs, key=lambda r: (r[3], r[2]))[:4])
        more = f"; +{len(rs) - 4} posts" if len(rs) > 4 else ""
        print(f"  {key}  {posts}{more}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="articles for the figures (default: the whole corpus)")
    ap.add_argument("--time-limit", type=int, default=3000, help="articles for the cost (default 3000)")
    ap.add_argument("--workers", type=int, default=2, help="processes for the figures' build (default 2)")
    ap.add_argument("--top", type=int, default=20)
    ap.add_argument("--keep", action="store_true", help="keep the scratch folder under /tmp")
    args = ap.parse_args(argv)

    with _corpus.workdir(args.keep) as work:
        quota = _corpus.quotas(args.time_limit)
        n = _corpus.write_pages(quota, work / "sample")
        spent = [0.0]
        undo = [_timed(rules_mod, "identify", spent), _timed(article_mod, "_short_references", spent)]
        start = time.perf_counter()
        _corpus.build(work / "sample", work / "sample-out", incremental=False)
        wall = time.perf_counter() - start
        for u in undo:
            u()
        share = spent[0] / wall
        print(f"cost: {n:,} articles built in {wall:.1f} s with one worker; resolution {spent[0]:.2f} s = "
              f"{share:.1%} of it (target <= 15%: {'met' if share <= 0.15 else 'MISSED'}); {_corpus.load()}")

        quota = _corpus.quotas(args.limit)
        n = _corpus.write_pages(quota, work / "raw")
        start = time.perf_counter()
        _corpus.build(work / "raw", work / "out", incremental=False, workers=args.workers)
        print(f"figures: {n:,} articles built in {time.perf_counter() - start:.0f} s with {args.workers} workers")
        figures(store.open(work / "out"), args.top)


if __name__ == "__main__":
    main()
