"""The whole build of raw/: scored against the dev gold, valid, deterministic, robust."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, RDFS, Dataset, Graph

from kg import pipeline
from kg.cli import EXIT_NOTHING, EXIT_OK, EXIT_PARTIAL, main
from kg.extract import rules
from kg.graph import rdf, validate
from kg.graph.vocab import CIV
from tests.conftest import RAW, ROOT, SEED, SHARED

SCORER = SHARED / "eval" / "score.py"


def score(trig: Path, gold: Path, *flags: str) -> dict:
    out = subprocess.run([sys.executable, str(SCORER), str(trig), str(gold), "--json", *flags],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


@pytest.mark.skipif(not SCORER.exists(), reason="needs ../shared/eval")
def test_dev_score_thresholds(seed_build):
    r = score(seed_build / "civic.trig", SHARED / "eval" / "dev" / "gold")
    assert r["core"]["f1"] >= 0.95 and r["core"]["precision"] >= 0.95, r["core"]
    assert r["supporting"]["f1"] >= 0.85, r["supporting"]
    assert r["duplicates"]["rate"] == 0 and r["merged_nodes"] == 0
    events = score(seed_build / "civic.trig", SHARED / "eval" / "dev" / "gold", "--skip", "author,holdsPost")
    assert events["core"]["f1"] >= 0.95, events["core"]


@pytest.mark.skipif(not (SHARED / "eval" / "dev2").exists(), reason="needs ../shared/eval/dev2")
def test_dev2_score_thresholds(tmp_path):
    """Twenty real articles from other cities and papers (issue 8)."""
    report = pipeline.build(SHARED / "eval" / "dev2" / "raw", tmp_path)
    assert not report.failed
    r = score(tmp_path / "civic.trig", SHARED / "eval" / "dev2" / "gold", "--skip", "author")
    assert r["core"]["f1"] >= 0.90 and r["core"]["precision"] >= 0.90, r["core"]
    assert r["duplicates"]["rate"] == 0 and r["merged_nodes"] == 0
    events = score(tmp_path / "civic.trig", SHARED / "eval" / "dev2" / "gold", "--skip", "author,holdsPost")
    assert events["core"]["f1"] >= 0.90, events["core"]


@pytest.mark.skipif(not (SHARED / "eval" / "dev3").exists(), reason="needs ../shared/eval/dev3")
def test_dev3_score_floors(tmp_path):
    """47 articles of other publishers on five themes (issue 13): the issue's targets for the core,
    the event relations and the supporting relations (today 0.903, 0.864 and 0.964)."""
    report = pipeline.build(SHARED / "eval" / "dev3" / "raw", tmp_path, views=False, exports=False)
    assert not report.failed
    r = score(tmp_path / "civic.trig", SHARED / "eval" / "dev3" / "gold", "--skip", "author")
    assert r["core"]["f1"] >= 0.85 and r["core"]["precision"] >= 0.90, r["core"]
    assert r["supporting"]["f1"] >= 0.75, r["supporting"]
    assert r["duplicates"]["extra_nodes"] <= 1 and r["merged_nodes"] == 0, r["duplicates"]  # today 1 of 532
    events = score(tmp_path / "civic.trig", SHARED / "eval" / "dev3" / "gold", "--skip", "author,holdsPost")
    assert events["core"]["f1"] >= 0.80 and events["core"]["precision"] >= 0.90, events["core"]


def test_shacl_conforms(seed_build):
    ds = Dataset()
    ds.parse(seed_build / "civic.trig", format="trig")
    assert validate.violations(ds) == []


def test_shacl_catches_a_broken_graph(seed_articles):
    ds = rdf.to_dataset([rules.extract(a) for a in seed_articles[:2]])
    g = next(g for g in ds.graphs() if any(g.subjects(CIV.attended, None)))
    person = next(g.subjects(CIV.attended, None))
    g.add((person, CIV.attended, person))          # a person is not an event
    assert any("attended" in v for v in validate.violations(ds))


def test_outputs_parse_back(seed_build):
    ds = Dataset()
    ds.parse(seed_build / "civic.trig", format="trig")
    graphs = [g for g in ds.graphs() if "/article/" in str(g.identifier)]
    assert len(graphs) == 9
    nq = Dataset()
    nq.parse(seed_build / "civic.nq", format="nquads")
    assert len(nq) == len(ds)
    union = Graph().parse(seed_build / "civic.ttl", format="turtle")
    assert len(union) == len({t for g in graphs for t in g})


def test_entity_index_describes_every_entity_once(seed_build):
    """cid:entities holds, for each entity of every article graph, the same class, label,
    altLabels and code, and nothing else: no articles, evidence or relations."""
    ds = Dataset()
    ds.parse(seed_build / "civic.trig", format="trig")
    index = ds.graph(rdf.INDEX_GRAPH)
    described = {t for g in ds.graphs() if "/article/" in str(g.identifier) for t in g if rdf.is_description(t)}
    assert set(index) == described and len(described) > 200
    entities = set(index.subjects(RDF.type, None))
    assert all(len(list(index.objects(e, RDFS.label))) == 1 for e in entities)
    assert all(len(list(index.objects(e, RDF.type))) == 1 for e in entities)
    assert not [e for e in index.subjects() if "/article/" in e or "/evidence/" in e]
    nq = (seed_build / "civic.nq").read_text(encoding="utf-8").splitlines()
    assert sum(line.endswith(f"<{rdf.INDEX_GRAPH}> .") for line in nq) == len(index)


def test_every_relation_has_evidence(seed_build):
    ds = Dataset(default_union=True)
    ds.parse(seed_build / "civic.trig", format="trig")
    relations = " ".join(f"civ:{p}" for p in ("attended", "presided", "inspected", "agreementWith", "signed",
                                               "organizes", "holdsPost", "heldOn", "heldAt", "partOf", "subEventOf",
                                               "author"))
    q = f"""PREFIX civ: <https://w3id.org/civic-kg/ontology#>
    PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
    SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} VALUES ?p {{ {relations} }}
      FILTER NOT EXISTS {{ GRAPH ?g {{ ?e rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; civ:sentence ?x }} }} }}"""
    assert int(next(iter(ds.query(q)))[0]) == 0


def test_evidence_offsets_point_into_raw(seed_build):
    raw = SEED.read_text(encoding="utf-8")
    ds = Dataset(default_union=True)
    ds.parse(seed_build / "civic.trig", format="trig")
    for e in set(ds.subjects(CIV.sentence, None)):
        sentence = str(ds.value(e, CIV.sentence))
        start, end = int(ds.value(e, CIV.charStart)), int(ds.value(e, CIV.charEnd))
        assert raw[start] == sentence[0] or raw[start].translate({0xFF08: 0x28}) == sentence[0]
        assert end - start >= len(sentence)


def test_byte_identical_builds(tmp_path, seed_build):
    env = dict(os.environ, PYTHONHASHSEED="123")
    subprocess.run([sys.executable, "-m", "kg", "build", str(RAW), "--out", str(tmp_path), "--quiet"],
                   check=True, env=env, cwd=ROOT, capture_output=True)
    for name in ("civic.trig", "civic.ttl", "civic.nq"):
        assert (tmp_path / name).read_bytes() == (seed_build / name).read_bytes(), name


def test_adcodes_on_divisions(seed_build):
    ds = Dataset(default_union=True)
    ds.parse(seed_build / "civic.trig", format="trig")
    codes = {str(ds.value(p, CIV.adminCode)) for p in ds.subjects(CIV.adminCode, None)}
    assert {"430204", "360703", "430200"} <= codes


def _page(title: str) -> str:
    return f"---\npaper: 测试日报\ncity: 株洲市\ndate: 2024-03-10\n---\n## {title}\n\n3月9日,市委书记王大明出席第三届产业发展论坛。\n"


def test_cli_partial_build_keeps_going(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.md").write_text(_page("好的一篇"), encoding="utf-8")
    (raw / "b.md").write_bytes(_page("国标编码的一篇").encode("gb18030"))
    (raw / "c.md").write_text("---\npaper x\n---\n## h\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(raw), "--out", str(out), "--quiet"])
    assert result.exit_code == EXIT_PARTIAL, result.output
    assert "c.md:2" in result.output
    ds = Dataset(default_union=True)
    ds.parse(out / "civic.trig", format="trig")
    headlines = {str(o) for o in ds.objects(None, None) if str(o) in ("好的一篇", "国标编码的一篇")}
    assert headlines == {"好的一篇", "国标编码的一篇"}


def test_cli_exit_codes(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "bad.md").write_bytes(b"\x00\x01\x02binary")
    result = CliRunner().invoke(main, ["build", str(raw), "--out", str(tmp_path / "out"), "--quiet"])
    assert result.exit_code == EXIT_NOTHING
    assert not (tmp_path / "out" / "civic.trig").exists()
    (raw / "bad.md").unlink()
    (raw / "good.md").write_text(_page("好"), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(raw), "--out", str(tmp_path / "out"), "--quiet"])
    assert result.exit_code == EXIT_OK, result.output


def test_failed_build_leaves_earlier_output(tmp_path, seed_build):
    out = tmp_path / "out"
    out.mkdir()
    before = (seed_build / "civic.trig").read_bytes()
    (out / "civic.trig").write_bytes(before)
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "x.md").write_text("no headline here", encoding="utf-8")
    report = pipeline.build(raw, out)
    assert report.failed and (out / "civic.trig").read_bytes() == before
