"""Every shipped example query, run on the embedded store of a real build of raw/.

Expected rows were read off the build and each was checked against the article text of
raw/zhuzhou-daily-2023-06-04.md: a row that extraction gets wrong is written as the text says,
so the test fails until extraction is right.
"""
from __future__ import annotations

import re
from itertools import combinations
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from kg.errors import QueryError
from kg.sparql import queries, results, store

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

QUERY_DIR = Path(queries.__file__).parent
NAMES = sorted(p.stem for p in QUERY_DIR.glob("*.rq"))

H01 = "石峰区与赣州市南康区签订战略合作协议 20个政务服务事项 实现“跨省通办”"
H02 = "优化交通物流结构 助推降本增效"
H03 = "曹慧泉调研荷塘区经济社会发展和班子运行时强调 破解难题探索新路 努力为株洲发展多作贡献"
H04 = "市政府党组召开“镜鉴”以案明纪以案促改肃流毒、正生态、促发展专题民主生活会"
H05 = "我市三节目将亮相全省云展演"
H06 = "报亭南路排水管道及水泵房 提质改造工程启动"
H07 = "警民防溺水联合巡逻启动"
H08 = "第十五届株洲读书月系列活动启动"
H09 = "图书市集赶大集"
BREAKFAST = "第22次“制造名城早餐会”"
MEETING = "“镜鉴”以案明纪以案促改肃流毒、正生态、促发展专题民主生活会"
READING_MONTH = "第十五届株洲读书月系列活动"
# 6月3日 breakfast: seven named experts "应邀与市委书记曹慧泉等市领导共进早餐"
AT_BREAKFAST = ("王喜富", "黄礼明", "杨小磊", "陈向民", "李树明", "刘铁鹏", "刘灼华", "曹慧泉")
DAY = "2023-06-04"
VISITED = "曹慧泉先后考察了三一智慧钢铁城、科能新材等地,详细了解项目建设和产业发展情况。"
ANY = ...  # a count that follows every detail of extraction: only checked to be a positive integer

# the 相关链接 list of article 09: sub-event (organiser)
SUB_EVENTS = [
    ("“书香为伴 幸福天元”系列阅读活动", "天元区"),
    ("“书香机关·悦读株洲”2023年全民阅读进机关活动", "株洲市直属机关工作委员会"),
    ("“全民阅读 书香炎陵”图书巡展", "炎陵县"),
    ("“湘悦读·工力量”“致敬劳动者”株洲职工主题阅读活动", "株洲市总工会"),
    ("“理润犀城 书香万家”新时代好少年主题教育读书活动", "茶陵县"),
    ("“经典润泽生命,读书成就未来”读书月活动", "芦淞区"),
    ("“荷你悦读”分享会", "荷塘区"),
    ("“诵经典·传廉韵”诵读沙龙活动", "株洲市图书馆"),
    ("“阅享悦读 书香攸县”全民阅读活动", "攸县"),
    ("“阅美株洲·点亮成长”2023年全市中小学学生读书行动", "株洲市教育局"),
    ("《复兴文库》主题阅读推广活动", "渌口区"),
    ("《复兴文库》主题阅读推广活动", "醴陵市"),
    ("廉洁文化主题系列图书存书活动", "湖南省新华书店有限责任公司株洲市分公司"),
    ("我和“强军”有个“阅”会", "株洲军分区"),
    ("甲一坊文化大讲堂", "石峰区"),
    ("神农雅集系列读书活动", "株洲市图书馆"),
    ("稻花香读书会", "株洲市妇女联合会"),
    ("第九届株洲少儿故事大王大赛", "株洲市图书馆"),
    ("第五届全民阅读“书香株洲·爱心无限”公益活动", "湖南省新华书店有限责任公司株洲市分公司"),
]
PLACE_ORGANIZERS = {"天元区", "炎陵县", "茶陵县", "芦淞区", "荷塘区", "攸县", "渌口区", "醴陵市", "石峰区"}
CITY_ORGANIZERS = {  # organiser: events, as 由市委宣传部主办,市文旅广电局、市新华书店承办 and the list
    o: sorted(e for e, oo in SUB_EVENTS if oo == o) for _, o in SUB_EVENTS if o not in PLACE_ORGANIZERS}
# a person is keyed by the name and the body of their post, else the paper's city (kg.extract.identity)
BODIES = {"黄礼明": "广铁集团株洲北站", "杨小磊": "湘潭钢铁集团生产管理部", "陈向民": "株洲中车物流有限公司",
          "李树明": "中都株洲物流有限公司", "刘铁鹏": "湖南国联捷运物流有限公司"}
