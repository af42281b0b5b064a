"""Events: who organises them (organizes), series (subEventOf), when (heldOn) and where (heldAt)."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from kg import lexicon
from kg.extract.events import generic_event
from kg.extract.mentions import Found
from kg.extract.resolve import ArticleContext, event_key, studied
from kg.extract.rules.common import chain_ends, clause_bounds, in_enumeration, named_events, top_level
from kg.model import Article, Entity, Evidence, Mention, Sentence, Triple, Value

_ROLE_CUE = re.compile(r"(主办|承办|协办)")
_HOLD = re.compile(r"(召开|举办|举行|启动|开展|组织|发起|开启)(了)?")
_HAPPEN = re.compile(r"出席|参加|主持|召开|举办|举行|启动|开幕|开展|开工|签约|揭牌|吸引|亮相|进行|圆满|落幕|闭幕|拉开")
_SERIES = re.compile(r"(包括|囊括)(?P<items>[^。;]+?)(?:等)?在内的(?P<series>[^,。;]*)")
_AS_PART = re.compile(r"作为(?P<series>[^,。;]{2,40}?)之一的(?P<item>[^,。;]{2,40})")
_VENUE = re.compile(r"(?:在|于|齐聚)(?P<venue>[^,;。在于]{2,30}?)"
                    r"(?=[,;。]|举行|举办|召开|启动|正式|开展|隆重|进行|开幕|拉开|开工|如期|顺利|"
                    r"出席|参加)")
# venues that are not divisions: buildings and grounds an event takes place in (generic words)
_VENUE_WORDS = ("图书馆", "美术馆", "博物馆", "纪念馆", "科技馆", "教室", "学校", "中学", "小学", "水库", "风情园")
_BARE_VENUES = frozenset(("主会场", "分会场", "会场", "现场"))  # of a video conference: no place
_AMOUNT = re.compile(r"(?:总投资|投资总额|计划投资|总金额|总投入)(?:为|约|达|超)?\s*(?P<a>[\d.]+\s*(?:亿|万)?元)")


# Between 召开/举办 and an event named later in the clause: the event is not the object held
_NOT_OBJECT = re.compile(r"在|会议|传达|学习|贯彻")


def _organisers_before(found: Found, text: str, pos: int) -> list[Mention]:
    """Organisations or places ending right before `pos`, joined by 、/和/与 (由A、B主办)."""
    out: list[Mention] = []
    cands = top_level([*found.orgs, *chain_ends(found)])
    end = pos
    while True:
        m = next((c for c in sorted(cands, key=lambda c: -c.end) if c.end <= end and
                  re.fullmatch(r"(还|也|又|已|将|先后|积极|共同|联合|正式|分别|策划|精心|同步|在[^,。]{2,20}?)*",
                               text[c.end:end]) and not text.endswith(("在", "于"), 0, c.start)), None)  # 在X: a venue
        if m is None:
            return out
        out.append(m)
        if any(c.end == m.start for c in cands):  # 市委|市政府: two organisers written together
            end = m.start
            continue
        sep = re.search(r"(、|和|与|及|,)$", text[:m.start])
        if not sep:
            return out
        end = sep.start()


def _entity(ctx: ArticleContext, m: Mention) -> Entity:
    return ctx.org(m) if m.kind == "Organization" else ctx.place(m)


def organisers(ctx: ArticleContext, sent: Sentence, found: Found) -> Iterator[Triple]:
    """organizes: `由A主办,B承办`, `A召开/举办/启动 X`, and list items `X(A、B)`."""
    text = sent.text
    if sent.kind == "list":
        yield from _list_item(ctx, sent, found)
        return
    named = named_events(found, text)
    for m in _ROLE_CUE.finditer(text):
        orgs = _organisers_before(found, text, m.start())
        if not orgs:
            continue
        before = [e for e in named if e.end <= m.start()]
        events = [ctx.event(before[0])] if before else [ctx.main_event]
        for o in orgs:
            for e in events:
                if e is not None:
                    yield Triple(_entity(ctx, o), "organizes", e, Evidence(sent, "organizing.role", m[1]))
    for m in _HOLD.finditer(text):
        orgs = _organisers_before(found, text, m.start())
        if not orgs:
            continue
        _, b = clause_bounds(text, m.end())
        after = [e for e in found.events if m.end() <= e.start < b]
        gap = text[m.end():after[0].start] if after else ""
        if not after or _NOT_OBJECT.search(gap) or (
                "的" in gap[1:] and not re.fullmatch(r"了?为期[^,。的]{1,8}的", gap)):  # 组织的X, 开展为期3个月的X
            continue  # 召开会议,传达…在全会上的讲话: the event named later is not what was held
        event = ctx.event(after[0])
        if event is None:
            continue
        for o in orgs:
            yield Triple(_entity(ctx, o), "organizes", event, Evidence(sent, f"organizing.holds:{m[1]}"))


def _list_item(ctx: ArticleContext, sent: Sentence, found: Found) -> Iterator[Triple]:
    m = re.match(r"(?P<event>.+?)\((?P<orgs>[^()]+)\)\s*$", sent.text)
    if not m or not m["event"].strip():
        return
    ev_text = m["event"].strip()
    event = ctx.event(Mention("Event", ev_text, 0, len(ev_text), ev_text))
    if event is None:
        return
    pos = m.start("orgs")
    for part in re.split(r"[、,]", m["orgs"]):
        a, pos = pos, pos + len(part) + 1
        name = part.strip()
        if not name:
            continue
        place = next((p for p in chain_ends(found) if p.start == a and p.end == a + len(part)), None)
        org = next((o for o in found.orgs if o.end == a + len(part)), None)
        if place is not None:
            target = ctx.place(place)
        elif org is not None and org.start == a:
            target = ctx.org(org)
        else:
            target = ctx.org(Mention("Organization", name, a, a + len(part), name))
        yield Triple(target, "organizes", event, Evidence(sent, "organizing.list_item"))
    series = ctx.series
    if series is not None and series.key != event.key:
        yield Triple(event, "subEventOf", series, Evidence(sent, "series.list_item"))


def series(ctx: ArticleContext, sent: Sentence, found: Found) -> Iterator[Triple]:
    """subEventOf: `包括A、B在内的N个子活动` after a series, `囊括A、B等在内的S`, `作为S之一的X`."""
    text = sent.text
    for m in _SERIES.finditer(text):
        parent = _series_entity(ctx, found, text, m)
        if parent is None:
            continue
        pos = m.start("items")
        for item in re.split(r"、", m["items"]):
            a, pos = pos, pos + len(item) + 1
            name = re.sub(r"^(了|有)", "", item.strip())
            if len(name) < 3 or not name.endswith(lexicon.event_nouns()):
                continue
            child = ctx.event(Mention("Event", name, a, a + len(item), name))
            if child is not None and child.key != parent.key:
                yield Triple(child, "subEventOf", parent, Evidence(sent, "series.enumeration"))
    for m in _AS_PART.finditer(text):
        parent = next((e for e in found.events if e.start >= m.start("series") and e.end <= m.end("series")), None)
        child = next((e for e in found.events if e.start >= m.start("item") and e.end <= m.end("item")), None)
        if parent and child and not generic_event(child.name):
            p, c = ctx.event(parent), ctx.event(child)
            if p and c and p.key != c.key:
                yield Triple(c, "subEventOf", p, Evidence(sent, "series.as_part"))


_ACTIVITIES = re.compile(r"(?:举办|开展|推出|组织|安排|包括)了?[:]?(?P<items>[^,;。:]+、[^,;。:]+?)"
                         r"等(?:[\d一二三四五六七八九十]+[个项场])?(?:系列活动|子项目|子活动|系列)")
_PART_OF = re.compile(r"(?P<item>[^,;。]{2,30}?)(?:作为|是)(?P<series>[^,;。]{2,60}?)"
                      r"(?:的(?:重要)?(?:内容|组成部分|一部分|活动之一|环节)|之一)")


def sub_activities(ctx: ArticleContext, sent: Sentence, found: Found) -> Iterator[Triple]:
    """subEventOf: activities listed as a series of the article's event, the article's event as
    part of a larger one, the plenary of a session."""
    yield from _activity_list(ctx, sent)
    yield from _part_of_larger(ctx, sent, found)
    yield from _plenaries(ctx, sent, found)


def _activity_list(ctx: ArticleContext, sent: Sentence) -> Iterator[Triple]:
    """`举办了A、B等系列活动`, `包括:A、B等10个子项目`: items that read as events (an event noun or
    a quoted name) of the event last said to be held."""
    text = sent.text
    for m in _ACTIVITIES.finditer(text):
        parent = _last_held(ctx, sent) or ctx.main_event
        if parent is None:
            return
        pos = m.start("items")
        for item in _split_items(m["items"]):
            a, pos = pos + text[pos:].index(item), pos + len(item)
            name = item.strip()
            if 3 <= len(name) <= 40 and (name.endswith(lexicon.event_nouns()) or name.endswith("”")):
                child = ctx.event(Mention("Event", name, a, a + len(item), name))
                if child is not None and child.key != parent.key:
                    yield Triple(child, "subEventOf", parent, Evidence(sent, "series.activities"))


def _part_of_larger(ctx: ArticleContext, sent: Sentence, found: Found) -> Iterator[Triple]:
    """`本次X作为S的重要内容`, `这次X是S之一`: the article's event is part of S."""
    main = ctx.main_event
    for m in _PART_OF.finditer(sent.text):
        this = re.match(r"(本次|此次|这次|本届|该)(?P<noun>.+)$", m["item"])  # 本次文化节, not 该市
        if main is None or this is None or not this["noun"].endswith(lexicon.event_nouns()):
            continue
        series = m["series"].strip()
        parent = next((e for e in found.events if e.start >= m.start("series") and e.end <= m.end("series")
                       and not generic_event(e.name)), None)
        if series.endswith(lexicon.event_nouns()) and not generic_event(series):  # the whole name
            parent = Mention("Event", series, m.start("series"), m.end("series"), series)
        p = ctx.event(parent) if parent is not None else None
        if p is not None and p.key != main.key:
            yield Triple(main, "subEventOf", p, Evidence(sent, "series.part_of"))


