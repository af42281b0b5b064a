"""Events, agreements and dates in one sentence: 第22次“制造名城早餐会”, 签订…战略合作协议, 6月3日.

Everything here is generic: lexicons (kg/data) and patterns, never names from articles.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import cache

from kg import lexicon
from kg.ingest.textnorm import is_cjk
from kg.model import Mention

CN_NUM = "0-9零〇一二三四五六七八九十百两"
ORDINAL = rf"第[{CN_NUM}]+[届次期批]"
# Words that never belong inside a name: they end a backward scan.
STOP_BEFORE = ("召开", "举办", "举行", "启动", "开展", "组织", "参加", "出席", "发布了", "发布", "包括", "囊括",
                "入选", "主持", "列席", "宣布", "推出", "成为", "作为", "参与", "签订", "签署", "正式", "隆重",
                "顺利", "成功", "今年", "日前", "近日", "此次", "本次", "该", "这次", "首届", "进行",
                "开启", "承办", "主办", "协办", "获悉", "了", "的", "在", "于", "由", "与", "和", "及", "将", "到",
                "赴", "是", "为", "对", "从", "向", "等", "自", "即", "并", "也", "已", "都", "还", "又", "再",
                "亮相", "参与", "迎来", "走进", "推出", "迎接", "筹备", "完成", "实现", "推进", "推动", "做好", "抓好",
                "认识", "加快", "扎实", "积极", "深入", "代表", "结合", "通过", "围绕", "聚焦", "落实", "打造",
                "获得", "获", "荣获", "开始", "继续", "持续", "联合", "共同", "携手", "传达", "贯彻")
# An event noun must be followed by one of these (or by a non-CJK character).
_EVENT_FOLLOW = set("举启在召开于上中后前期结现的由暨将正已共等和与及圆落闭隆顺吸拉为是以即首还也时当精")
# Endings that look like event nouns but name organisations or ordinary words.
_NOT_EVENT_TAIL = ("协会", "委员会", "联合会", "商会", "学会", "工会", "常委会", "管委会", "组委会", "基金会",
                   "促进会", "研究会", "社会", "机会", "都会", "理事会", "董事会", "议会", "国会", "总会",
                   "分会", "年会员", "人大会", "体会", "约会", "不会", "学会", "只会", "才会", "就会", "将会",
                   "宴会厅", "项目部", "工程师", "工程处", "大会堂", "月份", "每月", "当月", "本月", "上月",
                   "个月", "岁月", "周年", "周边", "一周", "每周", "本周", "赛区", "展馆", "节目", "节日", "环节",
                   "细节", "春节", "季节", "调节", "节约", "节能", "行动中", "展示")
_GENERIC_EVENTS = frozenset((
    "仪式", "签约仪式", "签字仪式", "开工仪式", "启动仪式", "揭牌仪式", "开幕式", "开幕仪式", "集中签约仪式",
    "集中开工仪式", "会", "会议", "大会", "座谈会", "座谈", "推进会", "调度会", "汇报会", "现场会", "交流会",
    "专题会议", "调研座谈会", "民主生活会", "专题民主生活会", "党组会", "党组会议", "常务会议", "全体会议",
    "中心组学习会", "初赛", "决赛", "巡逻", "巡讲", "展览", "图片展", "书画展", "读书会", "活动", "本次活动",
    "此次活动", "系列活动", "启动", "签约", "开工", "开班式", "开班仪式",
    "开工活动", "集中开工活动", "联席会", "联席会议", "碰头会",
    "调研", "考察", "视察", "协议", "合作协议", "战略合作协议",
    "框架协议", "合作框架协议", "项目", "工程", "工作", "相关活动", "主题活动", "宣传活动", "子活动", "行动",
    "专项行动", "月", "周", "节", "展", "赛", "演出", "讲座", "培训", "比赛", "竞赛", "论坛", "系列宣传活动",
    "全民阅读活动", "该项目", "此次系列活动", "系列", "上述活动"))
_GENERIC_PROJECT = re.compile(r"(省|市|县|区|国家)?(级)?(重点|重大|建设|招商|产业)*(项目|工程)")
_AGREEMENT_TAIL = ("战略合作框架协议", "合作框架协议", "战略合作协议", "框架协议", "合作协议", "协议书", "协议",
                   "协定", "备忘录", "合作书", "意向书", "合同")
_DATE = re.compile(r"(?:(?P<y>(?:19|20)\d\d)年)?(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]")
_RELATIVE = {"昨日": -1, "昨天": -1, "今日": 0, "今天": 0, "前日": -2, "前天": -2}


def generic_event(name: str) -> bool:
    """True for an event name that tells nothing apart (座谈会, 启动仪式).

    >>> generic_event("启动仪式"), generic_event("此场比赛"), generic_event("第22次制造名城早餐会")
    (True, True, False)
    """
    core = re.sub(r"^(此次|本次|此场|本场|这场|该场|该|这次|这个|上述|今年|今年的|当天|现场)", "",
                  name.strip("“”\"《》 "))
    return core in _GENERIC_EVENTS or len(core) < 2 or bool(_GENERIC_PROJECT.fullmatch(core))


def drop_nested(ms: list[Mention]) -> list[Mention]:
    ms = sorted(ms, key=lambda m: (m.start, -m.end))
    out: list[Mention] = []
    for m in ms:
        if out and out[-1].start <= m.start and m.end <= out[-1].end:
            continue
        out.append(m)
    return out


# ------------------------------------------------------------------ events and agreements

@cache
def _event_tail_re() -> re.Pattern[str]:
    nouns = sorted(lexicon.event_nouns(), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, nouns)))


def _event_tails(text: str) -> list[re.Match[str]]:
    """Every event noun of `text`, overlapping ones too (推进会 and 会议 in 现场推进会议)."""
    out, pos = [], 0
    pattern = _event_tail_re()
    while (m := pattern.search(text, pos)) is not None:
        out.append(m)
        pos = m.start() + 1
    return out


def events(text: str) -> list[Mention]:
    """Event names: a stretch that ends with an event noun (会, 活动, 仪式 …), bounded on the left
    by punctuation, trigger verbs or function words; quoted parts and 第N届 kept whole."""
    out: list[Mention] = []
    for m in _event_tails(text):
        end = m.end()
        # take the longest event noun ending here, and require a sensible right boundary
        nxt = text[end:end + 1]
        if (nxt and is_cjk(nxt) and nxt not in _EVENT_FOLLOW) or text.startswith("中心", end):
            continue  # 县会议中心: a venue
        if any(text[max(0, end - len(t)):end + 2].startswith(t) or text[max(0, end - len(t) + 1):end + 1] == t
               for t in _NOT_EVENT_TAIL):
            continue
        start = _event_start(text, m.start(), end)
        if start is None:
            continue
        if text[start:end].count("“") > text[start:end].count("”") and text[end:end + 1] == "”":
            end += 1
        name = text[start:end].strip()
        if (len(name) < 3 and not generic_event(name)) or re.match(rf"[{CN_NUM}]+[个项场次类]", name):
            continue
        plus = start + name.index("+") if "+" in name else -1
        if plus >= 0 and not _inside_quotes(text, plus) and text[:plus].count("(") <= text[:plus].count(")"):
            a = start
            for part in name.split("+"):
                if part:
                    out.append(Mention("Event", part, a, a + len(part), part))
                a += len(part) + 1
            continue
        out.append(Mention("Event", name, start, end, name))
    out = [_joined_subjects(text, m) for m in out]
    for m in _QUOTED_HELD.finditer(text):  # 德阳举行了“法治好书换赠漂流”: a quoted activity held
        out.append(Mention("Event", m["name"], m.start("name"), m.end("name"), m["name"]))
    for m in re.finditer(rf"(?:{ORDINAL})?[“《][^”》]{{2,30}}[”》][\u4e00-\u9fff]{{0,10}}?"
                         r"(?:工作|项目)(?![\u4e00-\u9fff])",
                         text):
        out.append(Mention("Event", m[0], m.start(), m.end(), m[0]))
    return drop_nested(out)


_QUOTED_HELD = re.compile(r"(?:举行|举办|开展|启动|组织)了?(?:为期[^,。的]{1,8}的)?"
                          r"(?P<name>“[^”]{2,30}”)(?![\u4e00-\u9fff“])")
_SUBJECTS_BEFORE = re.compile(r"(?:召开|举行|举办|组织|开展)了?"
                              r"(?P<first>[\u4e00-\u9fff]{2,8}(?:、[\u4e00-\u9fff]{2,8})*)、$")


def _joined_subjects(text: str, m: Mention) -> Mention:
    """召开城乡供水、垃圾分类工作座谈会: one meeting on both subjects, not the 垃圾分类工作座谈会 alone."""
    before = _SUBJECTS_BEFORE.search(text, 0, m.start)
    if before is None or _inside_quotes(text, m.start):
        return m
    name = before["first"] + "、" + m.name
    return Mention("Event", text[before.start("first"):m.end], before.start("first"), m.end, name)


def _event_start(text: str, tail_start: int, end: int) -> int | None:
    i = tail_start
    quote_depth = 0
    while i > 0:
        c = text[i - 1]
        if c in "”》)":
            quote_depth += 1
        elif c in "“《(" and quote_depth:
            quote_depth -= 1
        elif c == "(":
            break
        elif quote_depth == 0:
            if c in ",;:。()!?【】[]|" or (c.isspace() and not text[i - 2:i - 1].isascii()):
                break
            if c == "、" and not _inside_quotes(text, i):
                # 、 inside a name only between short pieces (肃流毒、正生态、促发展) or quotes
                left = re.split(r"[,;:。、”]", text[:i - 1])[-1]
                right = re.split(r"[,;:。、“]", text[i:end])[0]
                if _event_tail_re().search(left[-3:]) or (len(left) > 4 and len(right) > 4):
                    break
            stop = next((w for w in STOP_BEFORE if text.endswith(w, 0, i)), None)
            if stop in ("和", "与") and (_inside_quotes(text, i) or _parties_joined(text, i - 1)):
                stop = None
            if stop in _COMPOUND_VERBS and i == tail_start:  # 推进会议: the verb is part of the noun
                stop = None
            if stop == "联合" and not _JOINT_VERB.match(text, i):  # 水源地保护联合执法行动, not 联合举办的
                stop = None
            if stop and stop != "及":
                break
            if c == "暨" and text[:i - 1].endswith(lexicon.event_nouns()):
                break
        i -= 1
        if end - i > 45:
            return None
    name = text[i:end]
    name = re.sub(r"^(\d{1,2}月\d{1,2}日)?(上午|下午|晚上|当天|今年|现场|正式|首届)?", "", name)  # 3月17日X会议
    return end - len(name)


_COMPOUND_VERBS = frozenset(("推进", "推动", "筹备", "落实"))
_JOINT_VERB = re.compile(r"举办|主办|承办|协办|开展|发起|组织|召开|举行|印发|推出|启动|[以对在向为与将]")


def _parties_joined(text: str, at: int) -> bool:
    """`A与B签约仪式`: 与 joins two parties named from the start of the clause."""
    left = re.split(r"[,;:。、]", text[:at])[-1]
    left = re.sub(r"^[,上午下晚]+", "", _DATE.sub("", left))  # 上午, 下午, 晚 before the parties
    return 2 <= len(left) <= 20 and left.endswith((*lexicon.org_suffixes(), "省", "市", "县", "区"))


def _inside_quotes(text: str, i: int) -> bool:
    return text[:i].count("“") > text[:i].count("”")


@cache
def _agreement_tail_re() -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, sorted(_AGREEMENT_TAIL, key=len, reverse=True))))


def agreements(text: str) -> list[Mention]:
    """Agreement names after a signing verb: 签订“跨省通办”政务服务战略合作协议."""
    out = []
    for m in re.finditer(r"(签订|签署|签约|达成|签下)(了)?", text):
        rest = text[m.end():m.end() + 50]
        t = _agreement_tail_re().search(rest)
        if t and not re.search(r"[,;。\s]", rest[:t.start()]):
            a = m.end()
            name = text[a:a + t.end()]
            out.append(Mention("Agreement", name, a, a + t.end(), name))
    return out


# ------------------------------------------------------------------ dates

def dates(text: str, year: int | None, page: dt.date | None) -> list[Mention]:
    """Day dates as ISO strings; 近日/日前 give none; 昨日 is relative to the page date."""
    out = []
    for m in _DATE.finditer(text):
        y = int(m["y"]) if m["y"] else year
        if y is None:
            continue
        try:
            d = dt.date(y, int(m["m"]), int(m["d"]))
        except ValueError:
            continue
        out.append(Mention("Date", m[0], m.start(), m.end(), d.isoformat()))
    for m in re.finditer(r"(?<![\d月])(\d{1,2})日(?=上午|下午|晚|,|起|召开|举行|在)", text):
        if any(o.start <= m.start() < o.end for o in out):
            continue
        span = next((o for o in out if re.fullmatch(r"至|到|—|-|~|、", text[o.end:m.start()])), None)
        month = dt.date.fromisoformat(span.name) if span else page  # 5月18日至19日: the month of the span
        if month is not None:
            try:
                day = dt.date(month.year, month.month, int(m[1]))
            except ValueError:
                continue
            out.append(Mention("Date", m[0], m.start(), m.end(), day.isoformat()))
    for m in re.finditer(r"[今昨]\((\d{1,2})\)日", text):  # 今(15)日: the day of the month in brackets
        if page is not None:
            try:
                out.append(Mention("Date", m[0], m.start(), m.end(), page.replace(day=int(m[1])).isoformat()))
            except ValueError:
                continue
    if page is not None and not out:
        for word, delta in _RELATIVE.items():
            for k in (k.start() for k in re.finditer(word, text)):
                out.append(Mention("Date", word, k, k + len(word), (page + dt.timedelta(days=delta)).isoformat()))
    return sorted(out, key=lambda m: m.start)
