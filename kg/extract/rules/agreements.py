"""Agreements: who signed what (signed) and which places are bound (agreementWith)."""
from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise

from kg import lexicon
from kg.extract.events import generic_event
from kg.extract.mentions import Found
from kg.extract.resolve import ArticleContext
from kg.extract.rules.common import chain_ends, clause_bounds, top_level
from kg.model import Entity, Evidence, Mention, Sentence, Triple

_COOPERATION = re.compile(r"签订|签署|签约|达成|覆盖|结对|结为|缔结|协作|合作协议|战略合作|通办")
_PARTNER_CUE = re.compile(r"与|同|和|覆盖|、|—")
_LINK = re.compile(r"与|同|和")
_SIGN_VERB = re.compile(r"签订|签署|签约|签下")
_JOINS = ("与", "和", "同")


def _parties(found: Found, text: str, verb_start: int) -> list[Mention]:
    """Organisations (or else places) in the clause before a signing verb: A与B签订."""
    a, _ = clause_bounds(text, verb_start)
    venue = re.search(r"(在|于)[^,;。]*$", text[a:verb_start])
    if venue:  # 在经开区管委会签订: the venue is not a party
        verb_start = a + venue.start()
    orgs = top_level([m for m in found.orgs if a <= m.start and m.end <= verb_start])
    places = top_level([m for m in chain_ends(found) if a <= m.start and m.end <= verb_start], found.orgs)
    if not orgs:
        return places
    # a place standing for its government, the first party before an organisation: 衡南县与X公司签订
    first = [p for p in places if p.end <= orgs[0].start and text[p.end:p.end + 1] in _JOINS]
    return sorted(top_level([*first, *orgs]), key=lambda m: m.start)


def _place_of(ctx: ArticleContext, found: Found, party: Mention) -> Entity | None:
    if party.kind == "Place":
        return ctx.place(party)
    inner = [m for m in chain_ends(found) if party.start <= m.start and m.end <= party.end]
    if (inner and inner[0].start == party.start) or any(
            p.start == party.start for p in found.places if party.start <= p.start < party.end):
        return ctx.place(inner[-1]) if inner else None
    return None


def _parties_text(text: str, found: Found, verb: int, parties: list[Mention]) -> str:
    """The parties as written before the verb, from the clause start: 荆州市人民政府与中建三局集团有限公司."""
    a, _ = clause_bounds(text, verb)
    start = min(a + len(re.match(r"(上午|下午|晚上|当天|日前|近日|今天|昨天)?", text[a:])[0]), parties[0].start)
    return re.sub(r"(?:已|先后|分别|正式|还|也|又|将)+(?=[与同和])", "", text[start:parties[-1].end])


def _named_agreement(ctx: ArticleContext, text: str, found: Found, agr: Mention, verb: int,
                     parties: list[Mention]) -> Entity | None:
    """The agreement signed; a generic one (战略合作协议) is named after its parties."""
    agreement = ctx.agreement(agr)
    if agreement is not None and not generic_event(agreement.label):
        return agreement
    link = _LINK.search(text, parties[0].end, verb)
    if link is None or len(parties) < 2 or agr.name.strip() in ("协议", "协议书"):
        return agreement
    name = _parties_text(text, found, verb, parties) + agr.name.strip()
    return ctx.agreement(Mention("Agreement", name, agr.start, agr.end, name))


def ceremony(ctx: ArticleContext, found: list[Found]) -> Entity | None:
    """The signing ceremony of an article whose lead reports a signing between two parties:
    `A与B签订X协议` → `A与BX协议签约仪式` (A与B缔结为友好区市 → A与B缔结友好区市签约仪式)."""
    sents = ctx.article.sentences
    lead = [i for i, s in enumerate(sents) if s.kind in ("headline", "body")][:4]
    for i in lead:
        text, f = sents[i].text, found[i]
        for agr in f.agreements:
            verb = max((m.start() for m in _SIGN_VERB.finditer(text, 0, agr.start)), default=-1)
            parties = _parties(f, text, verb) if verb >= 0 else []
            if len(parties) < 2 or _LINK.search(text, parties[0].end, verb) is None:
                continue
            what = agr.name.strip()
            bond = re.search(r"(缔结|结为)为?(?P<what>[^,。;]{2,8}?)(?=[,。;]|$)", text[agr.end:])
            if generic_event(what) and bond is not None:
                what = "缔结" + bond["what"]
            elif generic_event(what) and what in ("协议", "协议书"):
                continue
            name = _parties_text(text, f, verb, parties) + what + "签约仪式"
            e = ctx.event(Mention("Event", name, parties[0].start, agr.end, name))
            if e is not None:
                word = "签字仪式" if any("签字仪式" in s.text for s in sents) else "签约仪式"  # as the text calls it
                return Entity(e.kind, e.key, e.label, frozenset({what + word}))
    return None


