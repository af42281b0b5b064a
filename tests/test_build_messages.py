"""What `kg build` says about input mistakes and what its summary counts (issue 14, items 13 and 16)."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from kg import pipeline
from kg.cli import EXIT_NOTHING, EXIT_OK, EXIT_PARTIAL, main
from kg.ingest import reader
from tests.conftest import RAW

FRONT = "---\npaper: 测试日报\ncity: 株洲市\n{date}---\n"
BODY = "\n3月9日,市委书记王大明出席第三届产业发展论坛。\n"


def build(raw, out):
    return CliRunner().invoke(main, ["build", str(raw), "--out", str(out), "--quiet", "--no-views", "--no-exports"])


@pytest.mark.parametrize("files, holds", [({"page.txt": "## 标题\n正文"}, "1 other file (page.txt)"), ({}, "it is empty")])
def test_a_folder_without_pages_says_so(tmp_path, files, holds):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name, text in files.items():
        (raw / name).write_text(text, encoding="utf-8")
    result = build(raw, tmp_path / "out")
    assert result.exit_code == EXIT_NOTHING
    assert result.stdout == ""
    assert f"no page found in {raw}" in result.stderr and "*.md" in result.stderr and holds in result.stderr
    assert not (tmp_path / "out").exists()
    report = pipeline.build(raw, tmp_path / "out")  # the library says it too
    assert report.warnings == [pipeline.no_pages(raw)] and not report.outputs and not (tmp_path / "out").exists()


def test_a_page_without_a_date_warns_once(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.md").write_text(FRONT.format(date="") + "## 论坛举行\n" + BODY + "## 又一篇\n" + BODY, encoding="utf-8")
    (raw / "b.md").write_text(FRONT.format(date="date: 2024-03-10\n") + "## 有日期\n" + BODY, encoding="utf-8")
    result = build(raw, tmp_path / "out")
    assert result.exit_code == EXIT_OK, result.output
    warned = [ln for ln in result.output.splitlines() if ln.startswith("warning:") and "no date" in ln]
    assert warned == ["warning: a.md: 2 of 2 articles have no date (none in the text, no `date: YYYY-MM-DD` in the "
                      "front matter): their relations are undated"]


def test_a_level_one_heading_is_named_with_its_line(tmp_path):
    text = FRONT.format(date="date: 2024-03-10\n") + "\n# 论坛举行\n" + BODY
    with pytest.raises(reader.RawFormatError) as err:
        reader.parse(text, "a.md")
    assert err.value.line == 7 and "'# 论坛举行'" in err.value.reason and "'## '" in err.value.reason


def test_each_skipped_file_is_named_once_on_stderr(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.md").write_text(FRONT.format(date="date: 2024-03-10\n") + "## 好\n" + BODY, encoding="utf-8")
    (raw / "bad.md").write_text("---\npaper x\n---\n## h\n", encoding="utf-8")
    result = build(raw, tmp_path / "out")
    assert result.exit_code == EXIT_PARTIAL
    assert result.output.count("bad.md:2") == 1 and "bad.md:2" in result.stderr
    assert result.stdout.startswith("1/2 pages built")


def test_the_summary_says_what_each_number_counts(tmp_path):
    report = pipeline.build(RAW, tmp_path, views=False, exports=False)
    text = report.summary()
    nquads = sum(1 for line in (tmp_path / "civic.nq").read_text(encoding="utf-8").splitlines() if line)
    assert report.quads == nquads > sum(report.triples.values()) > 0
    assert f"{sum(report.triples.values())} relations extracted (distinct subject-relation-object statements" in text
    assert f"{nquads:,} quads in civic.nq and the store" in text and f"in {report.articles + 1} named graphs" in text
    assert "  holdsPost           17  任职" in text.splitlines()
