"""The embedded store (kg.sparql.store), the results writers (kg.sparql.results) and `kg query`."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import KgError
from kg.sparql import queries, results, store

MINI = Path(__file__).parent / "data" / "mini.trig"  # hand-written, follows docs/rdf-layout.md
FORMATS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
           "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}


@pytest.fixture
def out(tmp_path: Path) -> Path:
    shutil.copy(MINI, tmp_path / "civic.trig")
    return tmp_path


def count(db: ox.Store) -> int:
    (sol,) = db.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    return int(sol["n"].value)


def test_write_builds_store_beside_the_files(out: Path) -> None:
    path = store.write(out / "civic.trig", out)
    assert path == out / "store" and (path / "db").is_dir()
    stamp = json.loads((path / "source.json").read_text(encoding="utf-8"))
    assert stamp["source"] == "civic.trig" and stamp["quads"] == 226
    assert store.is_fresh(out)
    assert count(store.open(out)) == 226
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []  # no temp folder left


def test_write_replaces_the_old_store_atomically(out: Path) -> None:
    store.write(out / "civic.trig", out)
    store.write(b"<https://x/s> <https://x/p> <https://x/o> <https://x/g> .", out, fmt=ox.RdfFormat.N_QUADS)
    assert count(ox.Store.read_only(str(out / "store" / "db"))) == 1
    assert sorted(p.name for p in out.iterdir()) == ["civic.trig", "store"]


def test_failed_write_keeps_the_old_store(out: Path) -> None:
    store.write(out / "civic.trig", out)
    with pytest.raises(KgError, match="<bytes>"):
        store.write(b"GRAPH <x:g> { oops", out)
    assert count(store.open(out)) == 226
    assert sorted(p.name for p in out.iterdir()) == ["civic.trig", "store"]


def test_store_older_than_trig_is_rebuilt(out: Path) -> None:
    store.write(out / "civic.trig", out)
    stat = (out / "civic.trig").stat()
    os.utime(out / "civic.trig", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert store.is_fresh(out)  # same bytes, new mtime (a checkout): still fresh
    text = (out / "civic.trig").read_text(encoding="utf-8")
    (out / "civic.trig").write_text(text.replace('"株洲日报"', '"湘潭日报"'), encoding="utf-8")
    os.utime(out / "civic.trig", ns=(stat.st_atime_ns, stat.st_mtime_ns + 2 * 10**9))
    assert not store.is_fresh(out)
    db = store.open(out)  # rebuilt on demand
    assert store.is_fresh(out)
    assert bool(db.query('ASK { GRAPH ?g { ?a <https://w3id.org/civic-kg/ontology#paper> "湘潭日报" } }'))


def test_open_without_store_loads_trig_or_fails(out: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    assert count(store.open(out, rebuild=False)) == 226
    assert not (out / "store").exists()
    with pytest.raises(KgError, match="run `kg build"):
        store.open(tmp_path_factory.mktemp("empty"))


def test_syntax_error_has_line_and_column() -> None:
    text = 'SELECT ?x WHERE {\n  GRAPH ?g { ?x <a:b> "曹慧泉" ) }\n}'
    with pytest.raises(store.QuerySyntaxError) as info:
        store.query(ox.Store(), text)
    assert (info.value.line, info.value.column) == (2, 3)
    assert info.value.context().splitlines()[1:] == [f"   2 | {text.splitlines()[1]}", "     |   ^"]
    with pytest.raises(store.QuerySyntaxError) as info:
        store.query(ox.Store(), "SELECT * WHERE { ?s ?p ?o")
    assert (info.value.line, info.value.column) == (1, 26)


@pytest.mark.parametrize("name", queries.names())
def test_writers_match_pyoxigraph(name: str) -> None:
    """kg.sparql.results writes what pyoxigraph writes (ours exist to cut results at a row cap)."""
    db = ox.Store()
    db.load(path=str(MINI))
    if not isinstance(db.query(queries.load(name)), ox.QuerySolutions):
        return
    t = results.table(db.query(queries.load(name)))
    for fmt, oxfmt in FORMATS.items():
        assert results.WRITERS[fmt](t) == db.query(queries.load(name)).serialize(format=oxfmt), fmt
    for ask in ("ASK { GRAPH ?g { ?s ?p ?o } }", "ASK { GRAPH ?g { ?s ?p 42 } }"):
        for fmt, oxfmt in FORMATS.items():
            assert results.boolean(bool(db.query(ask)), fmt) == db.query(ask).serialize(format=oxfmt)


def test_row_cap_cuts_and_says_so() -> None:
    db = ox.Store()
    db.load(path=str(MINI))
    t = results.table(db.query("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"), limit=5)
    assert len(t.rows) == 5 and t.truncated
    t = results.table(db.query("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"), limit=226)
    assert len(t.rows) == 226 and not t.truncated


def test_text_table_aligns_chinese() -> None:
    t = results.Table(("person", "event"), ((ox.Literal("曹慧泉", language="zh"), ox.Literal("第22次早餐会")),
                                            (ox.Literal("Wang"), None)))
    lines = results.to_text(t).splitlines()
    assert lines[2].index("第") + results.width("曹慧泉") - len("曹慧泉") == lines[0].index("event")
    assert [results.width(ln.split("  ")[0]) for ln in lines[:3]] == [6, 6, 6]
    assert lines[-1] == "(2 rows)"


def test_cli_query(seed_build: Path) -> None:
    run = CliRunner().invoke
    listing = run(main, ["query", "--list"])
    assert listing.exit_code == 0 and all(n in listing.output for n in queries.names())
    table = run(main, ["query", "presided", "--graph", str(seed_build)])
    assert table.exit_code == 0, table.output
    assert table.output.splitlines()[0].split() == ["person", "event", "date", "headline"]
    assert "陈恢清" in table.output and table.output.splitlines()[-1].startswith("(1 row")
    csv = run(main, ["query", "official_timeline", "-p", "official=陈恢清", "--graph", str(seed_build),
                     "--format", "csv"])
    assert csv.output.splitlines()[0] == "date,dateFrom,action,what,headline,who" and len(csv.output.splitlines()) == 3
    js = run(main, ["query", "ASK { GRAPH ?g { ?s ?p ?o } }", "--graph", str(seed_build), "--format", "json"])
    assert json.loads(js.output) == {"head": {}, "boolean": True}
    bad = run(main, ["query", "SELECT * WHERE {\n ?s ?p ", "--graph", str(seed_build)])
    assert bad.exit_code == 1 and "line 2, column" in bad.output
    missing = run(main, ["query", "no_such_example", "--graph", str(seed_build)])
    assert missing.exit_code == 1 and "no example query named" in missing.output