def signing(ctx: ArticleContext, sent: Sentence, found: Found) -> Iterator[Triple]:
    """signed and agreementWith from `A与B签订 X协议`."""
    text = sent.text
    for agr in found.agreements:
        verb = max((m.start() for m in _SIGN_VERB.finditer(text, 0, agr.start)), default=-1)
        if verb < 0:
            continue
        parties = _parties(found, text, verb)
        if not parties:
            continue
        agreement = _named_agreement(ctx, text, found, agr, verb, parties)
        if agreement is None:
            continue
        for party in parties:
            subject = ctx.org(party) if party.kind == "Organization" else ctx.place(party)
            yield Triple(subject, "signed", agreement, Evidence(sent, "agreement.signed"))
        link = _LINK.search(text, parties[0].end, verb)
        if link is None:
            continue
        left = [m for m in parties if m.end <= link.start()]
        right = [m for m in parties if m.start >= link.end()]
        pairs = [(a, b) for a in left for b in right]
        if text.endswith("分别", 0, link.start()) and len(left) == len(right):  # A、B分别与C、D: A–C, B–D
            pairs = list(zip(left, right, strict=True))
        pairs = _written_pairs(text, parties) or pairs
        for a, b in pairs:
            yield from _pairs([p for p in (_place_of(ctx, found, a), _place_of(ctx, found, b)) if p],
                              sent, "agreement.parties")


_CEREMONY = re.compile(r"(?P<agreement>.+?(?:协议书|协议|协定|备忘录|合同))(?:签约|签字|签署)仪式$")


def ceremonies(ctx: ArticleContext, sent: Sentence, found: Found) -> Iterator[Triple]:
    """signed from a ceremony named after its agreement: `A与B合作框架协议签约仪式`."""
    for ev in found.events:
        m = _CEREMONY.match(ev.name)
        if not m or "与" not in m["agreement"]:
            continue
        end = ev.start + m.end("agreement")
        agreement = ctx.agreement(Mention("Agreement", m["agreement"], ev.start, end, m["agreement"]))
        if agreement is None:
            continue
        inside = top_level([x for x in (*found.orgs, *chain_ends(found)) if ev.start <= x.start and x.end <= end])
        link = sent.text.find("与", ev.start, end)
        left = [x for x in inside if x.end <= link]
        right = [x for x in inside if x.start > link]
        for party in (*left, *right):
            subject = ctx.org(party) if party.kind == "Organization" else ctx.place(party)
            yield Triple(subject, "signed", agreement, Evidence(sent, "agreement.ceremony"))
        for a in left:
            for b in right:
                yield from _pairs([p for p in (_place_of(ctx, found, a), _place_of(ctx, found, b)) if p],
                                  sent, "agreement.ceremony")


def cooperation(ctx: ArticleContext, sent: Sentence, found: Found) -> Iterator[Triple]:
    """agreementWith from a cooperation cue and the places on both sides of 与/覆盖."""
    text = sent.text
    cue = _COOPERATION.search(text)
    if not cue:
        return
    ends = top_level(chain_ends(found))
    ends = [m for m in ends if not _inside_org_tail(found, m)]
    apart = text.find("分别与")
    if len(ends) < 2 or (apart >= 0 and sum(m.end <= apart for m in ends) > 1):
        return  # A、B分别与C、D pairs one to one: the signing rule reads it
    pairs = _written_pairs(text, ends)
    if pairs:
        for a, b in pairs:
            yield from _pairs([ctx.place(a), ctx.place(b)], sent, "agreement.cooperation")
        return
    link = _PARTNER_CUE.search(text, ends[0].end)
    if not link:
        return
    subject = ends[0]
    partners = [m for m in ends[1:] if m.start >= link.start()]
    g = lexicon.gazetteer()
    places = [ctx.place(subject)] + [ctx.place(m) for m in partners]
    first = places[0]
    for other in places[1:]:
        if other.key == first.key or (first.adcode and other.adcode and (
                g.is_within(first.adcode, other.adcode) or g.is_within(other.adcode, first.adcode))):
            continue
        yield Triple(first, "agreementWith", other, Evidence(sent, "agreement.cooperation"))


def _written_pairs(text: str, parties: list[Mention]) -> list[tuple[Mention, Mention]]:
    """A与B、C与D、E与F: the parties pair as written (two pairs at least), else []."""
    if len(parties) < 4 or len(parties) % 2:
        return []
    gaps = [text[a.end:b.start] for a, b in pairwise(parties)]
    if not all(g in ("与", "和", "同") if i % 2 == 0 else g == "、" for i, g in enumerate(gaps)):
        return []
    return list(zip(parties[::2], parties[1::2], strict=True))


def _inside_org_tail(found: Found, place: Mention) -> bool:
    """A place inside an organisation's name, other than the chain it starts with, is not a party."""
    head = place
    parents = {id(c): p for c, p in found.place_parents}
    while id(head) in parents:
        head = parents[id(head)]
    return any(o.start < place.start and place.end <= o.end and o.start != head.start for o in found.orgs)


def _pairs(places: list[Entity], sent: Sentence, rule: str) -> Iterator[Triple]:
    g = lexicon.gazetteer()
    for i, a in enumerate(places):
        for b in places[i + 1:]:
            if a.key == b.key or (a.adcode and b.adcode and (g.is_within(a.adcode, b.adcode)
                                                             or g.is_within(b.adcode, a.adcode))):
                continue
            yield Triple(a, "agreementWith", b, Evidence(sent, rule))
