"""Administrative hierarchy (partOf) and bylines (author)."""
from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from kg import lexicon
from kg.extract.mentions import Found
from kg.extract.resolve import ArticleContext
from kg.extract.rules.common import chain_ends
from kg.model import Entity, Evidence, Sentence, Triple


def hierarchy(ctx: ArticleContext, sent: Sentence, found: Found) -> Iterator[Triple]:
    """partOf: chains written into names (江西省赣州市南康区, 炎陵县中村瑶族乡中村村), and
    divisions of the home city in a sentence that names it."""
    for child, parent in found.place_parents:
        yield Triple(ctx.place(child), "partOf", ctx.place(parent), Evidence(sent, "hierarchy.written_chain"))
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
