"""Peak memory of a build: per 10,000 articles and for the whole corpus in one run.

For each size in --sizes (a number of articles, or `all` for the whole corpus, 31,779),
converts that many articles of the benchmark corpus into raw pages under /tmp and runs
`pipeline.build` (a first build into an empty folder, as `kg build` does it) in a fresh
child process, so each figure starts from nothing.
Reported per build: wall time, the build process's peak RSS and its largest worker's
(resource.getrusage), the peak memory of the whole process tree sampled every 0.5 s
(psutil: the sum of PSS, so pages shared after fork count once), output sizes and the load
average seen during the build (min / mean / max of the 1-minute figure); then the growth
per 10,000 articles between the sizes. Target: the whole corpus under 4 GB.

Usage: .venv/bin/python bench/memory_bench.py [--sizes 10000 all] [--workers 2]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

import _corpus
import psutil


def child(raw: Path, out: Path, workers: int) -> None:
    """Build in this (fresh) process and print what it used, as JSON."""
    start = time.perf_counter()
    report = _corpus.build(raw, out, workers=workers)  # a first build: empty cache, as `kg build` does it
    took = time.perf_counter() - start
    kib = 1024  # ru_maxrss is in KiB on Linux
    print(json.dumps({
        "articles": report.articles, "files": report.files, "failed": len(report.failed), "seconds": took,
        "self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * kib,
        "children": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * kib,
        "outputs": sum(p.stat().st_size for p in report.outputs),
    }))


class Sampler(threading.Thread):
    """Samples the memory of a process tree (sum of PSS: shared pages counted once) and the load average."""

    def __init__(self, pid: int, every: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.proc, self.every = psutil.Process(pid), every
        self.peak, self.loads = 0, []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            try:
                procs = [self.proc, *self.proc.children(recursive=True)]
                self.peak = max(self.peak, sum(p.memory_full_info().pss for p in procs))
            except psutil.Error:
                pass
            self.loads.append(os.getloadavg()[0])
            self.done.wait(self.every)


def measure(size: str, workers: int, corpus: Path, keep: bool) -> tuple[int, int]:
    quota = _corpus.quotas(None if size == "all" else int(size), corpus)
    with _corpus.workdir(keep) as work:
        raw = work / "raw"
        n = _corpus.write_pages(quota, raw)
        cmd = [sys.executable, __file__, "--child", str(raw), str(work / "out"), "--workers", str(workers)]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
        sampler = Sampler(proc.pid)
        sampler.start()
        out, _ = proc.communicate()
        sampler.done.set()
        sampler.join()
        if proc.returncode:
            raise SystemExit(f"build of {n} articles failed ({proc.returncode})")
        r = json.loads(out.strip().splitlines()[-1])
    mb = 1e6
    loads = sampler.loads or [os.getloadavg()[0]]
    print(f"{n:>7,} articles {r['files']:>5} pages  {r['seconds']:7.1f} s  build process {r['self'] / mb:7.0f} MB  "
          f"largest worker {r['children'] / mb:6.0f} MB  whole tree {sampler.peak / mb:7.0f} MB  "
          f"outputs {r['outputs'] / mb:6.0f} MB  load {min(loads):.1f}/{sum(loads) / len(loads):.1f}/{max(loads):.1f}",
          flush=True)
    peak = max(sampler.peak, r["self"])
    if size == "all":
        print(f"whole corpus: peak {peak / 1e9:.2f} GB: target < 4 GB {'met' if peak < 4e9 else 'MISSED'}")
    return n, peak


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", nargs="+", default=["10000", "all"], help="articles per build, or `all`")
    ap.add_argument("--workers", type=int, default=2, help="extraction processes (default 2)")
    ap.add_argument("--corpus", type=Path, default=_corpus.CORPUS)
    ap.add_argument("--keep", action="store_true", help="keep the scratch folders under /tmp")
    ap.add_argument("--child", nargs=2, metavar=("RAW", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(Path(args.child[0]), Path(args.child[1]), args.workers)
        return
    print(f"python {sys.version.split()[0]}, workers {args.workers}, {_corpus.load()}")
    runs = [measure(size, args.workers, args.corpus, args.keep) for size in args.sizes]
    for (n0, p0), (n1, p1) in itertools.pairwise(runs):
        if n1 > n0:
            per = (p1 - p0) / 1e6 / ((n1 - n0) / 10_000)
            print(f"growth {n0:,} -> {n1:,} articles: {per:.0f} MB per 10,000 articles")
    print(_corpus.load())


if __name__ == "__main__":
    main()