def _plenaries(ctx: ArticleContext, sent: Sentence, found: Found) -> Iterator[Triple]:
    """`X会议举行第一次全体会议`: article._qualified named the plenary after X; X is its own event."""
    for e in found.events:
        for b in found.events:
            if b is not e and e.name == b.name + e.text and re.fullmatch(r"(召开|举行|举办)了?",
                                                                         sent.text[b.end:e.start]):
                child = ctx.event(e)
                if child is not None:
                    yield Triple(child, "subEventOf", Entity("Event", event_key(b.name), b.name.strip()),
                                 Evidence(sent, "series.plenary"))


def _last_held(ctx: ArticleContext, sent: Sentence) -> Entity | None:
    """The event an earlier sentence last says is held (承办的X, 举办的X, X在…举行): the one a list
    of activities belongs to."""
    for s, f in reversed(list(zip(ctx.article.sentences[:sent.index], ctx.found, strict=False))):
        for e in reversed(f.events):
            if not generic_event(e.name) and (
                    re.search(r"(举办|举行|召开|主办|承办)的$", s.text[:e.start])
                    or re.match(r"(在[^,。]{1,20}?)?(举行|举办|召开|开幕|拉开)", s.text[e.end:])):
                return ctx.event(e)
    return None


def _split_items(items: str) -> list[str]:
    """A 、-list split outside quotes (“你点书、我买单” stays whole)."""
    out, depth, cur = [], 0, ""
    for c in items:
        depth += (c == "“") - (c == "”")
        if c == "、" and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += c
    return [*out, cur]


