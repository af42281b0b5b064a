"""Extraction per property on generic sentences of this genre (names invented)."""
from __future__ import annotations

import pytest

from kg.extract.rules import extract
from kg.ingest import reader
from kg.model import Entity


def triples(body: str, city: str = "株洲市", date: str = "2024-03-10") -> set[tuple[str, str, str]]:
    page = f"---\npaper: 测试日报\ncity: {city}\ndate: {date}\n---\n## 测试标题\n\n{body}\n"
    out = set()
    for a in reader.parse(page, "t.md"):
        for t in extract(a).triples:
            o = t.object.label if isinstance(t.object, Entity) else t.object.text
            out.add((t.subject.label, t.predicate, o))
    return out


# fmt: off
CASES = [
    pytest.param("3月9日,市委书记王大明出席第三届产业发展论坛。",
                 [("王大明", "attended", "第三届产业发展论坛"), ("王大明", "holdsPost", "市委书记"),
                  ("第三届产业发展论坛", "heldOn", "2024-03-09")], id="attended+post+date"),
    pytest.param("3月9日,县政府党组召开“不忘初心”专题民主生活会,县长李小红主持会议,副县长张建国列席会议。",
                 [("李小红", "presided", "“不忘初心”专题民主生活会"), ("李小红", "attended", "“不忘初心”专题民主生活会"),
                  ("张建国", "attended", "“不忘初心”专题民主生活会"), ("张建国", "holdsPost", "副县长")],
                 id="presided+listed"),
    pytest.param("市委副书记、市长赵一平调研芦淞区。", [("赵一平", "inspected", "芦淞区"),
                 ("赵一平", "holdsPost", "市委副书记"), ("赵一平", "holdsPost", "市长")], id="inspected+split-posts"),
    pytest.param("近日,渌口区行政审批局与江西省吉安市青原区行政审批局签订政务服务合作协议。",
                 [("渌口区行政审批局", "signed", "政务服务合作协议"), ("渌口区", "agreementWith", "青原区"),
                  ("青原区", "partOf", "吉安市"), ("吉安市", "partOf", "江西省")], id="signed+agreement+chain"),
    pytest.param("本次活动由市文明办主办,市图书馆、市科技馆承办。", [], id="organizes-needs-an-event"),
    pytest.param("3月9日,第二届全民健身运动会由市体育局主办,市总工会承办。",
                 [("株洲市体育局", "organizes", "第二届全民健身运动会"), ("株洲市总工会", "organizes", "第二届全民健身运动会")],
                 id="organizes-roles"),
    pytest.param("3月9日,在天元区神农公园,第四届读书节开幕式举行。",
                 [("第四届读书节开幕式", "heldAt", "天元区神农公园")], id="heldAt"),
    pytest.param("活动包括亲子阅读会、经典诵读大赛在内的5个子活动。", [], id="subEvent-needs-a-series"),
    pytest.param("会上发布了第九届科技活动周,包括科普讲座会、青少年创新大赛在内的10项活动。",
                 [("科普讲座会", "subEventOf", "第九届科技活动周"), ("青少年创新大赛", "subEventOf", "第九届科技活动周")],
                 id="subEventOf"),
    pytest.param("攸县莲塘坳镇东冲村获评示范村。", [("攸县莲塘坳镇", "partOf", "攸县"),
                 ("攸县莲塘坳镇东冲村", "partOf", "攸县莲塘坳镇")], id="partOf-village"),
    pytest.param("据了解,该项目总投资2亿元。", [], id="amount-no-triple"),
    pytest.param("王大明表示,要抓好落实。", [], id="no-cue-no-attendance"),
    pytest.param("副市长季小荣、吴大策出席仪式。", [("季小荣", "holdsPost", "副市长"), ("吴大策", "holdsPost", "副市长")],
                 id="shared-title"),
    pytest.param("7月30日上午,市发改委陈立新副主任一行深入我区东方物流和远达物流2家企业进行调研。",
                 [("陈立新", "holdsPost", "副主任"), ("陈立新", "inspected", "东方物流"), ("陈立新", "inspected", "远达物流")],
                 id="name-before-title+visit"),
    pytest.param("县委书记周一鸣一行先后考察了青山茶叶加工项目、红星刺绣、第一初级中学。",
                 [("周一鸣", "inspected", "青山茶叶加工项目"), ("周一鸣", "inspected", "红星刺绣"),
                  ("周一鸣", "inspected", "第一初级中学")], id="inspection-list-without-deng"),
    pytest.param("张一鸣、李晓红、王建设等市领导出席第三届产业发展论坛。",
                 [("张一鸣", "attended", "第三届产业发展论坛"), ("王建设", "attended", "第三届产业发展论坛")],
                 id="names-before-deng-leaders"),
    pytest.param("10月14日上午,攸县人民政府与东方建设集团有限公司合作框架协议签约仪式举行。",
                 [("攸县人民政府", "signed", "攸县人民政府与东方建设集团有限公司合作框架协议"),
                  ("东方建设集团有限公司", "signed", "攸县人民政府与东方建设集团有限公司合作框架协议")],
                 id="ceremony-named-after-agreement"),
    pytest.param("5月26日,常州经开区行政审批局与贵州省三都水族自治县人民政府政务服务中心在经开区管委会签订战略合作协议。",
                 [("常州经开区", "agreementWith", "三都水族自治县"), ("常州经开区", "partOf", "常州市")],
                 id="development-zone-party"),
    pytest.param("11月5日,我市举行第四季度招商引资项目集中签约仪式。",
                 [("株洲市", "organizes", "第四季度招商引资项目集中签约仪式")], id="wo-shi-is-home"),
    pytest.param("县人大常委会副主任吴国玉致辞,副县长侯宏伟、徐泽星等参加。",
                 [("吴国玉", "holdsPost", "县人大常委会副主任"), ("徐泽星", "holdsPost", "副县长")],
                 id="names-jieba-splits"),
    pytest.param("3月9日,第二届乡村振兴论坛在县城举行。论坛上,县委副书记赵小龙宣读了倡议书。",
                 [("赵小龙", "attended", "第二届乡村振兴论坛")], id="scene-of-main-event"),
    pytest.param("3月9日,第二届乡村振兴论坛举行。县领导钱一、孙二等参加本次活动。",
                 [("钱一", "attended", "第二届乡村振兴论坛"), ("孙二", "attended", "第二届乡村振兴论坛")],
                 id="benci-huodong-is-main-event"),
    pytest.param("7日上午,省委、省政府在13个市地同步举行第三届重点项目集中开工仪式。",
                 [("湖南省委", "organizes", "第三届重点项目集中开工仪式")], id="organisers-with-adverbs"),
    pytest.param("十届县委第五轮巡察启动,县委常委、纪委书记孙中华出席启动会。",
                 [("孙中华", "holdsPost", "纪委书记")], id="generic-object-known-post"),
]
# fmt: on


