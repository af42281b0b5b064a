"""A whole `kg build` (RDF, store, views and exports) against jieba posseg on the same text.

    python bench/build_bench.py [--limit 1500] [--workers 1 2]

Converts the first --limit articles of the benchmark corpus into raw pages under /tmp, times
jieba.posseg.lcut (default dictionary) on their titles and texts in this process, then runs the
real command line, `kg build RAW --out OUT --no-cache`, once per --workers value, and prints
its wall time, the ratio to posseg's and the peak memory (maximum resident set) of the largest
process it ran: the build itself with one worker, the largest worker with more. Target (issue
13): the one-process build within 2x posseg's time.
"""
from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

import _corpus
import jieba
import jieba.posseg


def _peak_children_mib() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=1500, help="articles (default 1500)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1], help="worker counts to build with (default 1)")
    ap.add_argument("--corpus", type=Path, default=_corpus.CORPUS)
    ap.add_argument("--keep", action="store_true", help="keep the scratch folder under /tmp")
    args = ap.parse_args(argv)

    quota = _corpus.quotas(args.limit, args.corpus)
    texts = _corpus.texts(quota)
    chars = sum(map(len, texts))
    with _corpus.workdir(args.keep) as work:
        raw = work / "raw"
        n = _corpus.write_pages(quota, raw)
        print(f"{n:,} articles, {chars:,} characters; {_corpus.load()}")
        jieba.initialize()
        start = time.perf_counter()
        for t in texts:
            jieba.posseg.lcut(t)
        posseg = time.perf_counter() - start
        print(f"jieba.posseg.lcut:            {posseg:7.2f} s  {chars / posseg:9,.0f} chars/s")
        for workers in args.workers:
            out = work / f"out{workers}"
            cmd = [sys.executable, "-m", "kg", "build", str(raw), "--out", str(out), "--no-cache", "--quiet",
                   "--workers", str(workers)]
            start = time.perf_counter()
            subprocess.run(cmd, check=True)
            wall = time.perf_counter() - start
            ratio = wall / posseg
            target = f"target <= 2.0x: {'met' if ratio <= 2.0 else 'MISSED'}" if workers == 1 else ""
            print(f"kg build --workers {workers}:     {wall:7.2f} s  {chars / wall:9,.0f} chars/s  "
                  f"{ratio:4.2f}x posseg's time; peak memory of a process {_peak_children_mib():,.0f} MiB  {target}")
        print(_corpus.load())


if __name__ == "__main__":
    main()
