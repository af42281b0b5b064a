"""Officials over time (issue 15): the day of each statement, one node per place.

Pages are invented; the seed page is read through a build of raw/.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote

from click.testing import CliRunner
from rdflib import RDFS, URIRef

from kg.cli import main
from kg.extract.rules import extract
from kg.graph.rdf import node, to_dataset
from kg.graph.vocab import CIV
from kg.ingest import reader
from kg.model import Entity, Extraction


def _extract(body: str, city: str = "衡阳市", date: str = "2024-06-04") -> Extraction:
    page = f"---\npaper: 测试日报\ncity: {city}\ndate: {date}\n---\n## 王一鸣到石桥镇调研\n\n{body}\n"
    (article,) = reader.parse(page, "t.md")
    return extract(article)


def _days(x: Extraction) -> dict[tuple[str, str], tuple[str | None, str | None]]:
    return {(t.predicate, t.object.label if isinstance(t.object, Entity) else t.object.text):
            (t.evidence.day, t.evidence.day_from) for t in x.triples if t.evidence.sentence.kind != "headline"}


def test_an_inspection_takes_the_day_of_its_sentence_and_of_the_scene_it_is_in():
    x = _extract("6月2日,县委书记王一鸣到石桥镇调研。\n\n王一鸣先后考察了东山茶厂、西岭农场等地。\n\n"
                 "6月3日上午,第三届油茶文化节开幕。王一鸣出席开幕式。")
    days = _days(x)
    assert days["inspected", "石桥镇"] == ("2024-06-02", "sentence")
    assert days["inspected", "东山茶厂"] == ("2024-06-02", "context")  # the scene 6月2日 set
    assert days["attended", "第三届油茶文化节"] == ("2024-06-03", "context")
    headline = [t for t in x.triples if t.evidence.sentence.kind == "headline" and t.predicate == "inspected"]
    assert headline and all(t.evidence.day == "2024-06-02" for t in headline)  # the headline reports the lead


def test_relative_days_and_the_fallback():
    assert _days(_extract("昨日,县长王一鸣到石桥镇调研。"))["inspected", "石桥镇"] == ("2024-06-03", "sentence")
    assert _days(_extract("上午,县长王一鸣到石桥镇调研。"))["inspected", "石桥镇"] == ("2024-06-04", "sentence")
    # 近日 gives no day: the article's date, marked as the fallback
    assert _days(_extract("近日,县长王一鸣到石桥镇调研。"))["inspected", "石桥镇"] == ("2024-06-04", "article")
    # a day that ends a span or starts a period is not the day of the statement
    x = _extract("截至5月31日,全县完成造林1万亩。县长王一鸣到石桥镇调研。")
    assert _days(x)["inspected", "石桥镇"] == ("2024-06-04", "article")
    # a day of last year, or one to come, sets no scene for the sentences after it
    x = _extract("去年5月20日,石桥镇获评示范镇。县长王一鸣到石桥镇调研。")
    assert _days(x)["inspected", "石桥镇"] == ("2024-06-04", "article")
    x = _extract("6月12日,第三届油茶文化节将开幕。县长王一鸣到石桥镇调研。")
    assert _days(x)["inspected", "石桥镇"] == ("2024-06-04", "article")


def test_the_day_is_on_the_evidence_node():
    x = _extract("6月2日,县委书记王一鸣到石桥镇调研。")
    dated = {(str(g.value(e, CIV.date)), str(g.value(e, CIV.dateFrom)))
             for g in to_dataset([x]).graphs() for e in g.subjects(CIV.rule, None) if g.value(e, CIV.date)}
    assert ("2024-06-02", "sentence") in dated


def test_seed_timeline_is_in_the_order_of_the_text(seed_build: Path):
    """曹慧泉 inspected 荷塘区 on 6月2日 (the sentence says so), then breakfasted on 6月3日."""
    out = CliRunner().invoke(main, ["query", "official_timeline", "-p", "official=曹慧泉", "--graph",
                                    str(seed_build), "--format", "csv"])
    assert out.exit_code == 0, out.output
    rows = [ln.split(",") for ln in out.output.splitlines()[1:]]
    assert [(r[0], r[2], r[3]) for r in rows] == [
        ("2023-06-02", "调研", "三一智慧钢铁城"), ("2023-06-02", "调研", "科能新材"), ("2023-06-02", "调研", "荷塘区"),
        ("2023-06-03", "出席", "第22次“制造名城早餐会”")]
    assert {r[1] for r in rows[:3]} <= {"sentence", "context"}


def _nodes(x: Extraction, label: str) -> set[tuple[str, str]]:
    return {(e.kind, e.key) for t in x.triples for e in (t.subject, t.object) if isinstance(e, Entity)
            and e.label == label}


def test_a_place_standing_for_its_government_is_one_place_node():
    """平江县 as a visited site, an organiser and a party to a signing: the gazetteer's Place each time."""
    x = _extract("5月6日,岳阳市委书记赵大勇率党政代表团赴华容县考察。\n\n"
                 "考察组一行先后来到了平江县、宏达机械等地,实地了解产业发展情况。\n\n"
                 "5月7日,平江县与东方建设集团有限公司签订战略合作协议。\n\n- 油茶文化节(平江县、县文旅局)",
                 city="岳阳市")
    assert _nodes(x, "平江县") == {("Place", "430626")}
    got = {(t.subject.label, t.predicate, t.object.label) for t in x.triples if isinstance(t.object, Entity)}
    assert ("赵大勇", "inspected", "平江县") in got
    assert ("平江县", "signed", "平江县与东方建设集团有限公司战略合作协议") in got
    assert ("平江县", "organizes", "油茶文化节") in got


