"""Typed spans of one sentence: persons with their posts, organisations, places, events, dates.

`find` runs the finders of `persons`, `places` (and organisations) and `events` (and agreements
and dates) over one sentence; everything there is generic: lexicons (kg/data) and patterns,
never names from articles.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from kg import lexicon
from kg.extract.events import agreements, dates, events
from kg.extract.ner import Span
from kg.extract.persons import persons
from kg.extract.places import organisations, places
from kg.ingest.textnorm import is_cjk
from kg.model import Mention, Token


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


def find(text: str, tokens: tuple[Token, ...], *, known_persons: frozenset[str] = frozenset(),
         year: int | None = None, page: dt.date | None = None, tagged: tuple[Span, ...] = ()) -> Found:
    """All mentions of one sentence; `tagged` holds the NER's words of it."""
    ps, posts = persons(text, tokens, known_persons)
    pl, parents = places(text, tokens)
    orgs = organisations(text, tokens, tagged)
    pl = pl + _tagged_places(tagged, (*ps, *orgs, *pl))
    pl = sorted(pl + _zone_subjects(text, (*ps, *orgs, *pl)), key=lambda m: m.start)
    evs = events(text)
    evs += _verb_phrase_events(text, (*orgs, *pl), evs)
    return Found(tuple(ps), tuple(posts), tuple(orgs), tuple(pl), tuple(parents),
                 tuple(evs), tuple(agreements(text)), tuple(dates(text, year, page)))


_BELOW_COUNTY = ("镇", "乡", "村", "街道", "社区", "嘎查", "苏木", "片区")


def _tagged_places(tagged: tuple[Span, ...], taken: tuple[Mention, ...]) -> list[Mention]:
    """Divisions the NER tags where jieba's words hid them (台州、绍兴 cut as 台州/、/绍兴):
    a LOC span with the full or short name of a division, where no other mention stands.
    A short name must stand alone: before a noun it is a prefix (河北承德市, 哈尔滨主会场)."""
    g = lexicon.gazetteer()
    out = []
    for s, nxt in zip(tagged, (*tagged[1:], None), strict=False):
        below = len(s.text) >= 3 and s.text.endswith(_BELOW_COUNTY) and all(is_cjk(c) for c in s.text)
        if s.label != "LOC" or (s.text not in g.by_name and s.text not in g.short and not below) or any(
                m.start < s.end and s.start < m.end for m in taken):
            continue
        if s.text in g.short and nxt is not None and (nxt.label[:1] == "n" or nxt.label in ("LOC", "ORG", "PER")):
            continue
        d = g.lookup(s.text)
        out.append(Mention("Place", s.text, s.start, s.end, d.adcode if d else s.text))
    return out


_ZONE_SUBJECT = re.compile(r"(?:^|(?<=[,;:。]))(?P<zone>[\u4e00-\u9fff]{2,8}?(?:新片区|片区|自贸区|自贸试验区|新区|"
                           r"开发区|高新区|经开区|示范区|合作区|综合试验区))(?=已|先后|分别|与|同|和|正式|将|今年|近年)")


def _zone_subjects(text: str, taken: tuple[Mention, ...]) -> list[Mention]:
    """A zone that opens a clause as its subject (临港新片区已先后与…签订): a place, gazetteer or not."""
    return [Mention("Place", m["zone"], m.start(), m.end(), m["zone"]) for m in _ZONE_SUBJECT.finditer(text)
            if not any(t.start < m.end() and m.start() < t.end for t in taken)]


# 青山区正式揭牌, 产业园开园: an event given as its subject and a verb of opening
_OPENED = re.compile(r"(?:正式|隆重|顺利|今天|昨天|当天)*(?P<verb>揭牌|挂牌|开园|开馆|开业|通车|投产|成立)"
                     r"(?:运行|运营)?(?=[,;。]|$)")


def _verb_phrase_events(text: str, subjects: tuple[Mention, ...], named: list[Mention]) -> list[Mention]:
    """`X正式揭牌`: the event X揭牌, when X (a place or an organisation) is the clause's subject."""
    out = []
    for m in _OPENED.finditer(text):
        subject = next((x for x in subjects if x.end == m.start()), None)
        if subject is None or text[:subject.start].rstrip("0123456789月日年上下午,，").endswith(("在", "于")) or any(
                e.start < m.end() and subject.start < e.end for e in named):
            continue
        name = subject.text + m["verb"]
        out.append(Mention("Event", name, subject.start, m.end(), name))
    return out


def with_known(found: Found, text: str, tokens: tuple[Token, ...], known: frozenset[str]) -> Found:
    """`found` with its persons found again, now that the article's names are known."""
    ps, posts = persons(text, tokens, known)
    return replace(found, persons=tuple(ps), posts=tuple(posts))
