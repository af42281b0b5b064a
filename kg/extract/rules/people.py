"""Persons: posts (holdsPost), participation (attended, presided), inspections (inspected)."""
from __future__ import annotations

import re
from collections.abc import Iterator

from kg import lexicon
from kg.extract.identity import post_body, post_in
from kg.extract.mentions import Found
from kg.extract.resolve import ArticleContext
from kg.extract.rules.common import chain_ends, clause_bounds, looks_like_site, named_events, top_level
from kg.model import Entity, Evidence, Mention, Sentence, Triple

BYLINE_ROLES = re.compile(r"(记者|通讯员|编辑|责编|摄影|实习生)$")
_GENERIC_OBJECT = re.compile(r"^(了|并)?(本次|此次|这次|该|上述)?"
                             r"(会议|会|仪式|启动仪式|活动|开幕式|座谈会|签约仪式|开工仪式|大会|典礼|考察|"
                             r"项目开工|开工|启动|开幕|视察|调研|签约|揭牌|挂牌)")
_VISIT_SPAN = re.compile(r"(?:到|赴|深入|来到|前往|走进|莅临)(?:我[市县区]|本[市县区])?(?P<span>[^,;。]{2,40}?)"
                         r"(?:等?\d*家?(?:企业|单位|公司|项目|地))?(?:进行|开展|实地|现场|专题|,(?=实地|现场|进行))*$")
_VISIT = re.compile(r"(到|赴|深入|来到|前往|走进|莅临)$")
_LIST_END = re.compile(r"等(地|企业|单位|项目|村|社区|乡镇|镇|街道|地方|处|学校|园区|场所|点位)?")


def posts(ctx: ArticleContext, sent: Sentence, found: Found) -> Iterator[Triple]:
    """holdsPost: every title written before a name, one Post per 、-separated title."""
    body, last = "", None  # the organisation the title before named, and where that title ended
    for person, post in found.posts:
        if BYLINE_ROLES.search(post.text):
            continue
        entity = ctx.post(post.text, body if last == post.start - 1 and sent.text[last] == "、" else "")
        yield Triple(ctx.person(person), "holdsPost", entity, Evidence(sent, "posts.title_before_name"))
        place = ctx.jurisdiction(entity)
        if place is not None:
            yield Triple(entity, "jurisdiction", place, Evidence(sent, "posts.jurisdiction"))
        body_of = post_in(ctx, entity)
        if body_of is not None:
            yield Triple(entity, "postIn", body_of, Evidence(sent, "posts.body"))
        body, last = post_body(entity.key), post.end


def _cues(text: str, relations: tuple[str, ...]) -> list[tuple[int, int, str, str]]:
    """(start, end, relation, role) of every cue word for `relations`, longest first."""
    out = []
    taken: set[int] = set()
    for cue, (rel, role) in sorted(lexicon.triggers().items(), key=lambda kv: -len(kv[0])):
        if rel not in relations:
            continue
        for m in re.finditer(re.escape(cue), text):
            if taken.isdisjoint(range(m.start(), m.end())):
                out.append((m.start(), m.end(), rel, role))
                taken.update(range(m.start(), m.end()))
    return sorted(out)


# 座谈会上, / 在启动仪式现场, / 活动期间, : a clause that only sets the scene (峰会, alone is not one)
_SCENE = re.compile(r"^(?:在)?[^,。;]{0,24}?(?:会|仪式|开幕式|论坛|活动|典礼|大会)(?:现场|上|中|期间)+,"
                    r"|^(?:活动|仪式)?现场,")


# Between a person and a cue, words that hand the cue to someone else: 甲会见来华出席…的乙 (乙
# attends), 甲表示,习近平在…座谈会上的讲话 (甲 speaks about it)
_OTHERS_CUE = re.compile(r"会见|会晤|接见|会谈|看望|慰问|宴请|致电|致信|(?:表示|指出|说|认为|强调|称)[,:]")


# 甲在座谈会上强调, 乙在签约仪式上致辞: speaking at an event is attending it
_SPEAKS_AT = re.compile(r"在(?P<at>[^,。;:]{0,40}?(?:会|仪式|开幕式|论坛|活动|典礼|座谈|讲座|晚会))(?:上|中)"
                        r"(?:的讲话中)?(?:强调|表示|指出|说|讲话|致辞|发言|介绍|要求|提出|希望)")


