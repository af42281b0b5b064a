"""Visits: an official or a delegation goes somewhere to inspect (赴X考察, 到X调研, 对X进行视察).

The visit is read once per article from its lead (`find`): who leads it, where it goes and, when
the lead names it in one clause, the visit as an event. The rules then give the leader every
destination and every site listed later (考察组先后赴A、B、C等地), and the visit is the article's
event for those who 参加/陪同 it when nothing else is named.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from kg import lexicon
from kg.extract.events import generic_event
from kg.extract.mentions import Found
from kg.extract.resolve import ArticleContext
from kg.extract.rules.common import chain_ends, looks_like_site, top_level
from kg.model import Entity, Evidence, Mention, Sentence, Triple, Visit

_MOTION = "赴|到|来到|来|深入到|深入|前往|走进|莅临"
_INSPECT = r"(?:考察|视察|调研|督导检查|检查|督导|走访|对接[^,。;]{0,16}?工作)(?:指导|学习)?"
# the lead clause of a visit: [leader] (带队|率…) MOTION destination (开展|进行) VERB
_VISIT = re.compile(rf"(?:(?P<motion>{_MOTION})(?P<dest>(?:(?!赴|前往|来到)[^。;]){{1,40}}?)"
                    rf"(?:开展|进行了?|就[^。;]{{2,30}}?进行)?"
                    rf"|(?P<to>对)(?P<topic>[^,。;]{{2,30}}?)(?:开展了?|进行了?))"
                    rf"(?P<verb>(?:交叉|集中|学习|参观|实地|专题)?{_INSPECT})(?!的)")
_LED_BY = re.compile(r"由(?P<who>[^,。;]{2,40}?)带领的|在(?P<who2>[^,。;]{2,40}?)的?带领下")
_GROUP = ("代表团", "考察团", "考察组", "视察组", "调研组", "检查组", "督导组", "一行")
# a later sentence listing the sites: [subject] (先后|实地…) VERB A、B、C(等地)
_SITES = re.compile(r"(?P<verb>(?:先后|分别|随后|还|又|并|一同|实地)*(?:深入到|来到|前往|走进|深入|到|赴|"
                    r"(?<=先后)来|参观了?|考察了?|察看了?|查看了?|调研了?|视察了?|走访了?))(?:了解)?"
                    r"(?P<list>[^,。;:]{2,}?)"
                    r"(?P<end>等\d*[个家处]?(?:地|处|企业|单位|公司|项目|村|社区|乡镇|镇|街道|地方|学校|园区|场所|点位|基地)|(?=[,。;]|进行|开展|参观|考察|调研|视察|察看|查看|实地|了解))")
_MOVES = ("深入到", "来到", "前往", "走进", "赴")
_AT_SITE = re.compile(r"^在(?P<site>[^,。;]{2,24}?)(?:实地)?(?:调研|考察|视察|察看|查看)时")
_TOPIC_END = ("工作", "情况", "建设", "发展", "经验", "做法", "问题", "方面", "领域")


def find(ctx: ArticleContext, found: list[Found]) -> Visit | None:
    """The visit of the article's lead (its first three body sentences), if it reports one."""
    sents = ctx.article.sentences
    body = [i for i, s in enumerate(sents) if s.kind == "body"][:3]
    for i in body:
        sent, f = sents[i], found[i]
        m = next((m for m in _VISIT.finditer(sent.text) if not any(
            p.start <= m.start() < p.end for p in (*f.persons, *f.orgs))), None)
        if m is None or re.search(r"[。;]", sent.text[:m.start()]):
            continue
        leader = _leader(ctx, sent, f, m.start(), found, i)
        if leader is None:
            continue
        dests: tuple[Mention, ...] = ()
        if m["motion"]:
            a, b = m.start("dest"), m.end("dest")
            dests = tuple(top_level([p for p in chain_ends(f) if a <= p.start and p.end <= b])) or _short_dest(
                sent.text, a, b)
        return Visit(leader, sent, dests, _event(ctx, sent, f, m, leader, found))
    return None


def _short_dest(text: str, a: int, b: int) -> tuple[Mention, ...]:
    """A destination written as a city's short name (来商洛参观考察: 商洛市)."""
    g = lexicon.gazetteer()
    full = g.short.get(text[a:b])
    d = g.lookup(full) if full else None
    return (Mention("Place", text[a:b], a, b, d.adcode),) if d is not None else ()


def _leader(ctx: ArticleContext, sent: Sentence, f: Found, motion: int, found: list[Found], i: int) -> Mention | None:
    """Who leads: 由X带领的 / 在X的带领下, else the first person before the motion, else (a
    delegation as subject) the head of the delegation (…团长) or the first person named next."""
    text = sent.text
    led = _LED_BY.search(text, 0, motion + 1)
    if led is not None:
        a, b = led.span("who") if led["who"] else led.span("who2")
        inside = [p for p in f.persons if a <= p.start and p.end <= b]
        if inside:
            return inside[-1]
    before = [p for p in f.persons if p.end <= motion]
    if before:
        return before[0]
    heads = [p for ff in found for p, post in ff.posts if post.text.endswith(("团长", "组长"))]
    if heads:
        return heads[0]
    for ff in found[i + 1:i + 3]:
        if ff.persons:
            return ff.persons[0]
    return None


