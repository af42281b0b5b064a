"""Bad input builds or fails with file and line; any text gives no crash and valid output."""
from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph

from kg import pipeline
from kg.errors import RawFormatError
from kg.extract import rules
from kg.graph import rdf
from kg.ingest import reader
from kg.ingest.textnorm import fold

FRONT = "---\npaper: 测试日报\ncity: 株洲市\ndate: 2024-03-10\n---\n"


def build_one(tmp_path, name: str, data: bytes):
    raw = tmp_path / "raw"
    raw.mkdir(exist_ok=True)
    (raw / name).write_bytes(data)
    (raw / "good.md").write_text(FRONT + "## 好\n\n3月9日,市委书记王大明出席第三届产业发展论坛。\n", encoding="utf-8")
    return pipeline.build(raw, tmp_path / "out", incremental=False)


@pytest.mark.parametrize("name, data, line, words", [
    ("empty.md", b"", 1, "empty"),
    ("binary.md", bytes(range(256)) * 8, 1, "binary"),
    ("html.md", "<!DOCTYPE html><html><body><p>市委书记</p></body></html>".encode(), 1, "HTML"),
    ("nohead.md", "只是一段文字,没有标题。\n".encode(), 1, "no article"),
    ("front.md", b"---\npaper: x\nbroken line\n---\n## h\n", 3, "key: value"),
    ("long.md", b"## h\n" + "字".encode() * 200_000, 2, "characters"),
])
def test_bad_file_is_named_and_others_build(tmp_path, name, data, line, words):
    report = build_one(tmp_path, name, data)
    assert len(report.failed) == 1
    err = report.failed[0]
    assert isinstance(err, RawFormatError) and err.path == name and err.line == line and words in err.reason
    assert report.articles == 1 and (tmp_path / "out" / "civic.trig").exists()
    assert f"skipped: {name}:{line}" in report.summary()


def test_fifty_megabytes_on_one_line_fails_fast(tmp_path):
    report = build_one(tmp_path, "huge.md", b"## h\n" + b"a" * 50_000_000)
    assert report.failed and "characters" in report.failed[0].reason


def test_utf16_with_bom_and_gb18030_build(tmp_path):
    page = FRONT + "## 县委召开全会\n\n3月9日,县委书记李小红主持第五次全体会议。\n"
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "u16.md").write_bytes(page.encode("utf-16"))
    (raw / "gb.md").write_bytes(page.replace("全会", "大会").encode("gb18030"))
    report = pipeline.build(raw, tmp_path / "out")
    assert not report.failed and report.articles == 2


def test_thousand_articles_page(tmp_path):
    body = "".join(f"## 第{i}篇\n\n3月9日,市委书记王大明出席第{i}届产业论坛。\n\n" for i in range(1, 1001))
    report = build_one(tmp_path, "many.md", (FRONT + body).encode())
    assert not report.failed and report.articles == 1001


def test_hostile_names_give_valid_rdf(tmp_path):
    page = FRONT + ('## 标题<script>alert(1)</script>"引号"\n\n'
                    '3月9日,市委书记王<b>明出席第三届“<img src=x onerror=alert(1)>”论坛。\n'
                    '3月9日,副市长𠀋𠀋出席第二届“产业\\"论坛>”大会。\n')
    report = build_one(tmp_path, "hostile.md", page.encode())
    assert not report.failed
    for fmt, name in (("trig", "civic.trig"), ("nquads", "civic.nq")):
        Dataset().parse(tmp_path / "out" / name, format=fmt)
    Graph().parse(tmp_path / "out" / "civic.ttl", format="turtle")
    assert "<script>" in (tmp_path / "out" / "civic.trig").read_text(encoding="utf-8")


# -------------------------------------------------------------- properties

_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
_chinese = st.text(alphabet=st.sampled_from(list("市委书记王李张出席主持调研会议活动第一届区县与签订协议,。、“”()<>\"'\n# -")
                                             + list(string.ascii_letters)), max_size=200)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_text, _chinese))
def test_any_text_ingests_or_raises_raw_format_error(body):
    for text in (body, "## 标题\n\n" + body, FRONT + "## 标题\n\n" + body):
        try:
            articles = reader.parse(text, "p.md")
        except RawFormatError as e:
            assert e.path == "p.md" and e.line >= 1
            continue
        norm = text.replace("\r\n", "\n").replace("\r", "\n")
        for a in articles:
            for s in a.sentences:
                assert 0 <= s.start < s.end <= len(norm)
                assert fold(norm[s.start]) == s.text[0]
                assert fold(norm[s.raw_offset(len(s.text) - 1)]) == s.text[-1]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_chinese)
def test_any_text_extracts_to_parseable_rdf(body):
    try:
        articles = reader.parse(FRONT + "## 标题\n\n" + body, "p.md")
    except RawFormatError:
        return
    xs = [rules.extract(a) for a in articles]
    names = rdf.Names(xs)
    for x in xs:
        r = rdf.render(x, names)
        Dataset().parse(data="\n".join(r.prefixes) + "\n" + r.trig, format="trig")
        Dataset().parse(data=r.nquads, format="nquads")
