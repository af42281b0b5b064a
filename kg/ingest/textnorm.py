"""Character-level normalisation that keeps offsets: one character in, one out."""
from __future__ import annotations

import unicodedata

# Full-width ASCII (U+FF01–FF5E) to half-width, ideographic space to space; each
# maps one character to one, so positions in normalised text are raw positions.
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_FOLD |= {ord("﹐"): ord(","), ord("﹔"): ord(";"), ord("﹕"): ord(":")}
FOLD = str.maketrans(_FOLD)

TERMINAL = "。!?…"
CLOSING = "”’」』\"')》"


def fold(text: str) -> str:
    """Fold full-width ASCII to half-width, keeping the length.

    >>> fold("株洲日报讯（记者／李）：")
    '株洲日报讯(记者/李):'
    """
    return text.translate(FOLD)


def norm_key(text: str) -> str:
    """The comparison form of a name: NFKC, lower case, no spaces, no punctuation.

    >>> norm_key("“跨省通办” 政务服务")
    '跨省通办政务服务'
    """
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(c for c in text if not c.isspace() and c not in "<>"
                   and not unicodedata.category(c).startswith("P"))


def is_cjk(ch: str) -> bool:
    """True for a CJK ideograph (BMP or beyond)."""
    cp = ord(ch)
    return 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x3134F or 0xF900 <= cp <= 0xFAFF