PERSON_IRI = {n: f"person:{n}-{BODIES.get(n, '株洲市')}" for n in (*AT_BREAKFAST, "杨跃", "陈恢清")}
CAO = PERSON_IRI["曹慧泉"]

EXPECTED: dict[str, set[tuple[object, ...]]] = {
    "agreement_network": {  # 跨省(域)通办 范围已覆盖 … (SCHEMA's cue for agreementWith)
        ("place:360703", "南康区", "360703", "place:430204", "石峰区", "430204", "1"),
        ("place:430103", "天心区", "430103", "place:430204", "石峰区", "430204", "1"),
        ("place:430111", "雨花区", "430111", "place:430204", "石峰区", "430204", "1"),
        ("place:430204", "石峰区", "430204", "place:430304", "岳塘区", "430304", "1"),
        ("place:430204", "石峰区", "430204", "place:520113", "贵阳市白云区", "520113", "1"),
    },
    "articles": {
        ("zhuzhou-daily-2023-06-04-01", "株洲日报", H01, "李逸峰"),
        ("zhuzhou-daily-2023-06-04-01", "株洲日报", H01, "谭洪汀"),
        ("zhuzhou-daily-2023-06-04-01", "株洲日报", H01, "张菁"),
        ("zhuzhou-daily-2023-06-04-02", "株洲日报", H02, "胡文洁"),
        ("zhuzhou-daily-2023-06-04-03", "株洲日报", H03, "邓伟勇"),
        ("zhuzhou-daily-2023-06-04-04", "株洲日报", H04, "陈正明"),
        ("zhuzhou-daily-2023-06-04-04", "株洲日报", H04, "尹卓"),
        ("zhuzhou-daily-2023-06-04-05", "株洲日报", H05, "温琳"),
        ("zhuzhou-daily-2023-06-04-06", "株洲日报", H06, "李逸峰"),
        ("zhuzhou-daily-2023-06-04-06", "株洲日报", H06, "周慧"),
        ("zhuzhou-daily-2023-06-04-07", "株洲日报", H07, "姚时美"),
        ("zhuzhou-daily-2023-06-04-08", "株洲日报", H08, "温琳"),
        ("zhuzhou-daily-2023-06-04-08", "株洲日报", H08, "王锋"),
        ("zhuzhou-daily-2023-06-04-09", "株洲日报", H09, "刘震"),
    },
    "co_attendance": {  # everyone at the breakfast met everyone; 陈恢清 主持, 杨跃 列席 the meeting
        *((PERSON_IRI[a], a, PERSON_IRI[b], b, "1") for a, b in
          (sorted(pair, key=lambda n: PERSON_IRI[n]) for pair in combinations(AT_BREAKFAST, 2))),
        ("person:杨跃-株洲市", "杨跃", "person:陈恢清-株洲市", "陈恢清", "1"),
    },
    "date_range": {
        ("2023-06-02", MEETING, "", H04),
        ("2023-06-03", "二手市集", "天元区黄路步步高广场", H09),
        ("2023-06-03", "图书市集", "天元区黄路步步高广场", H09),
        ("2023-06-03", "株洲市“护苗2023绿书签行动”系列宣传活动", "", H08),
        ("2023-06-03", BREAKFAST, "", H02),
        ("2023-06-03", READING_MONTH, "", H08),
    },
    "event_participants": {
        (BREAKFAST, "2023-06-03", "8"),
        (MEETING, "2023-06-02", "2"),
        (READING_MONTH, "2023-06-03", "1"),  # 江小忠宣布活动正式启动
    },
    "events_per_district": {  # one listed sub-event per district; 天元区 also hosts 图书市集 and 二手市集
        ("荷塘区", "430202", "1"), ("芦淞区", "430203", "1"), ("石峰区", "430204", "1"), ("天元区", "430211", "3"),
        ("渌口区", "430212", "1"), ("攸县", "430223", "1"), ("茶陵县", "430224", "1"), ("炎陵县", "430225", "1"),
        ("醴陵市", "430281", "1"),
    },
    "inspections": {  # 调研荷塘区 … 先后考察了三一智慧钢铁城、科能新材等地
        ("曹慧泉", "三一智慧钢铁城", "Place", DAY, H03),
        ("曹慧泉", "科能新材", "Organization", DAY, H03),
        ("曹慧泉", "荷塘区", "Place", DAY, H03),
    },
    "kinds": {("Agreement", ANY), ("Article", "9"), ("Event", ANY), ("Evidence", ANY), ("Organization", ANY),
              ("Person", ANY), ("Place", ANY), ("Post", ANY)},
    "label_search": {  # entities whose names contain 读书 (headlines are not searched)
        ("event:第15届株洲读书月", "Event", READING_MONTH),
        *((f"event:{''.join(c for c in e if c.isalnum())}", "Event", e)
          for e in {e for e, _ in SUB_EVENTS if "读书" in e}),
    },
    "label_regex": {  # entities whose names match 读书|阅读
        ("event:第15届株洲读书月", "Event", READING_MONTH),
        ("event:未成年人主题阅读实践活动", "Event", "未成年人主题阅读实践活动"),
        *((f"event:{''.join(c for c in e if c.isalnum())}", "Event", e)
          for e in {e for e, _ in SUB_EVENTS if re.search("读书|阅读", e) and "第五届" not in e}),
        ("event:第5届全民阅读书香株洲爱心无限公益活动", "Event", "第五届全民阅读“书香株洲·爱心无限”公益活动"),
    },
    "neighbourhood": {
        ("person:曹慧泉-株洲市", "rdf:type", "civ:Person"), ("person:曹慧泉-株洲市", "rdfs:label", "曹慧泉"),
        ("person:曹慧泉-株洲市", "civ:attended", "event:第22次制造名城早餐会"),
        ("person:曹慧泉-株洲市", "civ:holdsPost", "post:株洲市委书记"),
        ("person:曹慧泉-株洲市", "civ:inspected", "organization:科能新材"),
        ("person:曹慧泉-株洲市", "civ:inspected", "place:430202"),
        ("person:曹慧泉-株洲市", "civ:inspected", "place:三一智慧钢铁城"),
        ("event:第22次制造名城早餐会", "rdf:type", "civ:Event"),
        ("event:第22次制造名城早餐会", "rdfs:label", BREAKFAST),
        ("organization:科能新材", "rdf:type", "civ:Organization"), ("organization:科能新材", "rdfs:label", "科能新材"),
        ("place:430202", "rdf:type", "civ:Place"), ("place:430202", "rdfs:label", "荷塘区"),
        ("place:三一智慧钢铁城", "rdf:type", "civ:Place"),
        ("place:三一智慧钢铁城", "rdfs:label", "三一智慧钢铁城"),
        ("post:株洲市委书记", "rdf:type", "civ:Post"), ("post:株洲市委书记", "rdfs:label", "市委书记"),
    },
    "person_posts": {  # 曹慧泉's post, stated on 6月2日 (his inspection) and 6月3日 (the breakfast)
        ("市委书记", "株洲市委书记", "2023-06-02", "2023-06-03", "2", CAO),
    },
    "post_holders": {("曹慧泉", "市委书记", "2023-06-02", "2023-06-03", "2", CAO)},
    "official_timeline": {  # the inspection has no event node: dated by its sentence (6月2日) or its scene
        ("2023-06-03", "event", "出席", BREAKFAST, H02, CAO),
        ("2023-06-02", "context", "调研", "三一智慧钢铁城", H03, CAO),
        ("2023-06-02", "context", "调研", "科能新材", H03, CAO),
        ("2023-06-02", "sentence", "调研", "荷塘区", H03, CAO),
    },
    "officials_events": {
        *((n, BREAKFAST, "2023-06-03", H02) for n in AT_BREAKFAST),
        ("陈恢清", MEETING, "2023-06-02", H04),
        ("杨跃", MEETING, "2023-06-02", H04),
        ("江小忠", READING_MONTH, "2023-06-03", H08),
    },
    "organizer_roles": {
        *((p, "未注明", "1") for p in PLACE_ORGANIZERS),
        *((o, "未注明", str(len(es))) for o, es in CITY_ORGANIZERS.items()),
        ("株洲市委宣传部", "主办", "1"), ("株洲市文旅广电局", "承办", "1"), ("株洲市新华书店", "承办", "1"),
        ("株洲市政府党组", "未注明", "1"),  # 市政府党组召开 … 民主生活会: no 主办/承办 stated
        ("株洲市公安局治安支队八大队", "未注明", "1"), ("株洲湘江义务救援协会", "未注明", "1"),
    },
    "organizers": {
        *((o, "Place" if o in PLACE_ORGANIZERS else "Organization", "", e, "") for e, o in SUB_EVENTS),
        ("株洲市委宣传部", "Organization", "主办", READING_MONTH, "2023-06-03"),
        ("株洲市文旅广电局", "Organization", "承办", READING_MONTH, "2023-06-03"),
        ("株洲市新华书店", "Organization", "承办", READING_MONTH, "2023-06-03"),
        ("株洲市政府党组", "Organization", "", MEETING, "2023-06-02"),
        ("株洲市公安局治安支队八大队", "Organization", "", "“警民合力、共守湘江”防溺水巡逻工作", ""),
        ("株洲湘江义务救援协会", "Organization", "", "“警民合力、共守湘江”防溺水巡逻工作", ""),
    },
    "posts_held": {
        ("刘灼华", "株洲市物流与采购联合会会长", "", "1"),
        ("刘铁鹏", "湖南国联捷运物流有限公司董事长", "", "1"),
        ("廖斌", "市公安局治安支队八大队大队长", "株洲市公安局治安支队八大队大队长", "1"),
        ("曹慧泉", "市委书记", "株洲市委书记", "2"),
        ("李树明", "中都(株洲)物流有限公司总经理", "", "1"),
        ("杨小磊", "湘潭钢铁集团生产管理部副部长", "", "1"),
        ("杨跃", "副市长", "株洲市副市长", "1"),  # the home city the title names
        ("江小忠", "市委宣传部长", "株洲市委宣传部长", "1"),
        ("江小忠", "市委常委", "株洲市委常委", "1"),
        ("王喜富", "北京交通大学物流工程系主任", "", "1"),
        ("邹国良", "湘江义务救援协会会长", "", "1"),
        ("陈向民", "株洲中车物流有限公司总经理", "", "1"),
        ("陈恢清", "市委副书记", "株洲市委副书记", "1"),
        ("陈恢清", "市政府党组书记", "株洲市政府党组书记", "1"),
        ("陈恢清", "市长", "株洲市长", "1"),
        ("黄礼明", "广铁集团株洲北站党委书记", "", "1"),
        ("黄礼明", "副站长", "广铁集团株洲北站副站长", "1"),  # the body of the title before
    },
    "presided": {("陈恢清", MEETING, "2023-06-02", H04)},
    "provenance": {
        ("曹慧泉", "inspected", "三一智慧钢铁城", H03, DAY, VISITED, "1730", "1769", "inspection.cue"),
        ("曹慧泉", "inspected", "科能新材", H03, DAY, VISITED, "1730", "1769", "inspection.cue"),
        ("曹慧泉", "inspected", "荷塘区", H03, DAY,
         "6月2日,市委书记曹慧泉调研荷塘区经济社会发展和班子运行情况,他强调,要坚持问题导向,全力破解难题,"
         "积极探索新路,努力为株洲发展多作贡献。", "1659", "1728", "inspection.cue"),
        ("曹慧泉", "inspected", "荷塘区", H03, DAY, H03, "1597", "1640", "inspection.cue"),
    },
    "sub_events": {(READING_MONTH, e, o) for e, o in SUB_EVENTS},
    "triples_per_article": {(f"article:zhuzhou-daily-2023-06-04-0{i}", h, ANY, ANY)
                            for i, h in enumerate((H01, H02, H03, H04, H05, H06, H07, H08, H09), start=1)},
}