def _series_entity(ctx: ArticleContext, found: Found, text: str, m: re.Match[str]) -> Entity | None:
    tail = [e for e in found.events if m.start("series") <= e.start and e.end <= m.end("series")
            and not generic_event(e.name)]
    if tail:
        return ctx.event(tail[-1])
    before = [e for e in found.events if e.end <= m.start() and not generic_event(e.name)]
    if before and re.fullmatch(r"[,]?", text[before[-1].end:m.start()]):
        return ctx.event(before[-1])
    return None


def dates(ctx: ArticleContext, sent: Sentence, found: Found) -> Iterator[Triple]:
    """heldOn: the day date leading a sentence, for the events that happen in it; a day written
    right before an event (3月17日X会议) or after it (X将于6月11日举行) dates that event; 当天 and a
    clause cut at `;` keep the day of the sentence before; a lead that signs or visits dates the
    article's signing ceremony or visit."""
    text = sent.text
    yield from _adjacent_dates(ctx, sent, found)
    starts = [d for d in found.dates if not re.search(r"(至|到|截至|截止|—|-|~)$", text[:d.start])]
    before = ctx.last_date  # (day, whether its sentence ended open with `;`)
    ctx.last_date = (starts[0].name, text.rstrip().endswith(";")) if starts else None
    if starts:
        day, at = starts[0].name, starts[0].start
    elif before is not None and not found.dates and (before[1] or text.startswith(("当天", "当日"))):
        day, at = before[0], -1
    else:
        return
    events = [e for e in named_events(found, text) if e.start > at and not studied(text, e.start)
              and not _joint_meeting(found, text, e) and not _framing(text, e)]
    targets: list[Entity | None] = []
    if _HAPPEN.search(text) or sent.kind == "caption":
        targets = [ctx.event(e) for e in events]
        if not targets and any(generic_event(e.name) and e.start > at for e in found.events):
            targets = [ctx.main_event]
    if not targets and starts and not events:
        targets = _lead_occasion(ctx, sent, found)
    for t in dict.fromkeys(t for t in targets if t is not None):
        yield Triple(t, "heldOn", Value(day, "date"), Evidence(sent, "context.date"))


