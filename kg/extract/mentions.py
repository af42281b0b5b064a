"""Typed spans of one sentence: persons with their posts, organisations, places, events, dates.

`find` runs the finders of `persons`, `places` (and organisations) and `events` (and agreements
and dates) over one sentence; everything there is generic: lexicons (kg/data) and patterns,
never names from articles.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from kg.extract.events import agreements, dates, events
from kg.extract.ner import Span
from kg.extract.persons import persons
from kg.extract.places import organisations, places
from kg.model import Mention, Token


@dataclass(frozen=True, slots=True)
class Found:
    """The mentions of one sentence."""

    persons: tuple[Mention, ...]
    posts: tuple[tuple[Mention, Mention], ...]   # (person, post) pairs; post.text as written
    orgs: tuple[Mention, ...]
    places: tuple[Mention, ...]                  # name = gazetteer or written full name
    place_parents: tuple[tuple[Mention, Mention], ...]  # (child, parent) written as a chain
    events: tuple[Mention, ...]
    agreements: tuple[Mention, ...]
    dates: tuple[Mention, ...]                   # name = ISO date


def find(text: str, tokens: tuple[Token, ...], *, known_persons: frozenset[str] = frozenset(),
         year: int | None = None, page: dt.date | None = None, tagged: tuple[Span, ...] = ()) -> Found:
    """All mentions of one sentence; `tagged` holds the NER's words of it."""
    ps, posts = persons(text, tokens, known_persons)
    pl, parents = places(text, tokens)
    return Found(tuple(ps), tuple(posts), tuple(organisations(text, tokens, tagged)), tuple(pl), tuple(parents),
                 tuple(events(text)), tuple(agreements(text)), tuple(dates(text, year, page)))


def with_known(found: Found, text: str, tokens: tuple[Token, ...], known: frozenset[str]) -> Found:
    """`found` with its persons found again, now that the article's names are known."""
    ps, posts = persons(text, tokens, known)
    return replace(found, persons=tuple(ps), posts=tuple(posts))
