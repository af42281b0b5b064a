"""`kg show NAME`: one entity at a glance (issue 14, item 6); its item page is in test_serve_cli.py."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from kg import cli
from kg.sparql import entity, store

SENTENCE = "曹慧泉先后考察了三一智慧钢铁城、科能新材等地,详细了解项目建设和产业发展情况。"


def show(build: Path, name: str) -> tuple[int, str]:
    out = CliRunner().invoke(cli.main, ["show", name, "--graph", str(build)])
    return out.exit_code, out.output


def evidence_count(build: Path, iri: str) -> int:
    """Evidence nodes naming `iri` as subject or object, counted by a plain query."""
    text = f"SELECT (COUNT(DISTINCT ?ev) AS ?n) WHERE {{ {{ ?ev rdf:subject <{iri}> }} UNION {{ ?ev rdf:object <{iri}> }} }}"
    return int(next(iter(store.query(store.open(build), text)))["n"].value)


def test_show_a_person(seed_build: Path) -> None:
    code, out = show(seed_build, "曹慧泉")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "曹慧泉  person:曹慧泉-株洲市  Person 人物"
    assert "  职务 posts: 株洲市委书记" in lines
    relations = [line for line in lines if line.startswith("  20")]
    assert len(relations) == evidence_count(seed_build, "https://w3id.org/civic-kg/id/person/曹慧泉-株洲市") == 7
    assert "  2023-06-03  出席 → attended  第22次“制造名城早餐会”  event:第22次制造名城早餐会" in lines
    i = lines.index("  2023-06-02  调研 → inspected  科能新材  organization:科能新材")  # the day its scene set
    assert lines[i + 1] == ("      《曹慧泉调研荷塘区经济社会发展和班子运行时强调 破解难题探索新路 努力为株洲发展多作贡献》 "
                            "article:zhuzhou-daily-2023-06-04-03")
    assert lines[i + 2] == f"      {SENTENCE}"
    assert [line[2:12] for line in relations] == sorted(line[2:12] for line in relations)  # by date


def test_show_someone_who_only_holds_a_post(seed_build: Path) -> None:
    code, out = show(seed_build, "廖斌")
    assert code == 0 and "  职务 posts: 株洲市公安局治安支队八大队大队长" in out.splitlines()


def test_show_an_event_lists_who_attended(seed_build: Path) -> None:
    code, out = show(seed_build, "event:第22次制造名城早餐会")
    assert code == 0
    assert "  2023-06-03  ← 出席 attended  曹慧泉  person:曹慧泉-株洲市" in out.splitlines()


def test_show_by_alias_iri_and_percent_encoded_iri(seed_build: Path) -> None:
    by_alias = show(seed_build, "市委宣传部")[1]
    assert by_alias.startswith("株洲市委宣传部  organization:株洲市委宣传部  Organization 机构")
    assert show(seed_build, "<https://w3id.org/civic-kg/id/org/株洲市委宣传部>")[1] == by_alias
    db = store.open(seed_build)
    iri = "https://w3id.org/civic-kg/id/post/%E4%B8%AD%E9%83%BD%28%E6%A0%AA%E6%B4%B2%29%E7%89%A9%E6%B5%81%E6%9C%89%E9%99%90%E5%85%AC%E5%8F%B8%E6%80%BB%E7%BB%8F%E7%90%86"
    described = entity.describe(db, iri)
    assert described is not None and described.kind == "Post"
    assert show(seed_build, iri)[1] == entity.to_text(described)


def test_an_unknown_name_suggests_names_containing_it(seed_build: Path) -> None:
    code, out = show(seed_build, "慧泉")
    assert code == 1
    assert out.strip() == f"Error: no entity is named '慧泉' in {seed_build}; names containing it: 曹慧泉 (person:曹慧泉-株洲市)"
    code, out = show(seed_build, "无此人")
    assert code == 1 and "names containing" not in out and "Traceback" not in out
