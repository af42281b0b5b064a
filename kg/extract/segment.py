"""jieba, wrapped once: an own Tokenizer with the project's user dictionary."""
from __future__ import annotations

import logging
from functools import cache

import jieba
import jieba.posseg

from kg import lexicon
from kg.extract.places import ZONES
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
