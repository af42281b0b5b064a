"""Places and organisations in one sentence: divisions of the gazetteer (chains such as
江西省赣州市南康区 give parents), 乡/镇/村 below them and development zones; organisations
are spans that end with an organisation suffix.

Everything here is generic: lexicons (kg/data) and patterns, never names from articles.
"""
from __future__ import annotations

import re
from functools import cache

from kg import lexicon
from kg.extract.events import STOP_BEFORE, drop_nested
from kg.extract.ner import Span
from kg.extract.persons import is_title, title_at
from kg.ingest.textnorm import is_cjk
from kg.model import Mention, Token

ZONES = ("经济技术开发区", "高新技术产业开发区", "经济开发区", "高新区", "经开区", "开发区", "新区")


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
    last: list[Mention] = []  # the chain before the current one (for 、-lists)
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
        if hit is None and i in starts:
            hit = _short_head(text, i, sorted_ends)
            if hit is not None:
                starts.add(i + len(hit))  # 上海浦东新区 is one token
        if hit is None:
            if chain:
                i = _below_county(text, i, chain, found, parents)
                last, chain = chain, []
            i += 1
            continue
        within = chain[-1].name if chain and chain[-1].end == i else None
        listing = len(last) >= 2 and text[last[-1].end:i] == "、"  # 天津市东丽区、西青区: look in 天津市
        d = g.lookup(hit, within or (last[-2].name if listing else None))
        m = Mention("Place", hit, i, i + len(hit), d.adcode if d else hit)
        if chain and chain[-1].end == i and within and d and g.is_within(d.adcode, within):
            parents.append((m, chain[-1]))
            chain.append(m)
        elif (listed := _listed_sibling(text, i, last, d)) is not None:
            parents.append((m, listed))
            chain = [listed, m]
        else:
            chain = [m]
        found.append(m)
        i += len(hit)
    found += _zones(text, found, parents)
    _town_chains(text, found, parents)
    _foreign(text, found, parents)
    for m in re.finditer(r"(?:我|本)[省市县区]", text):
        found.append(Mention("Place", m[0], m.start(), m.end(), m[0]))
    return sorted(found, key=lambda m: m.start), parents


_NOT_FOREIGN = re.compile(r"[的和与是等各这其国内外上个大小多城超股夜集门鱼菜到了在还该应驻局致力曾]|自治|政府|首都"
                          r"|当地|边境|旅游|位于|军队|[务业学通产动卫境]省$")  # 外务省, 厚生劳动省: ministries
_DIRECTION = re.compile(r"^(东|西|南|北|中|东南|东北|西南|西北)部")


@cache
def _countries() -> re.Pattern[str]:
    return re.compile("|".join(sorted(lexicon.words("countries.txt"), key=len, reverse=True)))


def _foreign(text: str, found: list[Mention], parents: list[tuple[Mention, Mention]]) -> None:
    """A place written after its country (日本四日市市, 老挝琅勃拉邦省): the place lies in the country."""
    for m in _countries().finditer(text):
        before = text[m.start() - 1:m.start()]
        place = re.match(r"[\u4e00-\u9fff]{1,6}?[省市州县]+", text[m.end():])  # 四日市市, 光阳市(副市长)
        if (place is None or (before and is_cjk(before) and before not in "与和及同赴到在从自来往对访以、的")  # 内蒙古
                or _NOT_FOREIGN.search(place[0])
                or any(p.start < m.end() + place.end() and m.start() < p.end for p in found)):
            continue
        country = Mention("Place", m[0], m.start(), m.end(), m[0])
        skip = len(d[0]) if (d := _DIRECTION.match(place[0])) else 0  # 日本中部福岛县
        child = Mention("Place", place[0][skip:], m.end() + skip, m.end() + place.end(), place[0][skip:])
        found += [country, child]
        parents.append((child, country))


def _short_head(text: str, i: int, ends: list[int]) -> str | None:
    """A province's or city's short name heading a chain (达州万源市, 河北承德市): the short
    form counts only when a division inside it follows at once."""
    g = lexicon.gazetteer()
    for n in (4, 3, 2):
        full = g.short.get(text[i:i + n])
        if full is None:
            continue
        head = g.by_name[full][0]
        for e in ends:
            piece = text[i + n:e]
            if len(piece) >= 2 and piece[-1] in "省市区县州旗盟" and piece in g.by_name and any(
                    g.is_within(d.adcode, head.adcode) and d.adcode != head.adcode for d in g.by_name[piece]):
                return text[i:i + n]
    return None


def _listed_sibling(text: str, i: int, chain: list[Mention], d: lexicon.Division | None) -> Mention | None:
    """The parent a chain lends to the divisions listed after it (天津市东丽区、西青区、津南区:
    西青区 and 津南区 lie in 天津市 too), when the gazetteer agrees."""
    if d is None or len(chain) < 2 or text[chain[-1].end:i] != "、":
        return None
    parent = chain[-2]
    last = lexicon.gazetteer().by_code.get(chain[-1].name)
    if last is None or last.level != d.level or not lexicon.gazetteer().is_within(d.adcode, parent.name):
        return None
    return parent


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
                town = _ZONE_TOWN.match(text, zone.end)
                if town:  # 成都市高新区中和街道: a street of the zone
                    street = Mention("Place", town[1], town.start(1), town.end(1), zone.name + town[1])
                    out.append(street)
                    parents.append((street, zone))
                break
    return out


_ZONE_TOWN = re.compile(r"([\u4e00-\u9fff]{2,5}?(?:街道|镇|乡))"
                        r"(?=[\u4e00-\u9fff]{0,4}(?:办事处|人民政府|与|和|、|,|。))")


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
        end = _listed_below(text, m.end(2), _VILLAGE_ITEM, town, found, parents)
    else:
        end = _listed_below(text, m.end(1), _TOWN_ITEM, last, found, parents)
    return end - 1


