"""Helpers shared by the rules: clauses, spans, the evidence record."""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from kg import lexicon
from kg.extract.events import generic_event
from kg.extract.mentions import Found
from kg.model import Mention

CLAUSE_END = re.compile(r"[,;:。!?]")
ENUM = re.compile(r"(包括|囊括|入选|涵盖)")


def clause_bounds(text: str, pos: int) -> tuple[int, int]:
    """The clause (between , ; : 。) around position `pos`, quotes kept whole."""
    a = pos
    while a > 0 and not (CLAUSE_END.match(text[a - 1]) and not _in_quotes(text, a - 1)):
        a -= 1
    b = pos
    while b < len(text) and not (CLAUSE_END.match(text[b]) and not _in_quotes(text, b)):
        b += 1
    return a, b


def _in_quotes(text: str, i: int) -> bool:
    return text[:i].count("“") > text[:i].count("”")


def top_level(ms: Iterable[Mention], others: Iterable[Mention] = ()) -> list[Mention]:
    """Mentions not nested inside another (of the same list or `others`)."""
    ms = list(ms)
    cover = [*ms, *others]
    return [m for m in ms if not any(o is not m and o.start <= m.start and m.end <= o.end
                                     and (o.end - o.start) > (m.end - m.start) for o in cover)]


def chain_ends(found: Found) -> list[Mention]:
    """Places that are the last link of a written chain (南康区 of 江西省赣州市南康区)."""
    parents = {id(p) for _, p in found.place_parents}
    return [m for m in found.places if id(m) not in parents]


def named_events(found: Found, text: str, exclude_enumerations: bool = True) -> list[Mention]:
    """Events with a distinguishing name, optionally leaving out those inside 包括/入选 lists."""
    out = []
    for m in found.events:
        if generic_event(m.name):
            continue
        if exclude_enumerations and in_enumeration(text, m):
            continue
        out.append(m)
    return out


def in_enumeration(text: str, m: Mention) -> bool:
    a, _ = clause_bounds(text, m.start)
    before = text[max(0, a - 2):m.start]
    return (bool(ENUM.search(before)) and "在内" in text[m.end:m.end + 8]) or bool(
        re.search(r"(包括|囊括)[^,。;]*$", text[:m.start]))


_SITE_ENDS = ("园区", "基地", "中心", "工地", "厂", "站", "港", "馆", "院", "校", "村", "社区", "小区", "街区", "广场",
              "市场", "公园", "景区", "码头", "车间", "项目", "工程", "企业", "公司", "城", "所", "室", "库",
              "场", "园", "大桥", "小镇", "集团", "牧场")


@cache
def _site_endings() -> tuple[str, ...]:
    return (*lexicon.place_suffixes(), *lexicon.org_suffixes(), *_SITE_ENDS)


def looks_like_site(name: str) -> bool:
    """A name that ends as a place, an organisation or a site does (…园区, …公司, …村)."""
    return name.endswith(_site_endings())