# 出席会议的有:A、B、C / 参加活动的领导还有:A、B
_LISTED = re.compile(r"(?:出席|参加|列席)(?P<at>[^,。;:]{0,30}?)的(?:领导|嘉宾|人员|同志)?(?:还)?有[:：]")


def listed_attendees(ctx: ArticleContext, sent: Sentence, found: Found) -> Iterator[Triple]:
    """attended: the persons listed after `出席…的有:`."""
    text = sent.text
    for m in _LISTED.finditer(text):
        named = [e for e in named_events(found, text) if m.start("at") <= e.start and e.end <= m.end("at")]
        event = ctx.event(named[0]) if named else ctx.main_event
        if event is None:
            continue
        for person in (p for p in found.persons if p.start >= m.end()):
            yield Triple(ctx.person(person), "attended", event, Evidence(sent, "attendance.listed"))


def speakers(ctx: ArticleContext, sent: Sentence, found: Found) -> Iterator[Triple]:
    """attended: a person who speaks at an event (甲在座谈会上强调)."""
    text = sent.text
    for person in found.persons:
        m = _SPEAKS_AT.match(text, person.end)
        if m is None:
            continue
        named = [e for e in named_events(found, text) if m.start("at") <= e.start and e.end <= m.end("at")]
        event = ctx.event(named[0]) if named else ctx.main_event if _GENERIC_OBJECT.match(
            m["at"]) or m["at"] == "座谈" else None
        if event is not None:
            yield Triple(ctx.person(person), "attended", event, Evidence(sent, "attendance.speaks_at"))


def attendance(ctx: ArticleContext, sent: Sentence, found: Found) -> Iterator[Triple]:
    """attended / presided: persons of a sentence with a participation cue, and the event it names."""
    text = sent.text
    cues = _cues(text, ("attended", "presided"))
    scene = _SCENE.match(text)
    if not (cues or scene) or not found.persons:
        return
    named = named_events(found, text)
    for person in found.persons:
        cue = next((c for c in cues if c[0] >= person.end), None)
        if cue is not None and _OTHERS_CUE.search(text, person.end, cue[0]):
            continue
        if cue is None and scene and ctx.main_event is not None:  # 启动仪式上,甲宣读了倡议书
            yield Triple(ctx.person(person), "attended", ctx.main_event, Evidence(sent, "attendance.scene"))
            continue
        if cue is None:
            continue
        for event in _events_for(ctx, text, cue, named):
            if event is None:
                continue
            p = ctx.person(person)
            if cue[2] == "presided":
                yield Triple(p, "presided", event, Evidence(sent, "attendance.presided_cue", cue[3]))
            yield Triple(p, "attended", event, Evidence(sent, "attendance.cue", cue[3]))


def _events_for(ctx: ArticleContext, text: str, cue: tuple[int, int, str, str],
                named: list[Mention]) -> list[Entity | None]:
    _, clause_end = clause_bounds(text, cue[1])
    after = [m for m in named if cue[1] <= m.start < clause_end]
    if after:
        return [ctx.event(after[0])]
    rest = text[cue[1]:clause_end]
    if rest.startswith(("会见", "会谈", "会晤")):  # 参加会见: a meeting with a guest, not the event
        return []
    if _GENERIC_OBJECT.match(rest) or not rest.strip() or rest.startswith("并"):  # 出席并致辞: the event at hand
        here = [m for m in named if m.end <= cue[0]]
        if here and not ctx.main_event:
            return [ctx.event(m) for m in here]
        return [ctx.main_event]
    before = [m for m in named if m.end <= cue[0]]
    if before:
        return [ctx.event(m) for m in before]
    if _GENERIC_OBJECT.search(rest.lstrip("了并")):  # 出席并在开工仪式上讲话
        return [ctx.main_event]
    return []


