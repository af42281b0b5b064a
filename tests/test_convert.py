"""JSONL articles to raw pages: they build, and no title or text can break a page's structure."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

from click.testing import CliRunner
from rdflib import Dataset, Literal
from rdflib.namespace import RDFS

from kg import pipeline
from kg.cli import EXIT_OK, main
from kg.ingest import reader
from kg.ingest.convert import jsonl_to_pages, page_name

BODY = "3月9日,市委书记王大明出席第三届产业发展论坛。\n论坛由市工业和信息化局主办。"
HOSTILE_TITLE = "# 井号开头\n## 假标题\n---\nkey: value\r\n结尾 ---"
HOSTILE_TEXT = ("## 不是新文章\n---\n# 也不是\n---\ndate: 1999-01-01\n"
                "正文\x00含控制\x01字符\u2028和行分隔。\n\n\n- 列表项")


def _write_jsonl(path: Path, records: list[dict], gz: bool = False) -> Path:
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def _records() -> list[dict]:
    return [
        {"id": "a1", "title": "产业发展论坛举行", "text": BODY, "date": "2024-03-10", "source": "测试日报",
         "url": "https://example.org/a1"},
        {"id": "a2", "title": HOSTILE_TITLE, "text": HOSTILE_TEXT, "date": "2024-03-10", "source": "测试日报",
         "url": None},
        {"id": "b1", "title": "无日期的一篇", "text": BODY, "date": None, "source": "另一份\n报纸", "url": None},
        {"id": "c1", "title": "单篇带链接", "text": BODY, "date": "2024-03-11", "source": "测试日报",
         "url": "https://example.org/c1"},
    ]


def test_pages_build(tmp_path):
    jsonl = _write_jsonl(tmp_path / "articles.jsonl.gz", _records(), gz=True)
    report = jsonl_to_pages(jsonl, tmp_path / "raw")
    assert (report.articles, report.pages, report.written, report.skipped) == (4, 3, 3, [])
    built = pipeline.build(tmp_path / "raw", tmp_path / "out")
    assert not built.failed and built.articles == 4
    ds = Dataset(default_union=True)
    ds.parse(tmp_path / "out" / "civic.trig", format="trig")
    labels = {str(o) for o in ds.objects(None, RDFS.label)}
    assert {"产业发展论坛举行", "无日期的一篇", "单篇带链接"} <= labels
    assert Literal("https://example.org/c1") in set(ds.objects())     # url of a one-article page
    assert Literal("https://example.org/a1") not in set(ds.objects())  # two articles, two urls: none


def test_hostile_title_and_text_keep_the_structure(tmp_path):
    jsonl = _write_jsonl(tmp_path / "a.jsonl", _records())
    jsonl_to_pages(jsonl, tmp_path / "raw")
    page = tmp_path / "raw" / page_name("测试日报", "2024-03-10", 1)
    articles = reader.read(page)
    assert [a.headline for a in articles] == ["产业发展论坛举行", "# 井号开头 ## 假标题 --- key: value 结尾 ---"]
    assert all(a.paper == "测试日报" and str(a.date) == "2024-03-10" and a.url is None for a in articles)
    texts = [s.text for s in articles[1].sentences]
    assert any("不是新文章" in t for t in texts) and any("含控制字符" in t for t in texts)
    raw = page.read_text(encoding="utf-8")
    assert "\x00" not in raw and "\x01" not in raw and "\u2028" not in raw
    assert raw.split("\n")[:4] == ["---", "paper: 测试日报", "date: 2024-03-10", "---"]
    undated = reader.read(tmp_path / "raw" / page_name("另一份 报纸", None, 1))
    assert undated[0].paper == "另一份 报纸" and undated[0].date is None


def test_grouping_is_deterministic_and_pages_are_cut(tmp_path):
    records = [dict(r, title=f"第{i}篇", id=str(i)) for i, r in enumerate([_records()[0]] * 5)]
    jsonl = _write_jsonl(tmp_path / "a.jsonl", records)
    first = jsonl_to_pages(jsonl, tmp_path / "raw", per_page=2)
    names = sorted(p.name for p in (tmp_path / "raw").iterdir())
    assert first.pages == 3 and names == [page_name("测试日报", "2024-03-10", n) for n in (1, 2, 3)]
    before = {p.name: p.read_bytes() for p in (tmp_path / "raw").iterdir()}
    again = jsonl_to_pages(jsonl, tmp_path / "raw", per_page=2)
    assert again.written == 0 and before == {p.name: p.read_bytes() for p in (tmp_path / "raw").iterdir()}
    assert [len(reader.read(tmp_path / "raw" / n)) for n in names] == [2, 2, 1]


def test_bad_lines_are_skipped_with_their_line(tmp_path):
    path = tmp_path / "a.jsonl"
    good = json.dumps(_records()[0], ensure_ascii=False)
    path.write_bytes(f'{good}\nnot json\n[1, 2]\n{{"title": 3}}\n\n{{"title": "", "text": " "}}\n'.encode()
                     + b'{"title": "\xff"}\n')
    report = jsonl_to_pages(path, tmp_path / "raw")
    assert report.articles == 1
    assert [e.line for e in report.skipped] == [2, 3, 4, 6, 7]


def test_cli_convert_then_build(tmp_path):
    jsonl = _write_jsonl(tmp_path / "a.jsonl", _records())
    runner = CliRunner()
    result = runner.invoke(main, ["convert", str(jsonl), "--out", str(tmp_path / "raw")])
    assert result.exit_code == EXIT_OK and "4 articles in 3 pages" in result.output, result.output
    result = runner.invoke(main, ["build", str(tmp_path / "raw"), "--out", str(tmp_path / "out"), "--quiet"])
    assert result.exit_code == EXIT_OK, result.output