_NOT_THE_DAY = re.compile(r"(至|到|截至|截止|—|-|~|自|从)$")  # 截至6月1日, 10日至14日: not when it happened
_OPENS_TODAY = re.compile(r"^[◆●■▲★◇○]?(上午|下午|晚上|今天|今日)")  # 上午, with no day: the day in force
_DAY_CLAUSE = re.compile(r"(上午|下午|晚上|晚|当天)?,")  # 6月2日上午, …: a day that sets the scene
DATED = frozenset(("attended", "presided", "inspected", "agreementWith", "signed", "organizes", "holdsPost"))


def sentence_days(article: Article, found: list[Found]) -> list[tuple[str, str] | None]:
    """The day each sentence's statements are of, with where it comes from: `sentence` (a day the
    sentence gives: 6月2日, 昨日, or 上午 of the page), `context` (the day of the scene an earlier
    sentence set: `6月2日,` / `6月2日上午,`; the lead's for the headline and decks) or `article` (its date)."""
    page = article.date.isoformat() if article.date else None
    own: list[str | None] = []
    opens: list[str | None] = []
    for sent, f in zip(article.sentences, found, strict=True):
        days = [d for d in f.dates if not _NOT_THE_DAY.search(sent.text[:d.start]) and not re.match(
            r"[起前后]|以来|之前|以后", sent.text[d.end:])]
        days = [d for d in days if not sent.text.endswith(("去年", "前年", "明年"), 0, d.start)]  # not this year's
        own.append(days[0].name if days else None)
        scene = days[0] if days and _DAY_CLAUSE.match(sent.text, days[0].end) else None
        opens.append(scene.name if scene and (page is None or scene.name <= page) else None)  # not a day to come
    body = [i for i, s in enumerate(article.sentences) if s.kind == "body"][:2]
    lead = next((opens[i] for i in body if opens[i]), None)
    out: list[tuple[str, str] | None] = []
    current = None
    for sent, day, opening in zip(article.sentences, own, opens, strict=True):
        before = current or (lead if sent.kind in ("headline", "deck", "heading", "caption") else None)
        if day is not None:
            out.append((day, "sentence"))
        elif _OPENS_TODAY.match(sent.text) and (today := before or page):
            out.append((today, "context" if before else "sentence"))
        elif before is not None:
            out.append((before, "context"))
        else:
            out.append((page, "article") if page else None)
        current = opening or current
    return out


def dated(triples: list[Triple], days: list[tuple[str, str] | None]) -> list[Triple]:
    """The triples with the day of their sentence on the evidence of every relation that happens
    at a time (attended, inspected, signed …)."""
    out = []
    for t in triples:
        day = days[t.evidence.sentence.index] if t.predicate in DATED else None
        out.append(replace(t, evidence=replace(t.evidence, day=day[0], day_from=day[1])) if day else t)
    return out


def _joint_meeting(found: Found, text: str, e: Mention) -> bool:
    """`A会议暨B会议`: one joint meeting, named by A (A暨B of two programmes are two events)."""
    return text.endswith("暨", 0, e.start) and e.name.endswith("会议") and any(
        a.end == e.start - 1 and a.name.endswith("会议") for a in found.events)


def _framing(text: str, e: Mention) -> bool:
    """`以X为契机`: X is the occasion another event is framed by, not the event held."""
    return (e.name.startswith("以") or text.endswith("以", 0, e.start)) and bool(
        re.match(r"为(契机|载体|依托|平台|抓手)", text[e.end:]))


_HELD_AFTER = re.compile(r"([至到—-]\d{1,2}日)?(上午|下午|晚)?(在[^,。;]{1,20}?)?(召开|举行|举办|开幕|开赛|启动)")