_TOWN_ITEM = re.compile(r"、([\u4e00-\u9fff]{2,6}(?:乡|镇|街道|苏木))(?=[、,;。等]|$)")
_VILLAGE_ITEM = re.compile(r"、([\u4e00-\u9fff]{2,6}(?:村|社区|嘎查))(?=[、,;。等]|$)")


def _listed_below(text: str, end: int, item: re.Pattern[str], parent: Mention,
                  found: list[Mention], parents: list[tuple[Mention, Mention]]) -> int:
    """Towns or villages listed after the first of a chain (苍梧县龙圩镇、广平镇: 广平镇 lies in
    苍梧县 too), named as written; returns where the list ends."""
    while (m := item.match(text, end)) is not None:
        place = Mention("Place", m[1], m.start(1), m.end(1), m[1])
        found.append(place)
        parents.append((place, parent))
        end = m.end()
    return end


# a town and a village named without their county (永乡镇圪崂村, 格日朝鲁苏木巴彦巨日合嘎查), after a
# boundary, with a 组 of the village when it ends the phrase (临江村坝中间组隆重举行)
_TOWN_CHAIN = re.compile(r"(?<=[,;:。、(“在到来赴入进于往])(?![在到来赴于往])"
                         r"([\u4e00-\u9fff]{2,6}?(?:乡|镇|街道|苏木))([\u4e00-\u9fff]{2,6}?(?:村|社区|嘎查))"
                         r"([\u4e00-\u9fff]{1,4}?组(?=[,;。、]|举行|隆重|召开|开展|$))?")


# words that make a 乡/镇/村 span a common phrase, not a name
NOT_NAME = re.compile(r"[及和与的是各等叫]|一些|一个|附近|最近|调研|贫困|深度|重点|示范|周边|聚焦|助力")


def _town_chains(text: str, found: list[Mention], parents: list[tuple[Mention, Mention]]) -> None:
    """乡/镇/苏木 with the 村/嘎查 after it (and the villages listed after that), not below a county."""
    taken = [(m.start, m.end) for m in found]
    for m in _TOWN_CHAIN.finditer(text):
        if (any(a < m.end() and m.start() < b for a, b in taken) or m[1][:1] in "全各本该每乡城驻"
                or m[2][:1] in "镇乡村" or NOT_NAME.search(m[0])):  # 乡镇及…村: common nouns
            continue
        town = Mention("Place", m[1], m.start(1), m.end(1), m[1])
        village = Mention("Place", m[2], m.start(2), m.end(2), m[1] + m[2])
        found += [town, village]
        parents += [(village, town)]
        if m[3]:
            group = Mention("Place", m[3], m.start(3), m.end(3), m[1] + m[2] + m[3])
            found.append(group)
            parents.append((group, village))
        else:
            _listed_below(text, m.end(2), _VILLAGE_ITEM, town, found, parents)


# ------------------------------------------------------------------ organisations

_ORG_CHAR = re.compile(r"[\u4e00-\u9fff()0-9A-Za-z]")
_ORG_PUNCT = set(",;:。、“”\"《》 ")
_ORG_LEFT_STOP = _ORG_PUNCT | set("与和及同由在对向为把将被从于据经让使请邀")


def organisations(text: str, tokens: tuple[Token, ...], tagged: tuple[Span, ...] = ()) -> list[Mention]:
    """Spans ending with an organisation suffix, extended left over name tokens, and the
    NER's organisations that end with one."""
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
    for s in tagged:  # the NER's organisations (and places named as offices: 中和街道办事处)
        if s.label not in ("ORG", "LOC") or not s.text.endswith(suffixes) or len(s.text) < 3:
            continue
        overlaps = [m for m in out if m.start < s.end and s.start < m.end]
        if s.label == "ORG" and not overlaps and not title_at(text, s.end):
            out.append(Mention("Organization", s.text, s.start, s.end, s.text))
        elif len(overlaps) == 1 and overlaps[0].end == s.end and s.start < overlaps[0].start:
            out.remove(overlaps[0])  # 润/丰投资有限公司: jieba's words cut the name short
            out.append(Mention("Organization", s.text, s.start, s.end, s.text))
    return [part for m in drop_nested(out) for part in _party_and_government(m)]


_BOTH = re.compile(r"(?P<base>.+?)(?P<level>[省市县区])委(?P=level)政府")


def _party_and_government(m: Mention) -> list[Mention]:
    """泸州市委市政府: the 泸州市委 and the 泸州市政府, two organisations."""
    both = _BOTH.fullmatch(m.name)
    if both is None:
        return [m]
    committee = both["base"] + both["level"] + "委"
    government = both["base"] + both["level"] + "政府"
    return [Mention("Organization", m.text[:len(committee)], m.start, m.start + len(committee), committee),
            Mention("Organization", m.text[len(committee):], m.start + len(committee), m.end, government)]


_ORG_TOKEN_POS = {"n", "nt", "ns", "nz", "j", "nr", "PER", "ng", "vn", "b", "m", "eng", "an", "a", "v", "nrt", "x",
                  "zg", "s"}
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
        if t.text.endswith(_EVENT_TAILS_FOR_ORG) and tokens[j + 1].text not in ("指导", "组织", "领导"):
            break  # …读书会, …仪式: not the organisation's name (but 全民阅读活动指导委员会 is one)
        if (t.pos not in _ORG_TOKEN_POS or t.text in _ORG_LEFT_STOP or t.text in STOP_BEFORE
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
