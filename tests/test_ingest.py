"""Ingest on the seed page's real quirks and on malformed input."""
from __future__ import annotations

import datetime as dt

import pytest

from kg.errors import RawFormatError
from kg.ingest import reader
from kg.ingest.textnorm import fold
from tests.conftest import SEED


def test_front_matter_and_articles(seed_articles):
    assert len(seed_articles) == 9
    first = seed_articles[0]
    assert first.paper == "株洲日报" and first.city == "株洲市" and first.date == dt.date(2023, 6, 4)
    assert first.headline.startswith("石峰区与赣州市南康区签订战略合作协议")
    assert [a.line for a in seed_articles][:2] == [9, 17]


def test_byline_and_photo_credit(seed_articles):
    assert [(a.name, a.role) for a in seed_articles[0].authors] == [
        ("李逸峰", "全媒体记者"), ("谭洪汀", "通讯员"), ("张菁", "通讯员")]
    assert ("刘震", "摄影") in [(a.name, a.role) for a in seed_articles[8].authors]
    assert ("温琳", "摄影") in [(a.name, a.role) for a in seed_articles[7].authors]
    # the byline is not text: no sentence starts with the dateline
    assert not any(s.text.startswith("株洲日报讯") for a in seed_articles for s in a.sentences)


@pytest.mark.parametrize("lead, authors", [
    ("央视网消息(新闻联播):", []),                                   # a programme, not a reporter
    ("本报讯(记者 王大明 通讯员 李小红)", [("王大明", "记者"), ("李小红", "通讯员")]),
    ("本报讯(赵一平 钱小二)", [("赵一平", "记者"), ("钱小二", "记者")]),  # names with no role word
])
def test_dateline_credits(lead, authors):
    [article] = reader.parse(f"## 标题\n\n{lead}3日,全市工作会议召开。\n", "t.md")
    assert [(a.name, a.role) for a in article.authors if a.name] == authors


def test_page_break_joined_with_offsets_into_raw(seed_articles):
    raw = SEED.read_text(encoding="utf-8")
    joined = [s for s in seed_articles[4].sentences if "涵盖湘剧、花鼓戏" in s.text]
    assert joined and joined[0].gaps
    for a in seed_articles:
        for s in a.sentences:
            pieces, pos = [], s.start
            for at, skipped in (*s.gaps, (len(s.text), 0)):
                pieces.append(raw[pos:pos + at - sum(len(p) for p in pieces)])
                pos += len(pieces[-1]) + skipped
            assert fold("".join(pieces)) == s.text, (s.text, "".join(pieces))
            assert s.raw_offset(len(s.text) - 1) + 1 == s.end


def test_repeats_dropped(seed_articles):
    texts = [s.text for a in seed_articles for s in a.sentences]
    assert sum(t.startswith("曹慧泉表示,推进物流降本增效") for t in texts) == 1
    assert sum(t.startswith("曹慧泉指出,去年以来") for t in texts) == 1


def test_deck_subheading_list_kinds(seed_articles):
    kinds = {s.text: s.kind for a in seed_articles for s in a.sentences}
    assert kinds["第22次“制造名城早餐会”举行,曹慧泉与物流专家企业家畅聊"] == "deck"
    assert kinds["狠抓问题整改落实 加快推动高质量发展"] == "heading"
    assert kinds["稻花香读书会(株洲市妇女联合会)"] == "list"


@pytest.mark.parametrize("codec", ["gb18030", "gbk", "big5", "utf-16"])
def test_legacy_encodings(tmp_path, codec):
    text = "---\npaper: 测试日报\ndate: 2024-05-01\n---\n## 县委召开会议\n\n5月1日,县委书记王某某主持会议。\n"
    if codec == "big5":
        text = "---\npaper: 測試日報\n---\n## 縣委召開會議\n\n5月1日,縣委書記主持會議,與會人員討論。\n"
    path = tmp_path / "page.md"
    path.write_bytes(text.encode(codec))
    articles = reader.read(path)
    assert articles[0].headline in ("县委召开会议", "縣委召開會議")


def test_undecodable_names_file_and_line(tmp_path):
    path = tmp_path / "bad.md"
    path.write_bytes(b"## ok\n\n" + bytes(range(0x80, 0x100)) * 4 + b"\x00\x00")
    with pytest.raises(RawFormatError) as e:
        reader.read(path)
    assert str(e.value).startswith("bad.md:")


@pytest.mark.parametrize("text, line, words", [
    ("", 1, "empty"),
    ("---\npaper: x\nthis is not a key value\n---\n## h\n", 3, "key: value"),
    ("---\npaper: x\n## h\n", 1, "never closed"),
    ("just text, no headline\n", 1, "no article"),
    ("<html><body><p>x</p></body></html>\n", 1, "HTML"),
    ("---\ndate: 2023-13-45\n---\n## h\n", 2, "not a date"),
])
def test_malformed_pages(text, line, words):
    with pytest.raises(RawFormatError) as e:
        reader.parse(text, "p.md")
    assert e.value.line == line and words in str(e.value)


def test_dates_relative_and_unknown():
    page = "---\ndate: 2024-01-22\n---\n## 标题\n\n昨日,某活动在县城举行。近日,另一活动举行。2021年11月06日,第三个。\n"
    a = reader.parse(page, "p.md")[0]
    from kg.extract import events
    found = [events.dates(s.text, 2024, a.date) for s in a.sentences]
    isos = [m.name for f in found for m in f]
    assert isos == ["2024-01-21", "2021-11-06"]
