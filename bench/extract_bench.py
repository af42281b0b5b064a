"""Extraction throughput against jieba's own lcut and posseg, and scaling with worker processes.

Converts the first --limit articles of the benchmark corpus (shared in proportion across its
three files) into raw pages under /tmp, then measures, in this one process:

1. jieba.lcut and jieba.posseg.lcut (jieba's global instance, default dictionary) on each
   article's title and text; and kg's own segmenter on the same text
   (kg.extract.segment.default().tokens: posseg's dictionary words with the project's user
   dictionary, no HMM, what the extractor calls once per sentence; names come from the NER);
2. extraction as a build does it, without views: every page through
   pipeline.extract_page (decode, ingest, segment, NER, mentions, rules), then rdf.render of
   every article (its TriG block and N-Quads);
3. pipeline.build of the same pages with --workers 1 and with 2 (no cache), wall time.

Characters are those of title + text in the JSONL, the same for every row. Ratios use wall
time (CPU time of this process is printed beside it; other processes on the machine skew
wall time, so the load average is printed too). Targets: extraction >= 70% of
jieba posseg single process (issue 13); 2 workers >= 1.7x 1 worker.

Usage: .venv/bin/python bench/extract_bench.py [--limit 1000] [--workers 2] [--skip-build] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import filecmp
import pstats
import time
from pathlib import Path

import _corpus
import jieba
import jieba.posseg

from kg import pipeline
from kg.extract import segment
from kg.graph import rdf
from kg.pipeline import OUTPUTS


def _row(label: str, t: _corpus.Timer, chars: int, articles: int, ref: float | None = None) -> None:
    ratio = f"{ref / t.wall:6.2f}x" if ref else ""
    print(f"{label:<38}{t.wall:9.2f} s {t.cpu:9.2f} s {chars / t.wall:12,.0f} {articles / t.wall:10.1f}  {ratio}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=1000, help="articles (default 1000; 0 = the whole corpus)")
    ap.add_argument("--workers", type=int, default=2, help="workers of the scaled build (default 2)")
    ap.add_argument("--corpus", type=Path, default=_corpus.CORPUS)
    ap.add_argument("--skip-build", action="store_true", help="only the single-process figures")
    ap.add_argument("--profile", action="store_true", help="also print the extraction's hot spots (cProfile)")
    ap.add_argument("--keep", action="store_true", help="keep the scratch folder under /tmp")
    args = ap.parse_args(argv)

    quota = _corpus.quotas(args.limit or None, args.corpus)
    texts = _corpus.texts(quota)
    chars = sum(map(len, texts))
    with _corpus.workdir(args.keep) as work:
        raw = work / "raw"
        n = _corpus.write_pages(quota, raw)
        pages = [(p.relative_to(raw).as_posix(), p.read_bytes()) for p in pipeline.raw_files(raw)]
        print(f"{n:,} articles, {chars:,} characters, {len(pages)} pages; jieba {jieba.__version__}")
        print(_corpus.load())

        jieba.initialize()
        seg = segment.default()
        pipeline.extract_page(pages[0])  # loads the lexicons, the gazetteer and warms the user dictionary
        lcut, posseg, kgseg = _corpus.Timer(), _corpus.Timer(), _corpus.Timer()
        with lcut.run():
            for t in texts:
                jieba.lcut(t)
        with posseg.run():
            for t in texts:
                jieba.posseg.lcut(t)
        with kgseg.run():
            for t in texts:
                seg.tokens(t)

        extract, render = _corpus.Timer(), _corpus.Timer()
        extractions = []
        with extract.run():
            for page in pages:
                result = pipeline.extract_page(page)
                if isinstance(result, list):
                    extractions += result
        with render.run():
            names = rdf.Names(rdf.NameCounts.of(extractions))
            rendered = [rdf.render(x, names) for x in extractions]
        total = _corpus.Timer(extract.wall + render.wall, extract.cpu + render.cpu)
        quads = sum(r.nquads.count("\n") for r in rendered)

        print(f"\n{'single process':<38}{'wall':>11} {'CPU':>11} {'chars/s':>12} {'articles/s':>10}  vs posseg")
        _row("jieba.lcut", lcut, chars, n, posseg.wall)
        _row("jieba.posseg.lcut", posseg, chars, n, posseg.wall)
        _row("kg segmenter (user dictionary, no HMM)", kgseg, chars, n, posseg.wall)
        _row("  extraction (ingest..rules)", extract, chars, n, posseg.wall)
        _row("  RDF rendering", render, chars, n, posseg.wall)
        _row("extraction + RDF rendering", total, chars, n, posseg.wall)
        print(f"extraction + rendering = {posseg.wall / total.wall:.2f}x jieba posseg throughput "
              f"({posseg.cpu / total.cpu:.2f}x by CPU time), {lcut.wall / total.wall:.2f}x jieba lcut; "
              f"{quads:,} quads; segmentation is {kgseg.wall / total.wall:.0%} of the time")
        print(f"target >= 0.70x posseg (issue 13): {'met' if posseg.wall / total.wall >= 0.7 else 'MISSED'}")
        print(_corpus.load())
        if args.profile:
            profile = cProfile.Profile()
            profile.runcall(lambda: [pipeline.extract_page(page) for page in pages])
            print("\nextraction hot spots (a second, profiled pass; cProfile by own time):")
            pstats.Stats(profile).sort_stats("tottime").print_stats(15)

        if not args.skip_build:
            times = {}
            for w in (1, args.workers):
                start = time.perf_counter()
                report = _corpus.build(raw, work / f"w{w}", workers=w, incremental=False)
                times[w] = time.perf_counter() - start
                print(f"pipeline.build --workers {w}: {times[w]:7.2f} s  {n / times[w]:6.1f} articles/s  "
                      f"{chars / times[w]:9,.0f} chars/s  ({report.articles} articles, {_corpus.load()})")
            same = all(filecmp.cmp(work / "w1" / o, work / f"w{args.workers}" / o, shallow=False) for o in OUTPUTS)
            ratio = times[1] / times[args.workers]
            print(f"workers {args.workers} vs 1: {ratio:.2f}x (target >= 1.7x: {'met' if ratio >= 1.7 else 'MISSED'}); "
                  f"outputs byte-identical: {same}")


if __name__ == "__main__":
    main()