def _posts(x: Extraction) -> dict[str, tuple[str, str]]:
    """person → (post key, post label); and post key → its jurisdiction's label under 'in:'."""
    out = {t.subject.label: (t.object.key, t.object.label) for t in x.triples if t.predicate == "holdsPost"}
    out |= {"in:" + t.subject.key: (t.object.key, t.object.label) for t in x.triples if t.predicate == "jurisdiction"}
    return out


def test_a_post_carries_the_body_it_belongs_to():
    """副市长 in a 湘潭 paper is 湘潭市's: two 副市长 of two cities are two posts; the label stays as written."""
    xiangtan = _posts(_extract("6月2日,副市长陈五出席第三届油茶文化节。", city="湘潭市"))
    hengyang = _posts(_extract("6月2日,副市长陈五出席第三届油茶文化节。", city="衡阳市"))
    assert xiangtan["陈五"] == ("湘潭市副市长", "副市长") and hengyang["陈五"] == ("衡阳市副市长", "副市长")
    assert xiangtan["in:湘潭市副市长"] == ("430300", "湘潭市")


def test_a_title_listed_after_an_organisation_s_title_is_in_that_organisation():
    got = _posts(_extract("6月2日,东方集团南湖分公司党委书记、副经理李小明出席第三届油茶文化节。"))
    assert got["李小明"] == ("东方集团南湖分公司副经理", "副经理")
    got = _posts(_extract("6月2日,江西省赣州市南康区行政审批局局长王五出席第三届油茶文化节。"))
    assert got["in:江西省赣州市南康区行政审批局局长"] == ("360703", "南康区")


def test_a_post_is_labelled_with_its_fullest_written_form():
    """The 主任 of `区人大常委会党组书记、主任` is the post another article writes 区人大常委会主任:
    one node, labelled as the fuller article writes it (a bare 主任 would name every 主任)."""
    a = _extract("6月2日,区人大常委会主任段小红出席第三届油茶文化节。", city="延安市")
    b = _extract("6月5日,区人大常委会党组书记、主任段小红主持第三届油茶文化节闭幕式。", city="延安市")
    (post,) = {t.object for t in b.triples if t.predicate == "holdsPost" and t.object.label == "主任"}
    labels = {str(o) for g in to_dataset([a, b]).graphs() for o in g.objects(node(post), RDFS.label)}
    assert labels == {"区人大常委会主任"}


# ------------------------------------------------------------------ who is who (kg.extract.identity)

def _people(*xs: Extraction) -> dict[str, set[str]]:
    """name → the person keys the extractions give it."""
    out: dict[str, set[str]] = {}
    for x in xs:
        for t in x.triples:
            for e in (t.subject, t.object):
                if isinstance(e, Entity) and e.kind == "Person":
                    out.setdefault(e.label, set()).add(e.key)
    return out