def rows(result: ox.QuerySolutions | ox.QueryTriples) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """Column names and rows of a result in display form (CONSTRUCT: s p o)."""
    if isinstance(result, ox.QueryTriples):
        return ("s", "p", "o"), [tuple(results.display(t) for t in (tr.subject, tr.predicate, tr.object))
                                 for tr in result]
    t = results.table(result)
    return t.columns, [tuple(results.display(v) for v in row) for row in t.rows]


def matches(actual: list[tuple[str, ...]], expected: set[tuple[object, ...]]) -> set[tuple[object, ...]]:
    """The actual rows, each replaced by the expected row it matches (ANY: a positive integer)."""
    def fits(want: tuple[object, ...], got: tuple[str, ...]) -> bool:
        return len(want) == len(got) and all(
            w == g or (w is ANY and g.isdigit() and int(g) > 0) for w, g in zip(want, got, strict=True))

    return {next((want for want in expected if fits(want, row)), row) for row in actual}


@pytest.fixture(scope="session")
def db(seed_build: Path) -> ox.Store:
    return store.open(seed_build)


@pytest.fixture(scope="session")
def rdflib_dataset(seed_build: Path) -> rdflib.Dataset:
    ds = rdflib.Dataset()
    ds.parse(seed_build / "civic.trig", format="trig")
    return ds