@pytest.mark.parametrize("body, expected", CASES)
def test_rule_table(body, expected):
    got = triples(body)
    for t in expected:
        assert t in got, f"missing {t}; got {sorted(got)}"


def test_no_wrong_attendance_for_people_merely_named():
    got = triples("3月9日,县纪委召开警示教育大会,通报了李某某、王某某等人的违纪案件。")
    assert not [t for t in got if t[1] == "attended"]


# fmt: off
NOT_PERSONS = [
    pytest.param("民进中央主席赵志峰、农工党中央主席钱竹出席座谈会。", "农工党", id="party-after-list-comma"),
    pytest.param("省委书记高度重视乡村建设,多次深入乡村考察调研。", "高度重", id="idiom-after-title"),
    pytest.param("有关部门负责人和专家出席座谈会。", "和专家", id="conjunction-after-title"),
    pytest.param("东盟轮值主席国代表出席会议。", "国代表", id="title-inside-a-word"),
    pytest.param("国际舆论认为,两国主席和外方总统的每次会晤都令人瞩目。", "和外方", id="conjunction-not-surname"),
    pytest.param("看望委员时强调,要强化教育对科技的支撑作用。", "时强调", id="verb-inside-the-name"),
    pytest.param("看到总书记来了,当地村民纷纷围拢过来。", "来了", id="verb-after-title"),
    pytest.param("在国家主席战略引领下,两国关系迈入新时代。", "战略", id="noun-after-title"),
    pytest.param("湖南省长沙市岳麓区人民法院作出裁定。", "沙市", id="province-then-city"),
    pytest.param("6月5日,省长王大明在马尼拉出席第三届产业合作峰会。", "马尼拉", id="place-after-zai"),
]
# fmt: on


@pytest.mark.parametrize("body, word", NOT_PERSONS)
def test_words_that_are_not_persons(body, word):
    got = triples(body)
    assert not [t for t in got if word in (t[0], t[2])], sorted(got)


def test_clause_ending_in_an_event_noun_is_no_scene():
    """座谈会上, sets the scene of the main event; …通过此次峰会, does not."""
    assert ("王大明", "attended", "第三届产业合作峰会") not in triples(
        "6月5日,第三届产业合作峰会举行。王大明希望通过此次峰会,进一步巩固友好互信。")
    assert ("王大明", "attended", "第三届产业合作峰会") in triples(
        "6月5日,第三届产业合作峰会举行。峰会上,王大明希望进一步巩固友好互信。")