def _person_nodes(xs: list[Extraction], label: str) -> set[str]:
    ds = to_dataset(xs)
    return {str(s) for g in ds.graphs() for s in g.subjects(RDFS.label, None)
            if "/person/" in str(s) and str(g.value(s, RDFS.label)) == label}


def test_the_same_name_in_two_cities_is_two_people():
    xiangtan = _extract("6月2日,副市长陈五出席第三届油茶文化节。", city="湘潭市")
    hengyang = _extract("6月2日,副市长陈五出席第三届油茶文化节。", city="衡阳市")
    assert _people(xiangtan, hengyang)["陈五"] == {"陈五-湘潭市", "陈五-衡阳市"}
    assert len(_person_nodes([xiangtan, hengyang], "陈五")) == 2


def test_the_same_official_in_two_articles_of_one_paper_is_one_person():
    a = _extract("6月2日,县委书记王一鸣到石桥镇调研。")
    b = _extract("6月5日,王一鸣出席第三届油茶文化节开幕式。", date="2024-06-05")
    assert _people(a, b)["王一鸣"] == {"王一鸣-衡阳市"}  # the county's post is told apart in its city
    assert len(_person_nodes([a, b], "王一鸣")) == 1


def test_an_official_keeps_the_place_of_their_post_in_another_city_s_paper():
    home = _extract("6月2日,湘潭市副市长陈五出席第三届油茶文化节。", city="湘潭市")
    away = _extract("6月2日,湘潭市副市长陈五率团到石桥镇考察。", city="衡阳市")
    assert _people(home, away)["陈五"] == {"陈五-湘潭市"}
    # a provincial post is told apart in its province; a national one is the country's: the name alone
    x = _extract("6月2日,国务院副总理王小明到石桥镇考察。省委书记李四陪同。")
    assert _people(x) == {"王小明": {"王小明"}, "李四": {"李四-湖南省"}}
    # a company's head is told apart by the company, wherever the paper is
    a = _extract("6月2日,华新建材集团有限公司董事长李小明出席第三届油茶文化节。", city="岳阳市")
    b = _extract("6月9日,华新建材集团有限公司董事长李小明出席签约仪式。", city="长沙市")
    assert _people(a, b)["李小明"] == {"李小明-华新建材集团有限公司"}


def test_one_person_across_two_posts_is_one_node_holding_both_dated():
    a = _extract("6月2日,副市长陈五出席第三届油茶文化节。", city="湘潭市", date="2023-06-04")
    b = _extract("3月1日,市长陈五出席第四届油茶文化节。", city="湘潭市", date="2024-03-02")
    (person,) = _person_nodes([a, b], "陈五")
    ds = to_dataset([a, b])
    posts = {(str(t.object.key), t.evidence.day) for x in (a, b) for t in x.triples if t.predicate == "holdsPost"}
    assert posts == {("湘潭市副市长", "2023-06-02"), ("湘潭市长", "2024-03-01")}
    held = {str(o) for g in ds.graphs() for o in g.objects(URIRef(person), CIV.holdsPost)}
    assert len(held) == 2


def test_a_short_reference_is_the_person_it_refers_to():
    """王书记 after 县委书记王一鸣 is 王一鸣; 李主任 of no one in the article is no person at all."""
    x = _extract("6月2日,县委书记王一鸣到石桥镇调研。随后,王书记出席第三届油茶文化节开幕式。李主任说,很好。")
    got = {(t.subject.label, t.predicate, t.object.label) for t in x.triples if isinstance(t.object, Entity)}
    assert ("王一鸣", "attended", "第三届油茶文化节开幕式") in got
    assert set(_people(x)) == {"王一鸣"}
    # two persons the title fits: the reference is no one's
    x = _extract("6月2日,县委书记王一鸣、镇党委书记王小二到石桥镇调研。随后,王书记出席第三届油茶文化节开幕式。")
    assert not any(t.predicate == "attended" for t in x.triples)


def test_an_unrelated_article_changes_no_iri():
    a = _extract("6月2日,县委书记王一鸣到石桥镇调研。")
    other = _extract("6月2日,市长王一鸣出席第三届油茶文化节。", city="株洲市")
    alone = {str(s) for g in to_dataset([a]).graphs() for s in g.subjects()}
    both = {str(s) for g in to_dataset([a, other]).graphs() for s in g.subjects()}
    assert alone <= both and len(_person_nodes([a, other], "王一鸣")) == 2