def test_enough_examples_and_every_one_expected() -> None:
    assert len(NAMES) >= 15
    assert NAMES == queries.names() == sorted(EXPECTED)


@pytest.mark.parametrize("name", NAMES)
def test_header_states_question_columns_params(name: str) -> None:
    ex = queries.info(name)
    assert "?" in ex.question, f"{name}: the first line should ask the question"
    assert ex.columns, f"{name}: no '# columns:' line"
    declared = {ln.split()[2].rstrip(":") for ln in ex.text.splitlines() if ln.startswith("# param ")}
    assert declared == set(ex.params), f"{name}: header params {declared} vs VALUES {set(ex.params)}"
    assert "GRAPH" in ex.text  # never relies on the default graph


@pytest.mark.parametrize("name", NAMES)
def test_example_rows(name: str, db: ox.Store) -> None:
    result = queries.run(db, name)
    if isinstance(result, ox.QuerySolutions):
        assert result.variables and [v.value for v in result.variables] == list(queries.info(name).columns)
    _, actual = rows(result)
    assert len(actual) == len(set(actual)), f"{name}: duplicate rows"
    assert matches(actual, EXPECTED[name]) == EXPECTED[name]


def _key(term: object) -> tuple[str, ...] | None:
    """An engine-neutral key for an RDF term of pyoxigraph or rdflib."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode | rdflib.URIRef):
        return ("iri", str(term.value if isinstance(term, ox.NamedNode) else term))
    if isinstance(term, ox.BlankNode | rdflib.BNode):
        return ("bnode",)
    if isinstance(term, ox.Literal):
        return ("lit", term.value, term.language or "", "" if term.language else term.datatype.value)
    assert isinstance(term, rdflib.Literal)
    dt = "" if term.language else str(term.datatype or "http://www.w3.org/2001/XMLSchema#string")
    return ("lit", str(term), term.language or "", dt)


@pytest.mark.parametrize("name", NAMES)
def test_same_rows_in_rdflib(name: str, db: ox.Store, rdflib_dataset: rdflib.Dataset) -> None:
    """The examples give the same rows in Oxigraph and in rdflib's memory store."""
    ours = queries.run(db, name)
    theirs = rdflib_dataset.query(queries.load(name))
    if isinstance(ours, ox.QueryTriples):
        assert {tuple(map(_key, (t.subject, t.predicate, t.object))) for t in ours} == {
            tuple(map(_key, t)) for t in theirs}
        return
    t = results.table(ours)
    assert [str(v) for v in theirs.vars] == list(t.columns)
    assert sorted((tuple(map(_key, r)) for r in t.rows), key=repr) == sorted(
        (tuple(_key(r[v]) for v in theirs.vars) for r in theirs), key=repr)


