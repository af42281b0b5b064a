"""Who a person of an article is: the name with the place (or body) their posts belong to.

A name alone is not a person: a 副市长陈五 of 湘潭 and one of 衡阳 are two. Every person of an
article is keyed by the name and an anchor read from that article alone, so keys are
deterministic and an unrelated article never changes them:
- the region of a post's jurisdiction (the city of a county post, the province of a provincial
  one), the home region first when a post lies in it, else the most local;
- else none for a post of a national body (国务院总理, 全国政协主席): the name alone is the
  country's person of that name, as it is on a page whose home is unknown;
- else the organisation a post names (三一集团 of 三一集团董事长);
- else the article's home region (the paper's city, from its front matter or its name; a home
  only guessed from the places an article names anchors no one).
The same name with the same anchor in two articles is one person; in two cities, two.

An event is keyed by its name across articles (two reports of 第22次制造名城早餐会 are one node
with both articles as provenance); a name that does not tell its occurrences apart (no year, no
ordinal: 稻花香读书会, 区委常委会会议) is keyed with the day the article says it was held.
"""
from __future__ import annotations

import re
from dataclasses import replace

from kg import lexicon
from kg.extract.events import CN_NUM
from kg.extract.resolve import ArticleContext
from kg.lexicon import Division
from kg.model import Entity, Extraction, Mention, Triple

_NATIONAL_BODIES = ("中共中央", "中央", "国务院", "全国人大", "全国政协", "国家主席", "国家副主席", "国家监察委员会")
_NATIONAL_TITLES = frozenset(("总书记", "国家主席", "国家副主席", "总理", "副总理", "国务委员", "委员长", "副委员长"))
_COMMITTEES = ("领导小组", "小组", "委员会", "组委会", "指挥部", "工作组")  # of officials from elsewhere
_LEVELS = "省市县区州旗盟镇乡村"
_RANK = {"county": 0, "city": 1, "province": 2}


def region(code: str) -> Division | None:
    """The division a person of division `code` is told apart in: its prefecture-level city
    (a county's city, a municipality for its districts), a city or province itself.

    >>> region("430422").name, region("110105").name, region("430000").name
    ('衡阳市', '北京市', '湖南省')
    """
    g = lexicon.gazetteer()
    d = g.by_code.get(code)
    if d is None or d.level != "county":
        return d
    parent = g.parent(d)
    if parent is not None and (parent.level == "city" or parent.name.endswith("市")):
        return parent
    return d  # a county-level city under its province (仙桃市)


def post_body(post: str) -> str:
    """The organisation a post names before its title (广铁集团株洲北站 of …党委书记), else ''."""
    title = max((t for t in lexicon.titles() if post.endswith(t) and len(t) < len(post)), key=len, default="")
    head = post[:len(post) - len(title)] if title else ""
    return head if len(head) >= 3 and head.endswith(lexicon.org_suffixes()) else ""


_GOVERNMENT_TITLES = re.compile(r"(常务)?副?(省|市|县|区|州|旗)长$")  # titles of a division's government


def post_in(ctx: ArticleContext, post: Entity) -> Entity | None:
    """The organisation a post belongs to: the body its key names (广铁集团株洲北站 of
    …副站长, 株洲市委 of 株洲市委书记), or a division's government for its government's titles
    (株洲市副市长 → 株洲市人民政府); None for a bare title or a body that is a division itself."""
    body = post_body(post.key)
    if not body:
        title = _GOVERNMENT_TITLES.search(post.key)
        head = post.key[:title.start()] if title is not None and title.end() == len(post.key) else ""
        if not head or ctx.division(head) is None:
            return None
        body = head + "人民政府"
    org = ctx.org(Mention("Organization", body, 0, 0, body))
    return org if org.kind == "Organization" else None


def _telling(body: str) -> bool:
    """A body that tells its people apart: named (4 characters or more), not left unqualified
    (区人大常委会), not a committee of officials who each belong elsewhere (…领导小组)."""
    return len(body) >= 4 and body[0] not in _LEVELS and not body.endswith(_COMMITTEES)


def anchors(triples: list[Triple], ctx: ArticleContext) -> dict[str, str]:
    """The anchor of every person name of the article's triples that has one."""
    jurisdiction = {t.subject.key: t.object for t in triples
                    if t.predicate == "jurisdiction" and isinstance(t.object, Entity) and t.object.adcode}
    home = region(ctx.home_code) if ctx.home_code else None
    posts: dict[str, list[Entity]] = {}
    names: list[str] = []
    for t in triples:
        for e in (t.subject, t.object):
            if isinstance(e, Entity) and e.kind == "Person" and e.key not in names:
                names.append(e.key)
        if t.predicate == "holdsPost" and isinstance(t.object, Entity):
            posts.setdefault(t.subject.key, []).append(t.object)
    out: dict[str, str] = {}
    for name in names:
        regions = [r for p in posts.get(name, ()) if p.key in jurisdiction
                   and (r := region(jurisdiction[p.key].adcode or "")) is not None]
        if home is not None and any(r.adcode == home.adcode for r in regions):
            out[name] = _label(home)
        elif regions:
            out[name] = _label(min(regions, key=lambda r: _RANK.get(r.level, 3)))
        elif any(p.key.startswith(_NATIONAL_BODIES) or p.label in _NATIONAL_TITLES for p in posts.get(name, ())):
            continue
        elif body := next((b for p in posts.get(name, ()) if _telling(b := post_body(p.key))), ""):
            out[name] = re.sub(r"\W", "", body)  # 中都(株洲)物流有限公司: no brackets in an IRI
        elif home is not None and ctx.article.city:  # a home guessed from the places named is no one's
            out[name] = _label(home)
    return out


def _label(d: Division) -> str:
    """A region's name as an anchor; one name shared by two current divisions takes its province's."""
    g = lexicon.gazetteer()
    parent = g.parent(d)
    return parent.name + d.name if g.ambiguous(d.name) and parent is not None else d.name


def person_key(name: str, anchor: str | None) -> str:
    """The identity of a person: `name-anchor` (曹慧泉-株洲市), the name alone without an anchor."""
    return f"{name}-{anchor}" if anchor else name


_TELLS_APART = re.compile(rf"(?:19|20)\d\d|第[{CN_NUM}\d]+[届次期批轮]|[{CN_NUM}\d]+届|首届|首次")


def event_days(triples: list[Triple]) -> dict[str, str]:
    """The day (its first) of every event held on a day the article gives, whose name tells no
    occurrence apart."""
    days: dict[str, str] = {}
    for t in triples:
        if t.predicate == "heldOn" and t.subject.kind == "Event" and not _TELLS_APART.search(t.subject.label):
            days[t.subject.key] = min(days.get(t.subject.key, t.object.text), t.object.text)
    return days


def identify(x: Extraction, ctx: ArticleContext) -> Extraction:
    """`x` with every person keyed by name and anchor (`anchors`), every event whose name tells
    no occurrence apart by name and day (`event_days`)."""
    people, days = anchors(x.triples, ctx), event_days(x.triples)

    def keyed(e: Entity) -> Entity:
        if e.kind == "Person":
            return replace(e, key=person_key(e.key, people.get(e.key)))
        if e.kind == "Event" and e.key in days:
            return replace(e, key=f"{e.key}-{days[e.key]}")
        return e

    triples = [replace(t, subject=keyed(t.subject), object=keyed(t.object) if isinstance(t.object, Entity)
                       else t.object) for t in x.triples]
    return Extraction(x.article, triples, [replace(a, entity=keyed(a.entity)) for a in x.attributes])
