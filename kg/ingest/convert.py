"""JSONL articles to raw Markdown pages that `kg build` reads.

Each input line is one article, `{"id", "title", "text", "date", "source", "url"}`
(gzip or plain). Articles are grouped by (source, date) in input order and cut into
pages of at most `per_page` articles, so a day of one source is one page (or a few):
adding a day adds pages and leaves the others' bytes, and their cached extractions, as
they were. Page names depend only on the source, the date and the page's number:
`{date|undated}-{ASCII part of the source}-{8 hex digits of its SHA-1}-{page:03d}.md`.

A page is front matter (`paper:` the source, `date:` when known, `url:` when every
article of the page has the same one), then per article a `## title` line and the
text's paragraphs, one per line with a blank line between. Titles and values are
folded to one line and control characters dropped; a paragraph that starts with `#`
is escaped as `\\#`, so no text can open a new article or end the front matter.
"""
from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from kg.errors import RawFormatError

PER_PAGE = 50
UNTITLED = "(无标题)"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_SPACE = re.compile(r"\s+")


@dataclass
class ConvertReport:
    """What a conversion read and wrote."""

    articles: int = 0
    pages: int = 0
    written: int = 0
    skipped: list[RawFormatError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"{self.articles} articles in {self.pages} pages ({self.written} written, "
                 f"{self.pages - self.written} unchanged), {len(self.skipped)} lines skipped"]
        lines += [f"warning: {w}" for w in self.warnings]
        lines += [f"skipped: {e}" for e in self.skipped]
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class _Item:
    title: str
    paragraphs: tuple[str, ...]
    url: str | None


def one_line(text: str) -> str:
    r"""Text as one clean line: control characters dropped, every run of white space one space.

    >>> one_line(" 两地\n签约\u2028--- \x00完 ")
    '两地 签约 --- 完'
    """
    return _SPACE.sub(" ", _CONTROL.sub(" ", _SURROGATE.sub("\ufffd", text))).strip()


def paragraphs(text: str) -> tuple[str, ...]:
    r"""The non-blank lines of `text`, cleaned; a leading `#` escaped so it cannot start an article.

    >>> paragraphs("## 不是标题\r\n\n  正文。 \u2028---")
    ('\\## 不是标题', '正文。', '---')
    """
    out = []
    for line in _SURROGATE.sub("\ufffd", text).splitlines():
        line = _CONTROL.sub("", line).strip()
        if line:
            out.append("\\" + line if line.startswith("#") else line)
    return tuple(out)


def slug(source: str) -> str:
    """A short ASCII name for a source plus a digest of the whole string (distinct sources, distinct slugs).

    >>> slug("CCTV 新闻联播 transcript")
    'cctv-transcript-95c984fb'
    """
    ascii_part = re.sub(r"[^0-9a-z]+", "-", unicodedata.normalize("NFKC", source).lower()).strip("-")[:32].strip("-")
    digest = hashlib.sha1(source.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{ascii_part}-{digest}" if ascii_part else digest


def page_name(source: str, date: str | None, number: int) -> str:
    """The file name of the `number`-th page (from 1) of a source and day.

    >>> page_name("新华日报", "2024-05-01", 2)
    '2024-05-01-8fa19bca-002.md'
    """
    return f"{date or 'undated'}-{slug(source)}-{number:03d}.md"


def render_page(source: str, date: str | None, items: list[_Item]) -> str:
    """The Markdown of one page."""
    head = ["---"]
    if source:
        head.append(f"paper: {source}")
    if date:
        head.append(f"date: {date}")
    urls = {i.url for i in items}
    if len(urls) == 1 and (url := urls.pop()):
        head.append(f"url: {url}")
    head.append("---")
    parts = ["\n".join(head)]
    for item in items:
        parts.append(f"## {item.title}")
        parts.extend(item.paragraphs)
    return "\n\n".join(parts) + "\n"


def jsonl_to_pages(jsonl_path: Path, out_dir: Path, per_page: int = PER_PAGE, *,
                   limit: int | None = None) -> ConvertReport:
    """Write the articles of a JSONL file (plain or gzip) as raw pages into `out_dir`.

    Only the first `limit` articles when given. Pages whose bytes would not change are
    left alone; files already in `out_dir` that this conversion does not produce are not
    removed (convert into an empty folder when the JSONL lost articles). Malformed lines
    are skipped and named in the report.
    """
    if per_page < 1:
        raise ValueError(f"per_page must be at least 1, not {per_page}")
    report = ConvertReport()
    groups: dict[tuple[str, str | None], list[_Item]] = {}
    for source, date, item in _read(Path(jsonl_path), report):
        if limit is not None and report.articles >= limit:
            break
        groups.setdefault((source, date), []).append(item)
        report.articles += 1
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for (source, date), items in sorted(groups.items(), key=lambda kv: (kv[0][1] or "", kv[0][0])):
        for n, start in enumerate(range(0, len(items), per_page), start=1):
            data = render_page(source, date, items[start:start + per_page]).encode("utf-8")
            report.pages += 1
            report.written += _write_if_changed(out_dir / page_name(source, date, n), data)
    return report


def _read(path: Path, report: ConvertReport) -> Iterator[tuple[str, str | None, _Item]]:
    with _open(path) as f:
        for lineno, raw in enumerate(f, start=1):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw.decode("utf-8"))
                if not isinstance(record, dict):
                    raise ValueError("not a JSON object")
                title, text = _text(record, "title"), _text(record, "text")
                source, date, url = _text(record, "source"), _text(record, "date"), _text(record, "url")
            except (UnicodeDecodeError, ValueError) as e:
                report.skipped.append(RawFormatError(path.name, lineno, f"not an article: {e}"))
                continue
            paras = paragraphs(text)
            title = one_line(title) or UNTITLED
            if title == UNTITLED and not paras:
                report.skipped.append(RawFormatError(path.name, lineno, "no title and no text"))
                continue
            day = _date(one_line(date))
            if date and day is None:
                report.warnings.append(f"{path.name}:{lineno}: date {date[:40]!r} is not YYYY-MM-DD; page undated")
            yield one_line(source), day, _Item(title, paras, one_line(url) or None)


def _text(record: dict[str, Any], key: str) -> str:
    value = record.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{key!r} is not a string")
    return value


def _date(value: str) -> str | None:
    try:
        return dt.date.fromisoformat(value[:10]).isoformat() if len(value) >= 10 else None
    except ValueError:
        return None


def _open(path: Path) -> IO[bytes]:
    with path.open("rb") as f:
        gzipped = f.read(2) == b"\x1f\x8b"
    return gzip.open(path, "rb") if gzipped else path.open("rb")


def _write_if_changed(path: Path, data: bytes) -> bool:
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return True
