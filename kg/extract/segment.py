"""jieba, wrapped once: an own Tokenizer with the project's user dictionary."""
from __future__ import annotations

import logging
from functools import cache

import jieba
import jieba.posseg

from kg import lexicon
from kg.extract import ner
from kg.extract.places import ZONES
from kg.ingest.textnorm import is_cjk
from kg.model import Token

jieba.setLogLevel(logging.WARNING)


class Segmenter:
    """Part-of-speech tokens with offsets, from a private jieba instance.

    The user dictionary holds the generic lexicons (titles, trigger verbs, event
    nouns) and every administrative division, so that 石峰区 or 列席 come out whole.
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
        """Tokens of `text` with their tags and character offsets.

        >>> [t.text for t in default().tokens("市委书记曹慧泉列席会议")][:2]
        ['市委书记', '曹慧泉']
        """
        out, pos = [], 0
        for pair in self.pos.cut(text):
            word, flag = pair.word, pair.flag
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


def with_names(tokens: tuple[Token, ...], spans: list[ner.Span]) -> tuple[Token, ...]:
    """`tokens` re-cut so that every name the NER found is one token, tagged `PER`.

    Where a name's edges fall inside jieba's tokens (曹富/强陪/同), the tokens it touches
    are replaced by the NER's words over the same stretch (曹富强/陪同), with their tags.
    """
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
