"""Mentions to entities: home place, short forms, 我市/市委, one key per real entity."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from kg import lexicon
from kg.extract.events import CN_NUM, generic_event
from kg.extract.mentions import Found
from kg.ingest.textnorm import norm_key
from kg.model import Article, Entity, Mention, Visit

_CN_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_INSPECTION_LIST = re.compile(r"(考察|调研|视察|察看|查看|参观|走访)(了)?[^,;。]*$")
# an event whose speech or spirit is studied: 传达学习习近平在二十届中央纪委二次全会上的讲话
_STUDIED = re.compile(r"(传达|学习|贯彻)[^,;。]*$")
_EVENT_TAIL = re.compile(r"(系列宣传活动|系列活动|启动仪式|开幕式|仪式)$")


def studied(text: str, start: int) -> bool:
    """True when the event named at `start` is the subject of study (传达学习…全会精神), not held here.

    >>> studied("县委召开会议传达学习全省大会精神", 10), studied("县委召开全省大会", 4)
    (True, False)
    """
    return bool(_STUDIED.search(text[:start]))


def _balanced(name: str) -> str:
    """A name without an unmatched quote at either end.

    >>> _balanced("跨省通办”政务服务协议"), _balanced("“跨省通办”政务服务协议")
    ('“跨省通办”政务服务协议', '“跨省通办”政务服务协议')
    """
    if name.count("”") > name.count("“"):
        return "“" + name if not name.startswith("”") else name[1:]
    return name


def cn_to_int(text: str) -> int | None:
    """Chinese numerals to an int (第二十二 → 22).

    >>> cn_to_int("二十二"), cn_to_int("十五"), cn_to_int("22")
    (22, 15, 22)
    """
    if text.isdigit():
        return int(text)
    total, num = 0, 0
    for c in text:
        if c in _CN_DIGIT:
            num = _CN_DIGIT[c]
        elif c == "十":
            total += (num or 1) * 10
            num = 0
        elif c == "百":
            total += (num or 1) * 100
            num = 0
        else:
            return None
    return total + num


def event_key(name: str) -> str:
    """Identity of an event name: normalised, ordinals in digits, no trailing 系列活动/仪式.

    >>> event_key("第十五届株洲读书月系列活动") == event_key("第15届“株洲读书月”")
    True
    """
    key = norm_key(name)
    key = re.sub(rf"第([{CN_NUM}]+)([届次期批])",
                  lambda m: f"第{cn_to_int(m[1]) if cn_to_int(m[1]) is not None else m[1]}{m[2]}", key)
    stripped = _EVENT_TAIL.sub("", key)
    return stripped if len(stripped) >= 4 else key


@dataclass
class ArticleContext:
    """What resolution knows about one article: its home place, its named things."""

    article: Article
    home: str | None = None            # the home place's name (株洲市)
    home_code: str | None = None
    org_names: list[str] = field(default_factory=list)
    place_names: list[str] = field(default_factory=list)  # those outside the gazetteer, longest first
    event_keys: dict[str, str] = field(default_factory=dict)  # key → canonical key within the article
    main_event: Entity | None = None
    series: Entity | None = None      # the series a following list belongs to (a deck line)
    agreements: list[Entity] = field(default_factory=list)
    visit: Visit | None = None         # the visit the lead reports (rules.visits)
    last_date: tuple[str, bool] | None = None  # the day leading the sentence before, and whether it ended with ;
    found: list[Found] = field(default_factory=list)  # the mentions of every sentence, as the rules read them

    @classmethod
    def build(cls, article: Article, found: list[Found]) -> ArticleContext:
        g = lexicon.gazetteer()
        home = article.city or cls._likely_home(found)
        ctx = cls(article, home)
        if home:
            d = g.lookup(home)
            ctx.home_code = d.adcode if d else None
        ctx.org_names = sorted({ctx.qualify(m.name) for f in found for m in f.orgs}, key=len, reverse=True)
        codes = lexicon.gazetteer().by_code
        ctx.place_names = sorted({ctx.qualify(m.name) for f in found for m in f.places if m.name not in codes},
                                 key=len, reverse=True)
        keys = sorted({event_key(m.name) for f in found for m in f.events if not generic_event(m.name)},
                      key=len, reverse=True)
        for k in keys:
            longer = next((lk for lk in keys if len(lk) > len(k) and (
                (len(k) >= 5 and lk.startswith(k)) or (len(k) >= 3 and lk.endswith(k)))), None)
            ctx.event_keys[k] = ctx.event_keys.get(longer, longer) if longer else k
        ctx.agreements = [Entity("Agreement", norm_key(m.name), _balanced(m.name.strip()))
                          for m in sorted((m for f in found for m in f.agreements if not generic_event(m.name)),
                                          key=lambda m: -len(m.name))]
        # the main event: the first named event of the headline, decks or first sentences,
        # leaving out sites listed after 考察/调研 (a project inspected is not the occasion) and
        # events whose speeches are studied (学习…在全会上的讲话: the occasion is the study meeting)
        for sent, f in list(zip(article.sentences, found, strict=True))[:4]:
            named = [m for m in f.events if not generic_event(m.name) and not _INSPECTION_LIST.search(
                sent.text[:m.start]) and not studied(sent.text, m.start)]
            if named:
                # X会议举行第一次全体会议: the plenary named after X is the occasion
                main = next((m for m in named[1:] if m.name.startswith(named[0].name)), named[0])
                ctx.main_event = ctx.event(main)
                break
        return ctx

    @staticmethod
    def _likely_home(found: list[Found]) -> str | None:
        """The county-level place named most often (else the city): where a page without
        front matter or a paper's name is from."""
        g = lexicon.gazetteer()
        counts: Counter[str] = Counter(m.name for f in found for m in f.places if m.name in g.by_code)
        for level in ("county", "city"):
            ranked = [c for c, _ in counts.most_common() if g.by_code[c].level == level]
            if ranked:
                return g.by_code[ranked[0]].name
        return None

    # -------------------------------------------------------------- naming

    def qualify(self, name: str) -> str:
        """Add the home place to names that leave it implicit (市委宣传部 → 株洲市委宣传部)."""
        name = re.sub(r"^(我|本|全)(?=[市县区])", "", name)
        if name[:1] not in "省市县区" or not self.home_code:
            return name
        g = lexicon.gazetteer()
        d = g.by_code.get(self.home_code)
        while d is not None:  # the home place or the ancestor whose level the name implies
            if d.name.endswith(name[0]) and not name.startswith(d.name):
                return d.name + name[1:]
            d = g.parent(d)
        return name

    def _home_level(self, level: str) -> str | None:
        """The adcode of the home place, or its ancestor, whose name ends with `level` (市, 县 …)."""
        g = lexicon.gazetteer()
        d = g.by_code.get(self.home_code or "")
        while d is not None:
            if d.name.endswith(level):
                return d.adcode
            d = g.parent(d)
        return None

    def resolvable(self, found: Found) -> Found:
        """`found` without 我市/本县 mentions that this article's home place cannot resolve."""
        keep = tuple(m for m in found.places if not re.fullmatch(r"[我本][省市县区]", m.name)
                     or self._home_level(m.name[1]) is not None)
        if len(keep) == len(found.places):
            return found
        return replace(found, places=keep)

    def person(self, m: Mention) -> Entity:
        return Entity("Person", m.name, m.name)

    def place(self, m: Mention) -> Entity:
        g = lexicon.gazetteer()
        d = g.by_code.get(m.name)
        if d is not None:
            label = d.name
            parent = g.parent(d)
            if g.ambiguous(d.name) and parent is not None and parent.level != "province":
                label = parent.name + d.name
            aliases = frozenset({m.text} - {label})
            return Entity("Place", d.adcode, label, aliases, d.adcode)
        if re.fullmatch(r"[我本][省市县区]", m.name):
            target = self._home_level(m.name[1])
            if target is not None:
                return self.place(Mention("Place", m.text, m.start, m.end, target))
        code = self.division(m.name)
        if code is not None:  # a division written out (考察了衡南县): the gazetteer's node
            return self.place(Mention("Place", m.text, m.start, m.end, code))
        name = self.qualify(m.name)
        full = next((p for p in self.place_names if len(p) > len(name) >= 3 and p.endswith(name)), name)
        return Entity("Place", full, full, frozenset({m.text, name} - {full}))  # 中和街道: 成都市高新区中和街道

    def division(self, name: str) -> str | None:
        """The adcode of the division named exactly `name` (衡南县): the one this article's mentions
        give that name, else the gazetteer's (inside the home place first); None for other names."""
        g = lexicon.gazetteer()
        if name[-1:] not in "省市区县州旗盟" or not any(d.current for d in g.by_name.get(name, ())):
            return None
        used = next((p.name for f in self.found for p in f.places if p.text == name and p.name in g.by_code), None)
        if used is not None:
            return used
        d = g.lookup(name, self.home_code)
        return d.adcode if d is not None else None

    def place_by_code(self, code: str) -> Entity:
        d = lexicon.gazetteer().by_code[code]
        return self.place(Mention("Place", d.name, 0, 0, code))

    def article_entity(self) -> Entity:
        a = self.article
        return Entity("Article", a.id, a.headline)

    def org(self, m: Mention) -> Entity:
        """The organisation named; one named exactly as a division (衡南县 主办) is the division's
        Place: a place standing for its government is one node, not an organisation beside it."""
        name = self.qualify(m.name)
        code = self.division(name)
        if code is not None:
            return self.place(Mention("Place", m.text, m.start, m.end, code))
        full = next((o for o in self.org_names if len(o) > len(name) >= 3 and o.endswith(name)), name)
        if full.endswith("政府") and not full.endswith("人民政府") and full[:-2] + "人民政府" in self.org_names:
            full = full[:-2] + "人民政府"  # 荆州市政府: the 荆州市人民政府 the article names
        aliases = frozenset({m.text, name} - {full})
        return Entity("Organization", full, full, aliases)

    def event(self, m: Mention) -> Entity | None:
        """The entity of an event mention; a generic one (会议, 启动仪式) is the article's main event."""
        if generic_event(m.name):
            return self.main_event
        key = event_key(m.name)
        key = self.event_keys.get(key, key)
        if m.name.startswith(("全市", "我市", "本市", "全县", "全区")) and self.home:
            key = f"{self.home}|{key}"
        return Entity("Event", key, m.name.strip())

    def agreement(self, m: Mention) -> Entity | None:
        """The agreement named; a generic one (合作协议) is the article's named agreement, or None."""
        key = norm_key(m.name)
        named = next((a for a in self.agreements if a.key.endswith(key)), None)
        if named:
            return named
        if generic_event(m.name):
            return None
        e = Entity("Agreement", key, _balanced(m.name.strip()))
        self.agreements.append(e)
        return e

    def post(self, title: str, body: str = "") -> Entity:
        """The post of a title as written (the label), keyed by the body it belongs to: the home
        place the title's level names (市长 → 株洲市长, 副市长 → 株洲市副市长) or `body`, the
        organisation an earlier title of the same list named (广铁集团株洲北站 of …党委书记、副站长)."""
        q = self.qualify(title)
        code = self._home_level(title[1]) if re.match(r"副[省市县区州旗](?!委)", title) else None
        if code is not None:
            q = lexicon.gazetteer().by_code[code].name + title
        elif body and q == title and re.sub(r"^(常务)?副", "", title) in lexicon.titles():  # a bare title
            q = body + title
        return Entity("Post", q, title, frozenset({q} - {title}))

    def jurisdiction(self, post: Entity) -> Entity | None:
        """The division a post's body belongs to: the chain of divisions its key starts with
        (株洲市副市长 → 株洲市, 江西省赣州市南康区行政审批局局长 → 南康区), or None."""
        g = lexicon.gazetteer()
        key, pos, found = post.key, 0, None
        while True:
            within = found.adcode if found else self.home_code
            names = (key[pos:pos + n] for n in range(min(8, len(key) - pos - 1), 1, -1))
            d = next((d for name in names if name in g.by_name and (d := g.lookup(name, within)) is not None
                      and (found is None or g.is_within(d.adcode, found.adcode))), None)
            if d is None:
                return self.place_by_code(found.adcode) if found is not None else None
            found, pos = d, pos + len(d.name)