@pytest.mark.parametrize("body", [
    "6月5日,省委书记王大明会见来华出席第三届产业合作峰会的外国代表团。",        # the guests attend, not the host
    "6月5日,王大明表示,省委书记在第三届产业合作峰会上的讲话为全省指明了方向。",  # he speaks about it
])
def test_cue_that_belongs_to_someone_else(body):
    assert not [t for t in triples(body) if t[0] == "王大明" and t[1] == "attended"]


@pytest.mark.parametrize("body", [
    "市长王大明到石井镇调研项目建设、乡村振兴、村级换届等工作。",   # topics of the visit
    "王大明走进田间察看小麦生长、水稻育秧,与种粮农户交流。",          # what was looked at
    "王大明一行还走访慰问了困难户李小红、张建国和赵一平。",            # people visited
])
def test_inspection_topics_are_not_sites(body):
    got = triples(body)
    assert not [t for t in got if t[1] == "inspected" and t[2] not in ("石井镇",)], sorted(got)


def test_listed_sites_are_inspected_even_unknown():
    got = triples("县委书记王大明先后考察了茶叶产业提升项目、花溪刺绣、县第一初级中学、猕猴桃产业基地。")
    assert {("王大明", "inspected", o) for o in ("茶叶产业提升项目", "花溪刺绣", "猕猴桃产业基地")} <= got


def test_venue_after_zai_is_not_the_organiser():
    got = triples("3月9日,市文旅广电局在市体育中心举办第二届全民健身运动会。")
    assert ("株洲市文旅广电局", "organizes", "第二届全民健身运动会") in got
    assert not [t for t in got if t[0] == "市体育中心" and t[1] == "organizes"], sorted(got)


def test_taking_part_in_a_meeting_with_a_guest_is_not_the_event():
    got = triples("6月5日,第三届产业合作峰会在京开幕。省委书记王大明参加会见。")
    assert not [t for t in got if t[0] == "王大明" and t[1] == "attended"], sorted(got)


@pytest.mark.parametrize("body", [
    "县政协党组召开会议,传达学习省委书记在第三届产业发展大会上的讲话精神。",  # not the article's event
    "5月3日,县委召开常委会议传达第三届产业发展大会的讲话。",                  # not what was held that day
])
def test_an_event_whose_speech_is_studied_is_not_held_here(body):
    got = triples(body)
    assert not [t for t in got if t[2] == "第三届产业发展大会" or t[0] == "第三届产业发展大会"], sorted(got)


def test_event_organised_by_is_read_across_de():
    assert ("县文旅局", "organizes", "“书香县城”宣传文化工作图片展") in triples(
        "3月9日,由县文旅局策划组织的“书香县城”宣传文化工作图片展在县文化馆开幕。")


def test_bracketed_column_tag_is_not_part_of_an_event():
    got = triples("3月9日,县图书馆举办【讲座】“家校结合”教育培训讲座,县委副书记王大明参加讲座。")
    assert not [t for t in got if "【" in t[2] or "】" in t[2]], sorted(got)


def test_verb_after_a_two_character_name_is_not_part_of_it():
    got = triples("俱乐部主席华金来南京参加第二届友谊赛发布会。")
    assert ("华金", "holdsPost", "俱乐部主席") in got and not [t for t in got if t[0] == "华金来"], sorted(got)


def test_surname_split_off_by_jieba():
    """杨/卫星/常委: jieba tags the surname and the given name apart."""
    got = triples("杨卫星常委代表民盟中央表示,要推进文化建设。")
    assert ("杨卫星", "holdsPost", "常委") in got and not [t for t in got if t[0] == "卫星"], sorted(got)


def test_meeting_verb_ends_a_title():
    """在京视频会见人民党主席赵成典: the post is 人民党主席, not everything since 京."""
    got = triples("6月5日,省委书记王大明在京视频会见人民党主席赵成典。")
    assert not [t for t in got if t[0] == "赵成典" and "会见" in t[2]], sorted(got)


def test_given_name_cut_off_by_jieba():
    """赵家/超/出席会议: the last character of a name that jieba tagged as a verb."""
    assert ("赵家超", "holdsPost", "主席团常务主席") in triples("主席团常务主席赵家超出席会议。")


def test_full_name_ending_in_a_conjunction_character():
    """A name whose last character is 和 (国务委员张凤和、李勇): a conjunction is never followed by 、."""
    got = triples("国务委员张凤和、李勇出席会议。")
    assert {("张凤和", "holdsPost", "国务委员"), ("李勇", "holdsPost", "国务委员")} <= got


@pytest.mark.xfail(reason="an organiser that 组织 experts for a review is not linked to the contest it serves",
                   strict=True)
def test_known_miss_organizer_of_review():
    got = triples("5月初,市活动组委会办公室组织4名专家对节目进行现场审查,最终遴选出三个节目参加全市初赛。")
    assert ("株洲市活动组委会办公室", "organizes", "全市初赛") in got
