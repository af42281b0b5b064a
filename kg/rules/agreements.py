"""Agreements: who signed what (signed) and which places are bound (agreementWith)."""
from __future__ import annotations

import re
from collections.abc import Iterator

from kg import lexicon
from kg.mentions import Found
from kg.model import Entity, Evidence, Mention, Sentence, Triple
from kg.resolve import ArticleContext
from kg.rules.common import chain_ends, clause_bounds, top_level

_COOPERATION = re.compile(r"签订|签署|签约|达成|覆盖|结对|结为|缔结|协作|合作协议|战略合作|通办")
_PARTNER_CUE = re.compile(r"与|同|和|覆盖|、")


def _parties(found: Found, text: str, verb_start: int) -> list[Mention]:
    """Organisations (or else places) in the clause before a signing verb: A与B签订."""
    a, _ = clause_bounds(text, verb_start)
    orgs = top_level([m for m in found.orgs if a <= m.start and m.end <= verb_start])
    if orgs:
        return orgs
    return top_level([m for m in chain_ends(found) if a <= m.start and m.end <= verb_start], found.orgs)


def _place_of(ctx: ArticleContext, found: Found, party: Mention) -> Entity | None:
    if party.kind == "Place":
        return ctx.place(party)
    inner = [m for m in chain_ends(found) if party.start <= m.start and m.end <= party.end]
    if inner and inner[0].start == party.start or any(
            p.start == party.start for p in found.places if party.start <= p.start < party.end):
        return ctx.place(inner[-1]) if inner else None
    return None


def signing(ctx: ArticleContext, sent: Sentence, found: Found) -> Iterator[Triple]:
    """signed and agreementWith from `A与B签订 X协议`."""
    text = sent.text
    for agr in found.agreements:
        verb = text.rfind("签", 0, agr.start)
        verb = verb if verb >= 0 else agr.start
        parties = _parties(found, text, verb)
        if not parties:
            continue
        agreement = ctx.agreement(agr)
        for party in parties:
            subject = ctx.org(party) if party.kind == "Organization" else ctx.place(party)
            yield Triple(subject, "signed", agreement, Evidence(sent, "agreement.signed"))
        places = [p for p in (_place_of(ctx, found, m) for m in parties) if p is not None]
        yield from _pairs(places, sent, "agreement.parties")


def cooperation(ctx: ArticleContext, sent: Sentence, found: Found) -> Iterator[Triple]:
    """agreementWith from a cooperation cue and the places on both sides of 与/覆盖."""
    text = sent.text
    cue = _COOPERATION.search(text)
    if not cue:
        return
    ends = top_level(chain_ends(found))
    ends = [m for m in ends if not _inside_org_tail(found, m)]
    if len(ends) < 2:
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


def _inside_org_tail(found: Found, place: Mention) -> bool:
    """A place inside an organisation's name, other than at its start, is not a party."""
    return any(o.start < place.start and place.end <= o.end for o in found.orgs)


def _pairs(places: list[Entity], sent: Sentence, rule: str) -> Iterator[Triple]:
    g = lexicon.gazetteer()
    for i, a in enumerate(places):
        for b in places[i + 1:]:
            if a.key == b.key or (a.adcode and b.adcode and (g.is_within(a.adcode, b.adcode)
                                                             or g.is_within(b.adcode, a.adcode))):
                continue
            yield Triple(a, "agreementWith", b, Evidence(sent, rule))
