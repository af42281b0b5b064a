"""Parallel, incremental and distributed builds give the bytes of a clean local build."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import Dataset

from kg import pipeline
from tests.conftest import RAW, ROOT, SEED

OUTS = ("civic.trig", "civic.nq", "civic.ttl")


def _same(a: Path, b: Path) -> None:
    for name in OUTS:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


@pytest.fixture
def pages(tmp_path) -> Path:
    """Three raw pages: the seed and two variants of it."""
    raw = tmp_path / "raw"
    raw.mkdir()
    text = SEED.read_text(encoding="utf-8")
    (raw / "a.md").write_text(text, encoding="utf-8")
    (raw / "b.md").write_text(text.replace("株洲日报", "湘潭日报").replace("city: 株洲市", "city: 湘潭市"), encoding="utf-8")
    (raw / "c.md").write_text(text.replace("2023-06-04", "2023-06-05"), encoding="utf-8")
    return raw


def test_workers_byte_identical(pages, tmp_path):
    pipeline.build(pages, tmp_path / "one", incremental=False)
    pipeline.build(pages, tmp_path / "two", workers=2, incremental=False)
    _same(tmp_path / "one", tmp_path / "two")


def test_unchanged_rebuild_uses_cache(pages, tmp_path):
    out = tmp_path / "out"
    first = pipeline.build(pages, out)
    assert first.cached == 0
    before = {n: (out / n).read_bytes() for n in OUTS}
    again = pipeline.build(pages, out)
    assert again.cached == 3
    assert {n: (out / n).read_bytes() for n in OUTS} == before


def test_one_file_change_equals_clean_build(pages, tmp_path):
    out = tmp_path / "out"
    pipeline.build(pages, out)
    text = (pages / "b.md").read_text(encoding="utf-8")
    (pages / "b.md").write_text(text.replace("曹慧泉", "曹某某"), encoding="utf-8")
    report = pipeline.build(pages, out)
    assert report.cached == 2
    pipeline.build(pages, tmp_path / "clean", incremental=False)
    _same(out, tmp_path / "clean")
    (pages / "c.md").unlink()
    pipeline.build(pages, out)
    pipeline.build(pages, tmp_path / "clean2", incremental=False)
    _same(out, tmp_path / "clean2")


def test_dask_local_cluster_equals_local(pages, tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster:  # a free port: 8787 may be taken
        pipeline.build(pages, tmp_path / "dask", scheduler=cluster.scheduler_address, incremental=False)
    pipeline.build(pages, tmp_path / "local", incremental=False)
    _same(tmp_path / "dask", tmp_path / "local")


def test_killed_build_leaves_previous_outputs_whole(tmp_path):
    out = tmp_path / "out"
    pipeline.build(RAW, out)
    before = {n: (out / n).read_bytes() for n in OUTS}
    raw = tmp_path / "many"
    raw.mkdir()
    text = SEED.read_text(encoding="utf-8")
    for i in range(60):
        (raw / f"p{i:03d}.md").write_text(text.replace("2023-06-04", f"2023-06-{i % 28 + 1:02d}"), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "kg", "build", str(raw), "--out", str(out), "--quiet", "--no-cache"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(4)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert {n: (out / n).read_bytes() for n in OUTS} == before
    Dataset().parse(out / "civic.trig", format="trig")
    shutil.rmtree(raw)
    raw.mkdir()
    shutil.copy(SEED, raw / "seed.md")
    pipeline.build(raw, out)  # the next build sweeps the killed one's temporary files
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
