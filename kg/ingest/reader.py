"""Raw Markdown pages to Articles: decoding, front matter, articles, bylines, sentences."""
from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from kg import lexicon
from kg.errors import RawFormatError
from kg.ingest.textnorm import CLOSING, TERMINAL, fold, is_cjk, norm_key
from kg.model import Article, Author, Sentence

MAX_FRONT_MATTER_LINES = 200
MAX_LINE = 100_000  # characters; a longer line is not a newspaper paragraph
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_CHINESE_CODECS = ("gb18030", "big5", "big5hkscs", "gbk", "gb2312", "hz", "utf_16", "utf_16_le", "utf_16_be")

_DATELINE = re.compile(r"^\s*(?P<paper>[\u4e00-\u9fff]{1,12}?)(?:\d{1,2}月\d{1,2}日)?(?:讯|消息)\s*"
                       r"(?:\((?P<inner>[^()]{1,80})\))?\s*")
_REPORTER_LEAD = re.compile(r"^\s*(?P<inner>(?:本报|[\u4e00-\u9fff]{2,8}?)?(?:全媒体|融媒体|特约|首席|见习|实习)?"
                            r"记者\s*[\u4e00-\u9fff]{2,4}(?:\s+[\u4e00-\u9fff]{2,4})*)\s*(?:报道)?\s*[  ]")
_ROLE = re.compile(r"(?:[\u4e00-\u9fff]{0,8}?)"
                   r"((?:全媒体|融媒体|特约|首席|见习|实习|本报|摄影)?记者|通讯员|实习生|摄影|编辑|责任编辑)$")
_PHOTO_CREDIT = re.compile(
    r"\s*(?P<paper>[\u4e00-\u9fff]{0,8}?)(?P<role>(?:全媒体|融媒体|摄影|本报)?记者|通讯员)\s*/?\s*"
    r"(?P<names>[\u4e00-\u9fff]{2,4}(?:[ 、][\u4e00-\u9fff]{2,4})*)\s*/?\s*摄\s*$")
_SUPPLIED = re.compile(r"\s*(?:受访者|受访单位|通讯员|资料图片|图片由[\u4e00-\u9fff]{1,12})提供\s*$"
                       r"|\s*\(?资料图\)?\s*$")
_FURNITURE = re.compile(r"^\s*(?:发布时间|发布日期|发稿时间|更新时间|时间|日期|来源|作者|编辑|责任编辑|责编|"
                        r"浏览次数|点击数|阅读次数|字号|"
                        r"信息来源|文章来源|【字体|打印|关闭|分享到)\s*[:：]")
_META_FIELDS = re.compile(r"^\s*(?:(?:发布时间|发布日期|发稿时间|更新时间|时间|日期|来源|作者|编辑|责任编辑|责编|"
                          r"浏览次数|点击数|阅读次数|字号|信息来源|文章来源)\s*[:：]\s*\S*(?:\s+[\d:]+(?=\s|$))?\s*)+"
                          r"(?:正文\s*[:：]?\s*)?")


def _glued_body(text: str) -> int:
    """Where the body starts in a metadata line it is glued to (发布时间:… 责任编辑:王五 正文 3月9日,…):
    after the last field, when a sentence follows; else the line's end."""
    m = _META_FIELDS.match(text)
    rest = text[m.end():] if m else ""
    return m.end() if m and "。" in rest and len(re.findall(r"[\u4e00-\u9fff]", rest)) >= 10 else len(text)


