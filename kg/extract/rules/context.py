"""Administrative hierarchy (partOf) and bylines (author)."""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from kg import lexicon
from kg.extract.mentions import Found
from kg.extract.places import NOT_NAME as _NOT_NAME
from kg.extract.resolve import ArticleContext
from kg.extract.rules.common import chain_ends
from kg.model import Entity, Evidence, Mention, Sentence, Triple


def hierarchy(ctx: ArticleContext, sent: Sentence, found: Found) -> Iterator[Triple]:
    """partOf: chains written into names (江西省赣州市南康区, 炎陵县中村瑶族乡中村村), and
    divisions of the home city in a sentence that names it."""
    for child, parent in found.place_parents:
        yield Triple(ctx.place(child), "partOf", ctx.place(parent), Evidence(sent, "hierarchy.written_chain"))
    yield from _villages_of_the_town(ctx, sent)
    g = lexicon.gazetteer()
    if not ctx.home_code:
        return
    home = ctx.place_by_code(ctx.home_code)
    if not any(w in sent.text for w in _names(ctx.home_code)):
        return  # 荷塘区 in 株洲日报: partOf 株洲市 only where the sentence names the city
    for m in chain_ends(found):
        d = g.by_code.get(m.name)
        if d is not None and d.parent == ctx.home_code and d.current:
            yield Triple(ctx.place(m), "partOf", home, Evidence(sent, "hierarchy.home_city"))


_IN_TOWN = re.compile(r"在(?P<town>[\u4e00-\u9fff]{2,8}?(?:乡|镇|苏木|街道)),")
_VILLAGE = re.compile(r"(?<=[到入进、])(?P<village>[\u4e00-\u9fff]{2,6}?(?:村|嘎查|社区))")


def _villages_of_the_town(ctx: ArticleContext, sent: Sentence) -> Iterator[Triple]:
    """`在阿日昆都楞镇,宝龙先后到A嘎查、B嘎查`: villages visited in the town a sentence opens with."""
    t = _IN_TOWN.match(sent.text)
    if t is None or _NOT_NAME.search(t["town"]) or t["town"][:1] in "全各本该每":
        return
    town = ctx.place(Mention("Place", t["town"], t.start("town"), t.end("town"), t["town"]))
    for v in _VILLAGE.finditer(sent.text, t.end()):
        name = v["village"]
        if not _NOT_NAME.search(name) and name[:1] not in "村镇乡该全各本每":
            village = ctx.place(Mention("Place", name, v.start(), v.end(), name))
            yield Triple(village, "partOf", town, Evidence(sent, "hierarchy.town_of_the_sentence"))


@cache
def _names(code: str) -> tuple[str, ...]:
    """A division's name and its short forms (株洲市, 株洲)."""
    g = lexicon.gazetteer()
    name = g.by_code[code].name
    return (name, *(s for s, full in g.short.items() if full == name))


def bylines(ctx: ArticleContext, article_entity: Entity) -> Iterator[Triple]:
    """author: every reporter, correspondent and photographer of the byline and photo credits."""
    headline = ctx.article.sentences[0]
    for a in ctx.article.authors:
        if a.name:
            yield Triple(article_entity, "author", Entity("Person", a.name, a.name),
                         Evidence(headline, "byline", a.role))