def _event(ctx: ArticleContext, sent: Sentence, f: Found, m: re.Match[str], leader: Mention,
           found: list[Found]) -> Entity | None:
    """The visit as an event, named as written from its subject (a delegation) or its motion verb
    to its verb: 安塞区代表团赴洛川县开展交叉视察, 赴凤台县对接结对帮扶脱贫攻坚工作."""
    text = sent.text
    start = m.start()
    group = next((o for o in f.orgs if o.end in (start, start - 2) and o.name.endswith(_GROUP[:-1])), None)
    prefix = ""
    if group is not None:
        start = group.start
        if not any(p.start == group.start for p in f.places):  # 政府代表团: the leader's place in front
            prefix = _leader_place(found, leader)
    name = prefix + text[start:m.end()]
    if m["to"]:  # 对创城社会宣传工作进行了督导检查: the topic and the verb
        name = m["topic"] + m["verb"]
    elif group is None and not m["verb"].startswith("对接"):
        return None
    if re.search(r"[,;:、]", name) or len(name) > 40 or generic_event(name):
        return None
    return ctx.event(Mention("Event", name, start, m.end(), name))


def _leader_place(found: list[Found], leader: Mention) -> str:
    """The place a leader's first post starts with (汉中市 of 汉中市委副书记), or ''."""
    g = lexicon.gazetteer()
    for ff in found:
        for p, post in ff.posts:
            if p.name == leader.name:
                head = next((post.text[:n] for n in range(min(len(post.text), 8), 1, -1)
                             if post.text[:n] in g.by_name), "")
                if head:
                    return head
    return ""


def lead(ctx: ArticleContext, sent: Sentence, found: Found) -> Iterator[Triple]:
    """The leader inspected every destination of the visit, and attended the visit; the visit,
    when it is the article's event, took place at its destinations, and else the article's event
    (a meeting the delegation went to) at its one destination."""
    v = ctx.visit
    if v is None or sent is not v.sentence:
        return
    leader = ctx.person(v.leader)
    for d in v.destinations:
        yield Triple(leader, "inspected", ctx.place(d), Evidence(sent, "visit.destination"))
    if v.event is not None and v.event == ctx.main_event:
        yield Triple(leader, "attended", v.event, Evidence(sent, "visit.leader"))
        for d in v.destinations:
            yield Triple(v.event, "heldAt", ctx.place(d), Evidence(sent, "visit.held_at"))
    elif (ctx.main_event is not None and ctx.main_event.label.endswith(("会议", "会", "论坛"))
          and len(v.destinations) == 1):  # the meeting the delegation went to
        yield Triple(ctx.main_event, "heldAt", ctx.place(v.destinations[0]), Evidence(sent, "visit.meeting_at"))


def sites(ctx: ArticleContext, sent: Sentence, found: Found) -> Iterator[Triple]:
    """The leader inspected each site listed after the lead: 考察组一行先后赴A、B及C参观学习."""
    v = ctx.visit
    if v is None or sent.index <= v.sentence.index:
        return
    text = sent.text
    at = _AT_SITE.match(text)
    targets: list[Entity] = []
    if at is not None:
        targets += _items(ctx, found, text, at.start("site"), at.end("site"), True)
    pos = 0
    while (m := _SITES.search(text, pos)) is not None:
        pos = m.start() + 1
        in_a_name = any(p.start <= m.start() < p.end for p in found.persons)
        if text[m.end("verb"):m.end("verb") + 1] in ("组", "团") or in_a_name or not _by_visitors(
                v.leader, found, text, m.start()):
            continue
        pos = m.end()
        verb = re.sub(r"^(先后|分别|随后|还|又|并|一同|实地)+", "", m["verb"])
        marked = m["end"].startswith("等") or verb.startswith(_MOVES)
        targets += _items(ctx, found, text, m.start("list"), m.end("list"), marked)
    leader = ctx.person(v.leader)
    for t in dict.fromkeys(targets):
        yield Triple(leader, "inspected", t, Evidence(sent, "visit.site"))


def _by_visitors(leader: Mention, found: Found, text: str, pos: int) -> bool:
    """The clause before a site list has the visitors as subject: none, a delegation, the leader."""
    a = max(text.rfind(c, 0, pos) for c in ",;:。") + 1
    subject = re.sub(r"^(在[^,]{1,12}?(期间|时|中)|随后|之后|当天|上午|下午)", "", text[a:pos])
    return (not subject or subject.endswith((*_GROUP, leader.name))
            or any(p.name == leader.name and p.start >= a for p in found.persons))


def _items(ctx: ArticleContext, found: Found, text: str, a: int, b: int, marked: bool) -> list[Entity]:
    """The sites of a list text[a:b], split at 、/及/和; topics (…工作, …情况) are not sites. An
    unmarked list (考察A、B) counts only when most of its items look like sites."""
    out: list[Entity] = []
    if not marked:
        items = re.split(r"以及|[、及]", text[a:b])
        if 2 * sum(1 for i in items if looks_like_site(i.strip())) < len(items):
            return out
    pos = a
    for item in re.split(r"以及|[、及]", text[a:b]):
        s, e = pos, pos + len(item)
        pos = e + 1
        name = re.sub(r"^(了|等)|等.*$", "", item.strip())
        if not 2 <= len(name) <= 24 or name.endswith(_TOPIC_END) or re.search(r"[“”《》]", name):
            continue
        place = next((p for p in chain_ends(found) if p.end == e and (p.start == s or any(  # 格日朝鲁苏木巴彦巨日合嘎查
            q.start == s and q.end <= p.start for q in found.places))), None)
        if place is not None:
            out.append(ctx.place(place))
            continue
        kind = "Place" if name.endswith(tuple(lexicon.place_suffixes())) else "Organization"
        mention = Mention(kind, name, s, e, name)
        out.append(ctx.place(mention) if kind == "Place" else ctx.org(mention))
    return out

