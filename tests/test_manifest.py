"""An unchanged rebuild does nothing; a touched or missing output, or a changed page, rebuilds."""
from __future__ import annotations

import os

from kg import pipeline
from tests.conftest import SEED

OUTS = ("civic.trig", "civic.nq", "civic.ttl")


def _stamps(out):
    return {n: (out / n).stat().st_mtime_ns for n in OUTS}


def test_unchanged_rebuild_writes_nothing(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "a.md").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    first = pipeline.build(raw, out, views=False, exports=False)
    stamps, summary = _stamps(out), first.summary()
    again = pipeline.build(raw, out, views=False, exports=False)
    assert _stamps(out) == stamps
    assert again.cached == 1 and again.summary() == summary.replace("(0 unchanged)", "(1 unchanged)")

    before = (out / "civic.trig").read_bytes()
    os.utime(out / "civic.trig", ns=(stamps["civic.trig"], stamps["civic.trig"] + 1_000_000))
    pipeline.build(raw, out, views=False, exports=False)
    assert _stamps(out)["civic.nq"] != stamps["civic.nq"] and (out / "civic.trig").read_bytes() == before

    (out / "civic.ttl").unlink()
    pipeline.build(raw, out, views=False, exports=False)
    assert (out / "civic.ttl").exists()

    stamps = _stamps(out)
    (raw / "a.md").write_text(SEED.read_text(encoding="utf-8").replace("曹慧泉", "曹某某"), encoding="utf-8")
    changed = pipeline.build(raw, out, views=False, exports=False)
    assert changed.cached == 0 and _stamps(out) != stamps
    assert "曹某某" in (out / "civic.trig").read_text(encoding="utf-8")


def test_new_code_rebuilds_the_outputs(tmp_path, monkeypatch):
    """After an upgrade (views, exports or queries changed, not the extractor) the outputs are rebuilt;
    the extractions of unchanged pages still come from the cache."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "a.md").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    pipeline.build(raw, out, views=False, exports=False)
    stamps = _stamps(out)
    monkeypatch.setattr(pipeline, "code_version", lambda: "another version of the views")
    again = pipeline.build(raw, out, views=False, exports=False)
    assert _stamps(out) != stamps and again.cached == 1
