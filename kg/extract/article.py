"""An article's mentions, found once: the NER over the sentences that need it, jieba's tokens
re-cut by its names, the mentions of every sentence with the names the article knows, and events
named by the body that holds them. The rules read these and never find mentions again."""
from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from kg import lexicon
from kg.extract import mentions, ner
from kg.extract.events import CN_NUM, dates, generic_event
from kg.extract.mentions import Found
from kg.extract.segment import default as segmenter
from kg.extract.segment import with_names
from kg.model import Article, Mention, Sentence

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
    if known:
        first = [mentions.with_known(f, s.text, t, known)
                 for f, s, t in zip(first, article.sentences, tokens, strict=True)]
    first = _short_references(first, article.sentences)
    return [_qualified(f, s.text) for f, s in zip(first, article.sentences, strict=True)]


def _surname_and_title(text: str) -> bool:
    """王书记, 欧阳主任: a surname and a title, a reference rather than a name."""
    single, double = lexicon.surnames()
    n = 2 if text[:2] in double else 1 if text[:1] in single else 0
    return bool(n) and text[n:] in lexicon.titles() and len(text) - n >= 2


def _short_references(found: list[Found], sentences: tuple[Sentence, ...]) -> list[Found]:
    """曹书记, 陈副市长: a surname with a title that the article gave one person is that person
    (a deputy's title only with its 副: 陈市长 is not the 副市长陈五)."""
    double = lexicon.surnames()[1]
    refs: dict[str, set[str]] = {}
    for f in found:
        for person, post in f.posts:
            surname = person.name[:2] if person.name[:2] in double else person.name[:1]
            for t in lexicon.titles():
                if len(t) >= 2 and post.text.endswith(t) and ("副" in t or "副" not in post.text):
                    refs.setdefault(surname + t, set()).add(person.name)
    unique = {ref: next(iter(names)) for ref, names in refs.items() if len(names) == 1}
    pattern = re.compile("|".join(map(re.escape, sorted(unique, key=len, reverse=True)))) if unique else None
    out = []
    for f, sent in zip(found, sentences, strict=True):
        persons = [replace(m, name=unique[m.text]) if m.text in unique else m for m in f.persons
                   if m.text in unique or not _surname_and_title(m.text)]  # 李主任 of no one: not a name
        taken = [(m.start, m.end) for m in (*persons, *(p for _, p in f.posts), *f.orgs, *f.places)]
        persons += [Mention("Person", m[0], m.start(), m.end(), unique[m[0]]) for m in
                    (pattern.finditer(sent.text) if pattern else ())
                    if not any(a < m.end() and m.start() < b for a, b in taken)]
        out.append(replace(f, persons=tuple(sorted(persons, key=lambda m: m.start))) if persons != list(f.persons)
                   else f)
    return out


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
