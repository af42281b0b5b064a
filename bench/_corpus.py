"""Shared by the benches: a sample of the benchmark corpus as raw pages, load and timing helpers.

The corpus (../shared/corpus/bench, or $CIVIC_BENCH_CORPUS) is third-party news text for
local benchmarking only: it is read where it lies, and the pages made from it are written
under /tmp (or $CIVIC_BENCH_TMP), never into the repository.
"""
from __future__ import annotations

import gzip
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kg import pipeline
from kg.ingest import convert

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("CIVIC_BENCH_CORPUS", ROOT.parent / "shared" / "corpus" / "bench"))
FILES = ("cctv_xwlb.jsonl.gz", "inews_bdci2019.jsonl.gz", "cec_emergency.jsonl")
TMP = Path(os.environ.get("CIVIC_BENCH_TMP", "/tmp"))


def _lines(path: Path) -> Iterator[bytes]:
    with path.open("rb") as f:
        gz = f.read(2) == b"\x1f\x8b"
    with gzip.open(path, "rb") if gz else path.open("rb") as f:
        yield from (line for line in f if line.strip())


def quotas(limit: int | None, corpus: Path = CORPUS) -> dict[Path, int]:
    """How many articles to take from the start of each corpus file: `limit` shared in proportion."""
    sizes = {corpus / name: sum(1 for _ in _lines(corpus / name)) for name in FILES if (corpus / name).exists()}
    if not sizes:
        raise SystemExit(f"no corpus in {corpus}: set $CIVIC_BENCH_CORPUS or pass --corpus")
    total = sum(sizes.values())
    if limit is None or limit >= total:
        return sizes
    shares = {p: max(1, round(limit * n / total)) for p, n in sizes.items()}
    biggest = max(shares, key=lambda p: shares[p])
    shares[biggest] += limit - sum(shares.values())
    return shares


def texts(quota: dict[Path, int]) -> list[str]:
    """Each sampled article's title and text (what jieba is timed on)."""
    out = []
    for path, n in quota.items():
        for i, line in enumerate(_lines(path)):
            if i >= n:
                break
            record = json.loads(line)
            out.append(f"{record.get('title') or ''}\n{record.get('text') or ''}")
    return out


def write_pages(quota: dict[Path, int], raw: Path) -> int:
    """Convert the sampled articles into raw pages in `raw`; the number of articles."""
    return sum(convert.jsonl_to_pages(path, raw, limit=n).articles for path, n in quota.items())


def build(raw: Path, out: Path, **options: object) -> pipeline.BuildReport:
    """pipeline.build of the RDF (TriG, N-Quads, Turtle, and the query store where the build makes
    one), without the network views and exports (timed by bench/views_bench.py)."""
    return pipeline.build(raw, out, views=False, exports=False, **options)  # type: ignore[arg-type]


@contextmanager
def workdir(keep: bool = False) -> Iterator[Path]:
    """A scratch folder under /tmp, removed afterwards unless `keep`."""
    TMP.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix="civic-bench-", dir=TMP))
    try:
        yield path
    finally:
        if keep:
            print(f"(kept {path})")
        else:
            shutil.rmtree(path, ignore_errors=True)


@dataclass
class Timer:
    """Wall and CPU seconds of a block (CPU of this process only)."""

    wall: float = 0.0
    cpu: float = 0.0

    @contextmanager
    def run(self) -> Iterator[Timer]:
        w, c = time.perf_counter(), time.process_time()
        try:
            yield self
        finally:
            self.wall += time.perf_counter() - w
            self.cpu += time.process_time() - c


def load() -> str:
    """The 1/5/15-minute load averages and the CPU count, as one string."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"
