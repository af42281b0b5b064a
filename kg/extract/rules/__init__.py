"""The extraction rules, in order, and `extract(article)` that runs them."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import cache

from kg import lexicon
from kg.extract import mentions, ner
from kg.extract.events import CN_NUM, dates, generic_event
from kg.extract.mentions import Found
from kg.extract.resolve import ArticleContext
from kg.extract.rules import agreements, context, organizing, people, visits
from kg.extract.rules.common import named_events
from kg.extract.segment import default as segmenter
from kg.extract.segment import with_names
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


_OPENS_WITH_NUMBER = re.compile(rf"((19|20)\d\d年度?|第[{CN_NUM}]+[届次期]|[{CN_NUM}]+届)")


def _qualified(found: Found, text: str) -> Found:
    """Events named by their holder: `区人大常委会党组召开2017年度民主生活会` is the
    党组's 2017年度民主生活会, `X会议举行第一次全体会议` the plenary of X."""
    events = list(found.events)
    for i, e in enumerate(events):
        if not _OPENS_WITH_NUMBER.match(e.name):
            continue
        held = re.search(r"(召开|举行|举办)了?$", text[:e.start])
        if held is None:
            continue
        before = [m for m in (*found.orgs, *events) if m.end == held.start() and m is not e
                  and not text.endswith(("在", "于"), 0, m.start)]  # 在市体育中心举办: a venue
        if before:
            b = before[0]
            name = b.name + e.name
            events[i] = Mention("Event", e.text, e.start, e.end, name)
    return replace(found, events=tuple(events)) if events != list(found.events) else found


# Words of a sentence that the rules read persons, organisations or sites in; elsewhere the NER
# adds nothing they use, and it is most of the extraction's time (a fifth of news text has them)
_NER_CUES = ("主办", "承办", "协办", "举办", "举行", "召开", "签", "协议", "领导", "陪同", "带队", "率队", "一行",
             "发言", "致辞", "讲话", "授旗", "颁发", "颁奖", "揭牌", "出席", "参加", "主持", "列席", "宣布")
_SHORT_LIST = r"[\u4e00-\u9fff]{2,3}、[\u4e00-\u9fff]{2,3}、[\u4e00-\u9fff]{2,3}"  # 甲、乙、丙: names, maybe


@cache
def _ner_cue_re() -> re.Pattern[str]:
    words = {*lexicon.titles(), *lexicon.triggers(), *_NER_CUES}
    return re.compile("|".join([*map(re.escape, sorted(words, key=len, reverse=True)), _SHORT_LIST]))


def tag(sentences: tuple[Sentence, ...] | list[Sentence]) -> list[list[ner.Span]]:
    """The NER's words of the sentences that hold a title or a cue word ([] for the others)."""
    wanted = [i for i, s in enumerate(sentences) if _ner_cue_re().search(s.text)]
    out: list[list[ner.Span]] = [[] for _ in sentences]
    for i, spans in zip(wanted, ner.tag([sentences[i].text for i in wanted]), strict=True):
        out[i] = spans
    return out


def find_mentions(article: Article, tagged: list[list[ner.Span]] | None = None) -> list[Found]:
    """Mentions of every sentence (`tagged`: the NER's words of each, tagged here if not given);
    names found with a title count everywhere in the article."""
    seg = segmenter()
    year = article.date.year if article.date else _year_in_text(article)
    if tagged is None:
        tagged = tag(article.sentences)
    tokens = [with_names(seg.tokens(s.text), spans) for s, spans in zip(article.sentences, tagged, strict=True)]
    first = [mentions.find(s.text, t, year=year, page=article.date, tagged=tuple(spans))
             for s, t, spans in zip(article.sentences, tokens, tagged, strict=True)]
    if year is None and (year := _year_of_first_event(first)) is not None:
        first = [replace(f, dates=tuple(dates(s.text, year, article.date))) for f, s in
                 zip(first, article.sentences, strict=True)]
    known = frozenset(m.name for f in first for m in f.persons)
    if not known:
        return first
    return [mentions.with_known(f, s.text, t, known) for f, s, t in zip(first, article.sentences, tokens, strict=True)]


def _year_in_text(article: Article) -> int | None:
    """The year of a page without a date: only from a full date written in it (2021年11月6日);
    a bare year (2022年度, 2021年党史学习教育) names a subject, not the day."""
    for s in article.sentences:
        m = re.search(r"((?:19|20)\d\d)年\d{1,2}月\d{1,2}日", s.text)
        if m:
            return int(m[1])
    return None


def _year_of_first_event(found: list[Found]) -> int | None:
    """The year written in the first named event of a page's opening (2023年迎国庆…篮球赛), for
    a page without a date; a year of account (2022年度民主生活会) is not the day's."""
    for f in found[:4]:
        named = [e for e in f.events if not generic_event(e.name)]
        if named:
            m = re.search(r"((?:19|20)\d\d)年(?!度)", named[0].name)
            return int(m[1]) if m else None
    return None


def extract_all(articles: list[Article]) -> list[Extraction]:
    """`extract` of every article, the NER run once over all their sentences (its batches fill up)."""
    tagged = tag([s for a in articles for s in a.sentences])
    out, i = [], 0
    for a in articles:
        out.append(extract(a, tagged[i:i + len(a.sentences)]))
        i += len(a.sentences)
    return out


def extract(article: Article, tagged: list[list[ner.Span]] | None = None) -> Extraction:
    """Run every rule over every sentence of one article (`tagged` as in `find_mentions`)."""
    found = [_qualified(f, s.text) for f, s in zip(find_mentions(article, tagged), article.sentences, strict=True)]
    ctx = ArticleContext.build(article, found)
    found = ctx.found = [ctx.resolvable(f) for f in found]
    if ctx.main_event is None:
        ctx.main_event = agreements.ceremony(ctx, found)
    ctx.visit = visits.find(ctx, found)
    if ctx.main_event is None and ctx.visit is not None and not any(
            named_events(f, s.text) and _HAPPENS.search(s.text) for s, f in zip(article.sentences, found, strict=True)):
        ctx.main_event = ctx.visit.event
    out = Extraction(article)
    for sent, f in zip(article.sentences, found, strict=True):
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
    out.triples = organizing.dated(out.triples, organizing.sentence_days(article, found))
    out.triples.extend(context.bylines(ctx, ctx.article_entity()))
    return out