def test_parameters_are_bound(db: ox.Store) -> None:
    _, got = rows(queries.run(db, "official_timeline", official="陈恢清"))
    assert {(r[0], r[2]) for r in got} == {("2023-06-02", "主持"), ("2023-06-02", "出席")}
    _, got = rows(queries.run(db, "date_range", **{"from": "2023-06-02", "to": "2023-06-02"}))
    assert [r[1] for r in got] == [MEETING]
    _, got = rows(queries.run(db, "provenance", subject="石峰区", relation="agreementWith"))
    assert {r[2] for r in got} == {"南康区", "天心区", "雨花区", "岳塘区", "贵阳市白云区"}
    _, got = rows(queries.run(db, "label_search", term='"曹慧泉'))  # quotes are escaped, not injected
    assert got == []
    with pytest.raises(QueryError, match="unknown parameter"):
        queries.run(db, "presided", person="x")


def test_source_resolves_names_files_and_text(tmp_path: Path) -> None:
    f = tmp_path / "q.rq"
    f.write_text("ASK { GRAPH ?g { ?s ?p ?o } }", encoding="utf-8")
    assert queries.source("presided") == queries.load("presided")
    assert queries.source(str(f)) == "ASK { GRAPH ?g { ?s ?p ?o } }"
    assert queries.source("SELECT * WHERE { ?s ?p ?o }") == "SELECT * WHERE { ?s ?p ?o }"
    with pytest.raises(QueryError, match="no example query named 'presidd'"):
        queries.source("presidd")


def test_tenure_queries_take_their_parameters(db: ox.Store) -> None:
    """Who held a post on a day, and one person's posts in date order (issue 15, item 3)."""
    _, got = rows(queries.run(db, "post_holders", title="副市长", day="2023-06-02"))
    assert got == [("杨跃", "副市长", "2023-06-02", "2023-06-02", "1", PERSON_IRI["杨跃"])]
    _, got = rows(queries.run(db, "post_holders", title="株洲市委书记", day="2023-06-05"))
    assert got == []  # after the last day any page states it
    _, got = rows(queries.run(db, "person_posts", official="杨跃"))
    assert got == [("副市长", "株洲市副市长", "2023-06-02", "2023-06-02", "1", PERSON_IRI["杨跃"])]
