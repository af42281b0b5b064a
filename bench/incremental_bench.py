"""Incremental builds: full build vs unchanged rebuild vs one-file-change rebuild.

Converts the first --limit articles of the benchmark corpus into raw pages under /tmp
(one page per source and day, at most 50 articles a page), then times, in this one process
(the cache key holds a digest of kg's code, computed once per process):

1. full: a first build into an empty folder (every page extracted, the cache filled);
2. unchanged: the same build again (the pages are read and hashed; the last build's
   manifest matches them and the outputs, so nothing else is done);
3. outputs touched: civic.trig's time stamp changed, so every extraction comes from the
   cache but every graph is rendered and written again (what the manifest saves);
4. one file changed: a sentence appended to one page: that page is extracted again, the
   others come from the cache, and the outputs are written again.

With --check, the outputs after step 4 are compared with a clean build's (one more full
build). Target: unchanged >= 20x faster than full.

Usage: .venv/bin/python bench/incremental_bench.py [--limit 2000] [--workers 1] [--check]
"""

from __future__ import annotations

import argparse
import filecmp
import os
import time
from collections.abc import Callable
from pathlib import Path

import _corpus

from kg import pipeline
from kg.pipeline import OUTPUTS

ADDED = "\n本次活动由市政府办公室主办,市委书记李明出席活动。\n"   # invented, generic


def _timed(label: str, build: Callable[[], pipeline.BuildReport], full: float | None) -> float:
    start = time.perf_counter()
    report = build()
    took = time.perf_counter() - start
    ratio = f"{full / took:9.1f}x faster" if full else ""
    print(f"{label:<34}{took:9.2f} s  {ratio:<16} {report.files - report.cached:>5} of {report.files} pages "
          f"extracted  ({_corpus.load()})", flush=True)
    return took


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=2000, help="articles (default 2000; 0 = the whole corpus)")
    ap.add_argument("--workers", type=int, default=1, help="extraction processes (default 1)")
    ap.add_argument("--corpus", type=Path, default=_corpus.CORPUS)
    ap.add_argument("--check", action="store_true", help="compare the incremental outputs with a clean build's")
    ap.add_argument("--keep", action="store_true", help="keep the scratch folder under /tmp")
    args = ap.parse_args(argv)

    quota = _corpus.quotas(args.limit or None, args.corpus)
    with _corpus.workdir(args.keep) as work:
        raw, out = work / "raw", work / "out"
        n = _corpus.write_pages(quota, raw)
        pages = pipeline.raw_files(raw)
        print(f"{n:,} articles in {len(pages)} pages, workers {args.workers}")

        def build() -> pipeline.BuildReport:
            return _corpus.build(raw, out, workers=args.workers)

        full = _timed("full build", build, None)
        unchanged = _timed("unchanged rebuild", build, full)
        trig = out / "civic.trig"
        os.utime(trig, ns=(trig.stat().st_atime_ns, trig.stat().st_mtime_ns + 1_000_000))
        _timed("rebuild, outputs touched", build, full)
        changed = pages[len(pages) // 2]
        with changed.open("a", encoding="utf-8") as f:
            f.write(ADDED)
        _timed("one file changed", build, full)
        verdict = "met" if full / unchanged >= 20 else "MISSED"
        print(f"unchanged rebuild {full / unchanged:.0f}x faster than the full build (target >= 20x: {verdict})")
        if args.check:
            _corpus.build(raw, work / "clean", workers=args.workers, incremental=False)
            same = all(filecmp.cmp(out / o, work / "clean" / o, shallow=False) for o in OUTPUTS)
            print(f"incremental outputs byte-identical to a clean build: {same}")


if __name__ == "__main__":
    main()