def _event_graphs(xs: list[Extraction], label: str) -> dict[str, set[str]]:
    """event IRI → the article graphs that state something of it."""
    out: dict[str, set[str]] = {}
    for g in to_dataset(xs).graphs():
        for s in set(g.subjects()) | set(g.objects()):
            if "/event/" in str(s) and "/article/" in str(g.identifier) and label in unquote(str(s)):
                out.setdefault(str(s), set()).add(str(g.identifier))
    return out


def test_an_event_in_two_articles_is_one_node_with_both_as_provenance():
    a = _extract("6月3日,第三届油茶文化节在石桥镇开幕。县长王一鸣出席开幕式。")
    b = _extract("昨日,第三届油茶文化节在石桥镇开幕。市委书记张二出席。", city="衡阳市", date="2024-06-04")
    b = Extraction(replace(b.article, id="other-paper-01"), b.triples, b.attributes)
    (graphs,) = _event_graphs([a, b], "油茶文化节").values()
    assert len(graphs) == 2


def test_a_recurring_name_is_one_event_per_day():
    """区委常委会会议 tells no occurrence apart by its name: the day does; two reports of one day are one."""
    a = _extract("6月2日,区委常委会会议召开。区委书记王一鸣主持会议。")
    b = _extract("6月9日,区委常委会会议召开。区委书记王一鸣主持会议。", date="2024-06-10")
    c = _extract("6月2日,区委常委会会议召开。区长李四出席会议。", date="2024-06-03")
    c = Extraction(replace(c.article, id="other-02"), c.triples, c.attributes)
    b = Extraction(replace(b.article, id="other-01"), b.triples, b.attributes)
    nodes = _event_graphs([a, b, c], "区委常委会会议")
    assert len(nodes) == 2
    assert sorted(len(g) for g in nodes.values()) == [1, 2]
    # a name with its ordinal is one event whatever day each report gives
    d = _extract("6月2日,第三届油茶文化节开幕。")
    e = _extract("6月4日,第三届油茶文化节闭幕。", date="2024-06-05")
    e = Extraction(replace(e.article, id="other-03"), e.triples, e.attributes)
    assert len(_event_graphs([d, e], "油茶文化节")) == 1


def test_a_post_ends_at_the_name_or_verb_before_it():
    """带领 / 发表 / 时任 and another person's name end a post: 省委常委 of 赵小东 is not
    省委书记王一鸣带领省委常委 (at archive scale such posts named half the Politburo)."""
    got = _posts(_extract("6月2日,省委书记王一鸣带领省委常委赵小东到石桥镇考察。"))
    assert got["赵小东"][1] == "省委常委" and got["王一鸣"][1] == "省委书记"
    assert _posts(_extract("6月2日,《湘江》杂志发表省委书记王一鸣的文章。"))["王一鸣"][1] == "省委书记"
    assert _posts(_extract("6月2日,时任县委书记王一鸣到石桥镇考察。"))["王一鸣"][1] == "县委书记"
    # a verb inside an organisation's name stays: 物流与采购联合会
    assert _posts(_extract("6月2日,中国物流与采购联合会会长何小明出席第三届油茶文化节。"))["何小明"][1] == \
        "中国物流与采购联合会会长"


def test_a_post_is_in_its_body_the_organisation_or_the_government():
    """org:postIn (as civ:postIn): the organisation a title names, or a division's government."""
    x = _extract("6月2日,湘潭市副市长陈五、广铁集团株洲北站副站长黄小明、县委书记王一鸣出席第三届油茶文化节。")
    body = {t.subject.key: (t.object.kind, t.object.key) for t in x.triples if t.predicate == "postIn"}
    assert body == {"湘潭市副市长": ("Organization", "湘潭市人民政府"),  # 县委书记 of a city paper: whose 县委?
                    "广铁集团株洲北站副站长": ("Organization", "广铁集团株洲北站")}
    ds = to_dataset([x])
    post = next(s for g in ds.graphs() for s in g.subjects(CIV.postIn, None) if "湘潭市副市长" in unquote(str(s)))
    assert {unquote(str(o)) for g in ds.graphs() for o in g.objects(post, CIV.postIn)} == {
        "https://w3id.org/civic-kg/id/org/湘潭市人民政府"}
