"""Typed spans of one sentence: persons with their posts, organisations, places, events, dates.

Everything here is generic: lexicons (kg/data) and patterns, never names from articles.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import cache

from kg import lexicon
from kg.ingest.textnorm import is_cjk
from kg.model import Mention, Token

CN_NUM = "0-9零〇一二三四五六七八九十百两"
ORDINAL = rf"第[{CN_NUM}]+[届次期批]"
# Words that never belong inside a name: they end a backward scan.
_STOP_BEFORE = ("召开", "举办", "举行", "启动", "开展", "组织", "参加", "出席", "发布了", "发布", "包括", "囊括",
                "入选", "主持", "列席", "宣布", "推出", "成为", "作为", "参与", "签订", "签署", "正式", "隆重",
                "顺利", "成功", "今年", "日前", "近日", "此次", "本次", "该", "这次", "首届", "进行",
                "开启", "承办", "主办", "协办", "获悉", "了", "的", "在", "于", "由", "与", "和", "及", "将", "到",
                "赴", "是", "为", "对", "从", "向", "等", "自", "即", "并", "也", "已", "都", "还", "又", "再",
                "亮相", "参与", "迎来", "走进", "推出", "迎接", "筹备", "完成", "实现", "推进", "推动", "做好", "抓好",
                "认识", "加快", "扎实", "积极", "深入", "代表", "结合", "通过", "围绕", "聚焦", "落实", "打造",
                "获得", "获", "荣获", "开始", "继续", "持续", "联合", "共同", "携手", "传达", "贯彻")
# An event noun must be followed by one of these (or by a non-CJK character).
_EVENT_FOLLOW = set("举启在召开于上中后前期结现的由暨将正已共等和与及圆落闭隆顺吸拉为是以即首还也时当")
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
ZONES = ("经济技术开发区", "高新技术产业开发区", "经济开发区", "高新区", "经开区", "开发区", "新区")
_DATE = re.compile(r"(?:(?P<y>(?:19|20)\d\d)年)?(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]")
_RELATIVE = {"昨日": -1, "昨天": -1, "今日": 0, "今天": 0, "前日": -2, "前天": -2}


@dataclass(frozen=True, slots=True)
class Found:
    """The mentions of one sentence."""

    persons: tuple[Mention, ...]
    posts: tuple[tuple[Mention, Mention], ...]   # (person, post) pairs; post.text as written
    orgs: tuple[Mention, ...]
    places: tuple[Mention, ...]                  # name = gazetteer or written full name
    place_parents: tuple[tuple[Mention, Mention], ...]  # (child, parent) written as a chain
    events: tuple[Mention, ...]
    agreements: tuple[Mention, ...]
    dates: tuple[Mention, ...]                   # name = ISO date


def generic_event(name: str) -> bool:
    """True for an event name that tells nothing apart (座谈会, 启动仪式).

    >>> generic_event("启动仪式"), generic_event("此场比赛"), generic_event("第22次制造名城早餐会")
    (True, True, False)
    """
    core = re.sub(r"^(此次|本次|此场|本场|这场|该场|该|这次|这个|上述|今年|今年的|当天|现场)", "", name.strip("“”\"《》 "))
    return core in _GENERIC_EVENTS or len(core) < 2 or bool(_GENERIC_PROJECT.fullmatch(core))


@cache
def _title_re() -> re.Pattern[str]:
    words = sorted(lexicon.titles(), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


def is_title(text: str) -> bool:
    return any(text.endswith(t) for t in lexicon.titles())


# ------------------------------------------------------------------ persons

_PERSON_CUES = frozenset(("表示", "说", "指出", "强调", "介绍", "主持", "出席", "参加", "宣布", "讲话", "致辞",
                          "调研", "考察", "视察", "一行", "等", "列席", "带队", "率队", "要求", "认为", "希望"))
_NAME_BREAK = set("等在主出列表指强说参介调率一带宣陪同和与及的作讲致到来对为向也还就先是了会将分"
                  "认深实详逐于赴察视考检走看听以")
# Words before names that are not posts: 县领导张三、李四
_NAME_LIST = re.compile(r"(?<![\u4e00-\u9fff])(?P<names>(?:[\u4e00-\u9fff]{2,3}、)+[\u4e00-\u9fff]{2,3})等"
                        r"(?:\d+位)?(?:[省市县区]?领导|人|同志|嘉宾|代表|负责同志)")
_MARKERS = ("省领导", "市领导", "县领导", "区领导", "镇领导", "市县领导", "县区领导")


def persons(text: str, tokens: tuple[Token, ...], known: frozenset[str] = frozenset()
            ) -> tuple[list[Mention], list[tuple[Mention, Mention]]]:
    """Persons and their posts: title-before-name (市委书记曹慧泉), shared titles
    (副县长甲、乙), name-before-title (张某某副主任), names already known, nr tags with a cue."""
    found: dict[int, Mention] = {}
    posts: list[tuple[Mention, Mention]] = []
    starts = {t.start: t for t in tokens}

    def add(start: int, name: str, titles: list[Mention]) -> Mention:
        m = found.setdefault(start, Mention("Person", name, start, start + len(name), name))
        if not any(pm == m for pm, _ in posts):
            posts.extend((m, t) for t in titles)
        return m

    for t in _title_re().finditer(text):  # title-before-name, cut by characters
        b = t.end()
        name = _name_at(text, b, starts)
        if name is None or text[t.start():b] in ("专家", "博士") or any(
                m.start < b < m.end for m in found.values()):
            continue
        cut = [Token(text[tok.start:min(tok.end, t.start())], tok.pos, tok.start, min(tok.end, t.start()))
               for tok in tokens if tok.start < t.start()] + [Token(text[t.start():b], "n", t.start(), b),
                                                                 Token(name, "nr", b, b + len(name))]
        first = add(b, name, _titles_before(text, tuple(cut), len(cut) - 1))
        _shared_title(text, first, starts, add, [p for pm, p in posts if pm == first])
    for m in _NAME_LIST.finditer(text):  # 王甲、李乙、张丙等市领导
        names = m["names"].split("、")
        if all(lexicon.starts_with_surname(n) for n in names):
            pos = m.start("names")
            for n in names:
                add(pos, n, [])
                pos += len(n) + 1
    for word in _MARKERS:
        for mk in re.finditer(word, text):
            name = _name_at(text, mk.end(), starts)
            if name is not None and mk.end() not in found and text[mk.end() + len(name):][:1] in "、,等":
                _shared_title(text, add(mk.end(), name, []), starts, add, [])
    for i, tok in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if tok.start in found or any(m.start < tok.start < m.end for m in found.values()):
            continue
        name_like = tok.text in known or (
            tok.pos in _NAME_POS and 2 <= len(tok.text) <= 3 and lexicon.starts_with_surname(tok.text)
            and not tok.text.endswith(lexicon.org_suffixes()))
        if not name_like:
            continue
        prev = tokens[i - 1] if i else None
        start, name = tok.start, tok.text
        if (prev is not None and len(prev.text) == 1 and prev.pos in _NAME_POS and len(tok.text) == 2
                and lexicon.starts_with_surname(prev.text) and prev.start not in found):
            start, name = prev.start, prev.text + tok.text  # 曹/卫星/常委: the surname split off
        if nxt is not None and nxt.text in lexicon.titles():  # 张泉明副主任
            add(start, name, [Mention("Post", nxt.text, nxt.start, nxt.end, nxt.text)])
        elif tok.text in known or (nxt is not None and nxt.text in _PERSON_CUES
                                   and (prev is None or prev.text not in _TO_A_PLACE)):
            add(start, name, [])
    return sorted(found.values(), key=lambda m: m.start), posts


_TO_A_PLACE = frozenset(("在", "于", "赴", "到", "抵达", "前往", "来到", "飞抵"))  # 在吉隆坡出席: a place
_NAME_POS = ("nr", "nrfg")  # jieba's tags of personal names (nrfg: full names in its dictionary)
_FUNCTION_CHARS = set("等在和与及的向以对为到赴于将也还就是了同作")


def _name_at(text: str, b: int, starts: dict[int, Token]) -> str | None:
    """The 2-3 character name starting at `b` (jieba's own nr token first), or None."""
    single, double = lexicon.surnames()
    sur = 2 if text[b:b + 2] in double else 1 if text[b:b + 1] in single else 0
    if not sur or text[b] in "和与及":  # 主席和普京总统: the conjunction, not the rare surname 和
        return None
    tok = starts.get(b)
    if tok is not None and tok.pos in _NAME_POS and sur + 1 <= len(tok.text) <= sur + 2:
        nxt = starts.get(tok.end)  # 徐泽/星等: the given name's last character glued to 等
        if (len(tok.text) == sur + 1 and nxt is not None and len(nxt.text) == 2 and nxt.text[1] in _FUNCTION_CHARS
                and nxt.text[0] not in _NAME_BREAK and is_cjk(nxt.text[0])):
            return tok.text + nxt.text[0]
        if len(tok.text) == sur + 1 and nxt is not None and nxt.text in ("和", "与", "及") \
                and text[nxt.end:nxt.end + 1] in ("、", ",", "。"):
            return tok.text + nxt.text  # 魏凤/和、王勇: a conjunction is never followed by 、
        after = starts.get(nxt.end) if nxt is not None else None
        if (len(tok.text) == sur + 1 and nxt is not None and len(nxt.text) == 1 and is_cjk(nxt.text)
                and nxt.text not in _NAME_BREAK and nxt.text not in _FUNCTION_CHARS
                and after is not None and (after.text in "、," or after.text.startswith(tuple(_PERSON_CUES)))):
            return tok.text + nxt.text  # 李家/超/出席: the given name's last character cut off
        return tok.text
    if tok is None and any(t.start <= b - 2 and b < t.end for t in starts.values()):
        return None  # 轮值主席国马来西亚: the title ends inside a word (not 宣传部/长江/小忠: one character)
    if tok is not None and len(tok.text) == 1 and tok.pos[:1] in ("c", "p", "u", "d", "v"):
        return None  # 负责人和专家, 主席向中美, 总书记来了: a function word or verb, not a surname
    if tok is not None and len(tok.text) >= 2 and (tok.pos[:1] in ("v", "a", "d", "p", "c")
                                                   or tok.pos in ("n", "nt", "j", "l", "i") or len(tok.text) > sur + 2):
        return None  # 副校长宣传内容, 蔡某、农工党中央主席, 主席高度重视, 主席战略引领: a word, not a name
    for size in (sur + 2, sur + 1):
        name = text[b:b + size]
        if len(name) < size or not all(is_cjk(c) for c in name):
            continue
        last = starts.get(b + size - 1)
        if (size == sur + 2 and (name[-1] in _FUNCTION_CHARS or (
                name[-1] in _NAME_BREAK and last is not None and len(last.text) == 1
                and last.pos[:1] in ("v", "p", "c", "d")))) \
                or name[-1] in "省市县区州镇乡" or any(_token_breaks(starts.get(i)) for i in range(b + 1, b + size)):
            continue  # 委员时/强调, 湖南省长/沙市, 华金/来/南京: a verb inside or last, or a division's ending
        after = text[b + size:b + size + 1]
        if not after or not is_cjk(after) or after in _NAME_BREAK or starts.get(b + size) is not None:
            return name
    return None


def _token_breaks(tok: Token | None) -> bool:
    """A token that cannot continue a name (列席 in 杨跃列席)."""
    return tok is not None and len(tok.text) >= 2 and (tok.pos in ("v", "p", "c", "u", "d") or tok.text in _PERSON_CUES)


def _shared_title(text: str, first: Mention, starts: dict[int, Token], add, titles: list[Mention]) -> None:  # type: ignore[no-untyped-def]
    """Names that follow `first` after 、 share its titles (副市长甲、乙)."""
    j = first.end
    while text[j:j + 1] == "、":
        name = _name_at(text, j + 1, starts)
        if name is None:
            return
        add(j + 1, name, titles)
        j += 1 + len(name)


_TITLE_PART_POS = {"n", "nt", "ns", "nz", "j", "nr", "ng", "vn", "l", "b", "m", "q", "a", "an", "eng", "x", "zg"}
_TITLE_BREAK = re.compile(r"[,;:。“”\"]|应邀|与|和|同|及|由|在|对|向|为|等|位|名|会见|会晤|接见|会谈|看望|慰问|视频|"
                          r"出席|参加|主持")


def _titles_before(text: str, tokens: tuple[Token, ...], i: int) -> list[Mention]:
    """The posts written before the name at token i, split at 、 and 兼 (市委副书记、市长)."""
    end = tokens[i].start
    j = i - 1
    suffixes = frozenset(lexicon.org_suffixes())
    while j >= 0:
        t = tokens[j]
        # inside an organisation's name a verb or 与 may stand (物流与采购联合会会长): only right
        # before the organisation's suffix
        org_next = any(x.text in suffixes or x.pos == "nt" for x in tokens[j + 1:min(i, j + 3)])
        if org_next and j > 0 and (t.pos == "v" or (t.text in ("与", "和") and tokens[j - 1].pos in ("n", "ns", "nz"))):
            j -= 1
            continue
        if t.pos not in _TITLE_PART_POS or _TITLE_BREAK.fullmatch(t.text) or t.text in ("非", "中共党员"):
            break
        if t.pos == "x" and t.text not in ("、", "(", ")"):
            break
        if t.pos in ("m", "q") and not re.fullmatch(r"第?[一二三四五六七八九十]+", t.text):
            break
        j -= 1
    if j + 1 < i and tokens[j + 1].text == "(":  # 中都(株洲)物流: a short name jieba cut before the bracket
        while j >= 0 and len(tokens[j].text) == 1 and is_cjk(tokens[j].text) \
                and tokens[i - 1].start - tokens[j].start < 40 \
                and tokens[j].pos not in ("p", "c", "u", "uj", "x") and j >= i - 12:
            j -= 1
    start = tokens[j + 1].start if j + 1 < i else end
    span = text[start:end].strip("、")
    start = end - len(span)
    out, pos = [], start
    for part in re.split(r"(、|兼)", span):
        if part in ("、", "兼"):
            pos += len(part)
            continue
        p = part.strip()
        if p and is_title(p) and len(p) <= 30:
            out.append(Mention("Post", p, pos, pos + len(part), p))
        pos += len(part)
    return out


# ------------------------------------------------------------------ places

_COMMON_NOUNS = frozenset({"市区", "城区", "郊区", "矿区", "新区", "东区", "西区", "南区", "北区", "中区", "县区"})


def places(text: str, tokens: tuple[Token, ...] = ()) -> tuple[list[Mention], list[tuple[Mention, Mention]]]:
    """Gazetteer divisions (chains such as 江西省赣州市南康区 give parents) and 乡/镇/村 below them."""
    g = lexicon.gazetteer()
    found: list[Mention] = []
    parents: list[tuple[Mention, Mention]] = []
    i, n = 0, len(text)
    starts = {t.start for t in tokens} | {0} if tokens else set(range(n + 1))
    ends = {t.end for t in tokens} | {n} if tokens else set(range(n + 1))
    chain: list[Mention] = []
    sorted_ends = sorted(ends, reverse=True)
    while i < n:
        hit = None
        if i in starts:
            for e in sorted_ends:
                if e <= i + 1 or e - i > g.max_len:
                    continue
                piece = text[i:e]
                if piece[-1] in "省市区县州旗盟" and piece in g.by_name and piece not in _COMMON_NOUNS:
                    hit = piece
                    break
        if hit is None:
            if chain:
                i = _below_county(text, i, chain, found, parents)
                chain = []
            i += 1
            continue
        within = chain[-1].name if chain and chain[-1].end == i else None
        d = g.lookup(hit, within)
        m = Mention("Place", hit, i, i + len(hit), d.adcode if d else hit)
        if chain and chain[-1].end == i and within and d and g.is_within(d.adcode, within):
            parents.append((m, chain[-1]))
            chain.append(m)
        else:
            chain = [m]
        found.append(m)
        i += len(hit)
    found += _zones(text, found, parents)
    for m in re.finditer(r"(?:我|本)[省市县区]", text):
        found.append(Mention("Place", m[0], m.start(), m.end(), m[0]))
    return sorted(found, key=lambda m: m.start), parents


def _zones(text: str, found: list[Mention], parents: list[tuple[Mention, Mention]]) -> list[Mention]:
    """Development zones named after their city (常州经开区, 黄石临空经济区): places below the city."""
    g = lexicon.gazetteer()
    out = []
    for m in re.finditer("|".join(ZONES), text):
        for n in (4, 3, 2):
            head = text[max(0, m.start() - n):m.start()]
            full = head if head in g.by_name else g.short.get(head)
            if len(head) == n and full and g.by_name[full][0].level in ("city", "county"):
                zone = Mention("Place", head + m[0], m.start() - n, m.end(), head + m[0])
                d = g.by_name[full][0]
                city = next((p for p in found if p.start == zone.start and p.name == d.adcode), None)
                city = city or Mention("Place", head, zone.start, m.start(), d.adcode)
                out.append(zone)
                parents.append((zone, city))
                break
    return out


_BELOW = re.compile(r"([\u4e00-\u9fff]{1,6}(?:乡|镇|街道))([\u4e00-\u9fff]{1,5}(?:村|社区))?")


def _below_county(text: str, i: int, chain: list[Mention], found: list[Mention],
                  parents: list[tuple[Mention, Mention]]) -> int:
    """乡/镇/街道 and 村/社区 written right after a county-level name."""
    last = chain[-1]
    d = lexicon.gazetteer().by_code.get(last.name)
    if d is None or d.level != "county" or last.end != i:
        return i
    m = _BELOW.match(text, i)
    if not m:
        return i
    prefix = text[chain[0].start:i]
    town = Mention("Place", m[1], m.start(1), m.end(1), prefix + m[1])
    found.append(town)
    parents.append((town, last))
    end = m.end(1)
    if m[2]:
        village = Mention("Place", m[2], m.start(2), m.end(2), prefix + m[1] + m[2])
        found.append(village)
        parents.append((village, town))
        end = m.end(2)
    return end - 1


# ------------------------------------------------------------------ organisations

_ORG_CHAR = re.compile(r"[\u4e00-\u9fff()0-9A-Za-z]")
_ORG_PUNCT = set(",;:。、“”\"《》 ")
_ORG_LEFT_STOP = _ORG_PUNCT | set("与和及同由在对向为把将被从于据经让使请邀")


def organisations(text: str, tokens: tuple[Token, ...]) -> list[Mention]:
    """Spans ending with an organisation suffix, extended left over name tokens."""
    out: list[Mention] = []
    suffixes = lexicon.org_suffixes()
    suffix_set = frozenset(suffixes)
    lengths = sorted({len(x) for x in suffixes}, reverse=True)
    bounds = {t.start for t in tokens} | {len(text)}
    ends = {t.end for t in tokens}
    for t in tokens:
        if t.pos in ("v", "vn") and t.text not in suffix_set:
            continue
        for suf in (t.text[-k:] for k in lengths if k <= len(t.text) and t.text[-k:] in suffix_set):
            end = t.end
            if text[end:end + 1] in ("长", "员", "副", "书") and suf in ("委", "局", "部", "办", "会"):
                break
            start = _org_start(text, tokens, t)
            name = text[start:end]
            if (len(suf) == 1 and t.pos != "nt" and not _LEVEL_PREFIX.match(name) and t.text not in suffixes
                    and not _starts_with_division(name)):
                break
            if name.endswith(("干部", "群众", "人员")) or is_title(name):
                break
            if (len(name) > len(suf) or _LEVEL_PREFIX.match(name)) and end in ends and start in bounds:
                out.append(Mention("Organization", name, start, end, name))
            break
    return _drop_nested(out)


_ORG_TOKEN_POS = {"n", "nt", "ns", "nz", "j", "nr", "ng", "vn", "b", "m", "eng", "an", "a", "v", "nrt", "x", "zg", "s"}
_LEVEL_PREFIX = re.compile(r"(中共|国家|省|市|县|区(?!域)|镇|乡|街道|我市|我县|我区|全市)")


def _org_start(text: str, tokens: tuple[Token, ...], last: Token) -> int:
    idx = tokens.index(last)
    j = idx - 1
    depth = 0
    while j >= 0:
        t = tokens[j]
        if t.text == ")":
            depth += 1
            j -= 1
            continue
        if t.text == "(":
            if depth == 0:
                break
            depth -= 1
            j -= 1
            continue
        if t.text.endswith(_EVENT_TAILS_FOR_ORG):
            break
        if (t.pos not in _ORG_TOKEN_POS or t.text in _ORG_LEFT_STOP or t.text in _STOP_BEFORE
                or any(c in _ORG_PUNCT for c in t.text)):
            break
        if t.pos == "v" and t.text not in ("服务", "管理", "审批", "监督", "发展", "建设", "救援", "执法", "保障",
                                           "改革", "研究", "投资", "促进", "监察", "检查", "巡视", "宣传", "采购"):
            break
        if t.pos == "x" and t.text not in ("(", ")"):
            break
        if is_title(t.text) and t.text not in lexicon.org_suffixes():
            break
        j -= 1
    return tokens[j + 1].start


_EVENT_TAILS_FOR_ORG = ("活动", "仪式", "读书会", "大赛", "行动", "论坛")


def _starts_with_division(name: str) -> bool:
    g = lexicon.gazetteer()
    return any(name[:n] in g.by_name or name[:n] in g.short for n in range(2, min(len(name), 8)))


def _drop_nested(ms: list[Mention]) -> list[Mention]:
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
        if nxt and is_cjk(nxt) and nxt not in _EVENT_FOLLOW:
            continue
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
    for m in re.finditer(rf"(?:{ORDINAL})?[“《][^”》]{{2,30}}[”》][\u4e00-\u9fff]{{0,10}}?"
                         r"(?:工作|项目)(?![\u4e00-\u9fff])",
                         text):
        out.append(Mention("Event", m[0], m.start(), m.end(), m[0]))
    return _drop_nested(out)


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
            stop = next((w for w in _STOP_BEFORE if text.endswith(w, 0, i)), None)
            if stop in ("和", "与") and (_inside_quotes(text, i) or _parties_joined(text, i - 1)):
                stop = None
            if stop in _COMPOUND_VERBS and i == tail_start:  # 推进会议: the verb is part of the noun
                stop = None
            if stop and stop != "及":
                break
            if c == "暨" and text[:i - 1].endswith(lexicon.event_nouns()):
                break
        i -= 1
        if end - i > 45:
            return None
    name = text[i:end]
    name = re.sub(r"^(上午|下午|晚上|当天|今年|现场|正式|首届)", "", name)
    return end - len(name)


_COMPOUND_VERBS = frozenset(("推进", "推动", "筹备", "落实"))


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
        if page is not None and not any(o.start <= m.start() < o.end for o in out):
            try:
                day = dt.date(page.year, page.month, int(m[1]))
            except ValueError:
                continue
            out.append(Mention("Date", m[0], m.start(), m.end(), day.isoformat()))
    if page is not None and not out:
        for word, delta in _RELATIVE.items():
            for k in (k.start() for k in re.finditer(word, text)):
                out.append(Mention("Date", word, k, k + len(word), (page + dt.timedelta(days=delta)).isoformat()))
    return sorted(out, key=lambda m: m.start)


def find(text: str, tokens: tuple[Token, ...], *, known_persons: frozenset[str] = frozenset(),
         year: int | None = None, page: dt.date | None = None) -> Found:
    """All mentions of one sentence."""
    ps, posts = persons(text, tokens, known_persons)
    pl, parents = places(text, tokens)
    return Found(tuple(ps), tuple(posts), tuple(organisations(text, tokens)), tuple(pl), tuple(parents),
                 tuple(events(text)), tuple(agreements(text)), tuple(dates(text, year, page)))


def with_known(found: Found, text: str, tokens: tuple[Token, ...], known: frozenset[str]) -> Found:
    """`found` with its persons found again, now that the article's names are known."""
    ps, posts = persons(text, tokens, known)
    return replace(found, persons=tuple(ps), posts=tuple(posts))