def _adjacent_dates(ctx: ArticleContext, sent: Sentence, found: Found) -> Iterator[Triple]:
    """`3月17日中共中央…会议` (the day written before the name) and `X将于6月11日…举行`."""
    text = sent.text
    for d in found.dates:
        if re.search(r"(至|到|—|-|~)$", text[:d.start]):
            continue  # 10日至14日: the end of a span
        for e in named_events(found, text):
            before = d.end <= e.start and re.fullmatch(r"(召开的|举行的|的)?", text[d.end:e.start]) is not None
            after = e.end <= d.start and (re.fullmatch(r"(将|定|拟)?于", text[e.end:d.start]) is not None or (
                e.end == d.start and _HELD_AFTER.match(text, d.end) is not None))  # X5月18日在长沙召开
            t = ctx.event(e) if before or after else None
            if t is not None:
                yield Triple(t, "heldOn", Value(d.name, "date"), Evidence(sent, "context.date_adjacent"))


def _lead_occasion(ctx: ArticleContext, sent: Sentence, found: Found) -> list[Entity | None]:
    """The occasion a dated lead reports without naming it: the signing ceremony (A与B签订X协议),
    or the visit whose leader it names when the visit is the article's event and the lead gives one
    day (6月16日、6月17日: a span, not a day)."""
    v = ctx.visit
    if v is not None and v.sentence is sent and v.event == ctx.main_event and len(found.dates) == 1:
        return [v.event]
    if found.agreements and re.search("签订|签署|签约", sent.text) and sent.index <= 4:
        return [ctx.main_event]
    return []


def venues(ctx: ArticleContext, sent: Sentence, found: Found) -> Iterator[Triple]:
    """heldAt: `在VENUE举行/启动…` for the events of the sentence."""
    text = sent.text
    for m in _VENUE.finditer(text):
        a, b = m.start("venue"), m.end("venue")
        venue = m["venue"].strip()
        if "的" in venue and venue.rsplit("的", 1)[1].endswith(_VENUE_WORDS):  # 东辽河畔的南山满族风情园
            venue = venue.rsplit("的", 1)[1]
            a = b - len(venue)
        city = lexicon.gazetteer().short.get(venue)
        d = lexicon.gazetteer().lookup(city) if city is not None else None
        if d is not None:  # 在武汉举行
            venue_m = Mention("Place", venue, a, b, d.adcode)
            found = Found(found.persons, found.posts, found.orgs, (*found.places, venue_m), found.place_parents,
                          found.events, found.agreements, found.dates)
        elif venue in _BARE_VENUES or not (venue.endswith((*lexicon.place_suffixes(), *_VENUE_WORDS)) or any(
                p.end == b and p.start >= a for p in found.places)):  # 习酒镇临江村坝中间组 ends with a place
            continue
        if re.search(r"(会上|会议上|中|下|期间|时)$", venue):
            continue
        events = [e for e in named_events(found, text) if not in_enumeration(text, e) and not _framing(text, e)
                  and not (a <= e.start and e.end <= b)]  # 在X项目现场: the venue is not where X is held
        targets = [ctx.event(e) for e in events] or (
            [ctx.main_event] if any(generic_event(e.name) for e in found.events) else [])
        if not targets:
            continue
        place = _venue_entity(ctx, found, a, b, venue)
        for t in dict.fromkeys(t for t in targets if t is not None):
            yield Triple(t, "heldAt", place, Evidence(sent, "context.venue"))
        within = [p for p in chain_ends(found) if p.start >= a and p.end < b]
        if within and place.adcode is None:  # 天元区黄路步步高广场 lies in 天元区
            yield Triple(place, "partOf", ctx.place(within[-1]), Evidence(sent, "hierarchy.venue_prefix"))


def _venue_entity(ctx: ArticleContext, found: Found, a: int, b: int, venue: str) -> Entity:
    exact = next((p for p in chain_ends(found) if p.start == a and p.end == b), None)
    if exact is not None:
        return ctx.place(exact)
    return ctx.place(Mention("Place", venue, a, b, venue))


def amounts(ctx: ArticleContext, sent: Sentence, found: Found) -> Iterator[tuple[Entity, str]]:
    """Investment totals stated for the article's project (总投资440.2万元)."""
    for m in _AMOUNT.finditer(sent.text):
        named = named_events(found, sent.text)
        target = ctx.event(named[0]) if named else ctx.main_event
        if target is not None:
            yield target, m[0]