def inspections(ctx: ArticleContext, sent: Sentence, found: Found) -> Iterator[Triple]:
    """inspected: a person 调研/考察/视察 places, organisations or listed sites."""
    text = sent.text
    cues = _cues(text, ("inspected",))
    if not cues:
        return
    places = chain_ends(found)
    orgs = list(found.orgs)
    for start, end, _, role in cues:
        subject = _subject_before(found, text, start)
        if subject is None:
            continue
        targets: list[Entity] = []
        visit = _VISIT.search(text[:start].rstrip("了"))
        before = text[subject.end:start]
        m = _VISIT_SPAN.search(before)
        if m:
            targets += _objects(ctx, text, subject.end + m.start("span"), subject.end + m.end("span"), places, orgs,
                                loose=True, sites=True)
        if not targets or visit is None:
            targets += _objects_after(ctx, text, end, places, orgs)
        site = _SITE_LEAD.match(text)
        if not targets and site and site.end() <= subject.start:  # 在X项目现场,甲详细查看…
            targets += _objects(ctx, text, site.start("site"), site.end("site"), places, orgs, loose=True, sites=True)
        p = ctx.person(subject)
        for t in dict.fromkeys(targets):
            yield Triple(p, "inspected", t, Evidence(sent, "inspection.cue", role))


_SITE_LEAD = re.compile(r"在(?P<site>[^,。;在]{2,30}?)(?:项目)?(?:现场|车间|基地|工地)(?:调研|考察|检查)?(?:时)?[,，]")


def _subject_before(found: Found, text: str, pos: int) -> Mention | None:
    a, _ = clause_bounds(text, pos)
    cands = [p for p in found.persons if p.end <= pos and (p.start >= a or not re.search(r"[。;]", text[p.end:pos]))]
    if not cands:
        return None
    p = cands[-1]
    gap = text[p.end:pos]
    if (len(gap) > 25 and not (len(gap) <= 60 and _VISIT_SPAN.search(gap))) or re.search(r"[。;]", gap):
        return None  # a long gap only when it is the list of sites visited (到A、B、C等项目现场,实地调研)
    return p


def _objects_after(ctx: ArticleContext, text: str, end: int, places: list[Mention],
                   orgs: list[Mention]) -> list[Entity]:
    a = end
    rest = text[a:]
    lead = re.match(r"(了|先后|并|期间)*", rest)
    a += lead.end() if lead else 0
    _, b = clause_bounds(text, a)
    lst = _LIST_END.search(text, a, b)
    if lst:  # 考察了A、B等地: the items are sites; 调研A、B等工作: topics, unless named as sites
        return _objects(ctx, text, a, lst.start(), places, orgs, loose=True, sites=bool(lst[1]))
    if "、" in text[a:b]:
        return _objects(ctx, text, a, b, places, orgs, loose=True)
    return _objects(ctx, text, a, b, places, orgs, loose=False)[:1]


def _objects(ctx: ArticleContext, text: str, a: int, b: int, places: list[Mention], orgs: list[Mention],
             loose: bool, sites: bool = False) -> list[Entity]:
    """The places and organisations named in text[a:b]: the first one, or (`loose`) every listed item;
    an item the mention finder did not know is kept when the list names sites (等地, or most items
    look like sites) or it looks like one itself."""
    out: list[Entity] = []
    inside = top_level([m for m in (*orgs, *places) if a <= m.start and m.end <= b])
    if not loose:
        first = min(inside, key=lambda m: m.start, default=None)
        if first is None or first.start - a > 2:
            return []
        return [ctx.org(first) if first.kind == "Organization" else ctx.place(first)]
    spans, pos = [], a
    for item in re.split(r"[、和及与]", text[a:b]):
        spans.append((pos, pos + len(item), item))
        pos += len(item) + 1
    named = sum(1 for s, e, item in spans if looks_like_site(item.strip()) or any(
        s <= m.start and m.end <= e for m in inside))
    sites = sites or 2 * named >= len(spans)
    for s, e, item in spans:
        known = [m for m in inside if s <= m.start and m.end <= e]
        if known and known[0].start - s <= 1 and e - known[-1].end <= 1:
            m = known[-1] if len(known) > 1 and known[-1].end == e else known[0]
            out.append(ctx.org(m) if m.kind == "Organization" else ctx.place(m))
        elif 2 <= len(item.strip()) <= 15 and not re.search(r"[“”《》]", item) and (
                sites or looks_like_site(item.strip())):
            name = item.strip()
            kind = "Place" if name.endswith(tuple(lexicon.place_suffixes())) else "Organization"
            mention = Mention(kind, name, s, e, name)
            out.append(ctx.place(mention) if kind == "Place" else ctx.org(mention))
    return out
