"""The extraction rules, in order, and `extract(article)` that runs them over the article's
mentions (`kg.extract.article`) and its context (`kg.extract.resolve`)."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from kg.extract import ner
from kg.extract.article import find_mentions, tag
from kg.extract.events import generic_event
from kg.extract.identity import identify
from kg.extract.mentions import Found
from kg.extract.resolve import ArticleContext
from kg.extract.rules import agreements, context, organizing, people, visits
from kg.extract.rules.common import named_events
from kg.model import Article, Attribute, Evidence, Extraction, Mention, Sentence, Triple


@dataclass(frozen=True, slots=True)
class Rule:
    """A named sentence-level extractor."""

    name: str
    extract: Callable[[ArticleContext, Sentence, Found], Iterator[Triple]]


RULES = (
    Rule("posts", people.posts),
    Rule("attendance", people.attendance),
    Rule("speakers", people.speakers),
    Rule("listed", people.listed_attendees),
    Rule("inspection", people.inspections),
    Rule("visit", visits.lead),
    Rule("visit_sites", visits.sites),
    Rule("signing", agreements.signing),
    Rule("ceremonies", agreements.ceremonies),
    Rule("cooperation", agreements.cooperation),
    Rule("organisers", organizing.organisers),
    Rule("series", organizing.series),
    Rule("sub_activities", organizing.sub_activities),
    Rule("dates", organizing.dates),
    Rule("venues", organizing.venues),
    Rule("hierarchy", context.hierarchy),
)


_BULLETS = ("◆", "●", "■", "▲", "★", "◇", "○")
_HAPPENS = re.compile(r"召开|举行|举办|开幕|开赛|开班|拉开")  # the verbs that say an event is held


def _held(sent: Sentence, f: Found) -> Mention | None:
    """The named event a sentence says is held (召开X, X在…举行), or None."""
    named = named_events(f, sent.text)
    if len(named) != 1 or not _HAPPENS.search(sent.text):
        return None
    return named[0]


def extract_all(articles: list[Article]) -> list[Extraction]:
    """`extract` of every article, the NER run once over all their sentences (its batches fill up)."""
    tagged = tag([s for a in articles for s in a.sentences])
    out, i = [], 0
    for a in articles:
        out.append(extract(a, tagged[i:i + len(a.sentences)]))
        i += len(a.sentences)
    return out


def context_of(article: Article, found: list[Found]) -> ArticleContext:
    """What the rules know of the article besides a sentence's mentions: its home, its names, the
    mentions they resolve (`ctx.found`), its main event (else the signing ceremony or the visit
    its lead reports, when no named event is said to be held) and the visit."""
    ctx = ArticleContext.build(article, found)
    found = ctx.found = [ctx.resolvable(f) for f in found]
    if ctx.main_event is None:
        ctx.main_event = agreements.ceremony(ctx, found)
    ctx.visit = visits.find(ctx, found)
    if ctx.main_event is None and ctx.visit is not None and not any(
            named_events(f, s.text) and _HAPPENS.search(s.text) for s, f in zip(article.sentences, found, strict=True)):
        ctx.main_event = ctx.visit.event
    return ctx


def extract(article: Article, tagged: list[list[ner.Span]] | None = None) -> Extraction:
    """Run every rule over every sentence of one article (`tagged` as in `article.find_mentions`)."""
    ctx = context_of(article, find_mentions(article, tagged))
    out = Extraction(article)
    for sent, f in zip(article.sentences, ctx.found, strict=True):
        if sent.kind in ("deck", "heading", "caption") and len(f.events) == 1 and not generic_event(
                f.events[0].name) and len(f.events[0].name) >= len(sent.text) - 2:
            ctx.series = ctx.event(f.events[0])
        held = _held(sent, f)
        if held is not None and sent.text.startswith(_BULLETS):  # ◆ a new story of a bulletin: 会议 means its event
            ctx.main_event = ctx.event(held) or ctx.main_event
        for rule in RULES:
            out.triples.extend(rule.extract(ctx, sent, f))
        for entity, amount in organizing.amounts(ctx, sent, f):
            out.attributes.append(Attribute(entity, "amount", amount, Evidence(sent, "organizing.amount")))
    out.triples = organizing.dated(out.triples, organizing.sentence_days(article, ctx.found))
    out.triples.extend(context.bylines(ctx, ctx.article_entity()))
    return identify(out, ctx)
