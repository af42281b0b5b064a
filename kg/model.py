"""The contracts between pipeline stages: small frozen dataclasses."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Author:
    """A byline or photo-credit name with its role as written (全媒体记者, 通讯员, 摄影)."""

    name: str
    role: str


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of an article.

    `text` is the sentence with full-width ASCII folded to half-width (one character
    for one, so positions agree with the raw text) and page-break gaps removed;
    `start`/`end` are offsets into the decoded raw file; `gaps` records where a
    page break was joined: (position in text, raw characters skipped there).
    """

    index: int
    text: str
    start: int
    end: int
    kind: str = "body"  # headline | deck | body | caption | list | heading
    gaps: tuple[tuple[int, int], ...] = ()

    def raw_offset(self, pos: int) -> int:
        """Offset in the raw file of position `pos` of `text`.

        >>> Sentence(0, "涵盖湘剧", 10, 16, gaps=((3, 2),)).raw_offset(3)
        15
        """
        skipped = sum(n for at, n in self.gaps if at <= pos)
        return self.start + pos + skipped


@dataclass(frozen=True, slots=True)
class Article:
    """One article of a raw page: headline, metadata and its sentences."""

    id: str
    source: str
    line: int
    headline: str
    sentences: tuple[Sentence, ...]
    paper: str | None = None
    city: str | None = None
    date: dt.date | None = None
    url: str | None = None
    authors: tuple[Author, ...] = ()


@dataclass(frozen=True, slots=True)
class Token:
    """A jieba token with its part-of-speech tag and offsets in the sentence text."""

    text: str
    pos: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Mention:
    """A typed span of a sentence: `text` as written, `name` its resolved full form."""

    kind: str
    text: str
    start: int
    end: int
    name: str = ""


@dataclass(frozen=True, slots=True, order=True)
class Entity:
    """A resolved node: `key` is its identity (it mints the IRI), `label` its name."""

    kind: str
    key: str
    label: str
    aliases: frozenset[str] = frozenset()
    adcode: str | None = None


@dataclass(frozen=True, slots=True, order=True)
class Value:
    """A literal object: a date (ISO) or a post title."""

    text: str
    datatype: str = "string"  # string | date


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a triple was read: the sentence, the rule, a role, and the day the statement is of:
    `day` (ISO) with `day_from`: sentence (the sentence gives it: 6月2日, 昨日, 上午 of the page),
    context (an earlier sentence of the article gives it) or article (its date: the fallback)."""

    sentence: Sentence
    rule: str
    role: str | None = None
    day: str | None = None
    day_from: str | None = None


@dataclass(frozen=True, slots=True)
class Triple:
    """One extracted statement with its evidence."""

    subject: Entity
    predicate: str
    object: Entity | Value
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class Attribute:
    """A non-relational fact about an entity, e.g. an amount: (entity, property, text)."""

    entity: Entity
    predicate: str
    value: str
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class Visit:
    """The visit an article reports: its leader, its destinations and (when named) its event."""

    leader: Mention
    sentence: Sentence
    destinations: tuple[Mention, ...]
    event: Entity | None


@dataclass(slots=True)
class Extraction:
    """What one article yields: its triples and attributes."""

    article: Article
    triples: list[Triple] = field(default_factory=list)
    attributes: list[Attribute] = field(default_factory=list)
