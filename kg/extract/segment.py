"""jieba, wrapped once: an own Tokenizer with the project's user dictionary."""
from __future__ import annotations

import logging
from functools import cache

import jieba
import jieba.posseg

from kg import lexicon
from kg.extract import ner
from kg.extract.persons import is_title
from kg.extract.places import ZONES
from kg.ingest.textnorm import is_cjk
from kg.model import Token

jieba.setLogLevel(logging.WARNING)


class Segmenter:
    """Part-of-speech tokens with offsets, from a private jieba instance.

    The user dictionary holds the generic lexicons (titles, trigger verbs, event
    nouns) and every administrative division, so that 石峰区 or 列席 come out whole.
    Words outside the dictionary are left as characters (no HMM: it was three quarters
    of the extraction's time); names among them are the NER's (`with_names`).
    """

    def __init__(self) -> None:
        self.tokenizer = jieba.Tokenizer()
        self.tokenizer.initialize()
        for name in lexicon.gazetteer().by_name:
            self.tokenizer.add_word(name, 2000, "ns")
        for word in lexicon.titles():
            self.tokenizer.add_word(word, 3000, "n")
        for word in lexicon.org_suffixes():
            if len(word) >= 3:
                self.tokenizer.add_word(word, 3000, "nt")
        for word in ZONES:
            self.tokenizer.add_word(word, 3000, "ns")
        for word in lexicon.triggers():
            self.tokenizer.add_word(word, 5000, "v")
        self.pos = jieba.posseg.POSTokenizer(self.tokenizer)

    def tokens(self, text: str) -> tuple[Token, ...]:
        """Dictionary words of `text` with their tags and character offsets.

        >>> [t.text for t in default().tokens("市委书记曹慧泉列席会议")]
        ['市委书记', '曹', '慧', '泉', '列席会议']
        """
        out, pos = [], 0
        for pair in self.pos.cut(text, HMM=False):
            word, flag = pair.word, pair.flag
            if flag == "x" and is_cjk(word[0]):
                flag = "n"  # a character outside the dictionary (娲石集团)
            elif flag == "eng" and word.isdigit():
                flag = "m"
            out.append(Token(word, flag, pos, pos + len(word)))
            pos += len(word)
        return tuple(out)


@cache
def default() -> Segmenter:
    """The process-wide segmenter (built on first use, not at import)."""
    return Segmenter()


# LAC's tags in jieba's tag set: the entity tags become jieba's name tags
_LAC_TO_JIEBA = {"PER": "nr", "LOC": "ns", "ORG": "nt", "TIME": "t", "w": "x", "nw": "nz"}


def _is_name(span: ner.Span) -> bool:
    """A PER span that can be a Chinese name: 2-4 Chinese characters."""
    return span.label == "PER" and 2 <= len(span.text) <= 4 and all(
        is_cjk(c) for c in span.text)


def _inside_organisations(tokens: tuple[Token, ...], spans: list[ner.Span]) -> tuple[Token, ...]:
    """Single characters inside an organisation the NER found are name parts (株洲中/车/物流有限公司),
    whatever the dictionary tags them alone."""
    orgs = [s for s in spans if s.label == "ORG" and s.text.endswith(lexicon.org_suffixes())]
    if not orgs:
        return tokens
    return tuple(Token(t.text, "n", t.start, t.end) if len(t.text) == 1 and is_cjk(t.text) and any(
        o.start <= t.start and t.end < o.end for o in orgs) else t for t in tokens)


def _surname_left_out(tokens: tuple[Token, ...], spans: list[ner.Span]) -> list[ner.Span]:
    """Two-character names the NER cut off their surname (组织部长应|尧刚): the surname alone
    between a title and the name joins it."""
    single, _ = lexicon.surnames()
    ends = {t.end: t for t in tokens}
    out = list(spans)
    for s in spans:
        before = ends.get(s.start)
        if (s.label == "PER" and len(s.text) == 2 and before is not None and before.text in single
                and before.start in ends and is_title(ends[before.start].text)):
            merged = [x for x in out if not (x.start >= before.start and x.end <= s.end)]
            out = [*merged, ner.Span(before.text + s.text, "PER", before.start, s.end)]
    return sorted(out, key=lambda x: x.start)


def with_names(tokens: tuple[Token, ...], spans: list[ner.Span]) -> tuple[Token, ...]:
    """`tokens` re-cut so that every name the NER found is one token, tagged `PER`.

    Where a name's edges fall inside jieba's tokens (曹富/强陪/同), the tokens it touches
    are replaced by the NER's words over the same stretch (曹富强/陪同), with their tags.
    """
    spans = _surname_left_out(tokens, spans)
    tokens = _inside_organisations(tokens, spans)
    names = [s for s in spans if _is_name(s) and not any(  # jieba's 应尧刚 over the NER's 尧刚
        t.pos in ("nr", "nrfg") and t.start <= s.start and s.end <= t.end and len(s.text) < len(t.text) <= 4
        for t in tokens)]
    if not names:
        return tokens
    out: list[Token] = []
    i = 0
    for name in names:
        while i < len(tokens) and tokens[i].end <= name.start:
            out.append(tokens[i])
            i += 1
        if i >= len(tokens) or tokens[i].start >= name.end:
            continue
        a = min(tokens[i].start, name.start)
        while i < len(tokens) and tokens[i].start < name.end:
            i += 1
        z = tokens[i - 1].end
        for s in spans:
            if s.end > a and s.start < z:
                lo, hi = max(s.start, a), min(s.end, z)
                text = s.text[lo - s.start:hi - s.start]
                out.append(Token(text, "PER" if s is name else _LAC_TO_JIEBA.get(s.label, s.label), lo, hi))
    out.extend(tokens[i:])
    return tuple(out)
