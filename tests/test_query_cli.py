"""`kg query` as an analyst meets it (issue 14): the union default graph, undeclared prefixes,
IRIs printed so that they paste back, parameters, whole cells."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg import cli
from kg.sparql import prefixes, queries, results, store

CAO = "https://w3id.org/civic-kg/id/person/曹慧泉-株洲市"


def kg_query(build: Path, *args: str) -> tuple[int, str]:
    out = CliRunner().invoke(cli.main, ["query", *args, "--graph", str(build)])
    assert out.exception is None or isinstance(out.exception, SystemExit), out.exception
    return out.exit_code, out.output


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))[1:]


def test_the_first_query_finds_triples(seed_build: Path) -> None:
    code, out = kg_query(seed_build, "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10")
    assert code == 0 and out.splitlines()[-1].startswith("(10 rows")
    quads = len(store.open(seed_build))
    code, out = kg_query(seed_build, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv")
    assert code == 0 and csv_rows(out) == [[str(quads)]]  # every quad of every article graph


def test_no_union_is_the_strict_default_graph(seed_build: Path) -> None:
    code, out = kg_query(seed_build, "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10", "--no-union")
    assert code == 0 and out.rstrip().endswith("(0 rows)")
    code, out = kg_query(seed_build, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", "--no-union",
                         "--format", "csv")
    assert csv_rows(out) == [[str(len(store.open(seed_build)))]]


def test_graph_still_names_the_article(seed_build: Path) -> None:
    code, out = kg_query(seed_build, "SELECT DISTINCT ?g WHERE { GRAPH ?g { person:曹慧泉-株洲市 civ:inspected ?x } }",
                         "--format", "csv")
    assert code == 0 and csv_rows(out) == [["https://w3id.org/civic-kg/id/article/zhuzhou-daily-2023-06-04-03"]]


def test_describe_an_entity(seed_build: Path) -> None:
    code, out = kg_query(seed_build, f"DESCRIBE <{CAO}>", "--format", "csv")
    assert code == 0
    triples = [q.triple for q in ox.parse(out.encode(), format=ox.RdfFormat.N_TRIPLES)]
    assert len(triples) == len(set(triples)) > 5  # a graph: no triple twice, though two articles state some
    post = ox.NamedNode("https://w3id.org/civic-kg/id/post/株洲市委书记")
    assert ox.Triple(ox.NamedNode(CAO), ox.NamedNode("https://w3id.org/civic-kg/ontology#holdsPost"), post) in triples


def test_every_example_keeps_its_rows_over_the_union(seed_build: Path) -> None:
    db = store.open(seed_build)
    for name in queries.names():
        union = results.render(store.query(db, queries.load(name)), "json")
        strict = results.render(store.query(db, queries.load(name), union=False), "json")
        assert union == strict, name
        assert json.loads(union), name  # SELECT bindings or, for CONSTRUCT, JSON-LD


def test_prefixes_need_no_declaration(seed_build: Path) -> None:
    body = "WHERE { ?p civ:holdsPost ?post ; rdfs:label ?n . ?post a civ:Post . FILTER(?p = person:曹慧泉-株洲市) }"
    code, out = kg_query(seed_build, f"SELECT DISTINCT ?n {body}", "--format", "csv")
    assert code == 0 and csv_rows(out) == [["曹慧泉"]]
    # a query's own declaration wins over the default one
    code, out = kg_query(seed_build, f"PREFIX civ: <urn:nothing#> SELECT DISTINCT ?n {body}", "--format", "csv")
    assert code == 0 and csv_rows(out) == []
    for prefix, ns in prefixes.NAMESPACES.items():
        code, out = kg_query(seed_build, f"SELECT (STR({prefix}:x) AS ?iri) WHERE {{}}", "--format", "csv")
        assert csv_rows(out) == [[ns + "x"]], prefix


def test_an_undeclared_prefix_names_itself(seed_build: Path) -> None:
    code, out = kg_query(seed_build, "SELECT * WHERE {\n  ?s civ:attended ?e .\n  ?e dc:title ?t\n}")
    assert code == 1
    assert "prefix dc: is not declared" in out and "line 3, column 6" in out
    assert "Traceback" not in out and "['%']" not in out


def pasted(build: Path, forms: list[str]) -> list[str]:
    """What `kg query` reads back when the printed forms are pasted into a query."""
    code, out = kg_query(build, "SELECT ?x WHERE { VALUES ?x { " + " ".join(forms) + " } }", "--format", "csv")
    assert code == 0, out
    return [r[0] for r in csv_rows(out)]


@pytest.mark.parametrize("trig", ["seed", "hostile"])
def test_printed_iris_paste_back(seed_build: Path, tmp_path: Path, trig: str) -> None:
    if trig == "seed":
        build = seed_build
    else:
        build = tmp_path
        (build / "civic.trig").write_bytes((Path(__file__).parent / "data" / "hostile.trig").read_bytes())
    db = store.open(build)
    iris = sorted({t.value for q in db for t in (q.subject, q.predicate, q.object, q.graph_name)
                   if isinstance(t, ox.NamedNode)})
    assert any("%" in i for i in iris)  # percent-encoded IRIs are among them
    forms = [results.display(ox.NamedNode(i)) for i in iris]
    assert pasted(build, forms) == iris
    if trig == "seed":
        assert results.display(ox.NamedNode(CAO)) == "person:曹慧泉-株洲市"


def test_table_cells_paste_back(seed_build: Path) -> None:
    """The table itself, not only display(): its IRI cells are valid query terms."""
    text = "SELECT DISTINCT ?post WHERE { ?p civ:holdsPost ?post } ORDER BY ?post"
    cells = [line.strip() for line in kg_query(seed_build, text)[1].splitlines()[2:-1]]
    csv_out = kg_query(seed_build, text, "--format", "csv")[1]
    assert len(cells) > 10
    assert pasted(seed_build, cells) == [r[0] for r in csv_rows(csv_out)]


def test_list_shows_parameters_with_defaults() -> None:
    out = CliRunner().invoke(cli.main, ["query", "--list"]).output
    lines = out.splitlines()
    i = next(n for n, line in enumerate(lines) if line.startswith("date_range "))
    assert lines[i + 1].split() == ["-p", "from=2023-06-01", "first", "day,", "YYYY-MM-DD"]
    assert lines[i + 2].split()[:2] == ["-p", "to=2023-06-30"]
    assert sum(line.lstrip().startswith("-p ") for line in lines) == sum(len(queries.info(n).params)
                                                                         for n in queries.names())


@pytest.mark.parametrize(("param", "expected"), [
    ("day=2023-6-4", "-p day=2023-6-4 cannot match: day takes a date written YYYY-MM-DD, e.g. day=2023-06-04"),
    ("day=2023-02-30", "day takes a date written YYYY-MM-DD"),
    ("colour=red", "unknown parameter colour (this query takes: day)"),
])
def test_a_parameter_that_cannot_match_is_an_error(seed_build: Path, param: str, expected: str) -> None:
    code, out = kg_query(seed_build, "officials_events", "-p", param)
    assert code == 1 and expected in out


def test_a_name_outside_the_querys_table_is_an_error(seed_build: Path) -> None:
    code, out = kg_query(seed_build, "provenance", "-p", "relation=visited")
    assert code == 1 and "relation is one of attended, presided, inspected" in out
    code, out = kg_query(seed_build, "provenance", "-p", "relation=attended", "-p", "subject=杨跃")
    assert code == 0 and "(0 rows)" not in out


def test_wide_shows_the_sentence_whole(seed_build: Path) -> None:
    sentence = ("6月2日,市委书记曹慧泉调研荷塘区经济社会发展和班子运行情况,他强调,要坚持问题导向,全力破解难题,"
                "积极探索新路,努力为株洲发展多作贡献。")
    clipped = kg_query(seed_build, "provenance")[1]
    assert sentence not in clipped
    assert clipped.splitlines()[-1] == "(4 rows, long cells clipped: --wide (or csv, json) shows them whole)"
    wide = kg_query(seed_build, "provenance", "--wide")[1]
    assert sentence in wide and wide.splitlines()[-1] == "(4 rows)"
    assert sentence in kg_query(seed_build, "provenance", "--format", "csv")[1]
