"""Persons and their posts in one sentence: 市委书记曹慧泉, 副县长甲、乙, 张某某副主任.

Everything here is generic: lexicons (kg/data) and patterns, never names from articles.
"""
from __future__ import annotations

import re
from functools import cache

from kg import lexicon
from kg.ingest.textnorm import is_cjk
from kg.model import Mention, Token


@cache
def _title_re() -> re.Pattern[str]:
    words = sorted(lexicon.titles(), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


def title_at(text: str, pos: int) -> bool:
    """True when a title starts at `pos` (中建三局|副总经理)."""
    return _title_re().match(text, pos) is not None


def is_title(text: str) -> bool:
    return any(text.endswith(t) for t in lexicon.titles())


PERSON_CUES = frozenset(("表示", "说", "指出", "强调", "介绍", "主持", "出席", "参加", "宣布", "讲话", "致辞",
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
        if (prev is not None and len(prev.text) == 1 and len(tok.text) == 2 and prev.start not in found and (
                (prev.pos in _NAME_POS and lexicon.starts_with_surname(prev.text)) or prev.text + tok.text in known)):
            start, name = prev.start, prev.text + tok.text  # 曹/卫星/常委, 全/桂寿一行: the surname split off
        if nxt is not None and nxt.text in lexicon.titles():  # 张泉明副主任
            add(start, name, [Mention("Post", nxt.text, nxt.start, nxt.end, nxt.text)])
        elif tok.text in known or (nxt is not None and nxt.text in PERSON_CUES
                                   and (prev is None or prev.text not in _TO_A_PLACE)):
            add(start, name, [])
    for i in range(len(tokens) - 2):  # 王刚、李强: two names the NER tagged, side by side in a list
        a, sep, b = tokens[i], tokens[i + 1], tokens[i + 2]
        if a.pos == "PER" and b.pos == "PER" and sep.text == "、" and 2 <= len(a.text) <= 3 and 2 <= len(b.text) <= 3:
            add(a.start, a.text, [])
            add(b.start, b.text, [])
    _list_mates(text, found, add)
    return sorted(found.values(), key=lambda m: m.start), posts


_LIST_ITEM = re.compile(r"[\u4e00-\u9fff]{2,3}")


def _list_mates(text: str, found: dict[int, Mention], add) -> None:  # type: ignore[no-untyped-def]
    """Names between 、 next to found names are names too (县领导甲、乙、丙等参加, 乙 a name
    neither the NER nor the surname lexicon knew): a 2-3 character item, no title, no place."""
    g = lexicon.gazetteer()
    changed = True
    while changed:
        changed = False
        for m in list(found.values()):
            for start, end in ((m.end + 1, None), (None, m.start - 1)):
                if end is None and text[m.end:m.end + 1] == "、":
                    item = _LIST_ITEM.match(text, start)
                    if item is None or text[item.end():item.end() + 1] not in "、等,和及参出":
                        continue
                elif start is None and m.start >= 3 and text[m.start - 1] == "、":
                    item = next((x for x in (_LIST_ITEM.fullmatch(text, end - k, end) for k in (3, 2))
                                 if x and (x.start() == 0 or text[x.start() - 1] in "、,:"
                                           or text.endswith("领导", 0, x.start()) or is_title(text[:x.start()]))), None)
                    if item is None:
                        continue
                else:
                    continue
                name = item[0]
                if (item.start() in found or is_title(name) or name in g.by_name or name in g.short
                        or name.endswith(lexicon.org_suffixes()) or any(c in _FUNCTION_CHARS for c in name[1:])):
                    continue
                add(item.start(), name, [])
                changed = True


_TO_A_PLACE = frozenset(("在", "于", "赴", "到", "抵达", "前往", "来到", "飞抵"))  # 在吉隆坡出席: a place
_NAME_POS = ("nr", "nrfg", "PER")  # jieba's tags of personal names (nrfg: full names in its dictionary), the NER's
_FUNCTION_CHARS = set("等在和与及的向以对为到赴于将也还就是了同作")


def _name_at(text: str, b: int, starts: dict[int, Token]) -> str | None:
    """The 2-3 character name starting at `b` (jieba's own nr token first), or None."""
    tok = starts.get(b)
    single, double = lexicon.surnames()
    if tok is not None and tok.pos == "PER" and len(tok.text) > 3 and tok.text[:2] not in double:
        return None  # 吴锦吴锦: a name written twice
    sur = 2 if text[b:b + 2] in double else 1 if text[b:b + 1] in single else 0
    if tok is not None and tok.pos == "PER":
        sur = sur or 1  # the NER's name (宝龙, 丑生荣: surnames the lexicon lacks)
    if not sur or text[b] in "和与及":  # 主席和普京总统: the conjunction, not the rare surname 和
        return None
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
                and after is not None and (after.text in "、," or after.text.startswith(tuple(PERSON_CUES)))):
            return tok.text + nxt.text  # 李家/超/出席: the given name's last character cut off
        return tok.text
    if tok is None and any(t.start <= b - 2 and b < t.end for t in starts.values()):
        return None  # 轮值主席国马来西亚: the title ends inside a word (not 宣传部/长江/小忠: one character)
    if (tok is not None and len(tok.text) == 1 and tok.pos[:1] in ("c", "p", "u", "d", "v")
            and not _island(text, b, starts)):
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


def _island(text: str, b: int, starts: dict[int, Token]) -> bool:
    """书记查/宏,: a surname and one or two single characters closed by punctuation, a name
    that jieba's dictionary cut into characters."""
    i = b + 1
    while i < b + 3 and (t := starts.get(i)) is not None and len(t.text) == 1 and is_cjk(t.text) \
            and t.text not in _FUNCTION_CHARS and t.text not in _NAME_BREAK:
        i += 1
    return i > b + 1 and text[i:i + 1] in ("、", ",", "。", ";")


def _token_breaks(tok: Token | None) -> bool:
    """A token that cannot continue a name (列席 in 杨跃列席)."""
    return tok is not None and len(tok.text) >= 2 and (tok.pos in ("v", "p", "c", "u", "d") or tok.text in PERSON_CUES)


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
                          r"出席|参加|主持|时任|曾任|带领|率领|发表|致函|致电")


def _titles_before(text: str, tokens: tuple[Token, ...], i: int) -> list[Mention]:
    """The posts written before the name at token i, split at 、 and 兼 (市委副书记、市长)."""
    end = tokens[i].start
    j = i - 1
    suffixes = frozenset(lexicon.org_suffixes())
    while j >= 0:
        t = tokens[j]
        # inside an organisation's name a verb or 与 may stand (物流与采购联合会会长): only right
        # before the organisation's suffix
        if t.text not in ("与", "和") and _TITLE_BREAK.fullmatch(t.text):  # 带领, 发表: not inside a name
            break
        org_next = any(x.text in suffixes for x in tokens[j + 1:min(i, j + 3)])
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