_ISO_DATE = re.compile(r"(20\d\d|19\d\d)[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
_IMAGE = re.compile(r"^\s*!\[[^\]]*\]\([^)]*\)\s*$")


@dataclass(frozen=True, slots=True)
class _Para:
    """A paragraph: its folded text, where it starts in the raw text, its kind."""

    text: str
    start: int
    kind: str
    gaps: tuple[tuple[int, int], ...] = ()


def decode(data: bytes, path: object = "<bytes>") -> str:
    """Bytes of a raw page to text: BOMs, UTF-8, then Chinese legacy codecs.

    >>> decode("株洲".encode("gb18030"))
    '株洲'
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as e:
                raise RawFormatError(path, 1, f"bad {codec} after its byte-order mark: {e.reason}") from e
    if b"\x00" in data:
        at = data.index(b"\x00")
        raise RawFormatError(path, data[:at].count(b"\n") + 1, "binary data (NUL byte), not a text page")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _decode_legacy(data, path)
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise RawFormatError(path, line, "binary data (NUL byte), not a text page")
    return text


def _decode_legacy(data: bytes, path: object) -> str:
    """GB18030 when nearly every character is a common simplified one, else Big5, else a guess."""
    try:
        text = data.decode("gb18030")
        wide = [c for c in text if not c.isascii()]
        if not wide or sum(_in_gb2312(c) for c in wide) >= 0.95 * len(wide):
            return text
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("big5")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=list(_CHINESE_CODECS)).best()
    if best is not None:
        text = str(best)
        if sum(1 for c in text if is_cjk(c)) >= 0.5 * max(1, sum(1 for c in text if not c.isascii())):
            return text
    line = data[: _first_bad_utf8(data)].count(b"\n") + 1
    raise RawFormatError(path, line, "not UTF-8, and no Chinese encoding (GB18030, Big5, UTF-16) fits")


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _first_bad_utf8(data: bytes) -> int:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        return e.start
    return len(data)


def read(path: Path, root: Path | None = None) -> list[Article]:
    """Read one raw page into its articles; RawFormatError names file and line."""
    name = path.relative_to(root).as_posix() if root else path.name
    try:
        data = path.read_bytes()
    except OSError as e:
        raise RawFormatError(name, 0, f"cannot read: {e.strerror}") from e
    return parse(decode(data, name), name)


def parse(text: str, source: str = "<text>") -> list[Article]:
    """Parse the decoded text of a page (front matter, then `## ` articles)."""
    if not text.strip():
        raise RawFormatError(source, 1, "empty page")
    text = text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
    meta, body_line = _front_matter(text, source)
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if len(line) > MAX_LINE:
            raise RawFormatError(source, i + 1, f"line of {len(line):,} characters (at most {MAX_LINE:,}): "
                                                "not a page of articles")
    offsets, pos = [], 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    heads = [i for i in range(body_line, len(lines)) if lines[i].startswith("## ")]
    if not heads:
        if any(re.search(r"(?i)<(html|body|div|p)\b", ln) for ln in lines[:50]):
            raise RawFormatError(source, 1, "looks like HTML, not a Markdown page; save the article text instead")
        h1 = next((i for i in range(body_line, len(lines)) if lines[i].startswith("# ")), None)
        if h1 is not None:
            raise RawFormatError(source, h1 + 1, f"no article: {lines[h1][:40]!r} is a '# ' heading; "
                                                 "each article starts with a '## ' headline")
        raise RawFormatError(source, body_line + 1, "no article: a page needs at least one '## ' headline")
    page_date = _parse_date(meta.get("date"), source, meta.get("_date_line", 1))
    city = meta.get("city") or lexicon.home_city(meta.get("paper", ""))
    stem = re.sub(r"[^\w.-]+", "-", source.rsplit(".", 1)[0]).strip("-") or "page"
    articles = []
    for n, h in enumerate(heads):
        end = heads[n + 1] if n + 1 < len(heads) else len(lines)
        articles.append(_article(lines, offsets, h, end, source, f"{stem}-{n + 1:02d}", meta, page_date, city))
    return articles


def _front_matter(text: str, source: str) -> tuple[dict[str, str], int]:
    lines = text.split("\n", MAX_FRONT_MATTER_LINES + 2)
    first = next((i for i, ln in enumerate(lines) if ln.strip()), 0)
    if lines[first].strip() != "---":
        return {}, 0
    meta: dict[str, str] = {}
    for i in range(first + 1, min(len(lines), MAX_FRONT_MATTER_LINES + 1)):
        line = lines[i]
        if line.strip() == "---":
            return meta, i + 1
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if not sep or not key.strip() or " " in key.strip():
            raise RawFormatError(source, i + 1, f"front matter line is not 'key: value': {line[:60]!r}")
        key = key.strip().lower()
        meta[key] = value.strip().strip("'\"")
        if key == "date":
            meta["_date_line"] = str(i + 1)
    raise RawFormatError(source, first + 1, "front matter opened with '---' is never closed")


def _parse_date(value: str | None, source: str, line: object) -> dt.date | None:
    if not value or value.strip().lower() in ("unknown", "none", "null", "n/a", "未知", "-"):
        return None
    m = _ISO_DATE.search(fold(value))
    try:
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        return dt.date.fromisoformat(value[:10])
    except ValueError as e:
        raise RawFormatError(source, int(str(line)), f"front matter date is not a date: {value!r}") from e


def _article(lines: list[str], offsets: list[int], h: int, end: int, source: str, art_id: str,
             meta: dict[str, str], page_date: dt.date | None, city: str | None) -> Article:
    headline = lines[h][3:].strip()
    head_start = offsets[h] + 3 + (len(lines[h][3:]) - len(lines[h][3:].lstrip()))
    paras: list[_Para] = []
    authors: list[Author] = []
    date = page_date
    seen_body = False
    for i in range(h + 1, end):
        raw = lines[i]
        text = fold(raw)
        if not text.strip() or _IMAGE.match(text):
            continue
        start = offsets[i]
        if _FURNITURE.match(text):
            meta_end = _glued_body(text)
            m = _ISO_DATE.search(text, 0, meta_end)
            if m and date is None:
                with contextlib.suppress(ValueError):  # not a real day
                    date = dt.date(int(m[1]), int(m[2]), int(m[3]))
            if meta_end == len(text):
                continue
            start, text = start + meta_end, text[meta_end:]  # 发布时间:… 责任编辑:… 正文 5月6日,…: the body read
        if text.startswith("#"):
            stripped = text.lstrip("#")
            paras.append(_Para(stripped.strip(), start + len(text) - len(stripped.lstrip()), "heading"))
            continue
        if text.lstrip().startswith(("- ", "* ", "+ ")):
            lead = len(text) - len(text.lstrip()) + 2
            paras.append(_Para(text[lead:].rstrip(), start + lead, "list"))
            continue
        lead = len(text) - len(text.lstrip())
        text, start = text.strip(), start + lead
        text, start, found = _strip_byline(text, start)
        if found:
            authors += found
            seen_body = True
        caption_credit = _PHOTO_CREDIT.search(text) or _SUPPLIED.search(text)
        kind = "body" if seen_body or found else "deck"
        if caption_credit:
            m = _PHOTO_CREDIT.search(text)
            if m:
                authors += [Author(n, "摄影" if m["role"] in ("记者", "全媒体记者", "融媒体记者", "本报记者")
                                   else m["role"]) for n in re.split(r"[ 、]", m["names"]) if n]
            text = text[: caption_credit.start()].rstrip()
            kind = "caption"
        elif not seen_body and (len(text) > 60 or text[-1:] in TERMINAL + CLOSING):
            kind, seen_body = "body", True
        if text:
            paras.append(_Para(text, start, kind))
    paras = _join_page_breaks(_drop_repeats(paras))
    sentences = [Sentence(0, fold(headline), head_start, head_start + len(headline), "headline")]
    seen: list[str] = [norm_key(headline)]
    for p in paras:
        for text, s, e, gaps in _split(p):
            key = norm_key(text)
            if not key or any(k == key or (len(key) >= 8 and k.startswith(key)) for k in seen):
                continue
            seen.append(key)
            sentences.append(Sentence(len(sentences), text, s, e, p.kind, gaps))
    return Article(
        id=art_id, source=source, line=h + 1, headline=headline, sentences=tuple(sentences),
        paper=meta.get("paper") or None, city=city, date=date, url=meta.get("url") or None,
        authors=tuple(dict.fromkeys(authors)),
    )


def _strip_byline(text: str, start: int) -> tuple[str, int, list[Author]]:
    """Remove a leading dateline/byline; return the rest, its offset, the authors."""
    m = _DATELINE.match(text)
    if m and (m["inner"] or len(m["paper"]) >= 2) and (m["paper"].endswith(("报", "台", "网", "社", "刊", "本报"))
                                                        or m["inner"] or m["paper"].endswith("新闻")):
        authors = _parse_credit(m["inner"] or "")
        return text[m.end():], start + m.end(), authors or [Author("", "dateline")]
    m = _REPORTER_LEAD.match(text)
    if m:
        return text[m.end():], start + m.end(), _parse_credit(m["inner"])
    return text, start, []


def _parse_credit(inner: str) -> list[Author]:
    """`全媒体记者/李逸峰 通讯员/谭洪汀 张菁` → authors with roles.

    >>> [(a.name, a.role) for a in _parse_credit("全媒体记者/李逸峰 通讯员/谭洪汀 张菁")]
    [('李逸峰', '全媒体记者'), ('谭洪汀', '通讯员'), ('张菁', '通讯员')]
    """
    authors, role, roled = [], "记者", False
    for part in re.split(r"[\s/、,]+", inner.strip()):
        if not part:
            continue
        m = _ROLE.search(part)
        if m:
            role, roled = m[1], True
            rest = part[: m.start(1)]
            if rest and not rest.endswith(("报", "台", "网", "社")) and 2 <= len(rest) <= 4:
                authors.append(Author(rest, role))
            continue
        for role_word in ("记者", "通讯员"):
            if part.startswith(role_word) and 2 <= len(part) - len(role_word) <= 4:
                role, part, roled = role_word, part[len(role_word):], True
        # with no role word, only what looks like a name: 新华社消息(新闻联播) names a programme
        if 2 <= len(part) <= 4 and all(is_cjk(c) for c in part) and (roled or lexicon.starts_with_surname(part)):
            authors.append(Author(part, role))
    return authors


def _drop_repeats(paras: list[_Para]) -> list[_Para]:
    """Drop paragraphs that repeat an earlier one, whole or cut short."""
    kept: list[_Para] = []
    keys: list[str] = []
    for p in paras:
        key = norm_key(p.text)
        if len(key) >= 10 and any(k.startswith(key) for k in keys):
            continue
        longer = [i for i, k in enumerate(keys) if len(k) >= 10 and key.startswith(k)]
        if longer:
            kept[longer[0]], keys[longer[0]] = p, key
            continue
        kept.append(p)
        keys.append(key)
    return kept


def _join_page_breaks(paras: list[_Para]) -> list[_Para]:
    """Join a body paragraph cut mid-sentence by a page break to the next one."""
    out: list[_Para] = []
    for p in paras:
        prev = out[-1] if out else None
        if (prev is not None and prev.kind == "body" and p.kind == "body"
                and prev.text[-1] not in TERMINAL + CLOSING + ":;"):
            gap = p.start - (prev.start + len(prev.text) + sum(n for _, n in prev.gaps))
            out[-1] = _Para(prev.text + p.text, prev.start, "body", (*prev.gaps, (len(prev.text), gap)))
        else:
            out.append(p)
    return out


_SPLIT = re.compile(r"[。!?…;]+[”’」』\"']*|(?<=[”」』])(?=[\u4e00-\u9fff]{1,6}(?:说|表示|指出|强调))")


def _split(p: _Para) -> Iterator[tuple[str, int, int, tuple[tuple[int, int], ...]]]:
    """Split a paragraph into sentences: (text, raw start, raw end, gaps)."""
    probe = Sentence(0, p.text, p.start, 0, gaps=p.gaps)
    pos = 0
    for m in _SPLIT.finditer(p.text):
        yield from _piece(p, probe, pos, m.end())
        pos = m.end()
    yield from _piece(p, probe, pos, len(p.text))


def _piece(p: _Para, probe: Sentence, a: int, b: int) -> Iterator[tuple[str, int, int, tuple[tuple[int, int], ...]]]:
    while a < b and p.text[a].isspace():
        a += 1
    while b > a and p.text[b - 1].isspace():
        b -= 1
    if a >= b:
        return
    gaps = tuple((at - a, n) for at, n in p.gaps if a < at < b)
    yield p.text[a:b], probe.raw_offset(a), probe.raw_offset(b - 1) + 1, gaps
